import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_VERSIONS } from '../../src/arm/api-versions';
import { createArmClients } from '../../src/arm/clients';
import { toAzureRequestError } from '../../src/arm/errors';
import { type ResolvedCloud, resolveCloud } from '../../src/cloud';
import { AzureRequestError } from '../../src/errors';
import { type Handler, type LocalHttpsServer, sendJson, startLocalHttpsServer } from './support/local-https';

const WS = '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

class FakeCredential implements TokenCredential {
  scopes: (string | string[])[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(scopes);
    return { token: 'sdk-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

let server: LocalHttpsServer;
let handler: Handler;
let cloud: ResolvedCloud;
let credential: FakeCredential;

beforeAll(async () => {
  server = await startLocalHttpsServer((request, response) => handler(request, response));
  cloud = resolveCloud({ cloud: 'Custom', armEndpoint: server.origin, authorityHost: server.origin });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  credential = new FakeCredential();
});

function clients(abortSignal?: AbortSignal) {
  return createArmClients({
    credential,
    cloud,
    subscriptionId: 'sub-1',
    caCertificates: server.ca,
    retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
    abortSignal,
    env: {},
  });
}

describe('createArmClients', () => {
  it('points the SDK at the cloud endpoint with its scope, api-version and our user agent', async () => {
    handler = (_request, response) =>
      sendJson(response, 200, {
        id: WS,
        name: 'ws',
        location: 'eastus2',
        properties: { discoveryUrl: 'https://x' },
      });
    const workspace = await clients().sdk.workspaces.get('rg', 'ws');
    expect(workspace.name).toBe('ws');
    const [sent] = server.requests;
    expect(sent?.url).toBe(`${WS}?api-version=${API_VERSIONS.sdk}`);
    expect(sent?.headers.authorization).toBe('Bearer sdk-token');
    expect(sent?.headers['user-agent']).toMatch(/^aml-actions azsdk-js-arm-machinelearning\/2\.1\.1/);
    expect(credential.scopes).toEqual([[cloud.armScope]]);
  });

  it('gives the REST client the same endpoint, scope and trust', async () => {
    handler = (_request, response) => sendJson(response, 200, { value: [{ name: 'reg' }] });
    const { rest } = clients();
    const names: string[] = [];
    for await (const registry of rest.list<{ name: string }>(
      '/subscriptions/sub-1/providers/Microsoft.MachineLearningServices/registries',
      API_VERSIONS.registries,
    )) {
      names.push(registry.name);
    }
    expect(names).toEqual(['reg']);
    expect(server.requests[0]?.url).toContain(`api-version=${API_VERSIONS.registries}`);
    expect(credential.scopes).toEqual([[cloud.armScope]]);
  });

  it('lets callers turn SDK errors into AzureRequestError', async () => {
    handler = (_request, response) =>
      sendJson(
        response,
        404,
        { error: { code: 'ResourceNotFound', message: 'no such workspace' } },
        { 'x-ms-request-id': 'rid-9' },
      );
    const caught = await clients()
      .sdk.workspaces.get('rg', 'ws')
      .catch((error: unknown) => toAzureRequestError(error));
    expect(caught).toBeInstanceOf(AzureRequestError);
    expect(caught).toMatchObject({
      status: 404,
      code: 'ResourceNotFound',
      serviceMessage: 'no such workspace',
      requestId: 'rid-9',
      method: 'GET',
    });
  });

  it('runs an SDK long-running operation (Azure-AsyncOperation, Updating → Succeeded) on the same pipeline', async () => {
    let polls = 0;
    const endpoint = {
      id: `${WS}/onlineEndpoints/ep1`,
      name: 'ep1',
      location: 'eastus2',
      identity: { type: 'SystemAssigned' },
      properties: {
        authMode: 'Key',
        provisioningState: 'Succeeded',
        scoringUri: 'https://ep1.eastus2.inference.ml.azure.com/score',
      },
    };
    handler = (request, response) => {
      if (request.method === 'PUT') {
        sendJson(
          response,
          201,
          { ...endpoint, properties: { ...endpoint.properties, provisioningState: 'Creating' } },
          {
            'Azure-AsyncOperation': `${server.origin}/subscriptions/sub-1/providers/Microsoft.MachineLearningServices/locations/eastus2/mfeOperationsStatus/oe:1?api-version=2022-10-01`,
          },
        );
      } else if (request.url.includes('mfeOperationsStatus')) {
        sendJson(response, 200, { status: ++polls < 2 ? 'Updating' : 'Succeeded' });
      } else {
        sendJson(response, 200, endpoint);
      }
    };
    const result = await clients().sdk.onlineEndpoints.beginCreateOrUpdateAndWait(
      'rg',
      'ws',
      'ep1',
      { location: 'eastus2', identity: { type: 'SystemAssigned' }, properties: { authMode: 'Key' } },
      { updateIntervalInMs: 1 },
    );
    expect(result.properties.scoringUri).toBe(endpoint.properties.scoringUri);
    expect(polls).toBe(2);
    expect(server.requests.every((request) => request.url.includes('api-version=2022-10-01'))).toBe(true);
  });

  it('aborts SDK and REST calls with the client-wide signal', async () => {
    handler = (_request, response) => sendJson(response, 200, {});
    const controller = new AbortController();
    controller.abort();
    const { sdk, rest } = clients(controller.signal);
    await expect(sdk.workspaces.get('rg', 'ws')).rejects.toThrow(/abort/i);
    await expect(rest.request({ method: 'GET', path: WS, apiVersion: API_VERSIONS.sdk })).rejects.toThrow(
      /abort/i,
    );
    expect(server.requests).toHaveLength(0);
  });
});
