// Amazon S3 (or an S3-compatible endpoint) as an object store, with @aws-sdk/client-s3: paged
// ListObjectsV2, HeadObject, streaming GetObject, one streamed PutObject for bodies of up to a
// part, and multi-part uploads through queueSize reusable part buffers (s3-multipart.ts).

import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {
  type CopyFromOptions,
  errorMessage,
  networkErrorCode,
  type ObjectStore,
  type ObjectStoreCallOptions,
  ObjectStoreError,
  type ObjectStoreOperation,
  relativeKey,
  type StoredObject,
  type StoreFailure,
  safeListPrefix,
  safeRelativeKey,
  storeCall,
  toStoreError,
  uploadAbortController,
  type WriteObjectOptions,
  writtenObject,
} from './object-store';
import { type DirectPutResult, S3DirectPut } from './s3-direct-put';
import { uploadInParts } from './s3-multipart';
import { copyInParts, copySourceOf } from './s3-part-copy';

export interface S3ObjectStoreOptions {
  bucket: string;
  region: string;
  /** Keys are relative to this prefix. */
  prefix?: string;
  /** S3-compatible endpoint, e.g. `http://127.0.0.1:4568`. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Absent: the SDK's default chain (env, profile, web identity, instance metadata). */
  /**
   * Keys, or a provider the SDK asks again as `expiration` nears (assumed-role sessions that a
   * long copy outlives: `awsCredentials().provider`).
   */
  credentials?: S3Keys | (() => Promise<S3Keys>);
  /**
   * Who the credentials are (e.g. the assumed role's ARN), for deciding whether CopyObject can
   * read another store's objects. Default: the access key id, or a scope of its own per provider.
   */
  credentialsScope?: string;
  /**
   * 'when-required' turns off the SDK's default CRC32 trailers (aws-chunked bodies), which
   * S3-compatible servers often do not understand. Default 'when-supported' (the SDK's default).
   */
  checksums?: 'when-supported' | 'when-required';
  /** Server-side copies above this size use UploadPartCopy; default (and max) 5 GiB, CopyObject's limit. */
  copyObjectLimitInBytes?: number;
  /** Part size of UploadPartCopy copies; default 512 MiB (raised to stay within 10,000 parts). */
  copyPartSizeInBytes?: number;
  /** Keys per ListObjectsV2 page (max and default 1000). */
  listPageSize?: number;
  /** Parts uploaded in parallel; default 4. */
  queueSize?: number;
  maxAttempts?: number;
}

export interface S3Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

let providerScopes = 0;

