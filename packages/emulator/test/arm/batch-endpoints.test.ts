// Batch endpoints and batch deployments on the in-memory ARM routes: long-running PUT/PATCH/DELETE
// shapes, validation against the workspace's assets and computes, the service's defaults, the
// default deployment, the delete cascade, 409 while an operation runs, and the real
// @azure/arm-machinelearning 2.1.1 client.
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { type ApiVersion, isAtLeast } from '../../src/arm/api-version';
import { batchDeploymentBody, batchEndpointBody } from '../../src/arm/schema/batch-endpoints';
import type { ObjectSchema } from '../../src/arm/schema/dsl';
import {
  createHarness,
  type Harness,
  type InvokeOptions,
  type Loose,
  listAll,
  type Response,
  readReference,
} from './harness';

const endpointPath = (h: Harness, name = 'scorer') => `${h.workspacePath}/batchEndpoints/${name}`;
const deploymentPath = (h: Harness, name = 'blue', endpoint = 'scorer') =>
  `${endpointPath(h, endpoint)}/deployments/${name}`;
const modelId = (h: Harness, name = 'churn', version = '1') =>
  `${h.workspacePath}/models/${name}/versions/${version}`;

const endpointBody = (extra: Record<string, unknown> = {}) => ({
  location: 'eastus2',
  tags: { team: 'ml' },
  properties: { authMode: 'AADToken', description: 'nightly scoring', ...extra },
});

const deploymentBody = (h: Harness, extra: Record<string, unknown> = {}) => ({
  location: 'eastus2',
  properties: {
    model: { referenceType: 'Id', assetId: modelId(h) },
    compute: h.computeId('cpu-cluster'),
    ...extra,
  },
});

