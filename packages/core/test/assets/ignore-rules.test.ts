import { describe, expect, it } from 'vitest';
import { IgnoreMatcher, parseIgnoreRules } from '../../src/assets/ignore-rules';

// [rules, path, isDirectory, ignored]
const CASES: [string, string, boolean, boolean][] = [
  // Plain names match at any depth, files and folders alike.
  ['secret.txt', 'secret.txt', false, true],
  ['secret.txt', 'deep/down/secret.txt', false, true],
  ['secret.txt', 'secret.txt.bak', false, false],
  ['logs', 'logs', true, true],
  ['logs', 'a/logs/x.log', false, true],
  // Comments and blank lines are not rules; `\#` is a literal '#'.
  ['# comment\n\n', '# comment', false, false],
  ['\\#notes', '#notes', false, true],
  ['\\#notes', 'notes', false, false],
  // `!` re-includes; `\!` is a literal '!'.
  ['*.log\n!keep.log', 'keep.log', false, false],
  ['*.log\n!keep.log', 'other.log', false, true],
  ['\\!important', '!important', false, true],
  ['!keep.log\n*.log', 'keep.log', false, true],
  // A trailing slash means directories only.
  ['build/', 'build', true, true],
  ['build/', 'build', false, false],
  ['build/', 'build/out.bin', false, true],
  ['build/', 'src/build/out.bin', false, true],
  // A leading slash (or any inner slash) anchors at the root.
  ['/data', 'data/x.csv', false, true],
  ['/data', 'sub/data/x.csv', false, false],
  ['docs/*.md', 'docs/a.md', false, true],
  ['docs/*.md', 'x/docs/a.md', false, false],
  ['docs/*.md', 'docs/sub/a.md', false, false],
  // `*` and `?` stay within one segment.
  ['*.py[co]', 'mod.pyc', false, true],
  ['*.py[co]', 'mod.py', false, false],
  ['file?.txt', 'file1.txt', false, true],
  ['file?.txt', 'file12.txt', false, false],
  ['a*b', 'a/b', false, false],
  // Brackets: ranges and negation.
  ['data[0-9].csv', 'data7.csv', false, true],
  ['data[0-9].csv', 'datax.csv', false, false],
  ['data[!0-9].csv', 'datax.csv', false, true],
  ['data[!0-9].csv', 'data7.csv', false, false],
  ['[abc', '[abc', false, true],
  // `**`: leading, trailing, middle.
  ['**/cache', 'cache', true, true],
  ['**/cache', 'a/b/cache', true, true],
  ['tmp/**', 'tmp/x/y.txt', false, true],
  ['tmp/**', 'tmp', true, false],
  ['a/**/z.txt', 'a/z.txt', false, true],
  ['a/**/z.txt', 'a/b/c/z.txt', false, true],
  ['a/**/z.txt', 'b/a/z.txt', false, false],
  // A file in an excluded folder cannot be re-included.
  ['build/\n!build/keep.txt', 'build/keep.txt', false, true],
  ['build/*\n!build/keep.txt', 'build/keep.txt', false, false],
  ['build/*\n!build/keep.txt', 'build/drop.txt', false, true],
  // Trailing spaces are trimmed unless escaped.
  ['spaced.txt   ', 'spaced.txt', false, true],
  ['space\\ ', 'space ', false, true],
  // Case-sensitive, like git on Linux.
  ['README.md', 'readme.md', false, false],
  // No rules: nothing is ignored.
  ['', 'anything', false, false],
];

describe('IgnoreMatcher', () => {
  it.each(CASES)('rules %j: %s (dir %s) ignored = %s', (rules, path, isDirectory, ignored) => {
    expect(new IgnoreMatcher(rules).isIgnored(path, isDirectory)).toBe(ignored);
  });

  it('keeps rule order and line numbers, dropping comments and blanks', () => {
    const rules = parseIgnoreRules('\uFEFF# header\r\n*.tmp\r\n\r\n!/keep.tmp\r\ncache/\n');
    expect(rules.map((r) => [r.line, r.negated, r.directoryOnly])).toEqual([
      [2, false, false],
      [4, true, false],
      [5, false, true],
    ]);
  });

  it('ignores lines that are only a slash or a bang', () => {
    const matcher = new IgnoreMatcher('/\n!\n');
    expect(matcher.rules).toHaveLength(0);
    expect(matcher.isIgnored('x', false)).toBe(false);
  });
});
