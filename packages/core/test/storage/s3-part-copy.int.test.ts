// Server-side copies of S3 objects over CopyObject's 5 GiB (UploadPartCopy), with the limit set
// low: against a loopback stand-in that copies the ranges it is asked for (s3rver answers
// UploadPartCopy with 501), and against s3rver itself for the fall-back to streaming.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, type S3rverProcess, startS3rver } from '../../../../test/support/s3rver';
import { copyObjects, listForPlan, planCopy } from '../../src/storage/copy';
import { copyPartRanges } from '../../src/storage/object-stores/s3-part-copy';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../../src/storage/object-stores/s3-store';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('copyPartRanges', () => {
  it('covers every byte once, in parts of the wanted size within S3 limits', () => {
    expect(copyPartRanges(12 * MiB, 5 * MiB)).toEqual([
      { start: 0, end: 5 * MiB - 1 },
      { start: 5 * MiB, end: 10 * MiB - 1 },
      { start: 10 * MiB, end: 12 * MiB - 1 },
    ]);
    expect(copyPartRanges(10 * MiB, 5 * MiB)).toHaveLength(2);
    // Below S3's 5 MiB minimum part: raised to it.
    expect(copyPartRanges(12 * MiB, 1024)[0]).toEqual({ start: 0, end: 5 * MiB - 1 });
    // 10,000 parts at most: 60 GiB in 5 MiB parts would need 12,288.
    const ranges = copyPartRanges(60 * GiB, 5 * MiB);
    expect(ranges.length).toBeLessThanOrEqual(10_000);
    expect(ranges.at(-1)?.end).toBe(60 * GiB - 1);
    // 5 GiB at most per part.
    expect(copyPartRanges(12 * GiB, 8 * GiB)[0]?.end).toBe(5 * GiB - 1);
  });
});

