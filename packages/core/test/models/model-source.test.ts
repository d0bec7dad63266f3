import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  describeModelSource,
  type ModelSource,
  parseModelSource,
  type SourceInputs,
} from '../../src/models/model-source';

const SUB = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const WS_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`;
const REG_ID = `/subscriptions/${SUB}/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/shared-ml`;
const LONG_DATASTORE = `azureml://subscriptions/${SUB}/resourcegroups/rg-ml/workspaces/mlw-prod/datastores/workspaceblobstore/paths/models/churn/`;

function thrown(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseModelSource', () => {
  const valid: { name: string; inputs: SourceInputs; source: ModelSource }[] = [
    {
      name: 'job-name alone',
      inputs: { jobName: 'train-42' },
      source: { kind: 'job-output', job: 'train-42', output: undefined, step: undefined, path: '' },
    },
    {
      name: 'job-name with output-name',
      inputs: { jobName: 'train-42', outputName: 'model' },
      source: { kind: 'job-output', job: 'train-42', output: 'model', step: undefined, path: '' },
    },
    {
      name: 'job-name with output-name and step',
      inputs: { jobName: 'pipeline-7', outputName: 'model', step: 'train' },
      source: { kind: 'job-output', job: 'pipeline-7', output: 'model', step: 'train', path: '' },
    },
    {
      name: 'job-name with step only',
      inputs: { jobName: 'pipeline-7', step: 'train' },
      source: { kind: 'job-output', job: 'pipeline-7', output: undefined, step: 'train', path: '' },
    },
    {
      name: 'azureml://jobs/ URI without /paths/',
      inputs: { path: 'azureml://jobs/train-42/outputs/model' },
      source: { kind: 'job-output', job: 'train-42', output: 'model', path: '' },
    },
    {
      name: 'azureml://jobs/ URI with /paths/',
      inputs: { path: 'azureml://jobs/train-42/outputs/artifacts/paths/outputs/mlflow-model' },
      source: { kind: 'job-output', job: 'train-42', output: 'artifacts', path: 'outputs/mlflow-model' },
    },
    {
      name: 'runs:/ is the run’s artifacts output',
      inputs: { path: 'runs:/train-42/model' },
      source: { kind: 'job-output', job: 'train-42', output: 'artifacts', path: 'model' },
    },
    {
      name: 'runs:/ without a path is the whole artifact folder',
      inputs: { path: 'runs:/train-42' },
      source: { kind: 'job-output', job: 'train-42', output: 'artifacts', path: '' },
    },
    {
      name: 'short datastore URI',
      inputs: { path: 'azureml://datastores/workspaceblobstore/paths/models/churn/' },
      source: { kind: 'datastore', uri: 'azureml://datastores/workspaceblobstore/paths/models/churn/' },
    },
    {
      name: 'long datastore URI, surrounding spaces trimmed',
      inputs: { path: `  ${LONG_DATASTORE}\n` },
      source: { kind: 'datastore', uri: LONG_DATASTORE },
    },
    {
      name: 'relative local folder',
      inputs: { path: './outputs/model' },
      source: { kind: 'local', path: './outputs/model' },
    },
    { name: 'bare local folder name', inputs: { path: 'model' }, source: { kind: 'local', path: 'model' } },
    {
      name: 'absolute local file',
      inputs: { path: '/home/runner/work/model.pkl' },
      source: { kind: 'local', path: '/home/runner/work/model.pkl' },
    },
    {
      name: 'file:// URL',
      inputs: { path: 'file:///tmp/model' },
      source: { kind: 'local', path: '/tmp/model' },
    },
    {
      name: 's3:// URL',
      inputs: { path: 's3://ml-models/churn/v3/' },
      source: { kind: 'external', url: 's3://ml-models/churn/v3/', scheme: 's3' },
    },
    {
      name: 'gs:// URL',
      inputs: { path: 'gs://ml_models/churn/model.onnx' },
      source: { kind: 'external', url: 'gs://ml_models/churn/model.onnx', scheme: 'gs' },
    },
    {
      name: 'azureml:name:version (a workspace model to promote)',
      inputs: { path: 'azureml:churn:3' },
      source: { kind: 'workspace-model', name: 'churn', version: '3' },
    },
    {
      name: 'model version ARM id',
      inputs: { path: `${WS_ID}/models/churn/versions/3` },
      source: {
        kind: 'workspace-model',
        name: 'churn',
        version: '3',
        workspace: { subscriptionId: SUB, resourceGroup: 'rg-ml', workspace: 'mlw-prod' },
      },
    },
    {
      name: 'model version ARM id with the azureml: prefix',
      inputs: { path: `azureml:${WS_ID}/models/churn/versions/3` },
      source: {
        kind: 'workspace-model',
        name: 'churn',
        version: '3',
        workspace: { subscriptionId: SUB, resourceGroup: 'rg-ml', workspace: 'mlw-prod' },
      },
    },
    {
      name: 'registry model version ARM id keeps subscription and resource group',
      inputs: { path: `${REG_ID}/models/churn/versions/3` },
      source: {
        kind: 'registry-model',
        registry: 'shared-ml',
        name: 'churn',
        version: '3',
        subscriptionId: SUB,
        resourceGroup: 'rg-shared',
      },
    },
    {
      name: 'azureml://registries/ model URI',
      inputs: { path: 'azureml://registries/shared-ml/models/churn/versions/3' },
      source: { kind: 'registry-model', registry: 'shared-ml', name: 'churn', version: '3' },
    },
  ];
  it.each(valid)('$name', ({ inputs, source }) => {
    expect(parseModelSource(inputs)).toEqual(source);
  });

  const invalid: { name: string; inputs: SourceInputs; input: string; problem: RegExp; fix: RegExp }[] = [
    {
      name: 'job-name together with path',
      inputs: { jobName: 'train-42', path: './model' },
      input: 'path',
      problem: /job-name and path both/,
      fix: /not both/,
    },
    {
      name: 'output-name without job-name',
      inputs: { outputName: 'model', path: './model' },
      input: 'output-name',
      problem: /output-name is given without job-name/,
      fix: /Give job-name too.*or leave output-name out/,
    },
    {
      name: 'step without job-name',
      inputs: { step: 'train' },
      input: 'step',
      problem: /step is given without job-name/,
      fix: /leave step out/,
    },
    {
      name: 'nothing given',
      inputs: {},
      input: 'path',
      problem: /no model source/,
      fix: /job-name.*azureml:\/\/datastores\/.*runs:\/.*azureml:<name>:<version>/,
    },
    {
      name: 'an https blob URL',
      inputs: { path: 'https://acct.blob.core.windows.net/models/churn/' },
      input: 'path',
      problem: /cannot be registered as a model/,
      fix: /azureml:\/\/datastores\/<ds>\/paths\/<p>/,
    },
    {
      name: 'a registry environment',
      inputs: { path: 'azureml://registries/azureml/environments/sklearn-1.5/versions/3' },
      input: 'path',
      problem: /cannot be registered as a model/,
      fix: /azureml:\/\/registries\/<r>\/models\/<name>\/versions\/<v>/,
    },
    {
      name: 'a registry environment ARM id',
      inputs: { path: `${REG_ID}/environments/sklearn/versions/3` },
      input: 'path',
      problem: /cannot be registered as a model/,
      fix: /azureml:<name>:<version>/,
    },
    {
      name: 'a data asset version ARM id',
      inputs: { path: `${WS_ID}/data/churn-train/versions/1` },
      input: 'path',
      problem: /cannot be registered as a model/,
      fix: /azureml:<name>:<version>/,
    },
    {
      name: 'a model container ARM id without a version',
      inputs: { path: `${WS_ID}/models/churn` },
      input: 'path',
      problem: /cannot be registered as a model/,
      fix: /azureml:<name>:<version>/,
    },
    {
      name: 'a registry model by label',
      inputs: { path: 'azureml://registries/shared-ml/models/churn/labels/latest' },
      input: 'path',
      problem: /cannot be registered as a model/,
      fix: /versions\/<v>/,
    },
    {
      name: 'a malformed job output URI (from the reference parser)',
      inputs: { path: 'azureml://jobs/train-42/output/model' },
      input: 'path',
      problem: /'output' must be plural/,
      fix: /azureml:\/\/jobs\/train-42\/outputs\/model/,
    },
    {
      name: 'a bare name:version (from the reference parser)',
      inputs: { path: 'churn:3' },
      input: 'path',
      problem: /needs the azureml: prefix/,
      fix: /azureml:churn:3/,
    },
  ];
  it.each(invalid)('rejects $name', ({ inputs, input, problem, fix }) => {
    const error = thrown(() => parseModelSource(inputs));
    expect(error.input).toBe(input);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
  });

  it('names the rejected path in the message', () => {
    const error = thrown(() =>
      parseModelSource({ path: 'https://acct.blob.core.windows.net/models/churn/' }),
    );
    expect(error.problem).toBe(
      "'https://acct.blob.core.windows.net/models/churn/' cannot be registered as a model",
    );
  });
});

