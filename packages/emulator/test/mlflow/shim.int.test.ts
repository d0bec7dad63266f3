// The standard-library `mlflow` shim against the MLflow routes on a loopback server: a python3
// process logs as a job script would, and the test reads what landed in the store.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorRequest } from '../../src/http/types';
import { generateTlsMaterial } from '../../src/tls/certificates';
import { createMlflowHarness, type MlflowHarness, serveRouter } from './harness';

const PYTHON_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../python');

interface PythonResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let workDir: string;

function runPython(script: string, env: Record<string, string>): Promise<PythonResult> {
  const file = path.join(workDir, `script-${Math.random().toString(16).slice(2)}.py`);
  writeFileSync(file, script);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(MLFLOW_|SSL_CERT_FILE$|REQUESTS_CA_BUNDLE$|PYTHON)/.test(key),
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [file], {
      env: {
        ...inherited,
        PYTHONPATH: PYTHON_DIR,
        PYTHONDONTWRITEBYTECODE: '1',
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tagsOf = (h: MlflowHarness, runId: string) =>
  Object.fromEntries((h.mlflow.getRun(runId)?.data.tags ?? []).map((tag) => [tag.key, tag.value]));

const JOB_SCRIPT = `
import mlflow
print("URI", mlflow.get_tracking_uri())
mlflow.log_param("lr", 0.1)  # no start_run: resumes the job's run
mlflow.log_params({"epochs": 3, "optimizer": "sgd"})
for step in range(3):
    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
mlflow.log_metrics({"acc": 0.9, "diverged": float("nan"), "big": float("inf")}, step=2)
mlflow.set_tag("stage", "train")
mlflow.set_tags({"a": 1, "b": "two"})
print("ACTIVE", mlflow.active_run().info.run_id)
with mlflow.start_run(run_name="fold-1", nested=True) as child:
    mlflow.log_metric("fold_acc", 0.8)
    print("CHILD", child.info.run_id, mlflow.active_run().info.run_id)
print("BACK", mlflow.active_run().info.run_id)
try:
    mlflow.log_param("lr", 0.2)
except mlflow.MlflowException as error:
    print("ERROR", error.error_code, error.message)
from mlflow.exceptions import MlflowException
assert MlflowException is mlflow.MlflowException
mlflow.end_run()
print("ENDED", mlflow.active_run())
`;

describe('the mlflow shim', () => {
  let h: MlflowHarness;
  let server: { url: string; close(): Promise<void> };
  let experimentId: string;
  const seen: EmulatorRequest[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'mlflow-shim-'));
    h = createMlflowHarness();
    experimentId = h.mlflow.ensureExperiment('shim-exp').experiment_id;
    server = await serveRouter(h.router, {
      intercept: (request) => {
        seen.push(request);
        if (failuresLeft > 0 && request.path.endsWith('/runs/log-metric')) {
          failuresLeft--;
          return {
            status: failuresLeft % 2 === 0 ? 503 : 429,
            headers: { 'Retry-After': '0' },
            body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' },
          };
        }
        return undefined;
      },
    });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const jobEnv = (runId: string) => ({
    MLFLOW_TRACKING_URI: `${server.url}${h.trackingPath}`,
    MLFLOW_TRACKING_TOKEN: 'job-token-123',
    MLFLOW_RUN_ID: runId,
    MLFLOW_EXPERIMENT_ID: experimentId,
  });

  it('logs params, metrics and tags to the job run and nests child runs under it', async () => {
    h.mlflow.createRun({ runId: 'job_1', experimentId, runName: 'job one', tags: { 'mlflow.user': 'ada' } });
    seen.length = 0;
    const result = await runPython(JOB_SCRIPT, jobEnv('job_1'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`URI ${server.url}${h.trackingPath}`);
    expect(result.stdout).toContain('ACTIVE job_1');
    expect(result.stdout).toContain('BACK job_1');
    expect(result.stdout).toMatch(
      /ERROR INVALID_PARAMETER_VALUE Changing param values is not allowed\. Param with key='lr'/,
    );
    expect(result.stdout).toContain('ENDED None');

    const run = h.mlflow.getRun('job_1');
    expect(run?.info.status).toBe('FINISHED');
    expect(run?.info.end_time).toEqual(expect.any(Number));
    expect(run?.data.params).toEqual([
      { key: 'lr', value: '0.1' },
      { key: 'epochs', value: '3' },
      { key: 'optimizer', value: 'sgd' },
    ]);
    expect(h.mlflow.metricHistory('job_1', 'loss').map((m) => [m.step, m.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ]);
    const latest = Object.fromEntries((run?.data.metrics ?? []).map((m) => [m.key, m.value]));
    expect(latest).toMatchObject({ acc: 0.9, big: Infinity, loss: 1 / 3 });
    expect(latest.diverged).toBeNaN();
    expect(tagsOf(h, 'job_1')).toMatchObject({ stage: 'train', a: '1', b: 'two', 'mlflow.user': 'ada' });

    const childId = /CHILD (\w+) (\w+)/.exec(result.stdout);
    expect(childId?.[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(childId?.[2]).toBe(childId?.[1]);
    const child = h.mlflow.getRun(childId?.[1] ?? '');
    expect(child?.info).toMatchObject({
      run_name: 'fold-1',
      experiment_id: experimentId,
      status: 'FINISHED',
    });
    expect(tagsOf(h, child?.info.run_id ?? '')).toMatchObject({
      'mlflow.parentRunId': 'job_1',
      'mlflow.runName': 'fold-1',
    });
    expect(child?.data.metrics.map((m) => [m.key, m.value])).toEqual([['fold_acc', 0.8]]);
    const found = h.mlflow.searchRuns({
      experimentIds: [experimentId],
      filter: "tags.mlflow.parentRunId = 'job_1'",
    });
    expect(found.runs.map((r) => r.info.run_id)).toEqual([childId?.[1]]);

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((request) => request.headers.authorization === 'Bearer job-token-123')).toBe(true);
    expect(seen.every((request) => request.path.startsWith(`${h.trackingPath}/api/2.0/mlflow/`))).toBe(true);
  });

  it('retries 429 and 5xx answers, then succeeds', async () => {
    h.mlflow.createRun({ runId: 'job_retry', experimentId });
    failuresLeft = 2;
    seen.length = 0;
    const result = await runPython('import mlflow\nmlflow.log_metric("acc", 0.5)\n', jobEnv('job_retry'));
    expect(result.code, result.stderr).toBe(0);
    expect(seen.filter((request) => request.path.endsWith('/runs/log-metric'))).toHaveLength(3);
    expect(h.mlflow.metricHistory('job_retry', 'acc').map((m) => m.value)).toEqual([0.5]);
  });

  it('raises MlflowException with the server message when retries run out or the run is unknown', async () => {
    failuresLeft = 10;
    h.mlflow.createRun({ runId: 'job_busy', experimentId });
    const busy = await runPython(
      'import mlflow\ntry:\n    mlflow.log_metric("acc", 1)\nexcept mlflow.MlflowException as e:\n    print("RAISED", e.http_status, e.message)\n',
      { ...jobEnv('job_busy'), MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1' },
    );
    failuresLeft = 0;
    expect(busy.stdout).toMatch(/RAISED (503|429) busy/);
    const unknown = await runPython('import mlflow\nmlflow.log_metric("acc", 1)\n', jobEnv('no_such_job'));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('MlflowException');
    expect(unknown.stderr).toContain('Run with id=no_such_job not found');
  });

  it('marks the resumed run FAILED when the script dies of an exception', async () => {
    h.mlflow.createRun({ runId: 'job_crash', experimentId });
    const result = await runPython(
      'import mlflow\nmlflow.log_metric("acc", 1)\nraise SystemError("boom")\n',
      jobEnv('job_crash'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('boom');
    expect(h.mlflow.getRun('job_crash')?.info.status).toBe('FAILED');
  });

  it('creates runs in the named experiment when no run id is given', async () => {
    const script = `
import mlflow
exp = mlflow.set_experiment("fresh-exp")
with mlflow.start_run(run_name="standalone", tags={"kind": "adhoc"}) as run:
    mlflow.log_metric("x", 2, step=4)
print("RUN", run.info.run_id, exp.experiment_id)
`;
    const { MLFLOW_RUN_ID: _, ...env } = jobEnv('unused');
    const result = await runPython(script, env);
    expect(result.code, result.stderr).toBe(0);
    const [, runId, expId] = /RUN (\w+) ([\w-]+)/.exec(result.stdout) ?? [];
    expect(h.mlflow.ensureExperiment('fresh-exp').experiment_id).toBe(expId);
    const run = h.mlflow.getRun(runId ?? '');
    expect(run?.info).toMatchObject({ experiment_id: expId, run_name: 'standalone', status: 'FINISHED' });
    expect(tagsOf(h, runId ?? '')).toMatchObject({ kind: 'adhoc', 'mlflow.source.type': 'LOCAL' });
    expect(tagsOf(h, runId ?? '')['mlflow.parentRunId']).toBeUndefined();
    expect(h.mlflow.metricHistory(runId ?? '', 'x')).toEqual([
      { key: 'x', value: 2, timestamp: expect.any(Number), step: 4 },
    ]);
  });

  it('runs without a tracking URI, recording nothing and warning once', async () => {
    const before = h.mlflow.searchRuns({ experimentIds: [experimentId], viewType: 'ALL' }).runs.length;
    seen.length = 0;
    const result = await runPython(
      JOB_SCRIPT.replace('except mlflow.MlflowException', 'except ValueError'),
      {},
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('URI \n');
    expect(result.stdout).toMatch(/ACTIVE [0-9a-f]{32}/);
    const warnings = result.stderr.match(/MLFLOW_TRACKING_URI is not set/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(seen).toHaveLength(0);
    expect(h.mlflow.searchRuns({ experimentIds: [experimentId], viewType: 'ALL' }).runs).toHaveLength(before);
  });

  it('trusts the CA in SSL_CERT_FILE over https, and fails fast without it', async () => {
    const material = await generateTlsMaterial();
    const caFile = path.join(workDir, 'ca.pem');
    writeFileSync(caFile, material.caCertPem);
    const secure = await serveRouter(h.router, {
      tls: { key: material.serverKeyPem, cert: material.serverCertPem },
    });
    try {
      h.mlflow.createRun({ runId: 'job_tls', experimentId });
      const env = { ...jobEnv('job_tls'), MLFLOW_TRACKING_URI: `${secure.url}${h.trackingPath}` };
      const trusted = await runPython('import mlflow\nmlflow.log_metric("acc", 0.75)\n', {
        ...env,
        SSL_CERT_FILE: caFile,
      });
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(h.mlflow.metricHistory('job_tls', 'acc').map((m) => m.value)).toEqual([0.75]);

      const untrusted = await runPython('import mlflow\nmlflow.log_metric("acc", 0.5)\n', env);
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stderr).toContain('CERTIFICATE_VERIFY_FAILED');
    } finally {
      await secure.close();
    }
  });
});
