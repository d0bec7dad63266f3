import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobBody } from '../../../../emulator/src/arm/schema/jobs';
import { validate } from '../../../../emulator/src/arm/schema/validate';
import { parseSetOverrides, translateJobYaml } from '../../../src/jobs/spec';
import { fakeResolver, WS } from './fake-resolver';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);

/** Violations of the emulator's ARM schema for a job PUT at api-version 2025-12-01. */
function violations(properties: Record<string, unknown>) {
  return validate(jobBody, { properties }, '', '2025-12-01').violations;
}

describe('translateJobYaml: command job', () => {
  it('translates every part of a command job into a valid REST body', async () => {
    const resolver = fakeResolver();
    const job = await translateJobYaml(fixture('command-job.yml'), { resolver });
    expect(job.jobType).toBe('Command');
    expect(job.yamlName).toBe('train-command');
    expect(job.outputNames).toEqual(['model', 'report']);
    expect(job.stepNames).toEqual([]);
    expect(job.files).toEqual([fixture('command-job.yml')]);
    const p = job.properties;
    expect(violations(p)).toEqual([]);
    expect(p).toMatchObject({
      jobType: 'Command',
      displayName: 'Train a classifier',
      experimentName: 'machine-failures',
      description: 'Trains the logistic regression model.',
      tags: { team: 'ml', stage: 'dev' },
      computeId: `${WS}/computes/cpu-cluster`,
      codeId: `${WS}/codes/code-src/versions/1`,
      environmentId: `${WS}/environments/CliV2AnonymousEnvironment/versions/anon1`,
      environmentVariables: { LOG_LEVEL: 'debug', RETRIES: '3' },
      resources: { instanceCount: 2, shmSize: '2g' },
      distribution: { distributionType: 'PyTorch', processCountPerInstance: 2 },
      limits: { jobLimitsType: 'Command', timeout: 'PT1H30M' },
      identity: { identityType: 'Managed', clientId: '11111111-2222-3333-4444-555555555555' },
      queueSettings: { jobTier: 'Spot' },
      services: {
        ssh: {
          jobServiceType: 'SSH',
          nodes: { nodesValueType: 'All' },
          properties: { sshPublicKeys: 'ssh-ed25519 AAAA' },
        },
        board: { jobServiceType: 'TensorBoard', properties: { logDir: 'outputs/tblogs' } },
      },
    });
    expect(p.command).toContain(`--lr \${{inputs.learning_rate}}`);
    expect(p.inputs).toEqual({
      training_data: {
        jobInputType: 'uri_file',
        uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/hash/raw.csv',
        mode: 'Download',
      },
      registered: { jobInputType: 'mltable', uri: `${WS}/data/failures-table/versions/3` },
      remote: {
        jobInputType: 'uri_folder',
        uri: 'https://example.blob.core.windows.net/public/data/',
        mode: 'ReadOnlyMount',
      },
      model_in: {
        jobInputType: 'mlflow_model',
        uri: 'azureml://registries/azureml/models/baseline/versions/2',
        mode: 'EvalDownload',
      },
      learning_rate: { jobInputType: 'literal', value: '0.05' },
      epochs: { jobInputType: 'literal', value: '10' },
      verbose: { jobInputType: 'literal', value: 'True' },
    });
    expect(p.outputs).toEqual({
      model: { jobOutputType: 'mlflow_model', mode: 'Upload', assetName: 'failure-classifier' },
      report: {
        jobOutputType: 'uri_file',
        mode: 'ReadWriteMount',
        uri: 'azureml://datastores/workspaceblobstore/paths/reports/',
      },
    });
  });

  it('resolves paths relative to the YAML file and passes source locations to the resolver', async () => {
    const resolver = fakeResolver();
    await translateJobYaml(fixture('command-job.yml'), { resolver });
    const byMethod = Object.fromEntries(resolver.calls.map((call) => [call.method, call]));
    expect(byMethod.code?.arg).toBe(join(FIXTURES, 'src'));
    expect(byMethod.code?.at).toEqual({ file: fixture('command-job.yml'), line: 10, column: 7 });
    expect(byMethod.localInput?.arg).toBe(join(FIXTURES, 'data', 'raw.csv'));
    expect(byMethod.compute).toMatchObject({ arg: 'cpu-cluster', at: { line: 17, column: 10 } });
    expect(byMethod.data?.arg).toEqual({ name: 'failures-table', version: '3' });
    expect(byMethod.anonymousEnvironment?.arg).toEqual({
      image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04',
      condaFile: 'name: train-env\ndependencies:\n  - python=3.11\n',
    });
  });

  it('lets the action inputs win over the YAML and merges tags', async () => {
    const job = await translateJobYaml(fixture('command-job.yml'), {
      resolver: fakeResolver(),
      experimentName: 'from-input',
      displayName: 'Input name',
      description: 'Input description',
      tags: { stage: 'prod', sha: 'abc' },
    });
    expect(job.properties).toMatchObject({
      experimentName: 'from-input',
      displayName: 'Input name',
      description: 'Input description',
      tags: { team: 'ml', stage: 'prod', sha: 'abc' },
    });
  });

  it('applies `set` overrides before checking', async () => {
    const overrides = parseSetOverrides(
      'inputs.learning_rate=0.2\ncompute=azureml:gpu-cluster\nresources.instance_count=4\nlimits.timeout=90',
    );
    const job = await translateJobYaml(fixture('command-job.yml'), { resolver: fakeResolver(), overrides });
    expect(job.properties).toMatchObject({
      computeId: `${WS}/computes/gpu-cluster`,
      resources: { instanceCount: 4 },
      limits: { timeout: 'PT1M30S' },
      inputs: { learning_rate: { jobInputType: 'literal', value: '0.2' } },
    });
  });

  it('lets a resolver failure (unknown compute) propagate unchanged', async () => {
    const resolver = fakeResolver({ computes: ['other'] });
    await expect(translateJobYaml(fixture('command-job.yml'), { resolver })).rejects.toThrow(
      /compute 'cpu-cluster' does not exist in workspace 'ws'/,
    );
  });
});

