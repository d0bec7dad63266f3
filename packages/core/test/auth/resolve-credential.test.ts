// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal `${{ … }}` text in inputs
import { describe, expect, it } from 'vitest';
import {
  parseAuthMethod,
  type ResolveCredentialOptions,
  resolveCredential,
} from '../../src/auth/resolve-credential';
import { resolveCloud } from '../../src/cloud';
import { ConfigurationError } from '../../src/errors';

const cloud = resolveCloud({ cloud: 'AzureCloud' });
const custom = resolveCloud({
  cloud: 'Custom',
  armEndpoint: 'https://127.0.0.1:9443',
  authorityHost: 'https://127.0.0.1:9443',
});
const CLIENT = '11111111-1111-1111-1111-111111111111';
const TENANT = '22222222-2222-2222-2222-222222222222';
const SUBSCRIPTION = '33333333-3333-3333-3333-333333333333';
const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-token',
};
const creds = JSON.stringify({
  clientId: CLIENT,
  clientSecret: 'pw',
  tenantId: TENANT,
  subscriptionId: SUBSCRIPTION,
});

type Options = Omit<ResolveCredentialOptions, 'cloud'>;

describe('resolveCredential chooses one credential', () => {
  it.each<[string, Options, string, string]>([
    ['creds JSON', { credsJson: creds }, 'creds-json', 'ClientSecretCredential'],
    [
      'creds JSON before ids',
      { credsJson: creds, clientId: CLIENT, tenantId: TENANT, env: OIDC_ENV },
      'creds-json',
      'ClientSecretCredential',
    ],
    [
      'client secret',
      { clientId: CLIENT, tenantId: TENANT, clientSecret: 'pw', env: OIDC_ENV },
      'client-secret',
      'ClientSecretCredential',
    ],
    ['OIDC', { clientId: CLIENT, tenantId: TENANT, env: OIDC_ENV }, 'oidc', 'ClientAssertionCredential'],
    [
      'OIDC when the secret input is empty',
      { clientId: CLIENT, tenantId: TENANT, clientSecret: '', credsJson: '  ', env: OIDC_ENV },
      'oidc',
      'ClientAssertionCredential',
    ],
    [
      'environment secret',
      { env: { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_SECRET: 'pw' } },
      'environment',
      'ClientSecretCredential',
    ],
    [
      'environment federated token file',
      {
        env: {
          AZURE_CLIENT_ID: CLIENT,
          AZURE_TENANT_ID: TENANT,
          AZURE_FEDERATED_TOKEN_FILE: '/var/run/token',
        },
      },
      'environment',
      'WorkloadIdentityCredential',
    ],
    [
      'managed identity endpoint',
      { env: { AZURE_CLIENT_ID: CLIENT, IDENTITY_ENDPOINT: 'http://169.254.169.254/x' } },
      'managed-identity',
      'ManagedIdentityCredential',
    ],
    [
      'MSI endpoint with a client-id input',
      { clientId: CLIENT, env: { MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token' } },
      'managed-identity',
      'ManagedIdentityCredential',
    ],
    ['Azure CLI by default', { env: {} }, 'azure-cli', 'AzureCliCredential'],
    ['Azure CLI with a tenant only', { tenantId: TENANT, env: {} }, 'azure-cli', 'AzureCliCredential'],
    [
      'Azure CLI with a MI endpoint but no client id',
      { env: { IDENTITY_ENDPOINT: 'http://127.0.0.1/x' } },
      'azure-cli',
      'AzureCliCredential',
    ],
    [
      'explicit managed identity',
      { authMethod: 'managed-identity', env: {} },
      'managed-identity',
      'ManagedIdentityCredential',
    ],
    [
      'explicit Azure CLI over ids',
      { authMethod: 'azure-cli', clientId: CLIENT, tenantId: TENANT, env: OIDC_ENV },
      'azure-cli',
      'AzureCliCredential',
    ],
    [
      'explicit OIDC over a secret',
      { authMethod: 'oidc', clientId: CLIENT, tenantId: TENANT, clientSecret: 'pw', env: OIDC_ENV },
      'oidc',
      'ClientAssertionCredential',
    ],
    [
      'explicit environment',
      {
        authMethod: 'environment',
        env: { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_SECRET: 'x' },
      },
      'environment',
      'ClientSecretCredential',
    ],
    ['explicit creds', { authMethod: 'creds', credsJson: creds }, 'creds-json', 'ClientSecretCredential'],
    [
      'explicit client secret',
      { authMethod: 'client-secret', clientId: CLIENT, tenantId: TENANT, clientSecret: 'pw' },
      'client-secret',
      'ClientSecretCredential',
    ],
  ])('%s', (_name, options, kind, className) => {
    const resolved = resolveCredential({ env: {}, ...options, cloud });
    expect(resolved.kind).toBe(kind);
    expect(resolved.credential.constructor.name).toBe(className);
    expect(resolved.description).not.toContain('pw');
  });

  it('works the same for a custom cloud (instance discovery off)', () => {
    const resolved = resolveCredential({ clientId: CLIENT, tenantId: TENANT, env: OIDC_ENV, cloud: custom });
    expect(resolved.kind).toBe('oidc');
    expect(resolved.description).toContain(CLIENT);
  });

  it('returns the subscription of the creds JSON and the ids', () => {
    expect(resolveCredential({ credsJson: creds, cloud, env: {} })).toMatchObject({
      clientId: CLIENT,
      tenantId: TENANT,
      subscriptionId: SUBSCRIPTION,
    });
  });
});

function errorOf(options: Options): ConfigurationError {
  try {
    resolveCredential({ env: {}, ...options, cloud });
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('resolveCredential errors', () => {
  it('explains the missing id-token permission and forks', () => {
    const error = errorOf({
      clientId: CLIENT,
      tenantId: TENANT,
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x' },
    });
    expect(error.problem).toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
    expect(error.fix).toContain('permissions: id-token: write');
    expect(error.fix).toMatch(/job or the workflow/);
    expect(error.fix).toMatch(/pull requests from forks get no ID token/);
    expect(error.fix).toContain('pull_request_target');
  });

  it.each<[string, Options, string | undefined, RegExp]>([
    [
      'oidc without ids',
      { authMethod: 'oidc', env: OIDC_ENV },
      'client-id',
      /needs 'client-id' and 'tenant-id'/,
    ],
    [
      'client-secret without tenant',
      { authMethod: 'client-secret', clientId: CLIENT, clientSecret: 'pw' },
      'tenant-id',
      /needs 'tenant-id'/,
    ],
    [
      'client-secret empty',
      { authMethod: 'client-secret', clientId: CLIENT, tenantId: TENANT, clientSecret: '' },
      'client-secret',
      /secret is empty/,
    ],
    ['creds empty', { authMethod: 'creds', credsJson: '' }, 'creds', /secret is empty/],
    [
      'secret as one-brace expression',
      { clientId: CLIENT, tenantId: TENANT, clientSecret: '${ secrets.SP }' },
      'client-secret',
      /malformed/,
    ],
    ['secret without ids', { clientSecret: 'pw' }, 'client-id', /needs 'client-id' and 'tenant-id'/],
    [
      'client id without tenant',
      { clientId: CLIENT },
      'tenant-id',
      /'client-id' is set but 'tenant-id' is not/,
    ],
    [
      'unevaluated client id',
      { clientId: '${{ vars.ID }}', tenantId: TENANT },
      'client-id',
      /unevaluated expression/,
    ],
    [
      'environment without env',
      { authMethod: 'environment' },
      'auth-method',
      /needs AZURE_CLIENT_ID and AZURE_TENANT_ID/,
    ],
    [
      'creds of another cloud',
      {
        credsJson: JSON.stringify({
          ...JSON.parse(creds),
          activeDirectoryEndpointUrl: 'https://login.microsoftonline.us',
        }),
      },
      'creds',
      /'activeDirectoryEndpointUrl' is https:\/\/login.microsoftonline.us but cloud 'AzureCloud'/,
    ],
  ])('%s', (_name, options, input, problem) => {
    const error = errorOf(options);
    expect(error.input).toBe(input);
    expect(error.problem).toMatch(problem);
  });

  it('accepts creds whose authority matches the cloud up to a trailing slash', () => {
    const text = JSON.stringify({
      ...JSON.parse(creds),
      activeDirectoryEndpointUrl: 'https://login.microsoftonline.com/',
    });
    expect(resolveCredential({ credsJson: text, cloud, env: {} }).kind).toBe('creds-json');
  });
});

describe('parseAuthMethod', () => {
  it.each([
    [undefined, 'auto'],
    ['', 'auto'],
    ['OIDC', 'oidc'],
    [' managed-identity ', 'managed-identity'],
    ['azure-cli', 'azure-cli'],
  ])('%j → %s', (value, expected) => {
    expect(parseAuthMethod(value)).toBe(expected);
  });

  it('rejects an unknown method naming the input', () => {
    expect(() => parseAuthMethod('password')).toThrow(
      /input 'auth-method': 'password' is not an authentication method/,
    );
  });
});
