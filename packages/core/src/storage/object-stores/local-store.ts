// A folder on disk as an object store: keys are posix paths under the folder. Writes go to a
// hidden temporary name beside the target and are renamed into place, so readers never see a
// partial file. Content type and metadata are not kept (a file has no place for them).

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, opendir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  errorMessage,
  type ObjectStore,
  type ObjectStoreCallOptions,
  ObjectStoreError,
  type ObjectStoreOperation,
  type StoredObject,
  safeRelativeKey,
  type WriteObjectOptions,
} from './object-store';

export interface LocalObjectStoreOptions {
  /** The folder; created on first write. */
  directory: string;
}

/** Temporary files of writes in progress: skipped by list. */
const PARTIAL_MARK = '.aml-partial-';

export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly description: string;
  private readonly root: string;

  constructor(options: LocalObjectStoreOptions) {
    this.root = path.resolve(options.directory);
    this.description = this.root;
  }

  async *list(prefix: string, options: ObjectStoreCallOptions = {}): AsyncIterable<StoredObject> {
    const listPrefix = prefix ? safeListKey(prefix) : '';
    // Walk only the folder the prefix is in; the rest of the prefix filters names.
    const slash = listPrefix.lastIndexOf('/');
    const startDir = slash === -1 ? '' : listPrefix.slice(0, slash);
    for await (const key of this.walk(startDir, options.abortSignal)) {
      if (!key.startsWith(listPrefix)) continue;
      const found = await this.stat(key, options);
      if (found) yield found;
    }
  }

  async stat(key: string, options: ObjectStoreCallOptions = {}): Promise<StoredObject | undefined> {
    options.abortSignal?.throwIfAborted();
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      return info.isFile() ? { key, size: info.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.failure('stat', key, error);
    }
  }

  async openRead(key: string, options: ObjectStoreCallOptions = {}): Promise<NodeJS.ReadableStream> {
    const file = this.pathOf(key);
    const found = await this.stat(key, options);
    if (!found)
      throw this.failure('read', key, Object.assign(new Error('No such object.'), { code: 'ENOENT' }));
    return createReadStream(file, { signal: options.abortSignal });
  }

  async write(key: string, body: Readable, options: WriteObjectOptions = {}): Promise<StoredObject> {
    const file = this.pathOf(key);
    const temporary = path.join(path.dirname(file), `${PARTIAL_MARK}${randomUUID()}-${path.basename(file)}`);
    let size = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    let sink: WriteStream | undefined;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      sink = createWriteStream(temporary);
      await pipeline(body, counting, sink, { signal: options.abortSignal });
      await rename(temporary, file);
    } catch (error) {
      // A file stream destroyed before its file opened still opens (creating it), then closes:
      // removing the file before that close would leave it behind.
      if (sink && !sink.closed) await once(sink, 'close').catch(() => undefined);
      await rm(temporary, { force: true });
      if (options.abortSignal?.aborted) throw error;
      throw this.failure('write', key, error);
    }
    return {
      key,
      size,
      ...(options.contentType && { contentType: options.contentType }),
    };
  }

  async delete(key: string, options: ObjectStoreCallOptions = {}): Promise<void> {
    options.abortSignal?.throwIfAborted();
    const file = this.pathOf(key);
    try {
      await rm(file, { force: true });
    } catch (error) {
      throw this.failure('delete', key, error);
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...safeRelativeKey('', key).split('/'));
  }

  /** Posix keys of all files under `dir` (a key prefix without trailing slash), sorted. */
  private async *walk(dir: string, abortSignal: AbortSignal | undefined): AsyncIterable<string> {
    let handle: Awaited<ReturnType<typeof opendir>>;
    try {
      handle = await opendir(dir ? path.join(this.root, ...dir.split('/')) : this.root);
    } catch (error) {
      if (isMissing(error) || (error as { code?: string }).code === 'ENOTDIR') return;
      throw this.failure('list', dir, error);
    }
    const entries: { name: string; isDirectory: boolean }[] = [];
    for await (const entry of handle) {
      if (entry.name.startsWith(PARTIAL_MARK)) continue;
      if (entry.isFile() || entry.isDirectory())
        entries.push({ name: entry.name, isDirectory: entry.isDirectory() });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      abortSignal?.throwIfAborted();
      const key = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory) yield* this.walk(key, abortSignal);
      else yield key;
    }
  }

  private failure(operation: ObjectStoreOperation, key: string, error: unknown): ObjectStoreError {
    const code = (error as { code?: unknown }).code;
    return new ObjectStoreError({
      store: this.description,
      operation,
      key,
      status: isMissing(error) ? 404 : code === 'EACCES' || code === 'EPERM' ? 403 : 500,
      code: typeof code === 'string' ? code : undefined,
      serviceMessage: errorMessage(error).replaceAll(this.root, '<store>'),
    });
  }
}

function safeListKey(prefix: string): string {
  const trailing = prefix.endsWith('/');
  const key = safeRelativeKey('', trailing ? prefix.slice(0, -1) : prefix);
  return trailing ? `${key}/` : key;
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'ENOENT';
}
