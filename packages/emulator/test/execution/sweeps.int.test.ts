// Sweep jobs on the real emulator: trials as child jobs with sampled params, concurrency limits,
// metrics logged over the MLflow REST API from inside the trial (the environment of contracts §2),
// the best trial recorded on the sweep's run; and early termination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './emulator-client';

const b = (expression: string) => `\${{${expression}}}`;
const ENV = 'azureml://registries/azureml/environments/python/versions/1';

// Standard library only: what the mlflow shim does, spelled out, so this test checks the job
// environment (tracking URI, token, run id, CA bundle) on its own.
const TRIAL_PY = `
import json, os, ssl, sys, time, urllib.request
lr = float(sys.argv[1]); steps = int(sys.argv[2]); pause = float(sys.argv[3])
context = ssl.create_default_context(cafile=os.environ['SSL_CERT_FILE'])
def call(op, body):
    request = urllib.request.Request(
        os.environ['MLFLOW_TRACKING_URI'] + '/api/2.0/mlflow/' + op, data=json.dumps(body).encode(), method='POST',
        headers={'Authorization': 'Bearer ' + os.environ['MLFLOW_TRACKING_TOKEN'], 'Content-Type': 'application/json'})
    return urllib.request.urlopen(request, context=context).read()
for step in range(steps):
    call('runs/log-metric', {'run_id': os.environ['MLFLOW_RUN_ID'], 'key': 'acc', 'value': lr,
                             'timestamp': int(time.time() * 1000), 'step': step})
    time.sleep(pause)
print('trial lr=%s done' % lr)
`;

describe('sweep jobs', () => {
  let t: TestEmulator;
  let codeId: string;

  beforeAll(async () => {
    t = await startTestEmulator();
    codeId = await t.createCode('sweep-code', { 'trial.py': TRIAL_PY });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const run = async (runId: string) => (await t.mlflow(`runs/get?run_id=${runId}`, undefined, 'GET')).run;
  const tag = (mlflowRun: { data: { tags: { key: string; value: string }[] } }, key: string) =>
    mlflowRun.data.tags.find((entry) => entry.key === key)?.value;
  const details = async (name: string) =>
    (await t.request('GET', `/history/v1.0${t.workspacePath}/runs/${name}/details`)).json;

  it('runs 4 seeded random trials, at most 2 at a time, and records the best', async () => {
    await t.putJob('sweep-ok', {
      jobType: 'Sweep',
      experimentName: 'sweeps',
      searchSpace: { lr: ['uniform', [0.1, 0.9]] },
      samplingAlgorithm: { samplingAlgorithmType: 'Random', seed: 11 },
      objective: { goal: 'Maximize', primaryMetric: 'acc' },
      limits: { jobLimitsType: 'Sweep', maxTotalTrials: 4, maxConcurrentTrials: 2 },
      trial: {
        codeId,
        environmentId: ENV,
        command: `python trial.py ${b('search_space.lr')} 2 0.2`,
      },
    });
    const job = await t.waitForJob('sweep-ok', 60_000);
    expect(job.properties.status).toBe('Completed');

    const trials = [0, 1, 2, 3].map((index) => `sweep-ok_${index}`);
    const lrs: number[] = [];
    const spans: [number, number][] = [];
    for (const [index, name] of trials.entries()) {
      expect((await t.getJob(name)).properties.status).toBe('Completed');
      const trialRun = await run(name);
      expect(tag(trialRun, 'mlflow.parentRunId')).toBe('sweep-ok');
      expect(tag(trialRun, 'azureml.trial')).toBe(String(index));
      const lr = Number(trialRun.data.params.find((param: { key: string }) => param.key === 'lr')?.value);
      expect(lr).toBeGreaterThanOrEqual(0.1);
      expect(lr).toBeLessThan(0.9);
      lrs.push(lr);
      const history = await details(name);
      spans.push([Date.parse(history.startTimeUtc), Date.parse(history.endTimeUtc)]);
    }
    expect(new Set(lrs).size).toBe(4);
    // Never more than max_concurrent_trials at once.
    for (const [start] of spans) {
      expect(spans.filter(([s, e]) => s <= start && start < e).length).toBeLessThanOrEqual(2);
    }
    const children = await t.mlflow('runs/search', {
      experiment_ids: [(await run('sweep-ok')).info.experiment_id ?? '1'],
      filter: "tags.mlflow.parentRunId = 'sweep-ok'",
    });
    expect(children.runs.map((child: { info: { run_id: string } }) => child.info.run_id).sort()).toEqual(
      trials,
    );

    const best = Math.max(...lrs);
    const parent = await run('sweep-ok');
    expect(tag(parent, 'best_child_run_id')).toBe(trials[lrs.indexOf(best)]);
    expect(Number(tag(parent, 'best_metric'))).toBeCloseTo(best, 10);
  });

  it('stops trials that fall behind under a bandit policy and still completes', async () => {
    await t.putJob('sweep-bandit', {
      jobType: 'Sweep',
      searchSpace: { lr: ['choice', [[0.9, 0.1]]] },
      samplingAlgorithm: { samplingAlgorithmType: 'Grid' },
      objective: { goal: 'Maximize', primaryMetric: 'acc' },
      limits: { jobLimitsType: 'Sweep', maxTotalTrials: 2, maxConcurrentTrials: 2 },
      earlyTermination: { policyType: 'Bandit', slackFactor: 0.2, evaluationInterval: 1, delayEvaluation: 1 },
      trial: { codeId, environmentId: ENV, command: `python trial.py ${b('search_space.lr')} 15 0.15` },
    });
    const job = await t.waitForJob('sweep-bandit', 30_000);
    expect(job.properties.status).toBe('Completed');
    const statuses = await Promise.all(
      [0, 1].map(async (i) => (await t.getJob(`sweep-bandit_${i}`)).properties.status),
    );
    expect(statuses).toEqual(['Completed', 'Canceled']);
    expect(tag(await run('sweep-bandit_1'), 'azureml.earlyTermination')).toMatch(/^Bandit at interval \d+$/);
    expect(tag(await run('sweep-bandit'), 'best_child_run_id')).toBe('sweep-bandit_0');
  });

  it('fails a sweep whose trials all fail, and one whose search space is unusable', async () => {
    await t.putJob('sweep-fail', {
      jobType: 'Sweep',
      searchSpace: { x: ['choice', [[1, 2]]] },
      samplingAlgorithm: { samplingAlgorithmType: 'Grid' },
      objective: { goal: 'Minimize', primaryMetric: 'loss' },
      trial: { environmentId: ENV, command: `exit ${b('search_space.x')}` },
    });
    await t.putJob('sweep-bad-space', {
      jobType: 'Sweep',
      searchSpace: { x: ['uniform', [0, 1]] },
      samplingAlgorithm: { samplingAlgorithmType: 'Grid' },
      objective: { goal: 'Minimize', primaryMetric: 'loss' },
      trial: { environmentId: ENV, command: 'true' },
    });
    expect((await t.waitForJob('sweep-fail')).properties.status).toBe('Failed');
    expect((await details('sweep-fail')).error.error.message).toContain(
      'No trial completed (2 run, 2 failed)',
    );
    expect((await t.waitForJob('sweep-bad-space')).properties.status).toBe('Failed');
    expect((await details('sweep-bad-space')).error.error.message).toContain(
      'Grid sampling supports choice only',
    );
  });
});
