import { describe, expect, it } from 'vitest';
import { findJsonSyntaxErrorOffset, locateJsonSyntaxError, positionAt } from '../../src/workspace';

function nodeOffset(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const match = /at position (\d+)/.exec((error as Error).message);
    return match ? Number(match[1]) : -1;
  }
}

describe('findJsonSyntaxErrorOffset', () => {
  it.each(['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ', '"just a string"', '0'])(
    'accepts valid JSON %j',
    (text) => {
      expect(findJsonSyntaxErrorOffset(text)).toBeUndefined();
    },
  );

  // Where Node names a position, the scanner finds the same one.
  it.each([
    '{\n  "a": 1,\n}',
    '{"a" 1}',
    '{"a": 1 "b": 2}',
    '{a: 1}',
    '{"a": "x\\q"}',
    '{"a": 01}',
    '{"a": 1} x',
  ])('agrees with JSON.parse on %j', (text) => {
    const expected = nodeOffset(text);
    expect(expected).toBeGreaterThanOrEqual(0);
    expect(findJsonSyntaxErrorOffset(text)).toBe(expected);
  });

  it.each([
    ['[1,]', 3],
    ['{"a": tru}', 9],
    ['{"a": [1 2]}', 9],
    ['{"a": "line\nbreak"}', 11],
    ['{"a": ', 6],
    ['', 0],
  ])('finds the error in %j at %i', (text, offset) => {
    expect(findJsonSyntaxErrorOffset(text)).toBe(offset);
  });
});

describe('positions', () => {
  it('turns offsets into 1-based lines and columns', () => {
    const text = 'ab\ncd\r\nef';
    expect(positionAt(text, 0)).toEqual({ offset: 0, line: 1, column: 1 });
    expect(positionAt(text, 4)).toEqual({ offset: 4, line: 2, column: 2 });
    expect(positionAt(text, 7)).toEqual({ offset: 7, line: 3, column: 1 });
    expect(positionAt(text, 99)).toEqual({ offset: 9, line: 3, column: 3 });
  });

  it('uses the position from the parse error when there is one', () => {
    const text = '{\n  "a" 1\n}';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    expect(locateJsonSyntaxError(text, error)).toEqual({ offset: 8, line: 2, column: 7 });
    expect(locateJsonSyntaxError('{"a":1,}', new Error('Unexpected token'))).toMatchObject({ offset: 7 });
  });
});
