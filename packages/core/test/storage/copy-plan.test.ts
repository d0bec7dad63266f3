// The pure half of a copy: globs over posix keys, the sync decisions (size and a checksum both
// sides know, never etags), deletes only when asked, and keys that would escape refused.

import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { compareObjects, keyFilter, matchesGlob, planCopy } from '../../src/storage/copy/plan';
import type { StoredObject } from '../../src/storage/object-stores/object-store';

describe('matchesGlob', () => {
  it.each([
    ['model.bin', '*.bin', true],
    ['models/deep/model.bin', '*.bin', true],
    ['models/model.bin', 'models/*.bin', true],
    ['models/deep/model.bin', 'models/*.bin', false],
    ['models/deep/model.bin', 'models/**/*.bin', true],
    ['models/model.bin', 'models/**/*.bin', true],
    ['models/a/b/c.txt', 'models/**', true],
    ['other/a.txt', 'models/**', false],
    ['a/b/c.json', '**/*.json', true],
    ['c.json', '**/*.json', true],
    ['data/part-1.csv', 'data/part-?.csv', true],
    ['data/part-10.csv', 'data/part-?.csv', false],
    ['weights.pt', '*.{pt,onnx}', true],
    ['weights.onnx', '*.{pt,onnx}', true],
    ['weights.bin', '*.{pt,onnx}', false],
    ['run1/x', 'run[12]/*', true],
    ['run3/x', 'run[12]/*', false],
    ['run3/x', 'run[!12]/*', true],
    ['données/été 1.bin', 'données/*.bin', true],
    ['a.b', 'a?b', true],
    ['a+b(1).txt', 'a+b(1).txt', true],
    ['aXb', 'a.b', false],
    ['/x', 'x', true],
    ['dir/x', '/dir/x', true],
  ])('%j against %j is %s', (key, glob, expected) => {
    expect(matchesGlob(key, glob)).toBe(expected);
  });

  it('refuses an unclosed brace and an empty glob', () => {
    expect(() => matchesGlob('a', '{a,b')).toThrow(ConfigurationError);
    expect(() => matchesGlob('a', '')).toThrow(/empty/);
  });

  it('applies includes, then excludes', () => {
    const pass = keyFilter(['**/*.bin', 'README.md'], ['tmp/**']);
    expect(['a.bin', 'x/y.bin', 'README.md', 'tmp/z.bin', 'notes.txt'].filter(pass)).toEqual([
      'a.bin',
      'x/y.bin',
      'README.md',
    ]);
    expect(keyFilter([], [])('anything/at/all')).toBe(true);
  });
});

const obj = (key: string, size: number, extra: Partial<StoredObject> = {}): StoredObject => ({
  key,
  size,
  ...extra,
});
const MD5_A = '0cc175b9c0f1b6a831c399e269772661';
const MD5_B = '92eb5ffee6ae2fec3ad71c777531578f';

describe('compareObjects', () => {
  it.each([
    [obj('k', 1, { md5: MD5_A }), obj('k', 1, { md5: MD5_A }), true, 'identical md5'],
    [obj('k', 1, { md5: MD5_A }), obj('k', 1, { md5: MD5_A.toUpperCase() }), true, 'identical md5'],
    [obj('k', 1, { md5: MD5_A }), obj('k', 1, { md5: MD5_B }), false, 'md5 differs'],
    [obj('k', 1, { md5: MD5_A }), obj('k', 2, { md5: MD5_A }), false, 'size differs'],
    // Metadata a previous copy stored stands in for a checksum the store does not keep.
    [obj('k', 1, { md5: MD5_A }), obj('k', 1, { metadata: { aml_md5: MD5_A } }), true, 'identical md5'],
    [
      obj('k', 1, { crc32c: 'AAAAAA==' }),
      obj('k', 1, { crc32c: 'AAAAAA==', md5: MD5_B }),
      true,
      'identical crc32c',
    ],
    [
      obj('k', 1, { metadata: { aml_sha256: 'ab' } }),
      obj('k', 1, { metadata: { aml_sha256: 'AB' } }),
      true,
      'identical sha256',
    ],
    // Same size and same etag is not enough: each cloud computes etags its own way.
    [obj('k', 1, { etag: '"x"' }), obj('k', 1, { etag: '"x"' }), false, 'no common checksum'],
    [obj('k', 1, { md5: MD5_A }), obj('k', 1, { crc32c: 'AAAAAA==' }), false, 'no common checksum'],
  ])('%j vs %j', (a, b, same, reason) => {
    expect(compareObjects(a, b)).toEqual({ same, reason });
  });
});

