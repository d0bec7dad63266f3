import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMlflowHarness, type Loose, type MlflowHarness } from './harness';

const T0 = Date.parse('2026-01-15T09:00:00.000Z');

async function createExperiment(h: MlflowHarness, name: string): Promise<string> {
  const created = await h.call('POST', 'experiments/create', { name });
  expect(created.status).toBe(200);
  return created.body.experiment_id;
}

async function createRun(h: MlflowHarness, body: Record<string, unknown>): Promise<Loose> {
  const created = await h.call('POST', 'runs/create', body);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.run;
}

const tags = (record: Record<string, string>) =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

describe('MLflow experiments', () => {
  it('creates, gets by id and by name, and searches experiments', async () => {
    const h = createMlflowHarness();
    const id = await createExperiment(h, 'churn');
    await createExperiment(h, 'fraud');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const byId = await h.call('GET', 'experiments/get', { experiment_id: id });
    expect(byId.body.experiment).toMatchObject({
      experiment_id: id,
      name: 'churn',
      lifecycle_stage: 'active',
    });
    const byName = await h.call('GET', 'experiments/get-by-name', { experiment_name: 'churn' });
    expect(byName.body.experiment.experiment_id).toBe(id);

    const all = await h.call('POST', 'experiments/search', { order_by: ['name ASC'] });
    expect(all.body.experiments.map((e: Loose) => e.name)).toEqual(['Default', 'churn', 'fraud']);
    const filtered = await h.call('POST', 'experiments/search', { filter: "name LIKE 'fr%'" });
    expect(filtered.body.experiments.map((e: Loose) => e.name)).toEqual(['fraud']);
    const paged = await h.call('GET', 'experiments/search', { max_results: 2, order_by: 'name' });
    expect(paged.body.experiments).toHaveLength(2);
    const rest = await h.call('GET', 'experiments/search', {
      max_results: 2,
      order_by: 'name',
      page_token: paged.body.next_page_token,
    });
    expect(rest.body.experiments.map((e: Loose) => e.name)).toEqual(['fraud']);
    expect(rest.body.next_page_token).toBeUndefined();
  });

  it.each([
    [
      'a duplicate name',
      'POST',
      'experiments/create',
      { name: 'dup' },
      400,
      'RESOURCE_ALREADY_EXISTS',
      "'dup'",
    ],
    ['a missing name', 'POST', 'experiments/create', {}, 400, 'INVALID_PARAMETER_VALUE', "'name'"],
    [
      'an unknown id',
      'GET',
      'experiments/get',
      { experiment_id: 'nope' },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'nope',
    ],
    [
      'an unknown name',
      'GET',
      'experiments/get-by-name',
      { experiment_name: 'x' },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      "'x'",
    ],
    [
      'a filter on metrics',
      'POST',
      'experiments/search',
      { filter: 'metrics.a > 1' },
      400,
      'INVALID_PARAMETER_VALUE',
      'metrics.a > 1',
    ],
  ] as const)('answers %s with MLflow error shape', async (_, method, op, body, status, code, mentions) => {
    const h = createMlflowHarness();
    await createExperiment(h, 'dup');
    const response = await h.call(method, op, body);
    expect(response.status).toBe(status);
    expect(response.body.error_code).toBe(code);
    expect(response.body.message).toContain(mentions);
  });

  it('has the Default experiment 0', async () => {
    const h = createMlflowHarness();
    const response = await h.call('GET', 'experiments/get', { experiment_id: '0' });
    expect(response.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default' });
  });
});

describe('MLflow runs: create, get, update, log', () => {
  let h: MlflowHarness;
  let experimentId: string;
  beforeEach(async () => {
    h = createMlflowHarness();
    experimentId = await createExperiment(h, 'exp');
  });

  it('creates a run with a generated 32-hex id and the run name as tag', async () => {
    const run = await createRun(h, { experiment_id: experimentId, run_name: 'first', start_time: T0 });
    expect(run.info).toMatchObject({
      run_name: 'first',
      experiment_id: experimentId,
      status: 'RUNNING',
      start_time: T0,
      lifecycle_stage: 'active',
      user_id: 'user-oid-1',
    });
    expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.run_uuid).toBe(run.info.run_id);
    expect(run.info.end_time).toBeUndefined();
    expect(run.data).toEqual({ metrics: [], params: [], tags: [{ key: 'mlflow.runName', value: 'first' }] });
  });

  it('takes the run name from the mlflow.runName tag and start time from the clock', async () => {
    const run = await createRun(h, {
      experiment_id: experimentId,
      tags: tags({ 'mlflow.runName': 'tagged' }),
    });
    expect(run.info.run_name).toBe('tagged');
    expect(run.info.start_time).toBe(Date.parse('2026-01-15T10:00:00.000Z'));
  });

  it('gets a run by run_id or run_uuid', async () => {
    const run = await createRun(h, { experiment_id: experimentId });
    for (const field of ['run_id', 'run_uuid']) {
      const got = await h.call('GET', 'runs/get', { [field]: run.info.run_id });
      expect(got.body.run.info.run_id).toBe(run.info.run_id);
    }
  });

  it('updates status, end time and name, answering run_info', async () => {
    const run = await createRun(h, { experiment_id: experimentId });
    const updated = await h.call('POST', 'runs/update', {
      run_uuid: run.info.run_id,
      status: 'FINISHED',
      end_time: String(T0 + 5000),
      run_name: 'renamed',
    });
    expect(updated.body.run_info).toMatchObject({
      status: 'FINISHED',
      end_time: T0 + 5000,
      run_name: 'renamed',
    });
    const got = await h.call('GET', 'runs/get', { run_id: run.info.run_id });
    expect(got.body.run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'renamed' });
  });

  it('logs metrics with NaN and infinities faithfully and keeps the latest per key', async () => {
    const { run_id } = (await createRun(h, { experiment_id: experimentId })).info;
    const points = [
      { key: 'loss', value: 0.9, timestamp: T0, step: 0 },
      { key: 'loss', value: 'NaN', timestamp: T0 + 1, step: 1 },
      { key: 'loss', value: 0.5, timestamp: T0 + 2, step: 2 },
      { key: 'loss', value: 0.7, timestamp: T0 + 3, step: 1 },
      { key: 'inf', value: 'Infinity', timestamp: String(T0), step: '3' },
      { key: 'ninf', value: '-Infinity', timestamp: T0 },
    ];
    for (const point of points) {
      const logged = await h.call('POST', 'runs/log-metric', { run_id, ...point });
      expect(logged, JSON.stringify(logged.body)).toEqual({ status: 200, body: {} });
    }
    const got = await h.call('GET', 'runs/get', { run_id });
    expect(got.body.run.data.metrics).toEqual([
      { key: 'loss', value: 0.5, timestamp: T0 + 2, step: 2 },
      { key: 'inf', value: 'Infinity', timestamp: T0, step: 3 },
      { key: 'ninf', value: '-Infinity', timestamp: T0, step: 0 },
    ]);
    const history = await h.call('GET', 'metrics/get-history', { run_id, metric_key: 'loss' });
    expect(history.body.metrics.map((m: Loose) => m.value)).toEqual([0.9, 'NaN', 0.5, 0.7]);
    expect(h.mlflow.metricHistory(run_id, 'loss')[1]?.value).toBeNaN();
  });

  it('pages metric history', async () => {
    const { run_id } = (await createRun(h, { experiment_id: experimentId })).info;
    const metrics = Array.from({ length: 5 }, (_, step) => ({
      key: 'acc',
      value: step / 10,
      timestamp: T0,
      step,
    }));
    await h.call('POST', 'runs/log-batch', { run_id, metrics });
    const first = await h.call('GET', 'metrics/get-history', { run_id, metric_key: 'acc', max_results: 3 });
    expect(first.body.metrics.map((m: Loose) => m.step)).toEqual([0, 1, 2]);
    const second = await h.call('GET', 'metrics/get-history', {
      run_id,
      metric_key: 'acc',
      max_results: 3,
      page_token: first.body.next_page_token,
    });
    expect(second.body.metrics.map((m: Loose) => m.step)).toEqual([3, 4]);
    expect(second.body.next_page_token).toBeUndefined();
    const unknownKey = await h.call('GET', 'metrics/get-history', { run_id, metric_key: 'nope' });
    expect(unknownKey.body).toEqual({ metrics: [] });
  });

  it('logs params, tags and batches', async () => {
    const { run_id } = (await createRun(h, { experiment_id: experimentId })).info;
    expect((await h.call('POST', 'runs/log-parameter', { run_id, key: 'lr', value: '0.1' })).status).toBe(
      200,
    );
    // Logging the same value again is allowed.
    expect((await h.call('POST', 'runs/log-parameter', { run_id, key: 'lr', value: '0.1' })).status).toBe(
      200,
    );
    expect((await h.call('POST', 'runs/set-tag', { run_id, key: 'team', value: 'a' })).status).toBe(200);
    expect((await h.call('POST', 'runs/set-tag', { run_id, key: 'team', value: 'b' })).status).toBe(200);
    const batch = await h.call('POST', 'runs/log-batch', {
      run_id,
      metrics: [{ key: 'acc', value: 0.8, timestamp: T0, step: 0 }],
      params: [{ key: 'epochs', value: '3' }],
      tags: [{ key: 'mlflow.runName', value: 'batch-named' }],
    });
    expect(batch).toEqual({ status: 200, body: {} });
    const { run } = (await h.call('GET', 'runs/get', { run_id })).body;
    expect(run.data.params).toEqual([
      { key: 'lr', value: '0.1' },
      { key: 'epochs', value: '3' },
    ]);
    expect(run.data.tags).toContainEqual({ key: 'team', value: 'b' });
    expect(run.info.run_name).toBe('batch-named');
    expect(run.data.metrics).toEqual([{ key: 'acc', value: 0.8, timestamp: T0, step: 0 }]);
  });

  it('rejects a whole batch when one param changes value', async () => {
    const { run_id } = (await createRun(h, { experiment_id: experimentId })).info;
    await h.call('POST', 'runs/log-parameter', { run_id, key: 'lr', value: '0.1' });
    const response = await h.call('POST', 'runs/log-batch', {
      run_id,
      params: [
        { key: 'lr', value: '0.2' },
        { key: 'epochs', value: '3' },
      ],
      tags: [{ key: 'seen', value: 'yes' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain("Changing param values is not allowed. Param with key='lr'");
    const { run } = (await h.call('GET', 'runs/get', { run_id })).body;
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data.tags.map((t: Loose) => t.key)).not.toContain('seen');
  });

  it.each([
    [
      'create in an unknown experiment',
      'POST',
      'runs/create',
      { experiment_id: 'nope' },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'nope',
    ],
    ['get without run_id', 'GET', 'runs/get', {}, 400, 'INVALID_PARAMETER_VALUE', "'run_id'"],
    ['get an unknown run', 'GET', 'runs/get', { run_id: 'ghost' }, 404, 'RESOURCE_DOES_NOT_EXIST', 'ghost'],
    [
      'update an unknown run',
      'POST',
      'runs/update',
      { run_id: 'ghost', status: 'FINISHED' },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'ghost',
    ],
    [
      'an invalid status',
      'POST',
      'runs/update',
      { run_id: '$RUN', status: 'DONE' },
      400,
      'INVALID_PARAMETER_VALUE',
      "'DONE'",
    ],
    [
      'an end time that is no integer',
      'POST',
      'runs/update',
      { run_id: '$RUN', end_time: 'soon' },
      400,
      'INVALID_PARAMETER_VALUE',
      "'end_time'",
    ],
    [
      'a metric without value',
      'POST',
      'runs/log-metric',
      { run_id: '$RUN', key: 'a', timestamp: T0 },
      400,
      'INVALID_PARAMETER_VALUE',
      "'value'",
    ],
    [
      'a metric value that is no number',
      'POST',
      'runs/log-metric',
      { run_id: '$RUN', key: 'a', value: 'high', timestamp: T0 },
      400,
      'INVALID_PARAMETER_VALUE',
      '"high"',
    ],
    [
      'a metric without key',
      'POST',
      'runs/log-metric',
      { run_id: '$RUN', value: 1, timestamp: T0 },
      400,
      'INVALID_PARAMETER_VALUE',
      "'key'",
    ],
    [
      'a metric on an unknown run',
      'POST',
      'runs/log-metric',
      { run_id: 'ghost', key: 'a', value: 1, timestamp: T0 },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'ghost',
    ],
    [
      'a param without value',
      'POST',
      'runs/log-parameter',
      { run_id: '$RUN', key: 'a' },
      400,
      'INVALID_PARAMETER_VALUE',
      "'value'",
    ],
    [
      'a tag with an object value',
      'POST',
      'runs/set-tag',
      { run_id: '$RUN', key: 'a', value: { x: 1 } },
      400,
      'INVALID_PARAMETER_VALUE',
      "'value'",
    ],
    [
      'a batch over 100 params',
      'POST',
      'runs/log-batch',
      { run_id: '$RUN', params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' })) },
      400,
      'INVALID_PARAMETER_VALUE',
      'at most 100 params',
    ],
    [
      'a batch whose metrics are no list',
      'POST',
      'runs/log-batch',
      { run_id: '$RUN', metrics: { key: 'a' } },
      400,
      'INVALID_PARAMETER_VALUE',
      "'metrics'",
    ],
    [
      'history without metric_key',
      'GET',
      'metrics/get-history',
      { run_id: '$RUN' },
      400,
      'INVALID_PARAMETER_VALUE',
      "'metric_key'",
    ],
    [
      'history of an unknown run',
      'GET',
      'metrics/get-history',
      { run_id: 'ghost', metric_key: 'a' },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'ghost',
    ],
    [
      'delete an unknown run',
      'POST',
      'runs/delete',
      { run_id: 'ghost' },
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'ghost',
    ],
  ] as const)('answers %s with an MLflow error', async (_, method, op, body, status, code, mentions) => {
    const run = await createRun(h, { experiment_id: experimentId });
    const payload = JSON.parse(JSON.stringify(body).replace('$RUN', run.info.run_id));
    const response = await h.call(method, op, payload);
    expect(response.status).toBe(status);
    expect(response.body.error_code).toBe(code);
    expect(response.body.message).toContain(mentions);
  });

  it('answers a malformed body with MALFORMED_REQUEST and reads JSON sent without its content type', async () => {
    const bad = await h.call('POST', 'runs/create', {}, { rawBody: '{"experiment_id":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('MALFORMED_REQUEST');
    const untyped = await h.call(
      'POST',
      'runs/create',
      {},
      {
        rawBody: JSON.stringify({ experiment_id: experimentId, run_name: 'plain' }),
        contentType: 'text/plain',
      },
    );
    expect(untyped.body.run.info.run_name).toBe('plain');
  });

  it('deletes a run: readable by id, hidden from default searches, closed to logging', async () => {
    const { run_id } = (await createRun(h, { experiment_id: experimentId })).info;
    expect(await h.call('POST', 'runs/delete', { run_id })).toEqual({ status: 200, body: {} });
    expect((await h.call('GET', 'runs/get', { run_id })).body.run.info.lifecycle_stage).toBe('deleted');
    const search = (view?: string) =>
      h.call('POST', 'runs/search', {
        experiment_ids: [experimentId],
        ...(view ? { run_view_type: view } : {}),
      });
    expect((await search()).body.runs).toEqual([]);
    expect((await search('DELETED_ONLY')).body.runs).toHaveLength(1);
    expect((await search('ALL')).body.runs).toHaveLength(1);
    const logged = await h.call('POST', 'runs/log-metric', { run_id, key: 'a', value: 1, timestamp: T0 });
    expect(logged.status).toBe(400);
    expect(logged.body.message).toContain("must be in the 'active' state");
  });

  it('serves only its own workspace, with resourceGroups in any case', async () => {
    const other = h.trackingPath.replace('ws-emulator', 'ws-other');
    const missing = await h.call('GET', 'experiments/get', { experiment_id: '0' }, { base: other });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    expect(missing.body.message).toContain("'ws-other'");
    const lower = h.trackingPath.replace('resourceGroups', 'resourcegroups');
    expect((await h.call('GET', 'experiments/get', { experiment_id: '0' }, { base: lower })).status).toBe(
      200,
    );
  });
});

describe('MLflow runs/search', () => {
  let h: MlflowHarness;
  let experimentId: string;
  beforeEach(async () => {
    h = createMlflowHarness();
    experimentId = await createExperiment(h, 'search');
    const other = await createExperiment(h, 'other');
    const seed: {
      name: string;
      at: number;
      status: string;
      tags: Record<string, string>;
      lr?: string;
      metrics: Record<string, number | string>;
    }[] = [
      {
        name: 'alpha',
        at: 0,
        status: 'FINISHED',
        tags: { team: 'vision', 'mlflow.parentRunId': 'P', 'k.with.dots': 'd1' },
        lr: '0.1',
        metrics: { acc: 0.9, loss: 0.3 },
      },
      {
        name: 'beta',
        at: 1000,
        status: 'RUNNING',
        tags: { team: 'nlp', 'mlflow.parentRunId': 'P' },
        lr: '0.01',
        metrics: { acc: 0.7 },
      },
      {
        name: 'gamma',
        at: 2000,
        status: 'FAILED',
        tags: { team: 'Vision' },
        lr: '0.1',
        metrics: { acc: 'NaN' },
      },
      { name: 'delta', at: 3000, status: 'FINISHED', tags: {}, lr: undefined, metrics: {} },
    ];
    for (const run of seed) {
      const created = await createRun(h, {
        experiment_id: experimentId,
        run_name: run.name,
        start_time: T0 + run.at,
        tags: tags(run.tags),
      });
      const { run_id } = created.info;
      await h.call('POST', 'runs/log-batch', {
        run_id,
        metrics: Object.entries(run.metrics).map(([key, value]) => ({ key, value, timestamp: T0, step: 0 })),
        params: run.lr ? [{ key: 'lr', value: run.lr }] : [],
      });
      await h.call('POST', 'runs/update', { run_id, status: run.status });
    }
    await createRun(h, { experiment_id: other, run_name: 'elsewhere', tags: tags({ team: 'vision' }) });
  });

  const names = (body: Loose): string[] => body.runs.map((run: Loose) => run.info.run_name);

  it.each([
    ['', ['delta', 'gamma', 'beta', 'alpha']],
    ["tags.team = 'vision'", ['alpha']],
    ["tags.team ILIKE 'vision'", ['gamma', 'alpha']],
    ["tags.team LIKE 'V%'", ['gamma']],
    ["tags.mlflow.parentRunId = 'P'", ['beta', 'alpha']],
    ["tags.`k.with.dots` = 'd1'", ['alpha']],
    ['tags."k.with.dots" != \'zz\'', ['alpha']],
    ["params.lr = '0.1'", ['gamma', 'alpha']],
    ["params.lr != '0.1'", ['beta']],
    ['metrics.acc > 0.8', ['alpha']],
    ['metrics.acc >= 0.7 AND metrics.acc < 0.9', ['beta']],
    ['metrics.acc != 0.5', ['gamma', 'beta', 'alpha']],
    ['metrics.loss <= 3e-1', ['alpha']],
    ["attributes.status = 'FINISHED'", ['delta', 'alpha']],
    ["attributes.run_name = 'beta'", ['beta']],
    ["status != 'RUNNING' and params.lr = '0.1'", ['gamma', 'alpha']],
    [`attributes.start_time >= ${T0 + 2000}`, ['delta', 'gamma']],
    ["attributes.run_name IN ('alpha', 'delta')", ['delta', 'alpha']],
    ["attributes.run_name LIKE '_eta'", ['beta']],
  ])('filters %s', async (filter, expected) => {
    const response = await h.call('POST', 'runs/search', { experiment_ids: [experimentId], filter });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(names(response.body)).toEqual(expected);
  });

  it.each([
    ['tags.team = vision', 'expected a quoted string'],
    ["metrics.acc > 'high'", 'expected a number'],
    ["tags.team = 'a' OR tags.team = 'b'", 'only AND'],
    ['params.lr > 0.1', "comparator '>' is not supported"],
    ["attributes.colour = 'red'", "unknown attribute 'colour'"],
    ["foo.bar = 'x'", "unknown attribute 'foo'"],
    ["tags.team = 'unterminated", 'unterminated quote'],
    ['metrics.acc >', 'expected a number'],
    ["= 'x'", 'expected an identifier'],
    ["tags.team == 'x'", 'expected a quoted string'],
  ])('rejects the filter %s', async (filter, reason) => {
    const response = await h.call('POST', 'runs/search', { experiment_ids: [experimentId], filter });
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(response.body.message).toContain(`'${filter}'`);
    expect(response.body.message).toContain(reason);
  });

  it.each([
    [['metrics.acc DESC'], ['alpha', 'beta', 'gamma', 'delta']],
    [['metrics.acc ASC'], ['beta', 'alpha', 'gamma', 'delta']],
    [['attributes.start_time'], ['alpha', 'beta', 'gamma', 'delta']],
    [['params.lr DESC'], ['gamma', 'alpha', 'beta', 'delta']],
    [['tags.team ASC'], ['gamma', 'beta', 'alpha', 'delta']],
    [
      ['attributes.status', 'attributes.run_name DESC'],
      ['gamma', 'delta', 'alpha', 'beta'],
    ],
  ])('orders by %j', async (orderBy, expected) => {
    const response = await h.call('POST', 'runs/search', {
      experiment_ids: [experimentId],
      order_by: orderBy,
    });
    expect(names(response.body)).toEqual(expected);
  });

  it.each([['metrics.acc DOWN'], ['attributes.nope'], ['']])('rejects order_by %j', async (term) => {
    const response = await h.call('POST', 'runs/search', {
      experiment_ids: [experimentId],
      order_by: [term],
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(`'${term}'`);
  });

  it('pages with max_results and page_token', async () => {
    const first = await h.call('POST', 'runs/search', { experiment_ids: [experimentId], max_results: 3 });
    expect(names(first.body)).toEqual(['delta', 'gamma', 'beta']);
    expect(first.body.next_page_token).toEqual(expect.any(String));
    const second = await h.call('POST', 'runs/search', {
      experiment_ids: [experimentId],
      max_results: 3,
      page_token: first.body.next_page_token,
    });
    expect(names(second.body)).toEqual(['alpha']);
    expect(second.body.next_page_token).toBeUndefined();
  });

  it.each([
    [{ max_results: 0 }, "'max_results'"],
    [{ max_results: 50_001 }, "'max_results'"],
    [{ page_token: 'not-a-token' }, 'Invalid page token'],
    [{ run_view_type: 'SOME' }, "'run_view_type'"],
  ])('rejects paging arguments %j', async (args, mentions) => {
    const response = await h.call('POST', 'runs/search', { experiment_ids: [experimentId], ...args });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(mentions);
  });

  it('searches several experiments, and none when no experiment is named', async () => {
    const all = await h.call('POST', 'experiments/search', {});
    const ids = all.body.experiments.map((e: Loose) => e.experiment_id);
    const response = await h.call('POST', 'runs/search', {
      experiment_ids: ids,
      filter: "tags.team = 'vision'",
    });
    expect(names(response.body).sort()).toEqual(['alpha', 'elsewhere']);
    expect((await h.call('POST', 'runs/search', {})).body.runs).toEqual([]);
  });
});

describe('MlflowStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlflow-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps experiments, runs and metric history (NaN included) across a restart', () => {
    const before = createMlflowHarness({ stateDir: dir });
    const experiment = before.mlflow.ensureExperiment('train');
    before.mlflow.createRun({ runId: 'job_1', experimentId: experiment.experiment_id, runName: 'Job one' });
    before.mlflow.logMetric('job_1', { key: 'loss', value: Number.NaN, timestamp: T0, step: 0 });
    before.mlflow.logMetric('job_1', { key: 'loss', value: 0.25, timestamp: T0 + 1, step: 1 });
    before.mlflow.logParam('job_1', 'lr', '0.1');
    before.mlflow.updateRun('job_1', { status: 'FINISHED', endTimeMs: T0 + 10 });

    const after = createMlflowHarness({ stateDir: dir });
    expect(after.mlflow.ensureExperiment('train')).toEqual(experiment);
    const run = after.mlflow.getRun('job_1');
    expect(run?.info).toMatchObject({
      run_id: 'job_1',
      run_name: 'Job one',
      status: 'FINISHED',
      end_time: T0 + 10,
    });
    expect(run?.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    const history = after.mlflow.metricHistory('job_1', 'loss');
    expect(history.map((point) => point.value)).toEqual([Number.NaN, 0.25]);
  });

  it('creates a job run under its job name once, with the executor tags', () => {
    const h = createMlflowHarness();
    const { experiment_id } = h.mlflow.ensureExperiment('exp');
    const tagsIn = { 'mlflow.parentRunId': 'pipe', 'azureml.nodeid': 'train', 'mlflow.user': 'Ada' };
    const first = h.mlflow.createRun({
      runId: 'pipe_train',
      experimentId: experiment_id,
      runName: 'train',
      tags: tagsIn,
    });
    expect(first.info).toMatchObject({ run_id: 'pipe_train', run_name: 'train', user_id: 'Ada' });
    expect(first.data.tags).toContainEqual({ key: 'azureml.nodeid', value: 'train' });
    const again = h.mlflow.createRun({ runId: 'pipe_train', experimentId: experiment_id, runName: 'other' });
    expect(again.info.run_name).toBe('train');
    expect(
      h.mlflow.searchRuns({ experimentIds: [experiment_id], filter: "tags.mlflow.parentRunId = 'pipe'" })
        .runs,
    ).toHaveLength(1);
  });

  it.each([
    ['an unknown run', () => createMlflowHarness().mlflow.setTag('ghost', 'a', 'b'), 'ghost'],
    [
      'an empty metric key',
      () => {
        const h = createMlflowHarness();
        h.mlflow.createRun({ runId: 'r', experimentId: '0' });
        h.mlflow.logMetric('r', { key: ' ', value: 1 });
      },
      'metric name',
    ],
    ['an unknown experiment', () => createMlflowHarness().mlflow.createRun({ experimentId: 'x' }), 'id=x'],
  ])('throws MlflowError for %s', (_, act, mentions) => {
    expect(act).toThrowError(
      expect.objectContaining({ name: 'MlflowError', message: expect.stringContaining(mentions) }),
    );
  });

  it('answers undefined when updating an unknown run and empty history for it', () => {
    const h = createMlflowHarness();
    expect(h.mlflow.updateRun('ghost', { status: 'FAILED' })).toBeUndefined();
    expect(h.mlflow.metricHistory('ghost', 'acc')).toEqual([]);
  });
});
