// Bad job YAML: each case must fail with a ConfigurationError naming the place and the fix, before
// the resolver is asked anything.
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors';
import { parseSetOverrides, translateJobYaml } from '../../../src/jobs/spec';
import { fakeResolver } from './fake-resolver';
import { writeYaml } from './temp-files';

const ENV = 'environment: azureml:env:1';
const command = (...lines: string[]) =>
  ['type: command', 'command: python train.py', ENV, ...lines].join('\n');
const SRC = { 'src/train.py': 'print(1)\n' };

interface Case {
  name: string;
  yaml: string;
  files?: Record<string, string>;
  set?: string;
  /** The message must match this. */
  message: RegExp;
  /** 1-based line in the job file (or in the `set` input when `set` is given). */
  line?: number;
  /** When the problem is in another file than the job YAML. */
  file?: RegExp;
}

const PIPELINE_HEAD = ['type: pipeline', 'inputs:', '  lr: 0.1', 'outputs:', '  model:', 'jobs:'];
const pipeline = (...lines: string[]) => [...PIPELINE_HEAD, ...lines].join('\n');
const PREP_STEP = [
  '  prep:',
  `    command: python prep.py --out \${{outputs.prepared}}`,
  `    ${ENV}`,
  '    outputs:',
  '      prepared:',
];

const SWEEP = (
  space: string[],
  objective = ['objective:', '  goal: maximize', '  primary_metric: accuracy'],
) =>
  [
    'type: sweep',
    'trial:',
    `  command: python train.py --lr \${{search_space.lr}}`,
    `  ${ENV}`,
    'search_space:',
    ...space,
    ...objective,
  ].join('\n');

