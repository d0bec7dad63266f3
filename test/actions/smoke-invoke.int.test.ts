// The smoke-invoke bundle run as the runner runs it: against a plain local HTTPS scoring server
// (every expectation kind passing and failing, double-encoded and error-payload bodies, warm-up
// retries, latency and error-rate thresholds, key auth never leaking), and against emulator
// deployments made by the deploy-endpoint bundle (blue and green side by side, rollback).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTraffic, OnlineEndpoints } from '../../packages/core/src/index';
import { generateTlsMaterial } from '../../packages/emulator/src/tls/certificates';
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
const SMOKE_DIR = path.join(REPO, 'actions/smoke-invoke');
const DEPLOY_DIR = path.join(REPO, 'actions/deploy-endpoint');
const REGISTER_DIR = path.join(REPO, 'actions/register-model');
const KEY = 'local-scoring-key-7f3a9c2e5b1d';
const PREDICTION = { predictions: [1, 0], probabilities: [0.91, 0.12], model: 'v3' };

let server: Server;
let base: string;
let project: string;
let caBundle: string;
const hits = new Map<string, number>();

const json = <T>(text: string | undefined): T => JSON.parse(text ?? 'null') as T;

interface Report {
  passed: boolean;
  cases: {
    name: string;
    target: string;
    status: number | null;
    servedBy: string | null;
    passed: boolean;
    problems: string[];
  }[];
  targets: {
    target: string;
    warmUp: { ready: boolean; attempts: number };
    requests: number;
    errors: number;
    errorRate: number;
    p95Ms: number;
  }[];
}

/** The local scoring server: the path picks a behaviour, every request is counted per path. */
function answer(
  route: string,
  count: number,
  deployment: string,
): { status: number; body: string; delay?: number } {
  const ok = JSON.stringify(PREDICTION);
  switch (route) {
    case 'ok':
      return { status: 200, body: ok };
    case 'double':
      // What `az ml online-endpoint invoke` prints for a script that returns json.dumps(...).
      return { status: 200, body: JSON.stringify(ok) };
    case 'error-payload':
      return { status: 200, body: JSON.stringify({ error: 'model is not loaded' }) };
    case 'warm':
      return count <= 3 ? { status: 503, body: 'upstream not ready' } : { status: 200, body: ok };
    case 'never':
      return { status: 503, body: 'no healthy upstream' };
    case 'slow':
      return { status: 200, body: ok, delay: 250 };
    case 'flaky':
      return count % 3 === 0
        ? { status: 500, body: '{"message": "An unexpected error occurred"}' }
        : { status: 200, body: ok };
    case 'echo-deployment':
      return { status: 200, body: JSON.stringify({ ...PREDICTION, deployment }) };
    default:
      return { status: 404, body: 'no such route' };
  }
}

function smoke(
  inputs: Record<string, string>,
  options: Partial<RunActionOptions> = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir: SMOKE_DIR,
    cwd: project,
    inputs,
    env: { NODE_EXTRA_CA_CERTS: caBundle },
    timeoutMs: 90_000,
    ...options,
  });
}

const local = (route: string, inputs: Record<string, string> = {}) =>
  smoke({ 'scoring-uri': `${base}/${route}/score`, key: KEY, ...inputs });

function writeCases(name: string, text: string): string {
  const file = path.join('cases', name);
  mkdirSync(path.join(project, 'cases'), { recursive: true });
  writeFileSync(path.join(project, file), text);
  return file;
}

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'smoke-invoke-'));
  const tls = await generateTlsMaterial();
  server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
    const route = (req.url ?? '').split('/')[1] ?? '';
    const count = (hits.get(route) ?? 0) + 1;
    hits.set(route, count);
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message": "Invalid key"}');
        return;
      }
      const deployment = String(req.headers['azureml-model-deployment'] ?? 'blue');
      const { status, body, delay } = answer(route, count, deployment);
      setTimeout(() => {
        res
          .writeHead(status, { 'content-type': 'application/json', 'azureml-model-deployment': deployment })
          .end(body);
      }, delay ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, `${combinedCaBundle(writeTemp('ca.pem', tls.caCertPem))}`);
});

