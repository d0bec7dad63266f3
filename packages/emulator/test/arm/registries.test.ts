// Registries and their models on the in-memory ARM routes: the registry resource, api-version
// refusal, scope 404s, long-running version PUTs (Azure-AsyncOperation polled like @azure/core-lro),
// conflicts, immutability, list queries, startPendingUpload and registry data URIs.
import { describe, expect, it } from 'vitest';
import { blobUrlLocation, DataUriError, resolveDataUri } from '../../src/execution/data-uris';
import { commandJob, createHarness, type Harness, type InvokeOptions, listAll } from './harness';

const V = '2025-12-01';
const at: InvokeOptions = { apiVersion: V };

const registryPath = (h: Harness, name = 'mlops-registry') =>
  `/subscriptions/${h.ctx.subscriptionId}/resourceGroups/${h.ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/registries/${name}`;
const versionPath = (h: Harness, name: string, version: string) =>
  `${registryPath(h)}/models/${name}/versions/${version}`;
const modelBody = (extra: Record<string, unknown> = {}) => ({
  properties: {
    modelUri: 'azureml://datastores/workspaceblobstore/paths/models/m/',
    modelType: 'mlflow_model',
    ...extra,
  },
});

/** Polls the Azure-AsyncOperation URL as @azure/core-lro does, then reads the original URI. */
async function pollToEnd(h: Harness, created: { headers: Record<string, string> }, target: string) {
  const statuses: string[] = [];
  const statusUrl = created.headers['azure-asyncoperation'] as string;
  for (let i = 0; i < 10; i++) {
    const status = await h.invoke('GET', statusUrl);
    expect(status.status).toBe(200);
    statuses.push(status.body.status);
    if (status.body.status !== 'InProgress') break;
  }
  return { statuses, final: await h.invoke('GET', target, undefined, at) };
}

