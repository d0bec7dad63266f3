import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type EntraAuthorityOptions,
  exchangeClientCredentials,
  JWT_BEARER_ASSERTION_TYPE,
  resourceFromScope,
} from '../src/identity/entra-authority';
import { decodeJwt, hasValidSignature, signingKeyFrom, signJwt } from '../src/identity/jwt';
import { issueIdToken } from '../src/identity/oidc-issuer';
import { DEFAULT_IDENTITY_SETTINGS } from '../src/identity/settings';

const newKey = () => signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const now = new Date('2025-06-01T12:00:00Z');
const t = now.getTime() / 1000;
const oidcKey = newKey();
const options: EntraAuthorityOptions = {
  baseUrl: 'https://127.0.0.1:8443',
  tenantId: 'tenant-1',
  clientId: 'client-1',
  clientSecret: 'secret-1',
  principalObjectId: 'oid-1',
  entraKey: newKey(),
  federatedIssuer: 'https://127.0.0.1:8443/_oidc',
  federatedIssuerKey: oidcKey,
  settings: {
    ...DEFAULT_IDENTITY_SETTINGS,
    federatedSubject: 'repo:octo-org/octo-repo:*',
    tokenLifetimeInMs: 2000,
  },
  now: () => now,
};
const idToken = (request: { audience?: string; subject?: string } = {}) =>
  issueIdToken(
    {
      issuer: options.federatedIssuer,
      key: oidcKey,
      requestToken: 'x',
      settings: options.settings,
      now: () => now,
    },
    request,
  );
const assertionForm = (assertion: string, extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: 'client-1',
  scope: 'https://management.azure.com/.default',
  client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
  client_assertion: assertion,
  ...extra,
});

