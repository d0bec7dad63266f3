import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseDurationInMs, UsageError } from '../src/config';
import { applySettingsPatch, DEFAULT_IDENTITY_SETTINGS } from '../src/identity/settings';

describe('parseDurationInMs', () => {
  it.each([
    ['2s', 2000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['300', 300_000],
    ['1.5s', 1500],
    [' 3s ', 3000],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDurationInMs(text)).toBe(ms);
  });

  it.each(['', 's', '-1s', '0', '0s', '5 minutes', '2d', 'abc'])('rejects %j', (text) => {
    expect(() => parseDurationInMs(text)).toThrow(UsageError);
  });
});

describe('parseCliArgs', () => {
  it('applies defaults', () => {
    expect(parseCliArgs(['--state-dir', '/tmp/x'])).toEqual({
      kind: 'start',
      options: { stateDir: '/tmp/x', port: 0, host: '127.0.0.1' },
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseCliArgs([
        '--state-dir=/s',
        '--port',
        '8443',
        '--host',
        '::1',
        '--token-lifetime',
        '2s',
        '--id-token-lifetime=5m',
        '--subject',
        'repo:o/*',
      ]),
    ).toEqual({
      kind: 'start',
      options: {
        stateDir: '/s',
        port: 8443,
        host: '::1',
        tokenLifetimeInMs: 2000,
        idTokenLifetimeInMs: 300_000,
        federatedSubject: 'repo:o/*',
      },
    });
  });

  it('recognises --help without other flags', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /--state-dir is required/],
    [['--state-dir'], /argument missing|state-dir/],
    [['--state-dir', 'd', '--port', 'x'], /--port 'x' is not a port/],
    [['--state-dir', 'd', '--port', '70000'], /not a port/],
    [['--state-dir', 'd', '--host', '0.0.0.0'], /not a loopback address/],
    [['--state-dir', 'd', '--token-lifetime', 'soon'], /--token-lifetime 'soon' is not a duration/],
    [['--state-dir', 'd', '--subject='], /--subject must not be empty/],
    [['--state-dir', 'd', '--bogus'], /Unknown option '--bogus'/],
    [['--state-dir', 'd', 'extra'], /positional/i],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('applySettingsPatch', () => {
  it('applies valid fields', () => {
    const settings = { ...DEFAULT_IDENTITY_SETTINGS };
    expect(applySettingsPatch(settings, { tokenLifetimeInMs: 2000, subject: 'repo:a/b:ref:x' })).toEqual([]);
    expect(settings).toEqual({
      ...DEFAULT_IDENTITY_SETTINGS,
      tokenLifetimeInMs: 2000,
      subject: 'repo:a/b:ref:x',
    });
  });

  it.each([null, [1], 'x'])('rejects the non-object %j', (patch) => {
    const settings = { ...DEFAULT_IDENTITY_SETTINGS };
    expect(applySettingsPatch(settings, patch)).toEqual(['The body must be a JSON object.']);
    expect(settings).toEqual(DEFAULT_IDENTITY_SETTINGS);
  });

  it.each([
    [{ tokenLifetimeInMs: 0 }, /tokenLifetimeInMs must be a positive integer/],
    [{ idTokenLifetimeInMs: 1.5 }, /idTokenLifetimeInMs must be a positive integer/],
    [{ subject: '' }, /subject must be a non-empty string/],
    [{ federatedSubject: 3 }, /federatedSubject must be a non-empty string/],
    [{ tokenLifetime: 5 }, /Unknown setting 'tokenLifetime'/],
  ])('rejects %j and changes nothing', (patch, message) => {
    const settings = { ...DEFAULT_IDENTITY_SETTINGS };
    const problems = applySettingsPatch(settings, { tokenLifetimeInMs: 1234, ...patch });
    expect(problems.join(' ')).toMatch(message);
    expect(settings).toEqual(DEFAULT_IDENTITY_SETTINGS);
  });
});
