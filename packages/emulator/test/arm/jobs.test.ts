import { describe, expect, it } from 'vitest';
import type { JobExecutor, JobResource } from '../../src/arm/index';
import { setJobStatus } from '../../src/arm/index';
import {
  binding,
  commandJob,
  createHarness,
  type Harness,
  type Loose,
  listAll,
  readReference,
} from './harness';

interface RecordingEntry {
  RequestUri?: string;
  RequestMethod?: string;
  RequestBody?: Record<string, Loose>;
  StatusCode?: number;
  ResponseHeaders?: Record<string, string>;
  ResponseBody?: Record<string, Loose>;
}

const recording = readReference<{ Entries: RecordingEntry[] }>(
  'recordings/python-azure-ai-ml/command_job__test_command_job_builder.EXCERPT.json',
);
const recordedJobPut = recording.Entries.find(
  (entry) => entry.RequestMethod === 'PUT' && entry.RequestUri?.includes('/jobs/'),
) as Required<RecordingEntry>;

/** A harness whose workspace has the recording's (sanitised) coordinates, so ids compare verbatim. */
function recordedWorkspace(options: Parameters<typeof createHarness>[0] = {}) {
  return createHarness({
    ...options,
    context: {
      subscriptionId: '00000000-0000-0000-0000-000000000',
      resourceGroup: '00000',
      workspace: '00000',
    },
  });
}

async function createCompute(harness: Harness, name: string) {
  const response = await harness.invoke('PUT', harness.computeId(name), {
    properties: { computeType: 'AmlCompute', properties: { scaleSettings: { maxNodeCount: 2 } } },
  });
  expect(response.status).toBe(201);
}

const jobPath = (harness: Harness, name: string) => `${harness.workspacePath}/jobs/${name}`;

describe('job create, as recorded', () => {
  it('answers the recorded job PUT with the same status code, headers and properties', async () => {
    const harness = recordedWorkspace();
    await createCompute(harness, 'testCompute');
    const name = '000000000000000000000';
    const response = await harness.invoke('PUT', jobPath(harness, name), recordedJobPut.RequestBody);
    const recorded = recordedJobPut.ResponseBody;

    expect(response.status).toBe(recordedJobPut.StatusCode);
    const recordedLocation = new URL(recordedJobPut.ResponseHeaders.Location as string);
    const location = new URL(response.headers.location as string);
    expect(location.pathname).toBe(recordedLocation.pathname);
    expect(location.searchParams.get('api-version')).toBe('2022-10-01');
    expect(response.headers['azure-asyncoperation']).toBeUndefined();

    expect(Object.keys(response.body).sort()).toEqual(Object.keys(recorded).sort());
    for (const key of Object.keys(recorded.properties)) expect(response.body.properties).toHaveProperty(key);
    for (const key of Object.keys(recorded.systemData)) expect(response.body.systemData).toHaveProperty(key);
    expect(Object.keys(response.body.systemData).sort()).toEqual(Object.keys(recorded.systemData).sort());

    const same = ['id', 'name', 'type'] as const;
    for (const key of same) expect(response.body[key]).toBe(recorded[key]);
    for (const key of [
      'description',
      'tags',
      'displayName',
      'status',
      'experimentName',
      'computeId',
      'isArchived',
      'identity',
      'componentId',
      'jobType',
      'resources',
      'codeId',
      'command',
      'environmentId',
      'inputs',
      'outputs',
      'distribution',
      'limits',
      'environmentVariables',
      'parameters',
    ]) {
      expect(response.body.properties[key], key).toEqual(recorded.properties[key]);
    }
    expect(Object.keys(response.body.properties.services)).toEqual(['Tracking', 'Studio']);
    expect(response.body.properties.services.Studio).toEqual(recorded.properties.services.Studio);
    expect(response.body.properties.services.Tracking.endpoint).toBe(
      `azureml://127.0.0.1:8443/mlflow/v1.0${harness.workspacePath}?`,
    );
    expect(response.body.properties.properties).toMatchObject({
      ...recordedJobPut.RequestBody.properties.properties,
      '_azureml.ComputeTargetType': 'amlctrain',
    });
    expect(response.body.properties.properties.ContentSnapshotId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.systemData).toMatchObject({
      createdBy: '5019366a-3f7a-4d18-adae-d2483c23e1ee',
      createdByType: 'Application',
    });
    expect(response.body.systemData.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/);
  });
});

