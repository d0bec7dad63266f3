// Streaming checksums for copies between stores: MD5 (S3, Azure, GCS), CRC32C (GCS's own, in
// its base64 big-endian form) and SHA-256 (stored as metadata where no store keeps it), and a
// pass-through stream that checks them against the source's before the body ends.

import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export type ChecksumAlgorithm = 'md5' | 'crc32c' | 'sha256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['md5', 'crc32c', 'sha256'];

/** md5 and sha256 in hex, crc32c in base64 of the big-endian value (as GCS reports it). */
export type Checksums = Partial<Record<ChecksumAlgorithm, string>>;

// Slicing-by-8 tables for CRC32C (Castagnoli, reflected polynomial 0x82f63b78).
const CRC_TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const first = tables[0] as Uint32Array;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    first[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = first[n] as number;
    for (let t = 1; t < 8; t++) {
      c = (first[c & 0xff] as number) ^ (c >>> 8);
      (tables[t] as Uint32Array)[n] = c >>> 0;
    }
  }
  return tables;
})();

/** Continues a running CRC32C (start with 0) over `data`. */
export function crc32cUpdate(crc: number, data: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_TABLES as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let c = ~crc >>> 0;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  for (; i < end8; i += 8) {
    const lo =
      (c ^
        ((data[i] as number) |
          ((data[i + 1] as number) << 8) |
          ((data[i + 2] as number) << 16) |
          ((data[i + 3] as number) << 24))) >>>
      0;
    c =
      (t7[lo & 0xff] as number) ^
      (t6[(lo >>> 8) & 0xff] as number) ^
      (t5[(lo >>> 16) & 0xff] as number) ^
      (t4[lo >>> 24] as number) ^
      (t3[data[i + 4] as number] as number) ^
      (t2[data[i + 5] as number] as number) ^
      (t1[data[i + 6] as number] as number) ^
      (t0[data[i + 7] as number] as number);
  }
  for (; i < data.length; i++) c = (t0[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC32C value as GCS writes it: base64 of the 4 big-endian bytes. */
export function crc32cToBase64(crc: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc >>> 0);
  return bytes.toString('base64');
}

/** Running hashes of the chosen algorithms over one byte stream. */
export class MultiHasher {
  private readonly hashes = new Map<'md5' | 'sha256', Hash>();
  private crc: number | undefined;
  private finished: Checksums | undefined;
  bytes = 0;

  constructor(readonly algorithms: readonly ChecksumAlgorithm[]) {
    for (const algorithm of algorithms) {
      if (algorithm === 'crc32c') this.crc = 0;
      else this.hashes.set(algorithm, createHash(algorithm));
    }
  }

  update(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    for (const hash of this.hashes.values()) hash.update(chunk);
    if (this.crc !== undefined) this.crc = crc32cUpdate(this.crc, chunk);
  }

  /** The digests; may be called more than once. */
  digest(): Checksums {
    if (!this.finished) {
      const result: Checksums = {};
      for (const [algorithm, hash] of this.hashes) result[algorithm] = hash.digest('hex');
      if (this.crc !== undefined) result.crc32c = crc32cToBase64(this.crc);
      this.finished = result;
    }
    return { ...this.finished };
  }
}

/** The checksums of a whole stream (read in its own chunks, never buffered whole). */
export async function checksumStream(
  stream: NodeJS.ReadableStream,
  algorithms: readonly ChecksumAlgorithm[],
): Promise<Checksums & { size: number }> {
  const hasher = new MultiHasher(algorithms);
  for await (const chunk of stream) hasher.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return { ...hasher.digest(), size: hasher.bytes };
}

export interface ChecksumMismatchDetails {
  key: string;
  /** 'size' when the byte count differs. */
  algorithm: ChecksumAlgorithm | 'size';
  expected: string;
  actual: string;
  /** Where the mismatch was seen: the bytes read from the source, or what the destination stored. */
  stage: 'transfer' | 'destination';
}

/** The bytes that arrived are not the bytes the source described: the copy of `key` failed. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
  readonly key: string;
  readonly algorithm: ChecksumAlgorithm | 'size';
  readonly expected: string;
  readonly actual: string;
  readonly stage: 'transfer' | 'destination';

  constructor(details: ChecksumMismatchDetails) {
    const what = details.algorithm === 'size' ? 'size' : `${details.algorithm} checksum`;
    super(
      `The ${what} of '${details.key}' ${details.stage === 'transfer' ? 'read from the source' : 'stored at the destination'} is ${details.actual}, expected ${details.expected}; the object was not copied.`,
    );
    this.key = details.key;
    this.algorithm = details.algorithm;
    this.expected = details.expected;
    this.actual = details.actual;
    this.stage = details.stage;
  }
}

export interface VerifyingStreamOptions {
  key: string;
  /** Algorithms to compute (those in `expected` are computed even when not listed). */
  algorithms: readonly ChecksumAlgorithm[];
  /** What the source says the object is; absent fields are not checked. */
  expected: Checksums & { size?: number };
  /** Bytes that passed, for progress. */
  onBytes?: (count: number) => void;
}

/**
 * Passes bytes through unchanged while hashing them, and in `_flush` (before the readable side
 * ends) compares size and checksums with the expected ones: a mismatch errors the stream, so the
 * store consuming it aborts its upload instead of finishing it.
 */
export class VerifyingStream extends Transform {
  readonly key: string;
  private readonly hasher: MultiHasher;
  private readonly expected: Checksums & { size?: number };
  private readonly onBytes: ((count: number) => void) | undefined;
  /** Set when verification failed (the stream errors with it). */
  mismatch: ChecksumMismatchError | undefined;
  /** Set once every byte has passed and matched. */
  verified: (Checksums & { size: number }) | undefined;

  constructor(options: VerifyingStreamOptions) {
    super();
    this.key = options.key;
    const algorithms = new Set(options.algorithms);
    for (const algorithm of CHECKSUM_ALGORITHMS) if (options.expected[algorithm]) algorithms.add(algorithm);
    this.hasher = new MultiHasher([...algorithms]);
    this.expected = options.expected;
    this.onBytes = options.onBytes;
  }

  get bytes(): number {
    return this.hasher.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hasher.update(chunk);
    this.onBytes?.(chunk.length);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const actual = this.hasher.digest();
    const size = this.hasher.bytes;
    let mismatch: ChecksumMismatchDetails | undefined;
    if (this.expected.size !== undefined && this.expected.size !== size) {
      mismatch = {
        key: this.key,
        algorithm: 'size',
        expected: String(this.expected.size),
        actual: String(size),
        stage: 'transfer',
      };
    } else {
      for (const algorithm of CHECKSUM_ALGORITHMS) {
        const expected = this.expected[algorithm];
        if (expected && actual[algorithm] !== expected) {
          mismatch = {
            key: this.key,
            algorithm,
            expected,
            actual: actual[algorithm] ?? '',
            stage: 'transfer',
          };
          break;
        }
      }
    }
    if (mismatch) {
      this.mismatch = new ChecksumMismatchError(mismatch);
      done(this.mismatch);
      return;
    }
    this.verified = { ...actual, size };
    done();
  }
}
