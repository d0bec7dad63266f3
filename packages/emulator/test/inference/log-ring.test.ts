// The scoring server's log buffer: lines split across chunks and streams, bounded in count and width.
import { describe, expect, it } from 'vitest';
import { LogRing } from '../../src/inference/log-ring';

describe('LogRing', () => {
  it('joins a line split over chunks and keeps streams apart', () => {
    const ring = new LogRing();
    expect(ring.write('hel', 'stdout')).toEqual([]);
    expect(ring.write('Traceback (most', 'stderr')).toEqual([]);
    expect(ring.write('lo\nworld\n', 'stdout')).toEqual(['hello', 'world']);
    expect(ring.write(' recent call last):\r\n', 'stderr')).toEqual(['Traceback (most recent call last):']);
    expect(ring.tail()).toBe('hello\nworld\nTraceback (most recent call last):');
  });

  it('keeps empty lines and turns an unterminated last line into a line on flush', () => {
    const ring = new LogRing();
    ring.write('a\n\nb');
    expect(ring.lines()).toEqual(['a', '']);
    expect(ring.flush()).toEqual(['b']);
    expect(ring.lines()).toEqual(['a', '', 'b']);
    expect(ring.flush()).toEqual([]);
  });

  it.each([
    [undefined, ['l3', 'l4', 'l5', 'l6', 'l7']],
    [2, ['l6', 'l7']],
    [0, []],
    [50, ['l3', 'l4', 'l5', 'l6', 'l7']],
  ])('keeps the last maxLines lines; tail(%s)', (count, expected) => {
    const ring = new LogRing({ maxLines: 5 });
    for (let i = 1; i <= 7; i++) ring.write(`l${i}\n`);
    expect(ring.size).toBe(5);
    expect(ring.lines(count)).toEqual(expected);
    expect(ring.tail(count)).toBe(expected.join('\n'));
  });

  it('cuts long lines, terminated or not, so memory stays bounded', () => {
    const ring = new LogRing({ maxLines: 10, maxLineLength: 8 });
    expect(ring.write('0123456789\n')).toEqual(['01234567… [2 characters cut]']);
    // No newline ever comes: the pending text is cut once it passes the limit.
    expect(ring.write('abcdefghijk')).toEqual(['abcdefgh… [3 characters cut]']);
    expect(ring.write('z\n')).toEqual(['z']);
  });

  it.each([
    [{ maxLines: 0 }, /maxLines/],
    [{ maxLines: 1.5 }, /maxLines/],
    [{ maxLineLength: -1 }, /maxLineLength/],
  ])('rejects options %j', (options, message) => {
    expect(() => new LogRing(options)).toThrow(message);
  });

  it.each([-1, 1.5])('rejects tail(%s)', (count) => {
    expect(() => new LogRing().tail(count)).toThrow(RangeError);
  });
});