describe('job defaults', () => {
  it('fills in what the service adds to a minimal command job', async () => {
    const harness = createHarness();
    const response = await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    expect(response.status).toBe(201);
    expect(response.body.properties).toMatchObject({
      status: 'Starting',
      experimentName: 'Default',
      isArchived: false,
      computeId: harness.computeId('cpu-cluster'),
      displayName: null,
      identity: null,
      inputs: {
        epochs: { description: null, value: '3', jobInputType: 'literal' },
        training: { mode: 'ReadOnlyMount', jobInputType: 'uri_folder' },
      },
      outputs: {
        default: {
          uri: 'azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.job-1',
          mode: 'ReadWriteMount',
          jobOutputType: 'uri_folder',
        },
      },
    });
    expect(response.body.properties.services.Tracking.jobServiceType).toBe('Tracking');
    expect(response.body.properties.services.Studio.endpoint).toContain('/runs/job-1?wsid=');
    expect(response.body.properties).not.toHaveProperty('queueSettings');
  });

  it('gives named outputs a default path and mode', async () => {
    const harness = createHarness();
    const body = commandJob(harness, { outputs: { model: { jobOutputType: 'mlflow_model' } } });
    const response = await harness.invoke('PUT', jobPath(harness, 'job-out'), body);
    expect(response.body.properties.outputs.model).toEqual({
      description: null,
      uri: 'azureml://datastores/workspaceblobstore/paths/azureml/job-out/model/',
      mode: 'ReadWriteMount',
      jobOutputType: 'mlflow_model',
    });
  });

  it('keeps newer-contract properties at 2025-12-01 and hides them from 2022-10-01 reads', async () => {
    const harness = createHarness();
    const body = commandJob(harness, { queueSettings: { jobTier: 'Spot' } });
    const created = await harness.invoke('PUT', jobPath(harness, 'job-q'), body, {
      apiVersion: '2025-12-01',
    });
    expect(created.status).toBe(201);
    expect(created.body.properties.queueSettings).toEqual({ jobTier: 'Spot' });
    const old = await harness.invoke('GET', jobPath(harness, 'job-q'));
    expect(old.body.properties).not.toHaveProperty('queueSettings');
    const rejected = await harness.invoke('PUT', jobPath(harness, 'job-q2'), body);
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.target).toBe('properties.queueSettings');
  });

  it('creates sweep and pipeline jobs', async () => {
    const harness = createHarness();
    const sweep = await harness.invoke('PUT', jobPath(harness, 'sweep-1'), {
      properties: {
        jobType: 'Sweep',
        computeId: harness.computeId('cpu-cluster'),
        objective: { goal: 'Maximize', primaryMetric: 'accuracy' },
        samplingAlgorithm: { samplingAlgorithmType: 'Random', seed: 7 },
        searchSpace: { lr: ['uniform', [0.01, 0.1]] },
        earlyTermination: { policyType: 'Bandit', slackFactor: 0.1, evaluationInterval: 1 },
        trial: {
          command: `python train.py --lr ${binding('search_space.lr')}`,
          environmentId: 'azureml:sklearn:1',
        },
        limits: { jobLimitsType: 'Sweep', maxTotalTrials: 4 },
      },
    });
    expect(sweep.status).toBe(201);
    expect(sweep.body.properties.trial.resources).toMatchObject({ instanceCount: 1, shmSize: '2g' });
    expect(sweep.body.properties.outputs.default.uri).toContain('dcid.sweep-1');

    const pipeline = await harness.invoke('PUT', jobPath(harness, 'pipe-1'), {
      properties: {
        jobType: 'Pipeline',
        inputs: { rate: { jobInputType: 'literal', value: '0.5' } },
        jobs: { train: { type: 'command', componentId: 'azureml:train:1', inputs: {} } },
        settings: { default_compute: harness.computeId('cpu-cluster') },
      },
    });
    expect(pipeline.status).toBe(201);
    expect(pipeline.body.properties.jobs.train.type).toBe('command');
    expect(pipeline.body.properties.outputs).toEqual({});
  });
});

