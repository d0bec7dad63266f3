// Online endpoints and deployments on the in-memory routes, with a fake scoring server: the
// long-running-operation shapes, validation, 409 while an operation runs, keys, tokens and logs,
// and the real @azure/arm-machinelearning 2.1.1 pollers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createArmRoutes,
  ScoringHost,
  type ScoringServerHandle,
  type ScoringServerSpec,
} from '../../src/arm/index';
import { verifyAmlToken } from '../../src/arm/online-endpoint-auth';
import { checkMirrorTraffic, checkTraffic } from '../../src/arm/online-traffic';
import type { ArmContext } from '../../src/arm-context';
import { Router } from '../../src/http/router';
import type { EmulatorRequest } from '../../src/http/types';
import { pickWeighted, routeRequest } from '../../src/inference-front-door/routing';
import { StateStore } from '../../src/state/store';
import { APP_PRINCIPAL, type Loose } from './harness';

interface FakeServer extends ScoringServerHandle {
  spec: ScoringServerSpec;
  stopped: boolean;
}

/** A scoring-server stand-in: init fails when the script is named `broken.py`. */
function fakeScoring() {
  const started: FakeServer[] = [];
  const start = (spec: ScoringServerSpec): ScoringServerHandle => {
    const broken = spec.scoringScript === 'broken.py';
    const server: FakeServer = {
      spec,
      stopped: false,
      url: `http://127.0.0.1:${9000 + started.length}`,
      ready: broken
        ? Promise.reject(
            Object.assign(new Error("ModuleNotFoundError: No module named 'nope'"), {
              logs: "Traceback (most recent call last):\nModuleNotFoundError: No module named 'nope'",
            }),
          )
        : Promise.resolve(),
      logs: (tail?: number) => {
        const lines = ['init() done', 'request 1', 'request 2'];
        return (tail === undefined ? lines : lines.slice(-tail)).join('\n');
      },
      exited: false,
      async stop() {
        server.stopped = true;
      },
    };
    server.ready.catch(() => undefined);
    started.push(server);
    return server;
  };
  return { started, start };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(options: { inProgressPolls?: number } = {}) {
  let now = new Date('2026-01-15T10:00:00.000Z');
  const ctx: ArmContext = {
    subscriptionId: '00000000-1111-2222-3333-444444444444',
    resourceGroup: 'rg-emulator',
    workspace: 'ws-emulator',
    location: 'eastus2',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    baseUrl: 'https://127.0.0.1:8443',
    storage: {
      accountName: 'devstoreaccount1',
      accountKey: 'a2V5',
      blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1',
    },
    registry: {
      name: 'mlops-registry',
      storage: { accountName: 'reg', accountKey: 'a2V5', blobEndpoint: 'http://127.0.0.1:10000/reg' },
    },
    store: new StateStore(),
    now: () => now,
  };
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'online-unit-'));
  dirs.push(workDir);
  const scoring = fakeScoring();
  const fetched: string[] = [];
  const host = new ScoringHost({
    workDir,
    startScoringServer: scoring.start,
    fetchAssets: async ({ codeId, model }) => {
      fetched.push(`${codeId}|${model}`);
      return [`Downloading code ${codeId}`, `Downloading model ${model}`];
    },
  });
  const router = new Router().add(
    ...createArmRoutes(ctx, undefined, {
      retryAfterSeconds: 0,
      onlineEndpoints: { host, inProgressPolls: options.inProgressPolls ?? 1 },
    }),
  );
  const ws = `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ctx.workspace}`;

  async function invoke(method: string, target: string, body?: unknown, apiVersion = '2022-10-01') {
    const url = new URL(target.startsWith('http') ? target : `${ctx.baseUrl}${target}`);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
    const request: EmulatorRequest = {
      method,
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
      rawBody: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      principal: APP_PRINCIPAL,
    };
    const found = router.lookup(method, request.path);
    if (!found.match)
      return {
        status: found.pathExists ? 405 : 404,
        headers: {} as Record<string, string>,
        body: undefined as Loose,
      };
    const response = await found.match.route.handler(request, found.match.params);
    return { status: response.status, headers: response.headers ?? {}, body: response.body as Loose };
  }

  /** Follows Azure-AsyncOperation until a terminal status; returns the statuses seen. */
  async function follow(statusUrl: string): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < 50; i++) {
      const status = await invoke('GET', statusUrl);
      seen.push(status.body.status);
      if (['Succeeded', 'Failed', 'Canceled'].includes(status.body.status)) return seen;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return seen;
  }

  const endpointPath = (name: string) => `${ws}/onlineEndpoints/${name}`;
  const deploymentPath = (endpoint: string, name: string) => `${endpointPath(endpoint)}/deployments/${name}`;

  async function registerAssets() {
    await invoke('PUT', `${ws}/codes/score-src/versions/1`, {
      properties: {
        codeUri: 'http://127.0.0.1:10000/devstoreaccount1/azureml-blobstore-x/LocalUpload/h/src',
      },
    });
    await invoke('PUT', `${ws}/models/churn/versions/1`, {
      properties: { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/' },
    });
  }

  const deploymentBody = (overrides: Record<string, unknown> = {}) => ({
    location: 'eastus2',
    properties: {
      endpointComputeType: 'Managed',
      codeConfiguration: { codeId: `${ws}/codes/score-src/versions/1`, scoringScript: 'score.py' },
      model: `${ws}/models/churn/versions/1`,
      instanceType: 'Standard_DS3_v2',
      ...overrides,
    },
    sku: { name: 'Default', capacity: 2 },
  });

  async function createEndpoint(name: string, authMode = 'Key', extra: Record<string, unknown> = {}) {
    const created = await invoke('PUT', endpointPath(name), {
      location: 'eastus2',
      properties: { authMode, ...extra },
    });
    expect(created.status).toBe(201);
    await follow(created.headers['azure-asyncoperation'] as string);
    return created;
  }

  async function createDeployment(endpoint: string, name: string, overrides: Record<string, unknown> = {}) {
    const created = await invoke('PUT', deploymentPath(endpoint, name), deploymentBody(overrides));
    expect(created.status).toBe(201);
    const statuses = await follow(created.headers['azure-asyncoperation'] as string);
    return { created, statuses };
  }

  async function setTraffic(
    endpoint: string,
    traffic: Record<string, number>,
    mirrorTraffic?: Record<string, number>,
  ) {
    const properties: Record<string, unknown> = { authMode: 'Key', traffic };
    if (mirrorTraffic) properties.mirrorTraffic = mirrorTraffic;
    const response = await invoke(
      'PUT',
      endpointPath(endpoint),
      { location: 'eastus2', properties },
      mirrorTraffic ? '2025-12-01' : '2022-10-01',
    );
    if (response.status === 201) await follow(response.headers['azure-asyncoperation'] as string);
    return response;
  }

  return {
    ctx,
    host,
    scoring,
    fetched,
    invoke,
    follow,
    ws,
    endpointPath,
    deploymentPath,
    registerAssets,
    deploymentBody,
    createEndpoint,
    createDeployment,
    setTraffic,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('online endpoints: long-running operations', () => {
  it('creates an endpoint with 201 + Azure-AsyncOperation, Updating then Succeeded, scoring URIs on the emulator', async () => {
    const t = setup();
    const created = await t.invoke('PUT', t.endpointPath('churn'), {
      location: 'eastus2',
      tags: { team: 'ml' },
      identity: { type: 'SystemAssigned' },
      properties: { authMode: 'AMLToken', properties: {}, traffic: {} },
    });
    expect(created.status).toBe(201);
    expect(created.headers['azure-asyncoperation']).toMatch(
      /\/providers\/Microsoft\.MachineLearningServices\/locations\/eastus2\/mfeOperationsStatus\/oe:[0-9a-f-]+:[0-9a-f-]+\?api-version=2022-10-01$/,
    );
    expect(created.headers.location).toBe(
      `${t.ctx.baseUrl}${t.endpointPath('churn')}?api-version=2022-10-01`,
    );
    expect(created.headers['x-ms-async-operation-timeout']).toBe('PT30M');
    expect(created.body).toMatchObject({
      name: 'churn',
      type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints',
      kind: 'Managed',
      location: 'eastus2',
      tags: { team: 'ml' },
      identity: { type: 'SystemAssigned', tenantId: t.ctx.tenantId },
      properties: {
        authMode: 'AMLToken',
        provisioningState: 'Creating',
        scoringUri: null,
        swaggerUri: null,
        traffic: {},
      },
    });
    expect(created.body.properties).not.toHaveProperty('mirrorTraffic');
    expect(created.body.properties.properties['azureml.onlineendpointid']).toBe(
      created.body.id.toLowerCase(),
    );
    expect(created.body.properties.properties.AzureAsyncOperationUri).toBe(
      created.headers['azure-asyncoperation'],
    );

    expect(await t.follow(created.headers['azure-asyncoperation'] as string)).toEqual([
      'Updating',
      'Succeeded',
    ]);
    const got = await t.invoke('GET', t.endpointPath('churn'));
    expect(got.body.properties).toMatchObject({
      provisioningState: 'Succeeded',
      scoringUri: `${t.ctx.baseUrl}/inference/churn/score`,
      swaggerUri: `${t.ctx.baseUrl}/inference/churn/swagger.json`,
    });
    const newer = await t.invoke('GET', t.endpointPath('churn'), undefined, '2025-12-01');
    expect(newer.body.properties.mirrorTraffic).toEqual({});
  });

  it('completes by time for a client that never polls, and lists endpoints', async () => {
    const t = setup({ inProgressPolls: 5 });
    await t.invoke('PUT', t.endpointPath('a'), { location: 'eastus2', properties: { authMode: 'Key' } });
    expect((await t.invoke('GET', t.endpointPath('a'))).body.properties.provisioningState).toBe('Creating');
    t.advance(2000);
    expect((await t.invoke('GET', t.endpointPath('a'))).body.properties.provisioningState).toBe('Succeeded');
    const list = await t.invoke('GET', `${t.ws}/onlineEndpoints`);
    expect(list.body.value.map((item: Loose) => item.name)).toEqual(['a']);
  });

  it('provisions a deployment: code and model fetched, server started with the settings, then Succeeded', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    const { created, statuses } = await t.createDeployment('churn', 'blue', {
      environmentVariables: { MODE: 'strict' },
      requestSettings: { requestTimeout: 'PT3S' },
      livenessProbe: { period: 'PT30S' },
    });
    expect(created.headers['azure-asyncoperation']).toContain('/mfeOperationsStatus/od:');
    expect(created.body.properties.provisioningState).toBe('Creating');
    expect(statuses.at(-1)).toBe('Succeeded');
    const [server] = t.scoring.started;
    expect(server?.spec).toMatchObject({
      scoringScript: 'score.py',
      environmentVariables: { MODE: 'strict' },
      requestTimeoutInMs: 3000,
    });
    expect(server?.spec.modelDir).toMatch(/azureml-models[/\\]churn[/\\]1$/);
    expect(t.fetched).toEqual([`${t.ws}/codes/score-src/versions/1|${t.ws}/models/churn/versions/1`]);
    const got = await t.invoke('GET', t.deploymentPath('churn', 'blue'));
    expect(got.body).toMatchObject({
      type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
      kind: 'Managed',
      sku: { name: 'Default', tier: 'Standard', capacity: 2 },
      properties: {
        provisioningState: 'Succeeded',
        instanceType: 'Standard_DS3_v2',
        environmentVariables: { MODE: 'strict' },
        requestSettings: { requestTimeout: 'PT3S', maxConcurrentRequestsPerInstance: 1 },
        livenessProbe: { period: 'PT30S', failureThreshold: 30, timeout: 'PT2S' },
        readinessProbe: { period: 'PT10S', initialDelay: 'PT10S' },
        scaleSettings: { scaleType: 'Default' },
      },
    });
    expect(t.host.serverUrl('churn', 'blue')).toBe(server?.url);
    const list = await t.invoke('GET', `${t.endpointPath('churn')}/deployments`);
    expect(list.body.value.map((item: Loose) => item.name)).toEqual(['blue']);
    const skus = await t.invoke('GET', `${t.deploymentPath('churn', 'blue')}/skus`);
    expect(skus.body.value[0]).toMatchObject({ sku: { name: 'Default' }, capacity: { default: 1 } });
  });

  it('fails the deployment with ResourceNotReady when init fails, keeping the logs for getLogs', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    const { created, statuses } = await t.createDeployment('churn', 'bad', {
      codeConfiguration: { codeId: `${t.ws}/codes/score-src/versions/1`, scoringScript: 'broken.py' },
    });
    expect(statuses.at(-1)).toBe('Failed');
    const status = await t.invoke('GET', created.headers['azure-asyncoperation'] as string);
    expect(status.body.error).toMatchObject({
      code: 'ResourceNotReady',
      message: expect.stringContaining("No module named 'nope'"),
    });
    const result = await t.invoke(
      'GET',
      status.body.id.replace('mfeOperationsStatus', 'mfeOperationResults'),
    );
    expect(result.status).toBe(400);
    expect((await t.invoke('GET', t.deploymentPath('churn', 'bad'))).body.properties.provisioningState).toBe(
      'Failed',
    );
    const logs = await t.invoke('POST', `${t.deploymentPath('churn', 'bad')}/getLogs`, {
      containerType: 'InferenceServer',
      tail: 1,
    });
    expect(logs.body).toEqual({ content: "ModuleNotFoundError: No module named 'nope'" });
    const init = await t.invoke('POST', `${t.deploymentPath('churn', 'bad')}/getLogs`, {
      containerType: 'StorageInitializer',
    });
    expect(init.body.content).toContain('Downloading model');
    const invalid = await t.invoke('POST', `${t.deploymentPath('churn', 'bad')}/getLogs`, {
      containerType: 'Sidecar',
    });
    expect(invalid.status).toBe(400);
  });

  it('returns the running server logs, tailed', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    const logs = await t.invoke('POST', `${t.deploymentPath('churn', 'blue')}/getLogs`, { tail: 2 });
    expect(logs.body.content).toBe('request 1\nrequest 2');
  });

  it('patches a deployment (Scaling, 202 + Location) and an endpoint (tags, 202)', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    const patched = await t.invoke('PATCH', t.deploymentPath('churn', 'blue'), { sku: { capacity: 3 } });
    expect(patched.status).toBe(202);
    expect(patched.headers.location).toContain('/mfeOperationResults/od:');
    expect(patched.body.properties.provisioningState).toBe('Scaling');
    const poll = await t.invoke('GET', patched.headers.location as string);
    expect(poll.status).toBe(202);
    expect((await t.invoke('GET', patched.headers.location as string)).status).toBe(200);
    expect((await t.invoke('GET', t.deploymentPath('churn', 'blue'))).body.sku.capacity).toBe(3);

    const tagged = await t.invoke('PATCH', t.endpointPath('churn'), { tags: { stage: 'prod' } });
    expect(tagged.status).toBe(202);
    await t.follow(tagged.headers['azure-asyncoperation'] as string);
    expect((await t.invoke('GET', t.endpointPath('churn'))).body.tags).toEqual({ stage: 'prod' });
    expect((await t.invoke('PATCH', t.endpointPath('churn'), { tags: { n: 1 } })).status).toBe(400);
  });
});