async function registerModel(h: Harness, name = 'churn', version = '1') {
  const response = await h.invoke('PUT', modelId(h, name, version), {
    properties: { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/' },
  });
  expect(response.status).toBe(201);
}

/** Polls the Azure-AsyncOperation URL as @azure/core-lro does; returns the statuses seen. */
async function pollToEnd(h: Harness, response: Response): Promise<string[]> {
  const statusUrl = response.headers['azure-asyncoperation'];
  expect(statusUrl).toMatch(
    /\/providers\/Microsoft\.MachineLearningServices\/locations\/eastus2\/mfeOperationsStatus\//,
  );
  const statuses: string[] = [];
  for (let i = 0; i < 10; i++) {
    const status = await h.invoke('GET', statusUrl as string);
    expect(status.status).toBe(200);
    statuses.push(status.body.status);
    if (status.body.status !== 'InProgress') break;
  }
  return statuses;
}

/** An endpoint with one succeeded deployment `blue` (the model `churn:1` registered). */
async function endpointWithDeployment(h: Harness) {
  await registerModel(h);
  await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
  const deployment = await h.invoke('PUT', deploymentPath(h), deploymentBody(h));
  expect(deployment.status).toBe(201);
  await pollToEnd(h, deployment);
}

describe('the request schemas', () => {
  /** Property names (and required ones) of a schema object at one api-version. */
  const names = (schema: ObjectSchema, version: ApiVersion) => {
    const entries = Object.entries(schema.properties).filter(
      ([, property]) => !property.since || isAtLeast(version, property.since),
    );
    return {
      all: entries.map(([name]) => name).sort(),
      required: entries.filter(([, property]) => property.required).map(([name]) => name),
    };
  };
  const propertiesOf = (body: ObjectSchema) => body.properties.properties?.schema as ObjectSchema;

  it.each(['2022-10-01', '2025-12-01'] as const)('match the deployment schemas of %s', (version) => {
    const doc = readReference<Loose>(
      `specs/arm-deployment-schemas/${version}.Microsoft.MachineLearningServices.json`,
    );
    for (const [body, definition, resource] of [
      [batchEndpointBody, 'BatchEndpointProperties', 'workspaces_batchEndpoints'],
      [batchDeploymentBody, 'BatchDeploymentProperties', 'workspaces_batchEndpoints_deployments'],
    ] as const) {
      const reference = doc.definitions[definition];
      expect(names(propertiesOf(body), version), definition).toEqual({
        all: Object.keys(reference.properties).sort(),
        required: reference.required ?? [],
      });
      const envelope = Object.keys(doc.resourceDefinitions[resource].properties).filter(
        (name) => !['apiVersion', 'name', 'type', 'resources'].includes(name),
      );
      expect(names(body, version).all, resource).toEqual(envelope.sort());
    }
  });
});

describe('batch endpoints', () => {
  it('creates an endpoint as a long-running operation: 201 Creating, InProgress, then Succeeded', async () => {
    const h = createHarness();
    const created = await h.invoke('PUT', endpointPath(h), endpointBody());
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`https://127.0.0.1:8443${endpointPath(h)}?api-version=2022-10-01`);
    expect(created.headers['x-ms-async-operation-timeout']).toBe('PT1H');
    expect(created.body).toMatchObject({
      id: endpointPath(h),
      name: 'scorer',
      type: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints',
      location: 'eastus2',
      tags: { team: 'ml' },
      properties: {
        authMode: 'AADToken',
        description: 'nightly scoring',
        properties: {},
        scoringUri: 'https://127.0.0.1:8443/batch/scorer/jobs',
        defaults: { deploymentName: null },
        provisioningState: 'Creating',
      },
      systemData: { createdByType: 'Application' },
    });
    expect(await pollToEnd(h, created)).toEqual(['InProgress', 'Succeeded']);
    const got = await h.invoke('GET', endpointPath(h));
    expect(got.status).toBe(200);
    expect(got.body.properties.provisioningState).toBe('Succeeded');
    expect(got.body.properties).not.toHaveProperty('keys');
  });

  it('finishes an operation by time when nobody polls it', async () => {
    const h = createHarness();
    await h.invoke('PUT', endpointPath(h), endpointBody());
    expect((await h.invoke('GET', endpointPath(h))).body.properties.provisioningState).toBe('Creating');
    h.advance(2000);
    expect((await h.invoke('GET', endpointPath(h))).body.properties.provisioningState).toBe('Succeeded');
  });

  it.each([
    ['Key auth', endpointBody({ authMode: 'Key' }), 'properties.authMode', "AuthMode must be 'AADToken'"],
    [
      'AMLToken auth',
      endpointBody({ authMode: 'AMLToken' }),
      'properties.authMode',
      "AuthMode must be 'AADToken'",
    ],
    [
      'an unknown auth mode',
      endpointBody({ authMode: 'Basic' }),
      'properties.authMode',
      'is not a valid value',
    ],
    ['no authMode', { location: 'eastus2', properties: {} }, 'properties.authMode', 'is required'],
    ['no location', { properties: { authMode: 'AADToken' } }, 'location', 'is required'],
    [
      'a default deployment that does not exist',
      endpointBody({ defaults: { deploymentName: 'green' } }),
      'properties.defaults.deploymentName',
      "Deployment 'green' does not exist in batch endpoint 'scorer'",
    ],
    [
      'a property online endpoints have',
      endpointBody({ traffic: {} }),
      'properties.traffic',
      'is not a known property',
    ],
  ])('refuses an endpoint with %s', async (_case, body, target, message) => {
    const h = createHarness();
    const response = await h.invoke('PUT', endpointPath(h), body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'UserError', target });
    expect(response.body.error.message).toContain(message);
    expect((await h.invoke('GET', endpointPath(h))).status).toBe(404);
  });

  it('refuses an invalid endpoint name', async () => {
    const h = createHarness();
    const response = await h.invoke('PUT', endpointPath(h, '-bad'), endpointBody());
    expect(response.status).toBe(400);
    expect(response.body.error.target).toBe('name');
  });

  it('sets the default deployment with a full PUT once the deployment exists', async () => {
    const h = createHarness();
    await endpointWithDeployment(h);
    const updated = await h.invoke(
      'PUT',
      endpointPath(h),
      endpointBody({ defaults: { deploymentName: 'blue' } }),
    );
    expect(updated.status).toBe(201);
    expect(updated.body.properties).toMatchObject({
      provisioningState: 'Updating',
      defaults: { deploymentName: 'blue' },
    });
    expect(await pollToEnd(h, updated)).toEqual(['InProgress', 'Succeeded']);
    const got = await h.invoke('GET', endpointPath(h));
    expect(got.body.properties).toMatchObject({
      defaults: { deploymentName: 'blue' },
      provisioningState: 'Succeeded',
    });
    expect(got.body.systemData.createdAt).toBe(updated.body.systemData.createdAt);
  });

  it('patches tags with 202 + Location, answered 202 then 200 by the result URL', async () => {
    const h = createHarness();
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const patched = await h.invoke('PATCH', endpointPath(h), { tags: { team: 'risk', tier: 'gold' } });
    expect(patched.status).toBe(202);
    expect(patched.headers.location).toMatch(/\/mfeOperationResults\/be:/);
    expect(patched.headers['retry-after']).toBe('1');
    expect(patched.body).toMatchObject({
      tags: { team: 'risk', tier: 'gold' },
      properties: { provisioningState: 'Updating' },
    });
    const results = [await h.invoke('GET', patched.headers.location as string)];
    results.push(await h.invoke('GET', patched.headers.location as string));
    expect(results.map((r) => r.status)).toEqual([202, 200]);
    const got = await h.invoke('GET', endpointPath(h));
    expect(got.body).toMatchObject({
      tags: { team: 'risk', tier: 'gold' },
      properties: { provisioningState: 'Succeeded' },
    });
  });

  it('refuses a PATCH with properties it cannot change, and a PATCH of a missing endpoint', async () => {
    const h = createHarness();
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const bad = await h.invoke('PATCH', endpointPath(h), { properties: { authMode: 'AADToken' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.target).toBe('properties');
    const missing = await h.invoke('PATCH', endpointPath(h, 'nothing'), { tags: {} });
    expect(missing.status).toBe(404);
  });

  it('answers listKeys with 400: an AADToken endpoint has no keys; 404 for a missing endpoint', async () => {
    const h = createHarness();
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const keys = await h.invoke('POST', `${endpointPath(h)}/listkeys`);
    expect(keys.status).toBe(400);
    expect(keys.body.error.code).toBe('UserError');
    expect(keys.body.error.message).toContain("authMode 'AADToken'");
    expect((await h.invoke('POST', `${endpointPath(h, 'nothing')}/listKeys`)).status).toBe(404);
  });

  it('lists endpoints in pages of `count`', async () => {
    const h = createHarness();
    for (const name of ['a1', 'a2', 'a3']) await h.invoke('PUT', endpointPath(h, name), endpointBody());
    const { items, pages } = await listAll(h, `${h.workspacePath}/batchEndpoints?count=2`);
    expect(items.map((item) => item.name)).toEqual(['a1', 'a2', 'a3']);
    expect(pages).toEqual([2, 1]);
    const bad = await h.invoke('GET', `${h.workspacePath}/batchEndpoints?count=0`);
    expect(bad.status).toBe(400);
  });

  it('answers 404 for a missing endpoint and 204 for deleting one', async () => {
    const h = createHarness();
    const got = await h.invoke('GET', endpointPath(h, 'nothing'));
    expect(got.status).toBe(404);
    expect(got.body.error.code).toBe('ResourceNotFound');
    expect((await h.invoke('DELETE', endpointPath(h, 'nothing'))).status).toBe(204);
  });
});

describe('batch deployments', () => {
  it('creates a deployment with the defaults the service fills in', async () => {
    const h = createHarness();
    await registerModel(h);
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const created = await h.invoke('PUT', deploymentPath(h), deploymentBody(h));
    expect(created.status).toBe(201);
    expect(created.headers['azure-asyncoperation']).toMatch(/\/mfeOperationsStatus\/bd:/);
    expect(created.body).toMatchObject({
      id: deploymentPath(h),
      name: 'blue',
      type: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments',
      location: 'eastus2',
      tags: {},
    });
    expect(created.body.properties).toEqual({
      description: null,
      properties: {},
      codeConfiguration: null,
      environmentId: null,
      environmentVariables: {},
      compute: h.computeId('cpu-cluster'),
      errorThreshold: -1,
      loggingLevel: 'Info',
      maxConcurrencyPerInstance: 1,
      miniBatchSize: 10,
      model: { referenceType: 'Id', assetId: modelId(h) },
      outputAction: 'AppendRow',
      outputFileName: 'predictions.csv',
      retrySettings: { maxRetries: 3, timeout: 'PT30S' },
      resources: { instanceCount: 1, instanceType: null, properties: {} },
      provisioningState: 'Creating',
    });
    expect(await pollToEnd(h, created)).toEqual(['InProgress', 'Succeeded']);
    expect((await h.invoke('GET', deploymentPath(h))).body.properties.provisioningState).toBe('Succeeded');
  });

  it('keeps every setting the request gives, code and environment included', async () => {
    const h = createHarness();
    await registerModel(h);
    const codeId = `${h.workspacePath}/codes/score-src/versions/1`;
    const environmentId = `${h.workspacePath}/environments/sklearn/versions/2`;
    await h.invoke('PUT', codeId, {
      properties: { codeUri: 'https://127.0.0.1:10000/devstoreaccount1/c/LocalUpload/x/src' },
    });
    await h.invoke('PUT', environmentId, {
      properties: { image: 'mcr.microsoft.com/azureml/sklearn:latest' },
    });
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const settings = {
      codeConfiguration: { codeId, scoringScript: 'batch_score.py' },
      environmentId,
      environmentVariables: { LOG_LEVEL: 'debug' },
      errorThreshold: 5,
      loggingLevel: 'Debug',
      maxConcurrencyPerInstance: 4,
      miniBatchSize: 20,
      outputAction: 'SummaryOnly',
      outputFileName: 'scores.csv',
      retrySettings: { maxRetries: 1 },
      resources: { instanceCount: 2 },
    };
    const created = await h.invoke('PUT', deploymentPath(h), deploymentBody(h, settings));
    expect(created.status).toBe(201);
    expect(created.body.properties).toMatchObject({
      ...settings,
      retrySettings: { maxRetries: 1, timeout: 'PT30S' },
      resources: { instanceCount: 2, instanceType: null, properties: {} },
    });
  });

  it('accepts a model version of the registry by azureml:// id and by ARM id', async () => {
    const h = createHarness();
    const registry = `/subscriptions/${h.ctx.subscriptionId}/resourceGroups/${h.ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/registries/mlops-registry`;
    const put = await h.invoke(
      'PUT',
      `${registry}/models/shared/versions/3`,
      { properties: { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/shared/' } },
      { apiVersion: '2025-12-01' },
    );
    expect(put.status).toBe(201);
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    for (const [name, assetId] of [
      ['by-uri', 'azureml://registries/mlops-registry/models/shared/versions/3'],
      ['by-arm-id', `${registry}/models/shared/versions/3`],
    ] as const) {
      const created = await h.invoke(
        'PUT',
        deploymentPath(h, name),
        deploymentBody(h, { model: { referenceType: 'Id', assetId } }),
      );
      expect(created.status, name).toBe(201);
      await pollToEnd(h, created);
    }
  });

  it.each([
    ['no model', { model: undefined }, 'properties.model', 'is required'],
    [
      'a model version that does not exist',
      (h: Harness) => ({ model: { referenceType: 'Id', assetId: modelId(h, 'churn', '9') } }),
      'properties.model.assetId',
      "model version 'churn:9' does not exist in workspace 'ws-emulator'",
    ],
    [
      'a model id that is not a model version',
      (h: Harness) => ({
        model: { referenceType: 'Id', assetId: `${h.workspacePath}/data/churn/versions/1` },
      }),
      'properties.model.assetId',
      'is not a model version id',
    ],
    [
      'a model of another workspace',
      (h: Harness) => ({
        model: { referenceType: 'Id', assetId: modelId(h).replace('ws-emulator', 'other-ws') },
      }),
      'properties.model.assetId',
      'is outside this subscription',
    ],
    [
      'a model of an unknown registry',
      { model: { referenceType: 'Id', assetId: 'azureml://registries/azureml/models/churn/versions/1' } },
      'properties.model.assetId',
      "Registry 'azureml' does not exist",
    ],
    [
      'a DataPath model',
      { model: { referenceType: 'DataPath', path: 'models/churn' } },
      'properties.model.referenceType',
      "'DataPath' is not supported",
    ],
    ['no compute', { compute: undefined }, 'properties.compute', 'is required'],
    [
      'a compute that does not exist',
      (h: Harness) => ({ compute: h.computeId('gpu-cluster') }),
      'properties.compute',
      "Compute 'gpu-cluster' does not exist",
    ],
    [
      'a compute name instead of its ARM id',
      { compute: 'cpu-cluster' },
      'properties.compute',
      'is not a compute ARM id',
    ],
    [
      'a code version that does not exist',
      (h: Harness) => ({
        codeConfiguration: { codeId: `${h.workspacePath}/codes/src/versions/1`, scoringScript: 'score.py' },
      }),
      'properties.codeConfiguration.codeId',
      "code version 'src:1' does not exist",
    ],
    [
      'an environment that does not exist',
      (h: Harness) => ({ environmentId: `${h.workspacePath}/environments/sklearn/versions/1` }),
      'properties.environmentId',
      "environment version 'sklearn:1' does not exist",
    ],
    ['errorThreshold below -1', { errorThreshold: -2 }, 'properties.errorThreshold', 'must be at least -1'],
    ['a zero miniBatchSize', { miniBatchSize: 0 }, 'properties.miniBatchSize', 'must be at least 1'],
    [
      'an unknown outputAction',
      { outputAction: 'Append' },
      'properties.outputAction',
      'SummaryOnly, AppendRow',
    ],
    [
      'an unknown loggingLevel',
      { loggingLevel: 'Verbose' },
      'properties.loggingLevel',
      'Info, Warning, Debug',
    ],
    [
      'a retry timeout that is not a duration',
      { retrySettings: { timeout: '30s' } },
      'properties.retrySettings.timeout',
      'does not match the pattern',
    ],
    [
      'zero instances',
      { resources: { instanceCount: 0 } },
      'properties.resources.instanceCount',
      'must be at least 1',
    ],
    [
      'a pipeline component configuration at 2022-10-01',
      { deploymentConfiguration: { deploymentConfigurationType: 'PipelineComponent' } },
      'properties.deploymentConfiguration',
      'is available from api-version 2025-12-01',
    ],
  ])('refuses a deployment with %s', async (_case, extra, target, message) => {
    const h = createHarness();
    await registerModel(h);
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const overrides = typeof extra === 'function' ? extra(h) : extra;
    const body = deploymentBody(h, overrides);
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete (body.properties as Record<string, unknown>)[key];
    }
    const response = await h.invoke('PUT', deploymentPath(h), body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'UserError', target });
    expect(response.body.error.message).toContain(message);
    expect((await h.invoke('GET', deploymentPath(h))).status).toBe(404);
  });

  it('refuses a compute instance: batch jobs run on clusters', async () => {
    const h = createHarness();
    await registerModel(h);
    const instance = await h.invoke('PUT', h.computeId('my-instance'), {
      location: 'eastus2',
      properties: { computeType: 'ComputeInstance', properties: { vmSize: 'Standard_DS3_v2' } },
    });
    expect(instance.status).toBe(201);
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const response = await h.invoke(
      'PUT',
      deploymentPath(h),
      deploymentBody(h, { compute: h.computeId('my-instance') }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain("Compute 'my-instance' is a ComputeInstance");
  });

  it('takes a pipeline component deployment at 2025-12-01 and hides it from 2022-10-01 readers', async () => {
    const h = createHarness();
    const at: InvokeOptions = { apiVersion: '2025-12-01' };
    const componentId = `${h.workspacePath}/components/prep/versions/1`;
    await h.invoke('PUT', componentId, { properties: { componentSpec: { name: 'prep', type: 'pipeline' } } });
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody(), at));
    const configuration = {
      deploymentConfigurationType: 'PipelineComponent',
      componentId: { referenceType: 'Id', assetId: componentId },
      settings: { default_compute: h.computeId('cpu-cluster') },
    };
    const created = await h.invoke(
      'PUT',
      deploymentPath(h),
      { location: 'eastus2', properties: { deploymentConfiguration: configuration } },
      at,
    );
    expect(created.status).toBe(201);
    expect(created.body.properties.deploymentConfiguration).toEqual(configuration);
    expect(
      (await h.invoke('GET', deploymentPath(h), undefined, at)).body.properties.deploymentConfiguration,
    ).toEqual(configuration);
    expect((await h.invoke('GET', deploymentPath(h))).body.properties).not.toHaveProperty(
      'deploymentConfiguration',
    );

    const missing = await h.invoke(
      'PUT',
      deploymentPath(h, 'green'),
      {
        location: 'eastus2',
        properties: {
          deploymentConfiguration: {
            ...configuration,
            componentId: { referenceType: 'Id', assetId: componentId.replace('/1', '/2') },
          },
        },
      },
      at,
    );
    expect(missing.status).toBe(409);
    h.advance(2000);
    const refused = await h.invoke(
      'PUT',
      deploymentPath(h, 'green'),
      {
        location: 'eastus2',
        properties: {
          deploymentConfiguration: {
            ...configuration,
            componentId: { referenceType: 'Id', assetId: componentId.replace('/1', '/2') },
          },
        },
      },
      at,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.target).toBe('properties.deploymentConfiguration.componentId.assetId');
  });

  it('answers 404 for deployments of a missing endpoint', async () => {
    const h = createHarness();
    await registerModel(h);
    expect((await h.invoke('PUT', deploymentPath(h), deploymentBody(h))).status).toBe(404);
    expect((await h.invoke('GET', `${endpointPath(h)}/deployments`)).status).toBe(404);
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    const missing = await h.invoke('GET', deploymentPath(h));
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("batch deployment 'blue'");
  });

  it('lists deployments in creation order, newest first with $orderBy, and refuses other orders', async () => {
    const h = createHarness();
    await endpointWithDeployment(h);
    await pollToEnd(h, await h.invoke('PUT', deploymentPath(h, 'green'), deploymentBody(h)));
    const list = await h.invoke('GET', `${endpointPath(h)}/deployments`);
    expect(list.body.value.map((d: { name: string }) => d.name)).toEqual(['blue', 'green']);
    const newest = await h.invoke('GET', `${endpointPath(h)}/deployments?$orderBy=createdtime desc&$top=1`);
    expect(newest.body.value.map((d: { name: string }) => d.name)).toEqual(['green']);
    expect((await h.invoke('GET', `${endpointPath(h)}/deployments?$orderBy=version`)).status).toBe(400);
  });

  it('patches the description and tags of a deployment (202 + Location)', async () => {
    const h = createHarness();
    await endpointWithDeployment(h);
    const patched = await h.invoke('PATCH', deploymentPath(h), {
      tags: { stage: 'prod' },
      properties: { description: 'v2 scoring' },
    });
    expect(patched.status).toBe(202);
    expect(patched.headers.location).toMatch(/\/mfeOperationResults\/bd:/);
    expect(patched.body).toMatchObject({
      tags: { stage: 'prod' },
      properties: { description: 'v2 scoring', miniBatchSize: 10 },
    });
    const busy = await h.invoke('PATCH', deploymentPath(h, 'blue'), { tags: {} });
    expect(busy.status).toBe(409);
    h.advance(2000);
    const refused = await h.invoke('PATCH', deploymentPath(h, 'blue'), { properties: { miniBatchSize: 3 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.target).toBe('properties.miniBatchSize');
  });

  it('deletes a deployment that is not the default, and refuses to delete the default', async () => {
    const h = createHarness();
    await endpointWithDeployment(h);
    await pollToEnd(h, await h.invoke('PUT', deploymentPath(h, 'green'), deploymentBody(h)));
    await pollToEnd(
      h,
      await h.invoke('PUT', endpointPath(h), endpointBody({ defaults: { deploymentName: 'blue' } })),
    );

    const refused = await h.invoke('DELETE', deploymentPath(h, 'blue'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('is the default deployment');

    const deleted = await h.invoke('DELETE', deploymentPath(h, 'green'));
    expect(deleted.status).toBe(202);
    expect(deleted.headers.location).toMatch(/\/mfeOperationResults\//);
    expect((await h.invoke('GET', deploymentPath(h, 'green'))).body.properties.provisioningState).toBe(
      'Deleting',
    );
    expect(await pollToEnd(h, deleted)).toEqual(['InProgress', 'Succeeded']);
    expect((await h.invoke('GET', deploymentPath(h, 'green'))).status).toBe(404);
    expect((await h.invoke('DELETE', deploymentPath(h, 'green'))).status).toBe(204);
  });
});

describe('one operation at a time per endpoint', () => {
  it('answers 409 Conflict to writes on the endpoint and its deployments while an operation runs', async () => {
    const h = createHarness();
    await registerModel(h);
    const created = await h.invoke('PUT', endpointPath(h), endpointBody());
    const writes: [string, string, unknown][] = [
      ['PUT', endpointPath(h), endpointBody()],
      ['PATCH', endpointPath(h), { tags: {} }],
      ['DELETE', endpointPath(h), undefined],
      ['PUT', deploymentPath(h), deploymentBody(h)],
    ];
    for (const [method, path, body] of writes) {
      const response = await h.invoke(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(409);
      expect(response.body.error.code).toBe('Conflict');
      expect(response.body.error.message).toContain("batch endpoint 'scorer' is still being created");
    }
    // Reads still answer, and another endpoint is not blocked.
    expect((await h.invoke('GET', endpointPath(h))).status).toBe(200);
    expect((await h.invoke('PUT', endpointPath(h, 'other'), endpointBody())).status).toBe(201);

    await pollToEnd(h, created);
    const deployment = await h.invoke('PUT', deploymentPath(h), deploymentBody(h));
    expect(deployment.status).toBe(201);
    const blocked = await h.invoke(
      'PUT',
      endpointPath(h),
      endpointBody({ defaults: { deploymentName: 'blue' } }),
    );
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toContain("batch deployment 'blue' of batch endpoint 'scorer'");
  });
});

describe('deleting a batch endpoint', () => {
  it('answers 202 + Location, shows Deleting, then removes the endpoint and its deployments', async () => {
    const h = createHarness();
    await endpointWithDeployment(h);
    const deleted = await h.invoke('DELETE', endpointPath(h));
    expect(deleted.status).toBe(202);
    expect(deleted.headers.location).toMatch(/\/mfeOperationResults\/be:/);
    expect(deleted.headers['retry-after']).toBe('1');
    expect((await h.invoke('GET', endpointPath(h))).body.properties.provisioningState).toBe('Deleting');
    expect((await h.invoke('GET', deploymentPath(h))).body.properties.provisioningState).toBe('Deleting');

    const result = deleted.headers.location as string;
    expect((await h.invoke('GET', result)).status).toBe(202);
    expect((await h.invoke('GET', result)).status).toBe(200);
    expect((await h.invoke('GET', endpointPath(h))).status).toBe(404);

    // A new endpoint of the same name starts without the old deployments.
    await pollToEnd(h, await h.invoke('PUT', endpointPath(h), endpointBody()));
    expect((await h.invoke('GET', `${endpointPath(h)}/deployments`)).body.value).toEqual([]);
    expect((await h.invoke('GET', deploymentPath(h))).status).toBe(404);
  });
});

const credential: TokenCredential = {
  getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** The SDK's requests answered by the in-memory routes (as in sdk.test.ts). */
function inMemoryClient(h: Harness): HttpClient {
  return {
    async sendRequest(request: PipelineRequest) {
      const url = new URL(request.url);
      const text = typeof request.body === 'string' ? request.body : undefined;
      const response = await h.invoke(
        request.method,
        `${url.pathname}${url.search}`,
        text ? JSON.parse(text) : undefined,
        {
          apiVersion: null,
          rawBody: text,
        },
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
}

describe('@azure/arm-machinelearning 2.1.1 batch endpoints', () => {
  it('creates an endpoint and a deployment through the long-running operations, then deletes them', async () => {
    const h = createHarness({ arm: { retryAfterSeconds: 0 } });
    const sdk = new AzureMachineLearningWorkspaces(credential, h.ctx.subscriptionId, {
      endpoint: h.ctx.baseUrl,
      httpClient: inMemoryClient(h),
      retryOptions: { maxRetries: 0 },
    });
    const fast = { updateIntervalInMs: 1 };
    const [rg, ws] = [h.ctx.resourceGroup, h.ctx.workspace];
    await sdk.modelVersions.createOrUpdate(rg, ws, 'churn', '1', {
      properties: { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/' },
    });

    const endpoint = await sdk.batchEndpoints.beginCreateOrUpdateAndWait(
      rg,
      ws,
      'scorer',
      { location: 'eastus2', properties: { authMode: 'AADToken' } },
      fast,
    );
    expect(endpoint.properties).toMatchObject({
      provisioningState: 'Succeeded',
      scoringUri: 'https://127.0.0.1:8443/batch/scorer/jobs',
    });

    const deployment = await sdk.batchDeployments.beginCreateOrUpdateAndWait(
      rg,
      ws,
      'scorer',
      'blue',
      {
        location: 'eastus2',
        properties: {
          model: { referenceType: 'Id', assetId: modelId(h) },
          compute: h.computeId('cpu-cluster'),
          outputAction: 'SummaryOnly',
        },
      },
      fast,
    );
    expect(deployment.properties).toMatchObject({
      provisioningState: 'Succeeded',
      outputAction: 'SummaryOnly',
      miniBatchSize: 10,
      retrySettings: { maxRetries: 3, timeout: 'PT30S' },
    });

    const withDefault = await sdk.batchEndpoints.beginCreateOrUpdateAndWait(
      rg,
      ws,
      'scorer',
      { location: 'eastus2', properties: { authMode: 'AADToken', defaults: { deploymentName: 'blue' } } },
      fast,
    );
    expect(withDefault.properties.defaults?.deploymentName).toBe('blue');

    const names: string[] = [];
    for await (const item of sdk.batchDeployments.list(rg, ws, 'scorer')) names.push(item.name ?? '');
    expect(names).toEqual(['blue']);

    await expect(
      sdk.batchDeployments.beginCreateOrUpdateAndWait(
        rg,
        ws,
        'scorer',
        'green',
        {
          location: 'eastus2',
          properties: { model: { referenceType: 'Id', assetId: modelId(h, 'churn', '7') } },
        },
        fast,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'UserError' });

    await sdk.batchEndpoints.beginDeleteAndWait(rg, ws, 'scorer', fast);
    await expect(sdk.batchEndpoints.get(rg, ws, 'scorer')).rejects.toMatchObject({ statusCode: 404 });
  });
});
