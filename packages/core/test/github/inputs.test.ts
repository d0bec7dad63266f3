import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  actionsInputSource,
  closestMatch,
  formatDuration,
  InputReader,
  parseDuration,
  staticInputSource,
} from '../../src/github/inputs';

const SECRET = 'hunter2-very-secret';

function reader(values: Record<string, string>, secretInputs?: Set<string>): InputReader {
  return new InputReader(staticInputSource(values), { secretInputs });
}

/** The ConfigurationError thrown by `fn`. */
function failure(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

describe('actionsInputSource', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads INPUT_<NAME> the way the runner sets it (hyphens kept, upper-cased), trimmed', () => {
    process.env['INPUT_MAX-RETRIES'] = '  3 \n';
    expect(actionsInputSource.getInput('max-retries')).toBe('3');
    expect(actionsInputSource.getInput('not-set')).toBe('');
    expect(new InputReader(actionsInputSource).integer('max-retries')).toBe(3);
  });
});

describe('required and optional', () => {
  it('returns the value', () => {
    expect(reader({ workspace: 'ws1' }).required('workspace')).toBe('ws1');
    expect(reader({ workspace: 'ws1' }).optional('workspace')).toBe('ws1');
  });

  it.each(['', '   ', '\n\t'])('treats %j as unset', (value) => {
    expect(reader({ workspace: value }).optional('workspace')).toBeUndefined();
    const error = failure(() => reader({ workspace: value }).required('workspace'));
    expect(error.input).toBe('workspace');
    expect(error.message).toContain("input 'workspace'");
    expect(error.problem).toContain('required');
    expect(error.fix).toContain('workspace:');
  });
});

describe('boolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('reads %j as %s', (value, expected) => {
    expect(reader({ flag: value }).boolean('flag', !expected)).toBe(expected);
  });

  it.each([true, false])('uses the default %s when empty', (defaultValue) => {
    expect(reader({}).boolean('flag', defaultValue)).toBe(defaultValue);
  });

  it('is required without a default', () => {
    expect(failure(() => reader({}).boolean('flag')).problem).toContain('required');
  });

  it.each(['yes', 'no', 'on', 'off', '1', '0', 'tRUE', 'y'])(
    'rejects %j, naming the allowed values',
    (value) => {
      const error = failure(() =>
        reader({ 'wait-for-completion': value }).boolean('wait-for-completion', true),
      );
      expect(error.input).toBe('wait-for-completion');
      expect(error.message).toContain("input 'wait-for-completion'");
      expect(error.problem).toContain(JSON.stringify(value));
      expect(error.fix).toContain('true, True, TRUE, false, False, FALSE');
    },
  );

  it('does not echo a secret value', () => {
    const error = failure(() => reader({ flag: SECRET }, new Set(['flag'])).boolean('flag', true));
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('hidden');
  });
});

