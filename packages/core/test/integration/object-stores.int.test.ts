// Every ObjectStore against a real server on loopback: a folder, Azure Blob on Azurite, S3 on
// s3rver, GCS on the emulator's GCS stand-in. One table of behaviours, run for each store.

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, type S3rverProcess, startS3rver } from '../../../../test/support/s3rver';
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type AzuriteHandle,
  startAzurite,
} from '../../../emulator/src/azurite/azurite-process';
import { type GcsStandIn, startGcsStandIn } from '../../../emulator/src/gcs';
import { ConfigurationError } from '../../src/errors';
import { AzureBlobObjectStore } from '../../src/storage/object-stores/azure-blob-store';
import { GcsObjectStore } from '../../src/storage/object-stores/gcs-store';
import { LocalObjectStore } from '../../src/storage/object-stores/local-store';
import {
  type ObjectStore,
  ObjectStoreError,
  type StoredObject,
} from '../../src/storage/object-stores/object-store';
import { S3ObjectStore } from '../../src/storage/object-stores/s3-store';

const MiB = 1024 * 1024;
const BUCKET = 'models';

/** Deterministic bytes, so a part that lands in the wrong place changes the hash. */
function pseudoRandom(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

/** A body in 1 MiB pieces, as a file or network stream would arrive. */
function streamOf(data: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += MiB) yield data.subarray(offset, offset + MiB);
    })(),
  );
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function collect(iterable: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const items: StoredObject[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const md5Hex = (data: Buffer) => createHash('md5').update(data).digest('hex');

interface StoreFactory {
  name: string;
  /** A store rooted at `prefix`, listing `listPageSize` keys per page where the API allows. */
  create(options: { prefix?: string; listPageSize?: number }): ObjectStore;
  /** Whether content type and custom metadata survive (a plain folder keeps neither). */
  keepsMetadata: boolean;
  /** Description of a store rooted at 'root'. */
  describes: RegExp;
  /** Whether write() reports an MD5 the service computed, for a one-request and a multi-part upload. */
  reportsMd5: { single: boolean; multipart: boolean };
  /** What a one-request write given the wrong `md5` does: refused by the service, or stored with the real MD5 reported. */
  wrongMd5?: 'refused' | 'reported';
}

const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'object-stores-'));
let azurite: AzuriteHandle | undefined;
let s3rver: S3rverProcess | undefined;
let s3Endpoint = '';
let gcs: GcsStandIn | undefined;
let blobService: BlobServiceClient | undefined;
const savedEnv = {
  AWS_CA_BUNDLE: process.env.AWS_CA_BUNDLE,
  STORAGE_EMULATOR_HOST: process.env.STORAGE_EMULATOR_HOST,
};

beforeAll(async () => {
  // Nothing here may depend on the machine's AWS or GCS settings.
  delete process.env.AWS_CA_BUNDLE;
  delete process.env.STORAGE_EMULATOR_HOST;
  const [azuriteHandle, s3rverProcess, gcsStandIn] = await Promise.allSettled([
    startAzurite({ location: path.join(tempRoot, 'azurite') }),
    startS3rver(path.join(tempRoot, 's3rver'), [BUCKET]),
    startGcsStandIn({ buckets: [BUCKET] }),
  ]);
  // Keep whatever started, so afterAll stops it even when another failed.
  if (azuriteHandle.status === 'fulfilled') azurite = azuriteHandle.value;
  if (s3rverProcess.status === 'fulfilled') s3rver = s3rverProcess.value;
  if (gcsStandIn.status === 'fulfilled') gcs = gcsStandIn.value;
  for (const result of [azuriteHandle, s3rverProcess, gcsStandIn])
    if (result.status === 'rejected') throw result.reason;
  if (azuriteHandle.status !== 'fulfilled' || s3rverProcess.status !== 'fulfilled') return;
  s3Endpoint = `http://127.0.0.1:${s3rverProcess.value.port}`;
  blobService = new BlobServiceClient(
    azuriteHandle.value.account.blobEndpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  );
  await blobService.getContainerClient(BUCKET).createIfNotExists();
});

afterAll(async () => {
  await Promise.allSettled([azurite?.stop(), s3rver?.stop(), gcs?.stop()]);
  for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
  rmSync(tempRoot, { recursive: true, force: true });
});

const s3Options = (o: { prefix?: string; listPageSize?: number }) => ({
  bucket: BUCKET,
  region: 'us-east-1',
  endpoint: s3Endpoint,
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
  checksums: 'when-required' as const,
  maxAttempts: 1,
  ...o,
});