describe('the registry resource', () => {
  it('serves the seeded registry with its own storage account, and the list in the resource group', async () => {
    const h = createHarness();
    const got = await h.invoke('GET', registryPath(h), undefined, at);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: registryPath(h),
      name: 'mlops-registry',
      type: 'Microsoft.MachineLearningServices/registries',
      location: 'eastus2',
      properties: {
        discoveryUrl: 'https://127.0.0.1:8443/discovery',
        mlFlowRegistryUri: `azureml://127.0.0.1:8443/mlflow/v1.0${registryPath(h)}`,
        publicNetworkAccess: 'Enabled',
        regionDetails: [
          {
            location: 'eastus2',
            storageAccountDetails: [
              {
                systemCreatedStorageAccount: {
                  storageAccountName: 'mlopsregistry0123456789',
                  storageAccountType: 'Standard_LRS',
                },
              },
            ],
          },
        ],
      },
    });
    const storage = got.body.properties.regionDetails[0].storageAccountDetails[0].systemCreatedStorageAccount;
    expect(storage.armResourceId.resourceId).toMatch(
      /^\/subscriptions\/[^/]+\/resourceGroups\/azureml-rg-mlops-registry_[0-9a-f-]{36}\/providers\/Microsoft\.Storage\/storageAccounts\/mlopsregistry0123456789$/,
    );
    expect(storage.storageAccountName).not.toBe(h.ctx.storage.accountName);

    const list = await h.invoke(
      'GET',
      `/subscriptions/${h.ctx.subscriptionId}/resourceGroups/${h.ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/registries`,
      undefined,
      at,
    );
    expect(list.status).toBe(200);
    expect(list.body.value).toEqual([got.body]);
  });

  it.each([
    ['the registry', (h: Harness) => registryPath(h)],
    ['its models', (h: Harness) => `${registryPath(h)}/models`],
    ['a model version', (h: Harness) => versionPath(h, 'm', '1')],
  ])('refuses api-version 2022-10-01 for %s as ARM does for a type it lacks', async (_, path) => {
    const h = createHarness();
    const response = await h.invoke('GET', path(h), undefined, { apiVersion: '2022-10-01' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('NoRegisteredProviderFound');
    expect(response.body.error.message).toContain("API version '2022-10-01' for type 'registries'");
    expect(response.body.error.message).toContain("'2025-12-01, 2026-05-01'");
  });

  it('still refuses an unknown api-version as invalid, and accepts 2026-05-01', async () => {
    const h = createHarness();
    const unknown = await h.invoke('GET', registryPath(h), undefined, { apiVersion: '2024-99-01' });
    expect(unknown.body.error.code).toBe('InvalidApiVersionParameter');
    const newer = await h.invoke('GET', registryPath(h), undefined, { apiVersion: '2026-05-01' });
    expect(newer.status).toBe(200);
  });

  it('answers ResourceNotFound for an unknown registry and ParentResourceNotFound for its children', async () => {
    const h = createHarness();
    const missing = await h.invoke('GET', registryPath(h, 'other-registry'), undefined, at);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: 'ResourceNotFound',
      message: `The Resource 'Microsoft.MachineLearningServices/registries/other-registry' under resource group '${h.ctx.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    });
    const child = await h.invoke(
      'PUT',
      `${registryPath(h, 'other-registry')}/models/m/versions/1`,
      modelBody(),
      at,
    );
    expect(child.status).toBe(404);
    expect(child.body.error.code).toBe('ParentResourceNotFound');
    const group = await h.invoke(
      'GET',
      registryPath(h).replace(h.ctx.resourceGroup, 'rg-other'),
      undefined,
      at,
    );
    expect(group.body.error.code).toBe('ResourceGroupNotFound');
  });

  it('finds the registry whatever the casing of its name', async () => {
    const h = createHarness();
    expect((await h.invoke('GET', registryPath(h, 'MLOPS-Registry'), undefined, at)).status).toBe(200);
  });
});

describe('registry model versions', () => {
  it('creates a version as a long-running operation: 201, Creating, polled to Succeeded', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    const created = await h.invoke('PUT', target, modelBody({ tags: { stage: 'dev' } }), at);
    expect(created.status).toBe(201);
    expect(created.headers['azure-asyncoperation']).toMatch(
      /^https:\/\/127\.0\.0\.1:8443\/subscriptions\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/locations\/eastus2\/mfeOperationsStatus\/[^?]+\?api-version=2025-12-01$/,
    );
    expect(created.headers.location).toContain('/mfeOperationResults/');
    expect(created.headers['retry-after']).toBe('1');
    expect(created.body).toMatchObject({
      id: target,
      name: '1',
      type: 'Microsoft.MachineLearningServices/registries/models/versions',
      properties: { provisioningState: 'Creating', modelType: 'mlflow_model', tags: { stage: 'dev' } },
    });
    const during = await h.invoke('GET', target, undefined, at);
    expect(during.body.properties.provisioningState).toBe('Creating');

    const { statuses, final } = await pollToEnd(h, created, target);
    expect(statuses).toEqual(['InProgress', 'Succeeded']);
    expect(final.status).toBe(200);
    expect(final.body.properties).toMatchObject({
      provisioningState: 'Succeeded',
      modelUri: 'azureml://datastores/workspaceblobstore/paths/models/m/',
    });
    const result = await h.invoke('GET', created.headers.location as string);
    expect(result.status).toBe(200);

    const container = await h.invoke('GET', `${registryPath(h)}/models/churn`, undefined, at);
    expect(container.body).toMatchObject({
      id: `${registryPath(h)}/models/churn`,
      type: 'Microsoft.MachineLearningServices/registries/models',
      properties: { latestVersion: '1', nextVersion: '2' },
    });
  });

  it('finishes on its own after a while for a client that never polls', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    await h.invoke('PUT', target, modelBody(), at);
    h.advance(2500);
    const later = await h.invoke('GET', target, undefined, at);
    expect(later.body.properties.provisioningState).toBe('Succeeded');
  });

  it('refuses a second PUT of the version while its operation runs (409 Conflict)', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    const created = await h.invoke('PUT', target, modelBody(), at);
    const again = await h.invoke('PUT', target, modelBody({ description: 'second' }), at);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('Conflict');
    expect(again.body.error.message).toContain("Model version 'churn:1' in registry 'mlops-registry'");
    expect(again.body.error.message).toContain('still being created');
    await pollToEnd(h, created, target);
    const afterwards = await h.invoke('PUT', target, modelBody({ description: 'second' }), at);
    expect(afterwards.status).toBe(200);
    expect(afterwards.body.properties.provisioningState).toBe('Updating');
    const { statuses, final } = await pollToEnd(h, afterwards, target);
    expect(statuses.at(-1)).toBe('Succeeded');
    expect(final.body.properties).toMatchObject({ description: 'second', provisioningState: 'Succeeded' });
  });

  it('keeps content immutable like the workspace and lets mutable fields change', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    await pollToEnd(h, await h.invoke('PUT', target, modelBody(), at), target);
    for (const change of [
      { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/other/' },
      { modelType: 'custom_model' },
      { flavors: { python_function: { data: { loader_module: 'x' } } } },
    ]) {
      const refused = await h.invoke('PUT', target, modelBody(change), at);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('UserError');
      expect(refused.body.error.target).toBe(`properties.${Object.keys(change)[0]}`);
      expect(refused.body.error.message).toContain('immutable');
    }
    const mutable = { description: 'd', tags: { a: 'b' }, properties: { p: 'q' }, stage: 'Production' };
    const updated = await h.invoke('PUT', target, modelBody({ ...mutable, isArchived: true }), at);
    expect(updated.status).toBe(200);
    const { final } = await pollToEnd(h, updated, target);
    expect(final.body.properties).toMatchObject({ ...mutable, isArchived: true });
  });

  it('validates the body like a workspace version (modelUri required at 2025-12-01)', async () => {
    const h = createHarness();
    const response = await h.invoke(
      'PUT',
      versionPath(h, 'churn', '1'),
      { properties: { modelType: 'mlflow_model' } },
      at,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.target).toBe('properties.modelUri');
    expect((await h.invoke('GET', versionPath(h, 'churn', '1'), undefined, at)).status).toBe(404);
  });

  it('lists versions with $orderBy, $top, listViewType and paging, as in the workspace', async () => {
    const h = createHarness({ arm: { pageSize: 2 } });
    for (const version of ['1', '10', '2']) {
      const target = versionPath(h, 'churn', version);
      await pollToEnd(
        h,
        await h.invoke('PUT', target, modelBody({ isArchived: version === '2' }), at),
        target,
      );
      h.advance(1000);
    }
    const list = (query: string) => listAll(h, `${registryPath(h)}/models/churn/versions?${query}`, at);
    const names = async (query: string) => (await list(query)).items.map((item) => item.name);
    expect(await names('listViewType=All')).toEqual(['2', '10', '1']);
    expect(await names('listViewType=All&$orderBy=version asc')).toEqual(['1', '2', '10']);
    expect(await names('listViewType=All&$orderBy=createdtime asc&$top=2')).toEqual(['1', '10']);
    expect(await names('')).toEqual(['10', '1']);
    expect(await names('listViewType=ArchivedOnly')).toEqual(['2']);
    expect((await list('listViewType=All')).pages).toEqual([2, 1]);
    const bad = await h.invoke(
      'GET',
      `${registryPath(h)}/models/churn/versions?$orderBy=size`,
      undefined,
      at,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.target).toBe('$orderBy');
  });

  it('keeps registry models apart from workspace models', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    await pollToEnd(h, await h.invoke('PUT', target, modelBody(), at), target);
    const workspace = await h.invoke('GET', `${h.workspacePath}/models`, undefined, at);
    expect(workspace.body.value).toEqual([]);
    const registry = await h.invoke('GET', `${registryPath(h)}/models`, undefined, at);
    expect(registry.body.value.map((item: { name: string }) => item.name)).toEqual(['churn']);
  });

  it('creates, gets and deletes containers, and 404s unknown ones', async () => {
    const h = createHarness();
    const put = await h.invoke(
      'PUT',
      `${registryPath(h)}/models/explicit`,
      { properties: { description: 'x' } },
      at,
    );
    expect(put.status).toBe(201);
    expect(put.body.properties).toMatchObject({ description: 'x', latestVersion: null, nextVersion: '1' });
    const missing = await h.invoke('GET', `${registryPath(h)}/models/ghost`, undefined, at);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceNotFound');
    expect((await h.invoke('DELETE', `${registryPath(h)}/models/explicit`, undefined, at)).status).toBe(200);
    expect((await h.invoke('GET', `${registryPath(h)}/models/explicit`, undefined, at)).status).toBe(404);
  });

  it('fails the operation of a version deleted while it was being created', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    const created = await h.invoke('PUT', target, modelBody(), at);
    expect((await h.invoke('DELETE', target, undefined, at)).status).toBe(200);
    const status = await h.invoke('GET', created.headers['azure-asyncoperation'] as string);
    expect(status.body.status).toBe('Failed');
    expect(status.body.error.code).toBe('UserError');
  });
});

describe('startPendingUpload', () => {
  const uploadPath = (h: Harness) => `${versionPath(h, 'churn', '1')}/startPendingUpload`;

  it('hands out a fresh folder in a registry container and a container SAS of the registry account', async () => {
    const h = createHarness();
    const response = await h.invoke(
      'POST',
      uploadPath(h),
      { pendingUploadType: 'TemporaryBlobReference' },
      at,
    );
    expect(response.status).toBe(200);
    const { pendingUploadId, blobReferenceForConsumption: ref } = response.body;
    expect(response.body.pendingUploadType).toBe('TemporaryBlobReference');
    expect(pendingUploadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ref.blobUri).toBe(
      `http://127.0.0.1:10000/mlopsregistry0123456789/registry-uploads/${pendingUploadId}`,
    );
    expect(ref.storageAccountArmId).toMatch(
      /\/providers\/Microsoft\.Storage\/storageAccounts\/mlopsregistry0123456789$/,
    );
    expect(ref.credential.credentialType).toBe('SAS');
    const sas = new URL(ref.credential.sasUri);
    expect(`${sas.origin}${sas.pathname}`).toBe(
      'http://127.0.0.1:10000/mlopsregistry0123456789/registry-uploads',
    );
    expect(sas.searchParams.get('sr')).toBe('c');
    // read, create, write, list (the SAS spells them in its canonical order).
    expect(sas.searchParams.get('sp')).toBe('rcwl');
    expect(Date.parse(sas.searchParams.get('se') as string) - h.ctx.now().getTime()).toBe(60 * 60 * 1000);
    expect(sas.searchParams.get('sig')).toBeTruthy();

    const second = await h.invoke('POST', uploadPath(h), {}, at);
    expect(second.body.pendingUploadId).not.toBe(pendingUploadId);
  });

  it('keeps a pendingUploadId the client chose, and refuses bad ids and types', async () => {
    const h = createHarness();
    const chosen = await h.invoke('POST', uploadPath(h), { pendingUploadId: 'my-upload.1' }, at);
    expect(chosen.body.blobReferenceForConsumption.blobUri).toMatch(/\/registry-uploads\/my-upload\.1$/);
    const badId = await h.invoke('POST', uploadPath(h), { pendingUploadId: '../escape' }, at);
    expect(badId.status).toBe(400);
    expect(badId.body.error.target).toBe('pendingUploadId');
    const badType = await h.invoke('POST', uploadPath(h), { pendingUploadType: 'None' }, at);
    expect(badType.status).toBe(400);
    expect(badType.body.error.target).toBe('pendingUploadType');
    const old = await h.invoke('POST', uploadPath(h), {}, { apiVersion: '2022-10-01' });
    expect(old.body.error.code).toBe('NoRegisteredProviderFound');
  });
});