function writeTemp(name: string, text: string): string {
  const file = path.join(project, name);
  writeFileSync(file, text);
  return file;
}

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('smoke-invoke against a local HTTPS scoring server', () => {
  it('passes cases of every expectation kind, with latency and a chart, and never shows the key', async () => {
    writeFileSync(
      path.join(project, 'response.schema.json'),
      JSON.stringify({
        type: 'object',
        required: ['predictions', 'probabilities'],
        properties: {
          predictions: { type: 'array', items: { enum: [0, 1] } },
          probabilities: { type: 'array', items: { type: 'number', minimum: 0, maximum: 1 } },
        },
      }),
    );
    const cases = writeCases(
      'passing.yml',
      [
        'cases:',
        '  - name: values',
        '    request: {"data": [[61.3, 2.39, 5.96, 1184.46], [95.1, 7.8, 8.9, 3400.0]]}',
        '    expect:',
        '      status: 200',
        '      content-type: application/json',
        '      json:',
        '        $.predictions: [1, 0]',
        '        $.probabilities[0]: {approx: 0.9, tolerance: 0.02}',
        '        $.probabilities[-1]: {approx: 0.12}',
        '        model: {regex: "^v\\\\d+$"}',
        '        $.predictions[1]: {one-of: [0, 1]}',
        '  - name: schema',
        '    request: {"data": [[1, 2, 3, 4]]}',
        '    expect:',
        '      schema-file: ../response.schema.json',
        '  - name: inline schema',
        '    request: {"data": [[1, 2, 3, 4]]}',
        '    expect:',
        '      schema: {type: object, required: [model], properties: {model: {type: string}}}',
      ].join('\n'),
    );
    const result = await local('ok', { cases, requests: '12', concurrency: '3' });
    expect(result.conclusion, `${logOf(result)}\n${errors(result)}`).toBe('success');
    expect(result.outputs.passed).toBe('true');
    const report = json<Report>(result.outputs.report);
    expect(report.cases.map((c) => [c.name, c.passed])).toEqual([
      ['values', true],
      ['schema', true],
      ['inline schema', true],
    ]);
    expect(report.targets[0]).toMatchObject({ requests: 12, errors: 0, errorRate: 0 });
    expect(Number(result.outputs['p95-ms'])).toBeGreaterThanOrEqual(Number(result.outputs['p50-ms']));
    expect(result.outputs['error-rate']).toBe('0');
    expect(result.summary).toContain('```mermaid');
    expect(result.summary).toContain('xychart-beta');
    expect(result.summary).toMatch(/\| values \|/);
    expect(findSecretLeaks(result, [KEY])).toEqual([]);
    expect(result.masks).toContain(KEY);
  });

  it('fails each expectation kind with a message naming what differs, annotated at the case', async () => {
    const cases = writeCases(
      'failing.yml',
      [
        '- name: wrong status',
        '  request: {"data": [[1]]}',
        '  expect: {status: 201}',
        '- name: wrong values',
        '  request: {"data": [[1]]}',
        '  expect:',
        '    content-type: text/csv',
        '    json:',
        '      $.predictions[0]: 0',
        '      $.probabilities[0]: {approx: 0.5, tolerance: 0.1}',
        '      $.model: {regex: "^v[0-2]$"}',
        '      $.predictions[1]: {one-of: [7, 8]}',
        '      $.missing: 1',
        '- name: wrong schema',
        '  request: {"data": [[1]]}',
        '  expect:',
        '    schema: {type: object, required: [labels]}',
      ].join('\n'),
    );
    const result = await local('ok', { cases, requests: '0' });
    expect(result.conclusion).toBe('failure');
    expect(result.outputs.passed).toBe('false');
    const log = errors(result);
    expect(log).toMatch(/status 200, expected 201/);
    expect(log).toMatch(/content-type 'application\/json', expected text\/csv/);
    expect(log).toMatch(/\$\.predictions\[0\] is 1, expected 0/);
    expect(log).toMatch(/\$\.probabilities\[0\] is 0\.91, expected 0\.5 ± 0\.1/);
    expect(log).toMatch(/\$\.model is "v3", which does not match/);
    expect(log).toMatch(/\$\.predictions\[1\] is 0, expected one of 7, 8/);
    expect(log).toMatch(/\$\.missing: \$ has no key 'missing'/);
    expect(log).toMatch(/does not match the schema.*labels/);
    expect(log).toMatch(/3 of 3 case runs failed/);
    const annotated = result.annotations.find((a) => a.message.includes('wrong values'));
    expect(annotated).toMatchObject({ file: cases, line: 4 });
  });

  it('unwraps double-encoded JSON before checking it', async () => {
    const result = await local('double', {
      request: '{"data": [[1, 2, 3, 4]]}',
      requests: '0',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    const cases = writeCases(
      'double.yml',
      'request: {"data": [[1]]}\nexpect:\n  json:\n    $.probabilities[1]: 0.12\n',
    );
    const checked = await local('double', { cases, requests: '0' });
    expect(checked.conclusion, logOf(checked)).toBe('success');
  });

  it('fails a 200 whose body is an error payload', async () => {
    const result = await local('error-payload', { request: '{"data": [[1]]}', requests: '0' });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/error payload/);
  });

  it('retries with backoff during warm-up until the server answers', async () => {
    hits.delete('warm');
    const result = await local('warm', {
      request: '{"data": [[1]]}',
      requests: '5',
      'warmup-timeout': '30s',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    const [target] = json<Report>(result.outputs.report).targets;
    expect(target?.warmUp).toMatchObject({ ready: true, attempts: 4 });
    expect(logOf(result)).toMatch(/warm-up: 4 attempts/);
  });

  it('gives up after warmup-timeout when the server never answers', async () => {
    const result = await local('never', { request: '{"data": [[1]]}', 'warmup-timeout': '3s' });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/did not answer within 3 s .*HTTP 503: no healthy upstream/);
    expect(json<Report>(result.outputs.report).targets[0]?.warmUp.ready).toBe(false);
  });

  it('fails when p95 is above max-p95-ms and passes under a looser one', async () => {
    const strict = await local('slow', {
      request: '{"data": [[1]]}',
      requests: '6',
      concurrency: '3',
      'max-p95-ms': '100',
    });
    expect(strict.conclusion).toBe('failure');
    expect(errors(strict)).toMatch(/p95 \d+ ms is above max-p95-ms 100/);
    expect(Number(strict.outputs['p95-ms'])).toBeGreaterThanOrEqual(250);
    const loose = await local('slow', {
      request: '{"data": [[1]]}',
      requests: '6',
      concurrency: '3',
      'max-p95-ms': '5000',
    });
    expect(loose.conclusion, logOf(loose)).toBe('success');
  });

  it('measures the error rate and fails above max-error-rate', async () => {
    hits.delete('flaky');
    // Warm-up takes request 1, the case request 2, then 30 requests: every third is a 500.
    const result = await local('flaky', {
      request: '{"data": [[1]]}',
      requests: '30',
      concurrency: '1',
      'max-error-rate': '0.1',
    });
    expect(result.conclusion).toBe('failure');
    const [target] = json<Report>(result.outputs.report).targets;
    expect(target?.errors).toBe(10);
    expect(Number(result.outputs['error-rate'])).toBeCloseTo(1 / 3, 5);
    expect(errors(result)).toMatch(/error rate 33\.3% is above max-error-rate 10\.0%/);
  });

  it('fails with a wrong key, and shows neither key', async () => {
    const result = await smoke({
      'scoring-uri': `${base}/ok/score`,
      key: 'wrong-key-0123456789',
      request: '{"data": [[1]]}',
    });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/status 401/);
    expect(findSecretLeaks(result, ['wrong-key-0123456789', KEY])).toEqual([]);
  });

  it('refuses bad cases before sending anything, naming file and line', async () => {
    const before = hits.get('ok') ?? 0;
    const cases = writeCases(
      'bad.yml',
      '- name: typo\n  request: {"data": [[1]]}\n  expcet: {status: 200}\n',
    );
    const result = await local('ok', { cases });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/expcet/);
    expect(result.annotations.find((a) => a.level === 'error')).toMatchObject({ file: cases, line: 3 });
    const badPath = writeCases('bad-path.yml', 'request: {}\nexpect:\n  json:\n    "$.a[x]": 1\n');
    expect(errors(await local('ok', { cases: badPath }))).toMatch(/is not a JSON path/);
    const noTarget = await smoke({ request: '{}' });
    expect(errors(noTarget)).toMatch(/no target is given/);
    const clear = await smoke({ 'scoring-uri': 'http://scoring.example.com/score', key: KEY, request: '{}' });
    expect(errors(clear)).toMatch(/must use https/);
    expect(hits.get('ok') ?? 0).toBe(before);
  });
});

