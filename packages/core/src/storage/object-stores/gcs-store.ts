// Google Cloud Storage as an object store, with @google-cloud/storage: paged getFiles, streaming
// reads with the client's hash validation, and writes that are one multipart request for small
// known sizes and a resumable upload otherwise (chunked when a part size is given).

import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type File, type FileMetadata, Storage, type StorageOptions } from '@google-cloud/storage';
import {
  type CopyFromOptions,
  errorMessage,
  networkErrorCode,
  type ObjectStore,
  type ObjectStoreCallOptions,
  type ObjectStoreOperation,
  relativeKey,
  type StoredObject,
  type StoreFailure,
  safeListPrefix,
  safeRelativeKey,
  storeCall,
  toStoreError,
  type WriteObjectOptions,
} from './object-store';

export interface GcsObjectStoreOptions {
  bucket: string;
  projectId: string;
  /** Keys are relative to this prefix. */
  prefix?: string;
  /** e.g. `http://127.0.0.1:4443` for a local stand-in. */
  apiEndpoint?: string;
  /** Service account key JSON or an external_account (workload identity federation) config. */
  credentials?: object;
  /** Send credentials to a custom apiEndpoint too (off by default, as in the client). */
  useAuthWithCustomEndpoint?: boolean;
  /** Objects per list page (max and default 1000). */
  listPageSize?: number;
  /** Bodies of known size up to this go in one request; default 8 MiB. */
  resumableThresholdInBytes?: number;
}

const DEFAULT_RESUMABLE_THRESHOLD = 8 * 1024 * 1024;
/** Resumable chunks must be multiples of 256 KiB. */
const CHUNK_GRANULARITY = 256 * 1024;

export class GcsObjectStore implements ObjectStore {
  readonly kind = 'gcs' as const;
  readonly description: string;
  private readonly storage: Storage;
  private readonly bucketName: string;
  private readonly root: string;
  private readonly listPageSize: number;
  private readonly resumableThreshold: number;
  /** Stores with the same scope (endpoint and credentials) can rewrite between them. */
  private readonly copyScope: string;

  constructor(options: GcsObjectStoreOptions) {
    this.bucketName = options.bucket;
    this.root = options.prefix ? safeRelativeKey('', options.prefix.replace(/\/+$/, '')) : '';
    this.description = `gs://${options.bucket}${this.root ? `/${this.root}` : ''}`;
    this.listPageSize = options.listPageSize ?? 1000;
    this.resumableThreshold = options.resumableThresholdInBytes ?? DEFAULT_RESUMABLE_THRESHOLD;
    const principal = (options.credentials as { client_email?: string; audience?: string } | undefined) ?? {};
    this.copyScope = [
      options.apiEndpoint ?? 'https://storage.googleapis.com',
      principal.client_email ?? principal.audience ?? '',
    ].join('|');
    const storageOptions: StorageOptions = {
      projectId: options.projectId,
      ...(options.apiEndpoint && { apiEndpoint: options.apiEndpoint }),
      ...(options.credentials && { credentials: options.credentials as StorageOptions['credentials'] }),
      ...(options.useAuthWithCustomEndpoint !== undefined && {
        useAuthWithCustomEndpoint: options.useAuthWithCustomEndpoint,
      }),
    };
    this.storage = new Storage(storageOptions);
  }

  async *list(prefix: string, options: ObjectStoreCallOptions = {}): AsyncIterable<StoredObject> {
    const fullPrefix = safeListPrefix(this.root, prefix);
    const bucket = this.storage.bucket(this.bucketName);
    let pageToken: string | undefined;
    do {
      options.abortSignal?.throwIfAborted();
      const [files, nextQuery] = await this.call(
        'list',
        prefix,
        () =>
          bucket.getFiles({
            autoPaginate: false,
            maxResults: this.listPageSize,
            ...(fullPrefix && { prefix: fullPrefix }),
            ...(pageToken && { pageToken }),
          }),
        options.abortSignal,
      );
      for (const file of files) yield this.toStored(relativeKey(this.root, file.name), file.metadata);
      pageToken = (nextQuery as { pageToken?: string } | null | undefined)?.pageToken;
    } while (pageToken);
  }

  async stat(key: string, options: ObjectStoreCallOptions = {}): Promise<StoredObject | undefined> {
    const file = this.file(key);
    options.abortSignal?.throwIfAborted();
    try {
      const [metadata] = await file.getMetadata();
      return this.toStored(key, metadata);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure('stat', key, error, options.abortSignal);
    }
  }