describe('job immutability', () => {
  it('answers 200 to an identical PUT and to a PUT echoing the GET response', async () => {
    const harness = createHarness();
    const body = commandJob(harness);
    const created = await harness.invoke('PUT', jobPath(harness, 'job-1'), body);
    const again = await harness.invoke('PUT', jobPath(harness, 'job-1'), body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    const echoed = await harness.invoke('PUT', jobPath(harness, 'job-1'), {
      properties: created.body.properties,
    });
    expect(echoed.status).toBe(200);
  });

  it.each([
    ['properties.command', { command: 'python other.py' }],
    ['properties.experimentName', { experimentName: 'other' }],
    [
      'properties.inputs.training.mode',
      {
        inputs: {
          epochs: { jobInputType: 'literal', value: '3' },
          training: {
            jobInputType: 'uri_folder',
            uri: 'azureml://datastores/workspaceblobstore/paths/data/',
            mode: 'Download',
          },
        },
      },
    ],
    [
      'properties.inputs.epochs.value',
      {
        inputs: {
          epochs: { jobInputType: 'literal', value: '4' },
          training: {
            jobInputType: 'uri_folder',
            uri: 'azureml://datastores/workspaceblobstore/paths/data/',
          },
        },
      },
    ],
    ['properties.resources.instanceCount', { resources: { instanceCount: 2 } }],
  ])('refuses a change of %s with 400 UserError', async (target, change) => {
    const harness = createHarness();
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    const response = await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness, change));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('UserError');
    expect(response.body.error.target).toBe(target);
    expect(response.body.error.message).toMatch(
      new RegExp(`^${target.replace(/\./g, '\\.')}: cannot be changed`),
    );
  });

  it('updates description, display name, tags and archive flag', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    harness.advance(5_000);
    const response = await harness.invoke(
      'PUT',
      jobPath(harness, 'job-1'),
      commandJob(harness, {
        description: 'better',
        displayName: 'nice',
        tags: { team: 'ml' },
        isArchived: true,
      }),
    );
    expect(response.status).toBe(200);
    expect(response.body.properties).toMatchObject({
      description: 'better',
      displayName: 'nice',
      tags: { team: 'ml' },
      isArchived: true,
    });
    expect(response.body.systemData.lastModifiedAt).toBe('2026-01-15T10:00:05.0000000+00:00');
  });
});

describe('job get, list and paging', () => {
  it('gets a job by name case-insensitively and keeps the created name', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', jobPath(harness, 'MyJob'), commandJob(harness));
    const response = await harness.invoke('GET', jobPath(harness, 'myjob'));
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('MyJob');
    expect(response.body.id).toBe(`${harness.workspacePath}/jobs/MyJob`);
  });

  it('answers 404 for an unknown job', async () => {
    const harness = createHarness();
    const response = await harness.invoke('GET', jobPath(harness, 'nope'));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ResourceNotFound');
  });

  it('pages newest first through nextLink with $skip tokens', async () => {
    const harness = createHarness({ arm: { pageSize: 2 } });
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      await harness.invoke('PUT', jobPath(harness, name), commandJob(harness));
    const first = await harness.invoke('GET', `${harness.workspacePath}/jobs`);
    expect(first.body.nextLink).toMatch(
      /^https:\/\/127\.0\.0\.1:8443\/subscriptions\/.*\/jobs\?api-version=2022-10-01&\$skip=/,
    );
    const { items, pages } = await listAll(harness, `${harness.workspacePath}/jobs`);
    expect(items.map((job) => job.name)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(pages).toEqual([2, 2, 1]);
  });

  it('filters by jobType, tag and listViewType', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', jobPath(harness, 'tagged'), commandJob(harness, { tags: { stage: 'dev' } }));
    await harness.invoke('PUT', jobPath(harness, 'archived'), commandJob(harness, { isArchived: true }));
    await harness.invoke('PUT', jobPath(harness, 'pipe'), { properties: { jobType: 'Pipeline', jobs: {} } });
    const names = async (query: string) =>
      (await listAll(harness, `${harness.workspacePath}/jobs?${query}`)).items.map((job) => job.name);
    expect(await names('jobType=Command')).toEqual(['tagged']);
    expect(await names('jobType=Pipeline')).toEqual(['pipe']);
    expect(await names('tag=stage')).toEqual(['tagged']);
    expect(await names('listViewType=ArchivedOnly')).toEqual(['archived']);
    expect(await names('listViewType=All')).toEqual(['pipe', 'archived', 'tagged']);
    const bad = await harness.invoke('GET', `${harness.workspacePath}/jobs?listViewType=Everything`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.target).toBe('listViewType');
  });

  it('rejects a malformed continuation token', async () => {
    const harness = createHarness();
    const response = await harness.invoke('GET', `${harness.workspacePath}/jobs?$skip=garbage`);
    expect(response.status).toBe(400);
    expect(response.body.error.target).toBe('$skip');
  });
});

