// Runs a copy plan between two object stores: a bounded pool of workers, each streaming one
// object from source to destination through a VerifyingStream (never buffering it whole), with
// per-object retries, server-side copies where the destination can do them, and progress.

import { pipeline, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { ObjectStore, StoredObject } from '../object-stores/object-store';
import { isDigestRejection, ObjectStoreError } from '../object-stores/object-store';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  ChecksumMismatchError,
  type Checksums,
  checksumStream,
  VerifyingStream,
} from './checksums';
import { CHECKSUM_METADATA, type CopyPlan, knownChecksums, type PlanAction, type PlanEntry } from './plan';

export type ChecksumMode = 'auto' | ChecksumAlgorithm | 'none';

export interface CopyProgress {
  objectsDone: number;
  objectsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedSeconds: number;
  mibPerSecond: number;
  /** undefined until some bytes have moved. */
  etaSeconds: number | undefined;
}

export interface CopyObjectsOptions {
  source: ObjectStore;
  destination: ObjectStore;
  plan: CopyPlan;
  /** Objects in flight at once; default 4. Memory ≈ concurrency × the store's buffers × part size. */
  concurrency?: number;
  /** Part (block, chunk) size of multi-part uploads; default 8 MiB. */
  partSizeInBytes?: number;
  /**
   * 'auto' (default): verify every checksum the source knows (md5, crc32c, aml_sha256 metadata)
   * and compute md5 for the manifest. An algorithm: compute it, verify it when the source knows
   * it. 'none': only the size is verified.
   */
  checksum?: ChecksumMode;
  /** Further attempts per object after a transient failure; default 3. */
  retries?: number;
  /** First backoff delay, doubled per attempt with jitter; default 500. */
  retryDelayInMs?: number;
  /** Backoff cap; default 10 000. */
  maxRetryDelayInMs?: number;
  /** Let the destination copy server-side when it can (same cloud and account); default true. */
  serverSideCopy?: boolean;
  onProgress?: (progress: CopyProgress) => void;
  /** How often onProgress is called while copying (and once at the end); default 1000. */
  progressIntervalInMs?: number;
  abortSignal?: AbortSignal;
}

export interface ManifestEntry {
  key: string;
  size: number;
  md5?: string;
  crc32c?: string;
  sha256?: string;
  action: PlanAction;
  reason: string;
  /** Copied by the destination's service without the bytes passing through here. */
  serverSide?: boolean;
}

export interface CopyTotals {
  /** Objects copied. */
  objects: number;
  /** Bytes copied. */
  bytes: number;
  skipped: number;
  deleted: number;
  seconds: number;
  mibPerSecond: number;
}

export interface CopyResult {
  entries: ManifestEntry[];
  totals: CopyTotals;
}

export interface CopyFailure {
  key: string;
  error: unknown;
}

/** Some objects could not be copied (the others were); nothing partial is left at their names. */
export class CopyFailedError extends Error {
  override readonly name = 'CopyFailedError';
  readonly failures: CopyFailure[];
  /** What did succeed. */
  readonly result: CopyResult;

  constructor(failures: CopyFailure[], result: CopyResult) {
    const first = failures[0];
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    super(
      `${failures.length} object(s) could not be copied: '${first?.key}': ${first ? messageOf(first.error) : ''}${more}`,
      { cause: first?.error },
    );
    this.failures = failures;
    this.result = result;
  }
}

