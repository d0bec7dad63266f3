// The job runtime against the real emulator: submit a command job, wait with adaptive polling,
// stream its log from run history while it runs, and read its metrics through MLflow.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcConnection } from '../../../../test/support/connection';
import { type EmulatorProcess, startEmulatorProcess } from '../../../../test/support/emulator';
import { resolveCloud } from '../../src/cloud';
import { computeArmId } from '../../src/index';
import { listChildJobs } from '../../src/jobs/children';
import { LogStreamer } from '../../src/jobs/log-stream';
import { DataPlaneClients, discoverWorkspaceServices, RunHistoryClient } from '../../src/jobs/run-history';
import { waitForJob } from '../../src/jobs/wait';
import { MlflowClient } from '../../src/metrics/mlflow-client';

// Standard-library Python that speaks MLflow REST itself with the variables the executor sets
// (contracts §2), so the test does not depend on the mlflow shim.
const TRAIN = `python - <<'PY'
import json, os, ssl, sys, time, urllib.request
base = os.environ['MLFLOW_TRACKING_URI'].rstrip('/') + '/api/2.0/mlflow/'
tls = ssl.create_default_context(cafile=os.environ['SSL_CERT_FILE'])
run = os.environ['MLFLOW_RUN_ID']
def log(key, value, step):
    body = json.dumps({'run_id': run, 'key': key, 'value': value, 'timestamp': int(time.time() * 1000), 'step': step})
    request = urllib.request.Request(base + 'runs/log-metric', data=body.encode(), method='POST', headers={
        'Authorization': 'Bearer ' + os.environ['MLFLOW_TRACKING_TOKEN'], 'Content-Type': 'application/json'})
    urllib.request.urlopen(request, context=tls).read()
print('training started', flush=True)
for step, accuracy in enumerate([0.5, 0.75, 0.875]):
    log('accuracy', accuracy, step)
    print('step %d accuracy %.3f' % (step, accuracy), flush=True)
    time.sleep(0.8)
log('loss', 0.25, 0)
print('température finale', flush=True)
sys.stdout.write('no newline at the end')
PY`;

