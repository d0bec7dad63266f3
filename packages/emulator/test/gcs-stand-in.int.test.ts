// The GCS stand-in, exercised only through the real @google-cloud/storage client: uploads (one
// request, resumable, chunked resumable), hashes the client verifies, listing pages, rewrite,
// delete, errors, and persistence across a restart.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c, crc32cBase64, type GcsStandIn, startGcsStandIn } from '../src/gcs';

const PROJECT = 'stand-in-project';

function pseudoRandom(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

async function download(storage: Storage, bucket: string, name: string): Promise<Buffer> {
  const [data] = await storage.bucket(bucket).file(name).download();
  return data;
}

async function upload(
  storage: Storage,
  bucket: string,
  name: string,
  data: Buffer,
  options: {
    resumable: boolean;
    chunkSize?: number;
    contentType?: string;
    metadata?: Record<string, string>;
  },
): Promise<void> {
  const stream = storage
    .bucket(bucket)
    .file(name)
    .createWriteStream({
      resumable: options.resumable,
      validation: 'crc32c',
      ...(options.chunkSize && { chunkSize: options.chunkSize }),
      ...(options.contentType && { contentType: options.contentType }),
      ...(options.metadata && { metadata: { metadata: options.metadata } }),
    });
  await pipeline(Readable.from([data]), stream);
}

describe('crc32c', () => {
  it.each([
    ['', 0],
    ['123456789', 0xe3069283],
    ['a', 0xc1d04330],
  ])('of %j is %i', (text, expected) => {
    expect(crc32c(Buffer.from(text))).toBe(expected);
  });

  it('is base64 of the big-endian bytes', () => {
    expect(crc32cBase64(Buffer.from('123456789'))).toBe(
      Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'),
    );
  });
});

describe('GCS stand-in with @google-cloud/storage', () => {
  let standIn: GcsStandIn;
  let storage: Storage;
  const savedEmulatorHost = process.env.STORAGE_EMULATOR_HOST;

  beforeAll(async () => {
    delete process.env.STORAGE_EMULATOR_HOST;
    standIn = await startGcsStandIn();
    storage = new Storage({ projectId: PROJECT, apiEndpoint: standIn.url, retryOptions: { maxRetries: 0 } });
    await storage.createBucket('models');
  });

  afterAll(async () => {
    await standIn?.stop();
    if (savedEmulatorHost !== undefined) process.env.STORAGE_EMULATOR_HOST = savedEmulatorHost;
  });

  it('creates buckets and refuses a duplicate with 409', async () => {
    const [exists] = await storage.bucket('models').exists();
    expect(exists).toBe(true);
    await expect(storage.createBucket('models')).rejects.toMatchObject({ code: 409 });
    const [missing] = await storage.bucket('no-such-bucket').exists();
    expect(missing).toBe(false);
  });

  it.each([
    { label: 'one multipart request', resumable: false, size: 1000 },
    { label: 'a resumable upload in one PUT', resumable: true, size: 3 * 1024 * 1024 + 7 },
    {
      label: 'a resumable upload in 256 KiB chunks',
      resumable: true,
      size: 1024 * 1024 + 5,
      chunkSize: 256 * 1024,
    },
    { label: 'an empty multipart upload', resumable: false, size: 0 },
    { label: 'an empty resumable upload', resumable: true, size: 0 },
  ])('stores $label with the hashes the client verifies', async ({ resumable, size, chunkSize }) => {
    const data = pseudoRandom(size, size + 1);
    const name = `uploads/${resumable ? 'r' : 'm'}-${size}-${chunkSize ?? 0}.bin`;
    await upload(storage, 'models', name, data, { resumable, ...(chunkSize && { chunkSize }) });
    const [metadata] = await storage.bucket('models').file(name).getMetadata();
    expect(Number(metadata.size)).toBe(size);
    expect(metadata.md5Hash).toBe(createHash('md5').update(data).digest('base64'));
    expect(metadata.crc32c).toBe(crc32cBase64(data));
    // download() validates x-goog-hash: a wrong hash would reject here.
    expect((await download(storage, 'models', name)).equals(data)).toBe(true);
  });

  it('keeps content type, custom metadata, and names with spaces, unicode and slashes', async () => {
    const name = 'dir/sub dir/modèle ✓ #1?.txt';
    await upload(storage, 'models', name, Buffer.from('hello'), {
      resumable: false,
      contentType: 'text/plain',
      metadata: { origin: 'test' },
    });
    const [metadata] = await storage.bucket('models').file(name).getMetadata();
    expect(metadata).toMatchObject({ name, contentType: 'text/plain', metadata: { origin: 'test' } });
    expect((await download(storage, 'models', name)).toString()).toBe('hello');
  });

  it('serves byte ranges', async () => {
    await upload(storage, 'models', 'range.txt', Buffer.from('0123456789'), { resumable: false });
    const [part] = await storage.bucket('models').file('range.txt').download({ start: 2, end: 5 });
    expect(part.toString()).toBe('2345');
  });

  it('lists every object across pages, with prefix and delimiter', async () => {
    for (let i = 0; i < 25; i++) {
      await upload(storage, 'models', `paged/item-${String(i).padStart(2, '0')}`, Buffer.from(String(i)), {
        resumable: false,
      });
    }
    const [firstPage, nextQuery] = await storage
      .bucket('models')
      .getFiles({ prefix: 'paged/', maxResults: 10, autoPaginate: false });
    expect(firstPage).toHaveLength(10);
    expect(nextQuery).toMatchObject({ pageToken: expect.any(String) });
    const names: string[] = [];
    let pages = 0;
    let pageToken: string | undefined;
    do {
      const [files, next] = await storage
        .bucket('models')
        .getFiles({ prefix: 'paged/', maxResults: 10, autoPaginate: false, ...(pageToken && { pageToken }) });
      names.push(...files.map((f) => f.name));
      pages += 1;
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `paged/item-${String(i).padStart(2, '0')}`));
    const [, , response] = await storage
      .bucket('models')
      .getFiles({ delimiter: '/', autoPaginate: false, prefix: '' });
    expect((response as { prefixes?: string[] }).prefixes).toEqual(
      expect.arrayContaining(['paged/', 'uploads/']),
    );
    // A folder spread over pages is reported once.
    const folders: string[] = [];
    let folderToken: string | undefined;
    do {
      const [, next, page] = await storage.bucket('models').getFiles({
        delimiter: '/',
        maxResults: 1,
        autoPaginate: false,
        ...(folderToken && { pageToken: folderToken }),
      });
      folders.push(...((page as { prefixes?: string[] }).prefixes ?? []));
      folderToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (folderToken);
    expect(folders.filter((f) => f === 'paged/')).toHaveLength(1);
    expect(folders).toEqual(expect.arrayContaining(['paged/', 'uploads/', 'dir/']));
  });

  it('copies with rewrite, across buckets', async () => {
    const data = pseudoRandom(70_000, 3);
    await upload(storage, 'models', 'source.bin', data, { resumable: false, metadata: { k: 'v' } });
    await storage.createBucket('copies');
    const [copy] = await storage
      .bucket('models')
      .file('source.bin')
      .copy(storage.bucket('copies').file('copied/target.bin'));
    expect(copy.name).toBe('copied/target.bin');
    expect((await download(storage, 'copies', 'copied/target.bin')).equals(data)).toBe(true);
    const [metadata] = await storage.bucket('copies').file('copied/target.bin').getMetadata();
    expect(metadata.metadata).toEqual({ k: 'v' });
  });

  it('deletes, then answers 404 for the object', async () => {
    await upload(storage, 'models', 'doomed.txt', Buffer.from('x'), { resumable: false });
    await storage.bucket('models').file('doomed.txt').delete();
    const [exists] = await storage.bucket('models').file('doomed.txt').exists();
    expect(exists).toBe(false);
    await expect(storage.bucket('models').file('doomed.txt').delete()).rejects.toMatchObject({ code: 404 });
    await expect(download(storage, 'models', 'doomed.txt')).rejects.toMatchObject({ code: 404 });
  });

  it('creates a bucket on first write', async () => {
    await upload(storage, 'fresh-bucket', 'a.txt', Buffer.from('a'), { resumable: true });
    const [exists] = await storage.bucket('fresh-bucket').exists();
    expect(exists).toBe(true);
  });

  it('refuses an invalid bucket name and a write whose generation precondition fails', async () => {
    await expect(storage.createBucket('X')).rejects.toMatchObject({ code: 400 });
    await upload(storage, 'models', 'guarded.txt', Buffer.from('1'), { resumable: false });
    const file = storage.bucket('models').file('guarded.txt');
    await expect(
      file.save('2', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
    ).rejects.toMatchObject({
      code: 412,
    });
    expect((await download(storage, 'models', 'guarded.txt')).toString()).toBe('1');
  });
});

describe('GCS stand-in with a state folder', () => {
  it('keeps objects across a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gcs-stand-in-'));
    try {
      const first = await startGcsStandIn({ dir });
      const data = pseudoRandom(5000, 9);
      try {
        const storage = new Storage({ projectId: PROJECT, apiEndpoint: first.url });
        await upload(storage, 'kept', 'path/to/file.bin', data, {
          resumable: false,
          contentType: 'application/x-test',
        });
      } finally {
        await first.stop();
      }
      const second = await startGcsStandIn({ dir });
      try {
        const storage = new Storage({ projectId: PROJECT, apiEndpoint: second.url });
        expect((await download(storage, 'kept', 'path/to/file.bin')).equals(data)).toBe(true);
        const [metadata] = await storage.bucket('kept').file('path/to/file.bin').getMetadata();
        expect(metadata.contentType).toBe('application/x-test');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
