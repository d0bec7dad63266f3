// One small interface over the object stores models and artifacts come from or go to (local
// folders, Azure Blob, S3, GCS), and the pure helpers every implementation shares: URL parsing,
// key safety, and error shaping that names the store and never its credentials.

import type { Readable } from 'node:stream';
import { AzureRequestError, ConfigurationError } from '../../errors';

export type ObjectStoreKind = 'local' | 'azure-blob' | 's3' | 'gcs';

export interface StoredObject {
  /** Relative to the store's prefix, posix separators. */
  key: string;
  size: number;
  /** Hex. */
  md5?: string;
  /** Base64 of the big-endian CRC32C (GCS's format). */
  crc32c?: string;
  etag?: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface ObjectStoreCallOptions {
  abortSignal?: AbortSignal;
}

export interface ReadObjectOptions extends ObjectStoreCallOptions {
  /** The object's size when the caller knows it: lets stores read small objects with one plain request. */
  size?: number;
}

export interface WriteObjectOptions extends ObjectStoreCallOptions {
  /** Known size in bytes; lets stores choose a single-request upload for small bodies. */
  size?: number;
  contentType?: string;
  metadata?: Record<string, string>;
  /** Part (block, chunk) size of multi-part uploads. */
  partSizeInBytes?: number;
  /**
   * The body's MD5 (hex) as the source stored it. Stores whose `checksMd5OnWrite` is true for
   * this size send it with the upload (Content-MD5), so the service refuses bytes that differ.
   */
  md5?: string;
}

export interface ObjectStore {
  readonly kind: ObjectStoreKind;
  /** Where the store points, e.g. `s3://bucket/prefix`, without credentials or SAS. */
  readonly description: string;
  /** Every object whose key starts with `prefix` (recursive, all pages). */
  list(prefix: string, options?: ObjectStoreCallOptions): AsyncIterable<StoredObject>;
  /** undefined when the object does not exist. */
  stat(key: string, options?: ObjectStoreCallOptions): Promise<StoredObject | undefined>;
  /** Rejects with ObjectStoreError (status 404) when the object does not exist. */
  openRead(key: string, options?: ReadObjectOptions): Promise<NodeJS.ReadableStream>;
  /**
   * The returned md5 and crc32c are what the service computed or confirmed (an S3 single-part
   * ETag, a GCS md5Hash, a Content-MD5 the service checked); never hashed here, so a caller
   * that hashed the body itself compares two independent values.
   */
  write(key: string, body: Readable, options: WriteObjectOptions): Promise<StoredObject>;
  /**
   * Optional: whether write() of a body of `size` bytes with this part size is one request whose
   * Content-MD5 the service checks, so a caller that knows the MD5 need not hash the bytes.
   */
  checksMd5OnWrite?(size: number, partSizeInBytes: number): boolean;
  /** Deleting a missing object is not an error. */
  delete(key: string, options?: ObjectStoreCallOptions): Promise<void>;
  /**
   * Optional: copies `key` of `source` to `destinationKey` here by the service itself, without
   * the bytes passing through this process (S3 CopyObject, GCS rewrite). Resolves undefined when
   * it cannot (another cloud, endpoint or account, or too large), so the caller streams instead.
   */
  copyFrom?(
    source: ObjectStore,
    key: string,
    destinationKey: string,
    options?: CopyFromOptions,
  ): Promise<StoredObject | undefined>;
}

export interface CopyFromOptions extends ObjectStoreCallOptions {
  /** The source's size when known (saves a stat). */
  size?: number;
}

export type ObjectUrl =
  | { kind: 's3' | 'gcs'; bucket: string; prefix: string }
  | {
      kind: 'azure-blob';
      account: string;
      container: string;
      prefix: string;
      /** Blob service URL: `https://<acct>.blob.core.windows.net` or path-style `http://host:port/<acct>`. */
      serviceUrl: string;
      /** SAS query string without `?`, when the URL carried one. */
      sasToken?: string;
    }
  | { kind: 'local'; path: string; prefix: '' };

const URL_FIX =
  'Use s3://<bucket>/<prefix>, gs://<bucket>/<prefix>, https://<account>.blob.core.windows.net/<container>/<prefix>, or a local path.';

// Bucket naming rules, loosely: what both services allow, so a typo fails here and not at a 403.
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const AZURE_CONTAINER = /^(\$root|\$web|[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9])$/;
const AZURE_HOST = /^([a-z0-9]{3,24})\.blob\.[a-z0-9.-]+$/;
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|host\.docker\.internal)$/;

