// Reference and configuration forms beyond the fixtures, each checked against the ARM schema.
import { describe, expect, it } from 'vitest';
import { jobBody } from '../../../../emulator/src/arm/schema/jobs';
import { validate } from '../../../../emulator/src/arm/schema/validate';
import { translateJobYaml } from '../../../src/jobs/spec';
import { fakeResolver, WS } from './fake-resolver';
import { writeYaml } from './temp-files';

const base = ['type: command', 'command: python train.py'];

describe('translateJobYaml: reference and configuration forms', () => {
  it.each([
    [
      'serverless: instance_type without compute',
      ['environment: azureml:env:1', 'resources: {instance_type: Standard_DS3_v2}'],
      { resources: { instanceType: 'Standard_DS3_v2' } },
      ['environment'],
    ],
    [
      'registry environment',
      ['environment: azureml://registries/azureml/environments/sklearn/versions/3'],
      { environmentId: 'azureml://registries/azureml/environments/sklearn/versions/3' },
      ['environment'],
    ],
    [
      'environment ARM id passes through',
      [`environment: azureml:${WS}/environments/e/versions/1`],
      { environmentId: `${WS}/environments/e/versions/1` },
      [],
    ],
    [
      'environment from a docker build context',
      ['environment: {build: {path: ./docker, dockerfile_path: Dockerfile.gpu}, os_type: linux}'],
      { environmentId: `${WS}/environments/CliV2AnonymousEnvironment/versions/anon1` },
      ['anonymousEnvironment'],
    ],
    [
      'mpi distribution, aml_token identity, ISO timeout',
      [
        'environment: azureml:env:1',
        'distribution: {type: mpi, process_count_per_instance: 4}',
        'identity: {type: aml_token}',
        'limits: {timeout: PT2H}',
      ],
      {
        distribution: { distributionType: 'Mpi', processCountPerInstance: 4 },
        identity: { identityType: 'AMLToken' },
        limits: { jobLimitsType: 'Command', timeout: 'PT2H' },
      },
      ['environment'],
    ],
    [
      'tensorflow distribution, user identity, custom and triton models',
      [
        'environment: azureml:env@latest',
        'distribution: {type: tensorflow, worker_count: 2, parameter_server_count: 1}',
        'identity: {type: user_identity}',
        'inputs:',
        '  base: {type: custom_model, path: "azureml:base-model:2"}',
        '  triton: {type: triton_model, path: "azureml://datastores/models/paths/triton/", mode: direct}',
        'outputs:',
        '  table: {type: mltable, mode: direct}',
      ],
      {
        distribution: { distributionType: 'TensorFlow', workerCount: 2, parameterServerCount: 1 },
        identity: { identityType: 'UserIdentity' },
        inputs: {
          base: { jobInputType: 'custom_model', uri: `${WS}/data/base-model/versions/2` },
          triton: {
            jobInputType: 'triton_model',
            uri: 'azureml://datastores/models/paths/triton/',
            mode: 'Direct',
          },
        },
        outputs: { table: { jobOutputType: 'mltable', mode: 'Direct' } },
      },
      ['environment', 'data'],
    ],
  ])('%s', async (_name, lines, expected, methods) => {
    const file = writeYaml('job.yml', [...base, ...lines].join('\n'), {
      'docker/Dockerfile.gpu': 'FROM x\n',
    });
    const resolver = fakeResolver();
    const job = await translateJobYaml(file, { resolver });
    expect(job.properties).toMatchObject(expected);
    expect(validate(jobBody, { properties: job.properties }, '', '2025-12-01').violations).toEqual([]);
    expect(resolver.calls.map((call) => call.method)).toEqual(methods);
    if (lines.some((line) => line.includes('instance_type')))
      expect(job.properties).not.toHaveProperty('computeId');
  });

  it('resolves a registry component step and needs the workspace for default_datastore', async () => {
    const yaml = [
      'type: pipeline',
      'settings: {default_datastore: azureml:workspaceblobstore}',
      'jobs:',
      '  score:',
      '    component: azureml://registries/azureml/components/score/versions/5',
    ].join('\n');
    await expect(translateJobYaml(writeYaml('p.yml', yaml), { resolver: fakeResolver() })).rejects.toThrow(
      /'settings\.default_datastore' needs the workspace's ARM id/,
    );
    const withCompute = yaml.replace('settings: {', 'settings: {default_compute: azureml:cpu-cluster, ');
    const resolver = fakeResolver();
    const job = await translateJobYaml(writeYaml('p.yml', withCompute), { resolver });
    expect(job.properties.settings).toEqual({
      default_compute: `${WS}/computes/cpu-cluster`,
      default_datastore: `${WS}/datastores/workspaceblobstore`,
    });
    expect(resolver.calls.find((call) => call.method === 'component')?.arg).toEqual({
      name: 'score',
      version: '5',
      registry: 'azureml',
    });
    expect((job.properties.jobs as Record<string, unknown>).score).toMatchObject({
      componentId: 'azureml://registries/azureml/components/score/versions/5',
    });
  });
});
