import { describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Loose, listAll, readReference } from './harness';

type Kind = 'codes' | 'components' | 'data' | 'environments' | 'models';

const VERSION_BODIES: Record<Kind, Record<string, unknown>> = {
  codes: { codeUri: 'http://127.0.0.1:10000/devstoreaccount1/azureml-blobstore-x/LocalUpload/abc/src' },
  components: { componentSpec: { name: 'train', type: 'command', command: 'python train.py' } },
  data: { dataType: 'uri_folder', dataUri: 'azureml://datastores/workspaceblobstore/paths/data/' },
  environments: { image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04', condaFile: 'name: env' },
  models: { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/m/', modelType: 'mlflow_model' },
};

const CONTENT_CHANGES: Record<Kind, Record<string, unknown>> = {
  codes: { codeUri: 'https://elsewhere/x' },
  components: { componentSpec: { name: 'train', type: 'command', command: 'python other.py' } },
  data: { dataUri: 'https://elsewhere/y' },
  environments: { image: 'python:3.12' },
  models: { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/other/' },
};

const KINDS = Object.keys(VERSION_BODIES) as Kind[];
const versionPath = (h: Harness, kind: Kind, name: string, version: string) =>
  `${h.workspacePath}/${kind}/${name}/versions/${version}`;

describe.each(KINDS)('%s', (kind) => {
  const body = (extra: Record<string, unknown> = {}) => ({
    properties: { ...VERSION_BODIES[kind], ...extra },
  });

  it('creates a version (201 + Location) and its container implicitly', async () => {
    const harness = createHarness();
    const created = await harness.invoke(
      'PUT',
      versionPath(harness, kind, 'Asset', '1'),
      body({ tags: { a: 'b' } }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(
      `https://127.0.0.1:8443${versionPath(harness, kind, 'Asset', '1')}?api-version=2022-10-01`,
    );
    expect(created.body).toMatchObject({
      id: versionPath(harness, kind, 'Asset', '1'),
      name: '1',
      type: `Microsoft.MachineLearningServices/workspaces/${kind}/versions`,
      properties: {
        ...VERSION_BODIES[kind],
        tags: { a: 'b' },
        isArchived: false,
        isAnonymous: false,
        description: null,
      },
    });
    expect(created.body.systemData).toMatchObject({
      createdByType: 'Application',
      lastModifiedByType: 'Application',
    });
    expect(created.body.properties).not.toHaveProperty('provisioningState');

    const container = await harness.invoke('GET', `${harness.workspacePath}/${kind}/asset`);
    expect(container.status).toBe(200);
    expect(container.body).toMatchObject({
      name: 'Asset',
      type: `Microsoft.MachineLearningServices/workspaces/${kind}`,
      properties: { latestVersion: '1', nextVersion: '2', isArchived: false },
    });
  });

  it('answers 200 to the same PUT again and updates mutable fields', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', versionPath(harness, kind, 'asset', '1'), body());
    const again = await harness.invoke(
      'PUT',
      versionPath(harness, kind, 'asset', '1'),
      body({ description: 'now described' }),
    );
    expect(again.status).toBe(200);
    expect(again.body.properties.description).toBe('now described');
    const echoed = await harness.invoke('PUT', versionPath(harness, kind, 'asset', '1'), {
      properties: again.body.properties,
    });
    expect(echoed.status).toBe(200);
  });

  it('replaces mutable fields on a PUT: one the body leaves out goes back to its default', async () => {
    const harness = createHarness();
    const path = versionPath(harness, kind, 'asset', '1');
    await harness.invoke(
      'PUT',
      path,
      body({ description: 'described', tags: { stage: 'Production', team: 'ml' } }),
    );
    const replaced = await harness.invoke('PUT', path, body({ tags: { team: 'ml' } }));
    expect(replaced.status).toBe(200);
    expect(replaced.body.properties.tags).toEqual({ team: 'ml' });
    expect(replaced.body.properties.description ?? null).toBeNull();
  });

  it('refuses to change the content of an existing version', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', versionPath(harness, kind, 'asset', '1'), body());
    const response = await harness.invoke(
      'PUT',
      versionPath(harness, kind, 'asset', '1'),
      body(CONTENT_CHANGES[kind]),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('UserError');
    expect(response.body.error.target).toBe(`properties.${Object.keys(CONTENT_CHANGES[kind])[0]}`);
  });

  it('keeps latestVersion and nextVersion up to date', async () => {
    const harness = createHarness();
    for (const version of ['1', '2', '7'])
      await harness.invoke('PUT', versionPath(harness, kind, 'asset', version), body());
    const container = async () =>
      (await harness.invoke('GET', `${harness.workspacePath}/${kind}/asset`)).body.properties;
    expect(await container()).toMatchObject({ latestVersion: '7', nextVersion: '8' });
    expect((await harness.invoke('DELETE', versionPath(harness, kind, 'asset', '7'))).status).toBe(200);
    expect(await container()).toMatchObject({ latestVersion: '2', nextVersion: '3' });
    expect((await harness.invoke('DELETE', versionPath(harness, kind, 'asset', '7'))).status).toBe(204);
    expect((await harness.invoke('GET', versionPath(harness, kind, 'asset', '7'))).status).toBe(404);
  });

  it('answers 404 for unknown containers and versions', async () => {
    const harness = createHarness();
    expect((await harness.invoke('GET', `${harness.workspacePath}/${kind}/ghost`)).status).toBe(404);
    const missing = await harness.invoke('GET', versionPath(harness, kind, 'ghost', '1'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceNotFound');
  });

  it('creates, lists and deletes containers (deleting their versions)', async () => {
    const harness = createHarness();
    const containerBody = {
      properties: { description: 'explicit', ...(kind === 'data' ? { dataType: 'uri_folder' } : {}) },
    };
    const created = await harness.invoke('PUT', `${harness.workspacePath}/${kind}/explicit`, containerBody);
    expect(created.status).toBe(201);
    expect(created.body.properties).toMatchObject({
      description: 'explicit',
      latestVersion: null,
      nextVersion: '1',
    });
    expect(
      (await harness.invoke('PUT', `${harness.workspacePath}/${kind}/explicit`, containerBody)).status,
    ).toBe(200);
    await harness.invoke('PUT', versionPath(harness, kind, 'explicit', '1'), body());
    await harness.invoke('PUT', versionPath(harness, kind, 'other', '1'), body());
    const list = await listAll(harness, `${harness.workspacePath}/${kind}`);
    expect(list.items.map((item) => item.name)).toEqual(['explicit', 'other']);
    expect((await harness.invoke('DELETE', `${harness.workspacePath}/${kind}/explicit`)).status).toBe(200);
    expect((await harness.invoke('GET', versionPath(harness, kind, 'explicit', '1'))).status).toBe(404);
    expect((await harness.invoke('DELETE', `${harness.workspacePath}/${kind}/explicit`)).status).toBe(204);
  });

  it('reports provisioningState only from the newer contract', async () => {
    const harness = createHarness();
    const created = await harness.invoke('PUT', versionPath(harness, kind, 'asset', '1'), body(), {
      apiVersion: '2025-12-01',
    });
    expect(created.status).toBe(201);
    if (kind === 'data') expect(created.body.properties).not.toHaveProperty('provisioningState');
    else expect(created.body.properties.provisioningState).toBe('Succeeded');
    const container = await harness.invoke('GET', `${harness.workspacePath}/${kind}/asset`, undefined, {
      apiVersion: '2026-05-01',
    });
    expect(container.body.properties.provisioningState).toBe('Succeeded');
  });
});

describe('version lists', () => {
  const code = (uri: string, hash?: string) => ({
    properties: {
      codeUri: uri,
      ...(hash ? { properties: { hash_sha256: hash, hash_version: '202208' } } : {}),
    },
  });

  it('pages with $top, $orderBy and nextLink', async () => {
    const harness = createHarness({ arm: { pageSize: 2 } });
    for (const version of ['1', '10', '2', '3', '4']) {
      await harness.invoke('PUT', versionPath(harness, 'environments', 'env', version), {
        properties: { image: 'python' },
      });
    }
    const base = `${harness.workspacePath}/environments/env/versions`;
    const newestFirst = await listAll(harness, base);
    expect(newestFirst.items.map((item) => item.name)).toEqual(['4', '3', '2', '10', '1']);
    expect(newestFirst.pages).toEqual([2, 2, 1]);
    const byVersion = await listAll(harness, `${base}?$orderBy=version%20desc`);
    expect(byVersion.items.map((item) => item.name)).toEqual(['10', '4', '3', '2', '1']);
    const oldest = await listAll(harness, `${base}?$orderBy=createdtime%20asc&$top=3`);
    expect(oldest.items.map((item) => item.name)).toEqual(['1', '10', '2']);
    expect(oldest.pages).toEqual([2, 1]);
    const first = await harness.invoke('GET', `${base}?$top=3`);
    expect(new URL(first.body.nextLink).searchParams.get('$top')).toBe('3');
  });

  it.each([['$orderBy=size'], ['$top=0'], ['$top=abc'], ['listViewType=Some']])(
    'rejects %s',
    async (query) => {
      const harness = createHarness();
      const response = await harness.invoke('GET', `${harness.workspacePath}/models/m/versions?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error.target).toBe(query.split('=')[0]);
    },
  );

  it('filters archived versions by listViewType', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', versionPath(harness, 'models', 'm', '1'), {
      properties: { modelUri: 'azureml://a', isArchived: true },
    });
    await harness.invoke('PUT', versionPath(harness, 'models', 'm', '2'), {
      properties: { modelUri: 'azureml://b' },
    });
    const names = async (query: string) =>
      (await listAll(harness, `${harness.workspacePath}/models/m/versions${query}`)).items.map(
        (item) => item.name,
      );
    expect(await names('')).toEqual(['2']);
    expect(await names('?listViewType=ArchivedOnly')).toEqual(['1']);
    expect(await names('?listViewType=All')).toEqual(['2', '1']);
  });

  it('finds a code version by content hash across names, as recorded', async () => {
    const recording = readReference<{ Entries: { RequestUri?: string; ResponseBody?: Loose }[] }>(
      'recordings/python-azure-ai-ml/code_asset__test_create_and_get__2026_hash_dedup.EXCERPT.json',
    );
    const [lookup] = recording.Entries;
    const lookupUrl = new URL(lookup?.RequestUri as string);
    // Recorded at 2023-04-01, which the emulator does not serve; the lookup is the same at 2026-05-01.
    lookupUrl.searchParams.set('api-version', '2026-05-01');
    const recordedMatch = lookup?.ResponseBody.value[0];
    const harness = createHarness({
      context: {
        subscriptionId: '00000000-0000-0000-0000-000000000',
        resourceGroup: '00000',
        workspace: '00000',
      },
    });
    const hash = lookupUrl.searchParams.get('hash') as string;
    await harness.invoke(
      'PUT',
      versionPath(harness, 'codes', 'test_679501396464', '2'),
      code(recordedMatch.properties.codeUri, hash),
    );
    await harness.invoke(
      'PUT',
      versionPath(harness, 'codes', 'unrelated', '1'),
      code('https://x/other', 'f'.repeat(64)),
    );

    const response = await harness.invoke('GET', `${lookupUrl.pathname}${lookupUrl.search}`);
    expect(response.status).toBe(200);
    expect(response.body.value).toHaveLength(1);
    const [match] = response.body.value;
    expect(match.id).toBe(recordedMatch.id);
    expect(Object.keys(match).sort()).toEqual(Object.keys(recordedMatch).sort());
    expect(Object.keys(match.properties).sort()).toEqual(Object.keys(recordedMatch.properties).sort());
    expect(match.properties.properties).toEqual(recordedMatch.properties.properties);

    const otherVersion = await harness.invoke('GET', `${lookupUrl.pathname}?hash=${hash}&hashVersion=202301`);
    expect(otherVersion.body.value).toEqual([]);
    const none = await harness.invoke(
      'GET',
      `${lookupUrl.pathname}?hash=${'0'.repeat(64)}&hashVersion=202208`,
    );
    expect(none.body.value).toEqual([]);
  });
});

describe('recorded asset PUTs', () => {
  it('answers the recorded code version PUT like the service', async () => {
    const recording = readReference<{ Entries: Loose[] }>(
      'recordings/python-azure-ai-ml/code_asset__test_code.pyTestCodetest_create_and_get__2022.EXCERPT.json',
    );
    const put = recording.Entries.find(
      (entry) => entry.RequestMethod === 'PUT' && entry.RequestUri.includes('/codes/'),
    );
    const url = new URL(put.RequestUri);
    const harness = createHarness({
      context: {
        subscriptionId: '00000000-0000-0000-0000-000000000',
        resourceGroup: '00000',
        workspace: '00000',
      },
    });
    const response = await harness.invoke('PUT', url.pathname, put.RequestBody);
    expect(response.status).toBe(put.StatusCode);
    expect(new URL(response.headers.location as string).pathname).toBe(
      new URL(put.ResponseHeaders.Location).pathname,
    );
    const { systemData: _recordedSystemData, ...recorded } = put.ResponseBody;
    const { systemData, ...mine } = response.body;
    expect(mine).toEqual(recorded);
    expect(Object.keys(systemData).sort()).toEqual(Object.keys(put.ResponseBody.systemData).sort());
  });

  it('canonicalises the casing of azureml:// model URIs, as recorded', async () => {
    const recording = readReference<{ Entries: Loose[] }>(
      'recordings/python-azure-ai-ml/online_services__test_online_deployment.EXCERPT.json',
    );
    const put = recording.Entries.find(
      (entry) => entry.RequestMethod === 'PUT' && entry.RequestUri?.includes('/models/'),
    );
    const url = new URL(put.RequestUri);
    const harness = createHarness({
      context: {
        subscriptionId: '00000000-0000-0000-0000-000000000',
        resourceGroup: '00000',
        workspace: '00000',
      },
    });
    const response = await harness.invoke('PUT', url.pathname, put.RequestBody);
    // The recording re-registered an existing version (200); here it is new.
    expect(response.status).toBe(201);
    const { systemData: _s, ...recorded } = put.ResponseBody;
    const { systemData: _m, ...mine } = response.body;
    expect(mine).toEqual(recorded);
  });
});