describe('online endpoints: validation', () => {
  it.each([
    ['a sum other than 100', { blue: 60, green: 30 }, 'sum to 100'],
    ['a value over 100', { blue: 120 }, 'between 0 and 100'],
    ['an unknown deployment', { purple: 100 }, "Deployment 'purple' does not exist"],
  ])('refuses traffic with %s', async (_label, traffic, message) => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    await t.createDeployment('churn', 'green');
    const response = await t.setTraffic('churn', traffic);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'UserError',
      message: expect.stringContaining(message),
    });
  });

  it('accepts 100 on one, a split, and all zero', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    await t.createDeployment('churn', 'green');
    const plans: Record<string, number>[] = [{ blue: 100 }, { blue: 50, green: 50 }, { blue: 0, green: 0 }];
    for (const traffic of plans) {
      expect((await t.setTraffic('churn', traffic)).status).toBe(201);
      expect((await t.invoke('GET', t.endpointPath('churn'))).body.properties.traffic).toEqual(traffic);
    }
  });

  it('shows a traffic change only once its operation completed', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    const put = await t.invoke('PUT', t.endpointPath('churn'), {
      location: 'eastus2',
      properties: { authMode: 'Key', traffic: { blue: 100 } },
    });
    expect(put.body.properties).toMatchObject({ provisioningState: 'Updating', traffic: {} });
    await t.follow(put.headers['azure-asyncoperation'] as string);
    expect((await t.invoke('GET', t.endpointPath('churn'))).body.properties.traffic).toEqual({ blue: 100 });
  });

  it('refuses mirrorTraffic at 2022-10-01, and mirrors that break the rules at 2025-12-01', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    await t.createDeployment('churn', 'green');
    const old = await t.invoke('PUT', t.endpointPath('churn'), {
      location: 'eastus2',
      properties: { authMode: 'Key', traffic: { blue: 100 }, mirrorTraffic: { green: 10 } },
    });
    expect(old.status).toBe(400);
    expect(old.body.error.message).toContain(
      'properties.mirrorTraffic: is not supported at api-version 2022-10-01',
    );
    expect((await t.setTraffic('churn', { blue: 100 }, { green: 60 })).body.error.message).toContain(
      'between 0 and 50',
    );
    expect((await t.setTraffic('churn', { blue: 100 }, { blue: 10 })).body.error.message).toContain(
      'takes live traffic',
    );
    expect((await t.setTraffic('churn', { blue: 100 }, { green: 20 })).status).toBe(201);
  });

  it('checks traffic rules as pure functions', () => {
    expect(checkTraffic({}, [])).toEqual([]);
    expect(checkTraffic({ a: 30, b: 70 }, ['a', 'b'])).toEqual([]);
    expect(checkTraffic({ A: 100 }, ['a'])).toEqual([]);
    expect(checkMirrorTraffic({ a: 10, b: 10 }, {}, ['a', 'b', 'c'])[0]?.message).toContain(
      'one deployment only',
    );
    expect(checkMirrorTraffic({ c: 0 }, { c: 100 }, ['c'])).toEqual([]);
  });

  it('refuses bad deployment bodies: unknown code, missing model, schema violations, unknown endpoint', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    const noCode = await t.invoke(
      'PUT',
      t.deploymentPath('churn', 'x'),
      t.deploymentBody({
        codeConfiguration: { codeId: `${t.ws}/codes/nope/versions/1`, scoringScript: 'score.py' },
      }),
    );
    expect(noCode.status).toBe(400);
    expect(noCode.body.error.message).toContain('properties.codeConfiguration.codeId');
    const noModel = await t.invoke(
      'PUT',
      t.deploymentPath('churn', 'x'),
      t.deploymentBody({ model: 'azureml:ghost:3' }),
    );
    expect(noModel.body.error.message).toContain("Model version 'ghost:3' does not exist");
    const badType = await t.invoke(
      'PUT',
      t.deploymentPath('churn', 'x'),
      t.deploymentBody({ endpointComputeType: 'Batch' }),
    );
    expect(badType.body.error.message).toContain('properties.endpointComputeType');
    const kubernetes = await t.invoke(
      'PUT',
      t.deploymentPath('churn', 'k8s'),
      t.deploymentBody({
        endpointComputeType: 'Kubernetes',
        containerResourceRequirements: { containerResourceRequests: { cpu: '1' } },
      }),
    );
    expect(kubernetes.status).toBe(201);
    const managedWithK8sField = await t.invoke(
      'PUT',
      t.deploymentPath('churn', 'x'),
      t.deploymentBody({
        containerResourceRequirements: {},
      }),
    );
    expect(managedWithK8sField.body.error.message).toContain(
      'not a known property of ManagedOnlineDeployment',
    );
    const orphan = await t.invoke('PUT', t.deploymentPath('ghost', 'x'), t.deploymentBody());
    expect(orphan.status).toBe(404);
    const noAuth = await t.invoke('PUT', t.endpointPath('e2'), {
      location: 'eastus2',
      properties: { authMode: 'Password' },
    });
    expect(noAuth.body.error.message).toContain('properties.authMode');
  });

  it('refuses to delete a deployment that takes traffic, then deletes it and stops its server', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    await t.setTraffic('churn', { blue: 100 });
    const refused = await t.invoke('DELETE', t.deploymentPath('churn', 'blue'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('100% of the endpoint');
    await t.setTraffic('churn', { blue: 0 });
    const deleted = await t.invoke('DELETE', t.deploymentPath('churn', 'blue'));
    expect(deleted.status).toBe(202);
    expect(t.scoring.started[0]?.stopped).toBe(true);
    await t.follow(deleted.headers['azure-asyncoperation'] as string);
    expect((await t.invoke('GET', t.deploymentPath('churn', 'blue'))).status).toBe(404);
    expect((await t.invoke('DELETE', t.deploymentPath('churn', 'blue'))).status).toBe(204);
  });

  it('deletes an endpoint with 202 + Location and stops the servers of its deployments', async () => {
    const t = setup();
    await t.registerAssets();
    await t.createEndpoint('churn');
    await t.createDeployment('churn', 'blue');
    await t.setTraffic('churn', { blue: 100 });
    const deleted = await t.invoke('DELETE', t.endpointPath('churn'));
    expect(deleted.status).toBe(202);
    expect(deleted.headers.location).toContain('/mfeOperationResults/oe:');
    expect(t.scoring.started.every((server) => server.stopped)).toBe(true);
    await t.follow(deleted.headers['azure-asyncoperation'] as string);
    expect((await t.invoke('GET', t.endpointPath('churn'))).status).toBe(404);
    expect((await t.invoke('GET', `${t.endpointPath('churn')}/deployments`)).status).toBe(404);
  });
});

