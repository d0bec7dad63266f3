// The copy engine between real stores on loopback: a folder, Azure Blob on Azurite, S3 on
// s3rver and GCS on the emulator's stand-in. Every source × destination pair copies the same
// small tree (0 bytes, unicode names, metadata, one object larger than the part size) and syncs
// it again; then faults: a corrupted byte, a dropped connection once and always, an escaping key.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import {
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
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
import { ChecksumMismatchError, crc32cToBase64, crc32cUpdate } from '../../src/storage/copy/checksums';
import {
  CopyFailedError,
  type CopyProgress,
  copyObjects,
  isTransientCopyError,
  listForPlan,
} from '../../src/storage/copy/engine';
import { planCopy } from '../../src/storage/copy/plan';
import { AzureBlobObjectStore } from '../../src/storage/object-stores/azure-blob-store';
import { GcsObjectStore } from '../../src/storage/object-stores/gcs-store';
import { LocalObjectStore } from '../../src/storage/object-stores/local-store';
import type {
  ObjectStore,
  ObjectStoreCallOptions,
  ObjectStoreKind,
  StoredObject,
  WriteObjectOptions,
} from '../../src/storage/object-stores/object-store';
import { S3ObjectStore } from '../../src/storage/object-stores/s3-store';

const MiB = 1024 * 1024;
const BUCKET = 'copies';
const KINDS: ObjectStoreKind[] = ['local', 'azure-blob', 's3', 'gcs'];

interface SeedFile {
  key: string;
  data: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
}

const TREE: SeedFile[] = [
  { key: 'empty.bin', data: Buffer.alloc(0) },
  { key: 'données/été 1.bin', data: randomBytes(3000) },
  {
    key: 'nested/dir/with space.txt',
    data: Buffer.from('hello from a text file\n'),
    contentType: 'text/plain',
    metadata: { owner: 'ml-team' },
  },
  // Larger than the 5 MiB part size: multipart, blocks, resumable chunks.
  { key: 'big/model.bin', data: randomBytes(12 * MiB) },
];

const md5Hex = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function streamOf(data: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += MiB) yield data.subarray(offset, offset + MiB);
    })(),
  );
}

const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'copy-engine-'));
let azurite: AzuriteHandle | undefined;
let s3rver: S3rverProcess | undefined;
let gcs: GcsStandIn | undefined;
let blobService: BlobServiceClient | undefined;
const s3Stores: S3ObjectStore[] = [];
const savedEnv = {
  AWS_CA_BUNDLE: process.env.AWS_CA_BUNDLE,
  STORAGE_EMULATOR_HOST: process.env.STORAGE_EMULATOR_HOST,
};

