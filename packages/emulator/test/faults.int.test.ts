// Fault injection as tests use it: throttling with Retry-After (and the real SDK's retries),
// dropped connections, slow responses, and the request log that counts calls.
import { readFileSync } from 'node:fs';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type EmulatorProcess,
  startEmulatorProcess,
  trustingHttpClient,
} from '../../../test/support/emulator';
import { httpsRequest } from '../../../test/support/https';

describe('fault injection', () => {
  let emulator: EmulatorProcess;
  let ca: Buffer;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    ca = readFileSync(emulator.info.caCertPath);
    const { tenantId, clientId, clientSecret, authorityHost, caCertPath } = emulator.info;
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
      authorityHost,
      disableInstanceDiscovery: true,
      httpClient: trustingHttpClient(caCertPath),
    });
    token = (await credential.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  beforeEach(async () => {
    await admin('DELETE', '/faults');
    await admin('DELETE', '/requests');
  });

  const admin = (method: string, path: string, body?: unknown) =>
    httpsRequest(`${emulator.info.adminUrl}${path}`, { method, ca, body });
  const armPath = (name: string) =>
    `/subscriptions/${emulator.info.subscriptionId}/resourceGroups/${emulator.info.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;
  const armGet = (name: string) =>
    httpsRequest(`${emulator.info.armEndpoint}${armPath(name)}?api-version=2022-10-01`, {
      ca,
      headers: { Authorization: `Bearer ${token}` },
    });

  it('serves a 429 with Retry-After and an ARM body N times, then answers normally', async () => {
    const created = await admin('POST', '/faults', {
      path: '/workspaces/throttled',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 3,
      count: 2,
    });
    expect(created.status).toBe(201);
    const { id } = created.json;
    for (let i = 0; i < 2; i++) {
      const throttled = await armGet('throttled');
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('3');
      expect(throttled.json.error.code).toBe('TooManyRequests');
      expect(throttled.headers['x-ms-request-id']).toBeDefined();
    }
    const after = await armGet('throttled');
    expect(after.status).not.toBe(429);
    const other = await armGet('unrelated');
    expect(other.status).not.toBe(429);
    const listed = await admin('GET', '/faults');
    expect(listed.json.value).toEqual([expect.objectContaining({ id, count: 2, remaining: 0, hits: 2 })]);
  });

  it('applies before auth: a throttled request needs no token', async () => {
    await admin('POST', '/faults', {
      path: '/workspaces/',
      kind: 'status',
      status: 503,
      armCode: 'Overloaded',
    });
    const response = await httpsRequest(
      `${emulator.info.armEndpoint}${armPath('x')}?api-version=2022-10-01`,
      { ca },
    );
    expect(response.status).toBe(503);
    expect(response.json.error.code).toBe('Overloaded');
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it('the real ARM SDK honours Retry-After and retries; the request log counts every call', async () => {
    await admin('POST', '/faults', {
      method: 'GET',
      path: '/\\/workspaces\\/retried$/',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
      count: 2,
    });
    const { tenantId, clientId, clientSecret, authorityHost, caCertPath } = emulator.info;
    const httpClient = trustingHttpClient(caCertPath);
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
      authorityHost,
      disableInstanceDiscovery: true,
      httpClient,
    });
    const client = new AzureMachineLearningWorkspaces(credential, emulator.info.subscriptionId, {
      endpoint: emulator.info.armEndpoint,
      httpClient,
    });
    const started = Date.now();
    const outcome = await client.workspaces.get(emulator.info.resourceGroup, 'retried').then(
      () => 200,
      (error: { statusCode?: number }) => error.statusCode,
    );
    expect(outcome).not.toBe(429);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const log = await admin('GET', '/requests');
    const calls = log.json.value.filter((entry: { path: string }) => entry.path === armPath('retried'));
    expect(calls.map((entry: { status: number }) => entry.status)).toEqual([429, 429, outcome]);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      query: 'api-version=2022-10-01',
      faultId: expect.any(String),
    });
    expect(log.json.value.some((entry: { path: string }) => entry.path.startsWith('/_emulator'))).toBe(false);
  });

  it('drops the connection without a response, once', async () => {
    await admin('POST', '/faults', { path: '/workspaces/dropped', kind: 'drop' });
    await expect(armGet('dropped')).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|EPIPE/),
    });
    expect((await armGet('dropped')).status).not.toBe(0);
    const log = await admin('GET', '/requests');
    expect(log.json.value.map((entry: { status: number }) => entry.status)[0]).toBe(0);
  });

  it('delays a request, then answers it normally', async () => {
    const baseline = await armGet('slow');
    await admin('POST', '/faults', { path: '/workspaces/slow', kind: 'delay', delayMs: 800 });
    const started = Date.now();
    const delayed = await armGet('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(790);
    expect(delayed.status).toBe(baseline.status);
  });

  it('faults reach identity routes too, but never the admin routes', async () => {
    await admin('POST', '/faults', { path: '/', kind: 'status', status: 500, count: 5 });
    expect((await admin('GET', '/health')).status).toBe(200);
    const oidc = await httpsRequest(`${emulator.info.armEndpoint}/_oidc/.well-known/jwks`, { ca });
    expect(oidc.status).toBe(500);
    expect(oidc.json.error.code).toBe('InternalServerError');
  });

  it('DELETE clears every fault', async () => {
    await admin('POST', '/faults', { path: '/workspaces/cleared', kind: 'status', status: 500, count: 3 });
    expect((await admin('DELETE', '/faults')).json).toEqual({ removed: 1 });
    expect((await admin('GET', '/faults')).json.value).toEqual([]);
    expect((await armGet('cleared')).status).not.toBe(500);
  });

  it.each([
    [{ kind: 'status', status: 429 }, /'path' must be a non-empty string/],
    [{ path: '/x', kind: 'boom' }, /'kind' must be one of/],
    ['not json', /not JSON/],
  ])('refuses the invalid fault %j with 400', async (body, message) => {
    const response =
      typeof body === 'string'
        ? await httpsRequest(`${emulator.info.adminUrl}/faults`, {
            method: 'POST',
            ca,
            body,
            headers: { 'Content-Type': 'application/json' },
          })
        : await admin('POST', '/faults', body);
    expect(response.status).toBe(400);
    expect(response.json.error.message).toMatch(message);
  });
});
