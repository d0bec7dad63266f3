// The executor's pure logic: command bindings, durations, pipeline DAGs, search spaces, early termination.
import { describe, expect, it } from 'vitest';
import {
  BindingError,
  parsePipelineBinding,
  substituteCommand,
  substituteSearchSpace,
} from '../../src/execution/bindings';
import { durationInMs } from '../../src/execution/durations';
import { bestTrial, shouldTerminate, type TrialMetrics } from '../../src/execution/early-termination';
import { nextSteps, planPipeline, type StepState } from '../../src/execution/pipeline-plan';
import {
  gridSampler,
  parseSearchSpace,
  randomSampler,
  SearchSpaceError,
  sampleDistribution,
} from '../../src/execution/search-space';

const b = (path: string) => `\${{${path}}}`;

describe('substituteCommand', () => {
  const values = { inputs: { data: '/in/data.csv', n: '3' }, outputs: { model: '/out/model' } };
  it.each([
    [`python t.py --data ${b('inputs.data')} --n ${b('inputs.n')}`, 'python t.py --data /in/data.csv --n 3'],
    [`cp x ${b('outputs.model')}`, 'cp x /out/model'],
    [`run $[[--opt ${b('inputs.opt')}]] end`, 'run  end'],
    [`run $[[--n ${b('inputs.n')}]] end`, 'run --n 3 end'],
    [`echo ${b(' inputs.n ')}`, 'echo 3'],
    ['no bindings', 'no bindings'],
  ])('%s', (command, expected) => {
    expect(substituteCommand(command, values)).toBe(expected);
  });

  it.each([
    [`python t.py ${b('inputs.missing')}`, `'${b('inputs.missing')}'`],
    [`python t.py ${b('outputs.nope')}`, 'outputs.nope'],
    [`python t.py ${b('parent.inputs.x')}`, 'parent.inputs.x'],
  ])('rejects %s', (command, named) => {
    expect(() => substituteCommand(command, values)).toThrow(BindingError);
    expect(() => substituteCommand(command, values)).toThrow(named);
  });

  it('substitutes search space values and leaves inputs for the trial', () => {
    expect(substituteSearchSpace(`t --lr ${b('search_space.lr')} --d ${b('inputs.d')}`, { lr: '0.1' })).toBe(
      `t --lr 0.1 --d ${b('inputs.d')}`,
    );
    expect(() => substituteSearchSpace(`t ${b('search_space.x')}`, {})).toThrow(
      /search space does not define/,
    );
  });
});

describe('parsePipelineBinding', () => {
  it.each([
    [b('parent.inputs.x'), { kind: 'parent-input', name: 'x' }],
    [b('parent.outputs.z'), { kind: 'parent-output', name: 'z' }],
    [b('parent.jobs.prep.outputs.clean'), { kind: 'step-output', step: 'prep', name: 'clean' }],
    ['plain', undefined],
    [3, undefined],
    [`${b('parent.inputs.x')} extra`, undefined],
  ])('%s', (value, expected) => {
    expect(parsePipelineBinding(value)).toEqual(expected);
  });
});

describe('durationInMs', () => {
  it.each([
    ['PT10S', 10_000],
    ['PT1H30M', 5_400_000],
    ['P1DT1S', 86_401_000],
    ['PT0.5S', 500],
    ['120', 120_000],
    [30, 30_000],
    ['', undefined],
    ['P', undefined],
    ['PT', undefined],
    ['10 minutes', undefined],
    [undefined, undefined],
    [-1, undefined],
  ])('%s → %s', (value, expected) => {
    expect(durationInMs(value)).toBe(expected);
  });
});

describe('planPipeline', () => {
  const node = (inputs: Record<string, unknown> = {}) => ({ type: 'command', inputs });
  const fromStep = (step: string, output: string) => ({
    job_input_type: 'literal',
    value: b(`parent.jobs.${step}.outputs.${output}`),
  });

  it('orders steps by their bindings and finds independent ones', () => {
    const steps = planPipeline({
      evaluate: node({ model: fromStep('train', 'model'), data: fromStep('prep', 'out') }),
      train: node({ data: fromStep('prep', 'out') }),
      prep: node({ raw: { job_input_type: 'literal', value: b('parent.inputs.raw') } }),
      other: node(),
    });
    expect(steps.map((step) => step.name)).toEqual(['prep', 'train', 'evaluate', 'other']);
    expect(steps.find((step) => step.name === 'evaluate')?.dependsOn.sort()).toEqual(['prep', 'train']);
    const states = new Map<string, StepState>(steps.map((step) => [step.name, 'pending']));
    expect(nextSteps(steps, states)).toEqual({ start: ['prep', 'other'], skip: [] });
    states.set('prep', 'failed');
    expect(nextSteps(steps, states)).toEqual({ start: ['other'], skip: ['train', 'evaluate'] });
  });

  it.each([
    [{ a: node({ x: fromStep('ghost', 'o') }) }, "step 'ghost', which the pipeline does not have"],
    [{ a: node({ x: fromStep('b', 'o') }), b: node({ y: fromStep('a', 'o') }) }, 'cycle: a → b → a'],
    [{ a: node({ x: fromStep('a', 'o') }) }, 'reads its own output'],
  ])('rejects bad graphs (%#)', (jobs, message) => {
    expect(() => planPipeline(jobs)).toThrow(message);
  });
});

