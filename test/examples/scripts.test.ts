// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Azure ML `${{ }}` bindings are test data, written literally.
// The example ML project (examples/): its scripts run as the job YAMLs say, on the shipped data,
// with and without an `mlflow` module, and its scoring script honours the init()/run() contract.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const SRC = path.join(EXAMPLES, 'src');
const SHIPPED_CSV = path.join(EXAMPLES, 'data', 'machine_failures.csv');

// The label is drawn from a known logistic model: make_dataset.py reports the best accuracy any
// classifier can expect on this data (0.856) and the majority-class baseline (0.540). A correct
// learner lands near the first (0.859 on the 99 test rows); 0.80 leaves room for a different
// split or stopping point yet fails a broken one, which ends near the baseline.
const ACCURACY_FLOOR = 0.8;
const AUC_FLOOR = 0.9;
const MAJORITY_BASELINE = 0.54;

type Yaml = Record<string, unknown>;

interface PythonResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface MlflowCall {
  pid: number;
  call: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

// Records every call of the shim API the scripts use to the JSON-lines file $FAKE_MLFLOW_CALLS.
const FAKE_MLFLOW = `
import json, os

_active = None

def _record(call, *args, **kwargs):
    with open(os.environ["FAKE_MLFLOW_CALLS"], "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"pid": os.getpid(), "call": call, "args": list(args), "kwargs": kwargs}) + "\\n")

class _Run:
    class info:
        run_id = "fake-run"
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        end_run()

def active_run():
    return _active

def start_run(run_id=None, run_name=None, nested=False, tags=None):
    global _active
    _record("start_run", run_id=run_id, nested=nested)
    _active = _Run()
    return _active

def end_run(status="FINISHED"):
    global _active
    _record("end_run", status=status)
    _active = None

def log_metric(key, value, step=None): _record("log_metric", key, value, step=step)
def log_metrics(metrics, step=None): _record("log_metrics", metrics, step=step)
def log_param(key, value): _record("log_param", key, value)
def log_params(params): _record("log_params", params)
def set_tag(key, value): _record("set_tag", key, value)
def set_tags(tags): _record("set_tags", tags)
`;

// Calls init() then run() for each case read from stdin; prints [{ok, result | error}].
const SCORE_DRIVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
import score
out = []
try:
    score.init()
except Exception as error:
    print(json.dumps({"init_error": f"{type(error).__name__}: {error}"}))
    sys.exit(0)
for case in json.load(sys.stdin):
    try:
        out.append({"ok": True, "result": score.run(case)})
    except Exception as error:
        out.append({"ok": False, "error": f"{type(error).__name__}: {error}"})
print(json.dumps(out))
`;

let tmp = '';
let interpreter = 'python3';
let fakeMlflowDir = '';
let absentMlflowDir = '';

function python(
  args: string[],
  options: { cwd?: string; pythonPath?: string; env?: Record<string, string>; input?: string } = {},
): PythonResult {
  // Without MLFLOW_*/AZUREML_* from the caller, and without __pycache__ in examples/src
  // (it would change the code snapshot's hash).
  const env: Record<string, string> = { PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: options.pythonPath ?? '' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(MLFLOW_|AZUREML_|AZURE_ML_|PYTHON)/.test(key)) env[key] = value;
  }
  const result = spawnSync(interpreter, args, {
    cwd: options.cwd ?? SRC,
    env: { ...env, ...options.env },
    encoding: 'utf8',
    input: options.input,
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectSuccess(result: PythonResult): void {
  expect(result.stderr, result.stderr).not.toMatch(/Traceback/);
  expect(result.status, result.stderr).toBe(0);
}

function readYaml(file: string): Yaml {
  return parse(readFileSync(file, 'utf8')) as Yaml;
}

function asRecord(value: unknown, what: string): Yaml {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} is not a mapping`);
  return value as Yaml;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function mlflowCalls(file: string): MlflowCall[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MlflowCall);
}

/** Every metric key logged through log_metrics, with the steps it was logged at. */
function loggedMetrics(calls: MlflowCall[]): Map<string, { value: number; step: unknown }[]> {
  const metrics = new Map<string, { value: number; step: unknown }[]>();
  for (const call of calls.filter((c) => c.call === 'log_metrics')) {
    for (const [key, value] of Object.entries(asRecord(call.args[0], 'log_metrics argument'))) {
      metrics.set(key, [...(metrics.get(key) ?? []), { value: value as number, step: call.kwargs.step }]);
    }
  }
  return metrics;
}

