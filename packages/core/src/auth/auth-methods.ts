// The names of the ways to sign in to Azure, and the `auth-method` input's parser: apart from
// resolve-credential.ts so reading inputs does not load @azure/identity (and MSAL), which an
// action that never signs in to Azure (a copy between S3 and GCS) then does not pay for.

import { ConfigurationError } from '../errors';

export const AUTH_METHODS = [
  'auto',
  'oidc',
  'creds',
  'client-secret',
  'environment',
  'azure-cli',
  'managed-identity',
] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export function parseAuthMethod(value: string | undefined): AuthMethod {
  const wanted = (value ?? '').trim().toLowerCase();
  if (wanted === '') return 'auto';
  const found = AUTH_METHODS.find((method) => method === wanted);
  if (!found) {
    throw new ConfigurationError(`'${value}' is not an authentication method`, {
      input: 'auth-method',
      fix: `Use one of ${AUTH_METHODS.join(', ')}.`,
    });
  }
  return found;
}
