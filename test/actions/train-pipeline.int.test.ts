// The train-pipeline bundle (dist/train-pipeline) run as the runner runs it, against the emulator
// executing the example jobs as local processes.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type EmulatorConnection, oidcConnection } from '../support/connection';
import { combinedCaBundle, type EmulatorProcess, startEmulatorProcess } from '../support/emulator';
import { registerExampleEnvironment } from '../support/examples';
import { sleep } from '../support/https';
import {
  type ActionRunResult,
  findSecretLeaks,
  stepLog as logOf,
  type RunActionOptions,
  runAction,
} from '../support/runner';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ACTION_DIR = path.join(REPO, 'actions/train-pipeline');
const STEP_TIMEOUT_IN_MS = 90_000;

let emulator: EmulatorProcess;
let connection: EmulatorConnection;
let project: string;
let caBundle: string;
let runCounter = 0;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  connection = oidcConnection(emulator.info);
  // A copy of the example project as the workflow's checkout.
  project = mkdtempSync(path.join(os.tmpdir(), 'train-pipeline-'));
  cpSync(path.join(REPO, 'examples'), project, { recursive: true });
  caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(emulator.info.caCertPath));
  await registerExampleEnvironment(connection);
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

function train(
  inputs: Record<string, string>,
  options: Partial<RunActionOptions> = {},
): Promise<ActionRunResult> {
  runCounter++;
  return runAction({
    actionDir: ACTION_DIR,
    cwd: project,
    inputs: { ...emulator.info.inputs, ...inputs },
    env: { NODE_EXTRA_CA_CERTS: caBundle },
    oidc: emulator.info.oidc,
    github: { runId: String(9000 + runCounter), repository: 'contoso/fraud-model' },
    timeoutMs: STEP_TIMEOUT_IN_MS,
    ...options,
  });
}

const json = <T>(text: string | undefined): T => JSON.parse(text ?? 'null') as T;

async function jobStatus(name: string): Promise<string | undefined> {
  return (await connection.jobs.get(name)).properties.status;
}

function expectNoLeaks(result: ActionRunResult): void {
  expect(
    findSecretLeaks(result, [emulator.info.clientSecret, ...connection.secrets.filter((s) => s.length > 8)]),
  ).toEqual([]);
}