describe('translateJobYaml: pipeline job', () => {
  it('translates a three-step pipeline with bindings, a local component and a registered one', async () => {
    const resolver = fakeResolver();
    const file = fixture('pipeline/pipeline.yml');
    const job = await translateJobYaml(file, { resolver });
    expect(job.jobType).toBe('Pipeline');
    expect(job.stepNames).toEqual(['prep', 'train', 'evaluate']);
    expect(job.outputNames).toEqual(['trained_model', 'metrics']);
    expect(job.files).toEqual([file, fixture('pipeline/components/train.yml')]);
    const p = job.properties;
    expect(violations(p)).toEqual([]);
    expect(p.computeId).toBe(`${WS}/computes/cpu-cluster`);
    expect(p.settings).toEqual({
      default_compute: `${WS}/computes/cpu-cluster`,
      default_datastore: `${WS}/datastores/workspaceblobstore`,
      continue_on_step_failure: false,
    });
    expect(p.inputs).toEqual({
      raw_data: {
        jobInputType: 'uri_file',
        uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/hash/raw.csv',
      },
      learning_rate: { jobInputType: 'literal', value: '0.1' },
    });
    expect(p.outputs).toEqual({
      trained_model: { jobOutputType: 'uri_folder' },
      metrics: { jobOutputType: 'uri_file' },
    });
    const jobs = p.jobs as Record<string, Record<string, unknown>>;
    expect(jobs.prep).toEqual({
      name: 'prep',
      type: 'command',
      componentId: `${WS}/components/azureml_anonymous/versions/anon1`,
      inputs: { raw: { job_input_type: 'literal', value: `\${{parent.inputs.raw_data}}` } },
      outputs: { prepared: { job_output_type: 'uri_folder', mode: 'Upload' } },
    });
    expect(jobs.train).toEqual({
      name: 'train',
      type: 'command',
      componentId: `${WS}/components/azureml_anonymous/versions/anon2`,
      inputs: {
        data: {
          job_input_type: 'uri_folder',
          uri: `\${{parent.jobs.prep.outputs.prepared}}`,
          mode: 'Download',
        },
        learning_rate: { job_input_type: 'literal', value: `\${{parent.inputs.learning_rate}}` },
      },
      outputs: { model: { type: 'literal', value: `\${{parent.outputs.trained_model}}` } },
      resources: { instance_count: 2 },
    });
    expect(jobs.evaluate).toEqual({
      name: 'evaluate',
      type: 'command',
      componentId: `${WS}/components/evaluate-model/versions/7`,
      computeId: `${WS}/computes/gpu-cluster`,
      inputs: {
        model: { job_input_type: 'literal', value: `\${{parent.jobs.train.outputs.model}}` },
        threshold: { job_input_type: 'literal', value: '0.8' },
      },
      outputs: { report: { type: 'literal', value: `\${{parent.outputs.metrics}}` } },
      limits: { job_limits_type: 'Command', timeout: 'PT10M' },
    });
  });

  it('registers inline steps and local component files as anonymous components in CLI YAML form', async () => {
    const resolver = fakeResolver();
    await translateJobYaml(fixture('pipeline/pipeline.yml'), { resolver });
    const specs = resolver.calls.filter((call) => call.method === 'anonymousComponent');
    expect(specs.map((call) => call.arg)).toEqual([
      {
        type: 'command',
        command: `python prep.py --raw \${{inputs.raw}} --out \${{outputs.prepared}}`,
        code: `${WS}/codes/code-src/versions/1`,
        environment: `${WS}/environments/sklearn-env/versions/4`,
        inputs: { raw: { type: 'uri_file' } },
        outputs: { prepared: { type: 'uri_folder' } },
      },
      {
        type: 'command',
        name: 'train_model',
        version: '2',
        display_name: 'Train',
        code: `${WS}/codes/code-src/versions/1`,
        command: `python train.py --data \${{inputs.data}} --lr \${{inputs.learning_rate}} --model \${{outputs.model}}`,
        environment: `${WS}/environments/sklearn-env/versions/4`,
        inputs: { data: { type: 'uri_folder' }, learning_rate: { type: 'number', default: 0.01 } },
        outputs: { model: { type: 'uri_folder' } },
      },
    ]);
    // The same code folder (../src from both YAMLs) is uploaded once.
    expect(resolver.calls.filter((call) => call.method === 'code')).toHaveLength(1);
    expect(resolver.calls.find((call) => call.method === 'component')?.arg).toEqual({
      name: 'evaluate-model',
      label: 'latest',
    });
  });

  it('applies overrides to step keys', async () => {
    const job = await translateJobYaml(fixture('pipeline/pipeline.yml'), {
      resolver: fakeResolver(),
      overrides: parseSetOverrides(
        'jobs.train.resources.instance_count=3\nsettings.continue_on_step_failure=true',
      ),
    });
    const jobs = job.properties.jobs as Record<string, Record<string, unknown>>;
    expect(jobs.train?.resources).toEqual({ instance_count: 3 });
    expect(job.properties.settings).toMatchObject({ continue_on_step_failure: true });
  });
});

