// The `creds` input in the AZURE_CREDENTIALS format that azure/login reads (the output of
// `az ad sp create-for-rbac --json-auth`). The text is a secret: errors name keys, lines and
// columns, never the text itself (V8's JSON.parse messages quote it, so they are not used).

import { ConfigurationError } from '../errors';
import { checkSecretInput } from './secret-checks';

export interface AzureCredentialsJson {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  subscriptionId: string;
  activeDirectoryEndpointUrl?: string;
  resourceManagerEndpointUrl?: string;
}

const REQUIRED_KEYS = ['clientId', 'clientSecret', 'tenantId', 'subscriptionId'] as const;
const OPTIONAL_KEYS = ['activeDirectoryEndpointUrl', 'resourceManagerEndpointUrl'] as const;
const FIX_FORMAT =
  "Store the JSON printed by 'az ad sp create-for-rbac --json-auth' as the secret, unchanged: " +
  '{"clientId": "…", "clientSecret": "…", "tenantId": "…", "subscriptionId": "…"}.';

export function parseCredsJson(text: string | undefined, input = 'creds'): AzureCredentialsJson {
  checkSecretInput(text, { input, secretName: 'AZURE_CREDENTIALS' });
  // Positions are reported in the text as given, so no trimming here.
  const source = text as string;

  const syntaxError = findJsonSyntaxError(source);
  if (syntaxError) {
    const { line, column } = lineAndColumn(source, syntaxError.offset);
    throw new ConfigurationError(
      `is not valid JSON: ${syntaxError.problem} at line ${line}, column ${column}`,
      {
        input,
        line,
        column,
        fix: FIX_FORMAT,
      },
    );
  }

  const parsed: unknown = JSON.parse(source);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError('is not a JSON object', { input, fix: FIX_FORMAT });
  }
  const record = parsed as Record<string, unknown>;

  const missing = REQUIRED_KEYS.filter((key) => record[key] === undefined || record[key] === null);
  if (missing.length > 0) {
    throw new ConfigurationError(`is missing ${missing.map((key) => `'${key}'`).join(', ')}`, {
      input,
      fix: FIX_FORMAT,
    });
  }
  const badlyTyped = [...REQUIRED_KEYS, ...OPTIONAL_KEYS].filter(
    (key) =>
      record[key] !== undefined && (typeof record[key] !== 'string' || (record[key] as string).trim() === ''),
  );
  if (badlyTyped.length > 0) {
    throw new ConfigurationError(
      `has ${badlyTyped.map((key) => `'${key}'`).join(', ')} that ${badlyTyped.length === 1 ? 'is' : 'are'} not a non-empty string`,
      { input, fix: FIX_FORMAT },
    );
  }

  const value = (key: string): string => (record[key] as string).trim();
  const result: AzureCredentialsJson = {
    clientId: value('clientId'),
    clientSecret: record.clientSecret as string,
    tenantId: value('tenantId'),
    subscriptionId: value('subscriptionId'),
  };
  for (const key of OPTIONAL_KEYS) {
    if (record[key] !== undefined) result[key] = value(key);
  }
  return result;
}

export interface JsonSyntaxError {
  /** 0-based offset of the first character that cannot be there. */
  offset: number;
  /** What was expected, without quoting the text. */
  problem: string;
}

/** The first syntax error of `text` as JSON, or undefined when it parses. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (problem: string): never => {
    throw { offset: Math.min(i, text.length), problem } satisfies JsonSyntaxError;
  };
  const skipWhitespace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[i] !== char) fail('unexpected character');
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const char = text[i] as string;
      if (char === '"') {
        i++;
        return;
      }
      if (char === '\\') {
        i++;
        const escaped = text[i];
        if (escaped === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail('invalid \\u escape in a string');
            }
          }
          i += 5;
        } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
          i++;
        } else {
          fail('invalid escape in a string');
        }
      } else if (char < ' ') {
        fail('control character (such as a line break) inside a string');
      } else {
        i++;
      }
    }
    fail('unterminated string');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail('invalid number');
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('nesting too deep');
    skipWhitespace();
    const char = text[i];
    if (char === undefined) fail('unexpected end of input, expected a value');
    else if (char === '{') {
      i++;
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') fail('expected a double-quoted property name');
        string();
        skipWhitespace();
        if (text[i] !== ':') fail("expected ':' after a property name");
        i++;
        value(depth + 1);
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("expected ',' or '}' after a property value");
      }
    } else if (char === '[') {
      i++;
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("expected ',' or ']' after an array element");
      }
    } else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else if (char === '-' || (char >= '0' && char <= '9')) number();
    else fail('unexpected character, expected a value');
  };

  try {
    value(0);
    skipWhitespace();
    if (i < text.length) fail('unexpected text after the JSON value');
    return undefined;
  } catch (error) {
    return error as JsonSyntaxError;
  }
}

/** 1-based line and column (in UTF-16 code units) of `offset`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
