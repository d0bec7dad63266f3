// The stores' plain-request paths for small objects (s3-direct-put.ts, blob-direct-read.ts):
// against s3rver, which checks every SigV4 signature, and Azurite, which checks every SAS; and
// against a loopback stand-in where a real service's failures or a token are needed.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import {
  AnonymousCredential,
  BlobClient,
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3RVER_CREDENTIALS, type S3rverProcess, startS3rver } from '../../../../test/support/s3rver';
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type AzuriteHandle,
  startAzurite,
} from '../../../emulator/src/azurite/azurite-process';
import { AzureBlobObjectStore } from '../../src/storage/object-stores/azure-blob-store';
import { BlobDirectReader } from '../../src/storage/object-stores/blob-direct-read';
import { isDigestRejection, ObjectStoreError } from '../../src/storage/object-stores/object-store';
import { S3ObjectStore } from '../../src/storage/object-stores/s3-store';

const BUCKET = 'direct';
const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'direct-requests-'));
let s3rver: S3rverProcess | undefined;
let azurite: AzuriteHandle | undefined;
const savedCaBundle = process.env.AWS_CA_BUNDLE;

beforeAll(async () => {
  delete process.env.AWS_CA_BUNDLE;
  const [s3, blob] = await Promise.allSettled([
    startS3rver(path.join(tempRoot, 's3rver'), [BUCKET]),
    startAzurite({ location: path.join(tempRoot, 'azurite') }),
  ]);
  if (s3.status === 'fulfilled') s3rver = s3.value;
  if (blob.status === 'fulfilled') azurite = blob.value;
  for (const result of [s3, blob]) if (result.status === 'rejected') throw result.reason;
  await sharedKeyContainer().createIfNotExists();
});

