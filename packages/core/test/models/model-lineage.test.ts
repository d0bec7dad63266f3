import { describe, expect, it } from 'vitest';
import type { JobResource } from '../../src/jobs/job-client';
import {
  buildModelLineage,
  CONTENT_HASH_PROPERTY,
  CONTENT_HASH_VERSION_PROPERTY,
  inputLineage,
  type LineageParts,
  SOURCE_PROPERTY,
  shortAssetReference,
} from '../../src/models/model-lineage';

const SUB = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const WS_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`;
const WS_ID_LOWER = WS_ID.replace('resourceGroups', 'resourcegroups').replace(
  'Microsoft.MachineLearningServices',
  'microsoft.machinelearningservices',
);
const REG_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/registries/shared-ml`;

/** A `${{…}}` binding of a pipeline step. */
const b = (expression: string) => `\${{${expression}}}`;

const ENV = {
  GITHUB_REPOSITORY: 'contoso/churn',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_WORKFLOW: 'train',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '1234',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SERVER_URL: 'https://github.com',
};

function job(name: string, inputs: Record<string, unknown> | undefined): JobResource {
  return {
    id: `${WS_ID}/jobs/${name}`,
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/jobs',
    properties: { jobType: 'Command', status: 'Completed', ...(inputs ? { inputs } : {}) },
  };
}

const base: LineageParts = {
  env: {},
  source: 'azureml://jobs/train-42/outputs/model',
  contentHash: 'c'.repeat(64),
  contentHashVersion: 'listing-v1',
};