describe('smoke-invoke against emulator deployments', () => {
  let emulator: EmulatorProcess;
  let connection: EmulatorConnection;
  let endpoints: OnlineEndpoints;
  let emulatorCa: string;
  const ENDPOINT = 'failures-smoke';

  const onEmulator = (inputs: Record<string, string>, actionDir = SMOKE_DIR) =>
    runAction({
      actionDir,
      cwd: project,
      inputs: { ...emulator.info.inputs, ...inputs },
      env: { NODE_EXTRA_CA_CERTS: emulatorCa },
      oidc: emulator.info.oidc,
      timeoutMs: 150_000,
    });

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    connection = oidcConnection(emulator.info);
    endpoints = new OnlineEndpoints(connection.clients.rest, connection.workspace, () => {});
    emulatorCa = path.join(project, '.emulator-ca.pem');
    writeFileSync(emulatorCa, combinedCaBundle(emulator.info.caCertPath));
    cpSync(path.join(REPO, 'examples'), project, { recursive: true });
    await registerExampleEnvironment(connection);
    for (const [folder, epochs] of [
      ['trained/v1', 40],
      ['trained/v2', 80],
    ] as const) {
      execFileSync('python3', [
        path.join(project, 'src/train.py'),
        '--data',
        path.join(project, 'data/machine_failures.csv'),
        '--model_dir',
        path.join(project, folder),
        '--epochs',
        String(epochs),
      ]);
      const registered = await onEmulator({ path: folder, name: 'machine-failure-model' }, REGISTER_DIR);
      if (registered.conclusion !== 'success') throw new Error(logOf(registered));
    }
    const deployment = (version: number) => ({
      endpoint: ENDPOINT,
      model: `azureml:machine-failure-model:${version}`,
      environment: 'azureml:python-stdlib:1',
      code: 'src',
      'scoring-script': 'score.py',
      'health-request-file': 'endpoints/sample-request.json',
    });
    const blue = await onEmulator({ ...deployment(1), strategy: 'direct' }, DEPLOY_DIR);
    if (blue.conclusion !== 'success') throw new Error(logOf(blue));
    const green = await onEmulator(
      { ...deployment(2), strategy: 'canary', 'canary-steps': '20' },
      DEPLOY_DIR,
    );
    if (green.conclusion !== 'success') throw new Error(logOf(green));
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  it('compares blue and green side by side with the endpoint key fetched and masked', async () => {
    const result = await onEmulator({
      endpoint: ENDPOINT,
      deployment: 'blue, green',
      'request-file': 'endpoints/sample-request.json',
      requests: '8',
      concurrency: '2',
    });
    expect(result.conclusion, `${logOf(result)}\n${errors(result)}`).toBe('success');
    const report = json<Report>(result.outputs.report);
    expect(report.cases.map((c) => [c.target, c.servedBy, c.passed])).toEqual([
      ['blue', 'blue', true],
      ['green', 'green', true],
    ]);
    expect(report.targets.map((t) => [t.target, t.requests, t.errors])).toEqual([
      ['blue', 8, 0],
      ['green', 8, 0],
    ]);
    expect(result.summary).toMatch(/"blue p95"/);
    expect(result.summary).toMatch(/"green p95"/);
    const keys = await endpoints.listKeys(ENDPOINT);
    expect(findSecretLeaks(result, [keys.primaryKey])).toEqual([]);
    expect(result.masks).toContain(keys.primaryKey);
  });

  it('rolls the traffic back to previous-traffic when a check fails', async () => {
    const cases = writeCases(
      'emulator.yml',
      'name: impossible\nrequest-file: ../endpoints/sample-request.json\nexpect:\n  json:\n    $.predictions: [7, 7]\n',
    );
    const result = await onEmulator({
      endpoint: ENDPOINT,
      cases,
      requests: '0',
      'rollback-on-failure': 'true',
      'previous-traffic': '{"blue":100}',
    });
    expect(result.conclusion).toBe('failure');
    expect(result.outputs['rolled-back']).toBe('true');
    const endpoint = await endpoints.get(ENDPOINT);
    expect(normalizeTraffic(endpoint?.properties.traffic)).toEqual({ blue: 100 });
    expect(readFileSync(path.join(project, cases), 'utf8')).toContain('impossible');
  });

  it('refuses a deployment the endpoint does not have', async () => {
    const result = await onEmulator({
      endpoint: ENDPOINT,
      deployment: 'purple',
      request: '{"data": [[1, 2, 3, 4]]}',
    });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/has no deployment purple.*Its deployments: blue, green/s);
  });
});