function bucketUrl(url: string, scheme: 's3' | 'gs'): ObjectUrl {
  const rest = url.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1);
  const pattern = scheme === 's3' ? S3_BUCKET : GCS_BUCKET;
  if (!pattern.test(bucket)) {
    throw new ConfigurationError(`'${url}' does not name a valid ${scheme === 's3' ? 'S3' : 'GCS'} bucket.`, {
      fix: 'Bucket names are 3-63 lowercase letters, digits, dots and hyphens.',
    });
  }
  return { kind: scheme === 's3' ? 's3' : 'gcs', bucket, prefix: normalizePrefix(prefix, url) };
}

function blobUrl(url: string): ObjectUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigurationError(`'${stripUrlSecrets(url)}' is not a valid URL.`, { fix: URL_FIX, cause });
  }
  const segments = parsed.pathname.split('/').slice(1);
  const virtualHost = AZURE_HOST.exec(parsed.hostname);
  let account: string;
  let serviceUrl: string;
  if (virtualHost?.[1]) {
    account = virtualHost[1];
    serviceUrl = parsed.origin;
  } else if (LOOPBACK_HOST.test(parsed.hostname) || /^\d+\.\d+\.\d+\.\d+$/.test(parsed.hostname)) {
    // Azurite path-style: the account is the first path segment.
    account = decodeURIComponent(segments.shift() ?? '');
    serviceUrl = `${parsed.origin}/${account}`;
  } else {
    throw new ConfigurationError(`'${stripUrlSecrets(url)}' is not an Azure Blob Storage URL.`, {
      fix: URL_FIX,
    });
  }
  const container = decodeURIComponent(segments.shift() ?? '');
  if (!account || !AZURE_CONTAINER.test(container)) {
    throw new ConfigurationError(`'${stripUrlSecrets(url)}' does not name a storage account and container.`, {
      fix: 'Use https://<account>.blob.core.windows.net/<container>/<prefix>.',
    });
  }
  const prefix = normalizePrefix(segments.map((s) => decodeURIComponent(s)).join('/'), stripUrlSecrets(url));
  const sasToken = parsed.search.length > 1 ? parsed.search.slice(1) : undefined;
  return { kind: 'azure-blob', account, container, prefix, serviceUrl, ...(sasToken && { sasToken }) };
}

