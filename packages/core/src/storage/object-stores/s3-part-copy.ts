// A server-side copy of an S3 object too large for one CopyObject (over 5 GiB): a multi-part
// upload whose parts S3 copies from byte ranges of the source (UploadPartCopy), so no byte
// passes through this process. Aborted on any failure, so nothing partial becomes visible.

import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { completeUpload, type MultipartTarget } from './s3-multipart';

/** S3's limits: at most 10,000 parts, each of 5 MiB to 5 GiB. */
const MAX_PARTS = 10_000;
const MIN_COPY_PART = 5 * 1024 * 1024;
const MAX_COPY_PART = 5 * 1024 * 1024 * 1024;

export interface PartCopyOptions {
  /** Wanted part size; raised when the object would need more than 10,000 parts. */
  partSize: number;
  /** Parts S3 copies at once. */
  concurrency: number;
  abortSignal?: AbortSignal;
}

/** The `x-amz-copy-source` of an object: bucket and key, each key segment URI-encoded. */
export function copySourceOf(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The inclusive byte ranges of the parts: as few as the part size allows, within S3's limits. */
export function copyPartRanges(size: number, wantedPartSize: number): { start: number; end: number }[] {
  const partSize = Math.min(
    MAX_COPY_PART,
    Math.max(MIN_COPY_PART, wantedPartSize, Math.ceil(size / MAX_PARTS)),
  );
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < size; start += partSize) {
    ranges.push({ start, end: Math.min(size, start + partSize) - 1 });
  }
  return ranges;
}

/** Copies `source` (of `size` bytes) to `target`; on any failure the upload is aborted first. */
export async function copyInParts(
  client: S3Client,
  target: MultipartTarget,
  source: { bucket: string; key: string },
  size: number,
  options: PartCopyOptions,
): Promise<{ etag: string | undefined }> {
  const call = { abortSignal: options.abortSignal };
  const created = await client.send(new CreateMultipartUploadCommand(target), call);
  const uploadId = created.UploadId;
  const ranges = copyPartRanges(size, options.partSize);
  const parts: CompletedPart[] = [];
  let next = 0;
  let failure: unknown;
  try {
    const worker = async () => {
      while (next < ranges.length && failure === undefined) {
        const partNumber = next + 1;
        const range = ranges[next++] as { start: number; end: number };
        try {
          const copied = await client.send(
            new UploadPartCopyCommand({
              Bucket: target.Bucket,
              Key: target.Key,
              UploadId: uploadId,
              PartNumber: partNumber,
              CopySource: copySourceOf(source.bucket, source.key),
              CopySourceRange: `bytes=${range.start}-${range.end}`,
            }),
            call,
          );
          parts.push({ PartNumber: partNumber, ETag: copied.CopyPartResult?.ETag });
        } catch (error) {
          // The first failure stops every worker at its next part.
          failure ??= error;
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(options.concurrency, ranges.length)) }, worker),
    );
    if (failure !== undefined) throw failure;
    return { etag: await completeUpload(client, target, uploadId, parts, options.abortSignal) };
  } catch (error) {
    // Not with the caller's signal: it may be what ended the copy.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: target.Bucket, Key: target.Key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}
