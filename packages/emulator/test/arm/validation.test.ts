import { describe, expect, it } from 'vitest';
import { commandJob, createHarness, type Harness } from './harness';

type Case = {
  name: string;
  /** Path under the workspace. */
  path: string;
  body: (h: Harness) => unknown;
  target: string;
  message?: RegExp;
  apiVersion?: string;
};

const job = (h: Harness, properties: Record<string, unknown>) => commandJob(h, properties);
const withoutKey = (h: Harness, key: string) => {
  const body = commandJob(h);
  delete (body.properties as Record<string, unknown>)[key];
  return body;
};
const datastore = (properties: Record<string, unknown>) => ({
  properties: {
    datastoreType: 'AzureBlob',
    credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: 'k' } },
    ...properties,
  },
});

const CASES: Case[] = [
  {
    name: 'job without properties',
    path: '/jobs/j',
    body: () => ({}),
    target: 'properties',
    message: /is required/,
  },
  {
    name: 'job properties not an object',
    path: '/jobs/j',
    body: () => ({ properties: 'x' }),
    target: 'properties',
    message: /must be an object/,
  },
  {
    name: 'job without jobType',
    path: '/jobs/j',
    body: (h) => withoutKey(h, 'jobType'),
    target: 'properties.jobType',
    message: /is required\. Allowed values: AutoML, Command, Pipeline, Sweep\./,
  },
  {
    name: 'unknown jobType',
    path: '/jobs/j',
    body: (h) => job(h, { jobType: 'Batch' }),
    target: 'properties.jobType',
    message: /'Batch' is not a valid value/,
  },
  {
    name: 'Spark job at 2022-10-01',
    path: '/jobs/j',
    body: () => ({
      properties: {
        jobType: 'Spark',
        codeId: 'x',
        entry: { sparkJobEntryType: 'SparkJobPythonEntry', file: 'a.py' },
      },
    }),
    target: 'properties.jobType',
    message: /available from api-version 2025-12-01/,
  },
  {
    name: 'command job without command',
    path: '/jobs/j',
    body: (h) => withoutKey(h, 'command'),
    target: 'properties.command',
    message: /is required by CommandJob/,
  },
  {
    name: 'command job without environmentId',
    path: '/jobs/j',
    body: (h) => withoutKey(h, 'environmentId'),
    target: 'properties.environmentId',
  },
  {
    name: 'empty command',
    path: '/jobs/j',
    body: (h) => job(h, { command: '' }),
    target: 'properties.command',
    message: /must not be empty/,
  },
  {
    name: 'command as a number',
    path: '/jobs/j',
    body: (h) => job(h, { command: 42 }),
    target: 'properties.command',
    message: /must be a string, not a number/,
  },
  {
    name: 'input type outside the enum',
    path: '/jobs/j',
    body: (h) => job(h, { inputs: { x: { jobInputType: 'uri_blob', uri: 'a' } } }),
    target: 'properties.inputs.x.jobInputType',
    message: /uri_file/,
  },
  {
    name: 'input mode outside the enum',
    path: '/jobs/j',
    body: (h) => job(h, { inputs: { x: { jobInputType: 'uri_file', uri: 'a', mode: 'Mount' } } }),
    target: 'properties.inputs.x.mode',
    message: /ReadOnlyMount/,
  },
  {
    name: 'input without uri',
    path: '/jobs/j',
    body: (h) => job(h, { inputs: { x: { jobInputType: 'uri_folder' } } }),
    target: 'properties.inputs.x.uri',
  },
  {
    name: 'literal input with a mode',
    path: '/jobs/j',
    body: (h) => job(h, { inputs: { x: { jobInputType: 'literal', value: '1', mode: 'Download' } } }),
    target: 'properties.inputs.x.mode',
    message: /not a known property of LiteralJobInput/,
  },
  {
    name: 'literal input value not a string',
    path: '/jobs/j',
    body: (h) => job(h, { inputs: { x: { jobInputType: 'literal', value: 3 } } }),
    target: 'properties.inputs.x.value',
  },
  {
    name: 'output mode Direct at 2022-10-01',
    path: '/jobs/j',
    body: (h) => job(h, { outputs: { o: { jobOutputType: 'uri_folder', mode: 'Direct' } } }),
    target: 'properties.outputs.o.mode',
    message: /available from api-version 2025-12-01/,
  },
  {
    name: 'queueSettings at 2022-10-01',
    path: '/jobs/j',
    body: (h) => job(h, { queueSettings: { jobTier: 'Spot' } }),
    target: 'properties.queueSettings',
    message: /not supported at api-version 2022-10-01/,
  },
  {
    name: 'unknown job property',
    path: '/jobs/j',
    body: (h) => job(h, { commandLine: 'x' }),
    target: 'properties.commandLine',
    message: /not a known property of CommandJob/,
  },
  {
    name: 'instanceCount not an integer',
    path: '/jobs/j',
    body: (h) => job(h, { resources: { instanceCount: 1.5 } }),
    target: 'properties.resources.instanceCount',
    message: /integer/,
  },
  {
    name: 'shmSize without unit',
    path: '/jobs/j',
    body: (h) => job(h, { resources: { shmSize: 'big' } }),
    target: 'properties.resources.shmSize',
    message: /pattern/,
  },
  {
    name: 'tags with a non-string value',
    path: '/jobs/j',
    body: (h) => job(h, { tags: { n: 1 } }),
    target: 'properties.tags.n',
  },
  {
    name: 'distribution without type',
    path: '/jobs/j',
    body: (h) => job(h, { distribution: { processCountPerInstance: 2 } }),
    target: 'properties.distribution.distributionType',
  },
  {
    name: 'managed identity with a bad client id',
    path: '/jobs/j',
    body: (h) => job(h, { identity: { identityType: 'Managed', clientId: 'not-a-guid' } }),
    target: 'properties.identity.clientId',
  },
  {
    name: 'compute that does not exist',
    path: '/jobs/j',
    body: (h) => job(h, { computeId: h.computeId('gpu-cluster') }),
    target: 'properties.computeId',
    message: /not found/,
  },
  {
    name: 'invalid job name',
    path: '/jobs/-bad',
    body: (h) => commandJob(h),
    target: 'name',
    message: /Job name '-bad' is invalid/,
  },
  {
    name: 'sweep without objective',
    path: '/jobs/s',
    body: () => ({
      properties: {
        jobType: 'Sweep',
        samplingAlgorithm: { samplingAlgorithmType: 'Grid' },
        searchSpace: {},
        trial: { command: 'x', environmentId: 'e' },
      },
    }),
    target: 'properties.objective',
  },
  {
    name: 'sweep goal outside the enum',
    path: '/jobs/s',
    body: () => ({
      properties: {
        jobType: 'Sweep',
        objective: { goal: 'Best', primaryMetric: 'acc' },
        samplingAlgorithm: { samplingAlgorithmType: 'Grid' },
        searchSpace: {},
        trial: { command: 'x', environmentId: 'e' },
      },
    }),
    target: 'properties.objective.goal',
  },
  {
    name: 'sweep trial without command',
    path: '/jobs/s',
    body: () => ({
      properties: {
        jobType: 'Sweep',
        objective: { goal: 'Maximize', primaryMetric: 'acc' },
        samplingAlgorithm: { samplingAlgorithmType: 'Grid' },
        searchSpace: {},
        trial: { environmentId: 'e' },
      },
    }),
    target: 'properties.trial.command',
  },
  {
    name: 'pipeline jobs not an object',
    path: '/jobs/p',
    body: () => ({ properties: { jobType: 'Pipeline', jobs: [] } }),
    target: 'properties.jobs',
    message: /must be an object, not an array/,
  },
  {
    name: 'pipeline step not an object',
    path: '/jobs/p',
    body: () => ({ properties: { jobType: 'Pipeline', jobs: { a: 'step' } } }),
    target: 'properties.jobs.a',
  },
  {
    name: 'datastore type outside the enum',
    path: '/datastores/d',
    body: () => datastore({ datastoreType: 'S3' }),
    target: 'properties.datastoreType',
  },
  {
    name: 'datastore without credentials',
    path: '/datastores/d',
    body: () => ({ properties: { datastoreType: 'AzureBlob' } }),
    target: 'properties.credentials',
  },
  {
    name: 'account-key datastore without secrets',
    path: '/datastores/d',
    body: () => datastore({ credentials: { credentialsType: 'AccountKey' } }),
    target: 'properties.credentials.secrets',
  },
  {
    name: 'AzureFile datastore without share',
    path: '/datastores/d',
    body: () => datastore({ datastoreType: 'AzureFile', accountName: 'acct' }),
    target: 'properties.fileShareName',
  },
  {
    name: 'datastore with an unknown property',
    path: '/datastores/d',
    body: () => datastore({ bucket: 'b' }),
    target: 'properties.bucket',
  },
  {
    name: 'compute type outside the enum',
    path: '/computes/c-one',
    body: () => ({ properties: { computeType: 'Batch' } }),
    target: 'properties.computeType',
  },
  {
    name: 'AmlCompute without maxNodeCount',
    path: '/computes/c-one',
    body: () => ({
      properties: { computeType: 'AmlCompute', properties: { scaleSettings: { minNodeCount: 0 } } },
    }),
    target: 'properties.properties.scaleSettings.maxNodeCount',
  },
  {
    name: 'AmlCompute with min above max',
    path: '/computes/c-one',
    body: () => ({
      properties: {
        computeType: 'AmlCompute',
        properties: { scaleSettings: { minNodeCount: 3, maxNodeCount: 1 } },
      },
    }),
    target: 'properties.properties.scaleSettings.minNodeCount',
  },
  {
    name: 'compute name ending in -<digits>',
    path: '/computes/cluster-1',
    body: () => ({ properties: { computeType: 'AmlCompute' } }),
    target: 'name',
    message: /Compute name 'cluster-1'/,
  },
  {
    name: 'ComputeInstance sharing policy outside the enum',
    path: '/computes/ci-one',
    body: () => ({
      properties: { computeType: 'ComputeInstance', properties: { applicationSharingPolicy: 'Everyone' } },
    }),
    target: 'properties.properties.applicationSharingPolicy',
  },
  {
    name: 'code version without codeUri',
    path: '/codes/c/versions/1',
    body: () => ({ properties: {} }),
    target: 'properties.codeUri',
  },
  {
    name: 'code version with a relative codeUri',
    path: '/codes/c/versions/1',
    body: () => ({ properties: { codeUri: 'LocalUpload/abc' } }),
    target: 'properties.codeUri',
    message: /not an absolute URI/,
  },
  {
    name: 'environment without image or build',
    path: '/environments/e/versions/1',
    body: () => ({ properties: { condaFile: 'name: x' } }),
    target: 'properties.image',
  },
  {
    name: 'environment build without contextUri',
    path: '/environments/e/versions/1',
    body: () => ({ properties: { build: { dockerfilePath: 'Dockerfile' } } }),
    target: 'properties.build.contextUri',
  },
  {
    name: 'model without modelUri at 2025-12-01',
    path: '/models/m/versions/1',
    body: () => ({ properties: { modelType: 'custom_model' } }),
    target: 'properties.modelUri',
    apiVersion: '2025-12-01',
  },
  {
    name: 'model version not an integer',
    path: '/models/m/versions/1.0',
    body: () => ({ properties: { modelUri: 'azureml://x' } }),
    target: 'version',
    message: /positive integers/,
  },
  {
    name: 'data version without dataUri',
    path: '/data/d/versions/1',
    body: () => ({ properties: { dataType: 'uri_file' } }),
    target: 'properties.dataUri',
  },
  {
    name: 'data type outside the enum',
    path: '/data/d/versions/1',
    body: () => ({ properties: { dataType: 'table', dataUri: 'https://x/y' } }),
    target: 'properties.dataType',
  },
  {
    name: 'data version too long',
    path: `/data/d/versions/${'1'.repeat(31)}`,
    body: () => ({ properties: { dataType: 'uri_file', dataUri: 'https://x/y' } }),
    target: 'version',
  },
  {
    name: 'asset name with a dot',
    path: '/codes/my.code/versions/1',
    body: () => ({ properties: { codeUri: 'https://x/y' } }),
    target: 'name',
  },
  {
    name: 'data container without dataType',
    path: '/data/d',
    body: () => ({ properties: {} }),
    target: 'properties.dataType',
  },
  {
    name: 'asset isArchived not a boolean',
    path: '/models/m',
    body: () => ({ properties: { isArchived: 'yes' } }),
    target: 'properties.isArchived',
  },
  {
    name: 'environment stage at 2022-10-01',
    path: '/environments/e/versions/1',
    body: () => ({ properties: { image: 'python:3.11', stage: 'Production' } }),
    target: 'properties.stage',
  },
];