const factories: StoreFactory[] = [
  {
    name: 'local',
    create: ({ prefix }) => new LocalObjectStore({ directory: path.join(tempRoot, 'local', prefix ?? '') }),
    keepsMetadata: false,
    describes: /^\/.*\/local\/root$/,
    reportsMd5: { single: false, multipart: false },
  },
  {
    name: 'azure-blob',
    create: (o) =>
      new AzureBlobObjectStore({
        container: (blobService as BlobServiceClient).getContainerClient(BUCKET),
        ...o,
      }),
    keepsMetadata: true,
    describes: /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/models\/root$/,
    reportsMd5: { single: false, multipart: false },
    wrongMd5: 'refused',
  },
  {
    name: 's3',
    create: (o) => new S3ObjectStore(s3Options(o)),
    keepsMetadata: true,
    describes: /^s3:\/\/models\/root$/,
    // The ETag of a single PutObject; s3rver ignores Content-MD5 (S3 refuses a wrong one).
    reportsMd5: { single: true, multipart: false },
    wrongMd5: 'reported',
  },
  {
    name: 'gcs',
    create: (o) =>
      new GcsObjectStore({
        bucket: BUCKET,
        projectId: 'test-project',
        apiEndpoint: (gcs as GcsStandIn).url,
        ...o,
      }),
    keepsMetadata: true,
    describes: /^gs:\/\/models\/root$/,
    reportsMd5: { single: true, multipart: true },
  },
];