describe('planCopy', () => {
  const source = [
    obj('a.bin', 1, { md5: MD5_A }),
    obj('b.bin', 1, { md5: MD5_A }),
    obj('c.bin', 2, { md5: MD5_A }),
    obj('notes.txt', 5),
    obj('new.bin', 3),
  ];
  const destination = [
    obj('a.bin', 1, { md5: MD5_A }),
    obj('b.bin', 1, { md5: MD5_B }),
    obj('c.bin', 1, { md5: MD5_A }),
    obj('notes.txt', 5),
    obj('stale.bin', 9),
    obj('keep.txt', 9),
  ];
  const summary = (entries: { key: string; action: string; reason: string }[]) =>
    entries.map((e) => `${e.action} ${e.key} (${e.reason})`);

  it('copy mode copies everything that passes the filter', () => {
    const plan = planCopy(source, destination, { mode: 'copy', include: ['*.bin'] });
    expect(summary(plan.entries)).toEqual([
      'copy a.bin (overwrite)',
      'copy b.bin (overwrite)',
      'copy c.bin (overwrite)',
      'copy new.bin (new)',
    ]);
  });

  it('sync mode skips identical objects and copies the rest, deleting nothing by default', () => {
    const plan = planCopy(source, destination, { mode: 'sync' });
    expect(summary(plan.entries)).toEqual([
      'skip a.bin (identical md5)',
      'copy b.bin (md5 differs)',
      'copy c.bin (size differs)',
      'copy notes.txt (no common checksum)',
      'copy new.bin (new)',
    ]);
    expect(plan.entries[0]?.source).toEqual(source[0]);
    expect(plan.entries[0]?.destination).toEqual(destination[0]);
  });

  it('deletes extraneous objects only when asked, and never excluded ones', () => {
    const plan = planCopy(source, destination, { mode: 'sync', deleteExtraneous: true, exclude: ['*.txt'] });
    expect(summary(plan.entries).filter((line) => line.startsWith('delete'))).toEqual([
      'delete stale.bin (not in source)',
    ]);
    expect(plan.entries.some((e) => e.key === 'notes.txt')).toBe(false);
  });

  it('refuses delete-extraneous in copy mode, naming the input', () => {
    try {
      planCopy(source, destination, { mode: 'copy', deleteExtraneous: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).input).toBe('delete-extraneous');
    }
  });

  it.each([
    ['../outside.bin', /"\." or "\.\." segment/],
    ['a/../../etc/passwd', /"\." or "\.\." segment/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x', /absolute/],
    ['\\\\server\\share', /absolute/],
    ['dir\\..\\..\\x', /"\." or "\.\." segment/],
    ['dir\\file.bin', /backslash/],
    ['', /empty/],
  ])('rejects the source key %j before copying anything', (key, message) => {
    const list = [obj('fine.bin', 1), obj(key, 1)];
    expect(() => planCopy(list, [], { mode: 'copy' })).toThrow(ConfigurationError);
    expect(() => planCopy(list, [], { mode: 'copy' })).toThrow(message);
  });

  it('keeps unicode and spaces in keys as they are', () => {
    const plan = planCopy([obj('données/été 1.bin', 4)], [], { mode: 'copy' });
    expect(plan.entries).toMatchObject([{ key: 'données/été 1.bin', action: 'copy', reason: 'new' }]);
  });
});
