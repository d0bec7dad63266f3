import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSnapshotFiles, snapshotHash, sortForHash } from '../../src/assets/snapshot';
import { ConfigurationError } from '../../src/errors';

let root: string;

function write(relative: string, content: string | Buffer): void {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** The README recipe written out by hand: one buffer, no streaming, no shared code. */
function expectedHash(entries: [string, Buffer][]): string {
  const sorted = [...entries].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  let text = String(sorted.length);
  for (const [name, content] of sorted) text += `#${name}#${content.length}`;
  const all = Buffer.concat([Buffer.from(text, 'utf8'), ...sorted.map(([, content]) => content)]);
  return createHash('sha256').update(all).digest('hex');
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'snapshot-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('snapshotHash (202208)', () => {
  it('matches the README recipe for a small tree', async () => {
    write('train.py', 'print("hi")\n');
    write('Utils/helpers.py', 'X = 1\n');
    write('data/b.csv', 'a,b\n1,2\n');
    const files = await listSnapshotFiles(root);
    expect(files.map((f) => f.relativePath)).toEqual(['data/b.csv', 'train.py', 'Utils/helpers.py']);
    const expected = expectedHash([
      ['train.py', Buffer.from('print("hi")\n')],
      ['Utils/helpers.py', Buffer.from('X = 1\n')],
      ['data/b.csv', Buffer.from('a,b\n1,2\n')],
    ]);
    expect(await snapshotHash(files)).toBe(expected);
  });

  it('is a known constant for a fixed tree (guards the recipe itself)', async () => {
    write('a.txt', 'a');
    write('b.txt', 'b');
    // `printf '2#a.txt#1#b.txt#1ab' | sha256sum`
    expect(await snapshotHash(await listSnapshotFiles(root))).toBe(
      'dd7e8a26344baccac0ae445d9de50de0b90e96ffdaceb4e536a7ce585b198ae5',
    );
  });

  it('tells apart trees whose concatenated bytes are equal', async () => {
    write('a.txt', 'a');
    write('b.txt', 'b');
    const first = await snapshotHash(await listSnapshotFiles(root));
    rmSync(path.join(root, 'b.txt'));
    write('a.txt', 'ab.txtb');
    expect(await snapshotHash(await listSnapshotFiles(root))).not.toBe(first);
  });

  it('streams large binary files', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
    write('model.bin', big);
    expect(await snapshotHash(await listSnapshotFiles(root))).toBe(expectedHash([['model.bin', big]]));
  });

  it('hashes a single file under its base name', async () => {
    write('nested/score.py', 'def run(): pass\n');
    const files = await listSnapshotFiles(path.join(root, 'nested/score.py'));
    expect(files).toEqual([expect.objectContaining({ relativePath: 'score.py', size: 16 })]);
    expect(await snapshotHash(files)).toBe(expectedHash([['score.py', Buffer.from('def run(): pass\n')]]));
  });

  it('hashes an empty folder as a count of zero', async () => {
    // `printf '0' | sha256sum`
    expect(await snapshotHash(await listSnapshotFiles(root))).toBe(
      '5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9',
    );
  });

  it('fails when a file changed size after it was listed', async () => {
    write('a.txt', 'short');
    const files = await listSnapshotFiles(root);
    write('a.txt', 'much longer now');
    await expect(snapshotHash(files)).rejects.toThrow(/changed while it was being hashed/);
  });

  it('stops when aborted', async () => {
    write('a.txt', 'a');
    const controller = new AbortController();
    controller.abort();
    await expect(
      snapshotHash(await listSnapshotFiles(root), { abortSignal: controller.signal }),
    ).rejects.toThrow();
  });
});

describe('listSnapshotFiles', () => {
  it('applies .amlignore and not .gitignore when both exist', async () => {
    write('.amlignore', 'outputs/\n*.tmp\n');
    write('.gitignore', 'train.py\n');
    write('train.py', 'x');
    write('scratch.tmp', 'x');
    write('outputs/model.pkl', 'x');
    const names = (await listSnapshotFiles(root)).map((f) => f.relativePath);
    expect(names).toEqual(['.amlignore', '.gitignore', 'train.py']);
  });

  it('falls back to .gitignore when there is no .amlignore', async () => {
    write('.gitignore', '__pycache__/\n');
    write('train.py', 'x');
    write('__pycache__/train.cpython-311.pyc', 'x');
    expect((await listSnapshotFiles(root)).map((f) => f.relativePath)).toEqual(['.gitignore', 'train.py']);
  });

  it('reads only the ignore file at the root', async () => {
    write('sub/.amlignore', 'x.txt\n');
    write('sub/x.txt', 'x');
    expect((await listSnapshotFiles(root)).map((f) => f.relativePath)).toEqual([
      'sub/.amlignore',
      'sub/x.txt',
    ]);
  });

  it('resolves symlinks to files and folders', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'snapshot-outside-'));
    try {
      writeFileSync(path.join(outside, 'shared.py'), 'SHARED = 1\n');
      symlinkSync(path.join(outside, 'shared.py'), path.join(root, 'link.py'));
      symlinkSync(outside, path.join(root, 'lib'));
      const files = await listSnapshotFiles(root);
      expect(files.map((f) => [f.relativePath, f.size])).toEqual([
        ['lib/shared.py', 11],
        ['link.py', 11],
      ]);
      expect(readFileSync(files[1]?.absolutePath ?? '', 'utf8')).toBe('SHARED = 1\n');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a broken symlink unless it is ignored', async () => {
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
    await expect(listSnapshotFiles(root)).rejects.toThrow(/'dangling' .* is a broken symlink/);
    write('.amlignore', 'dangling\n');
    expect((await listSnapshotFiles(root)).map((f) => f.relativePath)).toEqual(['.amlignore']);
  });

  it('refuses a symlink loop', async () => {
    mkdirSync(path.join(root, 'a'));
    symlinkSync(root, path.join(root, 'a', 'back'));
    const error = await listSnapshotFiles(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problem).toMatch(/'a\/back' .* links back/);
  });

  it('names the input when the path does not exist', async () => {
    const error = await listSnapshotFiles(path.join(root, 'nope'), { file: 'job.yml' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(/^job\.yml: The code path '.*nope' does not exist/);
  });
});

describe('sortForHash', () => {
  it('orders by lower-cased path, then as written', () => {
    const sorted = sortForHash([
      { relativePath: 'b' },
      { relativePath: 'a' },
      { relativePath: 'B' },
      { relativePath: 'A/x' },
    ]);
    expect(sorted.map((f) => f.relativePath)).toEqual(['a', 'A/x', 'B', 'b']);
  });
});
