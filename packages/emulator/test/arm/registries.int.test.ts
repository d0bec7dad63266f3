// The registry on the real emulator, driven over HTTPS like a client: its own Azurite account,
// startPendingUpload's SAS used with @azure/storage-blob, the long-running version PUT followed
// through Azure-AsyncOperation as @azure/core-lro does, and a job that reads the registry model.
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../../../test/support/https';
import { API, startTestEmulator, type TestEmulator } from '../execution/emulator-client';

const b = (expression: string) => `\${{${expression}}}`;

describe('registries on the emulator', () => {
  let t: TestEmulator;
  let registryPath: string;

  beforeAll(async () => {
    t = await startTestEmulator();
    const { info } = t.emulator;
    registryPath = `/subscriptions/${info.subscriptionId}/resourceGroups/${info.resourceGroup}/providers/Microsoft.MachineLearningServices/registries/mlops-registry`;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const startUpload = async (name: string, version: string) => {
    const response = await t.request(
      'POST',
      `${registryPath}/models/${name}/versions/${version}/startPendingUpload?${API}`,
      { pendingUploadType: 'TemporaryBlobReference' },
    );
    expect(response.status).toBe(200);
    return response.json;
  };

  /** The version PUT, then its Azure-AsyncOperation polled to the end and the original URI read. */
  const createVersion = async (name: string, version: string, properties: Record<string, unknown>) => {
    const target = `${registryPath}/models/${name}/versions/${version}?${API}`;
    const created = await t.request('PUT', target, { properties });
    if (created.status !== 201) return { created, statuses: [], final: undefined };
    const statuses: string[] = [];
    for (let i = 0; i < 50; i++) {
      const status = await t.request('GET', created.headers['azure-asyncoperation'] as string);
      statuses.push(status.json.status);
      if (status.json.status !== 'InProgress') break;
      await sleep(50);
    }
    return { created, statuses, final: await t.request('GET', target) };
  };

  it('exposes the registry with a storage account of its own in ReadyInfo and on ARM', async () => {
    const { info } = t.emulator;
    expect(info.registries).toHaveLength(1);
    const [registry] = info.registries;
    expect(registry).toMatchObject({ name: 'mlops-registry', resourceGroup: info.resourceGroup });
    expect(registry?.storageAccountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(registry?.storageAccountName).not.toBe('devstoreaccount1');
    expect(registry?.blobEndpoint).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${registry?.storageAccountName}$`),
    );
    const got = await t.request('GET', `${registryPath}?${API}`);
    expect(got.status).toBe(200);
    expect(
      got.json.properties.regionDetails[0].storageAccountDetails[0].systemCreatedStorageAccount
        .storageAccountName,
    ).toBe(registry?.storageAccountName);
    const old = await t.request('GET', `${registryPath}?api-version=2022-10-01`);
    expect(old.status).toBe(400);
    expect(old.json.error.code).toBe('NoRegisteredProviderFound');
  });

  it('uploads with the SAS from startPendingUpload and creates the version, polled to Succeeded', async () => {
    const upload = await startUpload('churn', '1');
    const ref = upload.blobReferenceForConsumption;
    const container = new ContainerClient(ref.credential.sasUri);
    const files = { 'model/MLmodel': 'flavors:\n  python_function: {}\n', 'model/model.pkl': 'weights' };
    for (const [file, content] of Object.entries(files)) {
      await container
        .getBlockBlobClient(`${upload.pendingUploadId}/${file}`)
        .upload(content, Buffer.byteLength(content));
    }
    const listed: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${upload.pendingUploadId}/` }))
      listed.push(blob.name);
    expect(listed.sort()).toEqual(Object.keys(files).map((file) => `${upload.pendingUploadId}/${file}`));

    const modelUri = `${ref.blobUri}/model`;
    const { created, statuses, final } = await createVersion('churn', '1', {
      modelUri,
      modelType: 'mlflow_model',
    });
    expect(created.status).toBe(201);
    expect(created.json.properties.provisioningState).toBe('Creating');
    expect(created.headers.location).toContain('/mfeOperationResults/');
    expect(statuses.at(-1)).toBe('Succeeded');
    expect(final?.status).toBe(200);
    expect(final?.json.properties).toMatchObject({ modelUri, provisioningState: 'Succeeded' });

    // The workspace's account does not hold the upload: the registry's storage is separate.
    const workspaceNames: string[] = [];
    for await (const blob of t
      .containerClient(t.blobContainer)
      .listBlobsFlat({ prefix: upload.pendingUploadId }))
      workspaceNames.push(blob.name);
    expect(workspaceNames).toEqual([]);
  });

  it('refuses a version whose registry blob URL names no blobs', async () => {
    const upload = await startUpload('empty', '1');
    const modelUri = `${upload.blobReferenceForConsumption.blobUri}/model`;
    const { created } = await createVersion('empty', '1', { modelUri, modelType: 'mlflow_model' });
    expect(created.status).toBe(400);
    expect(created.json.error.code).toBe('UserError');
    expect(created.json.error.message).toContain(`There are no blobs at '${modelUri}'`);
    expect((await t.request('GET', `${registryPath}/models/empty/versions/1?${API}`)).status).toBe(404);
  });

  it('gives a SAS that cannot write to the workspace account', async () => {
    const upload = await startUpload('churn', '2');
    const sas = new URL(upload.blobReferenceForConsumption.credential.sasUri).search;
    const { info } = t.emulator;
    const write = await fetch(`${info.blobEndpoint}/${t.blobContainer}/stolen.txt${sas}`, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(write.status).toBe(403);
    // …nor to another container of the registry account.
    const registry = info.registries[0];
    const other = await fetch(`${registry?.blobEndpoint}/other-container/x.txt${sas}`, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(other.status).toBe(403);
  });

  it('resolves the registry model as a job input, read from the registry account', async () => {
    await t.putJob('read-registry-model', {
      jobType: 'Command',
      command: `cat ${b('inputs.model')}/MLmodel && ls ${b('inputs.model')}`,
      environmentId: 'azureml://registries/azureml/environments/python/versions/1',
      inputs: {
        model: {
          jobInputType: 'mlflow_model',
          uri: 'azureml://registries/mlops-registry/models/churn/versions/1',
        },
      },
    });
    const job = await t.waitForJob('read-registry-model');
    const details = await t.request(
      'GET',
      `/history/v1.0${t.workspacePath}/runs/read-registry-model/details`,
    );
    const log = await (await fetch(details.json.logFiles['user_logs/std_log.txt'])).text();
    expect(job.properties.status, log).toBe('Completed');
    expect(log).toBe('flavors:\n  python_function: {}\nMLmodel\nmodel.pkl\n');
  });
});
