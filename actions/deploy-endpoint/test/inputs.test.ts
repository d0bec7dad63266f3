import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@aml-actions/core';
import { InputReader, staticInputSource } from '@aml-actions/core/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDeployInputs, SECRET_INPUTS } from '../src/inputs';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-inputs-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a fixture into the test's own folder; returns the relative name the inputs use. */
function write(name: string, ...lines: string[]): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return name;
}

const read = (values: Record<string, string>) =>
  readDeployInputs(new InputReader(staticInputSource(values), { secretInputs: SECRET_INPUTS }), dir);

/** A valid health request, so blue-green and canary get past their check. */
function health(): Record<string, string> {
  return { 'health-request-file': write('request.json', '{"data": [[1, 2, 3]]}') };
}

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

const ONLINE_SCHEMA =
  '$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json';
const BATCH_SCHEMA = '$schema: https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json';

describe('readDeployInputs defaults', () => {
  it('deploys blue-green with rollback, keeping the previous deployment, within 30 minutes', () => {
    const inputs = read({ endpoint: 'churn', ...health() });
    expect(inputs).toMatchObject({
      action: 'deploy',
      endpointType: 'online',
      endpointName: 'churn',
      endpoint: {},
      deployment: { kind: 'Managed', properties: {} },
      strategy: 'blue-green',
      canarySteps: [],
      stepWaitInMs: 0,
      mirrorPercent: 10,
      healthRequest: { file: 'request.json', body: '{"data": [[1, 2, 3]]}\n' },
      healthRequests: 5,
      onFailure: 'rollback',
      keepPrevious: true,
      deleteRejected: true,
      timeoutInMs: 30 * 60_000,
      outputKeys: false,
    });
    expect(inputs.deploymentName).toBeUndefined();
    expect(inputs.deploymentFile).toBeUndefined();
    expect(inputs.healthMaxP95InMs).toBeUndefined();
    expect(inputs.compute).toBeUndefined();
  });

  it('uses canary steps 10, 50, 100 when strategy canary gives none', () => {
    expect(read({ endpoint: 'churn', strategy: 'canary', ...health() }).canarySteps).toEqual([10, 50, 100]);
  });

  it('reads the strategy parameters and failure handling as given', () => {
    const inputs = read({
      endpoint: 'churn',
      deployment: 'green',
      strategy: 'Canary',
      'canary-steps': '5, 25%, 60',
      'step-wait': '2m',
      'mirror-percent': '20',
      'health-requests': '12',
      'health-max-p95-ms': '250',
      'on-failure': 'rollback-and-delete',
      'keep-previous': 'false',
      'delete-rejected': 'false',
      timeout: '1h',
      'output-keys': 'true',
      ...health(),
    });
    expect(inputs).toMatchObject({
      deploymentName: 'green',
      strategy: 'canary',
      canarySteps: [5, 25, 60],
      stepWaitInMs: 120_000,
      mirrorPercent: 20,
      healthRequests: 12,
      healthMaxP95InMs: 250,
      onFailure: 'rollback-and-delete',
      keepPrevious: false,
      deleteRejected: false,
      timeoutInMs: 3_600_000,
      outputKeys: true,
    });
  });

  it('needs no health request for direct, mirror, promote and reject', () => {
    expect(read({ endpoint: 'churn', strategy: 'direct' }).healthRequest).toBeUndefined();
    expect(read({ endpoint: 'churn', strategy: 'mirror' }).strategy).toBe('mirror');
    expect(read({ endpoint: 'churn', action: 'promote', deployment: 'green' }).action).toBe('promote');
    expect(read({ endpoint: 'churn', action: 'reject', deployment: 'green' }).action).toBe('reject');
  });
});