/** S3's smallest part size (except the last). */
const MIN_PART_SIZE = 5 * 1024 * 1024;
/** The largest object one CopyObject call copies. */
const MAX_COPY_OBJECT_SIZE = 5 * 1024 * 1024 * 1024;
const DEFAULT_COPY_PART_SIZE = 512 * 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly description: string;
  private readonly client: S3Client;
  private readonly directPut: S3DirectPut;
  private readonly bucket: string;
  private readonly root: string;
  private readonly listPageSize: number;
  private readonly queueSize: number;
  private readonly copyObjectLimit: number;
  private readonly copyPartSize: number;
  /** Stores with the same scope (endpoint, region, access key) can CopyObject between them. */
  private readonly copyScope: string;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.root = options.prefix ? safeRelativeKey('', options.prefix.replace(/\/+$/, '')) : '';
    this.description = `s3://${options.bucket}${this.root ? `/${this.root}` : ''}`;
    this.listPageSize = options.listPageSize ?? 1000;
    this.queueSize = options.queueSize ?? 4;
    this.copyObjectLimit = Math.min(
      MAX_COPY_OBJECT_SIZE,
      options.copyObjectLimitInBytes ?? MAX_COPY_OBJECT_SIZE,
    );
    this.copyPartSize = options.copyPartSizeInBytes ?? DEFAULT_COPY_PART_SIZE;
    const credentialsScope =
      options.credentialsScope ??
      (typeof options.credentials === 'function'
        ? `provider-${++providerScopes}`
        : (options.credentials?.accessKeyId ?? ''));
    this.copyScope = [options.endpoint ?? 'aws', options.region, credentialsScope].join('|');
    const checksums = options.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
    const config: S3ClientConfig = {
      region: options.region,
      requestChecksumCalculation: checksums,
      // With `Expect: 100-continue` (the SDK's default above 2 MB) the SDK sends each request on a
      // new connection of its own, so every part of a large upload paid a TCP (and TLS) handshake,
      // and the server a connection; an error answer is rare and costs one part's bytes.
      expectContinueHeader: false,
      responseChecksumValidation: checksums,
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...(options.forcePathStyle !== undefined && { forcePathStyle: options.forcePathStyle }),
      ...(options.credentials && { credentials: options.credentials }),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    };
    this.client = new S3Client(config);
    this.directPut = new S3DirectPut(this.client, this.bucket);
  }

  async *list(prefix: string, options: ObjectStoreCallOptions = {}): AsyncIterable<StoredObject> {
    const fullPrefix = safeListPrefix(this.root, prefix);
    let continuationToken: string | undefined;
    do {
      const page = await this.call(
        'list',
        prefix,
        () =>
          this.client.send(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: fullPrefix || undefined,
              MaxKeys: this.listPageSize,
              ContinuationToken: continuationToken,
            }),
            { abortSignal: options.abortSignal },
          ),
        options.abortSignal,
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        yield {
          key: relativeKey(this.root, item.Key),
          size: item.Size ?? 0,
          ...withEtag(item.ETag),
        };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async stat(key: string, options: ObjectStoreCallOptions = {}): Promise<StoredObject | undefined> {
    const fullKey = safeRelativeKey(this.root, key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: fullKey }), {
        abortSignal: options.abortSignal,
      });
      return {
        key,
        size: head.ContentLength ?? 0,
        ...withEtag(head.ETag),
        ...(head.ContentType && { contentType: head.ContentType }),
        ...(head.Metadata && Object.keys(head.Metadata).length > 0 && { metadata: head.Metadata }),
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure('stat', key, error, options.abortSignal);
    }
  }

  async openRead(key: string, options: ObjectStoreCallOptions = {}): Promise<NodeJS.ReadableStream> {
    const fullKey = safeRelativeKey(this.root, key);
    const object = await this.call(
      'read',
      key,
      () =>
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: fullKey }), {
          abortSignal: options.abortSignal,
        }),
      options.abortSignal,
    );
    // In Node the body is an IncomingMessage (a Readable).
    return object.Body as Readable;
  }

  /** Up to one part: a single PutObject, whose Content-MD5 S3 checks and whose ETag is the MD5. */
  checksMd5OnWrite(size: number, partSizeInBytes: number): boolean {
    return size <= partSizeOf(partSizeInBytes);
  }

  async write(key: string, body: Readable, options: WriteObjectOptions = {}): Promise<StoredObject> {
    const fullKey = safeRelativeKey(this.root, key);
    const partSize = partSizeOf(options.partSizeInBytes);
    const upload = uploadAbortController(body, options.abortSignal);
    const params = {
      Bucket: this.bucket,
      Key: fullKey,
      ...(options.contentType && { ContentType: options.contentType }),
      ...(options.metadata && { Metadata: options.metadata }),
    };
    try {
      if (options.size !== undefined && options.size <= partSize) {
        const put = await this.directPut.put(
          {
            Key: fullKey,
            ContentLength: options.size,
            ...(options.contentType && { ContentType: options.contentType }),
            ...(options.metadata && { Metadata: options.metadata }),
            ...(options.md5 && { ContentMD5: Buffer.from(options.md5, 'hex').toString('base64') }),
          },
          body,
          upload.controller.signal,
        );
        const md5 = etagMd5(put) ?? options.md5;
        return { ...writtenObject(key, options.size, put.ETag, options), ...(md5 && { md5 }) };
      }
      const result = await uploadInParts(this.client, params, body, {
        partSize,
        queueSize: this.queueSize,
        abortSignal: upload.controller.signal,
      });
      return writtenObject(key, result.size, result.etag, options);
    } catch (error) {
      throw this.failure('write', key, error, options.abortSignal);
    } finally {
      upload.dispose();
    }
  }

  async delete(key: string, options: ObjectStoreCallOptions = {}): Promise<void> {
    const fullKey = safeRelativeKey(this.root, key);
    await this.call(
      'delete',
      key,
      () =>
        this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: fullKey }), {
          abortSignal: options.abortSignal,
        }),
      options.abortSignal,
    );
  }

  /**
   * When `source` is an S3 store on the same endpoint, region and credentials: CopyObject
   * (metadata, content type and the other headers kept) up to 5 GiB, and beyond that a
   * multi-part upload whose parts S3 copies from the source (UploadPartCopy; content type and
   * metadata carried over). Undefined when the endpoint lacks UploadPartCopy, so the caller streams.
   */
  async copyFrom(
    source: ObjectStore,
    key: string,
    destinationKey: string,
    options: CopyFromOptions = {},
  ): Promise<StoredObject | undefined> {
    if (!(source instanceof S3ObjectStore) || source.copyScope !== this.copyScope) return undefined;
    const sourceKey = safeRelativeKey(source.root, key);
    const fullKey = safeRelativeKey(this.root, destinationKey);
    const size = options.size ?? (await source.stat(key, options))?.size;
    if (size === undefined) return undefined;
    if (size > this.copyObjectLimit) {
      const head = await source.stat(key, options);
      if (!head) return undefined;
      const copied = await this.call(
        'write',
        destinationKey,
        () =>
          // An S3-compatible endpoint without UploadPartCopy answers 501: the caller streams.
          copyInParts(
            this.client,
            {
              Bucket: this.bucket,
              Key: fullKey,
              ...(head.contentType && { ContentType: head.contentType }),
              ...(head.metadata && { Metadata: head.metadata }),
            },
            { bucket: source.bucket, key: sourceKey },
            head.size,
            { partSize: this.copyPartSize, concurrency: this.queueSize, abortSignal: options.abortSignal },
          ),
        options.abortSignal,
      ).catch((error: unknown) => {
        if (error instanceof ObjectStoreError && error.status === 501) return undefined;
        throw error;
      });
      return copied && this.stat(destinationKey, options);
    }
    await this.call(
      'write',
      destinationKey,
      () =>
        this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: fullKey,
            CopySource: copySourceOf(source.bucket, sourceKey),
            MetadataDirective: 'COPY',
          }),
          { abortSignal: options.abortSignal },
        ),
      options.abortSignal,
    );
    return this.stat(destinationKey, options);
  }

  /** Releases the client's sockets. */
  destroy(): void {
    this.client.destroy();
    this.directPut.destroy();
  }

  private call<T>(
    operation: ObjectStoreOperation,
    key: string,
    run: () => Promise<T>,
    abortSignal?: AbortSignal,
  ): Promise<T> {
    return storeCall(this.description, operation, key, run, describeS3Failure, abortSignal);
  }

  private failure(
    operation: ObjectStoreOperation,
    key: string,
    error: unknown,
    abortSignal?: AbortSignal,
  ): unknown {
    return toStoreError(this.description, operation, key, error, describeS3Failure, abortSignal);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function partSizeOf(partSizeInBytes: number | undefined): number {
  return Math.max(MIN_PART_SIZE, partSizeInBytes ?? MIN_PART_SIZE);
}

/**
 * The MD5 a single-part upload's ETag is: S3 computes it of the bytes it received, except under
 * SSE-KMS or SSE-C, where the ETag is something else.
 */
function etagMd5(put: DirectPutResult): string | undefined {
  if (put.SSECustomerAlgorithm || put.ServerSideEncryption?.startsWith('aws:kms')) return undefined;
  const etag = put.ETag?.replace(/"/g, '').toLowerCase();
  return etag && /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}

function withEtag(etag: string | undefined): { etag?: string } {
  return etag ? { etag } : {};
}

function describeS3Failure(error: unknown): StoreFailure {
  const e = error as { name?: string; Code?: string; $metadata?: { requestId?: string } };
  return {
    status: statusOf(error) ?? 0,
    code: networkErrorCode(error) ?? e.Code ?? e.name,
    serviceMessage: errorMessage(error),
    requestId: e.$metadata?.requestId,
  };
}
