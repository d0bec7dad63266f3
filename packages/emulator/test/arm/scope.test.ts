import { describe, expect, it } from 'vitest';
import { createHarness, readReference } from './harness';

const NESTED_PATHS = [
  '/computes',
  '/computes/cpu-cluster',
  '/datastores',
  '/datastores/workspaceblobstore',
  '/codes',
  '/codes/x/versions',
  '/environments/x/versions/1',
  '/components',
  '/data/x',
  '/models/x/versions',
  '/jobs',
  '/jobs/some-job',
];

describe('api-version', () => {
  it.each(['', ...NESTED_PATHS])('is required on %s', async (suffix) => {
    const harness = createHarness();
    const response = await harness.invoke('GET', `${harness.workspacePath}${suffix}`, undefined, {
      apiVersion: null,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('MissingApiVersionParameter');
  });

  it.each(['2021-01-01', '2023-04-01', '2025-12-01-preview', 'latest'])(
    'rejects unsupported %s listing the supported ones',
    async (version) => {
      const harness = createHarness();
      const response = await harness.invoke('GET', `${harness.workspacePath}/jobs`, undefined, {
        apiVersion: version,
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('InvalidApiVersionParameter');
      expect(response.body.error.message).toBe(
        `The api-version '${version}' is invalid. The supported versions are '2026-05-01,2025-12-01,2022-10-01'.`,
      );
    },
  );

  it.each(['2022-10-01', '2025-12-01', '2026-05-01'])('serves %s', async (version) => {
    const harness = createHarness();
    const response = await harness.invoke('GET', harness.workspacePath, undefined, { apiVersion: version });
    expect(response.status).toBe(200);
  });

  it('reads the parameter name case-insensitively, like ARM', async () => {
    const harness = createHarness();
    const response = await harness.invoke(
      'GET',
      `${harness.workspacePath}?API-VERSION=2022-10-01`,
      undefined,
      {
        apiVersion: null,
      },
    );
    expect(response.status).toBe(200);
  });
});

describe('unknown scopes', () => {
  it('answers SubscriptionNotFound for another subscription', async () => {
    const harness = createHarness();
    const path = harness.workspacePath.replace(
      harness.ctx.subscriptionId,
      '99999999-1111-2222-3333-444444444444',
    );
    const response = await harness.invoke('GET', `${path}/jobs`);
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      code: 'SubscriptionNotFound',
      message: "The subscription '99999999-1111-2222-3333-444444444444' could not be found.",
    });
  });

  it('answers ResourceGroupNotFound for another resource group', async () => {
    const harness = createHarness();
    const response = await harness.invoke('GET', harness.workspacePath.replace('rg-emulator', 'rg-other'));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ResourceGroupNotFound');
    expect(response.body.error.message).toContain("'rg-other'");
  });

  it('answers ResourceNotFound for another workspace', async () => {
    const harness = createHarness();
    const response = await harness.invoke('GET', harness.workspacePath.replace('ws-emulator', 'ws-other'));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ResourceNotFound');
    expect(response.body.error.message).toContain("'Microsoft.MachineLearningServices/workspaces/ws-other'");
    expect(response.headers['x-ms-failure-cause']).toBe('gateway');
  });

  it('answers ParentResourceNotFound under another workspace, as recorded by the JS SDK tests', async () => {
    const recording = readReference<{
      Entries: { ResponseBody: { error: { code: string; message: string } } }[];
    }>('recordings/js-arm-machinelearning/recording_job_create_test.json');
    const recorded = recording.Entries[0]?.ResponseBody.error;
    const harness = createHarness();
    const path = harness.workspacePath.replace('ws-emulator', 'myworkspacenamexxx');
    const response = await harness.invoke('PUT', `${path}/jobs/string`, {
      properties: { description: 'string', computeId: 'string', displayName: 'string', jobType: 'Command' },
    });
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual(recorded);
  });

  it('matches subscription, resource group and workspace case-insensitively', async () => {
    const harness = createHarness();
    const path = harness.workspacePath.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/');
    const response = await harness.invoke('GET', path);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(harness.workspacePath);
  });
});

describe('workspace GET', () => {
  it('has every property the recorded real workspace has', async () => {
    const recording = readReference<{ Entries: { ResponseBody: Record<string, unknown> }[] }>(
      'recordings/python-azure-ai-ml/code_asset__test_code.pyTestCodetest_create_and_get__2022.EXCERPT.json',
    );
    const recorded = recording.Entries[0]?.ResponseBody as Record<string, Record<string, unknown>>;
    const harness = createHarness();
    const response = await harness.invoke('GET', harness.workspacePath);
    expect(Object.keys(response.body).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.keys(response.body.properties).sort()).toEqual(
      Object.keys(recorded.properties ?? {}).sort(),
    );
  });

  it('describes the emulated workspace with ids in canonical casing', async () => {
    const harness = createHarness();
    const { body } = await harness.invoke('GET', harness.workspacePath);
    expect(body).toMatchObject({
      id: harness.workspacePath,
      name: 'ws-emulator',
      type: 'Microsoft.MachineLearningServices/workspaces',
      location: 'eastus2',
      properties: {
        provisioningState: 'Succeeded',
        tenantId: harness.ctx.tenantId,
        storageAccount: `/subscriptions/${harness.ctx.subscriptionId}/resourceGroups/rg-emulator/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        discoveryUrl: 'https://127.0.0.1:8443/discovery',
        mlFlowTrackingUri: `azureml://127.0.0.1:8443/mlflow/v1.0${harness.workspacePath}`,
      },
    });
    expect(body.properties.workspaceId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const again = await createHarness().invoke('GET', harness.workspacePath);
    expect(again.body.properties.workspaceId).toBe(body.properties.workspaceId);
  });

  it('is listed in its resource group', async () => {
    const harness = createHarness();
    const response = await harness.invoke(
      'GET',
      `/subscriptions/${harness.ctx.subscriptionId}/resourceGroups/rg-emulator/providers/Microsoft.MachineLearningServices/workspaces`,
    );
    expect(response.status).toBe(200);
    expect(response.body.value.map((w: { name: string }) => w.name)).toEqual(['ws-emulator']);
  });
});
