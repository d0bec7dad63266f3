// The endpoint champion against a scripted ARM surface (the emulator gains online endpoints with
// deploy-endpoint; the action test then covers this path end to end).
import { describe, expect, it } from 'vitest';
import type { ArmRestClient } from '../../src/arm/rest';
import { AssetVersions } from '../../src/assets/asset-versions';
import { AzureRequestError } from '../../src/errors';
import { modelRefOfDeployment, resolveChampion, type WorkspaceReaders } from '../../src/gate/champion';

const workspace = { subscriptionId: 's', resourceGroup: 'rg', workspace: 'mlw' };
const base = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw';

function readers(routes: Record<string, unknown>): WorkspaceReaders {
  const rest = {
    async request({ path }: { path: string }) {
      if (!(path in routes)) {
        throw new AzureRequestError({
          method: 'GET',
          url: path,
          status: 404,
          code: 'NotFound',
          serviceMessage: 'not found',
        });
      }
      return { status: 200, headers: {}, body: routes[path] };
    },
  } as unknown as ArmRestClient;
  return {
    rest,
    workspace,
    assets: new AssetVersions(rest, workspace),
    jobs: { get: async () => Promise.reject(new Error('no jobs here')) },
    mlflow: async () => Promise.reject(new Error('no mlflow here')),
  };
}

describe('resolveChampion: endpoint', () => {
  const model = { properties: { properties: { 'metrics.accuracy': '0.88' } } };
  it('takes the deployment with the largest traffic share, then its model version metrics', async () => {
    const result = await resolveChampion(
      { mode: 'endpoint', endpoint: 'fraud' },
      readers({
        [`${base}/onlineEndpoints/fraud`]: { properties: { traffic: { blue: 90, green: 10 } } },
        [`${base}/onlineEndpoints/fraud/deployments/blue`]: {
          properties: { model: `${base}/models/fraud-model/versions/3` },
        },
        [`${base}/models/fraud-model/versions/3`]: {
          id: `${base}/models/fraud-model/versions/3`,
          name: '3',
          ...model,
        },
      }),
    );
    expect(result).toMatchObject({
      found: true,
      metrics: { accuracy: 0.88 },
      model: { name: 'fraud-model', version: '3' },
      deployment: { name: 'blue', trafficPercent: 90 },
    });
  });

  it('has no champion when the endpoint does not exist or takes no traffic', async () => {
    expect(await resolveChampion({ mode: 'endpoint', endpoint: 'new' }, readers({}))).toMatchObject({
      found: false,
      reason: expect.stringContaining('does not exist yet'),
    });
    const idle = readers({ [`${base}/onlineEndpoints/idle`]: { properties: { traffic: { blue: 0 } } } });
    expect(await resolveChampion({ mode: 'endpoint', endpoint: 'idle' }, idle)).toMatchObject({
      found: false,
      reason: expect.stringContaining('no traffic'),
    });
  });

  it('reads deployment model references in both forms', () => {
    expect(modelRefOfDeployment('azureml:fraud-model:4')).toEqual({ name: 'fraud-model', version: '4' });
    expect(modelRefOfDeployment(`${base}/models/m/versions/2`)).toEqual({ name: 'm', version: '2' });
    expect(() => modelRefOfDeployment('azureml:fraud-model@latest')).toThrow(/not a workspace model version/);
  });

  it('needs the workspace for endpoint and model champions', async () => {
    await expect(resolveChampion({ mode: 'endpoint', endpoint: 'x' }, undefined)).rejects.toMatchObject({
      input: 'champion',
    });
  });
});