describe('translateJobYaml: sweep job', () => {
  it('translates search space, objective, sampling, limits, early termination and trial', async () => {
    const resolver = fakeResolver();
    const job = await translateJobYaml(fixture('sweep-job.yml'), { resolver });
    expect(job.jobType).toBe('Sweep');
    const p = job.properties;
    expect(violations(p)).toEqual([]);
    expect(p.searchSpace).toEqual({
      lr: ['loguniform', [-6, -1]],
      c: ['choice', [[0.1, 1, 10]]],
      iters: ['randint', [50]],
      momentum: ['uniform', [0.5, 0.99]],
      width: ['quniform', [16, 128, 16]],
      depth: ['qloguniform', [0, 3, 1]],
      noise: ['normal', [0, 1]],
      scale: ['lognormal', [0, 0.5]],
      step: ['qnormal', [10, 2, 1]],
      batch: ['qlognormal', [3, 1, 8]],
    });
    expect(p).toMatchObject({
      computeId: `${WS}/computes/cpu-cluster`,
      objective: { goal: 'Maximize', primaryMetric: 'accuracy' },
      samplingAlgorithm: { samplingAlgorithmType: 'Random', seed: 42, rule: 'Sobol' },
      limits: {
        jobLimitsType: 'Sweep',
        maxTotalTrials: 12,
        maxConcurrentTrials: 3,
        timeout: 'PT1H',
        trialTimeout: 'PT10M',
      },
      earlyTermination: { policyType: 'Bandit', slackFactor: 0.1, evaluationInterval: 1, delayEvaluation: 2 },
      trial: {
        codeId: `${WS}/codes/code-src/versions/1`,
        environmentId: `${WS}/environments/sklearn-env/versions/7`,
        resources: { instanceCount: 1 },
      },
      inputs: { data: { jobInputType: 'uri_file' } },
    });
    expect((p.trial as { command: string }).command).toContain(`--lr \${{search_space.lr}}`);
  });

  it.each([
    ['grid', { samplingAlgorithmType: 'Grid' }, 'c: {type: choice, values: [1, 2]}', undefined],
    [
      'bayesian',
      { samplingAlgorithmType: 'Bayesian' },
      'c: {type: uniform, min_value: 0, max_value: 1}',
      undefined,
    ],
    [
      'random',
      { samplingAlgorithmType: 'Random' },
      'c: {type: choice, values: [a, b]}',
      'early_termination: {type: median_stopping, evaluation_interval: 2}',
    ],
    [
      'random',
      { samplingAlgorithmType: 'Random' },
      'c: {type: choice, values: [a, b]}',
      'early_termination: {type: truncation_selection, truncation_percentage: 20}',
    ],
  ])('sampling %s with %o', async (sampling, expected, parameter, termination) => {
    const { writeYaml } = await import('./temp-files');
    const file = writeYaml(
      'sweep.yml',
      [
        'type: sweep',
        `sampling_algorithm: ${sampling}`,
        'search_space:',
        `  ${parameter}`,
        'objective: {goal: minimize, primary_metric: loss}',
        `trial: {command: "python t.py --c \${{search_space.c}}", environment: "azureml:env:1"}`,
        ...(termination ? [termination] : []),
      ].join('\n'),
    );
    const job = await translateJobYaml(file, { resolver: fakeResolver() });
    expect(job.properties.samplingAlgorithm).toEqual(expected);
    expect(violations(job.properties)).toEqual([]);
  });
});
