// The evaluate-gate bundle run as the runner runs it: metrics from files, from jobs the emulator
// ran (trained with the train-pipeline bundle), from registered models as champions, and the
// sticky PR comment through the real @actions/github client against a local GitHub API stand-in.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSIONS, assetArmId } from '../../packages/core/src/index';
import { type EmulatorConnection, oidcConnection } from '../support/connection';
import { combinedCaBundle, type EmulatorProcess, startEmulatorProcess } from '../support/emulator';
import { registerExampleEnvironment } from '../support/examples';
import { type GithubApiStandIn, startGithubApi } from '../support/github-api';
import {
  type ActionRunResult,
  errorMessages as errors,
  FAKE_GITHUB_TOKEN,
  findSecretLeaks,
  stepLog as logOf,
  type RunActionOptions,
  runAction,
} from '../support/runner';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GATE_DIR = path.join(REPO, 'actions/evaluate-gate');
const TRAIN_DIR = path.join(REPO, 'actions/train-pipeline');

let emulator: EmulatorProcess;
let connection: EmulatorConnection;
let project: string;
let caBundle: string;
let github: GithubApiStandIn;
let trainedJob = '';
let pipelineJob = '';
let sweepJob = '';

const json = <T>(text: string | undefined): T => JSON.parse(text ?? 'null') as T;

function gate(
  inputs: Record<string, string>,
  options: Partial<RunActionOptions> = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir: GATE_DIR,
    cwd: project,
    inputs,
    env: { NODE_EXTRA_CA_CERTS: caBundle, GITHUB_API_URL: github.url },
    oidc: emulator.info.oidc,
    github: { repository: 'contoso/fraud-model', apiUrl: github.url },
    timeoutMs: 60_000,
    ...options,
  });
}

const workspaceGate = (inputs: Record<string, string>, options: Partial<RunActionOptions> = {}) =>
  gate({ ...emulator.info.inputs, ...inputs }, options);

