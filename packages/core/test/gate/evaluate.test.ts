import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  evaluateRules,
  type GateEvaluation,
  type MissingChampionPolicy,
  type Outcome,
  parseRules,
  type RuleOutcome,
} from '../../src/gate';

type Metrics = Record<string, number>;

function evaluate(
  rules: string,
  candidate: Metrics,
  champion?: Metrics,
  onMissingChampion: MissingChampionPolicy = 'fail',
): GateEvaluation {
  return evaluateRules(parseRules(rules), candidate, champion, { onMissingChampion });
}

function evaluateOne(
  rule: string,
  candidate: Metrics,
  champion?: Metrics,
  onMissingChampion: MissingChampionPolicy = 'fail',
): RuleOutcome {
  const { outcomes } = evaluate(rule, candidate, champion, onMissingChampion);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as RuleOutcome;
}

function evaluationError(rules: string, candidate: Metrics, input?: string): ConfigurationError {
  try {
    evaluateRules(parseRules(rules), candidate, undefined, {
      onMissingChampion: 'fail',
      ...(input ? { input } : {}),
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected evaluateRules to reject ${JSON.stringify(rules)}`);
}

interface Case {
  name: string;
  rule: string;
  candidate: Metrics;
  champion?: Metrics;
  policy?: MissingChampionPolicy;
  outcome: Outcome;
  message: string;
  threshold?: number;
  delta?: number;
}

describe('evaluateRules: absolute thresholds', () => {
  const cases: Case[] = [
    {
      name: 'met',
      rule: 'accuracy >= 0.90',
      candidate: { accuracy: 0.93 },
      outcome: 'pass',
      message: 'accuracy 0.93 >= 0.9 (rule line 1)',
      threshold: 0.9,
    },
    {
      name: 'missed',
      rule: 'accuracy >= 0.90',
      candidate: { accuracy: 0.87 },
      outcome: 'fail',
      message: 'accuracy 0.87 < 0.9 (rule line 1)',
      threshold: 0.9,
    },
    {
      name: 'missed warn rule warns',
      rule: 'warn: accuracy >= 0.95',
      candidate: { accuracy: 0.93 },
      outcome: 'warn',
      message: 'accuracy 0.93 < 0.95 (rule line 1)',
    },
    {
      name: 'met warn rule passes',
      rule: 'warn: accuracy >= 0.95',
      candidate: { accuracy: 0.96 },
      outcome: 'pass',
      message: 'accuracy 0.96 >= 0.95 (rule line 1)',
    },
    {
      name: '>= at the boundary',
      rule: 'a >= 0.5',
      candidate: { a: 0.5 },
      outcome: 'pass',
      message: 'a 0.5 >= 0.5 (rule line 1)',
    },
    {
      name: '> at the boundary',
      rule: 'a > 0.5',
      candidate: { a: 0.5 },
      outcome: 'fail',
      message: 'a 0.5 <= 0.5 (rule line 1)',
    },
    {
      name: '< at the boundary',
      rule: 'loss < 0.3',
      candidate: { loss: 0.3 },
      outcome: 'fail',
      message: 'loss 0.3 >= 0.3 (rule line 1)',
    },
    {
      name: '<= met',
      rule: 'rmse <= 3.5',
      candidate: { rmse: 3.2 },
      outcome: 'pass',
      message: 'rmse 3.2 <= 3.5 (rule line 1)',
    },
    {
      name: 'direction from the comparator, not the name',
      rule: 'rmse >= 3',
      candidate: { rmse: 3.2 },
      outcome: 'pass',
      message: 'rmse 3.2 >= 3 (rule line 1)',
    },
    {
      name: 'negative threshold',
      rule: 'drift > -0.5',
      candidate: { drift: -0.6 },
      outcome: 'fail',
      message: 'drift -0.6 <= -0.5 (rule line 1)',
    },
    {
      name: '== compares floats exactly',
      rule: 'sum == 0.3',
      candidate: { sum: 0.1 + 0.2 },
      outcome: 'fail',
      message: 'sum 0.30000000000000004 != 0.3 (rule line 1)',
    },
    {
      name: '== met',
      rule: 'epochs == 10',
      candidate: { epochs: 10 },
      outcome: 'pass',
      message: 'epochs 10 == 10 (rule line 1)',
    },
    {
      name: '!= met',
      rule: 'errors != 0',
      candidate: { errors: 1e-12 },
      outcome: 'pass',
      message: 'errors 1e-12 != 0 (rule line 1)',
    },
    {
      name: '!= missed',
      rule: 'errors != 0',
      candidate: { errors: 0 },
      outcome: 'fail',
      message: 'errors 0 == 0 (rule line 1)',
    },
    {
      name: 'NaN candidate fails',
      rule: 'accuracy >= 0.9',
      candidate: { accuracy: Number.NaN },
      outcome: 'fail',
      message: "accuracy is NaN, not a finite number, so 'accuracy >= 0.9' cannot pass (rule line 1)",
    },
    {
      name: 'NaN candidate with a warn rule warns',
      rule: 'warn: accuracy >= 0.9',
      candidate: { accuracy: Number.NaN },
      outcome: 'warn',
      message: "accuracy is NaN, not a finite number, so 'accuracy >= 0.9' cannot pass (rule line 1)",
    },
    {
      name: 'NaN never passes !=',
      rule: 'loss != 1',
      candidate: { loss: Number.NaN },
      outcome: 'fail',
      message: "loss is NaN, not a finite number, so 'loss != 1' cannot pass (rule line 1)",
    },
    {
      name: 'Infinity never passes >=',
      rule: 'score >= 0',
      candidate: { score: Number.POSITIVE_INFINITY },
      outcome: 'fail',
      message: "score is Infinity, not a finite number, so 'score >= 0' cannot pass (rule line 1)",
    },
    {
      name: '-Infinity never passes <=',
      rule: 'loss <= 1',
      candidate: { loss: Number.NEGATIVE_INFINITY },
      outcome: 'fail',
      message: "loss is -Infinity, not a finite number, so 'loss <= 1' cannot pass (rule line 1)",
    },
  ];
  it.each(cases)('$name', ({ rule, candidate, outcome, message, threshold }) => {
    const result = evaluateOne(rule, candidate, { accuracy: 0.5 });
    expect(result.outcome).toBe(outcome);
    expect(result.message).toBe(message);
    if (threshold !== undefined) expect(result.threshold).toBe(threshold);
    // An absolute rule never reports a champion, even when one exists.
    expect(result.champion).toBeUndefined();
    expect(result.delta).toBeUndefined();
  });
});

describe('evaluateRules: champion thresholds', () => {
  const cases: Case[] = [
    {
      name: 'absolute tolerance met',
      rule: 'f1 >= champion - 0.01',
      candidate: { f1: 0.905 },
      champion: { f1: 0.91 },
      outcome: 'pass',
      message: 'f1 0.905 >= 0.9 (champion - 0.01, champion 0.91, delta -0.005) (rule line 1)',
      threshold: 0.9,
      delta: -0.005,
    },
    {
      name: 'absolute tolerance missed',
      rule: 'f1 >= champion - 0.01',
      candidate: { f1: 0.89 },
      champion: { f1: 0.91 },
      outcome: 'fail',
      message: 'f1 0.89 < 0.9 (champion - 0.01, champion 0.91, delta -0.02) (rule line 1)',
      threshold: 0.9,
      delta: -0.02,
    },
    {
      name: 'better than the champion',
      rule: 'auc > champion',
      candidate: { auc: 0.95 },
      champion: { auc: 0.9 },
      outcome: 'pass',
      message: 'auc 0.95 > 0.9 (champion, champion 0.9, delta +0.05) (rule line 1)',
      threshold: 0.9,
      delta: 0.05,
    },
    {
      name: 'relative factor missed',
      rule: 'auc >= champion * 1.02',
      candidate: { auc: 0.86 },
      champion: { auc: 0.85 },
      outcome: 'fail',
      message: 'auc 0.86 < 0.867 (champion × 1.02, champion 0.85, delta +0.01) (rule line 1)',
      threshold: 0.867,
      delta: 0.01,
    },
    {
      name: 'relative tolerance met exactly at the boundary',
      rule: 'precision >= champion - 2%',
      candidate: { precision: 0.784 },
      champion: { precision: 0.8 },
      outcome: 'pass',
      message: 'precision 0.784 >= 0.784 (champion - 2%, champion 0.8, delta -0.016) (rule line 1)',
      threshold: 0.784,
      delta: -0.016,
    },
    {
      name: 'relative tolerance missed',
      rule: 'precision >= champion - 2%',
      candidate: { precision: 0.78 },
      champion: { precision: 0.8 },
      outcome: 'fail',
      message: 'precision 0.78 < 0.784 (champion - 2%, champion 0.8, delta -0.02) (rule line 1)',
    },
    {
      name: '+ n% on a lower-is-better metric',
      rule: 'latency_ms <= champion + 10%',
      candidate: { latency_ms: 115 },
      champion: { latency_ms: 100 },
      outcome: 'fail',
      message: 'latency_ms 115 > 110 (champion + 10%, champion 100, delta +15) (rule line 1)',
      threshold: 110,
    },
    {
      name: 'lower is better: rmse <= champion + 0.1 passes at 3.2 against 3.1',
      rule: 'rmse <= champion + 0.1',
      candidate: { rmse: 3.2 },
      champion: { rmse: 3.1 },
      outcome: 'pass',
      message: 'rmse 3.2 <= 3.2 (champion + 0.1, champion 3.1, delta +0.1) (rule line 1)',
      threshold: 3.2,
      delta: 0.1,
    },
    {
      // The threshold is 3.0 + 0.1 = 3.1, so 3.2 is 0.1 worse than the tolerance allows.
      name: 'lower is better: rmse <= champion + 0.1 fails at 3.2 against 3.0',
      rule: 'rmse <= champion + 0.1',
      candidate: { rmse: 3.2 },
      champion: { rmse: 3.0 },
      outcome: 'fail',
      message: 'rmse 3.2 > 3.1 (champion + 0.1, champion 3, delta +0.2) (rule line 1)',
      threshold: 3.1,
      delta: 0.2,
    },
    {
      name: 'lower is better: rmse <= champion fails at 3.2 against 3.05',
      rule: 'rmse <= champion',
      candidate: { rmse: 3.2 },
      champion: { rmse: 3.05 },
      outcome: 'fail',
      message: 'rmse 3.2 > 3.05 (champion, champion 3.05, delta +0.15) (rule line 1)',
      threshold: 3.05,
      delta: 0.15,
    },
    {
      // 3 * 1.05 is 3.1500000000000004 in binary floating point; the user meant 3.15.
      name: 'lower is better: loss <= champion * 1.05 at exactly the factor',
      rule: 'loss <= champion * 1.05',
      candidate: { loss: 3.15 },
      champion: { loss: 3 },
      outcome: 'pass',
      message: 'loss 3.15 <= 3.15 (champion × 1.05, champion 3, delta +0.15) (rule line 1)',
      threshold: 3.15,
    },
    {
      name: 'lower is better: loss <= champion * 1.05 missed',
      rule: 'warn: loss <= champion * 1.05',
      candidate: { loss: 3.2 },
      champion: { loss: 3 },
      outcome: 'warn',
      message: 'loss 3.2 > 3.15 (champion × 1.05, champion 3, delta +0.2) (rule line 1)',
    },
    {
      name: 'absolute tolerance against a champion of 0 works',
      rule: 'bias <= champion + 0.01',
      candidate: { bias: 0.005 },
      champion: { bias: 0 },
      outcome: 'pass',
      message: 'bias 0.005 <= 0.01 (champion + 0.01, champion 0, delta +0.005) (rule line 1)',
      threshold: 0.01,
    },
    {
      name: 'a factor against a champion of 0 never passes',
      rule: 'errors <= champion * 1.1',
      candidate: { errors: 0 },
      champion: { errors: 0 },
      outcome: 'fail',
      message:
        "the champion's errors is 0, so the relative tolerance in 'errors <= champion * 1.1' is meaningless; " +
        "use an absolute tolerance such as 'errors <= champion - 0.01' (rule line 1)",
    },
    {
      name: 'a percentage against a champion of 0 yields the severity',
      rule: 'warn: bias <= champion + 5%',
      candidate: { bias: 0 },
      champion: { bias: 0 },
      outcome: 'warn',
      message:
        "the champion's bias is 0, so the relative tolerance in 'bias <= champion + 5%' is meaningless; " +
        "use an absolute tolerance such as 'bias <= champion - 0.01' (rule line 1)",
    },
    {
      name: 'a NaN champion value fails',
      rule: 'f1 >= champion - 0.01',
      candidate: { f1: 0.9 },
      champion: { f1: Number.NaN },
      policy: 'pass',
      outcome: 'fail',
      message:
        "the champion's f1 is NaN, not a finite number, so 'f1 >= champion - 0.01' cannot pass (rule line 1)",
    },
    {
      name: 'a NaN champion value with a warn rule warns',
      rule: 'warn: f1 >= champion',
      candidate: { f1: 0.9 },
      champion: { f1: Number.NaN },
      policy: 'pass',
      outcome: 'warn',
      message: "the champion's f1 is NaN, not a finite number, so 'f1 >= champion' cannot pass (rule line 1)",
    },
    {
      name: 'a NaN candidate fails before the champion is consulted',
      rule: 'f1 >= champion',
      candidate: { f1: Number.NaN },
      policy: 'pass',
      outcome: 'fail',
      message: "f1 is NaN, not a finite number, so 'f1 >= champion' cannot pass (rule line 1)",
    },
  ];
  it.each(cases)('$name', ({ rule, candidate, champion, policy, outcome, message, threshold, delta }) => {
    const result = evaluateOne(rule, candidate, champion, policy);
    expect(result.outcome).toBe(outcome);
    expect(result.message).toBe(message);
    if (threshold !== undefined) expect(result.threshold).toBe(threshold);
    if (delta !== undefined) expect(result.delta).toBe(delta);
  });

  it('reports champion, threshold and delta for a computed comparison', () => {
    const result = evaluateOne('f1 >= champion - 0.01', { f1: 0.89 }, { f1: 0.91 });
    expect(result).toMatchObject({
      metric: 'f1',
      candidate: 0.89,
      champion: 0.91,
      threshold: 0.9,
      delta: -0.02,
    });
  });
});

describe('evaluateRules: missing champion', () => {
  const policies: Array<[MissingChampionPolicy, Outcome]> = [
    ['pass', 'pass'],
    ['warn', 'warn'],
    ['fail', 'fail'],
  ];
  it.each(policies)('no champion at all, policy %s → %s', (policy, outcome) => {
    const result = evaluateOne('f1 >= champion - 0.01', { f1: 0.9 }, undefined, policy);
    expect(result.outcome).toBe(outcome);
    expect(result.message).toBe(
      `no champion yet, so 'f1 >= champion - 0.01' counts as ${policy} (on missing champion: ${policy}) (rule line 1)`,
    );
    expect(result.champion).toBeUndefined();
    expect(result.threshold).toBeUndefined();
    expect(result.delta).toBeUndefined();
  });

  it.each(policies)('champion without the metric, policy %s → %s', (policy, outcome) => {
    const result = evaluateOne('auc >= champion * 1.02', { auc: 0.9 }, { f1: 0.8 }, policy);
    expect(result.outcome).toBe(outcome);
    expect(result.message).toBe(
      `the champion has no metric auc, so 'auc >= champion * 1.02' counts as ${policy} (on missing champion: ${policy}) (rule line 1)`,
    );
    expect(result.champion).toBeUndefined();
  });

  it('absolute rules are evaluated normally when there is no champion', () => {
    const result = evaluateOne('accuracy >= 0.9', { accuracy: 0.8 }, undefined, 'pass');
    expect(result.outcome).toBe('fail');
    expect(result.message).toBe('accuracy 0.8 < 0.9 (rule line 1)');
  });
});

describe('evaluateRules: globs', () => {
  const candidate = {
    accuracy_region_us: 0.9,
    accuracy_region_eu: 0.8,
    accuracy_region_apac: 0.86,
    accuracy: 0.88,
  };

  it('expands a glob into one outcome per matching metric, sorted by name', () => {
    const { outcomes, result } = evaluate('accuracy_region_* >= 0.85', candidate);
    expect(outcomes.map((outcome) => [outcome.metric, outcome.outcome, outcome.message])).toEqual([
      ['accuracy_region_apac', 'pass', 'accuracy_region_apac 0.86 >= 0.85 (rule line 1)'],
      ['accuracy_region_eu', 'fail', 'accuracy_region_eu 0.8 < 0.85 (rule line 1)'],
      ['accuracy_region_us', 'pass', 'accuracy_region_us 0.9 >= 0.85 (rule line 1)'],
    ]);
    expect(result).toBe('fail');
  });

  it('? matches exactly one character and dots are literal', () => {
    const { outcomes } = evaluate('fold?.acc >= 0.5', {
      'fold1.acc': 0.6,
      'fold10.acc': 0.4,
      fold2xacc: 0.1,
    });
    expect(outcomes.map((outcome) => `${outcome.metric} ${outcome.outcome}`)).toEqual(['fold1.acc pass']);
  });

  it('compares each match with the same champion metric', () => {
    const { outcomes } = evaluate(
      'acc_* >= champion',
      { acc_a: 0.9, acc_b: 0.7 },
      { acc_a: 0.85, acc_b: 0.75 },
    );
    expect(outcomes.map((outcome) => [outcome.metric, outcome.outcome, outcome.champion])).toEqual([
      ['acc_a', 'pass', 0.85],
      ['acc_b', 'fail', 0.75],
    ]);
  });

  it('a glob matching nothing is a configuration error listing the metrics', () => {
    const error = evaluationError('loss < 1\nrecall_* >= 0.5', { loss: 0.2, precision: 0.8 });
    expect(error.line).toBe(2);
    expect(error.input).toBe('rules');
    expect(error.problem).toBe(
      "line 2: pattern 'recall_*' matches no metric of the candidate (rule 'recall_* >= 0.5')",
    );
    expect(error.fix).toMatch(/Use a metric the candidate has: loss, precision\.$/);
  });
});

describe('evaluateRules: unknown metrics', () => {
  it('suggests the closest metric and lists those that exist', () => {
    const error = evaluationError('acuracy >= 0.9', { accuracy: 0.9, f1: 0.8, loss: 0.1 });
    expect(error.line).toBe(1);
    expect(error.problem).toBe("line 1: the candidate has no metric 'acuracy' (rule 'acuracy >= 0.9')");
    expect(error.fix).toBe("Did you mean 'accuracy'? Use a metric the candidate has: accuracy, f1, loss.");
  });

  it('lists at most 10 metrics and says how many more exist, without a far-fetched suggestion', () => {
    const candidate = Object.fromEntries(
      Array.from({ length: 13 }, (_, index) => [`m${String(index).padStart(2, '0')}`, index]),
    );
    const error = evaluationError('ok >= 0\nthroughput >= 1', { ...candidate, ok: 1 }, 'gate-rules');
    expect(error.input).toBe('gate-rules');
    expect(error.line).toBe(2);
    expect(error.fix).toBe(
      'Use a metric the candidate has: m00, m01, m02, m03, m04, m05, m06, m07, m08, m09 and 4 more.',
    );
  });

  it('says so when the candidate logged no metrics', () => {
    const error = evaluationError('accuracy >= 0.9', {});
    expect(error.fix).toBe('The candidate logged no metrics; check that the run logs them.');
  });

  it('metric names are case-sensitive, as in MLflow', () => {
    const error = evaluationError('Accuracy >= 0.9', { accuracy: 0.95 });
    expect(error.fix).toMatch(/^Did you mean 'accuracy'\?/);
  });
});

describe('evaluateRules: overall result', () => {
  const cases: Array<[string, string, Outcome]> = [
    ['all pass', 'a >= 0.5\nb <= 1', 'pass'],
    ['a warning and passes', 'a >= 0.5\nwarn: b <= 0.1', 'warn'],
    ['a failure outranks a warning', 'warn: b <= 0.1\na >= 0.9', 'fail'],
  ];
  it.each(cases)('%s → %s', (_name, rules, expected) => {
    const evaluation = evaluate(rules, { a: 0.6, b: 0.5 });
    expect(evaluation.result).toBe(expected);
    expect(evaluation.outcomes.map((outcome) => outcome.rule.line)).toEqual(
      parseRules(rules).map((rule) => rule.line),
    );
  });

  it('an empty rule list passes (parseRules refuses one, so this only guards the function)', () => {
    expect(evaluateRules([], { a: 1 }, undefined, { onMissingChampion: 'fail' })).toEqual({
      outcomes: [],
      result: 'pass',
    });
  });
});

describe('evaluateRules: percent tolerance on a negative champion', () => {
  it('loosens by a share of the champion magnitude, whatever its sign', () => {
    const rules = parseRules('log_likelihood >= champion - 10%');
    const pass = evaluateRules(
      rules,
      { log_likelihood: -105 },
      { log_likelihood: -100 },
      { onMissingChampion: 'fail' },
    );
    expect(pass.outcomes[0]?.threshold).toBe(-110);
    expect(pass.result).toBe('pass');
    const fail = evaluateRules(
      rules,
      { log_likelihood: -111 },
      { log_likelihood: -100 },
      { onMissingChampion: 'fail' },
    );
    expect(fail.result).toBe('fail');
  });
});