  async openRead(key: string, options: ObjectStoreCallOptions = {}): Promise<NodeJS.ReadableStream> {
    const file = this.file(key);
    options.abortSignal?.throwIfAborted();
    const stream = file.createReadStream();
    const onAbort = () => stream.destroy(options.abortSignal?.reason);
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => options.abortSignal?.removeEventListener('abort', onAbort));
    // Settle on the response, so a missing object rejects here rather than mid-read. The client
    // sends the request on the first read; read(0) starts it without taking any data.
    await new Promise<void>((resolve, reject) => {
      const onError = (error: unknown) => reject(this.failure('read', key, error, options.abortSignal));
      stream.once('error', onError);
      stream.once('response', (response: { statusCode?: number }) => {
        // An error status is followed by an 'error' event with the service's message.
        if ((response.statusCode ?? 0) >= 300) return;
        stream.off('error', onError);
        resolve();
      });
      stream.read(0);
    });
    return stream;
  }

  async write(key: string, body: Readable, options: WriteObjectOptions = {}): Promise<StoredObject> {
    const file = this.file(key);
    const resumable = options.size === undefined || options.size > this.resumableThreshold;
    const chunkSize =
      resumable && options.partSizeInBytes
        ? Math.max(
            CHUNK_GRANULARITY,
            Math.floor(options.partSizeInBytes / CHUNK_GRANULARITY) * CHUNK_GRANULARITY,
          )
        : undefined;
    let size = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    const destination = file.createWriteStream({
      resumable,
      validation: 'crc32c',
      ...(chunkSize && { chunkSize }),
      ...(options.contentType && { contentType: options.contentType }),
      ...(options.metadata && { metadata: { metadata: options.metadata } }),
    });
    try {
      await pipeline(body, counting, destination, { signal: options.abortSignal });
    } catch (error) {
      throw this.failure('write', key, error, options.abortSignal);
    }
    const stored = this.toStored(key, file.metadata);
    return { ...stored, size: stored.size || size };
  }

  async delete(key: string, options: ObjectStoreCallOptions = {}): Promise<void> {
    const file = this.file(key);
    options.abortSignal?.throwIfAborted();
    await this.call('delete', key, () => file.delete({ ignoreNotFound: true }), options.abortSignal);
  }

  /**
   * A rewrite (the client's copy, repeated until done) when `source` is a GCS store on the same
   * endpoint with the same credentials; metadata and content type are kept.
   */
  async copyFrom(
    source: ObjectStore,
    key: string,
    destinationKey: string,
    options: CopyFromOptions = {},
  ): Promise<StoredObject | undefined> {
    if (!(source instanceof GcsObjectStore) || source.copyScope !== this.copyScope) return undefined;
    options.abortSignal?.throwIfAborted();
    const from = source.file(key);
    const to = this.file(destinationKey);
    await this.call('write', destinationKey, () => from.copy(to), options.abortSignal);
    return this.stat(destinationKey, options);
  }

  private file(key: string): File {
    return this.storage.bucket(this.bucketName).file(safeRelativeKey(this.root, key));
  }

  private toStored(key: string, metadata: FileMetadata): StoredObject {
    const custom = metadata.metadata
      ? Object.fromEntries(
          Object.entries(metadata.metadata).flatMap(([k, v]) =>
            v === null || v === undefined ? [] : [[k, String(v)]],
          ),
        )
      : undefined;
    return {
      key,
      size: Number(metadata.size ?? 0),
      ...(metadata.md5Hash && { md5: Buffer.from(metadata.md5Hash, 'base64').toString('hex') }),
      ...(metadata.crc32c && { crc32c: metadata.crc32c }),
      ...(metadata.etag && { etag: metadata.etag }),
      ...(metadata.contentType && { contentType: metadata.contentType }),
      ...(custom && Object.keys(custom).length > 0 && { metadata: custom }),
    };
  }

  private call<T>(
    operation: ObjectStoreOperation,
    key: string,
    run: () => Promise<T>,
    abortSignal?: AbortSignal,
  ): Promise<T> {
    return storeCall(this.description, operation, key, run, describeGcsFailure, abortSignal);
  }

  private failure(
    operation: ObjectStoreOperation,
    key: string,
    error: unknown,
    abortSignal?: AbortSignal,
  ): unknown {
    return toStoreError(this.description, operation, key, error, describeGcsFailure, abortSignal);
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' && code >= 100 ? code : undefined;
}

function stringCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeGcsFailure(error: unknown): StoreFailure {
  const reason = (error as { errors?: { reason?: string }[] }).errors?.[0]?.reason;
  return {
    status: statusOf(error) ?? 0,
    code: networkErrorCode(error) ?? reason ?? stringCode(error),
    serviceMessage: errorMessage(error),
  };
}