describe('integer', () => {
  it.each([
    ['42', 42],
    ['0', 0],
    ['-7', -7],
    ['+5', 5],
    ['007', 7],
  ])('reads %j as %d', (value, expected) => {
    expect(reader({ n: value }).integer('n')).toBe(expected);
  });

  it('uses the default when empty and is required otherwise', () => {
    expect(reader({}).integer('n', { default: 3 })).toBe(3);
    expect(failure(() => reader({}).integer('n')).problem).toContain('required');
  });

  it.each(['1.5', '1e3', '0x10', '12abc', 'abc', '1 000', '1_000', '--1', 'Infinity', '1.'])(
    'rejects %j',
    (value) => {
      const error = failure(() => reader({ 'max-nodes': value }).integer('max-nodes'));
      expect(error.input).toBe('max-nodes');
      expect(error.problem).toBe(`expected a whole number, got ${JSON.stringify(value)}`);
      expect(error.fix).toContain('whole decimal number');
    },
  );

  it('rejects numbers beyond the exact range', () => {
    expect(failure(() => reader({ n: '99999999999999999999' }).integer('n')).problem).toContain('too large');
  });

  it.each([
    ['0', { min: 1, max: 10 }, 'must be between 1 and 10, got "0"'],
    ['11', { min: 1, max: 10 }, 'must be between 1 and 10, got "11"'],
    ['-1', { min: 0 }, 'must be at least 0, got "-1"'],
    ['101', { max: 100 }, 'must be at most 100, got "101"'],
  ])('checks bounds: %j with %o', (value, bounds, problem) => {
    const error = failure(() => reader({ n: value }).integer('n', bounds));
    expect(error.problem).toBe(problem);
    expect(error.input).toBe('n');
  });

  it('accepts the bounds themselves', () => {
    expect(reader({ n: '1' }).integer('n', { min: 1, max: 10 })).toBe(1);
    expect(reader({ n: '10' }).integer('n', { min: 1, max: 10 })).toBe(10);
  });

  it('does not echo a secret value, even for a bounds error', () => {
    const secrets = new Set(['port']);
    for (const value of ['8080x', '99999']) {
      const error = failure(() => reader({ port: value }, secrets).integer('port', { max: 65535 }));
      expect(error.message).not.toContain(value);
    }
  });
});

describe('number', () => {
  it.each([
    ['0.95', 0.95],
    ['-2', -2],
    ['.5', 0.5],
    ['3.', 3],
    ['1e-4', 0.0001],
    ['2.5E3', 2500],
  ])('reads %j as %d', (value, expected) => {
    expect(reader({ x: value }).number('x')).toBe(expected);
  });

  it.each(['NaN', 'Infinity', '-Infinity', '0x10', '1,5', '5%', 'abc', '.', '1e', '1e999'])(
    'rejects %j',
    (value) => {
      const error = failure(() => reader({ threshold: value }).number('threshold'));
      expect(error.input).toBe('threshold');
      expect(error.problem).toContain(JSON.stringify(value));
      expect(error.fix).toContain('decimal number');
    },
  );

  it('checks bounds and uses defaults', () => {
    expect(reader({}).number('x', { default: 0.5 })).toBe(0.5);
    expect(failure(() => reader({ x: '1.5' }).number('x', { min: 0, max: 1 })).problem).toBe(
      'must be between 0 and 1, got "1.5"',
    );
  });
});

describe('duration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1m30s', 90_000],
    ['600', 600_000],
    ['0', 0],
    ['0s', 0],
  ])('reads %j as %d ms', (value, expected) => {
    expect(reader({ timeout: value }).duration('timeout')).toBe(expected);
  });

  it.each([
    ['-5s', 'negative'],
    ['-5', 'negative'],
    ['h', "unit 'h' has no number"],
    ['ms', "unit 'ms' has no number"],
    ['1h30', 'the number 30 has no unit'],
    ['5w', "unknown unit 'w'"],
    ['5min', "unknown unit 'min'"],
    ['10 s', 'spaces'],
    ['1.5h', 'fractions'],
    ['30s1h', 'out of order'],
    ['1h1h', 'repeated'],
    ['5s!', 'unexpected "!"'],
  ])('rejects %j (%s) with examples in the fix', (value, reason) => {
    const error = failure(() => reader({ timeout: value }).duration('timeout'));
    expect(error.input).toBe('timeout');
    expect(error.problem).toContain(reason);
    expect(error.problem).toContain(JSON.stringify(value));
    expect(error.fix).toContain("'1h30m'");
  });

  it('checks bounds, shown as durations', () => {
    const error = failure(() => reader({ t: '3h' }).duration('t', { minInMs: 1000, maxInMs: 7_200_000 }));
    expect(error.problem).toBe('must be between 1s and 2h, got "3h"');
    expect(failure(() => reader({ t: '10ms' }).duration('t', { minInMs: 1000 })).problem).toBe(
      'must be at least 1s, got "10ms"',
    );
  });

  it('uses the default when empty and is required otherwise', () => {
    expect(reader({}).duration('t', { default: 60_000 })).toBe(60_000);
    expect(failure(() => reader({}).duration('t')).problem).toContain('required');
  });

  it('does not echo a secret value', () => {
    const error = failure(() => reader({ t: SECRET }, new Set(['t'])).duration('t'));
    expect(error.message).not.toContain(SECRET);
  });
});