/** An S3 stand-in keeping objects in memory: HEAD, GET, PUT, and multi-part uploads whose parts are copied. */
async function startPartCopyStandIn(options: { failPart?: number } = {}) {
  const objects = new Map<string, { body: Buffer; contentType?: string; metadata: Record<string, string> }>();
  const uploads = new Map<
    string,
    { key: string; contentType?: string; metadata: Record<string, string>; parts: Map<number, Buffer> }
  >();
  const log: string[] = [];
  let uploadCount = 0;
  const metadataOf = (headers: http.IncomingHttpHeaders) =>
    Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => name.startsWith('x-amz-meta-'))
        .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
    );
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const key = decodeURIComponent(url.pathname.slice(1));
      const xml = (status: number, body: string) =>
        response.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?>${body}`);
      if (request.method === 'PUT' && !url.searchParams.has('uploadId')) {
        const body = Buffer.concat(chunks);
        objects.set(key, {
          body,
          contentType: request.headers['content-type'],
          metadata: metadataOf(request.headers),
        });
        response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      } else if ((request.method === 'HEAD' || request.method === 'GET') && objects.has(key)) {
        const object = objects.get(key) as {
          body: Buffer;
          contentType?: string;
          metadata: Record<string, string>;
        };
        response.writeHead(200, {
          'content-length': object.body.length,
          etag: '"stand-in"',
          ...(object.contentType && { 'content-type': object.contentType }),
          ...Object.fromEntries(Object.entries(object.metadata).map(([n, v]) => [`x-amz-meta-${n}`, v])),
        });
        response.end(request.method === 'GET' ? object.body : undefined);
      } else if (request.method === 'HEAD' || request.method === 'GET') {
        if (request.method === 'HEAD') response.writeHead(404).end();
        else xml(404, '<Error><Code>NoSuchKey</Code><Message>No such key.</Message></Error>');
      } else if (request.method === 'POST' && url.searchParams.has('uploads')) {
        const uploadId = `upload-${++uploadCount}`;
        uploads.set(uploadId, {
          key,
          contentType: request.headers['content-type'],
          metadata: metadataOf(request.headers),
          parts: new Map(),
        });
        log.push(`create ${key}`);
        xml(
          200,
          `<InitiateMultipartUploadResult><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
      } else if (request.method === 'PUT' && request.headers['x-amz-copy-source']) {
        const upload = uploads.get(url.searchParams.get('uploadId') ?? '');
        const partNumber = Number(url.searchParams.get('partNumber'));
        const source = decodeURIComponent(String(request.headers['x-amz-copy-source'])).replace(/^\/?/, '');
        const range = /^bytes=(\d+)-(\d+)$/.exec(String(request.headers['x-amz-copy-source-range']));
        log.push(`part ${partNumber} ${source} ${request.headers['x-amz-copy-source-range']}`);
        const object = objects.get(source);
        if (!upload || !object || !range)
          return xml(400, '<Error><Code>InvalidRequest</Code><Message>bad</Message></Error>');
        if (partNumber === options.failPart) {
          return xml(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
        }
        upload.parts.set(partNumber, object.body.subarray(Number(range[1]), Number(range[2]) + 1));
        xml(200, `<CopyPartResult><ETag>"part-${partNumber}"</ETag></CopyPartResult>`);
      } else if (request.method === 'POST' && url.searchParams.has('uploadId')) {
        const uploadId = url.searchParams.get('uploadId') ?? '';
        const upload = uploads.get(uploadId);
        if (!upload) return xml(404, '<Error><Code>NoSuchUpload</Code><Message>none</Message></Error>');
        const listed = [
          ...Buffer.concat(chunks)
            .toString()
            .matchAll(/<PartNumber>(\d+)<\/PartNumber>/g),
        ].map((m) => Number(m[1]));
        log.push(`complete ${listed.join(',')}`);
        objects.set(upload.key, {
          body: Buffer.concat(listed.map((n) => upload.parts.get(n) as Buffer)),
          ...(upload.contentType && { contentType: upload.contentType }),
          metadata: upload.metadata,
        });
        uploads.delete(uploadId);
        xml(
          200,
          `<CompleteMultipartUploadResult><Key>${upload.key}</Key><ETag>"whole-${listed.length}"</ETag></CompleteMultipartUploadResult>`,
        );
      } else if (request.method === 'DELETE' && url.searchParams.has('uploadId')) {
        log.push('abort');
        uploads.delete(url.searchParams.get('uploadId') ?? '');
        response.writeHead(204).end();
      } else {
        xml(400, `<Error><Code>Unexpected</Code><Message>${request.method} ${request.url}</Message></Error>`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    uploads,
    log,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function pseudoRandom(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    if (i % 4 === 0) x = (x * 1103515245 + 12345) >>> 0;
    data[i] = (x >>> ((i % 4) * 8)) & 0xff;
  }
  return data;
}

const storeOptions = (endpoint: string, bucket: string, prefix: string): S3ObjectStoreOptions => ({
  bucket,
  prefix,
  region: 'us-east-1',
  endpoint,
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
  checksums: 'when-required',
  maxAttempts: 1,
  copyObjectLimitInBytes: 5 * MiB,
  copyPartSizeInBytes: 5 * MiB,
});

describe('S3 server-side copies over the CopyObject limit', () => {
  it('copy the ranges part by part, keeping content type and metadata, with no byte through this process', async () => {
    const standIn = await startPartCopyStandIn();
    const data = pseudoRandom(12 * MiB + 3, 11);
    standIn.objects.set('source-bucket/in/model dir/weights ✓.bin', {
      body: data,
      contentType: 'application/x-weights',
      metadata: { origin: 'training' },
    });
    const source = new S3ObjectStore(storeOptions(standIn.endpoint, 'source-bucket', 'in'));
    const destination = new S3ObjectStore(storeOptions(standIn.endpoint, 'destination-bucket', 'out'));
    try {
      const copied = await destination.copyFrom(
        source,
        'model dir/weights ✓.bin',
        'model dir/weights ✓.bin',
        {
          size: data.length,
        },
      );
      expect(copied).toMatchObject({ key: 'model dir/weights ✓.bin', size: data.length });
      const stored = standIn.objects.get('destination-bucket/out/model dir/weights ✓.bin');
      expect(stored?.body.equals(data)).toBe(true);
      expect(stored).toMatchObject({
        contentType: 'application/x-weights',
        metadata: { origin: 'training' },
      });
      const parts = standIn.log.filter((line) => line.startsWith('part')).sort();
      expect(parts).toEqual([
        `part 1 source-bucket/in/model dir/weights ✓.bin bytes=0-${5 * MiB - 1}`,
        `part 2 source-bucket/in/model dir/weights ✓.bin bytes=${5 * MiB}-${10 * MiB - 1}`,
        `part 3 source-bucket/in/model dir/weights ✓.bin bytes=${10 * MiB}-${12 * MiB + 2}`,
      ]);
      expect(standIn.log.filter((line) => line.startsWith('complete'))).toEqual(['complete 1,2,3']);
      expect(standIn.log.filter((line) => line.startsWith('get'))).toEqual([]);
    } finally {
      source.destroy();
      destination.destroy();
      await standIn.stop();
    }
  });

  it('abort the upload when a part fails, leaving nothing at the destination', async () => {
    const standIn = await startPartCopyStandIn({ failPart: 2 });
    standIn.objects.set('bucket/big.bin', { body: pseudoRandom(16 * MiB, 5), metadata: {} });
    const source = new S3ObjectStore(storeOptions(standIn.endpoint, 'bucket', ''));
    const destination = new S3ObjectStore(storeOptions(standIn.endpoint, 'bucket', 'copy'));
    try {
      await expect(
        destination.copyFrom(source, 'big.bin', 'big.bin', { size: 16 * MiB }),
      ).rejects.toMatchObject({
        status: 403,
        code: 'AccessDenied',
        operation: 'write',
        key: 'big.bin',
      });
      expect(standIn.log).toContain('abort');
      expect(standIn.log.some((line) => line.startsWith('complete'))).toBe(false);
      expect(standIn.uploads.size).toBe(0);
      expect(standIn.objects.has('bucket/copy/big.bin')).toBe(false);
    } finally {
      source.destroy();
      destination.destroy();
      await standIn.stop();
    }
  });
});

describe('an endpoint without UploadPartCopy (s3rver)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 's3-part-copy-'));
  let s3rver: S3rverProcess | undefined;
  const savedCaBundle = process.env.AWS_CA_BUNDLE;
  beforeAll(async () => {
    delete process.env.AWS_CA_BUNDLE;
    s3rver = await startS3rver(root, ['models']);
  });
  afterAll(async () => {
    await s3rver?.stop();
    if (savedCaBundle !== undefined) process.env.AWS_CA_BUNDLE = savedCaBundle;
    rmSync(root, { recursive: true, force: true });
  });

  it('gets the object streamed instead, and the copy still completes', async () => {
    const endpoint = `http://127.0.0.1:${s3rver?.port}`;
    const source = new S3ObjectStore(storeOptions(endpoint, 'models', 'in'));
    const destination = new S3ObjectStore(storeOptions(endpoint, 'models', 'out'));
    const data = pseudoRandom(12 * MiB, 3);
    await source.write('big.bin', Readable.from([data]), { size: data.length, partSizeInBytes: 5 * MiB });
    try {
      expect(await destination.copyFrom(source, 'big.bin', 'big.bin', { size: data.length })).toBeUndefined();
      const plan = planCopy(await listForPlan(source), await listForPlan(destination), { mode: 'copy' });
      const result = await copyObjects({ source, destination, plan, partSizeInBytes: 5 * MiB, retries: 0 });
      const copied = result.entries.filter((entry) => entry.action === 'copy');
      expect(copied).toHaveLength(1);
      expect(copied[0]).toMatchObject({ key: 'big.bin', size: data.length });
      expect(copied[0]?.serverSide).toBeFalsy();
      expect((await destination.stat('big.bin'))?.size).toBe(data.length);
    } finally {
      source.destroy();
      destination.destroy();
    }
  });
});