afterAll(async () => {
  await Promise.allSettled([s3rver?.stop(), azurite?.stop()]);
  if (savedCaBundle !== undefined) process.env.AWS_CA_BUNDLE = savedCaBundle;
  rmSync(tempRoot, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
const md5Base64 = (data: Buffer | string) => createHash('md5').update(data).digest('base64');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function s3Store(endpoint = `http://127.0.0.1:${s3rver?.port}`, prefix = 'root'): S3ObjectStore {
  return new S3ObjectStore({
    bucket: BUCKET,
    region: 'us-east-1',
    prefix,
    endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    checksums: 'when-required',
    maxAttempts: 1,
  });
}

/** PutObject calls that went through the SDK's client (the rest went straight to the endpoint). */
function countSdkPuts(): () => number {
  const send = vi.spyOn(S3Client.prototype, 'send');
  return () => send.mock.calls.filter(([command]) => command.constructor.name === 'PutObjectCommand').length;
}

describe('S3 single-request writes', () => {
  it('go straight to S3 after the first, keeping keys, content type, metadata and the MD5 check', async () => {
    const sdkPuts = countSdkPuts();
    const store = s3Store();
    const objects = [
      { key: 'first.txt', body: 'learnt through the SDK' },
      { key: "dir with space/modèle ✓ 模型/it's (1)*!.bin", body: 'unicode and sub-delims' },
      { key: 'a/b/c/plus+equals=amp&.json', body: '{"ok":true}' },
      { key: 'empty.bin', body: '' },
    ];
    for (const { key, body } of objects) {
      const written = await store.write(key, Readable.from([Buffer.from(body)]), {
        size: Buffer.byteLength(body),
        contentType: 'application/x-test',
        metadata: { Origin: 'direct-test', run: '7' },
        md5: md5Hex(body),
      });
      expect(written).toMatchObject({ key, size: Buffer.byteLength(body), md5: md5Hex(body) });
    }
    // Only the first went through the SDK; s3rver checked the signature of every one.
    expect(sdkPuts()).toBe(1);
    for (const { key, body } of objects) {
      expect(await store.stat(key)).toMatchObject({
        key,
        size: Buffer.byteLength(body),
        contentType: 'application/x-test',
        metadata: { origin: 'direct-test', run: '7' },
      });
      expect((await readAll(await store.openRead(key))).toString()).toBe(body);
    }
    store.destroy();
  });

  it('cut the request short when aborted or when the body fails, so S3 stores nothing', async () => {
    // s3rver keeps a truncated body (S3 answers IncompleteBody and keeps nothing), so a stand-in
    // records what arrived: each request's bytes and whether its body ended.
    const received: { bytes: number; ended: boolean }[] = [];
    const server = http.createServer((request, response) => {
      const record = { bytes: 0, ended: false };
      received.push(record);
      request.on('data', (chunk: Buffer) => {
        record.bytes += chunk.length;
      });
      request.once('end', () => {
        record.ended = true;
        response.writeHead(200, { etag: '"00000000000000000000000000000000"' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = s3Store(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '');
    try {
      await store.write('learn.txt', Readable.from([Buffer.from('x')]), { size: 1 });
      const sdkPuts = countSdkPuts();

      const controller = new AbortController();
      const endless = new Readable({ read() {} });
      endless.push(Buffer.alloc(1024));
      const aborted = store.write('aborted.bin', endless, { size: 4096, abortSignal: controller.signal });
      setTimeout(() => controller.abort(new Error('stop')), 50);
      await expect(aborted).rejects.toThrow(/stop/);
      endless.destroy();

      const failing = new Readable({ read() {} });
      failing.push(Buffer.alloc(1024));
      const broken = store.write('broken.bin', failing, { size: 4096 });
      setTimeout(() => failing.destroy(new Error('source went away')), 50);
      await expect(broken).rejects.toThrow(/source went away/);

      expect(sdkPuts()).toBe(0);
      await vi.waitFor(() => expect(received).toHaveLength(3));
      expect(received.slice(1)).toEqual([
        { bytes: 1024, ended: false },
        { bytes: 1024, ended: false },
      ]);
    } finally {
      store.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("report S3's error answers as the SDK would, and send a signed, unsigned-payload request", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const answers = [
      { status: 200, code: '' },
      { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
      {
        status: 400,
        code: 'BadDigest',
        message: 'The Content-MD5 you specified did not match what we received.',
      },
    ];
    const server = http.createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      request.once('end', () => {
        const answer = answers[Math.min(seen.length - 1, answers.length - 1)] as (typeof answers)[number];
        if (answer.status === 200) {
          response.writeHead(200, { etag: `"${md5Hex('one')}"` }).end();
          return;
        }
        response
          .writeHead(answer.status, {
            'content-type': 'application/xml',
            'x-amz-request-id': `req-${seen.length}`,
          })
          .end(
            `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${answer.code}</Code><Message>${answer.message}</Message></Error>`,
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = s3Store(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '');
    try {
      await store.write('one.txt', Readable.from([Buffer.from('one')]), { size: 3 });
      const slowDown = await store
        .write('two.txt', Readable.from([Buffer.from('two')]), {
          size: 3,
          md5: md5Hex('two'),
          metadata: { k: 'v' },
          contentType: 'text/plain',
        })
        .catch((e: unknown) => e);
      expect(slowDown).toBeInstanceOf(ObjectStoreError);
      expect(slowDown).toMatchObject({
        status: 503,
        code: 'SlowDown',
        requestId: 'req-2',
        operation: 'write',
        key: 'two.txt',
      });
      expect((slowDown as ObjectStoreError).transient).toBe(true);
      expect(String((slowDown as Error).message)).toContain('Please reduce your request rate.');

      const refused = await store
        .write('three.txt', Readable.from([Buffer.from('3')]), { size: 1, md5: md5Hex('x') })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 400, code: 'BadDigest' });
      expect(isDigestRejection(refused)).toBe(true);

      const direct = seen[1] as http.IncomingHttpHeaders;
      expect(direct.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
      expect(direct.authorization).toMatch(/SignedHeaders=[^,]*content-md5[^,]*x-amz-meta-k/);
      expect(direct).toMatchObject({
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        'content-md5': md5Base64('two'),
        'content-type': 'text/plain',
        'content-length': '3',
        'x-amz-meta-k': 'v',
      });
    } finally {
      store.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('S3 multi-part writes', () => {
  it('send their parts on kept-alive connections, without waiting for 100-continue', async () => {
    // The SDK gives every `Expect: 100-continue` request a connection of its own.
    const parts: { expect: string | undefined; socket: string }[] = [];
    const server = http.createServer((request, response) => {
      request.resume();
      request.once('end', () => {
        const url = new URL(request.url ?? '/', 'http://stand-in');
        if (request.method === 'POST' && url.searchParams.has('uploads')) {
          response
            .writeHead(200, { 'content-type': 'application/xml' })
            .end(
              '<InitiateMultipartUploadResult><Bucket>direct</Bucket><Key>big.bin</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>',
            );
        } else if (request.method === 'PUT' && url.searchParams.has('partNumber')) {
          parts.push({
            expect: request.headers.expect,
            socket: `${request.socket.remoteAddress}:${request.socket.remotePort}`,
          });
          response.writeHead(200, { etag: `"part-${url.searchParams.get('partNumber')}"` }).end();
        } else if (request.method === 'POST' && url.searchParams.get('uploadId') === 'upload-1') {
          response
            .writeHead(200, { 'content-type': 'application/xml' })
            .end('<CompleteMultipartUploadResult><ETag>"whole-8"</ETag></CompleteMultipartUploadResult>');
        } else {
          response.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = new S3ObjectStore({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      checksums: 'when-required',
      queueSize: 2,
    });
    const MiB = 1024 * 1024;
    try {
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < 40; i++) yield Buffer.alloc(MiB, i);
        })(),
      );
      const written = await store.write('big.bin', body, { partSizeInBytes: 5 * MiB });
      expect(written).toMatchObject({ key: 'big.bin', size: 40 * MiB, etag: '"whole-8"' });
      expect(parts).toHaveLength(8);
      expect(parts.filter((part) => part.expect !== undefined)).toEqual([]);
      // Two parts in flight, and at most as many sockets still being handed back as the next
      // parts start: a few connections carry all eight (one each would be eight).
      expect(new Set(parts.map((part) => part.socket)).size).toBeLessThanOrEqual(4);
    } finally {
      store.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function sharedKeyContainer(): ContainerClient {
  return new BlobServiceClient(
    azurite?.account.blobEndpoint ?? '',
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  ).getContainerClient(BUCKET);
}

describe('Blob single-request reads', () => {
  it('read small blobs of known size with one GET, through a SAS made from the account key', async () => {
    const container = sharedKeyContainer();
    const key = "dir with space/modèle ✓ 模型/it's (1)#?.bin";
    await container.getBlockBlobClient(`root/${key}`).uploadData(Buffer.from('small blob'));
    const download = vi.spyOn(BlobClient.prototype, 'download');
    const store = new AzureBlobObjectStore({ container, prefix: 'root' });
    expect((await readAll(await store.openRead(key, { size: 10 }))).toString()).toBe('small blob');
    expect((await readAll(await store.openRead(key, { size: 10 }))).toString()).toBe('small blob');
    expect(download).not.toHaveBeenCalled();
    // Without a size (or beyond the limit) the SDK's resuming download reads it.
    expect((await readAll(await store.openRead(key))).toString()).toBe('small blob');
    expect(download).toHaveBeenCalledTimes(1);
  });

  it("read through the container URL's own SAS, and report the service's refusal and 404 as the SDK would", async () => {
    const container = sharedKeyContainer();
    await container.getBlockBlobClient('sas/data.txt').uploadData(Buffer.from('through a SAS'));
    const sasFor = (permissions: string) =>
      container.generateSasUrl({
        permissions: ContainerSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      });
    const readable = new AzureBlobObjectStore({ container: new ContainerClient(await sasFor('r')) });
    expect((await readAll(await readable.openRead('sas/data.txt', { size: 13 }))).toString()).toBe(
      'through a SAS',
    );

    const missing = await readable.openRead('sas/missing.txt', { size: 1 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ObjectStoreError);
    expect(missing).toMatchObject({
      status: 404,
      code: 'BlobNotFound',
      operation: 'read',
      key: 'sas/missing.txt',
    });
    expect((missing as ObjectStoreError).requestId).toMatch(/\S/);
    expect(String((missing as Error).message)).not.toContain('sig=');

    const listOnly = new AzureBlobObjectStore({ container: new ContainerClient(await sasFor('l')) });
    const refused = await listOnly.openRead('sas/data.txt', { size: 13 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, operation: 'read' });
    expect((refused as ObjectStoreError).code).toMatch(/Authorization/);
    expect((refused as ObjectStoreError).transient).toBe(false);
  });

  it("send the identity's bearer token, asking for a new one only as it nears expiry", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let issued = 0;
    const tokens: AccessToken[] = [
      { token: 'token-1', expiresOnTimestamp: Date.now() + 2 * 60_000 },
      { token: 'token-2', expiresOnTimestamp: Date.now() + 3600_000 },
    ];
    const credential: TokenCredential = {
      getToken: async (scopes) => {
        expect(scopes).toBe('https://storage.azure.com/.default');
        return tokens[Math.min(issued++, tokens.length - 1)] as AccessToken;
      },
    };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/devstoreaccount1/models`;
    const reader = BlobDirectReader.for(new ContainerClient(url, credential), {});
    try {
      expect(reader).toBeDefined();
      // token-1 expires within the 5-minute margin: every read asks again, and gets token-2.
      for (let i = 0; i < 3; i++)
        expect(
          (await readAll(await (reader as BlobDirectReader).read('a/b.bin', undefined))).toString(),
        ).toBe('ok');
      expect(seen.map((h) => h.authorization)).toEqual([
        'Bearer token-1',
        'Bearer token-2',
        'Bearer token-2',
      ]);
      expect(issued).toBe(2);
      expect(seen[0]?.['x-ms-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      reader?.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stay on the SDK behind a proxy, which node:http would not use', () => {
    const container = new ContainerClient('https://acct.blob.core.windows.net/c', new AnonymousCredential());
    expect(BlobDirectReader.for(container, {})).toBeDefined();
    expect(BlobDirectReader.for(container, { HTTPS_PROXY: 'http://proxy:3128' })).toBeUndefined();
    expect(BlobDirectReader.for(container, { http_proxy: 'http://proxy:3128' })).toBeUndefined();
  });
});
