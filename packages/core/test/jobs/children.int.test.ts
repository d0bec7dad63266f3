import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmRestClient } from '../../src/arm/rest';
import {
  azureStatusOfMlflowRun,
  bestChildRunId,
  listChildJobs,
  parentRunFilter,
} from '../../src/jobs/children';
import { JobClient } from '../../src/jobs/job-client';
import { MlflowClient } from '../../src/metrics/mlflow-client';
import { type FakeMlflow, fakeRun, startFakeMlflow } from '../metrics/support/fake-mlflow';
import { ARM_SCOPE, dataPlaneFor, FakeCredential } from './support/data-plane';

let fake: FakeMlflow;
beforeAll(async () => {
  fake = await startFakeMlflow();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function clients() {
  const mlflow = new MlflowClient(dataPlaneFor(fake.server).forUrl(fake.trackingUri), fake.trackingUri);
  const rest = new ArmRestClient({
    credential: new FakeCredential(),
    endpoint: fake.server.origin,
    scope: ARM_SCOPE,
    caCertificates: fake.server.ca,
    retryOptions: { maxRetries: 0 },
    env: {},
  });
  return {
    mlflow,
    jobs: new JobClient(rest, { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' }),
  };
}

describe('listChildJobs', () => {
  it('lists pipeline steps with their ARM status and MLflow times, by start time', async () => {
    const parent = { 'mlflow.parentRunId': 'p1' };
    fake.state.runs.push(
      fakeRun('p1'),
      fakeRun('p1_train', { status: 'RUNNING', start: 2000, tags: { ...parent, 'azureml.nodeid': 'train' } }),
      fakeRun('p1_prep', { start: 1000, end: 1900, tags: { ...parent, 'azureml.nodeid': 'prep' } }),
      fakeRun('p1_eval', { status: 'SCHEDULED', tags: { ...parent, 'azureml.nodeid': 'evaluate' } }),
      fakeRun('other_step', { start: 10, tags: { 'mlflow.parentRunId': 'other', 'azureml.nodeid': 'x' } }),
    );
    fake.state.jobStatuses
      .set('p1_prep', 'Completed')
      .set('p1_train', 'Finalizing')
      .set('p1_eval', 'NotStarted');
    const { mlflow, jobs } = clients();
    const children = await listChildJobs(mlflow, jobs, 'p1', 'exp');
    expect(children).toEqual([
      {
        name: 'p1_prep',
        step: 'prep',
        kind: 'step',
        status: 'Completed',
        startTimeMs: 1000,
        endTimeMs: 1900,
        best: false,
      },
      {
        name: 'p1_train',
        step: 'train',
        kind: 'step',
        status: 'Finalizing',
        startTimeMs: 2000,
        endTimeMs: undefined,
        best: false,
      },
      {
        name: 'p1_eval',
        step: 'evaluate',
        kind: 'step',
        status: 'NotStarted',
        startTimeMs: undefined,
        endTimeMs: undefined,
        best: false,
      },
    ]);
    const search = fake.server.requests.find((request) => request.url.includes('runs/search'));
    expect(JSON.parse(search?.body ?? '{}')).toMatchObject({
      experiment_ids: ['1'],
      filter: "tags.mlflow.parentRunId = 'p1'",
    });
    const armGets = fake.server.requests.filter((request) => request.url.includes('/jobs/'));
    expect(armGets.map((request) => request.url.split('?')[1])).toEqual([
      'api-version=2025-12-01',
      'api-version=2025-12-01',
      'api-version=2025-12-01',
    ]);
  });

  it('marks the best trial of a sweep from the parent tag', async () => {
    const parent = { 'mlflow.parentRunId': 's1' };
    fake.state.runs.push(
      fakeRun('s1', { tags: { best_child_run_id: 's1_1', best_metric: '0.93' } }),
      fakeRun('s1_0', { start: 1, end: 5, tags: { ...parent, 'azureml.trial': '0' } }),
      fakeRun('s1_1', { start: 2, end: 6, tags: { ...parent, 'azureml.trial': '1' } }),
      fakeRun('s1_2', { status: 'KILLED', start: 3, end: 4, tags: { ...parent, 'azureml.trial': '2' } }),
    );
    for (const name of ['s1_0', 's1_1']) fake.state.jobStatuses.set(name, 'Completed');
    const { mlflow, jobs } = clients();
    const children = await listChildJobs(mlflow, jobs, 's1', 'exp', { concurrency: 1 });
    expect(
      children.map(({ name, step, kind, status, best }) => ({ name, step, kind, status, best })),
    ).toEqual([
      { name: 's1_0', step: '0', kind: 'trial', status: 'Completed', best: false },
      { name: 's1_1', step: '1', kind: 'trial', status: 'Completed', best: true },
      // ARM has no job s1_2 (404): MLflow's KILLED in Azure's words.
      { name: 's1_2', step: '2', kind: 'trial', status: 'Canceled', best: false },
    ]);
    expect(await bestChildRunId(mlflow, 's1')).toBe('s1_1');
  });

  it('returns [] for an experiment that does not exist, and for a parent without children', async () => {
    const { mlflow, jobs } = clients();
    expect(await listChildJobs(mlflow, jobs, 'p1', 'no-such-experiment')).toEqual([]);
    fake.state.runs.push(fakeRun('lonely'));
    expect(await listChildJobs(mlflow, jobs, 'lonely', 'exp')).toEqual([]);
  });

  it('names a child without step tags by its run name', async () => {
    fake.state.runs.push(fakeRun('c1', { tags: { 'mlflow.parentRunId': 'p9' } }));
    const { mlflow, jobs } = clients();
    const [child] = await listChildJobs(mlflow, jobs, 'p9', 'exp');
    expect(child).toMatchObject({ name: 'c1', step: 'c1', kind: 'child', status: 'Completed' });
  });

  it('lets an ARM failure other than 404 through', async () => {
    fake.state.runs.push(fakeRun('p1_a', { tags: { 'mlflow.parentRunId': 'p1' } }));
    const { mlflow } = clients();
    const jobs = { get: async () => Promise.reject(new Error('ARM is down')) };
    await expect(listChildJobs(mlflow, jobs, 'p1', 'exp')).rejects.toThrow('ARM is down');
  });

  it('a parent with no MLflow run has no best child', async () => {
    const { mlflow } = clients();
    expect(await bestChildRunId(mlflow, 'missing')).toBeUndefined();
  });
});

describe('parentRunFilter', () => {
  it('builds the MLflow filter', () => {
    expect(parentRunFilter('job-1_x')).toBe("tags.mlflow.parentRunId = 'job-1_x'");
  });
  it.each(["a'b", 'a"b', 'a\\b'])('refuses %j', (name) => {
    expect(() => parentRunFilter(name)).toThrow(/is not a job name/);
  });
});

describe('azureStatusOfMlflowRun', () => {
  it.each([
    ['RUNNING', 'Running'],
    ['SCHEDULED', 'Queued'],
    ['FINISHED', 'Completed'],
    ['FAILED', 'Failed'],
    ['KILLED', 'Canceled'],
    ['WHATEVER', 'Unknown'],
  ] as const)('%s → %s', (mlflowStatus, azure) => {
    expect(azureStatusOfMlflowRun(mlflowStatus as never)).toBe(azure);
  });
});
