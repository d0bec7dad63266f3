// A model's content fingerprint when its files are already in storage: a SHA-256 over the sorted
// listing (path, size, and the store's checksum or, lacking one, its ETag). Registering the same
// stored files twice gives the same fingerprint, so the second registration finds the first.
// Local folders use the code snapshot hash (202208) instead, computed from the bytes.

import { createHash } from 'node:crypto';

export const LISTING_HASH_VERSION = 'listing-v1';

export interface ListedFile {
  /** Posix path relative to the model's root. */
  relativePath: string;
  size: number;
  /** The store's content checksum (MD5 hex, CRC32C base64, …) or ETag: what changes with the bytes. */
  checksum: string;
}

export function listingHash(files: readonly ListedFile[]): string {
  const sorted = [...files].sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0,
  );
  const hash = createHash('sha256');
  hash.update(`${sorted.length}\n`);
  for (const file of sorted) hash.update(`${file.relativePath}\t${file.size}\t${file.checksum}\n`);
  return hash.digest('hex');
}
