// Command jobs on the real emulator, driven over HTTPS like a client: code snapshot from Azurite,
// inputs and outputs, the log served through run history, failure, cancel and timeout.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest, sleep } from '../../../../test/support/https';
import { API, startTestEmulator, type TestEmulator } from './emulator-client';

const b = (expression: string) => `\${{${expression}}}`;

const TRAIN_PY = `
import os, sys, argparse
p = argparse.ArgumentParser()
p.add_argument('--data'); p.add_argument('--n', type=int); p.add_argument('--out'); p.add_argument('--opt')
a = p.parse_args()
lines = open(a.data).read().splitlines()
print('lines=%d' % len(lines))
print('opt=%s' % a.opt)
print('run=%s output-env=%s' % (os.environ['AZUREML_RUN_ID'], os.environ['AZUREML_OUTPUT_model'] == a.out))
print('input-env=%s' % (os.environ['AZURE_ML_INPUT_n']))
print('to stderr', file=sys.stderr)
os.makedirs(os.path.join(a.out, 'nested'), exist_ok=True)
open(os.path.join(a.out, 'nested', 'model.txt'), 'w').write(str(len(lines) * a.n))
`;

/** Running (a zombie waiting for a reaper that never comes has ended too). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('command jobs', () => {
  let t: TestEmulator;
  let codeId: string;
  const envId = 'azureml://registries/azureml/environments/python/versions/1';

  beforeAll(async () => {
    t = await startTestEmulator();
    codeId = await t.createCode('train-code', { 'train.py': TRAIN_PY, 'lib/helper.sh': 'echo helper-ran\n' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const details = async (name: string) => {
    const response = await t.request('GET', `/history/v1.0${t.workspacePath}/runs/${name}/details`);
    expect(response.status).toBe(200);
    return response.json;
  };

  it('runs a job with inputs and outputs to Completed, uploads its output and serves its log', async () => {
    const data = await t.uploadData('data/rows.txt', 'a\nb\nc\nd\n');
    await t.putJob('cmd-ok', {
      jobType: 'Command',
      command: `bash lib/helper.sh && python train.py --data ${b('inputs.data')} --n ${b('inputs.n')} --out ${b('outputs.model')} $[[--opt ${b('inputs.opt')}]]`,
      codeId,
      environmentId: envId,
      experimentName: 'exec-tests',
      inputs: {
        data: { jobInputType: 'uri_file', uri: data },
        n: { jobInputType: 'literal', value: '3' },
      },
      outputs: { model: { jobOutputType: 'uri_folder' } },
    });
    const job = await t.waitForJob('cmd-ok');
    expect(job.properties.status).toBe('Completed');

    const blob = t.containerClient(t.blobContainer).getBlobClient('azureml/cmd-ok/model/nested/model.txt');
    expect((await blob.downloadToBuffer()).toString()).toBe('12');

    const run = await details('cmd-ok');
    expect(run).toMatchObject({ runId: 'cmd-ok', status: 'Completed', parentRunId: null });
    expect(Date.parse(run.endTimeUtc)).toBeGreaterThanOrEqual(Date.parse(run.startTimeUtc));
    const logUrl = run.logFiles['user_logs/std_log.txt'] as string;
    expect(logUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/azureml\/ExperimentRun\/dcid\.cmd-ok\/user_logs\/std_log\.txt\?.*sig=/,
    );
    const whole = await fetch(logUrl, { headers: { Range: 'bytes=0-' } });
    expect(whole.status).toBe(206);
    const text = await whole.text();
    expect(text).toContain('helper-ran');
    expect(text).toContain('lines=4');
    expect(text).toContain('opt=None'); // the optional block went away with its absent input
    expect(text).toContain('run=cmd-ok output-env=True');
    expect(text).toContain('input-env=3');
    expect(text).toContain('to stderr');
    const size = Buffer.byteLength(text);
    const tail = await fetch(logUrl, { headers: { Range: `bytes=${size - 10}-` } });
    expect(tail.status).toBe(206);
    expect(await tail.text()).toBe(text.slice(-10));
    const nothingNew = await fetch(logUrl, { headers: { Range: `bytes=${size}-` } });
    // Azure answers 416 here; Azurite 3.35 answers 206 with no bytes (Content-Range `bytes 77-76/77`).
    expect([206, 416]).toContain(nothingNew.status);
    expect(await nothingNew.text()).toBe('');
    // The SAS is read-only.
    const write = await fetch(logUrl, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(write.status).toBe(403);
  });

  it('fails a job whose command exits non-zero, with the exit code in the error', async () => {
    await t.putJob('cmd-exit3', {
      jobType: 'Command',
      command: 'echo about to fail; exit 3',
      environmentId: envId,
    });
    const job = await t.waitForJob('cmd-exit3');
    expect(job.properties.status).toBe('Failed');
    const run = await details('cmd-exit3');
    expect(run.error.error.code).toBe('UserError');
    expect(run.error.error.message).toContain('exited with status code 3');
    const log = await (await fetch(run.logFiles['user_logs/std_log.txt'])).text();
    expect(log).toBe('about to fail\n');
  });

  it('fails a job whose input names nothing, and one whose code version does not exist', async () => {
    await t.putJob('cmd-bad-input', {
      jobType: 'Command',
      command: `cat ${b('inputs.data')}`,
      environmentId: envId,
      inputs: {
        data: {
          jobInputType: 'uri_file',
          uri: 'azureml://datastores/workspaceblobstore/paths/none/here.csv',
        },
      },
    });
    await t.putJob('cmd-bad-code', {
      jobType: 'Command',
      command: 'true',
      codeId: `${t.workspacePath}/codes/missing/versions/9`,
      environmentId: envId,
    });
    expect((await t.waitForJob('cmd-bad-input')).properties.status).toBe('Failed');
    expect((await details('cmd-bad-input')).error.error.message).toContain('no blob exists at');
    expect((await t.waitForJob('cmd-bad-code')).properties.status).toBe('Failed');
    expect((await details('cmd-bad-code')).error.error.message).toContain("Code version 'missing:9'");
  });

  it('cancels a running job within 3 s and its processes are gone, even when they ignore SIGTERM', async () => {
    await t.putJob('cmd-cancel', {
      jobType: 'Command',
      command: `trap '' TERM; echo $$ > pid.txt; sleep 1000 & echo $! > child.txt; wait`,
      environmentId: envId,
    });
    const codeDir = path.join(t.stateDir, 'jobs', 'cmd-cancel', 'code');
    await t.waitForJob('cmd-cancel', 20_000, () => existsSync(path.join(codeDir, 'child.txt')));
    const pids = ['pid.txt', 'child.txt'].map((file) =>
      Number(readFileSync(path.join(codeDir, file), 'utf8')),
    );
    expect(pids.every(alive)).toBe(true);
    expect((await t.getJob('cmd-cancel')).properties.status).toBe('Running');

    const started = Date.now();
    const cancel = await t.request('POST', `${t.workspacePath}/jobs/cmd-cancel/cancel?${API}`);
    expect(cancel.status).toBe(202);
    const job = await t.waitForJob('cmd-cancel', 3000);
    expect(job.properties.status).toBe('Canceled');
    expect(Date.now() - started).toBeLessThan(3000);
    await sleep(100);
    expect(pids.some(alive)).toBe(false);
  });

  it('cancels a job that exceeds limits.timeout', async () => {
    await t.putJob('cmd-timeout', {
      jobType: 'Command',
      command: 'echo waiting; sleep 30',
      environmentId: envId,
      limits: { jobLimitsType: 'Command', timeout: 'PT1S' },
    });
    const started = Date.now();
    const job = await t.waitForJob('cmd-timeout', 10_000);
    expect(job.properties.status).toBe('Canceled');
    expect(Date.now() - started).toBeLessThan(8000);
    const run = await details('cmd-timeout');
    expect(run.error.error).toMatchObject({ code: 'JobTimeout' });
    expect(run.error.error.message).toContain('limits.timeout');
  });

  it('uploads ./outputs to the run artifacts, readable as azureml://jobs/<job>/outputs/artifacts/paths/…', async () => {
    await t.putJob('cmd-artifacts', {
      jobType: 'Command',
      command:
        'mkdir -p outputs/model && printf "flavors:\\n  python_function: {}\\n" > outputs/model/MLmodel',
      environmentId: envId,
    });
    expect((await t.waitForJob('cmd-artifacts')).properties.status).toBe('Completed');
    const artifact = t
      .containerClient('azureml')
      .getBlobClient('ExperimentRun/dcid.cmd-artifacts/outputs/model/MLmodel');
    expect((await artifact.downloadToBuffer()).toString()).toBe('flavors:\n  python_function: {}\n');

    await t.putJob('cmd-read-artifacts', {
      jobType: 'Command',
      command: `cat ${b('inputs.model')}/MLmodel`,
      environmentId: envId,
      inputs: {
        model: {
          jobInputType: 'uri_folder',
          uri: 'azureml://jobs/cmd-artifacts/outputs/artifacts/paths/outputs/model',
        },
      },
    });
    expect((await t.waitForJob('cmd-read-artifacts')).properties.status).toBe('Completed');
    const log = await (
      await fetch((await details('cmd-read-artifacts')).logFiles['user_logs/std_log.txt'])
    ).text();
    expect(log).toBe('flavors:\n  python_function: {}\n');

    // A job that writes no ./outputs leaves no artifacts beside its log.
    const names: string[] = [];
    for await (const blob of t
      .containerClient('azureml')
      .listBlobsFlat({ prefix: 'ExperimentRun/dcid.cmd-exit3/' }))
      names.push(blob.name);
    expect(names).toEqual(['ExperimentRun/dcid.cmd-exit3/user_logs/std_log.txt']);
  });

  it('answers discovery without a token and run details only with one', async () => {
    const { info } = t.emulator;
    const discovery = await httpsRequest(`${info.armEndpoint}/discovery`, { ca: t.ca });
    expect(discovery.status).toBe(200);
    expect(discovery.json).toEqual({
      api: info.armEndpoint,
      catalog: info.armEndpoint,
      experimentation: info.armEndpoint,
      history: info.armEndpoint,
      modelmanagement: info.armEndpoint,
      pipelines: info.armEndpoint,
      studiourl: 'https://ml.azure.com',
    });
    const anonymous = await httpsRequest(
      `${info.armEndpoint}/history/v1.0${t.workspacePath}/runs/cmd-exit3/details`,
      { ca: t.ca },
    );
    expect(anonymous.status).toBe(401);
    const missing = await t.request('GET', `/history/v1.0${t.workspacePath}/runs/no-such-run/details`);
    expect(missing.status).toBe(404);
  });
});
