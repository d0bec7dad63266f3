// S3 multi-part upload from a stream through a fixed set of reusable part buffers: memory is
// (queueSize + 1) × partSize whatever the object size, and no part-sized garbage is left for the GC
// (lib-storage concatenates a new buffer per part, which peaked at about 3× that).

import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

export interface MultipartTarget {
  Bucket: string;
  Key: string;
  ContentType?: string;
  Metadata?: Record<string, string>;
}

export interface MultipartUploadOptions {
  partSize: number;
  /** Parts uploading at once; one more part buffer fills meanwhile. */
  queueSize: number;
  abortSignal: AbortSignal;
}

export interface MultipartUploadResult {
  etag: string | undefined;
  size: number;
}

/**
 * Uploads `body` in parts of `partSize`; a body shorter than one part goes as one PutObject.
 * On any failure the upload is aborted, so no parts are left behind and nothing is visible.
 */
export async function uploadInParts(
  client: S3Client,
  target: MultipartTarget,
  body: Readable,
  options: MultipartUploadOptions,
): Promise<MultipartUploadResult> {
  const { partSize, abortSignal } = options;
  const call = { abortSignal };
  // queueSize parts in flight while the next one fills (with queueSize buffers, one of them was
  // always filling, so only queueSize - 1 parts uploaded at once).
  const buffers = new PartBuffers(partSize, Math.max(1, options.queueSize) + 1);
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let size = 0;
  let nextPartNumber = 1;

  const send = (buffer: Buffer, length: number) => {
    const partNumber = nextPartNumber++;
    const sending = client
      .send(
        new UploadPartCommand({
          Bucket: target.Bucket,
          Key: target.Key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: buffer.subarray(0, length),
          ContentLength: length,
        }),
        call,
      )
      .then((response) => {
        parts.push({ PartNumber: partNumber, ETag: response.ETag });
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        inFlight.delete(sending);
        buffers.release(buffer);
      });
    inFlight.add(sending);
  };

  // A body that stops sending must not hold the upload past an abort: end the read with it.
  // (Not a Promise.race per chunk against one abort promise: every race would stay attached
  // to that promise, holding its chunk, until the upload ends.)
  const onAbort = () =>
    body.destroy(abortSignal.reason instanceof Error ? abortSignal.reason : new Error('aborted'));
  if (abortSignal.aborted) onAbort();
  else abortSignal.addEventListener('abort', onAbort, { once: true });
  try {
    let current = await buffers.take(inFlight);
    let filled = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const count = Math.min(partSize - filled, chunk.length - offset);
        current.set(chunk.subarray(offset, offset + count), filled);
        filled += count;
        offset += count;
        size += count;
        if (filled === partSize) {
          uploadId ??= (await client.send(new CreateMultipartUploadCommand(target), call)).UploadId;
          if (failure) throw failure;
          send(current, filled);
          current = await buffers.take(inFlight);
          filled = 0;
          if (failure) throw failure;
        }
      }
    }
    if (uploadId === undefined) {
      const put = await client.send(
        new PutObjectCommand({ ...target, Body: current.subarray(0, filled), ContentLength: filled }),
        call,
      );
      return { etag: put.ETag, size };
    }
    if (filled > 0) send(current, filled);
    await Promise.all(inFlight);
    if (failure) throw failure;
    return { etag: await completeUpload(client, target, uploadId, parts, abortSignal), size };
  } catch (error) {
    await Promise.allSettled(inFlight);
    if (uploadId !== undefined) {
      // Not with the caller's signal: it may be what ended the upload.
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: target.Bucket, Key: target.Key, UploadId: uploadId }))
        .catch(() => undefined);
    }
    throw error;
  } finally {
    abortSignal.removeEventListener('abort', onAbort);
  }
}

/** Completes a multi-part upload with its parts (in any order: sorted here); its ETag. */
export async function completeUpload(
  client: S3Client,
  target: MultipartTarget,
  uploadId: string | undefined,
  parts: CompletedPart[],
  abortSignal: AbortSignal | undefined,
): Promise<string | undefined> {
  parts.sort((a, b) => (a.PartNumber as number) - (b.PartNumber as number));
  const done = await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: target.Bucket,
      Key: target.Key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
    }),
    { abortSignal },
  );
  return done.ETag;
}

/** At most `count` buffers of `size`, allocated on first use and handed out again when released. */
class PartBuffers {
  private readonly free: Buffer[] = [];
  private allocated = 0;

  constructor(
    private readonly size: number,
    private readonly count: number,
  ) {}

  /** A free buffer, waiting for an upload in flight to finish when all are taken. */
  async take(inFlight: Set<Promise<void>>): Promise<Buffer> {
    for (;;) {
      const free = this.free.pop();
      if (free) return free;
      if (this.allocated < this.count) {
        this.allocated++;
        return Buffer.allocUnsafe(this.size);
      }
      await Promise.race(inFlight);
    }
  }

  release(buffer: Buffer): void {
    this.free.push(buffer);
  }
}