const CASES: Case[] = [
  {
    name: 'YAML syntax error',
    yaml: 'type: command\ncommand: [python, train.py\nenvironment: azureml:env:1\n',
    message: /is not valid YAML: .*Flow sequence/,
    line: 3,
  },
  {
    name: 'duplicate key',
    yaml: command('command: python other.py'),
    message: /is not valid YAML: Map keys must be unique/,
    line: 4,
  },
  {
    name: 'unknown key with did-you-mean',
    yaml: command('enviroment_variables:', '  A: b'),
    message: /unknown key 'enviroment_variables' in a command job\. Did you mean 'environment_variables'\?/,
    line: 4,
  },
  {
    name: 'mis-cased key',
    yaml: command('resources:', '  Instance_count: 2'),
    message: /'Instance_count' is mis-cased in resources: did you mean 'instance_count'\?/,
    line: 5,
  },
  {
    name: 'single-brace binding',
    yaml: ['type: command', `command: python train.py --lr \${inputs.lr}`, ENV, 'inputs:', '  lr: 0.1'].join(
      '\n',
    ),
    message: /single-brace binding, '\$\{inputs\.lr\}'; bindings are written '\$\{\{inputs\.lr\}\}'/,
    line: 2,
  },
  {
    name: 'binding closed with one brace',
    yaml: ['type: command', `command: python train.py --lr \${{inputs.lr}`, ENV, 'inputs:', '  lr: 0.1'].join(
      '\n',
    ),
    message: /closed with one brace, '\$\{\{inputs\.lr\}'; bindings are written '\$\{\{inputs\.lr\}\}'/,
    line: 2,
  },
  {
    name: 'CLI v1 steps:',
    yaml: ['type: pipeline', 'steps:', '  - name: train'].join('\n'),
    message: /'steps' is a CLI v1 construct/,
    line: 2,
  },
  {
    name: 'CLI v1 script_mode',
    yaml: command('script_mode: true'),
    message:
      /'script_mode' is a CLI v1 construct[\s\S]*Fix: CLI v2 has no script mode: run the script in `command`/,
    line: 4,
  },
  {
    name: 'CLI v1 run_step:',
    yaml: pipeline('  train:', '    run_step: train.py'),
    message: /'run_step' is a CLI v1 construct[\s\S]*Fix: Write each step as an entry under `jobs:`/,
    line: 8,
  },
  {
    name: 'CLI v1 post_run_scripts:',
    yaml: command('post_run_scripts:', '  - cleanup.sh'),
    message: /'post_run_scripts' is a CLI v1 construct[\s\S]*chain them in `command`/,
    line: 4,
  },
  {
    name: 'command binds an input that does not exist',
    yaml: [
      'type: command',
      `command: python train.py --lr \${{inputs.lr}}`,
      ENV,
      'inputs:',
      '  learning_rate: 0.1',
    ].join('\n'),
    message: /refers to '\$\{\{inputs\.lr\}\}', but there is no input 'lr' \(known: learning_rate\)/,
    line: 2,
  },
  {
    name: 'command binds an output that does not exist',
    yaml: ['type: command', `command: python train.py --out \${{outputs.model}}`, ENV].join('\n'),
    message: /no output 'model' \(there are no outputs\)/,
    line: 2,
  },
  {
    name: 'node input bound to a pipeline input that does not exist',
    yaml: pipeline(...PREP_STEP, '    inputs:', `      rate: \${{parent.inputs.learning_rate}}`),
    message: /bound to pipeline input 'learning_rate', which the pipeline does not have \(inputs: lr\)/,
    line: 13,
  },
  {
    name: 'node input bound to a step that does not exist',
    yaml: pipeline(
      ...PREP_STEP,
      '  train:',
      '    command: python t.py',
      `    ${ENV}`,
      '    inputs:',
      `      data: \${{parent.jobs.preprocess.outputs.prepared}}`,
    ),
    message: /bound to step 'preprocess', which the pipeline does not have \(steps: prep, train\)/,
    line: 16,
  },
  {
    name: 'node input bound to a step output that does not exist',
    yaml: pipeline(
      ...PREP_STEP,
      '  train:',
      '    command: python t.py',
      `    ${ENV}`,
      '    inputs:',
      `      data: \${{parent.jobs.prep.outputs.cleaned}}`,
    ),
    message: /bound to output 'cleaned' of step 'prep', which that step does not have \(outputs: prepared\)/,
    line: 16,
  },
  {
    name: 'node output bound to a pipeline output that does not exist',
    yaml: pipeline(
      '  train:',
      '    command: python t.py',
      `    ${ENV}`,
      '    outputs:',
      `      model: \${{parent.outputs.trained}}`,
    ),
    message: /bound to pipeline output 'trained', which the pipeline does not have \(outputs: model\)/,
    line: 11,
  },
  {
    name: 'node input binding without parent.',
    yaml: pipeline(...PREP_STEP, '    inputs:', `      rate: \${{inputs.lr}}`),
    message: /is not a pipeline binding\. Did you mean '\$\{\{parent\.inputs\.lr\}\}'\?/,
    line: 13,
  },
  {
    name: 'missing code folder',
    yaml: command('code: ./source'),
    message: /code path '\.\/source' does not exist/,
    line: 4,
  },
  {
    name: 'missing local input file',
    yaml: command('inputs:', '  data:', '    type: uri_file', '    path: ./data/missing.csv'),
    message: /input path '\.\/data\/missing\.csv' does not exist/,
    line: 7,
  },
  {
    name: 'missing component file',
    yaml: pipeline('  train:', '    component: ./components/train.yml'),
    message: /component file '\.\/components\/train\.yml' does not exist/,
    line: 8,
  },
  {
    name: 'bad key inside a component file',
    yaml: pipeline('  train:', '    component: ./train.yml'),
    files: {
      'train.yml': [
        'type: command',
        'command: python t.py',
        ENV,
        'inputs:',
        '  data:',
        '    typ: uri_folder',
      ].join('\n'),
    },
    message: /unknown key 'typ' in component input 'data'\. Did you mean 'type'\?/,
    line: 6,
    file: /train\.yml$/,
  },
  {
    name: 'step gives an input its component does not declare',
    yaml: pipeline(
      '  train:',
      '    component: ./train.yml',
      '    inputs:',
      `      rate: \${{parent.inputs.lr}}`,
    ),
    files: { 'train.yml': ['type: command', 'command: python t.py', ENV].join('\n') },
    message:
      /step 'train' gives input 'rate', which component .*train\.yml does not declare \(inputs: none\)/,
    line: 10,
  },
  {
    name: 'unknown job type',
    yaml: ['type: comand', 'command: python train.py', ENV].join('\n'),
    message: /'type' is "comand", which is not one of command, pipeline, sweep\. Did you mean 'command'\?/,
    line: 1,
  },
  {
    name: 'unsupported job type',
    yaml: ['type: parallel', 'task: {}'].join('\n'),
    message: /job type 'parallel' is not supported by this action/,
    line: 1,
  },
  {
    name: 'wrong value type',
    yaml: command('resources:', '  instance_count: two'),
    message: /'resources\.instance_count' must be a whole number, not "two"/,
    line: 5,
  },
  {
    name: 'wrong enum value',
    yaml: command(
      'inputs:',
      '  data:',
      '    type: uri_folder',
      '    path: azureml://datastores/ds/paths/x',
      '    mode: readonly',
    ),
    message:
      /'inputs\.data\.mode' is "readonly", which is not one of ro_mount, rw_mount, download, direct, eval_mount, eval_download/,
    line: 8,
  },
  {
    name: 'bad search-space distribution',
    yaml: SWEEP(['  lr:', '    type: gaussian', '    mu: 0', '    sigma: 1']),
    message: /'search_space\.lr\.type' is "gaussian", which is not one of choice, randint, uniform/,
    line: 7,
  },
  {
    name: 'search-space distribution missing a parameter',
    yaml: SWEEP(['  lr:', '    type: uniform', '    min_value: 0.01']),
    message: /'max_value' is required in 'search_space\.lr' but missing/,
    line: 6,
  },
  {
    name: 'sweep objective metric missing',
    yaml: SWEEP(
      ['  lr: {type: uniform, min_value: 0.01, max_value: 0.1}'],
      ['objective:', '  goal: maximize'],
    ),
    message: /the sweep objective names no metric: `objective\.primary_metric` is missing/,
    line: 7,
  },
  {
    name: 'sweep command binds an unknown search-space parameter',
    yaml: SWEEP(['  rate: {type: uniform, min_value: 0.01, max_value: 0.1}']),
    message: /no search_space parameter 'lr' \(known: rate\)/,
    line: 3,
  },
  {
    name: 'missing command',
    yaml: ['type: command', ENV, 'code: ./src'].join('\n'),
    files: SRC,
    message: /'command' is required but missing/,
    line: 1,
  },
  {
    name: 'environment without azureml: prefix',
    yaml: ['type: command', 'command: python train.py', 'environment: my-env:1'].join('\n'),
    message: /environment 'my-env:1' is not an environment reference \(did you mean 'azureml:my-env:1'\?\)/,
    line: 3,
  },
  {
    name: 'override names a key the schema does not have',
    yaml: command(),
    set: 'inputs.lr=0.1\nresources.instance_cont=2',
    message:
      /line 2 \(`resources\.instance_cont=2`\): unknown key 'instance_cont' in resources\. Did you mean 'instance_count'\?/,
    line: 2,
  },
  {
    name: 'override through a scalar',
    yaml: command(),
    set: 'command.text=x',
    message: /'command' is "python train.py", not a mapping/,
    line: 1,
  },
  {
    name: 'output version (no REST field at 2025-12-01)',
    yaml: command('outputs:', '  model:', '    name: m', '    version: "3"'),
    message: /an output asset version cannot be chosen/,
    line: 7,
  },
  {
    name: 'dependency cycle between steps',
    yaml: pipeline(
      '  a:',
      '    command: python a.py',
      `    ${ENV}`,
      `    inputs: {x: "\${{parent.jobs.b.outputs.o}}"}`,
      '    outputs: {o: }',
      '  b:',
      '    command: python b.py',
      `    ${ENV}`,
      `    inputs: {x: "\${{parent.jobs.a.outputs.o}}"}`,
      '    outputs: {o: }',
    ),
    message: /depend on each other in a cycle: a → b → a/,
    line: 7,
  },
];

describe('translateJobYaml: bad YAML', () => {
  it.each(CASES)('$name', async ({ yaml, files, set, message, line, file: otherFile }) => {
    const file = writeYaml('job.yml', yaml, { ...SRC, ...files });
    const resolver = fakeResolver();
    const overrides = set === undefined ? [] : parseSetOverrides(set);
    const error = await translateJobYaml(file, { resolver, overrides }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    const configurationError = error as ConfigurationError;
    expect(configurationError.message).toMatch(message);
    expect(configurationError.fix.length).toBeGreaterThan(10);
    if (set !== undefined) {
      expect(configurationError.input).toBe('set');
    } else if (otherFile) {
      expect(configurationError.file).toMatch(otherFile);
    } else {
      expect(configurationError.file).toBe(file);
      expect(configurationError.column).toBeGreaterThan(0);
    }
    if (line !== undefined) expect(configurationError.line).toBe(line);
    expect(resolver.calls).toEqual([]);
  });

  it('names a job file that does not exist', async () => {
    await expect(translateJobYaml('/nonexistent/job.yml', { resolver: fakeResolver() })).rejects.toThrow(
      /input 'job': job file '\/nonexistent\/job\.yml' cannot be read \(it does not exist\)/,
    );
  });
});
