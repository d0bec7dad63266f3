// Checks of secret inputs that catch the two usual mistakes before any request is sent: a secret
// that arrives empty (not set, or withheld from forks) and an expression that GitHub never
// evaluated (`${ secrets.X }`, or `${{ … }}` in a place where expressions are not expanded).
// Messages never quote the value: only the secret's name, when the literal text shows it.

import { ConfigurationError } from '../errors';

export interface SecretCheckOptions {
  /** Action input the value came from, e.g. `client-secret`. */
  input: string;
  /** Name of the repository secret, when known, for the suggested expression. */
  secretName?: string | undefined;
}

/** Returns the trimmed secret, or throws a ConfigurationError naming the input. */
export function checkSecretInput(value: string | undefined, options: SecretCheckOptions): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') {
    const name = options.secretName ?? 'NAME';
    throw new ConfigurationError(
      'the secret is empty: it is not set in this repository or environment, or it is not passed to workflows run from forks',
      {
        input: options.input,
        fix:
          `Create the secret${options.secretName ? ` ${options.secretName}` : ''} under Settings → Secrets and variables → Actions ` +
          `(in the repository, or in the environment the job uses) and pass it as '\${{ secrets.${name} }}'. ` +
          'Pull requests from forks receive no secrets: use a different trigger for them.',
      },
    );
  }
  if (looksLikeUnevaluatedExpression(trimmed)) {
    const name = options.secretName ?? secretNameIn(trimmed) ?? 'NAME';
    throw new ConfigurationError('the value is a malformed or unevaluated expression, not a secret', {
      input: options.input,
      fix: `Write the expression with two braces on each side, '\${{ secrets.${name} }}', in the step's 'with:'.`,
    });
  }
  return trimmed;
}

/** `${ secrets.X }` (one brace) arrives verbatim, as does `${{` where GitHub does not expand it. */
export function looksLikeUnevaluatedExpression(value: string): boolean {
  return value.startsWith('${') || value.includes('${{');
}

function secretNameIn(expression: string): string | undefined {
  return /secrets\.([A-Za-z_][A-Za-z0-9_]*)/.exec(expression)?.[1];
}
