// One credential, chosen from the inputs and the environment, in a fixed order that the user can
// predict (not DefaultAzureCredential's chain, whose fallbacks hide why a login failed).
// `auto` order: creds JSON; client id + tenant + secret; client id + tenant → GitHub OIDC;
// AZURE_* environment (secret or federated token file); managed identity where its endpoint is;
// else the Azure CLI session that azure/login left behind.

import type { TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import type { ResolvedCloud } from '../cloud';
import { ConfigurationError } from '../errors';
import type { AuthMethod } from './auth-methods';
import { type ConnectionOptions, type Env, tlsSettingsFor } from './connection';
import { parseCredsJson } from './creds-json';
import {
  createGitHubIdTokenRequester,
  isGitHubOidcAvailable,
  missingIdTokenPermissionError,
} from './github-oidc';
import { createIdTokenProvider, DEFAULT_OIDC_AUDIENCE, type RequestIdToken } from './oidc-assertion';
import { checkSecretInput, looksLikeUnevaluatedExpression } from './secret-checks';

export { AUTH_METHODS, type AuthMethod, parseAuthMethod } from './auth-methods';

export type CredentialKind =
  | 'oidc'
  | 'creds-json'
  | 'client-secret'
  | 'environment'
  | 'azure-cli'
  | 'managed-identity';

export interface ResolveCredentialOptions extends ConnectionOptions {
  /** Input `client-id`. */
  clientId?: string | undefined;
  /** Input `tenant-id`. */
  tenantId?: string | undefined;
  /** Input `client-secret`. */
  clientSecret?: string | undefined;
  /** Input `creds` (AZURE_CREDENTIALS JSON). */
  credsJson?: string | undefined;
  /** Input `auth-method`; default `auto`. */
  authMethod?: AuthMethod | undefined;
  /** Input `audience` of the GitHub ID token. */
  audience?: string | undefined;
  /** Extra tenants the credential may get tokens for; else AZURE_ADDITIONALLY_ALLOWED_TENANTS. */
  additionallyAllowedTenants?: string[] | undefined;
  cloud: ResolvedCloud;
  env?: Env;
  /** How to get the GitHub ID token; default: over HTTP from ACTIONS_ID_TOKEN_REQUEST_*. */
  requestIdToken?: RequestIdToken | undefined;
  /** Clock of the ID token cache (tests). */
  now?: () => number;
}

export interface ResolvedCredential {
  credential: TokenCredential;
  kind: CredentialKind;
  /** For logs: which identity and why it was chosen. Holds no secret. */
  description: string;
  clientId?: string;
  tenantId?: string;
  /** From the creds JSON, for callers that have no subscription input. */
  subscriptionId?: string;
}

export function resolveCredential(options: ResolveCredentialOptions): ResolvedCredential {
  const env = options.env ?? process.env;
  const method = options.authMethod ?? 'auto';
  const clientId = plain(options.clientId, 'client-id');
  const tenantId = plain(options.tenantId, 'tenant-id');
  const base = credentialOptions(options, env);

  switch (method) {
    case 'creds':
      return fromCredsJson(options.credsJson, options.cloud, base);
    case 'client-secret':
      return fromClientSecret(requireIds(clientId, tenantId, method), options.clientSecret, base);
    case 'oidc':
      return fromOidc(requireIds(clientId, tenantId, method), options, env, base);
    case 'environment': {
      const fromEnv = fromEnvironment(env, base);
      if (!fromEnv) {
        throw new ConfigurationError("auth-method 'environment' needs AZURE_CLIENT_ID and AZURE_TENANT_ID", {
          input: 'auth-method',
          fix: 'Set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE) in the job environment.',
        });
      }
      return fromEnv;
    }
    case 'managed-identity':
      return fromManagedIdentity(clientId ?? blank(env.AZURE_CLIENT_ID), base);
    case 'azure-cli':
      return fromAzureCli(tenantId, base);
    case 'auto':
      break;
  }

  // An empty secret in `auto` reads as "not given": GitHub passes '' for a missing input and for an
  // unset secret alike. A literal expression is a mistake either way.
  const credsJson = blank(options.credsJson);
  const clientSecret = blank(options.clientSecret);
  if (clientSecret !== undefined && looksLikeUnevaluatedExpression(clientSecret)) {
    checkSecretInput(clientSecret, { input: 'client-secret' });
  }

  if (credsJson !== undefined) return fromCredsJson(credsJson, options.cloud, base);
  if (clientSecret !== undefined) {
    return fromClientSecret(requireIds(clientId, tenantId, 'client-secret'), clientSecret, base);
  }
  if (clientId !== undefined && tenantId !== undefined)
    return fromOidc({ clientId, tenantId }, options, env, base);

  const fromEnv = fromEnvironment(env, base);
  if (fromEnv) return fromEnv;

  const managedIdentityClientId = clientId ?? blank(env.AZURE_CLIENT_ID);
  if (managedIdentityClientId !== undefined && hasManagedIdentityEndpoint(env)) {
    return fromManagedIdentity(managedIdentityClientId, base);
  }
  if (clientId !== undefined) {
    throw new ConfigurationError("'client-id' is set but 'tenant-id' is not", {
      input: 'tenant-id',
      fix: "Set 'tenant-id' to your Microsoft Entra tenant (directory) id to log in with GitHub OIDC.",
    });
  }
  return fromAzureCli(tenantId, base);
}

type BaseOptions = {
  authorityHost: string;
  disableInstanceDiscovery?: boolean;
  tlsOptions?: NonNullable<ReturnType<typeof tlsSettingsFor>>;
  additionallyAllowedTenants?: string[];
};

function credentialOptions(options: ResolveCredentialOptions, env: Env): BaseOptions {
  const tlsOptions = tlsSettingsFor(options.caCertificates, env);
  const allowed =
    options.additionallyAllowedTenants ??
    (env.AZURE_ADDITIONALLY_ALLOWED_TENANTS ?? '')
      .split(';')
      .map((tenant) => tenant.trim())
      .filter(Boolean);
  return {
    authorityHost: options.cloud.authorityHost,
    // Instance discovery asks the public cloud whether the authority is known; a custom cloud
    // (Azure Stack, the emulator) is not, and may not reach it at all.
    ...(options.cloud.name === 'Custom' ? { disableInstanceDiscovery: true } : {}),
    ...(tlsOptions ? { tlsOptions } : {}),
    ...(allowed.length > 0 ? { additionallyAllowedTenants: allowed } : {}),
  };
}

function fromCredsJson(
  text: string | undefined,
  cloud: ResolvedCloud,
  base: BaseOptions,
): ResolvedCredential {
  const creds = parseCredsJson(text);
  if (
    creds.activeDirectoryEndpointUrl !== undefined &&
    trimSlash(creds.activeDirectoryEndpointUrl) !== trimSlash(cloud.authorityHost)
  ) {
    throw new ConfigurationError(
      `'activeDirectoryEndpointUrl' is ${creds.activeDirectoryEndpointUrl} but cloud '${cloud.name}' uses ${cloud.authorityHost}`,
      {
        input: 'creds',
        fix: "Set the 'cloud' input (and for Custom, 'authority-host') to the cloud these credentials belong to.",
      },
    );
  }
  return {
    credential: new ClientSecretCredential(creds.tenantId, creds.clientId, creds.clientSecret, base),
    kind: 'creds-json',
    description: `service principal ${creds.clientId} in tenant ${creds.tenantId} from the 'creds' JSON`,
    clientId: creds.clientId,
    tenantId: creds.tenantId,
    subscriptionId: creds.subscriptionId,
  };
}

function fromClientSecret(
  ids: { clientId: string; tenantId: string },
  secret: string | undefined,
  base: BaseOptions,
): ResolvedCredential {
  const clientSecret = checkSecretInput(secret, {
    input: 'client-secret',
    secretName: 'AZURE_CLIENT_SECRET',
  });
  return {
    credential: new ClientSecretCredential(ids.tenantId, ids.clientId, clientSecret, base),
    kind: 'client-secret',
    description: `service principal ${ids.clientId} in tenant ${ids.tenantId} with a client secret`,
    ...ids,
  };
}

function fromOidc(
  ids: { clientId: string; tenantId: string },
  options: ResolveCredentialOptions,
  env: Env,
  base: BaseOptions,
): ResolvedCredential {
  // Checked up front: without these the failure would surface only at the first token request.
  if (!isGitHubOidcAvailable(env)) throw missingIdTokenPermissionError();
  const audience = options.audience?.trim() || DEFAULT_OIDC_AUDIENCE;
  const requestIdToken =
    options.requestIdToken ?? createGitHubIdTokenRequester({ env, caCertificates: options.caCertificates });
  const getAssertion = createIdTokenProvider({
    requestIdToken,
    audience,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    credential: new ClientAssertionCredential(ids.tenantId, ids.clientId, getAssertion, base),
    kind: 'oidc',
    description: `GitHub OIDC federated credential for ${ids.clientId} in tenant ${ids.tenantId} (audience ${audience})`,
    ...ids,
  };
}

function fromEnvironment(env: Env, base: BaseOptions): ResolvedCredential | undefined {
  const clientId = blank(env.AZURE_CLIENT_ID);
  const tenantId = blank(env.AZURE_TENANT_ID);
  if (clientId === undefined || tenantId === undefined) return undefined;
  // Built from `env` directly (EnvironmentCredential reads process.env only, and ignores the
  // federated token file that workload identity uses).
  const secret = blank(env.AZURE_CLIENT_SECRET);
  if (secret !== undefined) {
    return {
      credential: new ClientSecretCredential(tenantId, clientId, secret, base),
      kind: 'environment',
      description: `service principal ${clientId} in tenant ${tenantId} from AZURE_CLIENT_SECRET`,
      clientId,
      tenantId,
    };
  }
  const tokenFilePath = blank(env.AZURE_FEDERATED_TOKEN_FILE);
  if (tokenFilePath !== undefined) {
    return {
      credential: new WorkloadIdentityCredential({ ...base, clientId, tenantId, tokenFilePath }),
      kind: 'environment',
      description: `workload identity ${clientId} in tenant ${tenantId} from AZURE_FEDERATED_TOKEN_FILE`,
      clientId,
      tenantId,
    };
  }
  return undefined;
}

function fromManagedIdentity(clientId: string | undefined, base: BaseOptions): ResolvedCredential {
  // Managed identity asks the host's identity endpoint, not the authority; instance discovery and
  // extra tenants do not apply to it.
  const options = {
    authorityHost: base.authorityHost,
    ...(base.tlsOptions ? { tlsOptions: base.tlsOptions } : {}),
  };
  return {
    credential:
      clientId === undefined
        ? new ManagedIdentityCredential(options)
        : new ManagedIdentityCredential({ ...options, clientId }),
    kind: 'managed-identity',
    description: clientId === undefined ? 'system-assigned managed identity' : `managed identity ${clientId}`,
    ...(clientId !== undefined ? { clientId } : {}),
  };
}

function fromAzureCli(tenantId: string | undefined, base: BaseOptions): ResolvedCredential {
  // The CLI keeps its own cloud (`az cloud set`); authorityHost is passed for consistency only.
  return {
    credential: new AzureCliCredential({
      authorityHost: base.authorityHost,
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(base.additionallyAllowedTenants
        ? { additionallyAllowedTenants: base.additionallyAllowedTenants }
        : {}),
    }),
    kind: 'azure-cli',
    description:
      tenantId === undefined
        ? 'the Azure CLI login (azure/login)'
        : `the Azure CLI login (azure/login) for tenant ${tenantId}`,
    ...(tenantId !== undefined ? { tenantId } : {}),
  };
}

function hasManagedIdentityEndpoint(env: Env): boolean {
  return Boolean(blank(env.IDENTITY_ENDPOINT) ?? blank(env.MSI_ENDPOINT));
}

function requireIds(
  clientId: string | undefined,
  tenantId: string | undefined,
  method: AuthMethod,
): { clientId: string; tenantId: string } {
  const missing = [
    clientId === undefined ? 'client-id' : undefined,
    tenantId === undefined ? 'tenant-id' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (clientId === undefined || tenantId === undefined) {
    throw new ConfigurationError(
      `auth-method '${method}' needs ${missing.map((name) => `'${name}'`).join(' and ')}`,
      {
        input: missing[0] as string,
        fix: `Set ${missing.map((name) => `'${name}'`).join(' and ')} to the application (client) id and the tenant (directory) id of the identity.`,
      },
    );
  }
  return { clientId, tenantId };
}

/** Ids are not secret, but a literal `${{ … }}` there is the same mistake. */
function plain(value: string | undefined, input: string): string | undefined {
  const trimmed = blank(value);
  if (trimmed !== undefined && looksLikeUnevaluatedExpression(trimmed)) {
    throw new ConfigurationError(`'${trimmed}' is an unevaluated expression`, {
      input,
      fix: `Write expressions with two braces on each side, e.g. '\${{ vars.AZURE_CLIENT_ID }}'.`,
    });
  }
  return trimmed;
}

function blank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function trimSlash(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}
