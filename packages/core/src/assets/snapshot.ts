// The files of a code snapshot and their content hash, computed the way Azure ML does (hash
// version 202208) so a code version uploaded by the CLI or the Python SDK is found and reused.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors';
import { IGNORE_FILE_NAMES, IgnoreMatcher } from './ignore-rules';

export const SNAPSHOT_HASH_VERSION = '202208';

export interface SnapshotFile {
  /** Posix path relative to the snapshot root; a single-file snapshot uses the file's base name. */
  relativePath: string;
  /** The file's real path (symlinks resolved). */
  absolutePath: string;
  size: number;
}

export interface ListSnapshotFilesOptions {
  /** For errors: the action input or YAML file the path came from. */
  input?: string;
  file?: string;
}

/**
 * The files Azure ML would snapshot for `localPath`: a folder minus what its root `.amlignore`
 * (else `.gitignore`) excludes, or one file. Sorted in hash order.
 */
export async function listSnapshotFiles(
  localPath: string,
  options: ListSnapshotFilesOptions = {},
): Promise<SnapshotFile[]> {
  const where = {
    ...(options.input ? { input: options.input } : {}),
    ...(options.file ? { file: options.file } : {}),
  };
  const root = path.resolve(localPath);
  let rootStat: Awaited<ReturnType<typeof stat>>;
  try {
    rootStat = await stat(root);
  } catch (error) {
    throw new ConfigurationError(`The code path '${localPath}' does not exist.`, {
      ...where,
      fix: 'Point code: (or the input) at an existing file or folder, relative to the YAML file.',
      cause: error,
    });
  }
  if (rootStat.isFile()) {
    return [{ relativePath: path.basename(root), absolutePath: await realpath(root), size: rootStat.size }];
  }
  if (!rootStat.isDirectory()) {
    throw new ConfigurationError(`The code path '${localPath}' is neither a file nor a folder.`, {
      ...where,
      fix: 'Point it at a regular file or folder.',
    });
  }
  const matcher = new IgnoreMatcher(await readIgnoreFile(root));
  const files: SnapshotFile[] = [];
  await walk(root, '', new Set([await realpath(root)]), matcher, files, localPath, where);
  return sortForHash(files);
}

/** The rules of `.amlignore` if present at the root, else of `.gitignore`, else none. */
export async function readIgnoreFile(root: string): Promise<string> {
  for (const name of IGNORE_FILE_NAMES) {
    try {
      return await readFile(path.join(root, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return '';
}

async function walk(
  directory: string,
  relativeDir: string,
  ancestors: Set<string>,
  matcher: IgnoreMatcher,
  files: SnapshotFile[],
  localPath: string,
  where: { input?: string; file?: string },
): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries) {
    const absolute = path.join(directory, entry.name);
    const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // Symlinks are resolved: a link to a file is that file, a link to a folder is walked.
      const target = await stat(absolute).catch(() => undefined);
      if (!target) {
        if (matcher.isEntryIgnored(relative, false)) continue;
        throw new ConfigurationError(`'${relative}' in the code folder '${localPath}' is a broken symlink.`, {
          ...where,
          fix: 'Remove the link, fix its target, or exclude it in .amlignore.',
        });
      }
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (matcher.isEntryIgnored(relative, isDirectory)) continue;
    if (isDirectory) {
      const real = await realpath(absolute);
      if (ancestors.has(real)) {
        throw new ConfigurationError(
          `'${relative}' in the code folder '${localPath}' links back to a folder that contains it.`,
          { ...where, fix: 'Remove the symlink loop, or exclude the link in .amlignore.' },
        );
      }
      await walk(absolute, relative, new Set([...ancestors, real]), matcher, files, localPath, where);
    } else if (isFile) {
      const info = await stat(absolute);
      files.push({ relativePath: relative, absolutePath: await realpath(absolute), size: info.size });
    }
    // Sockets, FIFOs and devices are not part of a snapshot.
  }
}

/** The hash's order: by relative path lower-cased (then as written, to be total). */
export function sortForHash<T extends { relativePath: string }>(files: readonly T[]): T[] {
  const byCodePoint = (a: string, b: string) => {
    const left = [...a];
    const right = [...b];
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      const x = left[i]?.codePointAt(0) ?? 0;
      const y = right[i]?.codePointAt(0) ?? 0;
      if (x !== y) return x - y;
    }
    return left.length - right.length;
  };
  return [...files].sort(
    (a, b) =>
      byCodePoint(a.relativePath.toLowerCase(), b.relativePath.toLowerCase()) ||
      byCodePoint(a.relativePath, b.relativePath),
  );
}

export interface SnapshotHashOptions {
  abortSignal?: AbortSignal;
}

/**
 * Content hash, version 202208: SHA-256 over the file count, then `#<path>#<size>` per file, then
 * every file's bytes, all in hash order. Files are streamed, never held in memory whole.
 */
export async function snapshotHash(
  files: readonly SnapshotFile[],
  options: SnapshotHashOptions = {},
): Promise<string> {
  const ordered = sortForHash(files);
  const hash = createHash('sha256');
  hash.update(String(ordered.length));
  for (const file of ordered) {
    hash.update(`#${file.relativePath}#`);
    hash.update(String(file.size));
  }
  for (const file of ordered) {
    options.abortSignal?.throwIfAborted();
    const read = await streamInto(hash, file.absolutePath, options.abortSignal);
    if (read !== file.size) {
      throw new Error(
        `'${file.relativePath}' changed while it was being hashed (${file.size} bytes listed, ${read} read); run again.`,
      );
    }
  }
  return hash.digest('hex');
}

async function streamInto(hash: Hash, file: string, abortSignal: AbortSignal | undefined): Promise<number> {
  let bytes = 0;
  const stream = createReadStream(file, abortSignal ? { signal: abortSignal } : {});
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    hash.update(buffer);
  }
  return bytes;
}
