// The deploy-endpoint bundle run as the runner runs it, against the emulator: the example model
// (trained here, registered with the register-model bundle) served by the example scoring script
// on real local inference servers; every strategy, a broken script and a failing health gate
// rolled back with the previous deployment still answering, idempotent re-runs, promote/reject
// as separate steps, a batch deployment, and bad inputs refused before anything changes.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchEndpoints,
  invokeEndpoint,
  normalizeTraffic,
  type OnlineEndpoint,
  OnlineEndpoints,
} from '../../packages/core/src/index';
import { type EmulatorConnection, oidcConnection } from '../support/connection';
import { combinedCaBundle, type EmulatorProcess, startEmulatorProcess } from '../support/emulator';
import { registerExampleEnvironment } from '../support/examples';
import {
  type ActionRunResult,
  errorMessages as errors,
  findSecretLeaks,
  stepLog as logOf,
  type RunActionOptions,
  runAction,
} from '../support/runner';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY_DIR = path.join(REPO, 'actions/deploy-endpoint');
const REGISTER_DIR = path.join(REPO, 'actions/register-model');
const MODEL = 'machine-failure-model';
const REQUEST = readFileSync(path.join(REPO, 'examples/endpoints/sample-request.json'), 'utf8');

let emulator: EmulatorProcess;
let connection: EmulatorConnection;
let endpoints: OnlineEndpoints;
let project: string;
let caBundle: string;
let caCertificates: string;

const json = <T>(text: string | undefined): T => JSON.parse(text ?? 'null') as T;

/** The example deployment from inputs: model version, stdlib environment, examples/src as code. */
function exampleDeployment(version: number, code = 'src'): Record<string, string> {
  return {
    model: `azureml:${MODEL}:${version}`,
    environment: 'azureml:python-stdlib:1',
    code,
    'scoring-script': 'score.py',
    'instance-type': 'Standard_DS3_v2',
  };
}

function deploy(
  inputs: Record<string, string>,
  options: Partial<RunActionOptions> = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir: DEPLOY_DIR,
    cwd: project,
    inputs: { ...emulator.info.inputs, 'health-request-file': 'endpoints/sample-request.json', ...inputs },
    env: { NODE_EXTRA_CA_CERTS: caBundle },
    oidc: emulator.info.oidc,
    github: { repository: 'contoso/machine-failures', runId: '7001' },
    timeoutMs: 150_000,
    ...options,
  });
}

async function endpoint(name: string): Promise<OnlineEndpoint> {
  const found = await endpoints.get(name);
  if (!found) throw new Error(`endpoint ${name} does not exist`);
  return found;
}

const trafficOf = async (name: string) => normalizeTraffic((await endpoint(name)).properties.traffic);
const mirrorOf = async (name: string) => normalizeTraffic((await endpoint(name)).properties.mirrorTraffic);
const deploymentNames = async (name: string) =>
  (await endpoints.listDeployments(name)).map((d) => d.name).sort();

/** Scores through the endpoint's scoring URI with its key; `deployment` pins the request. */
async function score(name: string, deployment?: string) {
  const found = await endpoint(name);
  const keys = await endpoints.listKeys(name);
  return invokeEndpoint(
    {
      scoringUri: String(found.properties.scoringUri),
      credential: keys.primaryKey,
      ...(deployment ? { deployment } : {}),
      ca: caCertificates,
    },
    { body: REQUEST, timeoutInMs: 30_000 },
  );
}

function expectSuccess(result: ActionRunResult): void {
  expect(result.conclusion, `${logOf(result)}\n${errors(result)}`).toBe('success');
}