describe('search spaces', () => {
  it('parses the REST form and samples within bounds, reproducibly with a seed', () => {
    const space = parseSearchSpace({
      lr: ['uniform', [0.01, 0.1]],
      log: ['loguniform', [-3, -1]],
      epochs: ['choice', [[5, 10, 20]]],
      k: ['randint', [4]],
      q: ['quniform', [0, 10, 2]],
    });
    const first = randomSampler(space, 42);
    const again = randomSampler(space, 42);
    for (let i = 0; i < 50; i++) {
      const sample = first();
      expect(sample).toEqual(again());
      expect(sample?.lr).toBeGreaterThanOrEqual(0.01);
      expect(sample?.lr).toBeLessThan(0.1);
      expect(sample?.log).toBeGreaterThanOrEqual(Math.exp(-3));
      expect(sample?.log).toBeLessThanOrEqual(Math.exp(-1));
      expect([5, 10, 20]).toContain(sample?.epochs);
      expect([0, 1, 2, 3]).toContain(sample?.k);
      expect((sample?.q as number) % 2).toBe(0);
    }
  });

  it('enumerates a grid once', () => {
    const { sampler, size } = gridSampler(
      parseSearchSpace({ a: ['choice', [[1, 2]]], b: ['choice', [['x', 'y', 'z']]] }),
    );
    expect(size).toBe(6);
    const seen = Array.from({ length: 7 }, () => sampler());
    expect(seen.slice(0, 6)).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
    expect(seen[6]).toBeUndefined();
  });

  it.each([
    [{ a: 'uniform' }, 'is not a distribution'],
    [{ a: ['gaussian', [0, 1]] }, "unknown distribution 'gaussian'"],
    [{ a: ['uniform', [0]] }, 'uniform takes 2 numbers'],
    [{ a: ['choice', [[]]] }, 'at least one value'],
    [{}, 'no parameters'],
    [[1], 'must be an object'],
  ])('rejects %j', (space, message) => {
    expect(() => parseSearchSpace(space)).toThrow(SearchSpaceError);
    expect(() => parseSearchSpace(space)).toThrow(message);
  });

  it('refuses grid sampling over continuous distributions', () => {
    expect(() => gridSampler(parseSearchSpace({ lr: ['uniform', [0, 1]] }))).toThrow(/choice only/);
  });

  it('samples normal distributions around their mean', () => {
    const random = randomSampler(parseSearchSpace({ x: ['normal', [10, 1]] }), 7);
    const values = Array.from({ length: 400 }, () => random()?.x as number);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    expect(mean).toBeGreaterThan(9.8);
    expect(mean).toBeLessThan(10.2);
    expect(sampleDistribution({ type: 'choice', args: ['only'] }, Math.random)).toBe('only');
  });
});

describe('early termination', () => {
  const trials: TrialMetrics[] = [
    { name: 'good', values: [0.8, 0.9] },
    { name: 'ok', values: [0.7, 0.85] },
    { name: 'bad', values: [0.3, 0.4] },
    { name: 'young', values: [0.1] },
  ];
  const find = (name: string) => trials.find((trial) => trial.name === name) as TrialMetrics;

  it.each([
    [{ policyType: 'Bandit', slackFactor: 0.1 }, 'bad', 2, true],
    [{ policyType: 'Bandit', slackFactor: 0.1 }, 'ok', 2, false],
    [{ policyType: 'Bandit', slackAmount: 0.02 }, 'ok', 2, true],
    [{ policyType: 'Bandit', slackFactor: 0.1, delayEvaluation: 2 }, 'bad', 2, false],
    [{ policyType: 'Bandit', slackFactor: 0.1, evaluationInterval: 2 }, 'young', 1, false],
    [{ policyType: 'MedianStopping' }, 'bad', 2, true],
    [{ policyType: 'MedianStopping' }, 'good', 2, false],
    [{ policyType: 'TruncationSelection', truncationPercentage: 25 }, 'young', 1, true],
    [{ policyType: 'TruncationSelection', truncationPercentage: 25 }, 'bad', 1, false],
    [{ policyType: 'TruncationSelection', truncationPercentage: 10 }, 'young', 1, false],
    [{ policyType: 'Unknown' }, 'bad', 2, false],
  ])('%j on %s at interval %i → %s', (policy, name, interval, expected) => {
    expect(shouldTerminate(policy, 'Maximize', find(name), trials, interval)).toBe(expected);
  });

  it('minimizes too', () => {
    const losses: TrialMetrics[] = [
      { name: 'low', values: [0.1] },
      { name: 'high', values: [0.9] },
    ];
    expect(
      shouldTerminate(
        { policyType: 'Bandit', slackFactor: 0.5 },
        'Minimize',
        losses[1] as TrialMetrics,
        losses,
        1,
      ),
    ).toBe(true);
    expect(bestTrial('Minimize', losses)).toEqual({ name: 'low', value: 0.1 });
  });

  it('picks the best final value and ignores trials without the metric', () => {
    expect(bestTrial('Maximize', [...trials, { name: 'none', values: [] }])).toEqual({
      name: 'good',
      value: 0.9,
    });
    expect(bestTrial('Maximize', [{ name: 'none', values: [] }])).toBeUndefined();
  });
});
