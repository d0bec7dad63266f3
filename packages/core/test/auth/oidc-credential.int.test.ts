// The credentials resolveCredential builds, against a local Entra-like token endpoint over https
// with a self-signed certificate trusted only through `caCertificates` (the TLS seam), and a
// local GitHub ID token service.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveCredential } from '../../src/auth/resolve-credential';
import { type ResolvedCloud, resolveCloud } from '../../src/cloud';
import { type LocalHttpsServer, sendJson, startLocalHttpsServer } from '../arm/support/local-https';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-1111-1111-1111-111111111111';

function githubJwt(serial: number): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode({ n: serial, exp: Math.floor(Date.now() / 1000) + 300 })}.sig`;
}

function serialOf(assertion: string | null | undefined): number | undefined {
  const payload = assertion?.split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { n: number }).n : undefined;
}

let server: LocalHttpsServer;
let cloud: ResolvedCloud;
let idTokensIssued: number;
let tokenLifetimeInS: number;

beforeAll(async () => {
  server = await startLocalHttpsServer((request, response) => {
    const base = `${server.origin}/${TENANT}`;
    const path = request.url.split('?')[0];
    if (path === '/gh/idtoken') {
      sendJson(response, 200, { value: githubJwt(++idTokensIssued) });
    } else if (path === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
      sendJson(response, 200, {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
      });
    } else if (request.method === 'POST' && path === `/${TENANT}/oauth2/v2.0/token`) {
      sendJson(response, 200, {
        token_type: 'Bearer',
        expires_in: tokenLifetimeInS,
        access_token: `entra-${Date.now()}`,
      });
    } else {
      sendJson(response, 404, { error: 'not_found' });
    }
  });
  cloud = resolveCloud({ cloud: 'Custom', armEndpoint: server.origin, authorityHost: server.origin });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  idTokensIssued = 0;
  tokenLifetimeInS = 3600;
});

const tokenRequests = () =>
  server.requests
    .filter((request) => request.url.split('?')[0]?.endsWith('/oauth2/v2.0/token'))
    .map((request) => new URLSearchParams(request.body));

describe('credentials from resolveCredential against a local authority', () => {
  it('OIDC: exchanges the GitHub ID token (fetched over https) for an ARM token', async () => {
    const { credential, kind } = resolveCredential({
      clientId: CLIENT,
      tenantId: TENANT,
      cloud,
      caCertificates: server.ca,
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${server.origin}/gh/idtoken?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner',
      },
    });
    expect(kind).toBe('oidc');
    const token = await credential.getToken(cloud.armScope);
    expect(token?.token).toMatch(/^entra-/);

    const [form] = tokenRequests();
    expect(form?.get('grant_type')).toBe('client_credentials');
    expect(form?.get('client_id')).toBe(CLIENT);
    expect(form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(serialOf(form?.get('client_assertion'))).toBe(1);
    expect(form?.get('scope')).toContain(cloud.armScope);
    const gh = server.requests.find((request) => request.url.startsWith('/gh/idtoken'));
    expect(gh?.url).toBe('/gh/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange');
    expect(gh?.headers.authorization).toBe('Bearer runner');
  });

  it('OIDC: one GitHub ID token serves repeated token requests while it is fresh', async () => {
    // Under 300 s MSAL does not cache, so every getToken goes to the authority and asks for the assertion.
    tokenLifetimeInS = 120;
    const audiences: string[] = [];
    const { credential } = resolveCredential({
      clientId: CLIENT,
      tenantId: TENANT,
      cloud,
      caCertificates: server.ca,
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'unused', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'unused' },
      audience: 'api://custom-audience',
      requestIdToken: async (audience) => {
        audiences.push(audience);
        return githubJwt(audiences.length);
      },
    });
    await credential.getToken(cloud.armScope);
    await credential.getToken(cloud.armScope);
    await credential.getToken(cloud.armScope);
    expect(tokenRequests()).toHaveLength(3);
    expect(audiences).toEqual(['api://custom-audience']);
    expect(tokenRequests().map((form) => serialOf(form.get('client_assertion')))).toEqual([1, 1, 1]);
  });

  it('creds JSON: a client secret credential on the same trust', async () => {
    const { credential, kind } = resolveCredential({
      credsJson: JSON.stringify({
        clientId: CLIENT,
        clientSecret: 'local-secret',
        tenantId: TENANT,
        subscriptionId: 'sub',
        activeDirectoryEndpointUrl: `${server.origin}/`,
      }),
      cloud,
      caCertificates: server.ca,
      env: {},
    });
    expect(kind).toBe('creds-json');
    expect((await credential.getToken(cloud.armScope))?.token).toMatch(/^entra-/);
    expect(tokenRequests()[0]?.get('client_secret')).toBe('local-secret');
  });

  it('fails without the CA: the authority is not trusted', async () => {
    const { credential } = resolveCredential({
      clientId: CLIENT,
      tenantId: TENANT,
      clientSecret: 'x',
      cloud,
      env: {},
    });
    await expect(credential.getToken(cloud.armScope)).rejects.toThrow();
    expect(tokenRequests()).toHaveLength(0);
  });
});
