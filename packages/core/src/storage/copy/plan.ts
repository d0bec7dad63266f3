// What a copy or sync does, decided from the two listings alone (pure): which keys to copy,
// which to skip because the destination already holds the same bytes, and which to delete.

import { ConfigurationError } from '../../errors';
import { type StoredObject, safeRelativeKey } from '../object-stores/object-store';
import type { ChecksumAlgorithm, Checksums } from './checksums';

export type CopyMode = 'copy' | 'sync';
export type PlanAction = 'copy' | 'skip' | 'delete';

export interface PlanEntry {
  /** Relative to both stores' prefixes. */
  key: string;
  action: PlanAction;
  /** Why, for logs: `new`, `size differs`, `md5 differs`, `identical md5`, `not in source`, ... */
  reason: string;
  /** The source object (copy, skip). */
  source?: StoredObject;
  /** The destination object when one exists (skip, delete, overwrite). */
  destination?: StoredObject;
}

export interface CopyPlan {
  mode: CopyMode;
  entries: PlanEntry[];
}

export interface PlanOptions {
  mode: CopyMode;
  /** Globs a key must match one of (all keys when empty). */
  include?: readonly string[];
  /** Globs whose matching keys are left out (at both ends). */
  exclude?: readonly string[];
  /** Sync only: delete destination objects the source does not have. */
  deleteExtraneous?: boolean;
}

/**
 * Metadata names under which copies keep checksums the destination does not keep itself
 * (underscores: Azure metadata names must be C# identifiers).
 */
export const CHECKSUM_METADATA: Readonly<Record<ChecksumAlgorithm, string>> = {
  md5: 'aml_md5',
  crc32c: 'aml_crc32c',
  sha256: 'aml_sha256',
};

/** The checksums an object is known by: its store's own, else those a copy stored as metadata. */
export function knownChecksums(object: StoredObject): Checksums {
  const metadata = object.metadata ?? {};
  const result: Checksums = {};
  const md5 = object.md5 ?? metadata[CHECKSUM_METADATA.md5];
  const crc32c = object.crc32c ?? metadata[CHECKSUM_METADATA.crc32c];
  const sha256 = metadata[CHECKSUM_METADATA.sha256];
  if (md5) result.md5 = md5.toLowerCase();
  if (crc32c) result.crc32c = crc32c;
  if (sha256) result.sha256 = sha256.toLowerCase();
  return result;
}

/**
 * Same bytes? Sizes must match and one checksum both sides know must match (md5, then crc32c,
 * then sha256). Etags are never compared: each cloud computes them differently.
 */
export function compareObjects(
  source: StoredObject,
  destination: StoredObject,
): { same: boolean; reason: string } {
  if (source.size !== destination.size) return { same: false, reason: 'size differs' };
  const a = knownChecksums(source);
  const b = knownChecksums(destination);
  for (const algorithm of ['md5', 'crc32c', 'sha256'] as const) {
    const left = a[algorithm];
    const right = b[algorithm];
    if (left && right) {
      return left === right
        ? { same: true, reason: `identical ${algorithm}` }
        : { same: false, reason: `${algorithm} differs` };
    }
  }
  return { same: false, reason: 'no common checksum' };
}

export function planCopy(
  source: Iterable<StoredObject>,
  destination: Iterable<StoredObject>,
  options: PlanOptions,
): CopyPlan {
  if (options.deleteExtraneous && options.mode !== 'sync') {
    throw new ConfigurationError("'delete-extraneous' only applies to mode 'sync'.", {
      input: 'delete-extraneous',
      fix: "Set 'mode: sync' to delete destination objects the source does not have, or remove 'delete-extraneous'.",
    });
  }
  const filter = keyFilter(options.include ?? [], options.exclude ?? []);
  const existing = new Map<string, StoredObject>();
  for (const object of destination) if (filter(object.key)) existing.set(object.key, object);

  const entries: PlanEntry[] = [];
  const seen = new Set<string>();
  for (const object of source) {
    // A key that would land outside the destination prefix (or overwrite a parent) is refused.
    safeRelativeKey('', object.key, object.key);
    if (object.key.includes('\\')) {
      throw new ConfigurationError(`Object key '${object.key}' contains a backslash.`, {
        fix: 'Rename the object with "/" separators: a backslash is a separator on Windows and would change where it lands.',
      });
    }
    if (!filter(object.key) || seen.has(object.key)) continue;
    seen.add(object.key);
    const there = existing.get(object.key);
    if (!there) {
      entries.push({ key: object.key, action: 'copy', reason: 'new', source: object });
    } else if (options.mode === 'copy') {
      entries.push({
        key: object.key,
        action: 'copy',
        reason: 'overwrite',
        source: object,
        destination: there,
      });
    } else {
      const { same, reason } = compareObjects(object, there);
      entries.push({
        key: object.key,
        action: same ? 'skip' : 'copy',
        reason,
        source: object,
        destination: there,
      });
    }
  }
  if (options.deleteExtraneous) {
    for (const [key, object] of existing) {
      if (!seen.has(key))
        entries.push({ key, action: 'delete', reason: 'not in source', destination: object });
    }
  }
  return { mode: options.mode, entries };
}

/** Whether a key passes the include and exclude globs. */
export function keyFilter(include: readonly string[], exclude: readonly string[]): (key: string) => boolean {
  const includes = include.map(compileGlob);
  const excludes = exclude.map(compileGlob);
  return (key) =>
    (includes.length === 0 || includes.some((match) => match(key))) && !excludes.some((match) => match(key));
}

/**
 * A glob over posix keys: `*` (within one segment), `**` (any number of segments), `?`, `[abc]`,
 * `[!abc]`, `{a,b}`. A pattern without `/` matches the last segment at any depth (`*.bin`
 * matches `models/a.bin`), as in .gitignore; with `/` it matches the whole key.
 */
export function matchesGlob(key: string, glob: string): boolean {
  return compileGlob(glob)(key);
}

function compileGlob(glob: string): (key: string) => boolean {
  const pattern = glob.startsWith('/') ? glob.slice(1) : glob;
  if (!pattern) {
    throw new ConfigurationError(`The glob '${glob}' is empty.`, {
      fix: 'Use a pattern such as "**/*.bin".',
    });
  }
  const regex = new RegExp(`^${globSource(pattern, glob)}$`, 'u');
  if (!glob.includes('/')) return (key) => regex.test(key.slice(key.lastIndexOf('/') + 1));
  return (key) => regex.test(key);
}

function globSource(pattern: string, original: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const next = pattern[i + 2];
        if (atStart && next === '/') {
          // `**/`: zero or more whole segments.
          out += '(?:[^/]*/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '\\' && i + 1 < pattern.length) {
      i++;
      out += escapeRegex(pattern[i] as string);
    } else {
      out += escapeRegex(c);
    }
  }
  if (braces > 0) {
    throw new ConfigurationError(`The glob '${original}' has an unclosed '{'.`, {
      fix: 'Close each "{" with "}", as in "*.{bin,json}".',
    });
  }
  return out;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
