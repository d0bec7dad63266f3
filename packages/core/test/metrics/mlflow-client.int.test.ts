import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureRequestError } from '../../src/errors';
import { latestMetrics, MlflowClient, type MlflowRun } from '../../src/metrics/mlflow-client';
import { dataPlaneFor } from '../jobs/support/data-plane';
import { type FakeMlflow, fakeRun, startFakeMlflow, TRACKING_PATH } from './support/fake-mlflow';

let mlflow: FakeMlflow;
beforeAll(async () => {
  mlflow = await startFakeMlflow();
});
afterAll(() => mlflow.close());
beforeEach(() => mlflow.reset());

const client = () =>
  new MlflowClient(dataPlaneFor(mlflow.server).forUrl(mlflow.trackingUri), mlflow.trackingUri);
const requests = () =>
  mlflow.server.requests.map((request) => `${request.method} ${request.url.replace(TRACKING_PATH, '')}`);

describe('MlflowClient', () => {
  it('refuses a tracking URI that is not https', () => {
    const rest = dataPlaneFor(mlflow.server).forUrl(mlflow.trackingUri);
    expect(() => new MlflowClient(rest, 'azureml://h/mlflow/v1.0')).toThrow(/must be https:\/\//);
  });

  it('getRun reads a run, normalising protobuf JSON numbers', async () => {
    mlflow.state.runs.push(
      fakeRun('j1', {
        start: 1000,
        end: 2000,
        tags: { 'mlflow.runName': 'train' },
        metrics: { accuracy: 0.9, loss: 'NaN' },
      }),
    );
    const run = await client().getRun('j1');
    expect(run.info).toMatchObject({
      run_id: 'j1',
      experiment_id: '1',
      status: 'FINISHED',
      start_time: 1000,
      end_time: 2000,
    });
    expect(run.data.metrics).toEqual([
      { key: 'accuracy', value: 0.9, timestamp: 5, step: 0 },
      { key: 'loss', value: Number.NaN, timestamp: 5, step: 0 },
    ]);
    expect(run.data.tags).toEqual([{ key: 'mlflow.runName', value: 'train' }]);
    expect(requests()).toEqual(['GET /api/2.0/mlflow/runs/get?run_id=j1&run_uuid=j1']);
    // The ARM token goes to the tracking host, with no api-version.
    expect(mlflow.server.requests[0]?.headers.authorization).toBe('Bearer arm-token-for-tests');
  });

  it('getRun throws AzureRequestError with the MLflow message for an unknown run', async () => {
    const error = await client()
      .getRun('missing')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error).toMatchObject({ status: 404, serviceMessage: "Run 'missing' not found" });
  });

  it('searchRuns reads every page, sending the query in MLflow names', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      mlflow.state.runs.push(fakeRun(id, { tags: { 'mlflow.parentRunId': id === 'e' ? 'other' : 'p1' } }));
    }
    const runs = await client().searchRuns({
      experimentIds: ['1'],
      filter: "tags.mlflow.parentRunId = 'p1'",
      orderBy: ['attributes.start_time ASC'],
      maxResults: 50,
    });
    expect(runs.map((run) => run.info.run_id)).toEqual(['a', 'b', 'c', 'd']);
    const bodies = mlflow.server.requests.map((request) => JSON.parse(request.body));
    expect(bodies).toEqual([
      {
        experiment_ids: ['1'],
        filter: "tags.mlflow.parentRunId = 'p1'",
        order_by: ['attributes.start_time ASC'],
        max_results: 50,
      },
      {
        experiment_ids: ['1'],
        filter: "tags.mlflow.parentRunId = 'p1'",
        order_by: ['attributes.start_time ASC'],
        max_results: 50,
        page_token: '2',
      },
    ]);
  });

  it('searchRuns returns [] when nothing matches and sends only what was given', async () => {
    expect(await client().searchRuns({ experimentIds: ['1'] })).toEqual([]);
    expect(JSON.parse(mlflow.server.requests[0]?.body ?? '')).toEqual({ experiment_ids: ['1'] });
  });

  it('searchRuns surfaces INVALID_PARAMETER_VALUE as a 400', async () => {
    await expect(client().searchRuns({ experimentIds: ['1'], filter: 'nonsense' })).rejects.toMatchObject({
      status: 400,
      serviceMessage: 'bad filter nonsense',
    });
  });

  it('metricHistory reads every page in order', async () => {
    mlflow.state.runs.push(fakeRun('j1'));
    mlflow.state.history.set(
      'j1/loss',
      [0.9, 0.5, 0.3].map((value, step) => ({ key: 'loss', value, timestamp: 100 + step, step })),
    );
    const history = await client().metricHistory('j1', 'loss');
    expect(history).toEqual([
      { key: 'loss', value: 0.9, timestamp: 100, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 101, step: 1 },
      { key: 'loss', value: 0.3, timestamp: 102, step: 2 },
    ]);
    expect(requests()).toEqual([
      'GET /api/2.0/mlflow/metrics/get-history?run_id=j1&run_uuid=j1&metric_key=loss',
      'GET /api/2.0/mlflow/metrics/get-history?run_id=j1&run_uuid=j1&metric_key=loss&page_token=2',
    ]);
  });

  it('metricHistory of a metric never logged is empty; of an unknown run, an error', async () => {
    mlflow.state.runs.push(fakeRun('j1'));
    expect(await client().metricHistory('j1', 'nothing')).toEqual([]);
    await expect(client().metricHistory('nope', 'loss')).rejects.toMatchObject({ status: 404 });
  });

  it('finalMetrics gives the latest value per key', async () => {
    mlflow.state.runs.push(fakeRun('j1', { metrics: { accuracy: 0.91, f1: '0.8' } }));
    expect(await client().finalMetrics('j1')).toEqual({ accuracy: 0.91, f1: 0.8 });
  });

  it('experimentByName finds an experiment, or undefined for none', async () => {
    expect(await client().experimentByName('exp')).toMatchObject({ experiment_id: '1', name: 'exp' });
    expect(await client().experimentByName('nope')).toBeUndefined();
    expect(requests()[1]).toBe('GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=nope');
  });

  it('experimentByName lets a server error through', async () => {
    mlflow.state.failures.set('experiments/get-by-name', 500);
    await expect(client().experimentByName('exp')).rejects.toMatchObject({ status: 500 });
  });
});

describe('latestMetrics', () => {
  const run = (metrics: MlflowRun['data']['metrics']): MlflowRun => ({
    info: { run_id: 'r', experiment_id: '1', status: 'FINISHED' },
    data: { metrics, params: [], tags: [] },
  });
  it.each([
    { case: 'none', metrics: [], expected: {} },
    {
      case: 'a later step wins',
      metrics: [
        { key: 'loss', value: 0.2, timestamp: 9, step: 2 },
        { key: 'loss', value: 0.5, timestamp: 10, step: 1 },
      ],
      expected: { loss: 0.2 },
    },
    {
      case: 'same step: the later time wins',
      metrics: [
        { key: 'acc', value: 0.1, timestamp: 1, step: 0 },
        { key: 'acc', value: 0.7, timestamp: 2, step: 0 },
      ],
      expected: { acc: 0.7 },
    },
  ])('$case', ({ metrics, expected }) => {
    expect(latestMetrics(run(metrics))).toEqual(expected);
  });
});
