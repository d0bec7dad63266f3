import { describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Loose, listAll, readReference } from './harness';

const storePath = (harness: Harness, name: string) => `${harness.workspacePath}/datastores/${name}`;

const blobStore = (properties: Record<string, unknown> = {}) => ({
  properties: {
    datastoreType: 'AzureBlob',
    accountName: 'otheraccount',
    containerName: 'data',
    credentials: {
      credentialsType: 'AccountKey',
      secrets: { secretsType: 'AccountKey', key: 'b3RoZXJrZXk=' },
    },
    ...properties,
  },
});

describe('seeded datastores', () => {
  it('has the shape of the recorded workspaceblobstore, on the Azurite account', async () => {
    const recording = readReference<{ Entries: { RequestUri?: string; ResponseBody?: Loose }[] }>(
      'recordings/python-azure-ai-ml/online_services__test_online_deployment.EXCERPT.json',
    );
    const recorded = recording.Entries.find((entry) =>
      entry.RequestUri?.includes('/datastores/workspaceblobstore?'),
    )?.ResponseBody as Loose;
    const harness = createHarness();
    const response = await harness.invoke('GET', storePath(harness, 'workspaceblobstore'));
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.keys(response.body.properties).sort()).toEqual(Object.keys(recorded.properties).sort());
    expect(response.body.properties).toMatchObject({
      isDefault: true,
      datastoreType: 'AzureBlob',
      credentials: { credentialsType: 'AccountKey' },
      accountName: 'devstoreaccount1',
      endpoint: '127.0.0.1:10000',
      protocol: 'http',
    });
    expect(response.body.properties.containerName).toMatch(/^azureml-blobstore-[0-9a-f-]{36}$/);
  });

  it('describes the Azurite account at read time, not from stored values', async () => {
    const harness = createHarness();
    harness.ctx.storage.blobEndpoint = 'http://127.0.0.1:20123/devstoreaccount1';
    const response = await harness.invoke('GET', storePath(harness, 'workspaceartifactstore'));
    expect(response.body.properties).toMatchObject({
      endpoint: '127.0.0.1:20123',
      isDefault: false,
      containerName: 'azureml',
    });
  });

  it('hands out the Azurite account key through listSecrets', async () => {
    const harness = createHarness();
    const response = await harness.invoke('POST', `${storePath(harness, 'workspaceblobstore')}/listSecrets`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ secretsType: 'AccountKey', key: harness.ctx.storage.accountKey });
  });

  it('refuses to delete the default datastore', async () => {
    const harness = createHarness();
    const response = await harness.invoke('DELETE', storePath(harness, 'workspaceblobstore'));
    expect(response.status).toBe(400);
    expect((await harness.invoke('GET', storePath(harness, 'workspaceblobstore'))).status).toBe(200);
  });
});

describe('datastore CRUD', () => {
  it('creates (201 + Location), reads without secrets, updates (200) and deletes', async () => {
    const harness = createHarness();
    const created = await harness.invoke('PUT', storePath(harness, 'MyStore'), blobStore());
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(
      `https://127.0.0.1:8443${storePath(harness, 'MyStore')}?api-version=2022-10-01`,
    );
    expect(created.body.properties.credentials).toEqual({ credentialsType: 'AccountKey' });
    expect(JSON.stringify(created.body)).not.toContain('b3RoZXJrZXk=');
    expect(created.body.properties).toMatchObject({
      endpoint: 'core.windows.net',
      protocol: 'https',
      isDefault: false,
    });

    const secrets = await harness.invoke('POST', `${storePath(harness, 'mystore')}/listSecrets`);
    expect(secrets.body).toEqual({ secretsType: 'AccountKey', key: 'b3RoZXJrZXk=' });

    const updated = await harness.invoke(
      'PUT',
      storePath(harness, 'mystore'),
      blobStore({ description: 'raw data' }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('MyStore');
    expect(updated.body.properties.description).toBe('raw data');

    expect((await harness.invoke('DELETE', storePath(harness, 'mystore'))).status).toBe(200);
    expect((await harness.invoke('GET', storePath(harness, 'mystore'))).status).toBe(404);
    expect((await harness.invoke('DELETE', storePath(harness, 'mystore'))).status).toBe(204);
  });

  it('returns SAS and service principal secrets by type', async () => {
    const harness = createHarness();
    await harness.invoke(
      'PUT',
      storePath(harness, 'sas'),
      blobStore({
        credentials: { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: 'sv=1&sig=x' } },
      }),
    );
    const sas = await harness.invoke('POST', `${storePath(harness, 'sas')}/listSecrets`);
    expect(sas.body).toEqual({ secretsType: 'Sas', sasToken: 'sv=1&sig=x' });

    await harness.invoke(
      'PUT',
      storePath(harness, 'anon'),
      blobStore({ credentials: { credentialsType: 'None' } }),
    );
    const none = await harness.invoke('POST', `${storePath(harness, 'anon')}/listSecrets`);
    expect(none.status).toBe(400);
  });

  it('treats a client datastore on the workspace account as path-style Azurite', async () => {
    const harness = createHarness();
    const response = await harness.invoke(
      'PUT',
      storePath(harness, 'mine'),
      blobStore({
        accountName: 'devstoreaccount1',
        credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey' } },
      }),
    );
    expect(response.body.properties).toMatchObject({ endpoint: '127.0.0.1:10000', protocol: 'http' });
    const secrets = await harness.invoke('POST', `${storePath(harness, 'mine')}/listSecrets`);
    expect(secrets.body.key).toBe(harness.ctx.storage.accountKey);
  });

  it('answers 404 for listSecrets of an unknown datastore', async () => {
    const harness = createHarness();
    expect((await harness.invoke('POST', `${storePath(harness, 'nope')}/listSecrets`)).status).toBe(404);
  });

  it('lists with count paging and the isDefault filter', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', storePath(harness, 'extra'), blobStore());
    const { items, pages } = await listAll(harness, `${harness.workspacePath}/datastores?count=2`);
    expect(items.map((item) => item.name)).toEqual(['workspaceblobstore', 'workspaceartifactstore', 'extra']);
    expect(pages).toEqual([2, 1]);
    const defaults = await harness.invoke('GET', `${harness.workspacePath}/datastores?isDefault=true`);
    expect(defaults.body.value.map((item: { name: string }) => item.name)).toEqual(['workspaceblobstore']);
    const bad = await harness.invoke('GET', `${harness.workspacePath}/datastores?count=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.target).toBe('count');
  });

  it('adds subscriptionId and resourceGroup only from the newer contract', async () => {
    const harness = createHarness();
    const old = await harness.invoke('GET', storePath(harness, 'workspaceblobstore'));
    expect(old.body.properties).not.toHaveProperty('subscriptionId');
    const newer = await harness.invoke('GET', storePath(harness, 'workspaceblobstore'), undefined, {
      apiVersion: '2026-05-01',
    });
    expect(newer.body.properties).toMatchObject({
      subscriptionId: harness.ctx.subscriptionId,
      resourceGroup: 'rg-emulator',
    });
  });
});