const MiB = 1024 * 1024;
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** Whether another attempt may succeed: throttling, 5xx, or a connection dropped mid-transfer. */
export function isTransientCopyError(error: unknown): boolean {
  if (error instanceof ChecksumMismatchError) return false;
  if (error instanceof ObjectStoreError) {
    if (TRANSIENT_STATUS.has(error.status)) return true;
    return error.status === 0 && error.code !== undefined && TRANSIENT_CODES.has(error.code);
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/**
 * A store's objects under `prefix` with a checksum each, for planning a sync: objects whose
 * listing has none are stat-ed (S3 lists no metadata, where copies keep `aml_md5`), and hashed
 * when still without one (local files, blobs uploaded without Content-MD5).
 */
export async function listForPlan(
  store: ObjectStore,
  options: {
    prefix?: string;
    checksums?: 'listed' | 'complete';
    concurrency?: number;
    abortSignal?: AbortSignal;
  } = {},
): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  const callOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  for await (const object of store.list(options.prefix ?? '', callOptions)) objects.push(object);
  if (options.checksums !== 'complete') return objects;
  await runPool(objects.length, options.concurrency ?? 8, async (index) => {
    let object = objects[index] as StoredObject;
    if (hasChecksum(object)) return;
    if (store.kind !== 'local') {
      const stat = await store.stat(object.key, callOptions);
      if (stat) object = { ...stat, ...object, ...pick(stat, ['md5', 'crc32c', 'contentType', 'metadata']) };
    }
    if (!hasChecksum(object)) {
      const sums = await checksumStream(await store.openRead(object.key, callOptions), ['md5']);
      if (sums.size === object.size) object = { ...object, md5: sums.md5 as string };
    }
    objects[index] = object;
  });
  return objects;
}

export async function copyObjects(options: CopyObjectsOptions): Promise<CopyResult> {
  const started = performance.now();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const copies = options.plan.entries.filter((e) => e.action === 'copy');
  const deletes = options.plan.entries.filter((e) => e.action === 'delete');
  const skips = options.plan.entries.filter((e) => e.action === 'skip');
  const state = {
    objectsDone: 0,
    bytesDone: 0,
    objectsTotal: copies.length + deletes.length,
    bytesTotal: copies.reduce((sum, e) => sum + (e.source?.size ?? 0), 0),
  };
  const progress = (): CopyProgress => {
    const elapsedSeconds = (performance.now() - started) / 1000;
    const rate = elapsedSeconds > 0 ? state.bytesDone / elapsedSeconds : 0;
    return {
      ...state,
      elapsedSeconds,
      mibPerSecond: rate / MiB,
      etaSeconds: rate > 0 ? Math.max(0, state.bytesTotal - state.bytesDone) / rate : undefined,
    };
  };
  const timer =
    options.onProgress &&
    setInterval(() => options.onProgress?.(progress()), options.progressIntervalInMs ?? 1000);
  timer?.unref();

  const manifest = new Map<string, ManifestEntry>();
  for (const entry of skips) manifest.set(entry.key, manifestOf(entry, entry.source, {}));
  const failures: CopyFailure[] = [];
  try {
    await runPool(copies.length, concurrency, async (index) => {
      const entry = copies[index] as PlanEntry;
      if (options.abortSignal?.aborted) return;
      try {
        manifest.set(entry.key, await copyWithRetries(entry, options, state));
      } catch (error) {
        if (options.abortSignal?.aborted) return;
        failures.push({ key: entry.key, error });
      }
      state.objectsDone++;
    });
    options.abortSignal?.throwIfAborted();
    // Deleting after a failed copy could leave the destination with neither version: skip.
    if (failures.length === 0) {
      await runPool(deletes.length, concurrency, async (index) => {
        const entry = deletes[index] as PlanEntry;
        try {
          await options.destination.delete(entry.key, signalOf(options));
          manifest.set(entry.key, manifestOf(entry, entry.destination, {}));
        } catch (error) {
          failures.push({ key: entry.key, error });
        }
        state.objectsDone++;
      });
    }
    options.abortSignal?.throwIfAborted();
  } finally {
    if (timer) clearInterval(timer);
  }
  options.onProgress?.(progress());
  const entries = options.plan.entries.flatMap((e) => manifest.get(e.key) ?? []);
  const seconds = (performance.now() - started) / 1000;
  const bytes = entries.filter((e) => e.action === 'copy').reduce((sum, e) => sum + e.size, 0);
  const result: CopyResult = {
    entries,
    totals: {
      objects: entries.filter((e) => e.action === 'copy').length,
      bytes,
      skipped: entries.filter((e) => e.action === 'skip').length,
      deleted: entries.filter((e) => e.action === 'delete').length,
      seconds,
      mibPerSecond: seconds > 0 ? bytes / MiB / seconds : 0,
    },
  };
  if (failures.length > 0) throw new CopyFailedError(failures, result);
  return result;
}

interface Counters {
  bytesDone: number;
}

async function copyWithRetries(
  entry: PlanEntry,
  options: CopyObjectsOptions,
  counters: Counters,
): Promise<ManifestEntry> {
  const retries = Math.max(0, options.retries ?? 3);
  const base = options.retryDelayInMs ?? 500;
  const cap = options.maxRetryDelayInMs ?? 10_000;
  for (let attempt = 0; ; attempt++) {
    const moved = { bytes: 0 };
    try {
      return await copyOnce(entry, options, (n) => {
        moved.bytes += n;
        counters.bytesDone += n;
      });
    } catch (error) {
      counters.bytesDone -= moved.bytes;
      if (options.abortSignal?.aborted || attempt >= retries || !isTransientCopyError(error)) throw error;
      // Full jitter over the upper half: spreads retries of a throttled batch.
      const delay = Math.min(cap, base * 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleepFor(delay, undefined, options.abortSignal ? { signal: options.abortSignal } : {});
    }
  }
}

async function copyOnce(
  entry: PlanEntry,
  options: CopyObjectsOptions,
  onBytes: (count: number) => void,
): Promise<ManifestEntry> {
  const { source, destination } = options;
  const call = signalOf(options);
  let object = entry.source as StoredObject;
  // Listings of S3 carry neither content type nor metadata: ask for them.
  if (source.kind !== 'local' && object.contentType === undefined && object.metadata === undefined) {
    const stat = await source.stat(entry.key, call);
    if (!stat) {
      throw new ObjectStoreError({
        store: source.description,
        operation: 'read',
        key: entry.key,
        status: 404,
        serviceMessage: 'The object disappeared after listing.',
      });
    }
    object = { ...stat, ...object, ...pick(stat, ['md5', 'crc32c', 'contentType', 'metadata']) };
  }
  const known = knownChecksums(object);
  const mode = options.checksum ?? 'auto';
  const expected: Checksums = mode === 'auto' ? known : mode === 'none' ? {} : pick(known, [mode]);
  const partSizeInBytes = options.partSizeInBytes ?? 8 * MiB;

  if (options.serverSideCopy !== false && destination.copyFrom) {
    const copied = await destination.copyFrom(source, entry.key, entry.key, { ...call, size: object.size });
    if (copied) {
      if (copied.size !== object.size || (expected.md5 && copied.md5 && copied.md5 !== expected.md5)) {
        await destination.delete(entry.key, call).catch(() => undefined);
        throw new ChecksumMismatchError({
          key: entry.key,
          algorithm: copied.size !== object.size ? 'size' : 'md5',
          expected: copied.size !== object.size ? String(object.size) : (expected.md5 as string),
          actual: copied.size !== object.size ? String(copied.size) : (copied.md5 as string),
          stage: 'destination',
        });
      }
      onBytes(object.size);
      return { ...manifestOf(entry, object, { ...known, ...knownChecksums(copied) }), serverSide: true };
    }
  }

  // When the source's MD5 is known and the destination checks it on upload, the service verifies
  // the bytes end to end and hashing them here too would only spend CPU.
  const serviceMd5 =
    expected.md5 !== undefined && destination.checksMd5OnWrite?.(object.size, partSizeInBytes) === true
      ? expected.md5
      : undefined;
  const algorithms: ChecksumAlgorithm[] =
    mode === 'none' || (serviceMd5 && (mode === 'auto' || mode === 'md5'))
      ? []
      : [mode === 'auto' ? 'md5' : mode];
  const verifier = new VerifyingStream({
    key: entry.key,
    algorithms,
    expected: { ...expected, ...(serviceMd5 && { md5: undefined }), size: object.size },
    onBytes,
  });
  const read = await source.openRead(entry.key, { ...call, size: object.size });
  let readError: unknown;
  (read as Readable).once('error', (error) => {
    readError = error;
  });
  pipeline(read, verifier, () => undefined);
  let written: StoredObject;
  try {
    written = await destination.write(entry.key, verifier, {
      ...call,
      size: object.size,
      partSizeInBytes,
      ...(serviceMd5 && { md5: serviceMd5 }),
      ...(object.contentType && { contentType: object.contentType }),
      ...metadataFor(destination, object.metadata, expected),
    });
  } catch (error) {
    verifier.destroy();
    if (serviceMd5 && !readError && !verifier.mismatch && isDigestRejection(error)) {
      throw new ChecksumMismatchError({
        key: entry.key,
        algorithm: 'md5',
        expected: serviceMd5,
        actual: 'other bytes (the destination refused the upload)',
        stage: 'destination',
      });
    }
    // The store wraps what broke its body; report the cause itself.
    throw verifier.mismatch ?? readError ?? error;
  }
  // A service may answer as soon as the declared bytes arrived, before the source's end reached
  // the verifier: wait for its verdict (a longer source fails it).
  if (!verifier.verified && !verifier.mismatch) {
    await finished(verifier, { readable: false }).catch(() => undefined);
  }
  if (verifier.mismatch || readError) {
    await destination.delete(entry.key, call).catch(() => undefined);
    throw verifier.mismatch ?? readError;
  }
  const verified = verifier.verified;
  if (!verified) {
    await destination.delete(entry.key, call).catch(() => undefined);
    throw new ChecksumMismatchError({
      key: entry.key,
      algorithm: 'size',
      expected: String(object.size),
      actual: String(verifier.bytes),
      stage: 'destination',
    });
  }
  // What the destination computed or confirmed, against what passed through here or, when the
  // service checked the MD5, against the source's.
  const ours: Checksums = { ...verified, ...(serviceMd5 && { md5: serviceMd5 }) };
  for (const algorithm of ['size', 'md5', 'crc32c'] as const) {
    const stored = algorithm === 'size' ? String(written.size) : written[algorithm];
    const reference = algorithm === 'size' ? String(verified.size) : ours[algorithm];
    const required = algorithm === 'size' || (algorithm === 'md5' && serviceMd5 !== undefined);
    if (stored === reference || (!required && (stored === undefined || reference === undefined))) continue;
    await destination.delete(entry.key, call).catch(() => undefined);
    throw new ChecksumMismatchError({
      key: entry.key,
      algorithm,
      expected: reference ?? '',
      actual: stored ?? 'none reported',
      stage: 'destination',
    });
  }
  const sums: Checksums = { ...known, ...pick(ours, CHECKSUM_ALGORITHMS) };
  return manifestOf(entry, object, sums);
}

/**
 * User metadata to carry over, with the verified source checksums the destination does not keep
 * natively (GCS keeps md5 and crc32c; block blobs uploaded in blocks and S3 objects keep none).
 */
function metadataFor(
  destination: ObjectStore,
  source: Record<string, string> | undefined,
  checksums: Checksums,
): { metadata?: Record<string, string> } {
  if (destination.kind === 'local') return {};
  const ours = new Set(Object.values(CHECKSUM_METADATA));
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(source ?? {})) if (!ours.has(name)) metadata[name] = value;
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = checksums[algorithm];
    const native = destination.kind === 'gcs' && algorithm !== 'sha256';
    if (value && !native) metadata[CHECKSUM_METADATA[algorithm]] = value;
  }
  return Object.keys(metadata).length > 0 ? { metadata } : {};
}

function manifestOf(entry: PlanEntry, object: StoredObject | undefined, sums: Checksums): ManifestEntry {
  const known = object ? { ...knownChecksums(object), ...sums } : sums;
  return {
    key: entry.key,
    size: object?.size ?? 0,
    ...pick(known, CHECKSUM_ALGORITHMS),
    action: entry.action,
    reason: entry.reason,
  };
}

function hasChecksum(object: StoredObject): boolean {
  return Object.keys(knownChecksums(object)).length > 0;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function signalOf(options: { abortSignal?: AbortSignal }): { abortSignal?: AbortSignal } {
  return options.abortSignal ? { abortSignal: options.abortSignal } : {};
}

/** Runs task(0..count-1) with at most `limit` at once; rejects with the first task error. */
async function runPool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
