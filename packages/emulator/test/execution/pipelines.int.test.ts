// Pipeline jobs on the real emulator: steps as child jobs run in DAG order from their bindings,
// parent inputs and outputs bound, failures skipping dependants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startTestEmulator, type TestEmulator } from './emulator-client';

const b = (expression: string) => `\${{${expression}}}`;
const bound = (expression: string) => ({ job_input_type: 'literal', value: b(expression) });
const ENV = 'azureml://registries/azureml/environments/python/versions/1';

describe('pipeline jobs', () => {
  let t: TestEmulator;
  let codeId: string;

  beforeAll(async () => {
    t = await startTestEmulator();
    codeId = await t.createCode('pipeline-code', { 'upper.sh': 'tr a-z A-Z < "$1" > "$2/clean.txt"\n' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const component = async (name: string, spec: Record<string, unknown>) => {
    const response = await t.request('PUT', `${t.workspacePath}/components/${name}/versions/1?${API}`, {
      properties: { componentSpec: { name, version: '1', type: 'command', environment: ENV, ...spec } },
    });
    expect(response.status).toBeLessThan(300);
    return `azureml:${response.json.id}`;
  };
  const details = async (name: string) =>
    (await t.request('GET', `/history/v1.0${t.workspacePath}/runs/${name}/details`)).json;

  it('runs a 3-step pipeline in dependency order with parent and step bindings', async () => {
    const prep = await component('prep', {
      code: `azureml:${codeId}`,
      command: `sleep 0.3 && bash upper.sh ${b('inputs.raw')} ${b('outputs.clean')}`,
      inputs: { raw: { type: 'uri_file' } },
      outputs: { clean: { type: 'uri_folder' } },
    });
    const train = await component('train', {
      command: `cat ${b('inputs.data')}/clean.txt > ${b('outputs.model')}/model.txt && echo "lr=${b('inputs.lr')} seed=${b('inputs.seed')}" >> ${b('outputs.model')}/model.txt`,
      inputs: { data: { type: 'uri_folder' }, lr: { type: 'number' }, seed: { type: 'integer', default: 7 } },
      outputs: { model: { type: 'uri_folder' } },
    });
    const evaluate = await component('evaluate', {
      command: `wc -l < ${b('inputs.model')}/model.txt | tr -d ' ' > ${b('outputs.report')}/lines.txt && ls ${b('inputs.data')}`,
      inputs: { model: { type: 'uri_folder' }, data: { type: 'uri_folder' } },
      outputs: { report: { type: 'uri_folder' } },
    });
    const raw = await t.uploadData('pipeline/raw.txt', 'hello\n');
    await t.putJob('pipe-ok', {
      jobType: 'Pipeline',
      experimentName: 'pipelines',
      inputs: {
        raw: { jobInputType: 'uri_file', uri: raw },
        lr: { jobInputType: 'literal', value: '0.5' },
      },
      outputs: { trained: { jobOutputType: 'uri_folder' } },
      settings: { continue_on_step_failure: false },
      jobs: {
        evaluate: {
          type: 'command',
          componentId: evaluate,
          inputs: {
            model: bound('parent.jobs.train.outputs.model'),
            data: bound('parent.jobs.prep.outputs.clean'),
          },
        },
        train: {
          type: 'command',
          componentId: train,
          inputs: { data: bound('parent.jobs.prep.outputs.clean'), lr: bound('parent.inputs.lr') },
          outputs: { model: { type: 'literal', value: b('parent.outputs.trained') } },
        },
        prep: { type: 'command', componentId: prep, inputs: { raw: bound('parent.inputs.raw') } },
      },
    });
    const job = await t.waitForJob('pipe-ok');
    expect(job.properties.status).toBe('Completed');

    const steps = ['prep', 'train', 'evaluate'];
    const runs = await Promise.all(steps.map((step) => details(`pipe-ok_${step}`)));
    for (const [i, run] of runs.entries()) {
      expect(run).toMatchObject({
        runId: `pipe-ok_${steps[i]}`,
        status: 'Completed',
        parentRunId: 'pipe-ok',
      });
      expect((await t.getJob(`pipe-ok_${steps[i]}`)).properties.status).toBe('Completed');
    }
    const [prepRun, trainRun, evaluateRun] = runs;
    expect(Date.parse(trainRun.startTimeUtc)).toBeGreaterThanOrEqual(Date.parse(prepRun.endTimeUtc));
    expect(Date.parse(evaluateRun.startTimeUtc)).toBeGreaterThanOrEqual(Date.parse(trainRun.endTimeUtc));

    // Clients find the steps through MLflow, tagged with their node ids.
    const children = await t.mlflow('runs/search', {
      experiment_ids: [
        (await t.mlflow('runs/get?run_id=pipe-ok', undefined, 'GET')).run.info.experiment_id ?? '1',
      ],
      filter: "tags.mlflow.parentRunId = 'pipe-ok'",
    });
    const nodeIds = children.runs.map(
      (child: { data: { tags: { key: string; value: string }[] } }) =>
        child.data.tags.find((entry) => entry.key === 'azureml.nodeid')?.value,
    );
    expect(nodeIds.sort()).toEqual(['evaluate', 'prep', 'train']);

    // The parent's output is where the bound step wrote it (§4).
    const container = t.containerClient(t.blobContainer);
    const model = await container.getBlobClient('azureml/pipe-ok/trained/model.txt').downloadToBuffer();
    expect(model.toString()).toBe('HELLO\nlr=0.5 seed=7\n');
    const report = await container
      .getBlobClient('azureml/pipe-ok_evaluate/report/lines.txt')
      .downloadToBuffer();
    expect(report.toString()).toBe('2\n');

    // Children are jobs, but the list hides them as the service does.
    const list = await t.request('GET', `${t.workspacePath}/jobs?${API}`);
    const names = list.json.value.map((entry: { name: string }) => entry.name);
    expect(names).toContain('pipe-ok');
    expect(names.filter((name: string) => name.startsWith('pipe-ok_'))).toEqual([]);
  });

  it('fails the pipeline when a step fails, skips its dependants and lets independent steps finish', async () => {
    const fail = await component('fail', {
      command: 'echo failing; exit 4',
      outputs: { out: { type: 'uri_folder' } },
    });
    const consume = await component('consume', {
      command: `ls ${b('inputs.x')}`,
      inputs: { x: { type: 'uri_folder' } },
    });
    const slow = await component('slow', { command: 'sleep 1; echo done' });
    await t.putJob('pipe-fail', {
      jobType: 'Pipeline',
      settings: { continue_on_step_failure: true },
      jobs: {
        broken: { type: 'command', componentId: fail },
        after: {
          type: 'command',
          componentId: consume,
          inputs: { x: bound('parent.jobs.broken.outputs.out') },
        },
        side: { type: 'command', componentId: slow },
      },
    });
    const job = await t.waitForJob('pipe-fail');
    expect(job.properties.status).toBe('Failed');
    const status = async (step: string) => (await t.getJob(`pipe-fail_${step}`)).properties.status;
    expect(await status('broken')).toBe('Failed');
    expect(await status('after')).toBe('Canceled');
    expect(await status('side')).toBe('Completed');
    const run = await details('pipe-fail');
    expect(run.error.error.message).toContain("Step 'broken' failed");
    expect(run.error.error.message).toContain('status code 4');
  });

  it('cancels running steps when the pipeline is canceled', async () => {
    const wait = await component('wait', { command: 'sleep 100', outputs: { out: { type: 'uri_folder' } } });
    const consume = await component('consume2', {
      command: `ls ${b('inputs.x')}`,
      inputs: { x: { type: 'uri_folder' } },
    });
    await t.putJob('pipe-cancel', {
      jobType: 'Pipeline',
      jobs: {
        first: { type: 'command', componentId: wait },
        second: {
          type: 'command',
          componentId: consume,
          inputs: { x: bound('parent.jobs.first.outputs.out') },
        },
      },
    });
    await t.waitForJob('pipe-cancel_first', 20_000, (child) => child.properties.status === 'Running');
    const started = Date.now();
    expect((await t.request('POST', `${t.workspacePath}/jobs/pipe-cancel/cancel?${API}`)).status).toBe(202);
    expect((await t.waitForJob('pipe-cancel', 3000)).properties.status).toBe('Canceled');
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await t.getJob('pipe-cancel_first')).properties.status).toBe('Canceled');
    expect((await t.getJob('pipe-cancel_second')).properties.status).toBe('Canceled');
  });

  it('fails a pipeline whose bindings name a missing step', async () => {
    const slow = await component('noop', { command: 'true', inputs: { x: { type: 'uri_folder' } } });
    await t.putJob('pipe-bad', {
      jobType: 'Pipeline',
      jobs: {
        only: { type: 'command', componentId: slow, inputs: { x: bound('parent.jobs.ghost.outputs.y') } },
      },
    });
    expect((await t.waitForJob('pipe-bad')).properties.status).toBe('Failed');
    expect((await details('pipe-bad')).error.error.message).toContain("step 'ghost'");
  });
});