describe('parseDuration and formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1s500ms'],
    [5_400_000, '1h30m'],
    [86_400_000 + 1000, '1d1s'],
  ])('formats %d as %j, which parses back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it('returns a reason for an invalid duration', () => {
    expect(typeof parseDuration('soon')).toBe('string');
  });
});

describe('oneOf', () => {
  const strategies = ['direct', 'blue-green', 'canary'] as const;

  it('returns the matching value or the default', () => {
    expect(reader({ strategy: 'canary' }).oneOf('strategy', strategies)).toBe('canary');
    expect(reader({}).oneOf('strategy', strategies, 'direct')).toBe('direct');
    expect(failure(() => reader({}).oneOf('strategy', strategies)).problem).toContain('required');
  });

  it.each([
    ['canery', "Did you mean 'canary'?"],
    ['bluegreen', "Did you mean 'blue-green'?"],
    ['dirct', "Did you mean 'direct'?"],
    ['Canary', "Did you mean 'canary'? (values are case-sensitive)"],
    ['DIRECT', "Did you mean 'direct'? (values are case-sensitive)"],
  ])('rejects %j and suggests: %s', (value, suggestion) => {
    const error = failure(() => reader({ strategy: value }).oneOf('strategy', strategies));
    expect(error.input).toBe('strategy');
    expect(error.problem).toContain(JSON.stringify(value));
    expect(error.problem).toContain("'direct', 'blue-green', 'canary'");
    expect(error.problem).toContain(suggestion);
    expect(error.fix).toBe("Set it to one of 'direct', 'blue-green', 'canary'.");
  });

  it('makes no suggestion when nothing is close', () => {
    const error = failure(() => reader({ strategy: 'rolling-update' }).oneOf('strategy', strategies));
    expect(error.problem).not.toContain('Did you mean');
  });

  it('does not echo a secret value, and still suggests', () => {
    const error = failure(() =>
      reader({ mode: 'Secret' }, new Set(['mode'])).oneOf('mode', ['secret', 'plain']),
    );
    expect(error.problem).not.toContain('"Secret"');
    expect(error.problem).toContain("Did you mean 'secret'?");
  });

  it('closestMatch prefers the smallest distance', () => {
    expect(closestMatch('stagin', ['staging', 'production'])).toBe('staging');
    expect(closestMatch('x', ['staging', 'production'])).toBeUndefined();
  });
});

describe('list', () => {
  it.each([
    ['', {}, []],
    ['a', {}, ['a']],
    ['a, b ,c', {}, ['a', 'b', 'c']],
    ['a\nb\n\n  c  \n', {}, ['a', 'b', 'c']],
    ['a,b\nc', {}, ['a', 'b', 'c']],
    ['# models\nm1\n  # old one\nm2', {}, ['m1', 'm2']],
    ['a,,b,', {}, ['a', 'b']],
    ['a\r\nb', {}, ['a', 'b']],
    ['x=1,2\ny=3', { separator: 'newline' as const }, ['x=1,2', 'y=3']],
    ['tag#1', {}, ['tag#1']],
  ])('reads %j (%o) as %j', (value, options, expected) => {
    expect(reader({ items: value }).list('items', options)).toEqual(expected);
  });
});