async function registerModel(
  name: string,
  version: string,
  properties: Record<string, string>,
  tags: Record<string, string> = {},
) {
  await connection.clients.rest.request({
    method: 'PUT',
    path: assetArmId(connection.workspace, 'models', name, version),
    apiVersion: API_VERSIONS.sdk,
    body: {
      properties: {
        modelUri: 'azureml://datastores/workspaceblobstore/paths/models/x/',
        modelType: 'custom_model',
        properties,
        tags,
      },
    },
  });
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  connection = oidcConnection(emulator.info);
  github = await startGithubApi({ token: FAKE_GITHUB_TOKEN, owner: 'contoso', repo: 'fraud-model' });
  project = mkdtempSync(path.join(os.tmpdir(), 'evaluate-gate-'));
  cpSync(path.join(REPO, 'examples'), project, { recursive: true });
  writeFileSync(path.join(project, 'metrics.json'), JSON.stringify({ eval: { accuracy: 0.93, rmse: 3.1 } }));
  writeFileSync(path.join(project, 'baseline.csv'), 'name,value\naccuracy,0.91\nrmse,3.3\n');
  caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(emulator.info.caCertPath));
  await registerExampleEnvironment(connection);
  // The candidates: the example command job and pipeline, trained by the train-pipeline bundle.
  const train = (job: string, runId: string) =>
    runAction({
      actionDir: TRAIN_DIR,
      cwd: project,
      inputs: { ...emulator.info.inputs, job, 'stream-logs': 'false' },
      env: { NODE_EXTRA_CA_CERTS: caBundle },
      oidc: emulator.info.oidc,
      github: { runId, repository: 'contoso/fraud-model' },
      timeoutMs: 90_000,
    });
  const [command, pipeline, sweep] = await Promise.all([
    train('jobs/train-command.yml', '3001'),
    train('jobs/pipeline.yml', '3002'),
    train('jobs/sweep.yml', '3003'),
  ]);
  if (sweep.conclusion !== 'success') throw new Error(`sweep failed:\n${logOf(sweep)}`);
  sweepJob = sweep.outputs['job-name'] ?? '';
  if (command.conclusion !== 'success') throw new Error(`training failed:\n${logOf(command)}`);
  if (pipeline.conclusion !== 'success') throw new Error(`pipeline failed:\n${logOf(pipeline)}`);
  trainedJob = command.outputs['job-name'] ?? '';
  pipelineJob = pipeline.outputs['job-name'] ?? '';
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
  await github?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('evaluate-gate with local metrics', () => {
  it('passes when every rule holds, with the report, the table and the chart', async () => {
    const result = await gate({
      'metrics-file': 'metrics.json',
      'metrics-path': 'eval',
      'baseline-file': 'baseline.csv',
      rules: 'accuracy >= 0.9\naccuracy >= champion - 0.01\nrmse <= champion   # lower is better',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs.result).toBe('pass');
    expect(result.outputs.passed).toBe('true');
    const report = json<{ checks: { metric: string; delta: number; outcome: string }[] }>(
      result.outputs.report,
    );
    expect(report.checks.map((check) => [check.metric, check.outcome])).toEqual([
      ['accuracy', 'pass'],
      ['accuracy', 'pass'],
      ['rmse', 'pass'],
    ]);
    expect(report.checks[1]?.delta).toBeCloseTo(0.02, 10);
    expect(result.summary).toContain('| Metric | Candidate | Champion | Δ | Rule | Outcome |');
    expect(result.summary).toContain('xychart-beta');
    expect(json(result.outputs['champion-metrics'])).toEqual({ accuracy: 0.91, rmse: 3.3 });
  });

  it('fails on a regression where lower is better, annotating the failed rule', async () => {
    const result = await gate({
      metrics: '{"rmse": 3.4, "accuracy": 0.95}',
      'baseline-file': 'baseline.csv',
      rules: 'accuracy >= 0.9\nrmse <= champion + 0.05',
    });
    expect(result.conclusion).toBe('failure');
    expect(result.outputs.result).toBe('fail');
    expect(result.outputs.passed).toBe('false');
    expect(errors(result)).toMatch(/rmse 3\.4/);
    expect(result.summary).toContain('❌ fail');
  });

  it('reports a warning without failing, unless fail-on is warn', async () => {
    const inputs = { metrics: '{"accuracy": 0.92}', rules: 'accuracy >= 0.9\nwarn: accuracy >= 0.95' };
    const lenient = await gate(inputs);
    expect(lenient.conclusion).toBe('success');
    expect(lenient.outputs.result).toBe('warn');
    expect(lenient.annotations.some((a) => a.level === 'warning' && /accuracy 0\.92/.test(a.message))).toBe(
      true,
    );
    const strict = await gate({ ...inputs, 'fail-on': 'warn' });
    expect(strict.conclusion).toBe('failure');
    const never = await gate({ metrics: '{"accuracy": 0.5}', rules: 'accuracy >= 0.9', 'fail-on': 'never' });
    expect(never.conclusion).toBe('success');
    expect(never.outputs.result).toBe('fail');
  });

  it("names a typo'd metric with a suggestion and a bad rule with its line", async () => {
    const typo = await gate({ metrics: '{"accuracy": 0.92}', rules: 'acuracy >= 0.9' });
    expect(typo.conclusion).toBe('failure');
    expect(errors(typo)).toMatch(/did you mean 'accuracy'/i);
    const bad = await gate({ metrics: '{"accuracy": 0.92}', rules: 'accuracy >= 0.9\naccuracy => 0.8' });
    expect(bad.conclusion).toBe('failure');
    expect(errors(bad)).toMatch(/line 2/);
    expect(errors(bad)).toContain('>=');
    const none = await gate({ rules: 'accuracy >= 0.9' });
    expect(errors(none)).toMatch(/metrics-file, metrics/);
  });

  it('follows on-missing-champion when there is no champion yet', async () => {
    const inputs = { metrics: '{"f1": 0.8}', rules: 'f1 >= champion - 0.01', champion: 'none' };
    expect((await gate({ ...inputs, 'on-missing-champion': 'pass' })).outputs.result).toBe('pass');
    const warned = await gate(inputs);
    expect(warned.outputs.result).toBe('warn');
    expect(warned.annotations.map((a) => a.message).join('\n')).toMatch(/no champion/);
    expect((await gate({ ...inputs, 'on-missing-champion': 'fail' })).conclusion).toBe('failure');
  });
});

describe('evaluate-gate against the workspace', () => {
  it('reads the final MLflow metrics of a job the emulator ran', async () => {
    const result = await workspaceGate({ 'job-name': trainedJob, rules: 'accuracy >= 0.7' });
    expect(result.conclusion, logOf(result)).toBe('success');
    const metrics = json<Record<string, number>>(result.outputs['candidate-metrics']);
    expect(metrics.accuracy).toBeGreaterThan(0.7);
    expect(findSecretLeaks(result, [emulator.info.clientSecret])).toEqual([]);
  });

  it('reads the best trial of a sweep', async () => {
    const result = await workspaceGate({ 'job-name': sweepJob, rules: 'accuracy >= 0.5' });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(logOf(result)).toMatch(/best trial \S+ of sweep/);
  });

  it('reads a named pipeline step, and lists the steps when the step is wrong', async () => {
    const result = await workspaceGate({
      'job-name': pipelineJob,
      step: 'evaluate',
      rules: 'accuracy >= 0.7',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    const wrong = await workspaceGate({
      'job-name': pipelineJob,
      step: 'evaluation',
      rules: 'accuracy >= 0.7',
    });
    expect(wrong.conclusion).toBe('failure');
    expect(errors(wrong)).toMatch(/no step 'evaluation'.*evaluate/s);
  });

  it('compares with the model version tagged stage=production, not the newest one', async () => {
    await registerModel('fraud-model', '1', { 'metrics.accuracy': '0.80' }, { stage: 'production' });
    await registerModel('fraud-model', '2', { 'metrics.accuracy': '0.99' }, { stage: 'staging' });
    const result = await workspaceGate({
      'job-name': trainedJob,
      'champion-model': 'fraud-model',
      'champion-tag': 'stage=production',
      rules: 'accuracy >= champion - 0.01',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(json(result.outputs['champion-metrics'])).toEqual({ accuracy: 0.8 });
    const newest = await workspaceGate({
      'job-name': trainedJob,
      'champion-model': 'fraud-model@latest',
      rules: 'accuracy >= champion - 0.01',
    });
    expect(newest.outputs.result).toBe('fail');
  });

  it('treats an unregistered champion model as no champion, with a suggestion', async () => {
    const result = await workspaceGate({
      metrics: '{"accuracy": 0.9}',
      'champion-model': 'fraud-modle',
      rules: 'accuracy >= champion',
    });
    expect(result.outputs.result).toBe('warn');
    expect(logOf(result)).toContain("Did you mean 'fraud-model'");
  });
});

describe('evaluate-gate PR comment', () => {
  const event = (number: number, fork = false) => ({
    name: 'pull_request',
    payload: {
      pull_request: {
        number,
        head: {
          repo: { id: fork ? 99 : 1, full_name: fork ? 'someone/fraud-model' : 'contoso/fraud-model' },
        },
        base: { repo: { id: 1, full_name: 'contoso/fraud-model' } },
      },
    },
  });

  it('creates one comment, then updates it in place on the next push', async () => {
    const inputs = { metrics: '{"accuracy": 0.92}', rules: 'accuracy >= 0.9', comment: 'true' };
    const first = await gate(inputs, { event: event(7) });
    expect(first.conclusion, logOf(first)).toBe('success');
    expect(first.outputs['comment-url']).toBeTruthy();
    const second = await gate({ ...inputs, metrics: '{"accuracy": 0.95}' }, { event: event(7) });
    expect(second.conclusion, logOf(second)).toBe('success');
    const onPr = github.comments.filter((comment) => comment.issueNumber === 7);
    expect(onPr).toHaveLength(1);
    expect(onPr[0]?.body).toContain('0.95');
    expect(logOf(second)).toMatch(/PR comment updated/);
    expect(findSecretLeaks(second, [FAKE_GITHUB_TOKEN])).toEqual([]);
  });

  it('warns instead of failing when the token cannot write (a fork)', async () => {
    github.readOnly = true;
    try {
      const result = await gate(
        { metrics: '{"accuracy": 0.92}', rules: 'accuracy >= 0.9', comment: 'true' },
        { event: event(8, true) },
      );
      expect(result.conclusion, logOf(result)).toBe('success');
      expect(result.annotations.some((a) => a.level === 'warning' && /fork/.test(a.message))).toBe(true);
      expect(github.comments.filter((comment) => comment.issueNumber === 8)).toHaveLength(0);
      expect(result.summary).toContain('Evaluate gate');
    } finally {
      github.readOnly = false;
    }
  });
});
