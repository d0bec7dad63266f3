import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  assetArmId,
  computeArmId,
  datastoreArmId,
  formatArmId,
  jobArmId,
  looksLikeArmId,
  onlineDeploymentArmId,
  type ParsedArmId,
  parseArmId,
  registryArmId,
  registryAssetArmId,
  workspaceArmId,
} from '../../src/workspace';

const REF = {
  subscriptionId: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  resourceGroup: 'rg-ml',
  workspace: 'mlw-prod',
};
const WS_ID =
  '/subscriptions/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod';
const REG = { subscriptionId: REF.subscriptionId, resourceGroup: 'rg-ml', registry: 'shared-ml' };
const REG_ID =
  '/subscriptions/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/registries/shared-ml';

describe('formatting ARM ids', () => {
  it('writes every id in canonical casing', () => {
    expect(workspaceArmId(REF)).toBe(WS_ID);
    expect(assetArmId(REF, 'models', 'credit', '3')).toBe(`${WS_ID}/models/credit/versions/3`);
    expect(assetArmId(REF, 'environments', 'sklearn')).toBe(`${WS_ID}/environments/sklearn`);
    expect(computeArmId(REF, 'cpu-cluster')).toBe(`${WS_ID}/computes/cpu-cluster`);
    expect(datastoreArmId(REF, 'workspaceblobstore')).toBe(`${WS_ID}/datastores/workspaceblobstore`);
    expect(jobArmId(REF, 'sweet_ant_1')).toBe(`${WS_ID}/jobs/sweet_ant_1`);
    expect(onlineDeploymentArmId(REF, 'ep', 'blue')).toBe(`${WS_ID}/onlineEndpoints/ep/deployments/blue`);
    expect(registryArmId(REG)).toBe(REG_ID);
    expect(registryAssetArmId(REG, 'components', 'train', '1')).toBe(`${REG_ID}/components/train/versions/1`);
  });
});

const RECORDED_SUB = '00000000-0000-0000-0000-000000000';
const RECORDED_WS = { subscriptionId: RECORDED_SUB, resourceGroup: '00000', workspace: '00000' };
const RECORDED_WS_ID = `/subscriptions/${RECORDED_SUB}/resourceGroups/00000/providers/Microsoft.MachineLearningServices/workspaces/00000`;

const parsed: { id: string; expected: ParsedArmId; canonical?: string }[] = [
  { id: WS_ID, expected: { kind: 'workspace', workspace: REF } },
  { id: RECORDED_WS_ID, expected: { kind: 'workspace', workspace: RECORDED_WS } },
  {
    id: `${RECORDED_WS_ID}/environments/AzureML-sklearn-0.24-ubuntu18.04-py37-cpu/versions/1`,
    expected: {
      kind: 'asset',
      workspace: RECORDED_WS,
      assetType: 'environments',
      name: 'AzureML-sklearn-0.24-ubuntu18.04-py37-cpu',
      version: '1',
    },
  },
  {
    id: `${RECORDED_WS_ID}/data/list_data_v2_test/versions/1`,
    expected: {
      kind: 'asset',
      workspace: RECORDED_WS,
      assetType: 'data',
      name: 'list_data_v2_test',
      version: '1',
    },
  },
  {
    id: `${RECORDED_WS_ID}/codes/test_486492584222`,
    expected: { kind: 'asset', workspace: RECORDED_WS, assetType: 'codes', name: 'test_486492584222' },
  },
  {
    id: `${RECORDED_WS_ID}/computes/testCompute`,
    expected: { kind: 'compute', workspace: RECORDED_WS, name: 'testCompute' },
  },
  {
    id: `${RECORDED_WS_ID}/datastores/workspaceblobstore`,
    expected: { kind: 'datastore', workspace: RECORDED_WS, name: 'workspaceblobstore' },
  },
  {
    id: `${RECORDED_WS_ID}/jobs/000000000000000000000`,
    expected: { kind: 'job', workspace: RECORDED_WS, name: '000000000000000000000' },
  },
  {
    id: '/subscriptions/azure_subscription_id/resourceGroups/myjstest/providers/Microsoft.MachineLearningServices/workspaces/myworkspacenamexxx/jobs/string',
    expected: {
      kind: 'job',
      workspace: {
        subscriptionId: 'azure_subscription_id',
        resourceGroup: 'myjstest',
        workspace: 'myworkspacenamexxx',
      },
      name: 'string',
    },
  },
  {
    id: `${RECORDED_WS_ID}/onlineEndpoints/online-ept-10cd4ed17147449/deployments/online-ept-10cd4ed17147449`,
    expected: {
      kind: 'online-deployment',
      workspace: RECORDED_WS,
      endpoint: 'online-ept-10cd4ed17147449',
      name: 'online-ept-10cd4ed17147449',
    },
  },
  {
    id: `/subscriptions/${RECORDED_SUB}/resourcegroups/00000/providers/microsoft.machinelearningservices/workspaces/00000/onlineendpoints/online-ept-10cd4ed17147449`,
    expected: { kind: 'online-endpoint', workspace: RECORDED_WS, name: 'online-ept-10cd4ed17147449' },
    canonical: `${RECORDED_WS_ID}/onlineEndpoints/online-ept-10cd4ed17147449`,
  },
  {
    id: '/SUBSCRIPTIONS/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/RESOURCEGROUPS/rg-ml/PROVIDERS/MICROSOFT.MACHINELEARNINGSERVICES/WORKSPACES/mlw-prod/MODELS/credit/VERSIONS/2',
    expected: { kind: 'asset', workspace: REF, assetType: 'models', name: 'credit', version: '2' },
    canonical: `${WS_ID}/models/credit/versions/2`,
  },
  {
    id: `${WS_ID}/batchendpoints/scorer/deployments/d1`,
    expected: {
      kind: 'workspace-resource',
      workspace: REF,
      path: [
        { type: 'batchEndpoints', name: 'scorer' },
        { type: 'deployments', name: 'd1' },
      ],
    },
    canonical: `${WS_ID}/batchEndpoints/scorer/deployments/d1`,
  },
  { id: `${WS_ID}/`, expected: { kind: 'workspace', workspace: REF }, canonical: WS_ID },
  { id: REG_ID, expected: { kind: 'registry', registry: REG } },
  {
    id: `${REG_ID}/models/credit/versions/4`,
    expected: { kind: 'registry-asset', registry: REG, assetType: 'models', name: 'credit', version: '4' },
  },
  {
    id: `${REG_ID}/environments/sklearn`,
    expected: { kind: 'registry-asset', registry: REG, assetType: 'environments', name: 'sklearn' },
  },
];