describe('readDeployInputs errors', () => {
  it('needs an endpoint name', () => {
    const error = configurationError(() => read({ strategy: 'direct' }));
    expect(error.input).toBe('endpoint');
    expect(error.message).toContain('no endpoint is named');
  });

  it.each(['1churn', 'c', 'churn_endpoint', 'churn.endpoint', `c${'x'.repeat(32)}`])(
    'refuses the endpoint name %j',
    (name) => {
      const error = configurationError(() => read({ endpoint: name, strategy: 'direct' }));
      expect(error.input).toBe('endpoint');
      expect(error.message).toContain(`'${name}' is not a valid endpoint name`);
    },
  );

  it('refuses an endpoint input that differs from the endpoint file, pointing at its name', () => {
    const file = write('endpoint.yml', 'description: churn', 'name: churn-a', 'auth_mode: key');
    const error = configurationError(() =>
      read({ endpoint: 'churn-b', 'endpoint-file': file, strategy: 'direct' }),
    );
    expect(error).toMatchObject({ input: 'endpoint', file, line: 2, column: 7 });
    expect(error.message).toContain("the endpoint input is 'churn-b', but endpoint-file names 'churn-a'");
  });

  it('refuses a deployment input that differs from the deployment file', () => {
    const file = write('blue.yml', ONLINE_SCHEMA, 'name: blue', 'model: azureml:churn:1');
    const error = configurationError(() =>
      read({ endpoint: 'churn', deployment: 'green', 'deployment-file': file, strategy: 'direct' }),
    );
    expect(error).toMatchObject({ input: 'deployment', line: 2, column: 7 });
    expect(error.file).toContain('blue.yml');
    expect(error.message).toContain("the deployment input is 'green', but deployment-file names 'blue'");
  });

  it("refuses a deployment file whose endpoint_name is another endpoint's, at its line", () => {
    const file = write('blue.yml', ONLINE_SCHEMA, 'name: blue', 'endpoint_name: churn-old');
    const error = configurationError(() =>
      read({ endpoint: 'churn', 'deployment-file': file, strategy: 'direct' }),
    );
    expect(error).toMatchObject({ input: 'deployment-file', line: 3, column: 16 });
    expect(error.file).toContain('blue.yml');
    expect(error.message).toContain("endpoint_name is 'churn-old', but the endpoint is 'churn'");
  });

  it.each(['direct', 'blue-green', 'mirror'])('refuses canary-steps with strategy %s', (strategy) => {
    const error = configurationError(() =>
      read({ endpoint: 'churn', strategy, 'canary-steps': '10,100', ...health() }),
    );
    expect(error.input).toBe('canary-steps');
    expect(error.message).toContain(`canary-steps is given but strategy is ${strategy}`);
  });

  it.each([
    ['50,10', 'the steps must increase'],
    ['10,10,100', 'the steps must increase'],
    ['0,100', "'0' is not a percentage"],
    ['10,150', "'150' is not a percentage"],
    ['ten', "'ten' is not a percentage"],
    [', ,', 'no canary steps'],
  ])('refuses the canary steps %j', (steps, message) => {
    const error = configurationError(() =>
      read({ endpoint: 'churn', strategy: 'canary', 'canary-steps': steps, ...health() }),
    );
    expect(error.input).toBe('canary-steps');
    expect(error.message).toContain(message);
  });

  it.each(['blue-green', 'canary'])('needs a health-request-file for %s', (strategy) => {
    const error = configurationError(() => read({ endpoint: 'churn', strategy }));
    expect(error.input).toBe('health-request-file');
    expect(error.message).toContain(`strategy ${strategy} checks the new deployment`);
  });

  it('refuses a health request that is not JSON', () => {
    const file = write('request.json', '{"data": [[1, 2,]]}');
    const error = configurationError(() => read({ endpoint: 'churn', 'health-request-file': file }));
    expect(error.input).toBe('health-request-file');
    expect(error.message).toContain("'request.json' is not JSON");
  });

  it('refuses a health request file that does not exist', () => {
    const error = configurationError(() =>
      read({ endpoint: 'churn', 'health-request-file': 'missing.json' }),
    );
    expect(error.input).toBe('health-request-file');
    expect(error.message).toContain("the file 'missing.json' cannot be read");
    expect(error.fix).toContain(dir);
  });

  it.each(['endpoint-file', 'deployment-file'])('refuses a missing %s', (input) => {
    const error = configurationError(() =>
      read({ endpoint: 'churn', [input]: 'nowhere.yml', strategy: 'direct' }),
    );
    expect(error.input).toBe(input);
    expect(error.message).toContain("the file 'nowhere.yml' cannot be read");
  });

  it.each(['promote', 'reject'])('needs the deployment to %s', (action) => {
    const error = configurationError(() => read({ endpoint: 'churn', action }));
    expect(error.input).toBe('deployment');
    expect(error.message).toContain(`action ${action} needs the deployment to ${action}`);
  });

  it.each([
    ['traffic', ['traffic:', '  blue: 100']],
    ['mirror_traffic', ['mirror_traffic:', '  blue: 10']],
  ])('refuses an endpoint file with %s: for deploy, since the strategy owns traffic', (_key, lines) => {
    const file = write('endpoint.yml', 'name: churn', 'auth_mode: key', ...lines);
    const error = configurationError(() => read({ 'endpoint-file': file, strategy: 'direct' }));
    expect(error).toMatchObject({ input: 'endpoint-file', file });
    expect(error.message).toContain('endpoint.yml sets traffic, which this action manages');
  });

  it('accepts an endpoint file with traffic: for promote (nothing is deployed)', () => {
    const file = write('endpoint.yml', 'name: churn', 'traffic:', '  blue: 100');
    const inputs = read({ 'endpoint-file': file, action: 'promote', deployment: 'blue' });
    expect(inputs.endpoint.traffic).toEqual({ blue: 100 });
  });

  it('refuses key auth on a batch endpoint file, naming the file', () => {
    const file = write('endpoint.yml', 'name: churn-batch', 'auth_mode: key');
    const error = configurationError(() => read({ 'endpoint-file': file, 'endpoint-type': 'batch' }));
    expect(error).toMatchObject({ input: 'endpoint-file', file });
    expect(error.message).toContain('batch endpoints only accept Microsoft Entra tokens');
  });

  it('refuses the auth-mode input aml_token on a batch endpoint, naming the input', () => {
    const file = write('endpoint.yml', 'name: churn-batch', 'auth_mode: aad_token');
    const error = configurationError(() =>
      read({ 'endpoint-file': file, 'endpoint-type': 'batch', 'auth-mode': 'aml_token' }),
    );
    expect(error.input).toBe('auth-mode');
    expect(error.message).toContain('batch endpoints only accept Microsoft Entra tokens');
  });

  it.each([
    ['strategy', 'bluegreen', "did you mean 'blue-green'"],
    ['strategy', 'rolling', 'is not one of direct, blue-green, canary, mirror'],
    ['on-failure', 'rollback-all', 'is not one of rollback, rollback-and-delete, leave'],
    ['public-network-access', 'on', 'is not one of enabled, disabled'],
    ['action', 'deploy-now', 'is not one of deploy, promote, reject'],
    ['endpoint-type', 'realtime', 'is not one of online, batch'],
    ['auth-mode', 'token', 'is not one of key, aml_token, aad_token'],
    ['instance-count', '0', 'instance-count'],
    ['instance-count', '101', 'instance-count'],
    ['instance-count', 'two', 'expected a whole number'],
    ['mirror-percent', '51', 'mirror-percent'],
    ['timeout', '5s', 'timeout'],
    ['keep-previous', 'yes', 'expected a boolean'],
    ['tags', 'team: ml', 'key=value'],
  ])('refuses %s %j', (input, value, message) => {
    const error = configurationError(() => read({ endpoint: 'churn', strategy: 'direct', [input]: value }));
    expect(error.input).toBe(input);
    expect(error.message).toContain(message);
  });

  it('accepts instance-count at both ends of its range', () => {
    expect(
      read({ endpoint: 'churn', strategy: 'direct', 'instance-count': '1' }).deployment.instanceCount,
    ).toBe(1);
    expect(
      read({ endpoint: 'churn', strategy: 'direct', 'instance-count': '100' }).deployment.instanceCount,
    ).toBe(100);
  });
});

