// The evaluate-gate bundle run as the runner runs it, with `champion: endpoint` against the
// emulator: the example model trained with examples/src/train.py, uploaded to the workspace blob
// store and registered twice (metrics.accuracy 0.80 and 0.95), served by a real online endpoint
// with deployments blue (v1) and green (v2); the champion is the model of the deployment taking
// the most traffic, and an endpoint that does not exist or takes no traffic is "no champion yet".

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_VERSIONS,
  assetArmId,
  CodeAssets,
  DatastoreBlobs,
  onlineDeploymentArmId,
  onlineEndpointArmId,
  type UploadFileEntry,
} from '../../packages/core/src/index';
import { type EmulatorConnection, oidcConnection } from '../support/connection';
import { combinedCaBundle, type EmulatorProcess, startEmulatorProcess } from '../support/emulator';
import { type ActionRunResult, stepLog as logOf, runAction, type StepResult } from '../support/runner';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GATE_DIR = path.join(REPO, 'actions/evaluate-gate');
const EXAMPLES = path.join(REPO, 'examples');
const MODEL = 'failures';
const ENDPOINT = 'failures-prod';
const MODEL_PREFIX = 'models/failures/model';

let emulator: EmulatorProcess;
let connection: EmulatorConnection;
let project: string;
let caBundle: string;
const modelIds: Record<'1' | '2', string> = { '1': '', '2': '' };
let codeId = '';

const json = <T>(text: string | undefined): T => JSON.parse(text ?? 'null') as T;
const annotationsOf = (result: StepResult, level: 'error' | 'warning') =>
  result.annotations
    .filter((a) => a.level === level)
    .map((a) => a.message)
    .join('\n');

interface Report {
  result: string;
  champion: { found: boolean; description: string; metrics: Record<string, number> };
  checks: { metric: string; candidate: number | null; champion: number | null; outcome: string }[];
}

function gate(inputs: Record<string, string>): Promise<ActionRunResult> {
  return runAction({
    actionDir: GATE_DIR,
    cwd: project,
    inputs: { ...emulator.info.inputs, ...inputs },
    env: { NODE_EXTRA_CA_CERTS: caBundle },
    oidc: emulator.info.oidc,
    github: { repository: 'contoso/failures-model' },
    timeoutMs: 60_000,
  });
}

function filesUnder(dir: string, prefix = ''): UploadFileEntry[] {
  return readdirSync(dir).flatMap((name): UploadFileEntry[] => {
    const full = path.join(dir, name);
    const stats = statSync(full);
    return stats.isDirectory()
      ? filesUnder(full, `${prefix}${name}/`)
      : [{ relativePath: `${prefix}${name}`, absolutePath: full, size: stats.size }];
  });
}

/** PUT of an online endpoint or deployment: 201 with Azure-AsyncOperation, polled to the end. */
async function putAndWait(armPath: string, body: Record<string, unknown>): Promise<void> {
  const initial = await connection.clients.rest.request({
    method: 'PUT',
    path: armPath,
    apiVersion: API_VERSIONS.endpoints,
    body: { location: emulator.info.location, ...body },
  });
  expect(initial.status).toBe(201);
  expect(initial.headers['azure-asyncoperation']).toBeTruthy();
  await connection.clients.rest.waitForOperation(initial, { pollIntervalInMs: 200, timeoutInMs: 120_000 });
}

const putEndpoint = (name: string, traffic: Record<string, number>) =>
  putAndWait(onlineEndpointArmId(connection.workspace, name), { properties: { authMode: 'Key', traffic } });

const putDeployment = (endpoint: string, name: string, modelId: string) =>
  putAndWait(onlineDeploymentArmId(connection.workspace, endpoint, name), {
    properties: {
      endpointComputeType: 'Managed',
      codeConfiguration: { codeId, scoringScript: 'score.py' },
      model: modelId,
      instanceType: 'Standard_DS3_v2',
    },
    sku: { name: 'Default', capacity: 1 },
  });