/** Parses where objects live; local paths are returned as given (callers resolve them). */
export function parseObjectUrl(url: string): ObjectUrl {
  const trimmed = url.trim();
  if (!trimmed) throw new ConfigurationError('The object store URL is empty.', { fix: URL_FIX });
  if (trimmed.startsWith('s3://')) return bucketUrl(trimmed, 's3');
  if (trimmed.startsWith('gs://')) return bucketUrl(trimmed, 'gs');
  if (/^https?:\/\//i.test(trimmed)) return blobUrl(trimmed);
  if (trimmed.startsWith('file://'))
    return { kind: 'local', path: decodeURIComponent(new URL(trimmed).pathname), prefix: '' };
  // A Windows drive letter is a path, anything else with a scheme is a store we do not know.
  if (/^[a-z][a-z0-9+.-]+:/i.test(trimmed) && !/^[a-z]:[\\/]/i.test(trimmed)) {
    throw new ConfigurationError(`'${stripUrlSecrets(trimmed)}' uses an unsupported scheme.`, {
      fix: URL_FIX,
    });
  }
  return { kind: 'local', path: trimmed, prefix: '' };
}

function normalizePrefix(prefix: string, source: string): string {
  if (!prefix) return '';
  const trailingSlash = prefix.endsWith('/');
  const key = safeRelativeKey('', trailingSlash ? prefix.slice(0, -1) : prefix, source);
  return trailingSlash ? `${key}/` : key;
}

/**
 * `prefix` + `key` as one posix key, refusing keys that would climb out of the prefix on a file
 * system (`..`, `.`), absolute keys, empty keys and NUL. The same rule for every store, so a copy
 * between stores never means something different at the other end.
 */
export function safeRelativeKey(prefix: string, key: string, source = key): string {
  const problem = keyProblem(key);
  if (problem) {
    throw new ConfigurationError(`Object key '${source}' ${problem}.`, {
      fix: 'Use a relative key without "." or ".." segments, such as "models/model.pkl".',
    });
  }
  if (!prefix) return key;
  return prefix.endsWith('/') ? `${prefix}${key}` : `${prefix}/${key}`;
}

function keyProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  if (key.includes('\0')) return 'contains a NUL character';
  if (key.startsWith('/') || key.startsWith('\\') || /^[a-z]:/i.test(key)) return 'is absolute';
  // Backslashes separate on Windows: check both separators.
  const segments = key.split(/[\\/]/);
  if (segments.some((s) => s === '..' || s === '.')) return 'has a "." or ".." segment';
  return undefined;
}

/** Prefix for `list`: empty, or a safe key that may end with '/'. */
export function safeListPrefix(rootPrefix: string, prefix: string): string {
  if (!prefix) return rootPrefix ? ensureTrailingSlash(rootPrefix) : '';
  return normalizePrefix(safeRelativeKey(rootPrefix, prefix), prefix);
}

