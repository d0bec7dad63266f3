// Service discovery and run-history details over HTTPS: the workspace from ARM (through the REST
// client and through the real SDK), its discovery document, and the details of a run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createArmClients } from '../../src/arm/clients';
import { ArmRestClient } from '../../src/arm/rest';
import { resolveCloud } from '../../src/cloud';
import { AzureRequestError } from '../../src/errors';
import {
  discoverWorkspaceServices,
  mlflowTrackingUriToHttps,
  RunHistoryClient,
  type WorkspaceGetter,
} from '../../src/jobs/run-history';
import {
  type Handler,
  type LocalHttpsServer,
  sendJson,
  startLocalHttpsServer,
} from '../arm/support/local-https';
import { ARM_SCOPE, dataPlaneFor, FakeCredential, pathOf } from './support/data-plane';

const workspace = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };
const WS = '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

let server: LocalHttpsServer;
let handler: Handler;
let host: string;

beforeAll(async () => {
  server = await startLocalHttpsServer((request, response) => handler(request, response));
  host = new URL(server.origin).host;
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function workspaceBody(overrides: Record<string, unknown> = {}) {
  return {
    id: WS,
    name: 'ws',
    properties: {
      discoveryUrl: `${server.origin}/discovery`,
      mlFlowTrackingUri: `azureml://${host}/mlflow/v1.0${WS}`,
      ...overrides,
    },
  };
}

/** ARM workspace GET plus discovery, as Azure serves them. */
function azure(options: { workspace?: unknown; discovery?: unknown } = {}): Handler {
  return (request, response) => {
    const path = pathOf(request.url);
    if (path === WS) return sendJson(response, 200, options.workspace ?? workspaceBody());
    if (path === '/discovery') {
      return sendJson(
        response,
        200,
        options.discovery ?? {
          api: server.origin,
          history: `${server.origin}/`,
          studiourl: 'https://ml.azure.com',
        },
      );
    }
    sendJson(response, 404, { error: { code: 'NotFound', message: path } });
  };
}

function armRest(): ArmRestClient {
  return new ArmRestClient({
    credential: new FakeCredential(),
    endpoint: server.origin,
    scope: ARM_SCOPE,
    caCertificates: server.ca,
    env: {},
  });
}

describe('discoverWorkspaceServices', () => {
  it('reads discoveryUrl and mlFlowTrackingUri through the REST client', async () => {
    handler = azure();
    const services = await discoverWorkspaceServices(armRest(), workspace, {
      dataPlane: dataPlaneFor(server),
    });
    expect(services).toEqual({
      discoveryUrl: `${server.origin}/discovery`,
      historyEndpoint: server.origin,
      mlflowTrackingUri: `https://${host}/mlflow/v1.0${WS}`,
    });
    const [workspaceGet, discovery] = server.requests;
    expect(workspaceGet?.url).toBe(`${WS}?api-version=2022-10-01`);
    // A data-plane URL carries no api-version.
    expect(discovery?.url).toBe('/discovery');
  });

  it('reads them through the Azure ML SDK client too', async () => {
    handler = azure();
    const { sdk } = createArmClients({
      credential: new FakeCredential(),
      cloud: resolveCloud({ cloud: 'Custom', armEndpoint: server.origin, authorityHost: server.origin }),
      subscriptionId: 'sub',
      caCertificates: server.ca,
      env: {},
    });
    const getter: WorkspaceGetter = sdk;
    const services = await discoverWorkspaceServices(getter, workspace, { dataPlane: dataPlaneFor(server) });
    expect(services.mlflowTrackingUri).toBe(`https://${host}/mlflow/v1.0${WS}`);
    expect(services.historyEndpoint).toBe(server.origin);
  });

  it('turns an SDK failure into AzureRequestError', async () => {
    handler = (_request, response) =>
      sendJson(response, 404, { error: { code: 'ResourceNotFound', message: 'no such workspace' } });
    const getter: WorkspaceGetter = createArmClients({
      credential: new FakeCredential(),
      cloud: resolveCloud({ cloud: 'Custom', armEndpoint: server.origin, authorityHost: server.origin }),
      subscriptionId: 'sub',
      caCertificates: server.ca,
      env: {},
    }).sdk;
    await expect(
      discoverWorkspaceServices(getter, workspace, { dataPlane: dataPlaneFor(server) }),
    ).rejects.toMatchObject({ name: 'AzureRequestError', status: 404, code: 'ResourceNotFound' });
  });

  it.each([
    {
      case: 'no discoveryUrl',
      workspace: { properties: { mlFlowTrackingUri: 'azureml://h/mlflow' } },
      message: /has no discoveryUrl/,
    },
    {
      case: 'no tracking URI',
      workspace: { properties: { discoveryUrl: 'https://h/discovery' } },
      message: /has no mlFlowTrackingUri/,
    },
    {
      case: 'plain-http discovery',
      workspace: {
        properties: { discoveryUrl: 'http://h/discovery', mlFlowTrackingUri: 'azureml://h/mlflow' },
      },
      message: /HTTPS only/,
    },
  ])('refuses a workspace with $case', async ({ workspace: body, message }) => {
    handler = azure({ workspace: body });
    await expect(
      discoverWorkspaceServices(armRest(), workspace, { dataPlane: dataPlaneFor(server) }),
    ).rejects.toThrow(message);
  });

  it.each([
    { case: 'no history', discovery: { api: 'https://x' }, message: /has no "history" URL/ },
    { case: 'a non-JSON answer', discovery: 'hello', message: /has no "history" URL/ },
    { case: 'an http history', discovery: { history: 'http://insecure.example' }, message: /HTTPS only/ },
  ])('refuses discovery with $case', async ({ discovery, message }) => {
    handler = azure({ discovery });
    await expect(
      discoverWorkspaceServices(armRest(), workspace, { dataPlane: dataPlaneFor(server) }),
    ).rejects.toThrow(message);
  });
});

describe('mlflowTrackingUriToHttps', () => {
  it.each([
    {
      uri: 'azureml://eastus2.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
      https:
        'https://eastus2.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
    },
    // The Tracking job service's endpoint ends in '?'.
    { uri: 'azureml://h.example/mlflow/v1.0/x?', https: 'https://h.example/mlflow/v1.0/x' },
    { uri: 'AzureML://127.0.0.1:8443/mlflow/', https: 'https://127.0.0.1:8443/mlflow' },
    { uri: 'https://h.example/mlflow/v1.0/x', https: 'https://h.example/mlflow/v1.0/x' },
  ])('$uri', ({ uri, https }) => {
    expect(mlflowTrackingUriToHttps(uri)).toBe(https);
  });

  it.each(['http://h/mlflow', 'file:///tmp/mlruns', 'azureml:/h/mlflow', 'azureml://h/mlflow?x=1', ''])(
    'refuses %j',
    (uri) => {
      expect(() => mlflowTrackingUriToHttps(uri)).toThrow(/neither azureml:\/\/<host>\/mlflow/);
    },
  );
});

describe('DataPlaneClients', () => {
  it('keeps one client per origin and refuses plain http', () => {
    const dataPlane = dataPlaneFor(server);
    expect(dataPlane.forUrl(`${server.origin}/a`)).toBe(dataPlane.forUrl(`${server.origin}/b?c=d`));
    expect(dataPlane.forUrl('https://other.example/x')).not.toBe(dataPlane.forUrl(server.origin));
    expect(() => dataPlane.forUrl('http://insecure.example/')).toThrow(/HTTPS only/);
    expect(() => dataPlane.forUrl('not a url')).toThrow(/is not a URL/);
  });

  it('a client sends the ARM-scoped token and refuses other origins', async () => {
    handler = (_request, response) => sendJson(response, 200, {});
    const credential = new FakeCredential();
    const client = dataPlaneFor(server, credential).forUrl(server.origin);
    await client.request({ method: 'GET', path: `${server.origin}/mlflow/x` });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer arm-token-for-tests');
    expect(credential.scopes.flat()).toEqual([ARM_SCOPE]);
    await expect(client.request({ method: 'GET', path: 'https://storage.example/blob' })).rejects.toThrow(
      /Refusing to send an ARM token to https:\/\/storage.example/,
    );
  });
});

describe('RunHistoryClient.details', () => {
  const history = () =>
    new RunHistoryClient(dataPlaneFor(server).forUrl(server.origin), `${server.origin}/`, workspace);

  it('reads status, log URLs, parent and times', async () => {
    handler = (_request, response) =>
      sendJson(response, 200, {
        runId: 'p1_train',
        runUuid: null,
        parentRunId: 'p1',
        status: 'Running',
        startTimeUtc: '2025-01-01T00:00:01.000Z',
        endTimeUtc: null,
        logFiles: { 'user_logs/std_log.txt': 'https://blob.example/l?sig=x', 'logs/broken': null },
      });
    const details = await history().details('p1_train');
    expect(details).toEqual({
      runId: 'p1_train',
      status: 'Running',
      logFiles: { 'user_logs/std_log.txt': 'https://blob.example/l?sig=x' },
      parentRunId: 'p1',
      startTimeUtc: '2025-01-01T00:00:01.000Z',
      endTimeUtc: undefined,
    });
    expect(server.requests[0]?.url).toBe(`/history/v1.0${WS}/runs/p1_train/details`);
  });

  it('fills what a sparse answer leaves out', async () => {
    handler = (_request, response) => sendJson(response, 200, {});
    expect(await history().details('j 1')).toEqual({
      runId: 'j 1',
      status: 'Unknown',
      logFiles: {},
      parentRunId: undefined,
      startTimeUtc: undefined,
      endTimeUtc: undefined,
    });
    expect(server.requests[0]?.url).toBe(`/history/v1.0${WS}/runs/j%201/details`);
  });

  it('throws AzureRequestError for an unknown run', async () => {
    handler = (_request, response) =>
      sendJson(response, 404, { error: { code: 'RunNotFound', message: 'no run' } });
    const error = await history()
      .details('nope')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error).toMatchObject({ status: 404, code: 'RunNotFound' });
  });

  it('refuses an answer that is not a JSON object', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('');
    };
    await expect(history().details('j1')).rejects.toThrow(/answered no JSON object for run 'j1'/);
  });
});
