// A job script that uses `import mlflow` (the standard-library shim on PYTHONPATH, contracts §2):
// its metrics, params and tags land on the job's MLflow run, which the executor finishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './emulator-client';

const SCRIPT = `
import mlflow
with mlflow.start_run() as run:
    assert run.info.run_id == 'shim-job', run.info.run_id
    mlflow.log_param('epochs', 3)
    mlflow.set_tag('stage', 'test')
    for step, value in enumerate([0.5, 0.625, 0.75]):
        mlflow.log_metric('acc', value, step=step)
    mlflow.log_metrics({'loss': 0.25}, step=2)
print('logged')
`;

describe('jobs using the mlflow shim', () => {
  let t: TestEmulator;

  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('logs metrics, params and tags on the job run', async () => {
    const codeId = await t.createCode('shim-code', { 'log.py': SCRIPT });
    await t.putJob('shim-job', {
      jobType: 'Command',
      command: 'python log.py',
      codeId,
      environmentId: 'azureml://registries/azureml/environments/python/versions/1',
      experimentName: 'shim-tests',
      displayName: 'shim display',
    });
    const job = await t.waitForJob('shim-job');
    expect(job.properties.status).toBe('Completed');
    const { run } = await t.mlflow('runs/get?run_id=shim-job', undefined, 'GET');
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.end_time).toBeGreaterThanOrEqual(run.info.start_time);
    const tags = Object.fromEntries(
      run.data.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value]),
    );
    expect(tags).toMatchObject({ 'mlflow.runName': 'shim display', stage: 'test' });
    expect(run.data.params).toContainEqual({ key: 'epochs', value: '3' });
    const history = await t.mlflow('metrics/get-history?run_id=shim-job&metric_key=acc', undefined, 'GET');
    expect(
      history.metrics.map((metric: { value: number; step: number }) => [metric.step, metric.value]),
    ).toEqual([
      [0, 0.5],
      [1, 0.625],
      [2, 0.75],
    ]);
    const experiment = await t.mlflow('experiments/get-by-name?experiment_name=shim-tests', undefined, 'GET');
    expect(run.info.experiment_id).toBe(experiment.experiment.experiment_id);
  });
});
