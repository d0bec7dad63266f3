// Where a JSON syntax error is, as a 1-based line and column. Node 20's JSON.parse names the
// offset ("at position N") for some errors only ("Unexpected token ']', … is not valid JSON" has
// none), so a small strict scanner finds the offset when the message does not carry it.

export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): TextPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/** Locates the syntax error that made `JSON.parse(text)` throw `error`. */
export function locateJsonSyntaxError(text: string, error: unknown): TextPosition {
  const message = error instanceof Error ? error.message : '';
  const match = /at position (\d+)/.exec(message);
  const offset =
    match?.[1] !== undefined ? Number(match[1]) : (findJsonSyntaxErrorOffset(text) ?? text.length);
  return positionAt(text, offset);
}

class JsonSyntax {
  constructor(readonly offset: number) {}
}

/** Offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function findJsonSyntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (at = i): never => {
    throw new JsonSyntax(at);
  };
  const skipWhitespace = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text.charAt(i) !== char) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const char = text.charAt(i);
      if (char === '"') {
        i++;
        return;
      }
      if (char.charCodeAt(0) < 0x20) fail();
      if (char === '\\') {
        const escaped = text.charAt(i + 1);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 1);
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escaped) || escaped === '') fail(i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    fail();
  };
  const number = () => {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match?.[0].length ?? 0;
  };
  const value = (): void => {
    skipWhitespace();
    const char = text.charAt(i);
    if (char === '{') object();
    else if (char === '[') array();
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else if (char === '-' || (char >= '0' && char <= '9')) number();
    else fail();
  };
  const object = () => {
    i++;
    skipWhitespace();
    if (text.charAt(i) === '}') {
      i++;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (text.charAt(i) !== '"') fail();
      string();
      skipWhitespace();
      if (text.charAt(i) !== ':') fail();
      i++;
      value();
      skipWhitespace();
      const next = text.charAt(i);
      i++;
      if (next === '}') return;
      if (next !== ',') fail(i - 1);
    }
  };
  const array = () => {
    i++;
    skipWhitespace();
    if (text.charAt(i) === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skipWhitespace();
      const next = text.charAt(i);
      i++;
      if (next === ']') return;
      if (next !== ',') fail(i - 1);
    }
  };

  try {
    value();
    skipWhitespace();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntax) return error.offset;
    throw error;
  }
}
