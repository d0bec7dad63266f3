// An Azure Blob container as an object store. The caller builds the ContainerClient (from a
// datastore's account key, a SAS URL, or a token credential), so every way of reaching a
// container works; writes use uploadStream with a bounded number of buffers.

import { type Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  type BlobClient,
  type BlobHTTPHeaders,
  BlobSASPermissions,
  type BlockBlobClient,
  type ContainerClient,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { BlobDirectReader, DIRECT_READ_LIMIT_IN_BYTES, isTokenCredential } from './blob-direct-read';
import {
  type CopyFromOptions,
  errorMessage,
  networkErrorCode,
  type ObjectStore,
  type ObjectStoreCallOptions,
  ObjectStoreError,
  type ObjectStoreOperation,
  type ReadObjectOptions,
  relativeKey,
  type StoredObject,
  type StoreFailure,
  safeListPrefix,
  safeRelativeKey,
  storeCall,
  stripUrlSecrets,
  toStoreError,
  uploadAbortController,
  type WriteObjectOptions,
  writtenObject,
} from './object-store';

export interface AzureBlobObjectStoreOptions {
  container: ContainerClient;
  /** Keys are relative to this prefix. */
  prefix?: string;
  /** Blobs per list page (max and default 5000). */
  listPageSize?: number;
  /** Buffers uploadStream keeps (in flight and filling); default 4. Memory ≈ buffers × part size. */
  maxBuffers?: number;
  /** Server-side copies up to this size use Copy Blob From URL, larger ones Copy Blob; default (and max) 256 MiB. */
  syncCopyLimitInBytes?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

export class AzureBlobObjectStore implements ObjectStore {
  readonly kind = 'azure-blob' as const;
  readonly description: string;
  private readonly container: ContainerClient;
  private readonly root: string;
  private readonly listPageSize: number;
  private readonly maxBuffers: number;
  private readonly syncCopyLimit: number;
  private readonly directReader: BlobDirectReader | undefined;

  constructor(options: AzureBlobObjectStoreOptions) {
    this.container = options.container;
    this.root = options.prefix ? safeRelativeKey('', options.prefix.replace(/\/+$/, '')) : '';
    this.description = `${stripUrlSecrets(options.container.url)}${this.root ? `/${this.root}` : ''}`;
    this.listPageSize = options.listPageSize ?? 5000;
    this.maxBuffers = Math.max(2, options.maxBuffers ?? 4);
    this.syncCopyLimit = Math.min(MAX_SYNC_COPY_SIZE, options.syncCopyLimitInBytes ?? MAX_SYNC_COPY_SIZE);
    this.directReader = BlobDirectReader.for(options.container);
  }

  async *list(prefix: string, options: ObjectStoreCallOptions = {}): AsyncIterable<StoredObject> {
    const fullPrefix = safeListPrefix(this.root, prefix);
    const pages = this.container
      .listBlobsFlat({
        includeMetadata: true,
        abortSignal: options.abortSignal,
        ...(fullPrefix && { prefix: fullPrefix }),
      })
      .byPage({ maxPageSize: this.listPageSize });
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.call('list', prefix, () => iterator.next(), options.abortSignal);
      if (next.done) return;
      for (const blob of next.value.segment.blobItems) {
        const p = blob.properties;
        yield {
          key: relativeKey(this.root, blob.name),
          size: p.contentLength ?? 0,
          ...(p.contentMD5 && p.contentMD5.length > 0 && { md5: Buffer.from(p.contentMD5).toString('hex') }),
          ...(p.etag && { etag: p.etag }),
          ...(p.contentType && { contentType: p.contentType }),
          ...(blob.metadata && Object.keys(blob.metadata).length > 0 && { metadata: blob.metadata }),
        };
      }
    }
  }

  async stat(key: string, options: ObjectStoreCallOptions = {}): Promise<StoredObject | undefined> {
    const blob = this.container.getBlobClient(safeRelativeKey(this.root, key));
    try {
      const p = await blob.getProperties({ abortSignal: options.abortSignal });
      return {
        key,
        size: p.contentLength ?? 0,
        ...(p.contentMD5 && p.contentMD5.length > 0 && { md5: Buffer.from(p.contentMD5).toString('hex') }),
        ...(p.etag && { etag: p.etag }),
        ...(p.contentType && { contentType: p.contentType }),
        ...(p.metadata && Object.keys(p.metadata).length > 0 && { metadata: p.metadata }),
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure('stat', key, error, options.abortSignal);
    }
  }

  /** Blobs known to be small: one plain GET (blob-direct-read.ts); others the SDK's resuming download. */
  async openRead(key: string, options: ReadObjectOptions = {}): Promise<NodeJS.ReadableStream> {
    const name = safeRelativeKey(this.root, key);
    const reader = this.directReader;
    if (reader && options.size !== undefined && options.size <= DIRECT_READ_LIMIT_IN_BYTES) {
      return this.call('read', key, () => reader.read(name, options.abortSignal), options.abortSignal);
    }
    const blob = this.container.getBlobClient(name);
    const response = await this.call(
      'read',
      key,
      () => blob.download(0, undefined, { abortSignal: options.abortSignal }),
      options.abortSignal,
    );
    if (!response.readableStreamBody) {
      throw new ObjectStoreError({
        store: this.description,
        operation: 'read',
        key,
        status: 0,
        serviceMessage: 'The download has no body.',
      });
    }
    return response.readableStreamBody;
  }

  /** Up to one part: a single Put Block, whose Content-MD5 the service checks. */
  checksMd5OnWrite(size: number, partSizeInBytes: number): boolean {
    return size <= partSizeOf(partSizeInBytes);
  }

  async write(key: string, body: Readable, options: WriteObjectOptions = {}): Promise<StoredObject> {
    const blob = this.container.getBlockBlobClient(safeRelativeKey(this.root, key));
    const partSize = partSizeOf(options.partSizeInBytes);
    if (options.size !== undefined && options.size <= partSize) {
      return this.writeOneBlock(blob, key, body, options.size, options);
    }
    let size = 0;
    const counted = body.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    body.once('error', (error) => counted.destroy(error));
    // uploadStream waits on the body regardless of its signal: end the wait too.
    const onAbort = () => counted.destroy(abortReason(options.abortSignal));
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
    const response = await this.call(
      'write',
      key,
      () =>
        // maxConcurrency buffers upload while one more fills: maxBuffers in memory at most.
        blob.uploadStream(counted, partSize, this.maxBuffers - 1, {
          abortSignal: options.abortSignal,
          ...headersOf(options),
          ...(options.metadata && { metadata: options.metadata }),
        }),
      options.abortSignal,
    ).finally(() => options.abortSignal?.removeEventListener('abort', onAbort));
    return writtenObject(key, size, response.etag, options);
  }

  /**
   * One streamed block and the block list: the block carries the source's MD5 for the service to
   * check, and the list stores it as the blob's Content-MD5 (what later listings report).
   */
  private async writeOneBlock(
    blob: BlockBlobClient,
    key: string,
    body: Readable,
    size: number,
    options: WriteObjectOptions,
  ): Promise<StoredObject> {
    const md5 = options.md5 ? Buffer.from(options.md5, 'hex') : undefined;
    const blockId = Buffer.from('block-000000').toString('base64');
    let sent = false;
    // The SDK's own retry would call this again after the stream is spent: fail that attempt,
    // and let the caller retry with a fresh body.
    const bodyOnce = () => {
      if (sent) throw new Error('The body was already sent once.');
      sent = true;
      return body;
    };
    const upload = uploadAbortController(body, options.abortSignal);
    const abortSignal = upload.controller.signal;
    const response = await this.call(
      'write',
      key,
      async () => {
        if (size > 0) {
          await blob.stageBlock(blockId, bodyOnce, size, {
            abortSignal,
            ...(md5 && { transactionalContentMD5: md5 }),
          });
        } else {
          // Nothing to send, but the body must still end (its verifier runs at the end).
          body.resume();
          await finished(body);
        }
        return blob.commitBlockList(size > 0 ? [blockId] : [], {
          abortSignal,
          ...headersOf(options, md5),
          ...(options.metadata && { metadata: options.metadata }),
        });
      },
      options.abortSignal,
    ).finally(upload.dispose);
    return { ...writtenObject(key, size, response.etag, options), ...(options.md5 && { md5: options.md5 }) };
  }

  async delete(key: string, options: ObjectStoreCallOptions = {}): Promise<void> {
    const blob = this.container.getBlobClient(safeRelativeKey(this.root, key));
    await this.call(
      'delete',
      key,
      () => blob.deleteIfExists({ abortSignal: options.abortSignal }),
      options.abortSignal,
    );
  }

  /**
   * The service copies the blob itself when `source` is a container it can read: Copy Blob From
   * URL up to 256 MiB (with the source's MD5 for the service to check), the asynchronous Copy
   * Blob beyond. The source is read through its SAS, a SAS made from its account key, or (up to
   * 256 MiB) a bearer token for its identity. Metadata and content type come along. Resolves
   * undefined when the service cannot reach the source (another emulator, no way to sign).
   */
  async copyFrom(
    source: ObjectStore,
    key: string,
    destinationKey: string,
    options: CopyFromOptions = {},
  ): Promise<StoredObject | undefined> {
    if (
      !(source instanceof AzureBlobObjectStore) ||
      !sameBlobService(source.container.url, this.container.url)
    ) {
      return undefined;
    }
    const stat = await source.stat(key, options);
    if (!stat) return undefined;
    const from = source.container.getBlobClient(safeRelativeKey(source.root, key));
    const to = this.container.getBlockBlobClient(safeRelativeKey(this.root, destinationKey));
    const sync = stat.size <= this.syncCopyLimit;
    const access = await readAccessTo(from, sync);
    if (!access) return undefined;
    await this.call(
      'write',
      destinationKey,
      async () => {
        if (sync) {
          await to.syncCopyFromURL(access.url, {
            abortSignal: options.abortSignal,
            ...(access.authorization && { sourceAuthorization: access.authorization }),
            ...(stat.md5 && { sourceContentMD5: Buffer.from(stat.md5, 'hex') }),
          });
          return;
        }
        const poller = await to.beginCopyFromURL(access.url, {
          abortSignal: options.abortSignal,
          intervalInMs: 1000,
        });
        await poller.pollUntilDone();
      },
      options.abortSignal,
    );
    return this.stat(destinationKey, options);
  }

  private call<T>(
    operation: ObjectStoreOperation,
    key: string,
    run: () => Promise<T>,
    abortSignal?: AbortSignal,
  ): Promise<T> {
    return storeCall(this.description, operation, key, run, describeBlobFailure, abortSignal);
  }

  private failure(
    operation: ObjectStoreOperation,
    key: string,
    error: unknown,
    abortSignal?: AbortSignal,
  ): unknown {
    return toStoreError(this.description, operation, key, error, describeBlobFailure, abortSignal);
  }
}

/** One rule for write() and checksMd5OnWrite(): which bodies go as one block. */
function partSizeOf(partSizeInBytes: number | undefined): number {
  return partSizeInBytes || DEFAULT_PART_SIZE;
}

/** The largest blob Copy Blob From URL copies in one call. */
const MAX_SYNC_COPY_SIZE = 256 * 1024 * 1024;

/**
 * Whether a container's service can read from the other's URL: Azure's public blob endpoints
 * reach each other (any account, any region); an emulator only reaches its own accounts.
 */
function sameBlobService(sourceUrl: string, destinationUrl: string): boolean {
  const a = new URL(sourceUrl);
  const b = new URL(destinationUrl);
  const azure = (url: URL) => url.protocol === 'https:' && /\.blob\.core\./.test(url.hostname);
  return (azure(a) && azure(b)) || a.origin === b.origin;
}

/** A URL the service can read the blob at, and the bearer token to send when it needs one. */
async function readAccessTo(
  blob: BlobClient,
  tokenAllowed: boolean,
): Promise<{ url: string; authorization?: { scheme: string; value: string } } | undefined> {
  if (new URL(blob.url).searchParams.has('sig')) return { url: blob.url };
  const credential = blob.credential;
  if (credential instanceof StorageSharedKeyCredential) {
    // Read-only, for this blob, for as long as a copy of a large blob may take.
    const url = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(Date.now() - 5 * 60_000),
      expiresOn: new Date(Date.now() + 6 * 3600_000),
    });
    return { url };
  }
  if (tokenAllowed && isTokenCredential(credential)) {
    const token = await credential.getToken('https://storage.azure.com/.default');
    if (token) return { url: blob.url, authorization: { scheme: 'Bearer', value: token.token } };
  }
  return undefined;
}

function headersOf(options: WriteObjectOptions, md5?: Uint8Array): { blobHTTPHeaders?: BlobHTTPHeaders } {
  if (!options.contentType && !md5) return {};
  return {
    blobHTTPHeaders: {
      ...(options.contentType && { blobContentType: options.contentType }),
      ...(md5 && { blobContentMD5: md5 }),
    },
  };
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('The operation was aborted.');
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function describeBlobFailure(error: unknown): StoreFailure {
  const e = error as {
    code?: unknown;
    requestId?: string;
    response?: { headers?: { get(name: string): string | undefined } };
  };
  return {
    status: statusOf(error) ?? 0,
    code: networkErrorCode(error) ?? (typeof e.code === 'string' ? e.code : undefined),
    // The first line is the service's message; later lines repeat request ids and times.
    serviceMessage: errorMessage(error).split('\n')[0],
    requestId: e.requestId ?? e.response?.headers?.get('x-ms-request-id'),
  };
}
