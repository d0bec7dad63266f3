// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal `${{ … }}` text in inputs
import { describe, expect, it } from 'vitest';
import { checkSecretInput, looksLikeUnevaluatedExpression } from '../../src/auth/secret-checks';
import { ConfigurationError } from '../../src/errors';

function errorOf(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('checkSecretInput', () => {
  it('returns the trimmed secret', () => {
    expect(checkSecretInput('  s3cret\n', { input: 'client-secret' })).toBe('s3cret');
  });

  it.each([undefined, '', '   \n'])(
    'says an empty secret (%j) is not set or not passed to forks',
    (value) => {
      const error = errorOf(() =>
        checkSecretInput(value, { input: 'client-secret', secretName: 'AZURE_CLIENT_SECRET' }),
      );
      expect(error.input).toBe('client-secret');
      expect(error.problem).toMatch(/secret is empty/);
      expect(error.problem).toMatch(/not set in this repository or environment/);
      expect(error.problem).toMatch(/forks/);
      expect(error.fix).toContain('${{ secrets.AZURE_CLIENT_SECRET }}');
    },
  );

  it('uses a placeholder name when the secret name is unknown', () => {
    expect(errorOf(() => checkSecretInput('', { input: 'creds' })).fix).toContain('${{ secrets.NAME }}');
  });

  it.each([
    ['${ secrets.AZURE_CLIENT_SECRET }', 'AZURE_CLIENT_SECRET'],
    ['${{ secrets.MY_SECRET }}', 'MY_SECRET'],
    ['prefix-${{ secrets.OTHER }}', 'OTHER'],
    ['${env.X}', 'NAME'],
  ])('calls %j a malformed expression and shows the right form', (value, name) => {
    const error = errorOf(() => checkSecretInput(value, { input: 'client-secret' }));
    expect(error.problem).toMatch(/malformed or unevaluated expression/);
    expect(error.fix).toContain(`\${{ secrets.${name} }}`);
  });

  it('does not quote a malformed value in the error', () => {
    const error = errorOf(() =>
      checkSecretInput('${ secrets.AZURE_CLIENT_SECRET }', { input: 'client-secret' }),
    );
    expect(error.message).not.toContain('${ secrets');
  });

  it.each([
    ['abc$def', false],
    ['a{b}', false],
    ['$ {x}', false],
    ['${x', true],
    ['x ${{ y', true],
  ])('looksLikeUnevaluatedExpression(%j) is %s', (value, expected) => {
    expect(looksLikeUnevaluatedExpression(value)).toBe(expected);
  });
});