describe('parseArmId', () => {
  it.each(parsed)('parses $id', ({ id, expected }) => {
    expect(parseArmId(id)).toEqual(expected);
  });

  it.each(parsed)('round-trips $id', ({ id, expected, canonical }) => {
    expect(formatArmId(expected)).toBe(canonical ?? id);
    expect(parseArmId(formatArmId(parseArmId(id)))).toEqual(expected);
  });

  const bad: { id: string; explains: RegExp }[] = [
    { id: 'subscriptions/x/resourceGroups/rg', explains: /must start with '\/subscriptions\/'/ },
    {
      id: '/subscription/x/resourceGroups/rg',
      explains: /segment 1 is 'subscription', expected 'subscriptions'/,
    },
    {
      id: '/subscriptions/x/resourceGroup/rg/providers/Microsoft.MachineLearningServices/workspaces/w1',
      explains: /segment 3 is 'resourceGroup', expected 'resourceGroups'/,
    },
    { id: '/subscriptions/x/resourceGroups/rg', explains: /ends after segment 4; expected 'providers' next/ },
    {
      id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa',
      explains: /provider is 'Microsoft.Storage'.*not an Azure ML resource/,
    },
    {
      id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspace/w1',
      explains: /segment 7 is 'workspace', expected 'workspaces' or 'registries'/,
    },
    {
      id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces',
      explains: /workspace name after 'workspaces' is missing/,
    },
    { id: `${WS_ID}//models/m`, explains: /segment 9 is empty/ },
    { id: `${WS_ID}/models`, explains: /asset name after 'models' is missing/ },
    { id: `${WS_ID}/models/m/versions`, explains: /version after 'versions' is missing/ },
    { id: `${WS_ID}/models/m/labels/latest`, explains: /segment 11 is 'labels', expected 'versions'/ },
    { id: `${WS_ID}/models/m/versions/1/extra`, explains: /unexpected '\/extra' after the version/ },
    { id: `${WS_ID}/models/my model/versions/1`, explains: /asset name 'my model'.*' ' \(a space\)/ },
    { id: `${WS_ID}/computes`, explains: /name after 'computes' is missing/ },
    {
      id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w',
      explains: /workspace name 'w'.*minimum is 3/,
    },
    {
      id: '/subscriptions/x/resourceGroups/rg./providers/Microsoft.MachineLearningServices/workspaces/w1',
      explains: /resource group 'rg\.'.*must not end with a period/,
    },
    {
      id: '/subscriptions/x y/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w1',
      explains: /subscription id 'x y'/,
    },
    { id: `${REG_ID}/pipelines/p/versions/1`, explains: /'pipelines' is not a registry asset type/ },
  ];

  it.each(bad)('rejects $id', ({ id, explains }) => {
    let caught: unknown;
    try {
      parseArmId(id, { input: 'model' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const error = caught as ConfigurationError;
    expect(error.problem).toMatch(explains);
    expect(error.input).toBe('model');
    expect(error.fix).toMatch(
      /\/subscriptions\/<subscription-id>\/resourceGroups\/<resource-group>\/providers\//,
    );
  });

  it('shows the registry form when a registry id is wrong', () => {
    expect(() => parseArmId(`${REG_ID}/models`)).toThrow(/Fix: Write it as .*\/registries\/<registry>/);
  });

  it('tells ARM ids from names', () => {
    expect(looksLikeArmId(WS_ID)).toBe(true);
    expect(looksLikeArmId('/SUBSCRIPTIONS/x')).toBe(true);
    expect(looksLikeArmId('azureml:cpu-cluster')).toBe(false);
    expect(looksLikeArmId('cpu-cluster')).toBe(false);
  });
});