describe('job cancel', () => {
  it('moves through CancelRequested to Canceled and reports it through the operation result', async () => {
    const harness = createHarness({ arm: { cancelDelayInMs: 2_000 } });
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    const cancel = await harness.invoke('POST', `${jobPath(harness, 'job-1')}/cancel`);
    expect(cancel.status).toBe(202);
    expect(cancel.headers['retry-after']).toBe('1');
    const location = cancel.headers.location as string;
    expect(location).toMatch(
      /^https:\/\/127\.0\.0\.1:8443\/subscriptions\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/locations\/eastus2\/mfeOperationResults\/jc:/,
    );

    expect((await harness.invoke('GET', jobPath(harness, 'job-1'))).body.properties.status).toBe(
      'CancelRequested',
    );
    expect((await harness.invoke('GET', location)).status).toBe(202);
    harness.advance(2_000);
    expect((await harness.invoke('GET', location)).status).toBe(200);
    expect((await harness.invoke('GET', jobPath(harness, 'job-1'))).body.properties.status).toBe('Canceled');
  });

  it('refuses to cancel a job in a terminal state', async () => {
    const harness = createHarness({ arm: { cancelDelayInMs: 0 } });
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    await harness.invoke('POST', `${jobPath(harness, 'job-1')}/cancel`);
    expect((await harness.invoke('GET', jobPath(harness, 'job-1'))).body.properties.status).toBe('Canceled');
    const again = await harness.invoke('POST', `${jobPath(harness, 'job-1')}/cancel`);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('UserError');
    expect(again.body.error.message).toContain("'Canceled'");
  });

  it('answers 404 when canceling an unknown job', async () => {
    const harness = createHarness();
    expect((await harness.invoke('POST', `${jobPath(harness, 'ghost')}/cancel`)).status).toBe(404);
  });
});

describe('job delete', () => {
  it('answers 202 with Location and Retry-After; the result answers 202 then 204', async () => {
    const harness = createHarness({ arm: { retryAfterSeconds: 3 } });
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    const response = await harness.invoke('DELETE', jobPath(harness, 'job-1'));
    expect(response.status).toBe(202);
    expect(response.headers['retry-after']).toBe('3');
    const location = response.headers.location as string;
    expect(location).toContain('/mfeOperationResults/jd:');
    expect((await harness.invoke('GET', location)).status).toBe(202);
    expect((await harness.invoke('GET', location)).status).toBe(204);
    expect((await harness.invoke('GET', jobPath(harness, 'job-1'))).status).toBe(404);
  });

  it('answers 204 for a job that does not exist', async () => {
    const harness = createHarness();
    expect((await harness.invoke('DELETE', jobPath(harness, 'ghost'))).status).toBe(204);
  });
});

describe('job executor seam', () => {
  function recordingExecutor() {
    const started: JobResource[] = [];
    const canceled: string[] = [];
    const executor: JobExecutor = {
      start: (job) => started.push(job),
      cancel: (name) => canceled.push(name),
    };
    return { executor, started, canceled };
  }

  it('hands new jobs to the executor and lets it report status', async () => {
    const { executor, started } = recordingExecutor();
    const harness = createHarness({ executor });
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    expect(started.map((job) => [job.name, job.properties.status])).toEqual([['job-1', 'Starting']]);
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    expect(started).toHaveLength(1);

    setJobStatus(harness.ctx, 'job-1', 'Running');
    setJobStatus(harness.ctx, 'job-1', 'Completed');
    expect(setJobStatus(harness.ctx, 'job-1', 'Running')).toBeUndefined();
    const job = await harness.invoke('GET', jobPath(harness, 'job-1'));
    expect(job.body.properties.status).toBe('Completed');
  });

  it('passes cancel requests to the executor, which decides when the job is Canceled', async () => {
    const { executor, canceled } = recordingExecutor();
    const harness = createHarness({ executor, arm: { cancelDelayInMs: 0 } });
    await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    const cancel = await harness.invoke('POST', `${jobPath(harness, 'job-1')}/cancel`);
    expect(canceled).toEqual(['job-1']);
    harness.advance(60_000);
    expect((await harness.invoke('GET', jobPath(harness, 'job-1'))).body.properties.status).toBe(
      'CancelRequested',
    );
    expect((await harness.invoke('GET', cancel.headers.location as string)).status).toBe(202);
    setJobStatus(harness.ctx, 'job-1', 'Canceled');
    expect((await harness.invoke('GET', cancel.headers.location as string)).status).toBe(200);
  });

  it('marks a job Failed when the executor cannot start it', async () => {
    const harness = createHarness({
      executor: {
        start: () => {
          throw new Error('no python');
        },
        cancel: () => {},
      },
    });
    const response = await harness.invoke('PUT', jobPath(harness, 'job-1'), commandJob(harness));
    expect(response.status).toBe(201);
    expect(response.body.properties.status).toBe('Failed');
  });
});