async function trafficOf(endpoint: string): Promise<Record<string, number>> {
  const response = await connection.clients.rest.request<{
    properties: { traffic?: Record<string, number> };
  }>({
    method: 'GET',
    path: onlineEndpointArmId(connection.workspace, endpoint),
    apiVersion: API_VERSIONS.endpoints,
  });
  return response.body.properties.traffic ?? {};
}

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'evaluate-gate-endpoint-'));
  const modelDir = path.join(project, 'model');
  execFileSync('python3', [
    path.join(EXAMPLES, 'src/train.py'),
    '--data',
    path.join(EXAMPLES, 'data/machine_failures.csv'),
    '--model_dir',
    modelDir,
    '--epochs',
    '50',
  ]);
  emulator = await startEmulatorProcess();
  connection = oidcConnection(emulator.info);
  caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(emulator.info.caCertPath));

  // The model files in the workspace blob store, registered as two versions with their metrics.
  const blobs = new DatastoreBlobs(connection.datastores, { workspace: connection.workspace });
  const uploaded = await blobs.uploadFiles('workspaceblobstore', MODEL_PREFIX, filesUnder(modelDir));
  expect(uploaded.uploadedFiles).toBeGreaterThan(0);
  for (const [version, accuracy] of [
    ['1', '0.80'],
    ['2', '0.95'],
  ] as const) {
    const response = await connection.clients.rest.request<{ id: string }>({
      method: 'PUT',
      path: assetArmId(connection.workspace, 'models', MODEL, version),
      apiVersion: API_VERSIONS.models,
      body: {
        properties: {
          modelUri: `azureml://datastores/workspaceblobstore/paths/${MODEL_PREFIX}/`,
          modelType: 'custom_model',
          properties: { 'metrics.accuracy': accuracy },
        },
      },
    });
    modelIds[version] = response.body.id;
  }

  // The scoring code (score.py + logreg.py) as a code version, the way deploy-endpoint creates it.
  const src = path.join(project, 'score-src');
  mkdirSync(src);
  for (const file of ['score.py', 'logreg.py'])
    copyFileSync(path.join(EXAMPLES, 'src', file), path.join(src, file));
  const code = new CodeAssets(connection.clients.rest, connection.workspace, blobs);
  codeId = (await code.upload(await code.prepare(src))).armId;

  await putEndpoint(ENDPOINT, {});
  // One operation at a time on an endpoint (ARM answers 409 otherwise): blue, then green.
  await putDeployment(ENDPOINT, 'blue', modelIds['1']);
  await putDeployment(ENDPOINT, 'green', modelIds['2']);
  await putEndpoint(ENDPOINT, { blue: 90, green: 10 });
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('evaluate-gate with champion: endpoint', () => {
  const inputs = {
    metrics: '{"accuracy": 0.85}',
    rules: 'accuracy >= champion',
    'champion-endpoint': ENDPOINT,
  };

  it('compares with the model of the deployment taking the most traffic, and follows a traffic switch', async () => {
    await putEndpoint(ENDPOINT, { blue: 90, green: 10 });
    expect(await trafficOf(ENDPOINT)).toEqual({ blue: 90, green: 10 });
    const onBlue = await gate({ ...inputs, champion: 'endpoint' });
    expect(onBlue.conclusion, logOf(onBlue)).toBe('success');
    expect(onBlue.outputs.result).toBe('pass');
    expect(json(onBlue.outputs['champion-metrics'])).toEqual({ accuracy: 0.8 });
    const blueReport = json<Report>(onBlue.outputs.report);
    expect(blueReport.champion).toMatchObject({ found: true, metrics: { accuracy: 0.8 } });
    expect(blueReport.champion.description).toBe(`deployment blue (90% of ${ENDPOINT}) → model ${MODEL}:1`);
    expect(blueReport.checks).toMatchObject([
      { metric: 'accuracy', candidate: 0.85, champion: 0.8, outcome: 'pass' },
    ]);
    expect(onBlue.summary).toContain(`Champion: deployment blue (90% of ${ENDPOINT}) → model ${MODEL}:1`);

    await putEndpoint(ENDPOINT, { blue: 0, green: 100 });
    const onGreen = await gate(inputs);
    expect(onGreen.conclusion).toBe('failure');
    expect(onGreen.outputs.result).toBe('fail');
    expect(onGreen.outputs.passed).toBe('false');
    expect(json(onGreen.outputs['champion-metrics'])).toEqual({ accuracy: 0.95 });
    const greenReport = json<Report>(onGreen.outputs.report);
    expect(greenReport.champion.description).toBe(
      `deployment green (100% of ${ENDPOINT}) → model ${MODEL}:2`,
    );
    expect(onGreen.summary).toContain(`Champion: deployment green (100% of ${ENDPOINT}) → model ${MODEL}:2`);
    expect(onGreen.summary).toContain('❌ fail');
    expect(annotationsOf(onGreen, 'error')).toMatch(/accuracy 0\.85 < 0\.95 .*champion 0\.95/);
    expect(logOf(onGreen)).toContain(`Champion: deployment green (100% of ${ENDPOINT}) → model ${MODEL}:2.`);
  }, 180_000);

  it('has no champion when the endpoint does not exist yet, and follows on-missing-champion', async () => {
    const missing = { ...inputs, 'champion-endpoint': 'no-such-endpoint' };
    const warned = await gate(missing);
    expect(warned.conclusion, logOf(warned)).toBe('success');
    expect(warned.outputs.result).toBe('warn');
    expect(json(warned.outputs['champion-metrics'])).toEqual({});
    expect(json<Report>(warned.outputs.report).champion).toEqual({
      found: false,
      description: "online endpoint 'no-such-endpoint' does not exist yet",
      metrics: {},
    });
    expect(warned.summary).toContain(
      "Champion: none — online endpoint 'no-such-endpoint' does not exist yet",
    );
    expect(annotationsOf(warned, 'warning')).toMatch(/no champion yet.*on missing champion: warn/);

    const failed = await gate({ ...missing, 'on-missing-champion': 'fail' });
    expect(failed.conclusion).toBe('failure');
    expect(failed.outputs.result).toBe('fail');
    const passed = await gate({ ...missing, 'on-missing-champion': 'pass' });
    expect(passed.conclusion, logOf(passed)).toBe('success');
    expect(passed.outputs.result).toBe('pass');
  }, 180_000);

  it('has no champion when the endpoint sends no traffic to any deployment', async () => {
    // An endpoint created without deployments, and the main one with every deployment at 0 %.
    await putEndpoint('failures-idle', {});
    const fresh = await gate({ ...inputs, 'champion-endpoint': 'failures-idle' });
    expect(fresh.conclusion, logOf(fresh)).toBe('success');
    expect(fresh.outputs.result).toBe('warn');
    expect(json<Report>(fresh.outputs.report).champion).toEqual({
      found: false,
      description: "online endpoint 'failures-idle' sends no traffic to any deployment",
      metrics: {},
    });

    await putEndpoint(ENDPOINT, { blue: 0, green: 0 });
    expect(await trafficOf(ENDPOINT)).toEqual({ blue: 0, green: 0 });
    const idle = await gate({ ...inputs, 'on-missing-champion': 'fail' });
    expect(idle.conclusion).toBe('failure');
    expect(idle.outputs.result).toBe('fail');
    expect(json(idle.outputs['champion-metrics'])).toEqual({});
    expect(idle.summary).toContain(
      `Champion: none — online endpoint '${ENDPOINT}' sends no traffic to any deployment`,
    );
    expect(annotationsOf(idle, 'error')).toMatch(/no champion yet.*on missing champion: fail/);
  }, 180_000);
});