describe('exchangeClientCredentials', () => {
  it('exchanges a valid federated assertion for an RS256 access token for the scope resource', () => {
    const outcome = exchangeClientCredentials(assertionForm(idToken()), 'tenant-1', options);
    if (!outcome.ok) throw new Error(outcome.failure.join(' '));
    expect(outcome.body).toMatchObject({ token_type: 'Bearer', expires_in: 2, ext_expires_in: 2 });
    const token = decodeJwt(outcome.body.access_token);
    expect(hasValidSignature(token, options.entraKey.publicKey)).toBe(true);
    expect(token.claims).toMatchObject({
      aud: 'https://management.azure.com',
      iss: 'https://sts.windows.net/tenant-1/',
      tid: 'tenant-1',
      oid: 'oid-1',
      appid: 'client-1',
      appidacr: '2',
      iat: t,
      exp: t + 2,
    });
  });

  it('accepts the client secret, tenant and client id in any case', () => {
    const outcome = exchangeClientCredentials(
      {
        grant_type: 'client_credentials',
        client_id: 'CLIENT-1',
        client_secret: 'secret-1',
        scope: 'api://x/.default',
      },
      'TENANT-1',
      options,
    );
    if (!outcome.ok) throw new Error(outcome.failure.join(' '));
    expect(decodeJwt(outcome.body.access_token).claims).toMatchObject({ aud: 'api://x', appidacr: '1' });
  });

  const foreignKey = newKey();
  const claims = {
    iss: 'https://127.0.0.1:8443/_oidc',
    aud: 'api://AzureADTokenExchange',
    sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    nbf: t - 10,
    exp: t + 60,
  };
  const tampered = (() => {
    const [h, p] = idToken().split('.');
    return `${h}.${p}.${signJwt({}, oidcKey).split('.')[2]}`;
  })();
  it.each([
    ['unknown tenant', assertionForm(idToken()), 'other-tenant', 400, 'invalid_request', 90002],
    ['missing grant_type', { client_id: 'client-1' }, 'tenant-1', 400, 'invalid_request', 900144],
    ['unsupported grant', { grant_type: 'password' }, 'tenant-1', 400, 'unsupported_grant_type', 70003],
    [
      'unknown client',
      assertionForm(idToken(), { client_id: 'nobody' }),
      'tenant-1',
      400,
      'unauthorized_client',
      700016,
    ],
    ['missing scope', assertionForm(idToken(), { scope: '' }), 'tenant-1', 400, 'invalid_request', 900144],
    [
      'scope without /.default',
      assertionForm(idToken(), { scope: 'https://management.azure.com/user_impersonation' }),
      'tenant-1',
      400,
      'invalid_scope',
      70011,
    ],
    [
      'two resource scopes',
      assertionForm(idToken(), { scope: 'a/.default b/.default' }),
      'tenant-1',
      400,
      'invalid_scope',
      70011,
    ],
    [
      'no credential',
      { grant_type: 'client_credentials', client_id: 'client-1', scope: 'a/.default' },
      'tenant-1',
      401,
      'invalid_client',
      7000218,
    ],
    [
      'bad secret',
      { grant_type: 'client_credentials', client_id: 'client-1', scope: 'a/.default', client_secret: 'nope' },
      'tenant-1',
      401,
      'invalid_client',
      7000215,
    ],
    [
      'wrong assertion type',
      assertionForm(idToken(), { client_assertion_type: 'saml' }),
      'tenant-1',
      400,
      'invalid_request',
      900144,
    ],
    ['malformed assertion', assertionForm('not.a.jwt'), 'tenant-1', 400, 'invalid_request', 50027],
    [
      'issuer mismatch',
      assertionForm(signJwt({ ...claims, iss: 'https://token.actions.githubusercontent.com' }, foreignKey)),
      'tenant-1',
      401,
      'invalid_client',
      700211,
    ],
    [
      'audience mismatch',
      assertionForm(idToken({ audience: 'api://other' })),
      'tenant-1',
      401,
      'invalid_client',
      700212,
    ],
    [
      'subject mismatch',
      assertionForm(idToken({ subject: 'repo:evil/repo:ref:refs/heads/main' })),
      'tenant-1',
      400,
      'invalid_request',
      70021,
    ],
    [
      'foreign signature',
      assertionForm(signJwt(claims, foreignKey)),
      'tenant-1',
      400,
      'invalid_request',
      50027,
    ],
    ['tampered signature', assertionForm(tampered), 'tenant-1', 400, 'invalid_request', 50027],
    [
      'expired assertion',
      assertionForm(signJwt({ ...claims, exp: t - 1 }, oidcKey)),
      'tenant-1',
      401,
      'invalid_client',
      700024,
    ],
    [
      'assertion not yet valid',
      assertionForm(signJwt({ ...claims, nbf: t + 60, exp: t + 120 }, oidcKey)),
      'tenant-1',
      401,
      'invalid_client',
      700024,
    ],
  ])('%s → %i %s AADSTS%i', (_name, form, tenant, status, error, code) => {
    const outcome = exchangeClientCredentials(form, tenant, options);
    if (outcome.ok) throw new Error('expected a failure');
    expect(outcome.failure.slice(0, 3)).toEqual([status, error, code]);
  });

  it('reports the assertion times the way Entra does for AADSTS700024', () => {
    const outcome = exchangeClientCredentials(
      assertionForm(signJwt({ ...claims, exp: t - 1 }, oidcKey)),
      'tenant-1',
      options,
    );
    if (outcome.ok) throw new Error('expected a failure');
    expect(outcome.failure[3]).toContain(
      'Current time: 2025-06-01T12:00:00.0000000Z, assertion valid from 2025-06-01T11:59:50.0000000Z, expiry time of assertion 2025-06-01T11:59:59.0000000Z.',
    );
  });
});

describe('resourceFromScope', () => {
  it.each([
    ['https://management.azure.com/.default', 'https://management.azure.com'],
    ['https://management.core.windows.net//.default', 'https://management.core.windows.net/'],
    ['openid profile offline_access https://management.azure.com/.default', 'https://management.azure.com'],
    ['/.default', undefined],
    ['https://management.azure.com', undefined],
    ['', undefined],
  ])('%j → %j', (scope, resource) => {
    expect(resourceFromScope(scope)).toBe(resource);
  });
});
