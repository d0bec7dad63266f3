import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGitHubIdTokenRequester,
  GitHubIdTokenError,
  requestGitHubIdToken,
} from '../../src/auth/github-oidc';
import { ConfigurationError } from '../../src/errors';
import { sendJson, startLocalHttpsServer } from '../arm/support/local-https';

type Seen = { url: string; authorization: string | undefined };
let server: Server;
let origin: string;
let seen: Seen[];
let respond: (response: ServerResponse, attempt: number) => void;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
    respond(response, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const env = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}/_apis/distributedtask/hubs/Actions/plans/p/jobs/j/idtoken?api-version=2.0`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-bearer',
});

describe('requestGitHubIdToken', () => {
  it('GETs the runner URL with the audience and the runner bearer token', async () => {
    respond = (response) => sendJson(response, 200, { value: 'header.payload.sig' });
    const token = await requestGitHubIdToken('api://AzureADTokenExchange', { env: env() });
    expect(token).toBe('header.payload.sig');
    expect(seen).toEqual([
      {
        url: '/_apis/distributedtask/hubs/Actions/plans/p/jobs/j/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange',
        authorization: 'Bearer runner-bearer',
      },
    ]);
  });

  it('retries a 5xx answer and then succeeds', async () => {
    respond = (response, attempt) =>
      attempt === 1
        ? sendJson(response, 503, { message: 'busy' })
        : sendJson(response, 200, { value: 'jwt-2' });
    const requester = createGitHubIdTokenRequester({ env: env(), retryDelayInMs: 1 });
    expect(await requester('aud')).toBe('jwt-2');
    expect(seen).toHaveLength(2);
  });

  it('does not retry a 4xx answer, and reports its status', async () => {
    respond = (response) => sendJson(response, 401, { message: 'Unauthorized' });
    const error = await requestGitHubIdToken('aud', { env: env(), retryDelayInMs: 1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitHubIdTokenError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as Error).message).toMatch(/answered 401/);
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['no value', { other: 1 }, /without an ID token/],
    ['an empty value', { value: '' }, /without an ID token/],
  ])('rejects an answer with %s', async (_name, body, message) => {
    respond = (response) => sendJson(response, 200, body);
    await expect(requestGitHubIdToken('aud', { env: env() })).rejects.toThrow(message);
  });

  it('rejects a body that is not JSON', async () => {
    respond = (response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html>');
    };
    await expect(requestGitHubIdToken('aud', { env: env() })).rejects.toThrow(/not JSON/);
  });

  it('gives up after maxAttempts on network errors', async () => {
    const closed = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/idtoken?x=1',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
    };
    const error = await requestGitHubIdToken('aud', { env: closed, maxAttempts: 2, retryDelayInMs: 1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitHubIdTokenError);
    expect((error as GitHubIdTokenError).status).toBeUndefined();
  });

  it('says how to grant id-token: write when the runner gave no token service', async () => {
    const error = await requestGitHubIdToken('aud', { env: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).fix).toContain('id-token: write');
  });

  it('trusts caCertificates for an https token service', async () => {
    const https = await startLocalHttpsServer((_request, response) =>
      sendJson(response, 200, { value: 'tls-jwt' }),
    );
    try {
      const httpsEnv = {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${https.origin}/idtoken?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      };
      await expect(requestGitHubIdToken('aud', { env: httpsEnv, maxAttempts: 1 })).rejects.toThrow(
        /certificate/i,
      );
      expect(await requestGitHubIdToken('aud', { env: httpsEnv, caCertificates: https.ca })).toBe('tls-jwt');
    } finally {
      await https.close();
    }
  });
});