function loggedParams(calls: MlflowCall[]): Yaml {
  return Object.assign({}, ...calls.filter((c) => c.call === 'log_params').map((c) => c.args[0]));
}

/**
 * Substitutes `${{inputs.x}}`, `${{outputs.y}}`, `${{search_space.z}}` as the executor does and
 * splits the command into argv (the example commands need no quoting). `python` → `python3`.
 */
function commandArgv(command: unknown, values: Record<string, string>): string[] {
  if (typeof command !== 'string') throw new Error('command is not a string');
  const text = command.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, ref: string) => {
    const value = values[ref];
    if (value === undefined) throw new Error(`the command refers to \${{${ref}}}, which is not declared`);
    return value;
  });
  expect(text).not.toMatch(/['"${}]/);
  const [program, ...args] = text.trim().split(/\s+/);
  expect(program).toBe('python');
  return args;
}

/** A job input's local value: uri_* paths relative to the YAML file, literals as strings. */
function inputValue(declaration: unknown, yamlFile: string): string {
  if (typeof declaration === 'object' && declaration !== null && 'path' in declaration) {
    const resolved = path.resolve(path.dirname(yamlFile), String(declaration.path));
    expect(existsSync(resolved), `${resolved} (from ${yamlFile})`).toBe(true);
    return resolved;
  }
  return String(declaration);
}

function codeDir(spec: Yaml, yamlFile: string): string {
  return path.resolve(path.dirname(yamlFile), String(spec.code));
}

interface PipelineRun {
  outputs: Record<string, string>;
  stepOutputs: Record<string, Record<string, string>>;
  results: Record<string, PythonResult>;
  calls: MlflowCall[];
}

/** Runs pipeline.yml's steps in their order, resolving every `${{parent...}}` binding locally. */
function runPipeline(yamlFile: string, workDir: string): PipelineRun {
  const pipeline = readYaml(yamlFile);
  const parentInputs = asRecord(pipeline.inputs, 'pipeline inputs');
  const parentOutputs = asRecord(pipeline.outputs, 'pipeline outputs');
  const callsFile = path.join(workDir, 'mlflow-calls.jsonl');
  mkdirSync(workDir, { recursive: true });
  const run: PipelineRun = { outputs: {}, stepOutputs: {}, results: {}, calls: [] };

  const bind = (value: unknown, ownDefault: unknown): string => {
    if (value === undefined) return String(ownDefault);
    const text = typeof value === 'string' ? value : '';
    const parentInput = /^\$\{\{parent\.inputs\.(\w+)\}\}$/.exec(text)?.[1];
    if (parentInput !== undefined) {
      expect(parentInputs, `parent input ${parentInput}`).toHaveProperty(parentInput);
      return inputValue(parentInputs[parentInput], yamlFile);
    }
    const stepOutput = /^\$\{\{parent\.jobs\.(\w+)\.outputs\.(\w+)\}\}$/.exec(text);
    if (stepOutput?.[1] !== undefined && stepOutput[2] !== undefined) {
      // Steps run in file order, so a binding to a later (or unknown) step fails here.
      const produced = run.stepOutputs[stepOutput[1]]?.[stepOutput[2]];
      if (produced === undefined) throw new Error(`${text} is not an output of an earlier step`);
      return produced;
    }
    return inputValue(value, yamlFile);
  };

  for (const [stepName, stepValue] of Object.entries(asRecord(pipeline.jobs, 'jobs'))) {
    const step = asRecord(stepValue, `step ${stepName}`);
    const specFile =
      typeof step.component === 'string' ? path.resolve(path.dirname(yamlFile), step.component) : yamlFile;
    const spec = specFile === yamlFile ? step : readYaml(specFile);
    const stepInputs = asRecord(step.inputs ?? {}, `${stepName} inputs`);
    const values: Record<string, string> = {};
    const declaredInputs = specFile === yamlFile ? stepInputs : asRecord(spec.inputs, `${specFile} inputs`);
    for (const [name, declaration] of Object.entries(declaredInputs)) {
      const ownDefault =
        typeof declaration === 'object' && declaration !== null
          ? asRecord(declaration, name).default
          : declaration;
      values[`inputs.${name}`] = bind(stepInputs[name], ownDefault);
    }
    for (const name of Object.keys(stepInputs))
      expect(declaredInputs, `${stepName} input ${name}`).toHaveProperty(name);
    const stepOutputBindings = asRecord(step.outputs ?? {}, `${stepName} outputs`);
    run.stepOutputs[stepName] = {};
    for (const name of Object.keys(asRecord(spec.outputs, `${specFile} outputs`))) {
      const parentOutput = /^\$\{\{parent\.outputs\.(\w+)\}\}$/.exec(String(stepOutputBindings[name]))?.[1];
      const dir = path.join(workDir, 'steps', stepName, name);
      if (parentOutput !== undefined) {
        expect(parentOutputs, `parent output ${parentOutput}`).toHaveProperty(parentOutput);
        run.outputs[parentOutput] = dir;
      }
      run.stepOutputs[stepName][name] = dir;
      values[`outputs.${name}`] = dir;
    }
    expect(codeDir(spec, specFile)).toBe(path.resolve(SRC));
    run.results[stepName] = python(commandArgv(spec.command, values), {
      cwd: codeDir(spec, specFile),
      pythonPath: fakeMlflowDir,
      env: { FAKE_MLFLOW_CALLS: callsFile },
    });
    expectSuccess(run.results[stepName]);
  }
  run.calls = mlflowCalls(callsFile);
  return run;
}

function runTrainCommand(
  yamlFile: string,
  overrides: Record<string, string>,
  outDir: string,
  pythonPath: string,
): { result: PythonResult; calls: MlflowCall[] } {
  const job = readYaml(yamlFile);
  const trial = job.type === 'sweep' ? asRecord(job.trial, 'trial') : job;
  const values: Record<string, string> = { ...overrides };
  for (const [name, declaration] of Object.entries(asRecord(job.inputs, 'inputs'))) {
    values[`inputs.${name}`] = inputValue(declaration, yamlFile);
  }
  for (const name of Object.keys(asRecord(job.outputs, 'outputs')))
    values[`outputs.${name}`] = path.join(outDir, name);
  const callsFile = path.join(outDir, 'mlflow-calls.jsonl');
  mkdirSync(outDir, { recursive: true });
  const result = python(commandArgv(trial.command, values), {
    cwd: codeDir(trial, yamlFile),
    pythonPath,
    env: { FAKE_MLFLOW_CALLS: callsFile },
  });
  return { result, calls: mlflowCalls(callsFile) };
}

beforeAll(() => {
  // The interpreter itself, not a version manager's shim (pyenv's adds ~150 ms to each start).
  interpreter = python(['-c', 'import sys; print(sys.executable)']).stdout.trim() || 'python3';
  tmp = mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  fakeMlflowDir = path.join(tmp, 'fake-mlflow');
  absentMlflowDir = path.join(tmp, 'absent-mlflow');
  mkdirSync(path.join(fakeMlflowDir, 'mlflow'), { recursive: true });
  mkdirSync(path.join(absentMlflowDir, 'mlflow'), { recursive: true });
  writeFileSync(path.join(fakeMlflowDir, 'mlflow', '__init__.py'), FAKE_MLFLOW);
  // Whatever python3 has installed, `import mlflow` fails as it does on a plain Python.
  writeFileSync(path.join(absentMlflowDir, 'mlflow', '__init__.py'), 'raise ImportError("no mlflow here")\n');
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('examples/data', () => {
  it('ships exactly the CSV that make_dataset.py generates, and its accuracy ceiling clears the floor', () => {
    const regenerated = path.join(tmp, 'regenerated.csv');
    const result = python([path.join(EXAMPLES, 'data', 'make_dataset.py'), '--output', regenerated]);
    expectSuccess(result);
    expect(readFileSync(regenerated, 'utf8')).toBe(readFileSync(SHIPPED_CSV, 'utf8'));
    const [, majority, bayes] =
      /majority-class accuracy ([\d.]+), Bayes accuracy ([\d.]+)/.exec(result.stdout) ?? [];
    expect(Number(majority)).toBeCloseTo(MAJORITY_BASELINE, 2);
    expect(Number(bayes)).toBeGreaterThan(ACCURACY_FLOOR + 0.03);
  });
});

describe('jobs/pipeline.yml: prep → train → evaluate', () => {
  let run: PipelineRun;
  beforeAll(() => {
    run = runPipeline(path.join(EXAMPLES, 'jobs', 'pipeline.yml'), path.join(tmp, 'pipeline'));
  });

  it('writes the prepared split, the model folder and metrics.json', () => {
    const prepared = run.stepOutputs.prep?.prepared_data ?? '';
    for (const file of ['train.csv', 'test.csv', 'prep_summary.json']) {
      expect(existsSync(path.join(prepared, file)), file).toBe(true);
    }
    const summary = readJson<Record<string, number>>(path.join(prepared, 'prep_summary.json'));
    expect(summary).toMatchObject({ rows_raw: 400, rows_dropped: 5, rows_train: 296, rows_test: 99 });
    const model = run.outputs.model ?? '';
    for (const file of ['model.json', 'MLmodel', 'code/logreg.py']) {
      expect(existsSync(path.join(model, file)), file).toBe(true);
    }
    const mlmodel = readFileSync(path.join(model, 'MLmodel'), 'utf8');
    expect(mlmodel).toMatch(/^flavors:\n {2}python_function:\n/m);
    expect(mlmodel).toMatch(/^ {4}loader_module: logreg$/m);
    expect(mlmodel).toMatch(/^ {2}inputs: '\[\{"type": "double", "name": "temperature_c"/m);
    expect(existsSync(path.join(run.outputs.metrics ?? '', 'metrics.json'))).toBe(true);
  });

  it('evaluates above the accuracy and AUC floors, with every metric a ratio', () => {
    const metrics = readJson<Record<string, unknown>>(path.join(run.outputs.metrics ?? '', 'metrics.json'));
    expect(metrics.accuracy).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
    expect(metrics.auc).toBeGreaterThanOrEqual(AUC_FLOOR);
    for (const key of [
      'accuracy',
      'precision',
      'recall',
      'f1',
      'auc',
      'accuracy_class_0',
      'accuracy_class_1',
    ]) {
      expect(metrics[key], key).toBeGreaterThan(0.5);
      expect(metrics[key], key).toBeLessThanOrEqual(1);
    }
    const [[tn, fp], [fn, tp]] = asRecord(metrics.confusion_matrix, 'confusion_matrix')
      .rows_actual_columns_predicted as number[][] as [[number, number], [number, number]];
    expect(tn + fp + fn + tp).toBe(metrics.n_samples);
    expect(metrics.n_samples).toBe(99);
    expect(metrics.accuracy).toBeCloseTo((tn + tp) / 99, 12);
    expect(metrics.per_class_accuracy).toEqual({ '0': tn / (tn + fp), '1': tp / (tp + fn) });
  });

  it('logs params and metrics through mlflow, each step in a run it ends as FINISHED', () => {
    const byProcess = new Map<number, MlflowCall[]>();
    for (const call of run.calls) byProcess.set(call.pid, [...(byProcess.get(call.pid) ?? []), call]);
    expect(byProcess.size).toBe(3);
    for (const calls of byProcess.values()) {
      expect(calls[0]?.call).toBe('start_run');
      expect(calls.at(-1)).toMatchObject({ call: 'end_run', kwargs: { status: 'FINISHED' } });
    }
    expect(loggedParams(run.calls)).toMatchObject({
      test_fraction: '0.25',
      learning_rate: '0.3',
      epochs: '300',
      reg: '0.001',
    });
    const metrics = loggedMetrics(run.calls);
    expect(metrics.get('rows_dropped')).toEqual([{ value: 5, step: null }]);
    for (const key of ['precision', 'recall', 'f1', 'auc', 'accuracy_class_0', 'accuracy_class_1']) {
      expect(metrics.get(key), key).toHaveLength(1);
    }
    // train logs accuracy at 10 checkpoints (the sweep's early termination reads them), evaluate once.
    const accuracy = metrics.get('accuracy') ?? [];
    expect(accuracy.map((m) => m.step)).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300, null]);
    expect(accuracy.at(-1)?.value).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
  });
});

describe('jobs/train-command.yml', () => {
  it('trains from the raw CSV on a Python without mlflow', () => {
    const out = path.join(tmp, 'command');
    const { result, calls } = runTrainCommand(
      path.join(EXAMPLES, 'jobs', 'train-command.yml'),
      {},
      out,
      absentMlflowDir,
    );
    expectSuccess(result);
    expect(calls).toEqual([]);
    const model = readJson<{ training: { metrics: Record<string, number>; epochs: number } }>(
      path.join(out, 'model', 'model.json'),
    );
    expect(model.training.epochs).toBe(300);
    expect(model.training.metrics.accuracy).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
    expect(result.stdout).toMatch(/^train: accuracy 0\.\d{4}, train_accuracy/m);
  });
});

describe('jobs/sweep.yml', () => {
  const sweepFile = path.join(EXAMPLES, 'jobs', 'sweep.yml');
  const sweep = readYaml(sweepFile);
  const space = asRecord(sweep.search_space, 'search_space');
  const learningRate = asRecord(space.learning_rate, 'learning_rate');
  const epochs = asRecord(space.epochs, 'epochs').values as number[];

  it.each([
    [
      'the smallest learning rate and fewest epochs',
      Math.exp(Number(learningRate.min_value)),
      Math.min(...epochs),
    ],
    [
      'the largest learning rate and most epochs',
      Math.exp(Number(learningRate.max_value)),
      Math.max(...epochs),
    ],
  ])('trains a useful model at %s, logging the objective', (_, rate, epochCount) => {
    const out = path.join(tmp, `sweep-${epochCount}`);
    const { result, calls } = runTrainCommand(
      sweepFile,
      { 'search_space.learning_rate': String(rate), 'search_space.epochs': String(epochCount) },
      out,
      fakeMlflowDir,
    );
    expectSuccess(result);
    const objective = asRecord(sweep.objective, 'objective');
    const logged = loggedMetrics(calls).get(String(objective.primary_metric)) ?? [];
    expect(logged.length).toBeGreaterThan(1); // intermediate values for bandit early termination
    expect(logged.at(-1)?.value).toBeGreaterThan(MAJORITY_BASELINE + 0.2);
    const params = loggedParams(calls);
    expect(Number(params.learning_rate)).toBeCloseTo(rate, 12);
    expect(params.epochs).toBe(String(epochCount));
  });
});

describe('src/score.py', () => {
  const hot = [95, 8.5, 4.2, 1900];
  const calm = [60, 1.5, 7.5, 100];
  let modelDir = '';
  beforeAll(() => {
    const out = path.join(tmp, 'score-model');
    const trained = python(
      ['train.py', '--data', SHIPPED_CSV, '--model_dir', path.join(out, 'model'), '--epochs', '100'],
      {
        pythonPath: absentMlflowDir,
      },
    );
    expectSuccess(trained);
    modelDir = out;
  });

  function score(cases: unknown[], env: Record<string, string>): unknown {
    const driver = path.join(tmp, 'score_driver.py');
    writeFileSync(driver, SCORE_DRIVER);
    const result = python([driver, SRC], { env, input: JSON.stringify(cases), pythonPath: absentMlflowDir });
    expectSuccess(result);
    return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
  }

  it.each([
    ['the model folder itself', () => path.join(modelDir, 'model')],
    ['its parent, as Azure ML mounts a registered model folder', () => modelDir],
  ])('init() finds the model in AZUREML_MODEL_DIR = %s; run() predicts', (_, dir) => {
    const names = ['temperature_c', 'vibration_mm_s', 'pressure_bar', 'age_days'];
    const asObject = Object.fromEntries(names.map((name, i) => [name, calm[i]]));
    const results = score([JSON.stringify({ data: [hot, calm] }), JSON.stringify({ data: [asObject] })], {
      AZUREML_MODEL_DIR: dir(),
    }) as { ok: boolean; result: { predictions: number[]; probabilities: number[] } }[];
    expect(results[0]).toMatchObject({ ok: true, result: { predictions: [1, 0] } });
    const [pHot, pCalm] = results[0]?.result.probabilities ?? [];
    expect(pHot).toBeGreaterThan(0.9);
    expect(pCalm).toBeLessThan(0.1);
    expect(results[1]?.result).toEqual({ predictions: [0], probabilities: [pCalm] });
  });

  it.each([
    ['a body that is not JSON', 'rows please', /not JSON/],
    [
      'no "data" key',
      JSON.stringify({ input_data: [hot] }),
      /expected a JSON object \{"data": \[\[\.\.\.\], \.\.\.\]\}/,
    ],
    ['a JSON array', JSON.stringify([hot]), /expected a JSON object/],
    ['no rows', JSON.stringify({ data: [] }), /expected a non-empty list of rows, each \[temperature_c, /],
    ['data that is not a list', JSON.stringify({ data: 'x' }), /expected a non-empty list of rows/],
    ['a short row', JSON.stringify({ data: [hot, [1, 2]] }), /row 1: expected 4 values .*, got 2 values/],
    ['a row that is a number', JSON.stringify({ data: [7] }), /row 0: expected 4 values .*, got int/],
    [
      'a text value',
      JSON.stringify({ data: [[95, 'high', 4, 1]] }),
      /row 0: vibration_mm_s must be a finite number, got 'high'/,
    ],
    [
      'a boolean value',
      JSON.stringify({ data: [[95, 8, true, 1]] }),
      /row 0: pressure_bar must be a finite number, got True/,
    ],
    [
      'an object row lacking features',
      JSON.stringify({ data: [{ temperature_c: 1 }] }),
      /row 0 lacks vibration_mm_s, pressure_bar, age_days/,
    ],
  ])('run() rejects %s with a clear ScoringInputError', (_, body, message) => {
    const [result] = score([body], { AZUREML_MODEL_DIR: modelDir }) as { ok: boolean; error: string }[];
    expect(result?.ok).toBe(false);
    expect(result?.error).toMatch(/^ScoringInputError: bad input: /);
    expect(result?.error).toMatch(message);
  });

  it.each([
    ['AZUREML_MODEL_DIR unset', {}, /RuntimeError: AZUREML_MODEL_DIR is not set/],
    // A fresh empty folder: the shared temp folder may hold anything other processes left there.
    [
      'a folder without a model',
      { AZUREML_MODEL_DIR: mkdtempSync(path.join(os.tmpdir(), 'no-model-')) },
      /FileNotFoundError: no model\.json at /,
    ],
  ])('init() fails clearly with %s', (_, env, message) => {
    expect((score([], env) as { init_error: string }).init_error).toMatch(message);
  });
});

describe('bad script arguments', () => {
  const csvWithoutLabel = () => {
    const file = path.join(tmp, 'no-label.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    return file;
  };
  const emptyDir = () => mkdtempSync(path.join(tmp, 'empty-'));

  it.each([
    [
      'a zero learning rate',
      2,
      /--learning_rate: 0 must be > 0/,
      () => ['train.py', '--data', SHIPPED_CSV, '--model_dir', path.join(tmp, 'x'), '--learning_rate', '0'],
    ],
    [
      'epochs that are not an integer',
      2,
      /--epochs: '1.5' is not an integer/,
      () => ['train.py', '--data', SHIPPED_CSV, '--model_dir', path.join(tmp, 'x'), '--epochs', '1.5'],
    ],
    [
      'a negative reg',
      2,
      /--reg: -1 must be >= 0/,
      () => ['train.py', '--data', SHIPPED_CSV, '--model_dir', path.join(tmp, 'x'), '--reg', '-1'],
    ],
    [
      'a missing data file',
      1,
      /train\.py: error: no such file or folder: .*nope\.csv/,
      () => ['train.py', '--data', path.join(tmp, 'nope.csv'), '--model_dir', path.join(tmp, 'x')],
    ],
    [
      'a CSV without the label',
      1,
      /has no 'failure' column \(columns: a, b\)/,
      () => ['prep.py', '--raw_data', csvWithoutLabel(), '--prepared_data', path.join(tmp, 'x')],
    ],
    [
      'a test fraction of 1.5',
      1,
      /test_fraction must be between 0 and 1/,
      () => [
        'prep.py',
        '--raw_data',
        SHIPPED_CSV,
        '--prepared_data',
        path.join(tmp, 'p'),
        '--test_fraction',
        '1.5',
      ],
    ],
    [
      'a model folder without a model',
      1,
      /evaluate\.py: error: no model\.json at /,
      () => [
        'evaluate.py',
        '--model',
        emptyDir(),
        '--test_data',
        SHIPPED_CSV,
        '--metrics_output',
        path.join(tmp, 'x'),
      ],
    ],
  ])('%s fails with exit code %i and says why', (_, code, message, args) => {
    const callsFile = path.join(tmp, `calls-${Math.random().toString(36).slice(2)}.jsonl`);
    const result = python(args(), { pythonPath: fakeMlflowDir, env: { FAKE_MLFLOW_CALLS: callsFile } });
    expect(result.status).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/Traceback/);
    // A run that was started is ended as FAILED, not left running.
    const ends = mlflowCalls(callsFile).filter((call) => call.call === 'end_run');
    expect(ends).toEqual(code === 2 ? [] : [expect.objectContaining({ kwargs: { status: 'FAILED' } })]);
  });
});