function storeOf(kind: ObjectStoreKind, prefix: string): ObjectStore {
  switch (kind) {
    case 'local':
      return new LocalObjectStore({ directory: path.join(tempRoot, 'local', prefix) });
    case 'azure-blob':
      return new AzureBlobObjectStore({
        container: (blobService as BlobServiceClient).getContainerClient(BUCKET),
        prefix,
      });
    case 's3': {
      const store = new S3ObjectStore({
        bucket: BUCKET,
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(s3rver as S3rverProcess).port}`,
        forcePathStyle: true,
        credentials: S3RVER_CREDENTIALS,
        checksums: 'when-required',
        maxAttempts: 1,
        prefix,
      });
      s3Stores.push(store);
      return store;
    }
    case 'gcs':
      return new GcsObjectStore({
        bucket: BUCKET,
        projectId: 'test-project',
        apiEndpoint: (gcs as GcsStandIn).url,
        prefix,
      });
  }
}

async function seed(store: ObjectStore, files: readonly SeedFile[]): Promise<void> {
  for (const file of files) {
    await store.write(file.key, streamOf(file.data), {
      size: file.data.length,
      partSizeInBytes: 5 * MiB,
      ...(file.contentType && { contentType: file.contentType }),
      ...(file.metadata && { metadata: file.metadata }),
    });
  }
}

async function syncPlan(source: ObjectStore, destination: ObjectStore, mode: 'copy' | 'sync' = 'sync') {
  const [from, to] = await Promise.all([
    listForPlan(source, { checksums: 'complete' }),
    listForPlan(destination, { checksums: 'complete' }),
  ]);
  return planCopy(from, to, { mode });
}

beforeAll(async () => {
  delete process.env.AWS_CA_BUNDLE;
  delete process.env.STORAGE_EMULATOR_HOST;
  const [azuriteHandle, s3rverProcess, gcsStandIn] = await Promise.allSettled([
    startAzurite({ location: path.join(tempRoot, 'azurite') }),
    startS3rver(path.join(tempRoot, 's3rver'), [BUCKET]),
    startGcsStandIn({ buckets: [BUCKET] }),
  ]);
  if (azuriteHandle.status === 'fulfilled') azurite = azuriteHandle.value;
  if (s3rverProcess.status === 'fulfilled') s3rver = s3rverProcess.value;
  if (gcsStandIn.status === 'fulfilled') gcs = gcsStandIn.value;
  for (const result of [azuriteHandle, s3rverProcess, gcsStandIn])
    if (result.status === 'rejected') throw result.reason;
  blobService = new BlobServiceClient(
    (azurite as AzuriteHandle).account.blobEndpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  );
  await blobService.getContainerClient(BUCKET).createIfNotExists();
  await Promise.all(KINDS.map((kind) => seed(storeOf(kind, 'seed'), TREE)));
});

afterAll(async () => {
  for (const store of s3Stores) store.destroy();
  await Promise.allSettled([azurite?.stop(), s3rver?.stop(), gcs?.stop()]);
  for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
  rmSync(tempRoot, { recursive: true, force: true });
});

const PAIRS = KINDS.flatMap((from) => KINDS.map((to) => ({ from, to })));

describe.each(PAIRS)('$from → $to', ({ from, to }) => {
  it('copies the tree byte for byte, keeps content type and metadata, and a second sync copies nothing', async () => {
    const source = storeOf(from, 'seed');
    const destination = storeOf(to, `pair-${from}-${to}`);
    const progress: CopyProgress[] = [];
    const first = await copyObjects({
      source,
      destination,
      plan: await syncPlan(source, destination),
      partSizeInBytes: 5 * MiB,
      concurrency: 4,
      onProgress: (p) => progress.push(p),
    });
    const total = TREE.reduce((sum, f) => sum + f.data.length, 0);
    expect(first.totals).toMatchObject({ objects: TREE.length, bytes: total, skipped: 0, deleted: 0 });
    expect(progress.at(-1)).toMatchObject({
      objectsDone: TREE.length,
      objectsTotal: TREE.length,
      bytesDone: total,
      bytesTotal: total,
    });
    for (const file of TREE) {
      const entry = first.entries.find((e) => e.key === file.key);
      expect(entry).toMatchObject({
        key: file.key,
        size: file.data.length,
        md5: md5Hex(file.data),
        action: 'copy',
      });
      const back = await readAll(await destination.openRead(file.key));
      expect(back.length).toBe(file.data.length);
      expect(md5Hex(back)).toBe(md5Hex(file.data));
    }
    // Same cloud and account: the service copies (S3 CopyObject, GCS rewrite).
    const serverSide = from === to && from !== 'local';
    expect(first.entries.every((e) => (e.serverSide ?? false) === serverSide)).toBe(true);
    if (from !== 'local' && to !== 'local') {
      const text = await destination.stat('nested/dir/with space.txt');
      expect(text?.contentType).toBe('text/plain');
      expect(text?.metadata).toMatchObject({ owner: 'ml-team' });
    }

    const second = await copyObjects({
      source,
      destination,
      plan: await syncPlan(source, destination),
      partSizeInBytes: 5 * MiB,
    });
    expect(second.totals).toMatchObject({ objects: 0, bytes: 0, skipped: TREE.length });
    expect(second.entries.map((e) => e.reason)).toEqual(TREE.map(() => expect.stringMatching(/^identical /)));
  });
});

/** A store that delegates to another, with its reads passed through `reading`. */
class WrappedStore implements ObjectStore {
  readonly reads = new Map<string, number>();
  constructor(
    private readonly inner: ObjectStore,
    private readonly reading: (key: string, attempt: number) => Transform | undefined,
    private readonly extraKeys: readonly string[] = [],
  ) {}
  get kind(): ObjectStoreKind {
    return this.inner.kind;
  }
  get description(): string {
    return `wrapped ${this.inner.description}`;
  }
  async *list(prefix: string, options?: ObjectStoreCallOptions): AsyncIterable<StoredObject> {
    yield* this.inner.list(prefix, options);
    for (const key of this.extraKeys) yield { key, size: 1 };
  }
  stat(key: string, options?: ObjectStoreCallOptions) {
    return this.inner.stat(key, options);
  }
  async openRead(key: string, options?: ObjectStoreCallOptions): Promise<NodeJS.ReadableStream> {
    const attempt = (this.reads.get(key) ?? 0) + 1;
    this.reads.set(key, attempt);
    const stream = await this.inner.openRead(key, options);
    const through = this.reading(key, attempt);
    if (!through) return stream;
    pipeline(stream, through, () => undefined);
    return through;
  }
  write(key: string, body: Readable, options: WriteObjectOptions) {
    return this.inner.write(key, body, options);
  }
  delete(key: string, options?: ObjectStoreCallOptions) {
    return this.inner.delete(key, options);
  }
}

/** Flips the byte at `offset` of the stream. */
function flipByte(offset: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (offset >= seen && offset < seen + chunk.length) {
        const copy = Buffer.from(chunk);
        copy[offset - seen] = (copy[offset - seen] as number) ^ 0xff;
        chunk = copy;
      }
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

/** Passes `after` bytes, then fails as a dropped connection does. */
function dropAfter(after: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (seen + chunk.length > after) {
        done(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }));
        return;
      }
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

const faultSeed = (): SeedFile[] => [
  { key: 'small.bin', data: randomBytes(4096) },
  { key: 'large.bin', data: randomBytes(12 * MiB) },
];

describe.each(KINDS)('faults with %s as the destination', (to) => {
  it('detects a corrupted byte and leaves nothing at the destination name, small or multipart', async () => {
    const files = faultSeed();
    const origin = storeOf('local', `corrupt-src-${to}`);
    await seed(origin, files);
    const source = new WrappedStore(origin, (key) => flipByte(key === 'large.bin' ? 11 * MiB : 100));
    const destination = storeOf(to, `corrupt-${to}`);
    // The listing reports the original md5 (hashed from the real file); the read is corrupted.
    const plan = planCopy(await listForPlan(origin, { checksums: 'complete' }), [], { mode: 'copy' });
    expect(plan.entries.every((e) => e.source?.md5)).toBe(true);
    const failed = await copyObjects({
      source,
      destination,
      plan,
      partSizeInBytes: 5 * MiB,
      retryDelayInMs: 1,
    }).then(
      () => expect.unreachable(),
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(CopyFailedError);
    const failures = (failed as CopyFailedError).failures;
    expect(failures.map((f) => f.key).sort()).toEqual(['large.bin', 'small.bin']);
    // Up to a part, S3 and Blob get the source's MD5 with the upload and the service checks the
    // bytes (Azurite refuses them; s3rver's ETag gives them away): caught at the destination.
    const checkedByService = to === 's3' || to === 'azure-blob';
    for (const failure of failures) {
      expect(failure.error).toBeInstanceOf(ChecksumMismatchError);
      const stage = failure.key === 'small.bin' && checkedByService ? 'destination' : 'transfer';
      expect(failure.error).toMatchObject({ algorithm: 'md5', stage });
    }
    // A mismatch is not retried.
    expect(source.reads.get('small.bin')).toBe(1);
    expect(await destination.stat('small.bin')).toBeUndefined();
    expect(await destination.stat('large.bin')).toBeUndefined();
    expect(await listForPlan(destination)).toEqual([]);
  });

  it('retries a connection dropped mid-stream by re-opening the source, and succeeds', async () => {
    const files = faultSeed();
    const origin = storeOf('local', `flaky-src-${to}`);
    await seed(origin, files);
    const source = new WrappedStore(origin, (key, attempt) =>
      attempt === 1 ? dropAfter(key === 'large.bin' ? 7 * MiB : 1000) : undefined,
    );
    const destination = storeOf(to, `flaky-${to}`);
    const plan = planCopy(await listForPlan(origin, { checksums: 'complete' }), [], { mode: 'copy' });
    const result = await copyObjects({
      source,
      destination,
      plan,
      partSizeInBytes: 5 * MiB,
      retryDelayInMs: 1,
    });
    expect(result.totals).toMatchObject({ objects: 2, bytes: 4096 + 12 * MiB });
    expect(source.reads.get('large.bin')).toBe(2);
    expect(source.reads.get('small.bin')).toBe(2);
    for (const file of files)
      expect(md5Hex(await readAll(await destination.openRead(file.key)))).toBe(md5Hex(file.data));
  });

  it('fails cleanly when the connection always drops, with nothing partial left', async () => {
    const files = faultSeed();
    const origin = storeOf('local', `broken-src-${to}`);
    await seed(origin, files);
    const source = new WrappedStore(origin, (key) => dropAfter(key === 'large.bin' ? 7 * MiB : 1000));
    const destination = storeOf(to, `broken-${to}`);
    const plan = planCopy(await listForPlan(source), [], { mode: 'copy' });
    const failed = await copyObjects({
      source,
      destination,
      plan,
      partSizeInBytes: 5 * MiB,
      retries: 2,
      retryDelayInMs: 1,
    }).then(
      () => expect.unreachable(),
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(CopyFailedError);
    for (const failure of (failed as CopyFailedError).failures) {
      expect(isTransientCopyError(failure.error)).toBe(true);
      expect(failure.error).toMatchObject({ code: 'ECONNRESET' });
    }
    expect(source.reads.get('large.bin')).toBe(3);
    expect(await destination.stat('small.bin')).toBeUndefined();
    expect(await destination.stat('large.bin')).toBeUndefined();
    expect(await listForPlan(destination)).toEqual([]);
    expect((failed as CopyFailedError).result.totals).toMatchObject({ objects: 0, bytes: 0 });
  });
});

describe('server-side copies between blob containers', () => {
  const blobStore = (prefix: string, options: { sas?: boolean; syncCopyLimitInBytes?: number } = {}) => {
    const container = (blobService as BlobServiceClient).getContainerClient(BUCKET);
    const sasUrl = () =>
      container.generateSasUrl({
        permissions: ContainerSASPermissions.parse('rwdl'),
        expiresOn: new Date(Date.now() + 3600_000),
      });
    return (options.sas ? sasUrl() : Promise.resolve(undefined)).then(
      (url) =>
        new AzureBlobObjectStore({
          container: url ? new ContainerClient(url) : container,
          prefix,
          ...(options.syncCopyLimitInBytes !== undefined && {
            syncCopyLimitInBytes: options.syncCopyLimitInBytes,
          }),
        }),
    );
  };

  it('uses Copy Blob beyond the Copy Blob From URL limit, and reads through a SAS source', async () => {
    const source = await blobStore('seed', { sas: true });
    // 1 MiB: the 12 MiB object takes the asynchronous Copy Blob, the others the synchronous one.
    const destination = await blobStore('blob-async', { syncCopyLimitInBytes: MiB });
    const result = await copyObjects({ source, destination, plan: await syncPlan(source, destination) });
    expect(result.entries.every((e) => e.serverSide)).toBe(true);
    for (const file of TREE) {
      expect(md5Hex(await readAll(await destination.openRead(file.key)))).toBe(md5Hex(file.data));
    }
    const text = await destination.stat('nested/dir/with space.txt');
    expect(text).toMatchObject({ contentType: 'text/plain', metadata: { owner: 'ml-team' } });
  });

  it('streams when the destination service cannot reach the source', async () => {
    const source = storeOf('azure-blob', 'seed');
    // Another origin (the same Azurite by name instead of address): an emulator reaches only itself.
    const otherOrigin = new AzureBlobObjectStore({
      container: new ContainerClient(
        `${(azurite as AzuriteHandle).account.blobEndpoint.replace('127.0.0.1', 'localhost')}/${BUCKET}`,
        new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
      ),
      prefix: 'blob-streamed',
    });
    const result = await copyObjects({
      source,
      destination: otherOrigin,
      plan: await syncPlan(source, otherOrigin),
    });
    expect(result.entries.some((e) => e.serverSide)).toBe(false);
    expect(result.totals.objects).toBe(TREE.length);
  });
});

describe('copy engine', () => {
  it('copies 1000 small objects with bounded concurrency, then syncs none', async () => {
    const files = Array.from({ length: 1000 }, (_, i) => ({
      key: `many/${String(Math.floor(i / 100))}/obj-${i}.txt`,
      data: Buffer.from(`object ${i}\n`),
    }));
    const source = storeOf('local', 'many-src');
    await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        seed(
          source,
          files.filter((_, i) => i % 10 === w),
        ),
      ),
    );
    const destination = storeOf('s3', 'many-dst');
    const started = performance.now();
    const result = await copyObjects({
      source,
      destination,
      plan: await syncPlan(source, destination),
      concurrency: 16,
    });
    const seconds = (performance.now() - started) / 1000;
    expect(result.totals).toMatchObject({ objects: 1000, skipped: 0 });
    expect((await listForPlan(destination)).length).toBe(1000);
    const again = await copyObjects({
      source,
      destination,
      plan: await syncPlan(source, destination),
      concurrency: 16,
    });
    expect(again.totals).toMatchObject({ objects: 0, skipped: 1000 });
    console.info(`1000 objects local → s3rver: ${seconds.toFixed(1)} s`);
  });

  it('deletes extraneous objects in sync mode only when asked, after the copies', async () => {
    const source = storeOf('local', 'extra-src');
    const destination = storeOf('gcs', 'extra-dst');
    await seed(source, [{ key: 'keep.bin', data: Buffer.from('keep') }]);
    await seed(destination, [{ key: 'stale.bin', data: Buffer.from('stale') }]);
    const [from, to] = await Promise.all([
      listForPlan(source, { checksums: 'complete' }),
      listForPlan(destination),
    ]);
    const result = await copyObjects({
      source,
      destination,
      plan: planCopy(from, to, { mode: 'sync', deleteExtraneous: true }),
    });
    expect(result.totals).toMatchObject({ objects: 1, deleted: 1 });
    expect((await listForPlan(destination)).map((o) => o.key)).toEqual(['keep.bin']);
  });

  it('stores sha256 as metadata where no store keeps it, and verifies it on the way back', async () => {
    const data = randomBytes(100_000);
    const source = storeOf('local', 'sha-src');
    await seed(source, [{ key: 'w.bin', data }]);
    const azure = storeOf('azure-blob', 'sha-mid');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const there = await copyObjects({
      source,
      destination: azure,
      plan: planCopy(await listForPlan(source), [], { mode: 'copy' }),
      checksum: 'sha256',
    });
    expect(there.entries[0]).toMatchObject({ key: 'w.bin', sha256 });
    // The first leg knew no checksum up front; a second leg from a source that does records it.
    const s3 = storeOf('s3', 'sha-dst');
    const plan = planCopy(
      (await listForPlan(azure)).map((o) => ({ ...o, metadata: { ...o.metadata, aml_sha256: sha256 } })),
      [],
      { mode: 'copy' },
    );
    const back = await copyObjects({ source: azure, destination: s3, plan, checksum: 'sha256' });
    expect(back.entries[0]).toMatchObject({ sha256 });
    expect((await s3.stat('w.bin'))?.metadata).toMatchObject({ aml_sha256: sha256 });
    // A wrong expected sha256 fails the copy.
    const wrong = planCopy(
      [{ key: 'w.bin', size: data.length, metadata: { aml_sha256: '0'.repeat(64) } }],
      [],
      { mode: 'copy' },
    );
    const dest = storeOf('gcs', 'sha-wrong');
    await expect(copyObjects({ source, destination: dest, plan: wrong, checksum: 'sha256' })).rejects.toThrow(
      CopyFailedError,
    );
    expect(await dest.stat('w.bin')).toBeUndefined();
  });

  it('rejects a listed key that would escape the destination prefix before copying anything', async () => {
    const origin = storeOf('local', 'escape-src');
    await seed(origin, [{ key: 'fine.bin', data: Buffer.from('x') }]);
    const source = new WrappedStore(origin, () => undefined, ['../../outside.bin']);
    expect(() => planCopy([], [], { mode: 'copy' })).not.toThrow();
    const listed = await listForPlan(source);
    expect(() => planCopy(listed, [], { mode: 'copy' })).toThrow(ConfigurationError);
    expect(await storeOf('local', 'escape-dst').stat('fine.bin')).toBeUndefined();
  });

  it('computes CRC32C as GCS does', () => {
    // The standard check value of CRC-32C over "123456789".
    expect(crc32cUpdate(0, Buffer.from('123456789'))).toBe(0xe3069283);
    const data = randomBytes(10_001);
    const whole = crc32cUpdate(0, data);
    expect(crc32cUpdate(crc32cUpdate(0, data.subarray(0, 4097)), data.subarray(4097))).toBe(whole);
    expect(crc32cToBase64(0xe3069283)).toBe(Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
  });
});
