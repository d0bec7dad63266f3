import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getIdToken } from '../../src/github/runtime';

// The runner's ID-token endpoint, as a loopback server: GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=…
// with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`, answering `{"value": "<jwt>"}`.
const REQUEST_TOKEN = 'runtime-request-token';
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly9BenVyZUFEVG9rZW5FeGNoYW5nZSJ9.c2lnbmF0dXJl';

let server: Server;
let baseUrl: string;
const requests: IncomingMessage[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    if (request.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ value: ID_TOKEN }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
  requests.length = 0;
});

describe('getIdToken against a runner-like token endpoint', () => {
  it('requests the token for the audience and masks it', async () => {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${baseUrl}/token?api-version=2.0`;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = REQUEST_TOKEN;

    await expect(getIdToken('api://AzureADTokenExchange')).resolves.toBe(ID_TOKEN);
    expect(requests.map((request) => request.url)).toEqual([
      '/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange',
    ]);
    expect(stdout).toContain(`::add-mask::${ID_TOKEN}\n`);
  });

  it('fails when the endpoint refuses the request token', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${baseUrl}/token?api-version=2.0`;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'wrong-token';
    await expect(getIdToken('api://AzureADTokenExchange')).rejects.toThrow('401');
  });
});
