// Amazon S3 (or an S3-compatible endpoint) as an object store, with @aws-sdk/client-s3: paged
// ListObjectsV2, HeadObject, streaming GetObject, and lib-storage's Upload for multi-part writes
// with a bounded queue (memory stays at about queueSize x partSize).

import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

export interface S3ObjectStoreOptions {
  bucket: string;
  region: string;
  /** Keys are relative to this prefix. */
  prefix?: string;
  /** S3-compatible endpoint, e.g. `http://127.0.0.1:4568`. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Absent: the SDK's default chain (env, profile, web identity, instance metadata). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * 'when-required' turns off the SDK's default CRC32 trailers (aws-chunked bodies), which
   * S3-compatible servers often do not understand. Default 'when-supported' (the SDK's default).
   */
  checksums?: 'when-supported' | 'when-required';
  /** Keys per ListObjectsV2 page (max and default 1000). */
  listPageSize?: number;
  /** Parts uploaded in parallel; default 4. */
  queueSize?: number;
  maxAttempts?: number;
}

/** S3's smallest part size (except the last). */
const MIN_PART_SIZE = 5 * 1024 * 1024;
/** The largest object one CopyObject call copies. */
const MAX_COPY_OBJECT_SIZE = 5 * 1024 * 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly root: string;
  private readonly listPageSize: number;
  private readonly queueSize: number;
  /** Stores with the same scope (endpoint, region, access key) can CopyObject between them. */
  private readonly copyScope: string;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.root = options.prefix ? safeRelativeKey('', options.prefix.replace(/\/+$/, '')) : '';
    this.description = `s3://${options.bucket}${this.root ? `/${this.root}` : ''}`;
    this.listPageSize = options.listPageSize ?? 1000;
    this.queueSize = options.queueSize ?? 4;
    this.copyScope = [options.endpoint ?? 'aws', options.region, options.credentials?.accessKeyId ?? ''].join(
      '|',
    );
    const checksums = options.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
    const config: S3ClientConfig = {
      region: options.region,
      requestChecksumCalculation: checksums,
      responseChecksumValidation: checksums,
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...(options.forcePathStyle !== undefined && { forcePathStyle: options.forcePathStyle }),
      ...(options.credentials && { credentials: options.credentials }),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    };
    this.client = new S3Client(config);
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

  async write(key: string, body: Readable, options: WriteObjectOptions = {}): Promise<StoredObject> {
    const fullKey = safeRelativeKey(this.root, key);
    const md5 = createHash('md5');
    let size = 0;
    const counted = body.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    body.once('error', (error) => counted.destroy(error));
    const abortController = new AbortController();
    const onAbort = () => abortController.abort(options.abortSignal?.reason);
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
    const upload = new Upload({
      client: this.client,
      queueSize: this.queueSize,
      partSize: Math.max(MIN_PART_SIZE, options.partSizeInBytes ?? MIN_PART_SIZE),
      leavePartsOnError: false,
      abortController,
      params: {
        Bucket: this.bucket,
        Key: fullKey,
        Body: counted,
        ...(options.contentType && { ContentType: options.contentType }),
        ...(options.metadata && { Metadata: options.metadata }),
      },
    });
    try {
      const result = await upload.done();
      return {
        key,
        size,
        md5: md5.digest('hex'),
        ...withEtag(result.ETag),
        ...(options.contentType && { contentType: options.contentType }),
        ...(options.metadata && { metadata: { ...options.metadata } }),
      };
    } catch (error) {
      throw this.failure('write', key, error, options.abortSignal);
    } finally {
      options.abortSignal?.removeEventListener('abort', onAbort);
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
   * CopyObject (metadata and content type kept) when `source` is an S3 store on the same
   * endpoint, region and access key. Objects over 5 GiB would need UploadPartCopy, which is not
   * done here: undefined, so the caller streams them.
   */
  async copyFrom(
    source: ObjectStore,
    key: string,
    destinationKey: string,
    options: CopyFromOptions = {},
  ): Promise<StoredObject | undefined> {
    if (!(source instanceof S3ObjectStore) || source.copyScope !== this.copyScope) return undefined;
    const size = options.size ?? (await source.stat(key, options))?.size;
    if (size === undefined || size > MAX_COPY_OBJECT_SIZE) return undefined;
    const sourceKey = safeRelativeKey(source.root, key);
    const fullKey = safeRelativeKey(this.root, destinationKey);
    await this.call(
      'write',
      destinationKey,
      () =>
        this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: fullKey,
            CopySource: `${source.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
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