/** Trains the example model into `folder` with the standard library only. */
function train(folder: string, epochs: number): void {
  execFileSync('python3', [
    path.join(project, 'src/train.py'),
    '--data',
    path.join(project, 'data/machine_failures.csv'),
    '--model_dir',
    path.join(project, folder),
    '--epochs',
    String(epochs),
  ]);
}

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deploy-endpoint-'));
  emulator = await startEmulatorProcess();
  connection = oidcConnection(emulator.info);
  caCertificates = readFileSync(emulator.info.caCertPath, 'utf8');
  endpoints = new OnlineEndpoints(connection.clients.rest, connection.workspace, () => {});
  cpSync(path.join(REPO, 'examples'), project, { recursive: true });
  caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(emulator.info.caCertPath));
  await registerExampleEnvironment(connection);
  train('trained/v1', 40);
  train('trained/v2', 80);
  for (const folder of ['trained/v1', 'trained/v2']) {
    const registered = await runAction({
      actionDir: REGISTER_DIR,
      cwd: project,
      inputs: { ...emulator.info.inputs, path: folder, name: MODEL },
      env: { NODE_EXTRA_CA_CERTS: caBundle },
      oidc: emulator.info.oidc,
      timeoutMs: 90_000,
    });
    if (registered.conclusion !== 'success') throw new Error(`registration failed:\n${logOf(registered)}`);
  }
  // A scoring folder whose init() fails (a missing import) and one whose run() always raises.
  const broken = path.join(project, 'broken-src');
  mkdirSync(broken);
  writeFileSync(
    path.join(broken, 'score.py'),
    'import sklearn_that_is_not_installed\n\ndef init():\n    pass\n\ndef run(raw_data):\n    return {}\n',
  );
  const failing = path.join(project, 'failing-src');
  mkdirSync(failing);
  writeFileSync(
    path.join(failing, 'score.py'),
    'def init():\n    pass\n\ndef run(raw_data):\n    raise RuntimeError("the model is not loaded")\n',
  );
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('deploy-endpoint strategies', () => {
  it('direct: creates the endpoint and deployment, gives it all traffic, and a re-run changes nothing', async () => {
    const inputs = { endpoint: 'failures-direct', strategy: 'direct', ...exampleDeployment(1) };
    const first = await deploy(inputs);
    expectSuccess(first);
    expect(first.outputs).toMatchObject({
      'endpoint-name': 'failures-direct',
      'deployment-name': 'blue',
      'previous-traffic': '{}',
      traffic: '{"blue":100}',
      'rolled-back': 'false',
    });
    expect(first.outputs['scoring-uri']).toBe(`${emulator.info.armEndpoint}/inference/failures-direct/score`);
    expect(first.outputs['swagger-uri']).toMatch(/swagger\.json$/);
    expect(await trafficOf('failures-direct')).toEqual({ blue: 100 });
    const answer = await score('failures-direct');
    expect(answer.ok, answer.text).toBe(true);
    expect(answer.servedBy).toBe('blue');
    expect(answer.json).toMatchObject({ predictions: [expect.any(Number), expect.any(Number)] });
    expect(first.summary).toContain('live at 100%');
    expect(first.summary).toContain('Timeline');

    const [before] = (await endpoints.listDeployments('failures-direct')) as {
      systemData?: { lastModifiedAt?: string };
    }[];
    const again = await deploy(inputs);
    expectSuccess(again);
    expect(again.outputs['deployment-name']).toBe('blue');
    expect(again.outputs.traffic).toBe('{"blue":100}');
    expect(again.summary).toContain('nothing changed');
    expect(logOf(again)).toMatch(/already up to date/);
    const [after] = (await endpoints.listDeployments('failures-direct')) as {
      systemData?: { lastModifiedAt?: string };
    }[];
    expect(after?.systemData?.lastModifiedAt).toBe(before?.systemData?.lastModifiedAt);
    expect(await deploymentNames('failures-direct')).toEqual(['blue']);
    expect(findSecretLeaks(first, connection.secrets)).toEqual([]);
  });

  it('blue-green: the new model comes up at 0%, passes its gate, then takes 100%; the old one is kept or deleted', async () => {
    const name = 'failures-bg';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const second = await deploy({ endpoint: name, strategy: 'blue-green', ...exampleDeployment(2) });
    expectSuccess(second);
    expect(second.outputs['deployment-name']).toBe('green');
    expect(json(second.outputs['previous-traffic'])).toEqual({ blue: 100 });
    expect(json(second.outputs.traffic)).toEqual({ green: 100 });
    const log = logOf(second);
    // The gate ran before the traffic moved.
    expect(log.indexOf('Health gate on green passed')).toBeGreaterThan(-1);
    expect(log.indexOf('Health gate on green passed')).toBeLessThan(log.indexOf('Traffic → green 100%'));
    expect(await deploymentNames(name)).toEqual(['blue', 'green']);
    expect((await score(name)).servedBy).toBe('green');
    expect(second.summary).toMatch(/\| blue \| 100% \| 0% \|/);
    expect(second.summary).toMatch(/\| green \| 0% \| 100% \|/);

    // Back to v1 without keeping the previous: blue is reused for v1 (it holds that spec) and green goes.
    const third = await deploy({
      endpoint: name,
      strategy: 'blue-green',
      'keep-previous': 'false',
      ...exampleDeployment(1),
    });
    expectSuccess(third);
    expect(third.outputs['deployment-name']).toBe('blue');
    expect(json(third.outputs.traffic)).toEqual({ blue: 100 });
    expect(await deploymentNames(name)).toEqual(['blue']);
  });

  it('canary: moves traffic in steps with a health gate before each', async () => {
    const name = 'failures-canary';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const canary = await deploy({
      endpoint: name,
      strategy: 'canary',
      'canary-steps': '20,60,100',
      'step-wait': '1s',
      ...exampleDeployment(2),
    });
    expectSuccess(canary);
    const log = logOf(canary);
    const steps = [
      'Traffic → blue 80%, green 20%',
      'Traffic → blue 40%, green 60%',
      'Traffic → green 100%',
    ].map((line) => log.indexOf(line));
    expect(
      steps.every((at) => at > -1),
      log,
    ).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(log.match(/Health gate on green passed/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(json(canary.outputs.traffic)).toEqual({ green: 100 });
    expect(canary.summary).toContain('20 → 60 → 100');
  });

  it('mirror: shadows a share of live traffic to the new deployment, responses still from the old one', async () => {
    const name = 'failures-mirror';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const mirrored = await deploy({
      endpoint: name,
      strategy: 'mirror',
      'mirror-percent': '20',
      ...exampleDeployment(2),
    });
    expectSuccess(mirrored);
    expect(json(mirrored.outputs.traffic)).toEqual({ blue: 100 });
    expect(json(mirrored.outputs['mirror-traffic'])).toEqual({ green: 20 });
    expect(await mirrorOf(name)).toEqual({ green: 20 });
    for (let i = 0; i < 5; i++) expect((await score(name)).servedBy).toBe('blue');
    expect(mirrored.summary).toContain('mirroring 20%');
  });
});

describe('deploy-endpoint automatic rollback', () => {
  it('rolls back a deployment whose scoring script cannot import, with the previous one still serving 100%', async () => {
    const name = 'failures-broken';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const broken = await deploy({
      endpoint: name,
      strategy: 'blue-green',
      ...exampleDeployment(2, 'broken-src'),
    });
    expect(broken.conclusion).toBe('failure');
    expect(errors(broken)).toMatch(/deployment green failed to provision/);
    expect(broken.outputs['rolled-back']).toBe('true');
    expect(json(broken.outputs.traffic)).toEqual({ blue: 100 });
    expect(await trafficOf(name)).toEqual({ blue: 100 });
    // The container log tail names the real cause, in the log and in the summary.
    expect(logOf(broken)).toMatch(/sklearn_that_is_not_installed/);
    expect(broken.summary).toMatch(/Container logs of green/);
    expect(broken.summary).toMatch(/ModuleNotFoundError|sklearn_that_is_not_installed/);
    expect(broken.summary).toContain('failed, rolled back');
    const answer = await score(name);
    expect(answer.ok, answer.text).toBe(true);
    expect(answer.servedBy).toBe('blue');
    // on-failure: rollback keeps the failed deployment for inspection.
    expect(await deploymentNames(name)).toEqual(['blue', 'green']);
  });

  it('rolls back and deletes a deployment that provisions but fails its health gate, mid-canary', async () => {
    const name = 'failures-gate';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const failing = await deploy({
      endpoint: name,
      strategy: 'canary',
      'canary-steps': '50,100',
      'on-failure': 'rollback-and-delete',
      ...exampleDeployment(2, 'failing-src'),
    });
    expect(failing.conclusion).toBe('failure');
    expect(errors(failing)).toMatch(/health gate of deployment green failed/);
    expect(failing.outputs['rolled-back']).toBe('true');
    expect(json(failing.outputs['previous-traffic'])).toEqual({ blue: 100 });
    expect(await trafficOf(name)).toEqual({ blue: 100 });
    expect(await deploymentNames(name)).toEqual(['blue']);
    expect(failing.summary).toMatch(/❌/);
    expect((await score(name)).servedBy).toBe('blue');
  });
  it('rolls back when the step timeout runs out mid-canary', async () => {
    const name = 'failures-timeout';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const slow = await deploy({
      endpoint: name,
      strategy: 'canary',
      'canary-steps': '30,100',
      'step-wait': '10m',
      timeout: '25s',
      ...exampleDeployment(2),
    });
    expect(slow.conclusion).toBe('failure');
    expect(errors(slow), logOf(slow)).toMatch(/timeout ran out/);
    expect(logOf(slow)).toMatch(/Traffic → blue 70%, green 30%/);
    expect(slow.outputs['rolled-back']).toBe('true');
    expect(await trafficOf(name)).toEqual({ blue: 100 });
    expect((await score(name)).servedBy).toBe('blue');
  });
  it('rolls back when the workflow is cancelled mid-canary', async () => {
    const name = 'failures-cancel';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const cancelled = await deploy(
      {
        endpoint: name,
        strategy: 'canary',
        'canary-steps': '50,100',
        'step-wait': '10m',
        ...exampleDeployment(2),
      },
      { signal: { after: (step) => step.waitForOutput(/Waiting 600 s/), kind: 'SIGINT' } },
    );
    expect(cancelled.conclusion).not.toBe('success');
    expect(logOf(cancelled)).toMatch(/Rolling back: traffic → blue 100%/);
    expect(cancelled.outputs['rolled-back']).toBe('true');
    expect(await trafficOf(name)).toEqual({ blue: 100 });
    expect((await score(name)).servedBy).toBe('blue');
  });
});

describe('deploy-endpoint promote and reject as separate steps', () => {
  it('deploys a 10% canary, then promotes it in a later step', async () => {
    const name = 'failures-promote';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    const canary = await deploy({
      endpoint: name,
      strategy: 'canary',
      'canary-steps': '10',
      ...exampleDeployment(2),
    });
    expectSuccess(canary);
    expect(json(canary.outputs.traffic)).toEqual({ blue: 90, green: 10 });
    const promoted = await deploy({
      action: 'promote',
      endpoint: name,
      deployment: canary.outputs['deployment-name'] ?? '',
      'keep-previous': 'false',
    });
    expectSuccess(promoted);
    expect(json(promoted.outputs['previous-traffic'])).toEqual({ blue: 90, green: 10 });
    expect(json(promoted.outputs.traffic)).toEqual({ green: 100 });
    expect(await deploymentNames(name)).toEqual(['green']);
    expect(promoted.summary).toContain('promoted');
    const again = await deploy({ action: 'promote', endpoint: name, deployment: 'green' });
    expectSuccess(again);
    expect(again.summary).toContain('nothing changed');
  });

  it('mirrors a candidate, then rejects it: traffic and mirror back to the rest, the candidate deleted', async () => {
    const name = 'failures-reject';
    expectSuccess(await deploy({ endpoint: name, strategy: 'direct', ...exampleDeployment(1) }));
    expectSuccess(await deploy({ endpoint: name, strategy: 'mirror', ...exampleDeployment(2) }));
    expect(await mirrorOf(name)).toEqual({ green: 10 });
    const rejected = await deploy({ action: 'reject', endpoint: name, deployment: 'green' });
    expectSuccess(rejected);
    expect(await trafficOf(name)).toEqual({ blue: 100 });
    expect(await mirrorOf(name)).toEqual({});
    expect(await deploymentNames(name)).toEqual(['blue']);
    const lonely = await deploy({ action: 'reject', endpoint: name, deployment: 'blue' });
    expect(lonely.conclusion).toBe('failure');
    expect(errors(lonely)).toMatch(/only one serving/);
    expect(await trafficOf(name)).toEqual({ blue: 100 });
  });
});

describe('deploy-endpoint from the example YAML files', () => {
  it('deploys the example endpoint and deployment files and outputs the keys masked on request', async () => {
    const result = await deploy({
      'endpoint-file': 'endpoints/online-endpoint.yml',
      'deployment-file': 'endpoints/online-deployment.yml',
      strategy: 'blue-green',
      'output-keys': 'true',
    });
    expectSuccess(result);
    expect(result.outputs['endpoint-name']).toBe('machine-failures');
    const found = await endpoint('machine-failures');
    expect(found.properties.authMode).toBe('Key');
    expect(found.tags).toMatchObject({ team: 'reliability' });
    const [deployment] = await endpoints.listDeployments('machine-failures');
    expect(String(deployment?.properties.model)).toMatch(new RegExp(`/models/${MODEL}/versions/2$`, 'i'));
    expect(deployment?.properties.environmentVariables).toMatchObject({ LOG_LEVEL: 'info' });
    const keys = await endpoints.listKeys('machine-failures');
    expect(result.outputs['primary-key']).toBe(keys.primaryKey);
    // The keys are masked: they appear nowhere in the log or the summary.
    const leaks = findSecretLeaks(result, [keys.primaryKey, keys.secondaryKey]);
    expect(leaks.map((leak) => leak.where).sort()).toEqual(['outputs.primary-key', 'outputs.secondary-key']);
    expect(result.masks).toEqual(expect.arrayContaining([keys.primaryKey, keys.secondaryKey]));
  });
});

describe('deploy-endpoint batch', () => {
  it('creates a batch endpoint and model deployment from the example file, sets it as default, and is idempotent', async () => {
    const inputs = {
      'endpoint-file': 'endpoints/batch-endpoint.yml',
      'deployment-file': 'endpoints/batch-deployment.yml',
    };
    const first = await deploy(inputs);
    expectSuccess(first);
    expect(first.outputs['endpoint-name']).toBe('machine-failures-batch');
    expect(first.outputs['deployment-name']).toBe('nightly');
    const batch = new BatchEndpoints(connection.clients.rest, connection.workspace);
    const created = await batch.get('machine-failures-batch');
    expect(created?.properties.defaults?.deploymentName).toBe('nightly');
    const deployment = await batch.getDeployment('machine-failures-batch', 'nightly');
    expect(deployment?.properties).toMatchObject({
      miniBatchSize: 10,
      maxConcurrencyPerInstance: 2,
      outputAction: 'AppendRow',
      errorThreshold: -1,
      retrySettings: { maxRetries: 3 },
      resources: { instanceCount: 2 },
    });
    expect(first.summary).toMatch(/endpoint created/);
    const again = await deploy(inputs);
    expectSuccess(again);
    expect(logOf(again)).not.toMatch(/Updating batch deployment/);
    expect(again.summary).toContain('nothing changed');
  });
});

describe('deploy-endpoint bad inputs change nothing', () => {
  it('refuses a traffic: key in the deployment file with its file and line', async () => {
    writeFileSync(
      path.join(project, 'endpoints/with-traffic.yml'),
      'name: blue\nendpoint_name: failures-bad\nmodel: azureml:machine-failure-model:1\ntraffic:\n  blue: 100\n',
    );
    const result = await deploy({
      endpoint: 'failures-bad',
      'deployment-file': 'endpoints/with-traffic.yml',
    });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/traffic/);
    expect(result.annotations.find((a) => a.level === 'error')).toMatchObject({
      file: expect.stringContaining('with-traffic.yml'),
      line: 4,
    });
    expect(await endpoints.get('failures-bad')).toBeUndefined();
  });

  it('refuses a mismatched endpoint_name and an unknown model before creating anything', async () => {
    const mismatch = await deploy({
      endpoint: 'failures-other',
      'deployment-file': 'endpoints/online-deployment.yml',
    });
    expect(mismatch.conclusion).toBe('failure');
    expect(errors(mismatch)).toMatch(
      /endpoint_name is 'machine-failures', but the endpoint is 'failures-other'/,
    );
    const unknown = await deploy({
      endpoint: 'failures-unknown',
      strategy: 'direct',
      ...exampleDeployment(1),
      model: 'azureml:no-such-model:1',
    });
    expect(unknown.conclusion).toBe('failure');
    expect(errors(unknown)).toMatch(/no-such-model/);
    expect(await endpoints.get('failures-other')).toBeUndefined();
    expect(await endpoints.get('failures-unknown')).toBeUndefined();
  });

  it('needs a health request for blue-green and a deployment for promote', async () => {
    const noRequest = await deploy({
      endpoint: 'failures-x',
      strategy: 'blue-green',
      'health-request-file': '',
      ...exampleDeployment(1),
    });
    expect(noRequest.conclusion).toBe('failure');
    expect(errors(noRequest)).toMatch(/health-request-file/);
    const noDeployment = await deploy({ action: 'promote', endpoint: 'failures-x' });
    expect(noDeployment.conclusion).toBe('failure');
    expect(errors(noDeployment)).toMatch(/needs the deployment/);
    expect(await endpoints.get('failures-x')).toBeUndefined();
  });
});