describe('readDeployInputs overrides', () => {
  it('lets inputs override the deployment and endpoint files', () => {
    const endpointFile = write(
      'deploy/endpoint.yml',
      'name: churn',
      'auth_mode: key',
      'public_network_access: enabled',
      'tags:',
      '  team: ml',
      '  stage: dev',
    );
    const deploymentFile = write(
      'deploy/blue.yml',
      ONLINE_SCHEMA,
      'name: blue',
      'endpoint_name: churn',
      'model: azureml:churn:1',
      'environment: azureml:sklearn:1',
      'code_configuration:',
      '  code: ../src',
      '  scoring_script: score.py',
      'instance_type: Standard_DS2_v2',
      'instance_count: 1',
    );
    const inputs = read({
      'endpoint-file': endpointFile,
      'deployment-file': deploymentFile,
      model: 'azureml:churn:2',
      'instance-type': 'Standard_F4s_v2',
      environment: 'azureml:sklearn@latest',
      code: 'scoring',
      'scoring-script': 'app/score2.py',
      'instance-count': '3',
      'auth-mode': 'aml_token',
      tags: 'stage=prod\nowner=ops',
      'public-network-access': 'disabled',
      strategy: 'direct',
    });
    expect(inputs.endpointName).toBe('churn');
    expect(inputs.deploymentName).toBe('blue');
    expect(inputs.deploymentFile).toBe(deploymentFile);
    expect(inputs.deployment).toMatchObject({
      kind: 'Managed',
      model: 'azureml:churn:2',
      instanceType: 'Standard_F4s_v2',
      environment: 'azureml:sklearn@latest',
      codePath: path.join(dir, 'scoring'),
      scoringScript: 'app/score2.py',
      instanceCount: 3,
    });
    expect(inputs.endpoint).toMatchObject({
      name: 'churn',
      authMode: 'AMLToken',
      publicNetworkAccess: 'Disabled',
      tags: { team: 'ml', stage: 'prod', owner: 'ops' },
    });
  });

  it('keeps the files’ values when no input overrides them, with code relative to the file', () => {
    const deploymentFile = write(
      'deploy/blue.yml',
      ONLINE_SCHEMA,
      'name: blue',
      'model: azureml:churn:1',
      'code_configuration:',
      '  code: ../src',
      '  scoring_script: score.py',
      'instance_type: Standard_DS2_v2',
      'instance_count: 2',
    );
    const inputs = read({ endpoint: 'churn', 'deployment-file': deploymentFile, strategy: 'direct' });
    expect(inputs.deployment).toMatchObject({
      model: 'azureml:churn:1',
      instanceType: 'Standard_DS2_v2',
      instanceCount: 2,
      scoringScript: 'score.py',
      // ../src from deploy/blue.yml, in the working directory given (not the process's).
      codePath: path.join(dir, 'src'),
    });
    expect(inputs.endpoint.tags).toBeUndefined();
  });

  it.each([
    ['key', 'Key'],
    ['aml_token', 'AMLToken'],
    ['AAD_TOKEN', 'AADToken'],
  ])('maps auth-mode %s to %s', (mode, authMode) => {
    expect(read({ endpoint: 'churn', strategy: 'direct', 'auth-mode': mode }).endpoint.authMode).toBe(
      authMode,
    );
  });

  it('sets tags without an endpoint file', () => {
    const inputs = read({ endpoint: 'churn', strategy: 'direct', tags: 'team=ml' });
    expect(inputs.endpoint.tags).toEqual({ team: 'ml' });
  });

  it.each([
    ['enabled', 'Enabled'],
    ['Disabled', 'Disabled'],
  ])('maps public-network-access %s to %s', (access, value) => {
    expect(
      read({ endpoint: 'churn', strategy: 'direct', 'public-network-access': access }).endpoint
        .publicNetworkAccess,
    ).toBe(value);
  });
});