describe('train-pipeline action', () => {
  it('runs a command job to completion with outputs, metrics, logs and a summary', async () => {
    const result = await train({
      job: 'jobs/train-command.yml',
      'download-outputs': 'all',
      tags: 'team=ml',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs.status).toBe('Completed');
    expect(result.outputs.submitted).toBe('true');
    const name = result.outputs['job-name'] ?? '';
    expect(name).toMatch(/^fraud-model-\d+-1-[0-9a-f]{8}$/);
    const metrics = json<Record<string, number>>(result.outputs.metrics);
    expect(metrics.accuracy).toBeGreaterThan(0.7);
    const outputs = json<Record<string, string>>(result.outputs.outputs);
    expect(Object.keys(outputs).length).toBeGreaterThan(0);
    for (const uri of Object.values(outputs)) expect(uri).toMatch(/^azureml:\/\/datastores\//);
    // The user log was streamed into the step log.
    expect(logOf(result)).toMatch(/accuracy/i);
    expect(result.summary).toContain(`Azure ML command job ${name}`);
    expect(result.summary).toContain('| accuracy |');
    // Downloaded outputs exist locally.
    const downloaded = path.join(project, 'outputs');
    expect(readdirSync(downloaded).length).toBeGreaterThan(0);
    // Lineage and user tags on the job.
    const job = await connection.jobs.get(name);
    expect(job.properties.tags).toMatchObject({ team: 'ml', 'github.repository': 'contoso/fraud-model' });
    expectNoLeaks(result);
    // The post step sees the job finished and leaves it alone.
    expect(logOf(result.post ?? result)).not.toContain('cancelling it');
  });

  it('re-uploads nothing when the code is unchanged', async () => {
    const first = await train({ job: 'jobs/train-command.yml', wait: 'false' });
    expect(first.conclusion, logOf(first)).toBe('success');
    const second = await train({ job: 'jobs/train-command.yml', wait: 'false' });
    expect(second.conclusion, logOf(second)).toBe('success');
    expect(second.outputs['job-name']).not.toBe(first.outputs['job-name']);
    expect(logOf(second)).toMatch(/unchanged.*0 bytes|0 bytes uploaded/i);
  });

  it('re-attaches to the job of the same run attempt instead of submitting twice', async () => {
    const options = { github: { runId: '777001', repository: 'contoso/fraud-model' } };
    const first = await train({ job: 'jobs/train-command.yml', wait: 'false' }, options);
    const second = await train({ job: 'jobs/train-command.yml' }, options);
    expect(second.conclusion, logOf(second)).toBe('success');
    expect(second.outputs['job-name']).toBe(first.outputs['job-name']);
    expect(first.outputs.submitted).toBe('true');
    expect(second.outputs.submitted).toBe('false');
    expect(logOf(second)).toContain('re-attaching');
    expect(second.outputs.status).toBe('Completed');
  });

  it('runs the three-step pipeline with its children in order', async () => {
    const result = await train({ job: 'jobs/pipeline.yml' });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs.status).toBe('Completed');
    const children = json<{ name: string; step: string; status: string }[]>(result.outputs['child-jobs']);
    expect(children.map((child) => child.step).sort()).toEqual(['evaluate', 'prep', 'train']);
    for (const child of children) expect(child.status).toBe('Completed');
    expect(result.summary).toContain('#### Steps');
    // Each step's streamed log lines sit in a group named after the step.
    const lines = result.log.map((line) => line.text);
    for (const step of ['prep', 'train', 'evaluate']) expect(lines).toContain(`::group::${step}`);
  });

  it('runs the sweep and reports the best trial', async () => {
    const result = await train({ job: 'jobs/sweep.yml' });
    expect(result.conclusion, logOf(result)).toBe('success');
    const children = json<{ name: string; status: string }[]>(result.outputs['child-jobs']);
    expect(children.length).toBeGreaterThanOrEqual(2);
    expect(result.summary).toContain('(best)');
    expect(json<Record<string, number>>(result.outputs.metrics).accuracy).toBeGreaterThan(0);
  });

  it('fails the step with the job error and its log tail when the job fails', async () => {
    const yaml = path.join(project, 'jobs/failing.yml');
    writeFileSync(
      yaml,
      [
        'command: python -c "import sys; print(\'about to fail\'); sys.exit(3)"',
        'environment: azureml:python-stdlib@latest',
        'compute: azureml:cpu-cluster',
        'code: ../src',
        '',
      ].join('\n'),
    );
    const result = await train({ job: 'jobs/failing.yml' });
    expect(result.conclusion).toBe('failure');
    expect(result.outputs.status).toBe('Failed');
    const message = result.annotations.map((annotation) => annotation.message).join('\n');
    expect(message).toContain('ended Failed');
    expect(message).toContain('about to fail');
    expect(result.summary).toContain('about to fail');
  });

  it('cancels the remote job within 5 s when the workflow is cancelled', async () => {
    const yaml = path.join(project, 'jobs/long.yml');
    writeFileSync(
      yaml,
      [
        'command: python -c "import time; print(\'working\', flush=True); time.sleep(120)"',
        'environment: azureml:python-stdlib@latest',
        'compute: azureml:cpu-cluster',
        'code: ../src',
        '',
      ].join('\n'),
    );
    let cancelledAt = 0;
    const result = await train(
      { job: 'jobs/long.yml' },
      {
        signal: {
          after: async (step) => {
            await step.waitForOutput(/Running after/);
            cancelledAt = Date.now();
          },
        },
      },
    );
    expect(result.conclusion).toBe('cancelled');
    const name = result.outputs['job-name'] ?? '';
    let status = await jobStatus(name);
    while (status !== 'Canceled' && Date.now() - cancelledAt < 5000) {
      await sleep(200);
      status = await jobStatus(name);
    }
    expect(status).toBe('Canceled');
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
  });

  it('cancels and fails when the timeout passes', async () => {
    const result = await train({ job: 'jobs/long.yml', timeout: '4s' });
    expect(result.conclusion).toBe('failure');
    const message = result.annotations.map((annotation) => annotation.message).join('\n');
    expect(message).toContain('did not finish within the timeout');
    const name = result.outputs['job-name'] ?? '';
    await expect.poll(() => jobStatus(name), { timeout: 5000, interval: 200 }).toBe('Canceled');
  });

  it('translates in a dry run without writing anything', async () => {
    const result = await train(
      { job: 'jobs/pipeline.yml', 'dry-run': 'true', name: 'dry-run-pipeline' },
      { keepTemp: true },
    );
    onTestFinished(() =>
      rmSync(path.resolve(result.outputs['request-file'] ?? '/nonexistent/a/b/c', '../../..'), {
        recursive: true,
        force: true,
      }),
    );
    expect(result.conclusion, logOf(result)).toBe('success');
    const file = result.outputs['request-file'] ?? '';
    expect(existsSync(file)).toBe(true);
    const requests = json<{ method: string; url: string; body: unknown }[]>(readFileSync(file, 'utf8'));
    const put = requests.find((request) => /\/jobs\/dry-run-pipeline\?/.test(request.url));
    expect(put?.method).toBe('PUT');
    const properties = (
      put?.body as { properties?: { jobType?: string; jobs?: Record<string, unknown> } } | undefined
    )?.properties;
    expect(properties?.jobType).toBe('Pipeline');
    expect(Object.keys(properties?.jobs ?? {}).sort()).toEqual(['evaluate', 'prep', 'train']);
    // Every planned request is a write with a URL; none was sent.
    for (const request of requests) expect(['PUT', 'POST', 'DELETE', 'PATCH']).toContain(request.method);
    await expect(connection.jobs.get('dry-run-pipeline')).rejects.toMatchObject({ status: 404 });
  });

  it('reports bad YAML with its file and line and submits nothing', async () => {
    writeFileSync(
      path.join(project, 'jobs/bad.yml'),
      [
        'command: python train.py',
        'code: ../src',
        'environment: azureml:python-stdlib@latest',
        'resources:',
        '  Instance_count: 2',
        '',
      ].join('\n'),
    );
    const result = await train({ job: 'jobs/bad.yml', name: 'bad-yaml-job' });
    expect(result.conclusion).toBe('failure');
    const annotation = result.annotations.find((entry) => entry.level === 'error');
    expect(annotation?.message).toContain('instance_count');
    expect(annotation?.file).toContain('bad.yml');
    expect(annotation?.line).toBe(5);
    await expect(connection.jobs.get('bad-yaml-job')).rejects.toMatchObject({ status: 404 });
  });

  it('rejects a mistyped environment with a suggestion, before uploading anything', async () => {
    mkdirSync(path.join(project, 'fresh-code'), { recursive: true });
    writeFileSync(path.join(project, 'fresh-code/run.py'), `print(${Date.now()})\n`);
    writeFileSync(
      path.join(project, 'jobs/typo-env.yml'),
      [
        'command: python run.py',
        'code: ../fresh-code',
        'compute: azureml:cpu-cluster',
        'environment: azureml:python-stdlb@latest',
        '',
      ].join('\n'),
    );
    const result = await train({ job: 'jobs/typo-env.yml', name: 'typo-env-job' });
    expect(result.conclusion).toBe('failure');
    const annotation = result.annotations.find((entry) => entry.level === 'error');
    expect(annotation?.message).toContain("did you mean 'python-stdlib'");
    expect(annotation?.line).toBe(4);
    expect(logOf(result)).not.toMatch(/Uploading code|Uploaded code/);
    await expect(connection.jobs.get('typo-env-job')).rejects.toMatchObject({ status: 404 });
  });

  it('names the attach input when the job does not exist', async () => {
    const result = await train({ attach: 'no-such-job' });
    expect(result.conclusion).toBe('failure');
    expect(result.annotations.map((entry) => entry.message).join('\n')).toMatch(
      /attach.*no-such-job|no-such-job.*attach/s,
    );
  });
});

describe('train-pipeline under 2-second token lifetimes', () => {
  let shortLived: EmulatorProcess;
  beforeAll(async () => {
    shortLived = await startEmulatorProcess({
      args: ['--token-lifetime', '2s', '--id-token-lifetime', '2s'],
    });
    await registerExampleEnvironment(oidcConnection(shortLived.info));
  }, 120_000);
  afterAll(async () => {
    await shortLived?.stop();
  });

  it('keeps working across many token expiries', async () => {
    const bundle = path.join(project, '.ca-bundle-short.pem');
    writeFileSync(bundle, combinedCaBundle(shortLived.info.caCertPath));
    writeFileSync(
      path.join(project, 'jobs/ten-seconds.yml'),
      [
        'command: python -c "import time; [print(i, flush=True) or time.sleep(1) for i in range(10)]"',
        'environment: azureml:python-stdlib@latest',
        'compute: azureml:cpu-cluster',
        'code: ../src',
        '',
      ].join('\n'),
    );
    const result = await runAction({
      actionDir: ACTION_DIR,
      cwd: project,
      inputs: { ...shortLived.info.inputs, job: 'jobs/ten-seconds.yml' },
      env: { NODE_EXTRA_CA_CERTS: bundle },
      oidc: shortLived.info.oidc,
      timeoutMs: STEP_TIMEOUT_IN_MS,
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs.status).toBe('Completed');
  });
});
