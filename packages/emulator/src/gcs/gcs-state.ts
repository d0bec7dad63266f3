// Buckets and objects of the GCS stand-in: in memory, and mirrored to a folder when one is given
// (one `<hex name>.bin` + `.json` pair per object under `<dir>/<bucket>/`), so a restart keeps them.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32cBase64 } from './crc32c';

export interface GcsObject {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  generation: string;
  metageneration: number;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
}

export interface NewObject {
  bucket: string;
  name: string;
  data: Buffer;
  contentType?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

interface StoredMeta {
  name: string;
  contentType: string;
  metadata: Record<string, string>;
  generation: string;
  metageneration: number;
  timeCreated: string;
  updated: string;
}

const hexName = (name: string) => Buffer.from(name, 'utf8').toString('hex');

export class GcsState {
  private readonly buckets = new Map<string, Map<string, GcsObject>>();
  private readonly bucketCreated = new Map<string, string>();
  private lastGeneration = 0;

  constructor(private readonly dir?: string) {
    if (dir) this.load(dir);
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  bucketTimeCreated(bucket: string): string | undefined {
    return this.bucketCreated.get(bucket);
  }

  /** False when the bucket already existed. */
  createBucket(bucket: string): boolean {
    if (this.buckets.has(bucket)) return false;
    this.buckets.set(bucket, new Map());
    this.bucketCreated.set(bucket, new Date().toISOString());
    if (this.dir) mkdirSync(path.join(this.dir, bucket), { recursive: true });
    return true;
  }

  get(bucket: string, name: string): GcsObject | undefined {
    return this.buckets.get(bucket)?.get(name);
  }

  /** Sorted by name (byte order of UTF-16 units is close enough to GCS's UTF-8 order for tests). */
  names(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort((a, b) =>
      Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')),
    );
  }

  put(input: NewObject): GcsObject {
    this.createBucket(input.bucket);
    const now = new Date().toISOString();
    // Generations only grow, like GCS's microsecond timestamps.
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    const object: GcsObject = {
      bucket: input.bucket,
      name: input.name,
      data: input.data,
      contentType: input.contentType || 'application/octet-stream',
      metadata: input.metadata ?? {},
      generation: String(this.lastGeneration),
      metageneration: 1,
      md5Hash: createHash('md5').update(input.data).digest('base64'),
      crc32c: crc32cBase64(input.data),
      timeCreated: now,
      updated: now,
    };
    this.buckets.get(input.bucket)?.set(input.name, object);
    this.persist(object);
    return object;
  }

  updateMetadata(
    bucket: string,
    name: string,
    patch: { contentType?: string; metadata?: Record<string, string | null> },
  ): GcsObject | undefined {
    const object = this.get(bucket, name);
    if (!object) return undefined;
    if (patch.contentType) object.contentType = patch.contentType;
    for (const [key, value] of Object.entries(patch.metadata ?? {})) {
      if (value === null) delete object.metadata[key];
      else object.metadata[key] = String(value);
    }
    object.metageneration += 1;
    object.updated = new Date().toISOString();
    this.persist(object);
    return object;
  }

  delete(bucket: string, name: string): boolean {
    const deleted = this.buckets.get(bucket)?.delete(name) ?? false;
    if (deleted && this.dir) {
      const base = path.join(this.dir, bucket, hexName(name));
      rmSync(`${base}.bin`, { force: true });
      rmSync(`${base}.json`, { force: true });
    }
    return deleted;
  }

  private persist(object: GcsObject): void {
    if (!this.dir) return;
    const base = path.join(this.dir, object.bucket, hexName(object.name));
    mkdirSync(path.dirname(base), { recursive: true });
    const meta: StoredMeta = {
      name: object.name,
      contentType: object.contentType,
      metadata: object.metadata,
      generation: object.generation,
      metageneration: object.metageneration,
      timeCreated: object.timeCreated,
      updated: object.updated,
    };
    writeFileSync(`${base}.bin`, object.data);
    writeFileSync(`${base}.json`, JSON.stringify(meta));
  }

  private load(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const bucket of readdirSync(dir)) {
      const bucketDir = path.join(dir, bucket);
      const objects = new Map<string, GcsObject>();
      this.buckets.set(bucket, objects);
      this.bucketCreated.set(bucket, new Date().toISOString());
      for (const file of readdirSync(bucketDir)) {
        if (!file.endsWith('.json')) continue;
        const base = path.join(bucketDir, file.slice(0, -'.json'.length));
        if (!existsSync(`${base}.bin`)) continue;
        const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as StoredMeta;
        const data = readFileSync(`${base}.bin`);
        objects.set(meta.name, {
          ...meta,
          bucket,
          data,
          md5Hash: createHash('md5').update(data).digest('base64'),
          crc32c: crc32cBase64(data),
        });
        this.lastGeneration = Math.max(this.lastGeneration, Number(meta.generation));
      }
    }
  }
}