describe('job runtime against the emulator', () => {
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  function runtime() {
    const connection = oidcConnection(emulator.info);
    const cloud = resolveCloud({
      cloud: 'Custom',
      armEndpoint: emulator.info.armEndpoint,
      authorityHost: emulator.info.authorityHost,
    });
    const caCertificates = readFileSync(emulator.info.caCertPath, 'utf8');
    const dataPlane = new DataPlaneClients({
      credential: connection.resolved.credential,
      scope: cloud.armScope,
      caCertificates,
    });
    return { ...connection, dataPlane, caCertificates };
  }

  const submit = (name: string, command: string) => {
    const { jobs, workspace } = runtime();
    return jobs.create(name, {
      jobType: 'Command',
      command,
      environmentId: 'azureml://registries/azureml/environments/python/versions/1',
      computeId: computeArmId(workspace, 'cpu-cluster'),
      experimentName: 'job-runtime',
    });
  };

  it('waits for a command job, streams its log while it runs and reads its metrics', async () => {
    const { jobs, workspace, clients, dataPlane, caCertificates } = runtime();
    const name = `runtime-ok-${Date.now()}`;
    await submit(name, TRAIN);

    const services = await discoverWorkspaceServices(clients.rest, workspace, { dataPlane });
    expect(services.mlflowTrackingUri).toMatch(/^https:\/\/.+\/mlflow\/v1\.0\/subscriptions\//);
    const history = new RunHistoryClient(
      dataPlane.forUrl(services.historyEndpoint),
      services.historyEndpoint,
      workspace,
    );

    let status = '';
    const lines: { line: string; status: string }[] = [];
    const logs = new LogStreamer({
      history,
      caCertificates,
      onLines: (_source, file, read) => {
        expect(file).toBe('user_logs/std_log.txt');
        for (const line of read) lines.push({ line, status });
      },
    });
    logs.addSource({ runId: name });
    const statuses: string[] = [];
    const result = await waitForJob(jobs, name, {
      timeoutInMs: 90_000,
      schedule: { initialDelayInMs: 200, maxDelayInMs: 500 },
      onStatus: (change) => {
        status = change.status;
        statuses.push(change.status);
      },
      onPoll: () => logs.poll(),
    });
    expect(result).toMatchObject({ status: 'Completed', timedOut: false });
    expect(statuses.at(-1)).toBe('Completed');
    expect(statuses).toContain('Running');

    await logs.poll();
    logs.flush();
    const text = lines.map((entry) => entry.line);
    expect(text).toEqual(
      expect.arrayContaining([
        'training started',
        'step 0 accuracy 0.500',
        'step 2 accuracy 0.875',
        'température finale',
        'no newline at the end',
      ]),
    );
    expect(text.indexOf('training started')).toBeLessThan(text.indexOf('step 2 accuracy 0.875'));
    // Streamed as it grew: some lines arrived while the job was still running.
    expect(lines.some((entry) => entry.status === 'Running')).toBe(true);
    expect(logs.tail(name, 2)).toEqual(['température finale', 'no newline at the end']);

    const mlflow = new MlflowClient(dataPlane.forUrl(services.mlflowTrackingUri), services.mlflowTrackingUri);
    expect(await mlflow.finalMetrics(name)).toEqual({ accuracy: 0.875, loss: 0.25 });
    const accuracy = await mlflow.metricHistory(name, 'accuracy');
    expect(accuracy.map((metric) => [metric.step, metric.value])).toEqual([
      [0, 0.5],
      [1, 0.75],
      [2, 0.875],
    ]);
    const experiment = await mlflow.experimentByName('job-runtime');
    expect(experiment?.experiment_id).toBeTruthy();
    expect(await listChildJobs(mlflow, jobs, name, 'job-runtime')).toEqual([]);
  });

  it('gives the tail of a failing job for the failure message', async () => {
    const { jobs, workspace, clients, dataPlane, caCertificates } = runtime();
    const name = `runtime-fail-${Date.now()}`;
    await submit(name, `echo 'loading data'; echo 'ValueError: bad column' >&2; exit 3`);
    const services = await discoverWorkspaceServices(clients.rest, workspace, { dataPlane });
    const history = new RunHistoryClient(
      dataPlane.forUrl(services.historyEndpoint),
      services.historyEndpoint,
      workspace,
    );
    const errors: unknown[] = [];
    const logs = new LogStreamer({
      history,
      caCertificates,
      onLines: () => undefined,
      onError: (e) => errors.push(e),
    });
    logs.addSource({ runId: name });
    const result = await waitForJob(jobs, name, {
      timeoutInMs: 60_000,
      schedule: { initialDelayInMs: 200, maxDelayInMs: 500 },
      onPoll: () => logs.poll(),
    });
    expect(result.status).toBe('Failed');
    await logs.poll();
    logs.flush();
    expect(errors).toEqual([]);
    expect(logs.tail(name, 5)).toEqual(expect.arrayContaining(['loading data', 'ValueError: bad column']));
  });

  it('times out on a job that runs too long, leaving it to the caller to cancel', async () => {
    const { jobs } = runtime();
    const name = `runtime-slow-${Date.now()}`;
    await submit(name, 'sleep 30');
    const result = await waitForJob(jobs, name, {
      timeoutInMs: 1_500,
      schedule: { initialDelayInMs: 200, maxDelayInMs: 500 },
    });
    expect(result.timedOut).toBe(true);
    expect(['Starting', 'Preparing', 'Queued', 'Running']).toContain(result.status);
    await jobs.cancel(name);
    const canceled = await waitForJob(jobs, name, {
      timeoutInMs: 15_000,
      schedule: { initialDelayInMs: 200, maxDelayInMs: 500 },
    });
    expect(canceled.status).toBe('Canceled');
  });
});