describe('request validation', () => {
  it('covers at least 20 bad bodies', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)(
    '$name → 400 UserError naming $target',
    async ({ path, body, target, message, apiVersion }) => {
      const harness = createHarness();
      const response = await harness.invoke('PUT', `${harness.workspacePath}${path}`, body(harness), {
        apiVersion: apiVersion ?? '2022-10-01',
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('UserError');
      const targets = response.body.error.details.map((detail: { target: string }) => detail.target);
      expect(targets).toContain(target);
      const detail = response.body.error.details.find((d: { target: string }) => d.target === target);
      expect(detail.message.startsWith(`${target}: `)).toBe(true);
      if (message) expect(detail.message).toMatch(message);
      expect(response.body.error.message).toBe(response.body.error.details[0].message);
    },
  );

  it('reports every violation of a body, not only the first', async () => {
    const harness = createHarness();
    const response = await harness.invoke('PUT', `${harness.workspacePath}/jobs/j`, {
      properties: { jobType: 'Command', inputs: { x: { jobInputType: 'uri_file' } } },
    });
    const targets = response.body.error.details.map((detail: { target: string }) => detail.target);
    expect(targets.sort()).toEqual([
      'properties.command',
      'properties.environmentId',
      'properties.inputs.x.uri',
    ]);
  });

  it('ignores read-only properties sent by the client', async () => {
    const harness = createHarness();
    const body = commandJob(harness, {
      status: 'Completed',
      parameters: { a: 1 },
      services: { Studio: { jobServiceType: 'Studio', status: 'Running', errorMessage: null } },
    });
    const response = await harness.invoke('PUT', `${harness.workspacePath}/jobs/j`, {
      ...body,
      id: '/whatever',
      name: 'other',
      type: 'x',
      systemData: {},
    });
    expect(response.status).toBe(201);
    expect(response.body.name).toBe('j');
    expect(response.body.properties.status).toBe('Starting');
    expect(response.body.properties.parameters).toEqual({});
  });

  it('treats nulls on optional properties as absent, as the service deserializes them', async () => {
    const harness = createHarness();
    const response = await harness.invoke(
      'PUT',
      `${harness.workspacePath}/jobs/j`,
      commandJob(harness, { limits: null, codeId: null }),
    );
    expect(response.status).toBe(201);
    expect(response.body.properties.limits).toBeNull();
  });

  it('accepts newer-contract values at 2025-12-01', async () => {
    const harness = createHarness();
    const body = commandJob(harness, {
      outputs: { o: { jobOutputType: 'uri_folder', mode: 'Direct', assetName: 'out' } },
    });
    const response = await harness.invoke('PUT', `${harness.workspacePath}/jobs/j`, body, {
      apiVersion: '2025-12-01',
    });
    expect(response.status).toBe(201);
    expect(response.body.properties.outputs.o).toMatchObject({ mode: 'Direct', assetName: 'out' });
  });
});

describe('request bodies', () => {
  const put = (harness: Harness, options: Parameters<Harness['invoke']>[3], body?: unknown) =>
    harness.invoke('PUT', `${harness.workspacePath}/jobs/j`, body, options);

  it('answers 415 UnsupportedMediaType for a non-JSON content type', async () => {
    const harness = createHarness();
    const response = await put(harness, { headers: { 'content-type': 'text/plain' }, rawBody: 'hello' });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('UnsupportedMediaType');
  });

  it('answers 400 InvalidRequestContent for an empty body', async () => {
    const harness = createHarness();
    const response = await put(harness, { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('InvalidRequestContent');
    expect(response.body.error.message).toContain('empty');
  });

  it('answers 400 InvalidRequestContent for malformed JSON', async () => {
    const harness = createHarness();
    const response = await put(harness, {
      headers: { 'content-type': 'application/json' },
      rawBody: '{"properties": ',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('InvalidRequestContent');
  });

  it.each([[[1, 2]], ['text'], [7]])(
    'answers 400 InvalidRequestContent for a JSON %j that is not an object',
    async (value) => {
      const harness = createHarness();
      const response = await put(harness, {}, value);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('InvalidRequestContent');
    },
  );
});
