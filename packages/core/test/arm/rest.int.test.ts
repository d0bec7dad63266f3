import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OperationFailedError, OperationTimeoutError } from '../../src/arm/lro';
import { ArmRestClient } from '../../src/arm/rest';
import { AzureRequestError } from '../../src/errors';
import { type Handler, type LocalHttpsServer, sendJson, startLocalHttpsServer } from './support/local-https';

const WS = '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';
const SCOPE = 'https://management.example/.default';

class FakeCredential implements TokenCredential {
  scopes: (string | string[])[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(scopes);
    return { token: 'arm-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

let server: LocalHttpsServer;
let handler: Handler;
let credential: FakeCredential;

beforeAll(async () => {
  server = await startLocalHttpsServer((request, response) => handler(request, response));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  credential = new FakeCredential();
});

function client(options: Partial<ConstructorParameters<typeof ArmRestClient>[0]> = {}): ArmRestClient {
  return new ArmRestClient({
    credential,
    endpoint: server.origin,
    scope: SCOPE,
    caCertificates: server.ca,
    retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    env: {},
    ...options,
  });
}

const pathOf = (url: string) => url.split('?')[0];

describe('ArmRestClient.request', () => {
  it('sends a bearer token for the scope, the user agent and the api-version', async () => {
    handler = (_request, response) =>
      sendJson(response, 200, { name: 'ws' }, { 'x-ms-request-id': 'req-1', 'X-Custom': 'A' });
    const result = await client().request<{ name: string }>({
      method: 'GET',
      path: WS,
      apiVersion: '2025-12-01',
      query: { hash: 'abc', skip: undefined, top: 5 },
    });
    expect(result.body).toEqual({ name: 'ws' });
    expect(result.status).toBe(200);
    expect(result.headers['x-ms-request-id']).toBe('req-1');
    expect(result.headers['x-custom']).toBe('A');
    const [sent] = server.requests;
    expect(sent?.url).toBe(`${WS}?api-version=2025-12-01&hash=abc&top=5`);
    expect(sent?.headers.authorization).toBe('Bearer arm-token');
    expect(sent?.headers['user-agent']).toMatch(/^aml-actions /);
    expect(credential.scopes).toEqual([[SCOPE]]);
  });

  it('sends a JSON body and returns an empty body as undefined', async () => {
    handler = (_request, response) => {
      response.statusCode = 204;
      response.end();
    };
    const result = await client().request({
      method: 'PUT',
      path: `${WS}/jobs/j1`,
      apiVersion: '2025-12-01',
      body: { properties: { jobType: 'Command' } },
    });
    expect(result.body).toBeUndefined();
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ properties: { jobType: 'Command' } });
  });

  it('converts an ARM error answer into AzureRequestError', async () => {
    handler = (_request, response) =>
      sendJson(
        response,
        404,
        { error: { code: 'ParentResourceNotFound', message: "Parent resource 'ws' not found." } },
        {
          'x-ms-request-id': 'req-404',
          'x-ms-correlation-request-id': 'corr-404',
          'x-ms-failure-cause': 'gateway',
        },
      );
    const error = await client()
      .request({ method: 'PUT', path: `${WS}/jobs/j1`, apiVersion: '2025-12-01', body: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error).toMatchObject({
      method: 'PUT',
      status: 404,
      code: 'ParentResourceNotFound',
      serviceMessage: "Parent resource 'ws' not found.",
      requestId: 'req-404',
      correlationId: 'corr-404',
    });
    expect((error as AzureRequestError).url).toBe(`${server.origin}${WS}/jobs/j1?api-version=2025-12-01`);
  });

  it('retries throttling after Retry-After and then succeeds', async () => {
    let calls = 0;
    handler = (_request, response) => {
      calls++;
      if (calls === 1)
        sendJson(
          response,
          429,
          { error: { code: 'TooManyRequests', message: 'slow down' } },
          { 'Retry-After': '0' },
        );
      else sendJson(response, 200, { ok: true });
    };
    const result = await client().request({ method: 'GET', path: WS, apiVersion: '2022-10-01' });
    expect(result.body).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on persistent 5xx after the configured retries with a transient error', async () => {
    handler = (_request, response) =>
      sendJson(response, 503, { error: { code: 'ServiceUnavailable', message: 'down' } });
    const error = await client()
      .request({ method: 'GET', path: WS, apiVersion: '2022-10-01' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'AzureRequestError',
      status: 503,
      code: 'ServiceUnavailable',
      transient: true,
    });
    expect(server.requests).toHaveLength(3);
  });

  it('refuses to send the token to another host', async () => {
    handler = (_request, response) => sendJson(response, 200, {});
    await expect(
      client().request({ method: 'GET', path: 'https://elsewhere.example/steal', apiVersion: '1' }),
    ).rejects.toThrow(/Refusing to send an ARM token to https:\/\/elsewhere.example/);
    expect(server.requests).toHaveLength(0);
  });

  it('does not trust the local certificate without caCertificates', async () => {
    handler = (_request, response) => sendJson(response, 200, {});
    const untrusting = client({ caCertificates: undefined, retryOptions: { maxRetries: 0 } });
    const error = await untrusting
      .request({ method: 'GET', path: WS, apiVersion: '1' })
      .catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(AzureRequestError);
    expect(String((error as Error).message)).toMatch(/self[- ]signed|certificate/i);
  });

  it('aborts with the client-wide signal', async () => {
    const controller = new AbortController();
    controller.abort();
    handler = (_request, response) => sendJson(response, 200, {});
    await expect(
      client({ abortSignal: controller.signal }).request({ method: 'GET', path: WS, apiVersion: '1' }),
    ).rejects.toThrow(/abort/i);
  });
});

describe('ArmRestClient.list', () => {
  it('follows nextLink across pages, sending the query on the first page only', async () => {
    handler = (request, response) => {
      const url = new URL(request.url, server.origin);
      const token = url.searchParams.get('$skipToken');
      const next = (skip: string) => `${server.origin}${WS}/models?api-version=2025-12-01&$skipToken=${skip}`;
      if (token === null) sendJson(response, 200, { value: [{ n: 1 }, { n: 2 }], nextLink: next('p2') });
      else if (token === 'p2') sendJson(response, 200, { value: [], nextLink: next('p3') });
      else sendJson(response, 200, { value: [{ n: 3 }], nextLink: null });
    };
    const items: unknown[] = [];
    for await (const item of client().list<{ n: number }>(`${WS}/models`, '2025-12-01', {
      query: { listViewType: 'All' },
    })) {
      items.push(item);
    }
    expect(items).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(server.requests.map((request) => request.url)).toEqual([
      `${WS}/models?api-version=2025-12-01&listViewType=All`,
      `${WS}/models?api-version=2025-12-01&$skipToken=p2`,
      `${WS}/models?api-version=2025-12-01&$skipToken=p3`,
    ]);
  });

  it('stops on a nextLink that repeats', async () => {
    handler = (_request, response) =>
      sendJson(response, 200, {
        value: [1],
        nextLink: `${server.origin}${WS}/models?api-version=2025-12-01`,
      });
    const items: unknown[] = [];
    await expect(async () => {
      for await (const item of client().list(`${WS}/models`, '2025-12-01')) items.push(item);
    }).rejects.toThrow(/already fetched/);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it('raises AzureRequestError for a failing page', async () => {
    handler = (_request, response) =>
      sendJson(response, 403, { error: { code: 'AuthorizationFailed', message: 'no' } });
    await expect(async () => {
      for await (const _ of client().list(`${WS}/models`, '2025-12-01')) {
        // no items expected
      }
    }).rejects.toMatchObject({ status: 403, code: 'AuthorizationFailed' });
  });
});

describe('long-running operations', () => {
  const endpointPath = `${WS}/onlineEndpoints/ep1`;
  const operationPath =
    '/subscriptions/sub/providers/Microsoft.MachineLearningServices/locations/eastus2/mfeOperationsStatus/oe:1';

  function asyncOperationServer(
    statuses: string[],
    final: Record<string, unknown> = { status: 'Succeeded' },
  ) {
    let polls = 0;
    handler = (request, response) => {
      const path = pathOf(request.url);
      if (request.method === 'PUT' && path === endpointPath) {
        sendJson(
          response,
          201,
          { name: 'ep1', properties: { provisioningState: 'Creating' } },
          {
            'Azure-AsyncOperation': `${server.origin}${operationPath}?api-version=2022-10-01`,
            'Retry-After': '0',
          },
        );
      } else if (path === operationPath) {
        const status = statuses[polls++];
        sendJson(response, 200, status === undefined ? final : { status }, { 'Retry-After': '0' });
      } else if (request.method === 'GET' && path === endpointPath) {
        sendJson(response, 200, {
          name: 'ep1',
          properties: { provisioningState: 'Succeeded', scoringUri: 'https://ep1/score' },
        });
      } else {
        sendJson(response, 404, { error: { code: 'NotFound', message: path } });
      }
    };
  }

  it('polls Azure-AsyncOperation through Updating to Succeeded, then reads the resource', async () => {
    asyncOperationServer(['InProgress', 'Updating']);
    const seen: string[] = [];
    const result = await client().requestAndWait<{ properties: { scoringUri: string } }>(
      { method: 'PUT', path: endpointPath, apiVersion: '2022-10-01', body: { location: 'eastus2' } },
      { pollIntervalInMs: 1, onPoll: (status) => seen.push(status) },
    );
    expect(result.body?.properties.scoringUri).toBe('https://ep1/score');
    expect(seen).toEqual(['InProgress', 'Updating']);
    expect(server.requests.map((request) => `${request.method} ${pathOf(request.url)}`)).toEqual([
      `PUT ${endpointPath}`,
      `GET ${operationPath}`,
      `GET ${operationPath}`,
      `GET ${operationPath}`,
      `GET ${endpointPath}`,
    ]);
    // The operation URL keeps its own api-version.
    expect(server.requests[1]?.url).toContain('api-version=2022-10-01');
  });

  it('raises OperationFailedError carrying the operation error', async () => {
    asyncOperationServer(['Updating'], {
      status: 'Failed',
      error: { code: 'ImageBuildFailure', message: 'Environment image build failed.' },
    });
    const error = await client()
      .requestAndWait(
        { method: 'PUT', path: endpointPath, apiVersion: '2022-10-01', body: {} },
        { pollIntervalInMs: 1 },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error).toMatchObject({
      operationStatus: 'Failed',
      code: 'ImageBuildFailure',
      serviceMessage: 'Environment image build failed.',
      method: 'PUT',
    });
    expect((error as Error).message).toMatch(
      /the operation ended Failed: ImageBuildFailure: Environment image build failed/,
    );
  });

  it('treats Canceled as a failure', async () => {
    asyncOperationServer([], { status: 'Canceled' });
    await expect(
      client().requestAndWait(
        { method: 'PUT', path: endpointPath, apiVersion: '2022-10-01', body: {} },
        { pollIntervalInMs: 1 },
      ),
    ).rejects.toMatchObject({ operationStatus: 'Canceled' });
  });

  it('polls Location after a 202 DELETE until it answers 204', async () => {
    let polls = 0;
    handler = (request, response) => {
      if (request.method === 'DELETE') {
        response.writeHead(202, {
          Location: `${server.origin}/operationResults/d1?api-version=2022-10-01`,
          'Retry-After': '0',
        });
        response.end();
      } else if (++polls < 3) {
        response.writeHead(202, {
          Location: `${server.origin}/operationResults/d1?api-version=2022-10-01`,
          'Retry-After': '0',
        });
        response.end();
      } else {
        response.writeHead(204);
        response.end();
      }
    };
    const result = await client().requestAndWait(
      { method: 'DELETE', path: endpointPath, apiVersion: '2022-10-01' },
      { pollIntervalInMs: 1 },
    );
    expect(result.body).toBeUndefined();
    expect(result.response.status).toBe(204);
    expect(server.requests.map((request) => `${request.method} ${pathOf(request.url)}`)).toEqual([
      `DELETE ${endpointPath}`,
      'GET /operationResults/d1',
      'GET /operationResults/d1',
      'GET /operationResults/d1',
    ]);
  });

  it('reads the result of a POST from Location once the operation succeeded', async () => {
    handler = (request, response) => {
      const path = pathOf(request.url);
      if (request.method === 'POST') {
        response.writeHead(202, {
          'Azure-AsyncOperation': `${server.origin}/ops/p1?api-version=2025-12-01`,
          Location: `${server.origin}/results/p1?api-version=2025-12-01`,
          'Retry-After': '0',
        });
        response.end();
      } else if (path === '/ops/p1') sendJson(response, 200, { status: 'Succeeded' });
      else sendJson(response, 200, { keys: ['k1'] });
    };
    const result = await client().requestAndWait<{ keys: string[] }>(
      {
        method: 'POST',
        path: `${endpointPath}/regenerateKeys`,
        apiVersion: '2025-12-01',
        body: { keyType: 'Primary' },
      },
      { pollIntervalInMs: 1 },
    );
    expect(result.body).toEqual({ keys: ['k1'] });
    expect(server.requests.at(-1)?.url).toBe('/results/p1?api-version=2025-12-01');
  });

  it('polls a resource whose provisioningState is not terminal and no header says where', async () => {
    let gets = 0;
    handler = (request, response) => {
      if (request.method === 'PUT')
        sendJson(response, 201, { properties: { provisioningState: 'Creating' } });
      else
        sendJson(response, 200, { properties: { provisioningState: ++gets < 2 ? 'Updating' : 'Succeeded' } });
    };
    const result = await client().requestAndWait<{ properties: { provisioningState: string } }>(
      { method: 'PUT', path: `${WS}/computes/c1`, apiVersion: '2022-10-01', body: {} },
      { pollIntervalInMs: 1 },
    );
    expect(result.body?.properties.provisioningState).toBe('Succeeded');
    expect(server.requests.map((request) => request.method)).toEqual(['PUT', 'GET', 'GET']);
  });

  it('returns at once for a PUT that is not long-running (a job: 201 with Location)', async () => {
    handler = (_request, response) =>
      sendJson(
        response,
        201,
        { properties: { status: 'Starting' } },
        { Location: `${server.origin}${WS}/jobs/j1` },
      );
    const result = await client().requestAndWait<{ properties: { status: string } }>(
      { method: 'PUT', path: `${WS}/jobs/j1`, apiVersion: '2025-12-01', body: {} },
      { pollIntervalInMs: 1 },
    );
    expect(result.body?.properties.status).toBe('Starting');
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After in seconds between polls', async () => {
    let polls = 0;
    handler = (request, response) => {
      if (request.method === 'PUT') {
        sendJson(
          response,
          201,
          {},
          { 'Azure-AsyncOperation': `${server.origin}/ops/slow`, 'Retry-After': '1' },
        );
      } else if (pathOf(request.url) === '/ops/slow')
        sendJson(response, 200, { status: ++polls < 2 ? 'InProgress' : 'Succeeded' });
      else sendJson(response, 200, { done: true });
    };
    const started = Date.now();
    await client().requestAndWait(
      { method: 'PUT', path: endpointPath, apiVersion: '2022-10-01', body: {} },
      { pollIntervalInMs: 1 },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    // The operation's own answers had no Retry-After, so the second poll came after pollIntervalInMs.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out with OperationTimeoutError naming the last status', async () => {
    handler = (request, response) => {
      if (request.method === 'PUT')
        sendJson(response, 201, {}, { 'Azure-AsyncOperation': `${server.origin}/ops/stuck` });
      else sendJson(response, 200, { status: 'Updating' });
    };
    const error = await client()
      .requestAndWait(
        { method: 'PUT', path: endpointPath, apiVersion: '2022-10-01', body: {} },
        { pollIntervalInMs: 20, timeoutInMs: 150 },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect((error as OperationTimeoutError).lastStatus).toBe('Updating');
    expect(server.requests.length).toBeGreaterThan(2);
    expect(server.requests.length).toBeLessThan(20);
  });

  it('stops polling when aborted', async () => {
    handler = (request, response) => {
      if (request.method === 'PUT')
        sendJson(response, 201, {}, { 'Azure-AsyncOperation': `${server.origin}/ops/stuck` });
      else sendJson(response, 200, { status: 'InProgress' });
    };
    const controller = new AbortController();
    const waiting = client().requestAndWait(
      { method: 'PUT', path: endpointPath, apiVersion: '2022-10-01', body: {} },
      { pollIntervalInMs: 10_000, abortSignal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails fast when the operation resource has no status', async () => {
    handler = (request, response) => {
      if (request.method === 'PUT')
        sendJson(response, 201, {}, { 'Azure-AsyncOperation': `${server.origin}/ops/odd` });
      else sendJson(response, 200, { id: 'x' });
    };
    await expect(
      client().requestAndWait(
        { method: 'PUT', path: endpointPath, apiVersion: '1', body: {} },
        { pollIntervalInMs: 1 },
      ),
    ).rejects.toThrow(/has no "status"/);
  });
});