export function ensureTrailingSlash(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The key relative to the store's root prefix (inverse of safeRelativeKey). */
export function relativeKey(rootPrefix: string, fullKey: string): string {
  const root = ensureTrailingSlash(rootPrefix);
  return root && fullKey.startsWith(root) ? fullKey.slice(root.length) : fullKey;
}

/** Removes query strings (SAS tokens, signatures) and user info from a URL for messages. */
export function stripUrlSecrets(url: string): string {
  return url.replace(/\?.*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export type ObjectStoreOperation = 'list' | 'stat' | 'read' | 'write' | 'delete';

export interface ObjectStoreErrorDetails {
  /** The store's description, e.g. `s3://bucket/prefix`. */
  store: string;
  operation: ObjectStoreOperation;
  /** The key as the caller gave it (relative to the store). */
  key: string;
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
  code?: string | undefined;
  serviceMessage?: string | undefined;
  requestId?: string | undefined;
}

/**
 * A storage call that failed. An AzureRequestError so the callers' 404 and transient checks work
 * the same for every store; `url` is `<store>/<key>` and `method` the operation.
 */
export class ObjectStoreError extends AzureRequestError {
  readonly store: string;
  readonly operation: ObjectStoreOperation;
  readonly key: string;

  constructor(details: ObjectStoreErrorDetails) {
    super({
      method: details.operation,
      url: joinDescription(details.store, details.key),
      status: details.status,
      code: details.code,
      serviceMessage:
        details.serviceMessage === undefined ? undefined : redactSecrets(details.serviceMessage),
      requestId: details.requestId,
    });
    this.store = details.store;
    this.operation = details.operation;
    this.key = details.key;
  }

  /** Connection failures (no status) are worth retrying too. */
  override get transient(): boolean {
    return this.status === 0 || super.transient;
  }
}

/** What a store reads off its SDK's error. */
export type StoreFailure = Pick<ObjectStoreErrorDetails, 'status' | 'code' | 'serviceMessage' | 'requestId'>;

/**
 * Runs one store call; a failure becomes an ObjectStoreError naming the store, operation and
 * key, described by the store's own `describe`. An abort is passed on as it is.
 */
export async function storeCall<T>(
  store: string,
  operation: ObjectStoreOperation,
  key: string,
  run: () => Promise<T>,
  describe: (error: unknown) => StoreFailure,
  abortSignal?: AbortSignal,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toStoreError(store, operation, key, error, describe, abortSignal);
  }
}

/** The ObjectStoreError for a failed store call; an abort is returned as it is. */
export function toStoreError(
  store: string,
  operation: ObjectStoreOperation,
  key: string,
  error: unknown,
  describe: (error: unknown) => StoreFailure,
  abortSignal?: AbortSignal,
): unknown {
  if (abortSignal?.aborted) return error;
  return new ObjectStoreError({ store, operation, key, ...describe(error) });
}

/** Query parameters that carry secrets in SAS and presigned URLs, and bearer/key headers. */
export function redactSecrets(text: string): string {
  return text
    .replace(
      /([?&](?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|se|sv|sp|st|spr|srt|ss|sr|skoid|sktid|skt|ske|sks|skv)=)[^&\s"']*/gi,
      '$1REDACTED',
    )
    .replace(/(authorization:?\s*)(bearer\s+|sharedkey\s+|aws4-hmac-sha256\s+)?\S+/gi, '$1$2REDACTED');
}

export function joinDescription(description: string, key: string): string {
  if (!key) return description;
  return description.endsWith('/') ? `${description}${key}` : `${description}/${key}`;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** The status and code of an error that is not an HTTP answer (connection refused, abort). */
export function networkErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const name = (error as { name?: unknown }).name;
  if (name === 'AbortError') return 'AbortError';
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An abort controller for an upload request that aborts with the caller's signal and when the body stream
 * fails: HTTP clients pipe a stream body without watching it, so a request whose body broke
 * (a checksum mismatch, a dropped source) would otherwise wait for bytes that never come.
 */
export function uploadAbortController(
  body: NodeJS.ReadableStream,
  abortSignal: AbortSignal | undefined,
): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(abortSignal?.reason);
  const onBodyError = (error: unknown) => controller.abort(error);
  if (abortSignal?.aborted) onAbort();
  abortSignal?.addEventListener('abort', onAbort, { once: true });
  body.once('error', onBodyError);
  return {
    controller,
    dispose: () => {
      abortSignal?.removeEventListener('abort', onAbort);
      body.removeListener('error', onBodyError);
    },
  };
}

/** What a store's write() returns of its own: the key, the size, the etag, what was set. */
export function writtenObject(
  key: string,
  size: number,
  etag: string | undefined,
  options: WriteObjectOptions,
): StoredObject {
  return {
    key,
    size,
    ...(etag && { etag }),
    ...(options.contentType && { contentType: options.contentType }),
    ...(options.metadata && { metadata: { ...options.metadata } }),
  };
}

/** The service refused an upload whose Content-MD5 did not match the bytes it received. */
export function isDigestRejection(error: unknown): boolean {
  if (!(error instanceof ObjectStoreError) || error.status !== 400) return false;
  // S3: BadDigest; Azure: Md5Mismatch; Azurite: InvalidOperation "Provided contentMD5 doesn't match."
  return (
    error.code === 'BadDigest' ||
    error.code === 'InvalidDigest' ||
    error.code === 'Md5Mismatch' ||
    /content-?md5/i.test(error.serviceMessage ?? '')
  );
}

/** The whole body of a failed answer (a service's small XML error document), as text. */
export async function responseText(response: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** A response header that came once, else undefined. */
export function singleHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The text of the first `<element>` of a service's XML error body, entities decoded. */
export function xmlElementText(xml: string, element: string): string | undefined {
  const match = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml);
  return match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Destroys `request` when `signal` aborts, with the signal's reason as its error (an aborted
 * upload reports what stopped it: the caller's reason, or its body's failure), until disposed.
 */
export function destroyOnAbort(
  request: { destroy(error?: Error): unknown },
  signal: AbortSignal | undefined,
): () => void {
  if (!signal) return () => undefined;
  const onAbort = () =>
    request.destroy(signal.reason instanceof Error ? signal.reason : new Error('The operation was aborted.'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