describe('registry data URIs', () => {
  it('resolves a registry model version by azureml:// URI and by ARM id to where its modelUri points', async () => {
    const h = createHarness();
    const target = versionPath(h, 'churn', '1');
    await pollToEnd(h, await h.invoke('PUT', target, modelBody(), at), target);
    const expected = { container: expect.stringMatching(/^azureml-blobstore-/), path: 'models/m/' };
    expect(resolveDataUri(h.ctx, 'azureml://registries/mlops-registry/models/churn/versions/1')).toEqual(
      expected,
    );
    expect(resolveDataUri(h.ctx, target)).toEqual(expected);
    expect(() =>
      resolveDataUri(h.ctx, 'azureml://registries/mlops-registry/models/churn/versions/2'),
    ).toThrow("Model version 'churn:2' does not exist in registry 'mlops-registry'");
    expect(() => resolveDataUri(h.ctx, 'azureml://registries/azureml/models/churn/versions/1')).toThrow(
      DataUriError,
    );
  });

  it('reads registry blob URLs as blobs of the registry account, and workspace ones as before', () => {
    const h = createHarness();
    expect(
      blobUrlLocation(h.ctx, 'http://127.0.0.1:10000/mlopsregistry0123456789/registry-uploads/u1/model/'),
    ).toEqual({ account: h.ctx.registry.storage, container: 'registry-uploads', path: 'u1/model/' });
    expect(
      blobUrlLocation(h.ctx, 'https://mlopsregistry0123456789.blob.core.windows.net/registry-uploads/u1/m'),
    ).toEqual({ account: h.ctx.registry.storage, container: 'registry-uploads', path: 'u1/m' });
    expect(blobUrlLocation(h.ctx, 'http://127.0.0.1:10000/devstoreaccount1/c/p/f.txt')).toEqual({
      container: 'c',
      path: 'p/f.txt',
    });
  });

  it("resolves a job's artifacts output to its run's artifact folder", async () => {
    const h = createHarness();
    expect((await h.invoke('PUT', `${h.workspacePath}/jobs/train-1`, commandJob(h), at)).status).toBe(201);
    expect(resolveDataUri(h.ctx, 'azureml://jobs/train-1/outputs/artifacts/paths/outputs/model')).toEqual({
      container: 'azureml',
      path: 'ExperimentRun/dcid.train-1/outputs/model',
    });
    expect(resolveDataUri(h.ctx, 'azureml://jobs/train-1/outputs/artifacts')).toEqual({
      container: 'azureml',
      path: 'ExperimentRun/dcid.train-1/',
    });
    expect(() => resolveDataUri(h.ctx, 'azureml://jobs/ghost/outputs/artifacts/paths/x')).toThrow(
      "names job 'ghost'",
    );
  });
});