describe('online endpoints: conflicts, keys and tokens', () => {
  it('answers 409 Conflict to writes while an operation on the endpoint or a deployment runs', async () => {
    const t = setup({ inProgressPolls: 5 });
    await t.registerAssets();
    const created = await t.invoke('PUT', t.endpointPath('churn'), {
      location: 'eastus2',
      properties: { authMode: 'Key' },
    });
    const again = await t.invoke('PUT', t.endpointPath('churn'), {
      location: 'eastus2',
      properties: { authMode: 'Key' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'Conflict',
      message: expect.stringContaining("endpoint 'churn' is Creating"),
    });
    expect((await t.invoke('DELETE', t.endpointPath('churn'))).status).toBe(409);
    expect((await t.invoke('PUT', t.deploymentPath('churn', 'blue'), t.deploymentBody())).status).toBe(409);
    await t.follow(created.headers['azure-asyncoperation'] as string);
    const patched = await t.invoke('PATCH', t.endpointPath('churn'), { tags: { a: 'b' } });
    expect(patched.status).toBe(202);
    expect(
      (await t.invoke('POST', `${t.endpointPath('churn')}/regenerateKeys`, { keyType: 'Primary' })).status,
    ).toBe(409);
  });

  it('lists and regenerates keys (long-running), and refuses a bad keyType', async () => {
    const t = setup();
    const created = await t.invoke('PUT', t.endpointPath('churn'), {
      location: 'eastus2',
      properties: { authMode: 'Key', keys: { primaryKey: 'initial-primary' } },
    });
    expect(created.body.properties).not.toHaveProperty('keys');
    await t.follow(created.headers['azure-asyncoperation'] as string);
    const keys = await t.invoke('POST', `${t.endpointPath('churn')}/listKeys`);
    expect(keys.body.primaryKey).toBe('initial-primary');
    expect(keys.body.secondaryKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const bad = await t.invoke('POST', `${t.endpointPath('churn')}/regenerateKeys`, { keyType: 'Tertiary' });
    expect(bad.status).toBe(400);
    const regenerated = await t.invoke('POST', `${t.endpointPath('churn')}/regenerateKeys`, {
      keyType: 'Secondary',
      keyValue: 'chosen',
    });
    expect(regenerated.status).toBe(202);
    expect(regenerated.headers.location).toContain('/mfeOperationResults/');
    await t.follow(regenerated.headers['azure-asyncoperation'] as string);
    const after = await t.invoke('POST', `${t.endpointPath('churn')}/listKeys`);
    expect(after.body).toEqual({ primaryKey: 'initial-primary', secondaryKey: 'chosen' });
    expect((await t.invoke('POST', `${t.endpointPath('churn')}/token`)).status).toBe(400);
  });

  it('issues AML tokens only for AMLToken endpoints, valid for that endpoint for 24 h', async () => {
    const t = setup();
    await t.createEndpoint('tok', 'AMLToken');
    await t.createEndpoint('other', 'AMLToken');
    const response = await t.invoke('POST', `${t.endpointPath('tok')}/token`);
    expect(response.status).toBe(200);
    const nowInSeconds = Math.floor(t.ctx.now().getTime() / 1000);
    expect(response.body).toMatchObject({
      tokenType: 'Bearer',
      expiryTimeUtc: nowInSeconds + 86_400,
      refreshAfterTimeUtc: nowInSeconds + 43_200,
    });
    expect(verifyAmlToken(t.ctx, response.body.accessToken, 'tok')).toEqual({ ok: true });
    expect(verifyAmlToken(t.ctx, response.body.accessToken, 'other').ok).toBe(false);
    expect(verifyAmlToken(t.ctx, `${response.body.accessToken}x`, 'tok').ok).toBe(false);
    t.advance(86_401_000);
    expect(verifyAmlToken(t.ctx, response.body.accessToken, 'tok')).toEqual({ ok: false, reason: 'expired' });
    expect((await t.invoke('POST', `${t.endpointPath('tok')}/listKeys`)).status).toBe(400);
    expect((await t.invoke('POST', `${t.endpointPath('ghost')}/token`)).status).toBe(404);
  });
});

const credential: TokenCredential = {
  getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

function sdkFor(t: ReturnType<typeof setup>) {
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest) {
      const url = new URL(request.url);
      const text = typeof request.body === 'string' ? request.body : undefined;
      const response = await t.invoke(
        request.method,
        `${url.pathname}${url.search}`,
        text ? JSON.parse(text) : undefined,
      );
      const hasBody = response.body !== undefined;
      return {
        request,
        status: response.status,
        headers: createHttpHeaders({
          ...response.headers,
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        }),
        bodyAsText: hasBody ? JSON.stringify(response.body) : undefined,
      };
    },
  };
  return new AzureMachineLearningWorkspaces(credential, t.ctx.subscriptionId, {
    endpoint: t.ctx.baseUrl,
    httpClient,
    retryOptions: { maxRetries: 0 },
  });
}

describe('@azure/arm-machinelearning 2.1.1 pollers against online endpoints', () => {
  it('creates an endpoint and a deployment with beginCreateOrUpdateAndWait, shifts traffic and deletes', async () => {
    const t = setup();
    await t.registerAssets();
    const sdk = sdkFor(t);
    const fast = { updateIntervalInMs: 1 };
    const endpoint = await sdk.onlineEndpoints.beginCreateOrUpdateAndWait(
      'rg-emulator',
      'ws-emulator',
      'sdk-ep',
      { location: 'eastus2', properties: { authMode: 'Key' }, identity: { type: 'SystemAssigned' } },
      fast,
    );
    expect(endpoint.properties).toMatchObject({
      provisioningState: 'Succeeded',
      scoringUri: `${t.ctx.baseUrl}/inference/sdk-ep/score`,
    });
    const deployment = await sdk.onlineDeployments.beginCreateOrUpdateAndWait(
      'rg-emulator',
      'ws-emulator',
      'sdk-ep',
      'blue',
      {
        location: 'eastus2',
        properties: {
          endpointComputeType: 'Managed',
          codeConfiguration: { codeId: `${t.ws}/codes/score-src/versions/1`, scoringScript: 'score.py' },
          model: `${t.ws}/models/churn/versions/1`,
          instanceType: 'Standard_DS3_v2',
        },
        sku: { name: 'Default', capacity: 1 },
      },
      fast,
    );
    expect(deployment.properties).toMatchObject({
      provisioningState: 'Succeeded',
      endpointComputeType: 'Managed',
    });
    const shifted = await sdk.onlineEndpoints.beginCreateOrUpdateAndWait(
      'rg-emulator',
      'ws-emulator',
      'sdk-ep',
      { location: 'eastus2', properties: { authMode: 'Key', traffic: { blue: 100 } } },
      fast,
    );
    expect(shifted.properties.traffic).toEqual({ blue: 100 });
    const keys = await sdk.onlineEndpoints.listKeys('rg-emulator', 'ws-emulator', 'sdk-ep');
    expect(keys.primaryKey).toBeTruthy();
    const logs = await sdk.onlineDeployments.getLogs('rg-emulator', 'ws-emulator', 'sdk-ep', 'blue', {
      containerType: 'InferenceServer',
      tail: 1,
    });
    expect(logs.content).toBe('request 2');
    await sdk.onlineEndpoints.beginDeleteAndWait('rg-emulator', 'ws-emulator', 'sdk-ep', fast);
    await expect(sdk.onlineEndpoints.get('rg-emulator', 'ws-emulator', 'sdk-ep')).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('surfaces a failed deployment as a rejected poller', async () => {
    const t = setup();
    await t.registerAssets();
    const sdk = sdkFor(t);
    const fast = { updateIntervalInMs: 1 };
    await sdk.onlineEndpoints.beginCreateOrUpdateAndWait(
      'rg-emulator',
      'ws-emulator',
      'ep',
      { location: 'eastus2', properties: { authMode: 'Key' } },
      fast,
    );
    const failing = sdk.onlineDeployments.beginCreateOrUpdateAndWait(
      'rg-emulator',
      'ws-emulator',
      'ep',
      'bad',
      {
        location: 'eastus2',
        properties: {
          endpointComputeType: 'Managed',
          codeConfiguration: { codeId: `${t.ws}/codes/score-src/versions/1`, scoringScript: 'broken.py' },
          model: `${t.ws}/models/churn/versions/1`,
        },
      },
      fast,
    );
    await expect(failing).rejects.toThrow(/No module named 'nope'|failed/i);
  });
});

describe('front door routing', () => {
  const deployments = ['blue', 'green', 'shadow'];
  it.each([
    [0, 'blue'],
    [0.79, 'blue'],
    [0.8, 'green'],
    [0.999, 'green'],
  ])('picks by cumulative weight (draw %s → %s)', (draw, expected) => {
    expect(pickWeighted({ blue: 80, green: 20, shadow: 0 }, draw)).toBe(expected);
  });

  it('pins by header even at 0 %, and refuses unknown or unweighted targets', () => {
    const base = { traffic: { blue: 100, green: 0 }, mirrorTraffic: {}, deployments, random: () => 0.5 };
    expect(routeRequest({ ...base, pinned: 'GREEN' })).toEqual({ ok: true, deployment: 'green' });
    expect(routeRequest({ ...base, pinned: 'purple' })).toMatchObject({
      ok: false,
      reason: 'unknown-deployment',
    });
    expect(routeRequest({ ...base, traffic: { blue: 0 } })).toMatchObject({
      ok: false,
      reason: 'no-weighted-deployment',
    });
    expect(routeRequest({ ...base, traffic: {} })).toMatchObject({ ok: false });
  });

  it('mirrors the unpinned share below the mirror percentage', () => {
    const base = { traffic: { blue: 100 }, mirrorTraffic: { shadow: 20 }, deployments };
    expect(routeRequest({ ...base, random: () => 0.1 })).toEqual({
      ok: true,
      deployment: 'blue',
      mirror: 'shadow',
    });
    expect(routeRequest({ ...base, random: () => 0.5 })).toEqual({ ok: true, deployment: 'blue' });
    expect(routeRequest({ ...base, random: () => 0.1, pinned: 'blue' })).toEqual({
      ok: true,
      deployment: 'blue',
    });
  });
});