describe.each(factories)('$name object store', (factory) => {
  const store = () => factory.create({ prefix: 'root' });

  it('describes itself without credentials', () => {
    expect(store().description).toMatch(factory.describes);
    expect(store().description).not.toContain('S3RVER');
    expect(store().kind).toBe(factory.name);
  });

  it('writes, stats, lists and reads back a 0-byte object', async () => {
    const s = store();
    const written = await s.write('empty/zero.bin', streamOf(Buffer.alloc(0)), { size: 0 });
    expect(written).toMatchObject({ key: 'empty/zero.bin', size: 0 });
    expect(written.md5).toBe(factory.reportsMd5.single ? md5Hex(Buffer.alloc(0)) : undefined);
    expect(await s.stat('empty/zero.bin')).toMatchObject({ key: 'empty/zero.bin', size: 0 });
    expect((await collect(s.list('empty/'))).map((o) => [o.key, o.size])).toEqual([['empty/zero.bin', 0]]);
    expect((await readAll(await s.openRead('empty/zero.bin'))).length).toBe(0);
  });

  it('writes a 12 MiB object in 5 MiB parts and reads the same bytes back', async () => {
    const data = pseudoRandom(12 * MiB, 7);
    const s = store();
    // No size: the store cannot pick a single-request upload.
    const written = await s.write('big/model.bin', streamOf(data), { partSizeInBytes: 5 * MiB });
    expect(written).toMatchObject({ key: 'big/model.bin', size: data.length });
    expect(written.md5).toBe(factory.reportsMd5.multipart ? md5Hex(data) : undefined);
    expect((await s.stat('big/model.bin'))?.size).toBe(data.length);
    const back = await readAll(await s.openRead('big/model.bin'));
    expect(back.length).toBe(data.length);
    expect(md5Hex(back)).toBe(md5Hex(data));
  });

  it.runIf(factory.wrongMd5 !== undefined)(
    'has the service check the MD5 given with a one-request write',
    async () => {
      const s = store();
      const data = pseudoRandom(64 * 1024, 3);
      expect(s.checksMd5OnWrite?.(data.length, 5 * MiB)).toBe(true);
      expect(s.checksMd5OnWrite?.(6 * MiB, 5 * MiB)).toBe(false);
      const right = await s.write('md5/right.bin', streamOf(data), { size: data.length, md5: md5Hex(data) });
      expect(right.md5).toBe(md5Hex(data));
      const claimed = md5Hex(Buffer.from('other bytes'));
      const wrong = s.write('md5/wrong.bin', streamOf(data), { size: data.length, md5: claimed });
      if (factory.wrongMd5 === 'refused') {
        await expect(wrong).rejects.toMatchObject({ status: 400 });
        expect(await s.stat('md5/wrong.bin')).toBeUndefined();
      } else {
        // The caller compares what the service computed with what it claimed, and deletes.
        expect((await wrong).md5).toBe(md5Hex(data));
      }
    },
  );

  it('keeps names with spaces and unicode', async () => {
    const s = store();
    const key = 'dir with space/modèle ✓ 模型/weights #1.bin';
    await s.write(key, streamOf(Buffer.from('unicode')), { size: 7 });
    expect(await s.stat(key)).toMatchObject({ key, size: 7 });
    expect((await collect(s.list('dir with space/'))).map((o) => o.key)).toEqual([key]);
    expect((await readAll(await s.openRead(key))).toString()).toBe('unicode');
  });

  it(`${factory.keepsMetadata ? 'keeps' : 'does not keep'} content type and metadata`, async () => {
    const s = store();
    await s.write('meta/config.json', streamOf(Buffer.from('{}')), {
      size: 2,
      contentType: 'application/json',
      metadata: { origin: 'test', run: '42' },
    });
    const found = await s.stat('meta/config.json');
    if (factory.keepsMetadata) {
      expect(found).toMatchObject({
        contentType: 'application/json',
        metadata: { origin: 'test', run: '42' },
      });
    } else {
      expect(found).toEqual({ key: 'meta/config.json', size: 2 });
    }
  });

  it('lists every object across small pages, relative to its root, and only under the prefix', async () => {
    const paged = factory.create({ prefix: 'root', listPageSize: 4 });
    const keys = Array.from({ length: 11 }, (_, i) => `paged/item-${String(i).padStart(2, '0')}.txt`);
    for (const key of keys) await paged.write(key, streamOf(Buffer.from(key)), { size: key.length });
    await paged.write('pagedx/other.txt', streamOf(Buffer.from('x')), { size: 1 });
    const listed = await collect(paged.list('paged/'));
    expect(listed.map((o) => o.key).sort()).toEqual(keys);
    expect(listed.every((o) => o.size === keys[0]?.length)).toBe(true);
    // A string prefix, as S3 and GCS mean it: 'paged' matches both folders.
    expect((await collect(paged.list('paged'))).length).toBe(keys.length + 1);
    // The same objects seen from the bucket root carry the store's prefix.
    const unrooted = factory.create({});
    const fromRoot = await collect(unrooted.list('root/paged/'));
    expect(fromRoot.map((o) => o.key).sort()).toEqual(keys.map((k) => `root/${k}`));
  });

  it('deletes, and deleting a missing object is not an error', async () => {
    const s = store();
    await s.write('doomed.txt', streamOf(Buffer.from('x')), { size: 1 });
    await s.delete('doomed.txt');
    expect(await s.stat('doomed.txt')).toBeUndefined();
    await expect(s.delete('doomed.txt')).resolves.toBeUndefined();
  });

  it('answers undefined for a missing object, and a 404 naming store and key when reading one', async () => {
    const s = store();
    expect(await s.stat('missing/nothing.bin')).toBeUndefined();
    const error = await s.openRead('missing/nothing.bin').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect(error).toMatchObject({ status: 404, operation: 'read', key: 'missing/nothing.bin' });
    expect(String((error as Error).message)).toContain(`${s.description}/missing/nothing.bin`);
    expect(String((error as Error).message)).not.toMatch(/S3RVER|Eby8vdM02x/);
    expect(await collect(s.list('missing/'))).toEqual([]);
  });

  it.each(['../escape.txt', 'a/../../escape.txt', '/etc/passwd', ''])('rejects the key %j', async (key) => {
    const s = store();
    await expect(s.stat(key)).rejects.toThrow(ConfigurationError);
    await expect(s.openRead(key)).rejects.toThrow(ConfigurationError);
    await expect(s.write(key, streamOf(Buffer.from('x')), { size: 1 })).rejects.toThrow(ConfigurationError);
    await expect(s.delete(key)).rejects.toThrow(ConfigurationError);
  });

  it('rejects an escaping list prefix', async () => {
    await expect(collect(store().list('../'))).rejects.toThrow(ConfigurationError);
  });

  it('stops a write when aborted', async () => {
    const s = store();
    const controller = new AbortController();
    const body = new Readable({ read() {} });
    body.push(Buffer.alloc(1024));
    const writing = s.write('aborted/never.bin', body, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(writing).rejects.toThrow();
    body.destroy();
    expect(await s.stat('aborted/never.bin')).toBeUndefined();
  });
});

describe('local object store', () => {
  it('leaves no partial file behind when a write fails, even before its file opened', async () => {
    // The source failing at once races the file's opening: repeated so a lost race shows.
    for (let attempt = 0; attempt < 100; attempt++) {
      const directory = path.join(tempRoot, `local-partial-${attempt}`);
      const s = new LocalObjectStore({ directory });
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1000));
          this.destroy(new Error('source broke'));
        },
      });
      await expect(s.write('half.bin', failing, {})).rejects.toMatchObject({
        operation: 'write',
        key: 'half.bin',
      });
      expect(await s.stat('half.bin')).toBeUndefined();
      expect(readdirSync(directory)).toEqual([]);
    }
  });
});

describe('unreachable stores', () => {
  it('fail with a transient ObjectStoreError naming the store', async () => {
    const s = new S3ObjectStore({ ...s3Options({}), endpoint: 'http://127.0.0.1:9' });
    const error = await collect(s.list('')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect(error).toMatchObject({ status: 0, operation: 'list', transient: true });
    expect((error as Error).message).toContain('s3://models');
  });
});