describe('describeModelSource', () => {
  const roundTrips: { path: string; described?: string }[] = [
    { path: 'azureml://jobs/train-42/outputs/model' },
    { path: 'azureml://jobs/train-42/outputs/artifacts/paths/outputs/mlflow-model' },
    { path: 'runs:/train-42/model', described: 'azureml://jobs/train-42/outputs/artifacts/paths/model' },
    { path: 'azureml://datastores/workspaceblobstore/paths/models/churn/' },
    { path: LONG_DATASTORE },
    { path: './outputs/model' },
    { path: 's3://ml-models/churn/v3/' },
    { path: 'gs://ml_models/churn/model.onnx' },
    { path: 'azureml:churn:3' },
    { path: `${WS_ID}/models/churn/versions/3` },
    { path: 'azureml://registries/shared-ml/models/churn/versions/3' },
  ];
  it.each(roundTrips)('$path round trips', ({ path, described }) => {
    const source = parseModelSource({ path });
    const text = describeModelSource(source);
    expect(text).toBe(described ?? path);
    expect(parseModelSource({ path: text })).toEqual(source);
  });

  it('writes a registry ARM id as the registry URI (the same registry model, without its scope)', () => {
    const source = parseModelSource({ path: `${REG_ID}/models/churn/versions/3` });
    const text = describeModelSource(source);
    expect(text).toBe('azureml://registries/shared-ml/models/churn/versions/3');
    expect(parseModelSource({ path: text })).toMatchObject({
      kind: 'registry-model',
      name: 'churn',
      version: '3',
    });
  });

  const jobNames: { inputs: SourceInputs; described: string }[] = [
    {
      inputs: { jobName: 'train-42', outputName: 'model' },
      described: 'azureml://jobs/train-42/outputs/model',
    },
    { inputs: { jobName: 'train-42' }, described: 'azureml://jobs/train-42/outputs/<output>' },
    {
      inputs: { jobName: 'pipeline-7', outputName: 'model', step: 'train' },
      described: 'azureml://jobs/pipeline-7/outputs/model (step train)',
    },
  ];
  it.each(jobNames)('describes job-name inputs $inputs', ({ inputs, described }) => {
    expect(describeModelSource(parseModelSource(inputs))).toBe(described);
  });

  it('round trips a job-name with output-name through the URI form', () => {
    const fromInputs = parseModelSource({ jobName: 'train-42', outputName: 'model' });
    expect(parseModelSource({ path: describeModelSource(fromInputs) })).toEqual({
      kind: 'job-output',
      job: 'train-42',
      output: 'model',
      path: '',
    });
  });
});
