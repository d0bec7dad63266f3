// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal `${{ … }}` text in inputs
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn, parseCredsJson } from '../../src/auth/creds-json';
import { ConfigurationError } from '../../src/errors';

const SECRET = 'Sup3r~Secr3t.Value';
const valid = {
  clientId: '11111111-1111-1111-1111-111111111111',
  clientSecret: SECRET,
  tenantId: '22222222-2222-2222-2222-222222222222',
  subscriptionId: '33333333-3333-3333-3333-333333333333',
};

function errorOf(text: string | undefined): ConfigurationError {
  try {
    parseCredsJson(text);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseCredsJson', () => {
  it('reads the az ad sp create-for-rbac --json-auth output, ignoring extra keys', () => {
    const text = JSON.stringify(
      {
        ...valid,
        activeDirectoryEndpointUrl: 'https://login.microsoftonline.com',
        resourceManagerEndpointUrl: 'https://management.azure.com/',
        activeDirectoryGraphResourceId: 'https://graph.windows.net/',
        sqlManagementEndpointUrl: 'https://management.core.windows.net:8443/',
      },
      null,
      2,
    );
    expect(parseCredsJson(text)).toEqual({
      ...valid,
      activeDirectoryEndpointUrl: 'https://login.microsoftonline.com',
      resourceManagerEndpointUrl: 'https://management.azure.com/',
    });
  });

  it.each([
    // [text, line, column, problem]
    ['{\n  "clientId": "a",\n  "clientSecret": "x"\n  "tenantId": "t"\n}', 4, 3, /expected ',' or '}'/],
    [`{"clientId": "a", "clientSecret": "${SECRET}",}`, 1, 56, /double-quoted property name/],
    [`{'clientId': 'a'}`, 1, 2, /double-quoted property name/],
    [`{"clientSecret": "${SECRET}`, 1, 37, /unterminated string/],
    [`{"clientSecret": "${SECRET}\n"}`, 1, 37, /control character/],
    ['{"clientId": tru}', 1, 17, /unexpected character/],
    [`{"clientSecret": "${SECRET}"} trailing`, 1, 40, /after the JSON value/],
  ])('reports bad JSON #%# at its line and column without echoing it', (text, line, column, problem) => {
    const error = errorOf(text);
    expect(error.input).toBe('creds');
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.problem).toMatch(problem);
    expect(error.problem).toContain(`line ${line}, column ${column}`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('Sup3r');
  });

  it('lists every missing key', () => {
    const error = errorOf(JSON.stringify({ clientId: 'a', clientSecret: SECRET }));
    expect(error.problem).toBe("is missing 'tenantId', 'subscriptionId'");
    expect(error.message).not.toContain(SECRET);
  });

  it('names keys that are not non-empty strings, without their values', () => {
    const error = errorOf(JSON.stringify({ ...valid, tenantId: 42, clientSecret: ' ' }));
    expect(error.problem).toMatch(/'clientSecret', 'tenantId' that are not a non-empty string/);
    expect(error.message).not.toContain('42');
  });

  it.each(['[1, 2]', '"just a string"', 'null'])('rejects JSON that is not an object: %s', (text) => {
    expect(errorOf(text).problem).toBe('is not a JSON object');
  });

  it.each([
    ['', /secret is empty/],
    ['${{ secrets.AZURE_CREDENTIALS }}', /malformed or unevaluated expression/],
  ])('applies the secret checks: %j', (text, problem) => {
    const error = errorOf(text);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toContain('${{ secrets.AZURE_CREDENTIALS }}');
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    '{}',
    '[]',
    ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} ',
    '"\\"quoted\\""',
    '0',
  ])('accepts %s like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['', 0],
    ['{"a":1,}', 7],
    ['[1,]', 3],
    ['[01]', 2],
    ['{"a" 1}', 5],
    ['"\\x"', 2],
    ['"\\u12g4"', 5],
    ['nul', 3],
  ])('finds the error in %j at offset %i, where JSON.parse fails too', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)?.offset).toBe(offset);
  });
});

describe('lineAndColumn', () => {
  it.each([
    ['abc', 0, 1, 1],
    ['abc', 2, 1, 3],
    ['a\nbc', 2, 2, 1],
    ['a\r\nbc\nd', 6, 3, 1],
    ['a\r\nbc\nd', 7, 3, 2],
  ])('%j offset %i → %i:%i', (text, offset, line, column) => {
    expect(lineAndColumn(text, offset)).toEqual({ line, column });
  });
});