describe('buildModelLineage', () => {
  it('tags the commit and workflow run from the environment', () => {
    const lineage = buildModelLineage({ ...base, env: ENV });
    expect(lineage.tags).toEqual({
      'github.repository': 'contoso/churn',
      'github.sha': ENV.GITHUB_SHA,
      'github.ref': 'refs/heads/main',
      'github.workflow': 'train',
      'github.actor': 'octocat',
      'github.run_url': 'https://github.com/contoso/churn/actions/runs/1234/attempts/2',
    });
    expect(lineage.jobName).toBeUndefined();
    expect('jobName' in lineage).toBe(false);
  });

  it('outside GitHub Actions has only the identity properties', () => {
    expect(buildModelLineage(base)).toEqual({
      tags: {},
      properties: {
        [SOURCE_PROPERTY]: base.source,
        [CONTENT_HASH_PROPERTY]: base.contentHash,
        [CONTENT_HASH_VERSION_PROPERTY]: 'listing-v1',
      },
    });
  });

  it('records the training job, its data inputs and its parameters', () => {
    const lineage = buildModelLineage({
      ...base,
      job: job('train-42', {
        training_data: {
          jobInputType: 'uri_folder',
          uri: `azureml:${WS_ID}/data/churn-train/versions/3`,
          mode: 'ReadOnlyMount',
        },
        test_data: {
          jobInputType: 'uri_file',
          uri: 'azureml://datastores/workspaceblobstore/paths/churn/test.csv',
        },
        learning_rate: { jobInputType: 'literal', value: '0.01' },
      }),
    });
    expect(lineage.jobName).toBe('train-42');
    expect(lineage.tags).toEqual({ training_job: 'train-42' });
    expect(lineage.properties).toEqual({
      'inputs.training_data': 'azureml:churn-train:3',
      'inputs.test_data': 'azureml://datastores/workspaceblobstore/paths/churn/test.csv',
      'params.learning_rate': '0.01',
      [SOURCE_PROPERTY]: base.source,
      [CONTENT_HASH_PROPERTY]: base.contentHash,
      [CONTENT_HASH_VERSION_PROPERTY]: 'listing-v1',
    });
  });

  it('takes a pipeline step’s data from its parent, skipping bindings to it', () => {
    const parentJob = job('pipeline-7', {
      training_data: { jobInputType: 'uri_folder', uri: `${WS_ID}/data/churn-train/versions/4` },
      epochs: { jobInputType: 'literal', value: '10' },
      seed: { jobInputType: 'literal', value: '1' },
    });
    const step = job('pipeline-7-train', {
      training_data: { jobInputType: 'uri_folder', uri: b('parent.inputs.training_data') },
      prepared: { jobInputType: 'uri_folder', uri: ` ${b('parent.jobs.prep.outputs.prepared')}` },
      epochs: { jobInputType: 'literal', value: b('parent.inputs.epochs') },
      seed: { jobInputType: 'literal', value: '7' },
    });
    const lineage = buildModelLineage({ ...base, job: step, parentJob });
    expect(lineage.jobName).toBe('pipeline-7-train');
    expect(lineage.tags.training_job).toBe('pipeline-7-train');
    expect(lineage.properties).toMatchObject({
      'inputs.training_data': 'azureml:churn-train:4',
      'params.epochs': '10',
      // The step's own literal wins over the parent's.
      'params.seed': '7',
    });
    expect(Object.keys(lineage.properties)).not.toContain('inputs.prepared');
    expect(Object.values(lineage.properties).some((value) => /\$\{\{/.test(value))).toBe(false);
  });

  it('ignores a parent job when there is no job', () => {
    const parentJob = job('pipeline-7', { seed: { jobInputType: 'literal', value: '1' } });
    const lineage = buildModelLineage({ ...base, parentJob });
    expect(lineage.properties['params.seed']).toBeUndefined();
    expect(lineage.tags.training_job).toBeUndefined();
  });

  it('records metrics as strings under metrics.*', () => {
    const lineage = buildModelLineage({ ...base, metrics: { accuracy: 0.9125, loss: 1e-7, epochs: 10 } });
    expect(lineage.properties).toMatchObject({
      'metrics.accuracy': '0.9125',
      'metrics.loss': '1e-7',
      'metrics.epochs': '10',
    });
  });

  it('lets user tags and properties win over lineage', () => {
    const lineage = buildModelLineage({
      ...base,
      env: ENV,
      job: job('train-42', { learning_rate: { jobInputType: 'literal', value: '0.01' } }),
      metrics: { accuracy: 0.9 },
      userTags: { 'github.ref': 'release', training_job: 'by-hand', owner: 'team-a' },
      userProperties: { 'params.learning_rate': '0.02', 'metrics.accuracy': '0.95', note: 'x' },
    });
    expect(lineage.tags).toMatchObject({ 'github.ref': 'release', training_job: 'by-hand', owner: 'team-a' });
    expect(lineage.tags['github.sha']).toBe(ENV.GITHUB_SHA);
    expect(lineage.properties).toMatchObject({
      'params.learning_rate': '0.02',
      'metrics.accuracy': '0.95',
      note: 'x',
    });
    // The ModelVersion field still names the real job.
    expect(lineage.jobName).toBe('train-42');
  });

  it('never lets a user property override the identity properties', () => {
    const lineage = buildModelLineage({
      ...base,
      userProperties: {
        [SOURCE_PROPERTY]: 'forged',
        [CONTENT_HASH_PROPERTY]: 'forged',
        [CONTENT_HASH_VERSION_PROPERTY]: 'forged',
      },
    });
    expect(lineage.properties).toEqual({
      [SOURCE_PROPERTY]: base.source,
      [CONTENT_HASH_PROPERTY]: base.contentHash,
      [CONTENT_HASH_VERSION_PROPERTY]: 'listing-v1',
    });
  });

  it('does not change the caller’s tags and properties', () => {
    const userTags = { owner: 'team-a' };
    const userProperties = { note: 'x' };
    buildModelLineage({ ...base, env: ENV, userTags, userProperties });
    expect(userTags).toEqual({ owner: 'team-a' });
    expect(userProperties).toEqual({ note: 'x' });
  });
});

describe('inputLineage', () => {
  it('skips inputs that are neither data nor string literals', () => {
    expect(
      inputLineage(
        job('train-42', {
          nothing: null,
          text: 'not an object',
          number: { jobInputType: 'literal', value: 3 },
          custom: { jobInputType: 'custom_model' },
        }),
      ),
    ).toEqual({});
  });

  it('handles a job without inputs', () => {
    expect(inputLineage(job('train-42', undefined))).toEqual({});
  });
});

describe('shortAssetReference', () => {
  const cases: { uri: string; short: string }[] = [
    { uri: `${WS_ID}/data/churn-train/versions/3`, short: 'azureml:churn-train:3' },
    { uri: `azureml:${WS_ID}/data/churn-train/versions/3`, short: 'azureml:churn-train:3' },
    { uri: `AzureML:${WS_ID}/models/churn/versions/2`, short: 'azureml:churn:2' },
    {
      uri: `${WS_ID_LOWER}/data/churn-train/versions/3`,
      short: 'azureml:churn-train:3',
    },
    {
      uri: `azureml:${REG_ID}/data/churn-train/versions/3`,
      short: 'azureml://registries/shared-ml/data/churn-train/versions/3',
    },
    // Not versions: kept as the job had them.
    { uri: `${WS_ID}/data/churn-train`, short: `${WS_ID}/data/churn-train` },
    { uri: `${WS_ID}/jobs/train-41`, short: `${WS_ID}/jobs/train-41` },
    { uri: `${WS_ID}/nonsense//x`, short: `${WS_ID}/nonsense//x` },
    { uri: 'azureml:churn-train:3', short: 'azureml:churn-train:3' },
    {
      uri: 'azureml://datastores/workspaceblobstore/paths/churn/',
      short: 'azureml://datastores/workspaceblobstore/paths/churn/',
    },
    {
      uri: `azureml://subscriptions/${SUB}/resourcegroups/rg-ml/workspaces/mlw-prod/datastores/ds/paths/p`,
      short: `azureml://subscriptions/${SUB}/resourcegroups/rg-ml/workspaces/mlw-prod/datastores/ds/paths/p`,
    },
    {
      uri: 'https://acct.blob.core.windows.net/data/churn.csv',
      short: 'https://acct.blob.core.windows.net/data/churn.csv',
    },
  ];
  it.each(cases)('$uri → $short', ({ uri, short }) => {
    expect(shortAssetReference(uri)).toBe(short);
  });
});