describe('readDeployInputs batch', () => {
  it("infers a batch endpoint from the deployment file's $schema and takes its endpoint_name", () => {
    const file = write(
      'deploy/batch.yml',
      BATCH_SCHEMA,
      'name: nightly',
      'endpoint_name: churn-batch',
      'model: azureml:churn:3',
      'compute: azureml:cpu-cluster',
    );
    // Blue-green is the default strategy, but a batch deployment needs no health request.
    const inputs = read({ 'deployment-file': file });
    expect(inputs).toMatchObject({
      endpointType: 'batch',
      endpointName: 'churn-batch',
      deploymentFile: file,
      deployment: { kind: 'Managed', properties: {} },
    });
    expect(inputs.healthRequest).toBeUndefined();
  });

  it('infers a batch endpoint from a batch endpoint file', () => {
    const file = write(
      'endpoint.yml',
      '$schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json',
      'name: churn-batch',
      'auth_mode: aad_token',
    );
    const inputs = read({ 'endpoint-file': file });
    expect(inputs).toMatchObject({
      endpointType: 'batch',
      endpointName: 'churn-batch',
      endpoint: { authMode: 'AADToken' },
    });
  });

  it('refuses an endpoint input that differs from the batch file’s endpoint_name', () => {
    const file = write('batch.yml', BATCH_SCHEMA, 'name: nightly', 'endpoint_name: churn-batch');
    const error = configurationError(() => read({ endpoint: 'churn-other', 'deployment-file': file }));
    expect(error).toMatchObject({ input: 'endpoint', line: 3, column: 16 });
    expect(error.message).toContain("'churn-other'");
    expect(error.message).toContain("'churn-batch'");
  });

  it('stays online for an online deployment file', () => {
    const file = write('blue.yml', ONLINE_SCHEMA, 'name: blue', 'model: azureml:churn:1');
    expect(read({ endpoint: 'churn', 'deployment-file': file, strategy: 'direct' }).endpointType).toBe(
      'online',
    );
  });
});