describe('json', () => {
  it.each([
    ['{"a": 1}', { a: 1 }],
    ['[1, 2]', [1, 2]],
    ['"text"', 'text'],
    ['null', null],
  ])('parses %j', (value, expected) => {
    expect(reader({ config: value }).json('config')).toEqual(expected);
  });

  it('uses the default when empty and is required otherwise', () => {
    expect(reader({}).json('config', { default: {} })).toEqual({});
    expect(reader({}).json('config', { default: undefined })).toBeUndefined();
    expect(failure(() => reader({}).json('config')).problem).toContain('required');
  });

  it.each([
    ['{"a": 1,}', 1, 9],
    ['{\n  "a": 1,\n  "b": x\n}', 3, 8],
    ['[1,\n2,]', 2, 3],
    ['{"a": 1', 1, 8],
    ["{'a': 1}", 1, 2],
  ])('locates the syntax error in %j at line %d, column %d', (value, line, column) => {
    const error = failure(() => reader({ 'extra-config': value }).json('extra-config'));
    expect(error.input).toBe('extra-config');
    expect(error.message).toContain("input 'extra-config'");
    expect(error.problem).toContain(`line ${line}, column ${column}`);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.fix).toContain('valid JSON');
  });

  it('does not echo a secret value, nor keep the parser error (which quotes the value) as cause', () => {
    const value = `{"clientSecret": ${SECRET}}`;
    const error = failure(() => reader({ creds: value }, new Set(['creds'])).json('creds'));
    expect(error.message).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
    expect(error.problem).toContain('line 1, column 18');
  });
});

describe('keyValueMap', () => {
  it.each([
    ['', {}],
    ['team=ml', { team: 'ml' }],
    ['team = ml \n stage=dev', { team: 'ml', stage: 'dev' }],
    ['query=a=b&c=d', { query: 'a=b&c=d' }],
    ['# tags\nempty=\n\nk=v', { empty: '', k: 'v' }],
  ])('reads %j', (value, expected) => {
    expect(reader({ tags: value }).keyValueMap('tags')).toEqual(expected);
  });

  it.each([
    ['team: ml', 1, "line 1 is not of the form key=value ('key: value' is not accepted)"],
    ['a=1\n# comment\nstage: dev', 3, 'line 3 is not of the form key=value'],
    ['a=1\njust-a-word', 2, 'line 2 is not of the form key=value: "just-a-word"'],
    ['=value', 1, "line 1 has no key before '='"],
  ])('rejects %j at line %d', (value, _line, problem) => {
    const error = failure(() => reader({ tags: value }).keyValueMap('tags'));
    expect(error.input).toBe('tags');
    expect(error.problem).toContain(problem);
    expect(error.fix).toContain('key=value');
  });

  it('rejects duplicate keys with both lines', () => {
    const error = failure(() => reader({ tags: 'team=ml\nstage=dev\nteam=data' }).keyValueMap('tags'));
    expect(error.problem).toBe("key 'team' appears twice, on lines 1 and 3");
  });

  it('does not echo a secret line or key', () => {
    const secrets = new Set(['env']);
    const bad = failure(() => reader({ env: `TOKEN: ${SECRET}` }, secrets).keyValueMap('env'));
    expect(bad.message).not.toContain(SECRET);
    expect(bad.problem).toContain('line 1');
    const duplicate = failure(() => reader({ env: `${SECRET}=1\n${SECRET}=2` }, secrets).keyValueMap('env'));
    expect(duplicate.message).not.toContain(SECRET);
    expect(duplicate.problem).toContain('lines 1 and 2');
  });
});

describe('InputReader.choice', () => {
  const allowed = ['pass', 'warn', 'fail'] as const;
  it('returns the default when empty and the canonical spelling otherwise', () => {
    expect(reader({}).choice('on-missing', allowed, 'warn')).toBe('warn');
    expect(reader({ 'on-missing': ' FAIL ' }).choice('on-missing', allowed, 'warn')).toBe('fail');
  });
  it('names the input, the allowed values and the closest one for a typo', () => {
    const error = (() => {
      try {
        reader({ 'on-missing': 'warm' }).choice('on-missing', allowed, 'warn');
      } catch (caught) {
        return caught as ConfigurationError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.input).toBe('on-missing');
    expect(error.problem).toContain('pass, warn, fail');
    expect(error.problem).toContain("did you mean 'warn'");
  });
});
