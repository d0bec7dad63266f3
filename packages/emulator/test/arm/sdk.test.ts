// The real @azure/arm-machinelearning 2.1.1 client (what the actions use at 2022-10-01) against
// the routes, through an in-memory HttpClient: checks paths, status codes, LRO headers, paging and
// response shapes the way the SDK's operation specs and core-lro read them.
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { binding, createHarness, type Harness } from './harness';

const credential: TokenCredential = {
  getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

function inMemoryClient(harness: Harness): HttpClient {
  return {
    async sendRequest(request: PipelineRequest) {
      const url = new URL(request.url);
      const text = typeof request.body === 'string' ? request.body : undefined;
      const response = await harness.invoke(
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

function sdkFor(harness: Harness) {
  return new AzureMachineLearningWorkspaces(credential, harness.ctx.subscriptionId, {
    endpoint: harness.ctx.baseUrl,
    httpClient: inMemoryClient(harness),
    retryOptions: { maxRetries: 0 },
  });
}

const RG = 'rg-emulator';
const WS = 'ws-emulator';
const fast = { updateIntervalInMs: 1 };

describe('@azure/arm-machinelearning 2.1.1 against the routes', () => {
  it('reads the workspace, the seeded compute and the default datastore with its secrets', async () => {
    const harness = createHarness({ arm: { retryAfterSeconds: 0 } });
    const sdk = sdkFor(harness);
    const workspace = await sdk.workspaces.get(RG, WS);
    expect(workspace.mlFlowTrackingUri).toContain('/mlflow/v1.0/subscriptions/');
    const compute = await sdk.computeOperations.get(RG, WS, 'cpu-cluster');
    expect(compute.properties?.computeType).toBe('AmlCompute');
    const datastore = await sdk.datastores.get(RG, WS, 'workspaceblobstore');
    expect(datastore.properties).toMatchObject({
      datastoreType: 'AzureBlob',
      isDefault: true,
      endpoint: '127.0.0.1:10000',
    });
    const secrets = await sdk.datastores.listSecrets(RG, WS, 'workspaceblobstore');
    expect(secrets).toEqual({ secretsType: 'AccountKey', key: harness.ctx.storage.accountKey });
  });

  it('creates a compute through the long-running operation and deletes it', async () => {
    const harness = createHarness({ arm: { retryAfterSeconds: 0 } });
    const sdk = sdkFor(harness);
    const created = await sdk.computeOperations.beginCreateOrUpdateAndWait(
      RG,
      WS,
      'gpu-cluster',
      {
        location: 'eastus2',
        properties: { computeType: 'AmlCompute', properties: { scaleSettings: { maxNodeCount: 1 } } },
      },
      fast,
    );
    expect(created.properties?.provisioningState).toBe('Succeeded');
    await sdk.computeOperations.beginDeleteAndWait(RG, WS, 'gpu-cluster', 'Delete', fast);
    const names: string[] = [];
    for await (const compute of sdk.computeOperations.list(RG, WS)) names.push(compute.name ?? '');
    expect(names).toEqual(['cpu-cluster']);
  });

  it('registers code with its hash and lists versions across pages', async () => {
    const harness = createHarness({ arm: { pageSize: 2, retryAfterSeconds: 0 } });
    const sdk = sdkFor(harness);
    for (const version of ['1', '2', '3']) {
      await sdk.codeVersions.createOrUpdate(RG, WS, 'train-src', version, {
        properties: {
          codeUri: `http://127.0.0.1:10000/devstoreaccount1/azureml-blobstore-x/LocalUpload/h${version}/src`,
          properties: { hash_sha256: `h${version}`, hash_version: '202208' },
        },
      });
    }
    const versions: string[] = [];
    for await (const version of sdk.codeVersions.list(RG, WS, 'train-src')) versions.push(version.name ?? '');
    expect(versions).toEqual(['3', '2', '1']);
    const container = await sdk.codeContainers.get(RG, WS, 'train-src');
    expect(container.properties).toMatchObject({ latestVersion: '3', nextVersion: '4' });
  });

  it('submits, reads, lists, cancels and deletes a command job', async () => {
    const harness = createHarness({ arm: { retryAfterSeconds: 0, cancelDelayInMs: 0 } });
    const sdk = sdkFor(harness);
    const job = await sdk.jobs.createOrUpdate(RG, WS, 'sdk-job', {
      properties: {
        jobType: 'Command',
        command: `python train.py --epochs ${binding('inputs.epochs')}`,
        environmentId: `${harness.workspacePath}/environments/sklearn/versions/1`,
        computeId: harness.computeId('cpu-cluster'),
        inputs: { epochs: { jobInputType: 'literal', value: '3' } },
      },
    });
    expect(job.properties).toMatchObject({ status: 'Starting', experimentName: 'Default' });

    const jobs: string[] = [];
    for await (const item of sdk.jobs.list(RG, WS)) jobs.push(item.name ?? '');
    expect(jobs).toEqual(['sdk-job']);

    await sdk.jobs.beginCancelAndWait(RG, WS, 'sdk-job', fast);
    expect((await sdk.jobs.get(RG, WS, 'sdk-job')).properties.status).toBe('Canceled');

    await sdk.jobs.beginDeleteAndWait(RG, WS, 'sdk-job', fast);
    await expect(sdk.jobs.get(RG, WS, 'sdk-job')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });

  it('rejects the SDK 2.1.1 job body for uri inputs, whose serializer drops uri (azure-sdk-for-js#29328)', async () => {
    const harness = createHarness();
    const sdk = sdkFor(harness);
    const submit = sdk.jobs.createOrUpdate(RG, WS, 'uri-job', {
      properties: {
        jobType: 'Command',
        command: 'python train.py',
        environmentId: 'azureml:sklearn:1',
        inputs: {
          data: { jobInputType: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/data/' },
        },
      },
    });
    await expect(submit).rejects.toMatchObject({
      statusCode: 400,
      code: 'UserError',
      message: expect.stringContaining('properties.inputs.data.uri'),
    });
  });

  it('surfaces validation failures as RestErrors with the ARM code and message', async () => {
    const harness = createHarness();
    const sdk = sdkFor(harness);
    await expect(
      sdk.modelVersions.createOrUpdate(RG, WS, 'model', 'one', { properties: { modelUri: 'azureml://x' } }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'UserError',
      message: expect.stringContaining('version:'),
    });
  });
});
