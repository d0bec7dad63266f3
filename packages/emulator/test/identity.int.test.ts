// The identity path end to end with the real Azure SDK: GitHub-like OIDC token → Entra-like token
// exchange (ClientAssertionCredential) → ARM bearer auth; and every failure the authority reports.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ClientAssertionCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmulatorProcess,
  startEmulatorProcess,
  trustingHttpClient,
} from '../../../test/support/emulator';
import { httpsRequest, jwtClaims, sleep } from '../../../test/support/https';

const ARM_SCOPE = 'https://management.azure.com/.default';
const FEDERATED_SUBJECT = 'repo:octo-org/octo-repo:*';

describe('identity', () => {
  let emulator: EmulatorProcess;
  let ca: Buffer;
  let httpClient: HttpClient;

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ args: ['--subject', FEDERATED_SUBJECT] });
    ca = readFileSync(emulator.info.caCertPath);
    httpClient = trustingHttpClient(emulator.info.caCertPath);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  afterEach(async () => {
    // Tests that shorten lifetimes put the defaults back.
    await httpsRequest(`${emulator.info.adminUrl}/config`, {
      method: 'POST',
      ca,
      body: { tokenLifetimeInMs: 3_600_000, idTokenLifetimeInMs: 300_000 },
    });
  });

  /** What @actions/core's getIDToken does: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=… */
  async function getIdToken(
    query: Record<string, string> = {},
    requestToken = emulator.info.oidc.requestToken,
  ) {
    const params = new URLSearchParams({ audience: 'api://AzureADTokenExchange', ...query });
    return httpsRequest(`${emulator.info.oidc.requestUrl}&${params}`, {
      ca,
      headers: { Authorization: `Bearer ${requestToken}` },
    });
  }
  const idToken = async (query: Record<string, string> = {}) =>
    (await getIdToken(query)).json.value as string;

  const credentialOptions = () => ({
    authorityHost: emulator.info.authorityHost,
    disableInstanceDiscovery: true,
    httpClient,
  });
  const assertionCredential = (getAssertion: () => Promise<string>, clientId = emulator.info.clientId) =>
    new ClientAssertionCredential(emulator.info.tenantId, clientId, getAssertion, credentialOptions());

  const armUrl = (suffix = '/providers/Microsoft.MachineLearningServices/noSuchType/x') =>
    `${emulator.info.armEndpoint}/subscriptions/${emulator.info.subscriptionId}/resourceGroups/${emulator.info.resourceGroup}${suffix}?api-version=2022-10-01`;
  const armGet = (token?: string) =>
    httpsRequest(armUrl(), { ca, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });

  describe('GitHub-like OIDC issuer', () => {
    it('issues an RS256 ID token with GitHub claims, verifiable with its published JWKS', async () => {
      const response = await getIdToken();
      expect(response.status).toBe(200);
      const token = response.json.value as string;
      const claims = jwtClaims(token);
      const issuer = `${emulator.info.armEndpoint}/_oidc`;
      expect(claims).toMatchObject({
        iss: issuer,
        aud: 'api://AzureADTokenExchange',
        sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
        repository: 'octo-org/octo-repo',
        ref: 'refs/heads/main',
        actor: expect.any(String),
        workflow: expect.any(String),
        run_id: expect.any(String),
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        jti: expect.any(String),
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(300);

      const config = await httpsRequest(`${issuer}/.well-known/openid-configuration`, { ca });
      expect(config.json).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks` });
      const jwks = await httpsRequest(config.json.jwks_uri, { ca });
      const [headerPart, payloadPart, signaturePart] = token.split('.') as [string, string, string];
      const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString());
      const jwk = jwks.json.keys.find((key: { kid: string }) => key.kid === header.kid);
      expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      const signature = Buffer.from(signaturePart, 'base64url');
      expect(verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), publicKey, signature)).toBe(true);
    });

    it('takes audience and subject from the request, and the default subject from admin config', async () => {
      const custom = jwtClaims(
        await idToken({ audience: 'api://custom', subject: 'repo:a/b:environment:prod' }),
      );
      expect(custom).toMatchObject({
        aud: 'api://custom',
        sub: 'repo:a/b:environment:prod',
        repository: 'a/b',
      });
      await httpsRequest(`${emulator.info.adminUrl}/config`, {
        method: 'POST',
        ca,
        body: { subject: 'repo:octo-org/octo-repo:ref:refs/tags/v1' },
      });
      try {
        expect(jwtClaims(await idToken())).toMatchObject({
          sub: 'repo:octo-org/octo-repo:ref:refs/tags/v1',
          ref: 'refs/tags/v1',
          ref_type: 'tag',
        });
      } finally {
        await httpsRequest(`${emulator.info.adminUrl}/config`, {
          method: 'POST',
          ca,
          body: { subject: 'repo:octo-org/octo-repo:ref:refs/heads/main' },
        });
      }
    });

    it.each([
      ['a wrong request token', 'not-the-token'],
      ['no request token', ''],
    ])('answers 401 to %s', async (_name, requestToken) => {
      const response = await getIdToken({}, requestToken);
      expect(response.status).toBe(401);
      expect(response.json.value).toBeUndefined();
    });
  });

  describe('Entra-like authority with the real @azure/identity', () => {
    it('ClientAssertionCredential exchanges the OIDC token for an ARM token that ARM accepts', async () => {
      let assertions = 0;
      const credential = assertionCredential(async () => {
        assertions++;
        return idToken();
      });
      const token = await credential.getToken(ARM_SCOPE);
      expect(assertions).toBeGreaterThan(0);
      expect(token.expiresOnTimestamp - Date.now()).toBeGreaterThan(3_500_000);
      expect(jwtClaims(token.token)).toMatchObject({
        aud: 'https://management.azure.com',
        iss: `https://sts.windows.net/${emulator.info.tenantId}/`,
        tid: emulator.info.tenantId,
        appid: emulator.info.clientId,
        oid: expect.any(String),
      });
      const response = await armGet(token.token);
      expect(response.status).toBe(404);
      expect(response.json.error.code).toBe('InvalidResourceType');
    });

    it('the ARM SDK authenticates with it (an unknown workspace is a 404, not a 401)', async () => {
      const credential = assertionCredential(() => idToken());
      const client = new AzureMachineLearningWorkspaces(credential, emulator.info.subscriptionId, {
        endpoint: emulator.info.armEndpoint,
        httpClient,
        retryOptions: { maxRetries: 0 },
      });
      await expect(
        client.workspaces.get(emulator.info.resourceGroup, 'no-such-workspace'),
      ).rejects.toMatchObject({
        statusCode: 404,
      });
    });

    it('ClientSecretCredential gets a token with the client secret', async () => {
      const credential = new ClientSecretCredential(
        emulator.info.tenantId,
        emulator.info.clientId,
        emulator.info.clientSecret,
        credentialOptions(),
      );
      const token = await credential.getToken(ARM_SCOPE);
      expect(jwtClaims(token.token)).toMatchObject({ appid: emulator.info.clientId, appidacr: '1' });
      expect((await armGet(token.token)).status).toBe(404);
    });

    const tamper = (token: string) => {
      const [header, payload, signature = ''] = token.split('.');
      const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      return `${header}.${payload}.${flipped}`;
    };

    it.each([
      ['a wrong audience', () => idToken({ audience: 'api://not-entra' }), undefined, 'AADSTS700212'],
      [
        'a subject outside the federated pattern',
        () => idToken({ subject: 'repo:evil/repo:ref:refs/heads/main' }),
        undefined,
        'AADSTS70021',
      ],
      ['a bad signature', async () => tamper(await idToken()), undefined, 'AADSTS50027'],
      ['garbage', async () => 'garbage', undefined, 'AADSTS50027'],
      ['an unknown client id', () => idToken(), '00000000-0000-0000-0000-000000000000', 'AADSTS700016'],
    ])('rejects %s with its AADSTS code', async (_name, getAssertion, clientId, code) => {
      const credential = assertionCredential(getAssertion, clientId);
      await expect(credential.getToken(ARM_SCOPE)).rejects.toThrow(code);
    });

    it('rejects an expired assertion with AADSTS700024', async () => {
      await httpsRequest(`${emulator.info.adminUrl}/config`, {
        method: 'POST',
        ca,
        body: { idTokenLifetimeInMs: 1000 },
      });
      const stale = await idToken();
      await sleep(1500);
      const credential = assertionCredential(async () => stale);
      await expect(credential.getToken(ARM_SCOPE)).rejects.toThrow(
        /AADSTS700024: Client assertion is not within its valid time range/,
      );
    });

    it('rejects a wrong client secret with AADSTS7000215', async () => {
      const credential = new ClientSecretCredential(
        emulator.info.tenantId,
        emulator.info.clientId,
        'wrong',
        credentialOptions(),
      );
      await expect(credential.getToken(ARM_SCOPE)).rejects.toThrow('AADSTS7000215');
    });

    async function postToken(fields: Record<string, string>, tenant = emulator.info.tenantId) {
      return httpsRequest(`${emulator.info.authorityHost}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        ca,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'client-request-id': 'corr-1' },
        body: new URLSearchParams(fields).toString(),
      });
    }

    it('answers in the Entra error format (issuer mismatch, bad scope, unknown tenant)', async () => {
      const assertion = await idToken();
      const [header, payload = '', signature] = assertion.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const foreignIssuer = `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: 'https://token.actions.githubusercontent.com' })).toString('base64url')}.${signature}`;
      const base = {
        grant_type: 'client_credentials',
        client_id: emulator.info.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        scope: ARM_SCOPE,
      };
      const cases = [
        [await postToken({ ...base, client_assertion: foreignIssuer }), 401, 'invalid_client', 700211],
        [
          await postToken({
            ...base,
            client_assertion: assertion,
            scope: 'https://management.azure.com/read',
          }),
          400,
          'invalid_scope',
          70011,
        ],
        [
          await postToken({ ...base, client_assertion: assertion }, 'no-such-tenant'),
          400,
          'invalid_request',
          90002,
        ],
      ] as const;
      for (const [response, status, error, code] of cases) {
        expect(response.status).toBe(status);
        expect(response.json).toMatchObject({
          error,
          error_codes: [code],
          correlation_id: 'corr-1',
          trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
        });
        expect(response.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
      }
    });

    it('publishes the OpenID metadata MSAL needs, and refuses unknown tenants', async () => {
      const { authorityHost, tenantId } = emulator.info;
      const response = await httpsRequest(
        `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
        { ca },
      );
      expect(response.json).toMatchObject({
        issuer: `${authorityHost}/${tenantId}/v2.0`,
        token_endpoint: `${authorityHost}/${tenantId}/oauth2/v2.0/token`,
        authorization_endpoint: `${authorityHost}/${tenantId}/oauth2/v2.0/authorize`,
        jwks_uri: `${authorityHost}/${tenantId}/discovery/v2.0/keys`,
      });
      const keys = await httpsRequest(response.json.jwks_uri, { ca });
      expect(keys.json.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: expect.any(String) });
      const unknown = await httpsRequest(`${authorityHost}/other/v2.0/.well-known/openid-configuration`, {
        ca,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error_codes).toEqual([90002]);
    });
  });

  describe('ARM bearer auth', () => {
    const secretToken = (scope = ARM_SCOPE) =>
      new ClientSecretCredential(
        emulator.info.tenantId,
        emulator.info.clientId,
        emulator.info.clientSecret,
        credentialOptions(),
      )
        .getToken(scope)
        .then((token) => token.token);

    it.each([
      [
        'no Authorization header',
        undefined,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      ],
      ['a malformed token', 'abc.def', 'InvalidAuthenticationToken', 'The access token is invalid.'],
    ])('answers 401 with a challenge for %s', async (_name, token, code, message) => {
      const response = await armGet(token);
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: { code, message } });
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer authorization_uri="[^"]+", error="invalid_token"/,
      );
      expect(response.headers['x-ms-request-id']).toBeDefined();
    });

    it('answers 401 InvalidAuthenticationTokenAudience for a token meant for another resource', async () => {
      const response = await armGet(await secretToken('https://storage.azure.com/.default'));
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('InvalidAuthenticationTokenAudience');
      expect(response.json.error.message).toContain("'https://storage.azure.com'");
    });

    it('answers 401 ExpiredAuthenticationToken once a 2-second token expires, and a fresh token works', async () => {
      await httpsRequest(`${emulator.info.adminUrl}/config`, {
        method: 'POST',
        ca,
        body: { tokenLifetimeInMs: 2000 },
      });
      const credential = new ClientSecretCredential(
        emulator.info.tenantId,
        emulator.info.clientId,
        emulator.info.clientSecret,
        credentialOptions(),
      );
      const first = await credential.getToken(ARM_SCOPE);
      const claims = jwtClaims(first.token);
      expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(2);
      expect(first.expiresOnTimestamp - Date.now()).toBeLessThan(3000);
      expect((await armGet(first.token)).status).toBe(404);
      await sleep(2500);
      const expired = await armGet(first.token);
      expect(expired.status).toBe(401);
      expect(expired.json.error.code).toBe('ExpiredAuthenticationToken');
      expect(expired.json.error.message).toMatch(
        /^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M'\.$/,
      );
      const second = await credential.getToken(ARM_SCOPE);
      expect(second.token).not.toBe(first.token);
      expect((await armGet(second.token)).status).toBe(404);
    });

    it('refuses invalid runtime config with 400 and keeps the old values', async () => {
      const response = await httpsRequest(`${emulator.info.adminUrl}/config`, {
        method: 'POST',
        ca,
        body: { tokenLifetimeInMs: -1 },
      });
      expect(response.status).toBe(400);
      expect(response.json.error.message).toContain('tokenLifetimeInMs must be a positive integer');
      const config = await httpsRequest(`${emulator.info.adminUrl}/config`, { ca });
      expect(config.json).toMatchObject({
        tokenLifetimeInMs: 3_600_000,
        federatedSubject: FEDERATED_SUBJECT,
      });
    });
  });
});
