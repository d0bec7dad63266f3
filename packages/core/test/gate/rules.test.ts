import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { describeThreshold, type GateRule, parseRules, type Threshold } from '../../src/gate';

function parseOne(text: string): GateRule {
  const rules = parseRules(text);
  expect(rules).toHaveLength(1);
  return rules[0] as GateRule;
}

function parseError(text: string, input?: string): ConfigurationError {
  try {
    parseRules(text, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected parseRules to reject ${JSON.stringify(text)}`);
}

describe('parseRules: valid rules', () => {
  const cases: Array<[string, Omit<GateRule, 'line'>]> = [
    [
      'accuracy >= 0.90',
      {
        text: 'accuracy >= 0.90',
        severity: 'fail',
        metric: 'accuracy',
        comparator: '>=',
        threshold: { kind: 'absolute', value: 0.9 },
      },
    ],
    [
      'rmse <= 3.5',
      {
        text: 'rmse <= 3.5',
        severity: 'fail',
        metric: 'rmse',
        comparator: '<=',
        threshold: { kind: 'absolute', value: 3.5 },
      },
    ],
    [
      'loss < 1e-3',
      {
        text: 'loss < 1e-3',
        severity: 'fail',
        metric: 'loss',
        comparator: '<',
        threshold: { kind: 'absolute', value: 0.001 },
      },
    ],
    [
      'drift > -2.5E+1',
      {
        text: 'drift > -2.5E+1',
        severity: 'fail',
        metric: 'drift',
        comparator: '>',
        threshold: { kind: 'absolute', value: -25 },
      },
    ],
    [
      'epochs == +10',
      {
        text: 'epochs == +10',
        severity: 'fail',
        metric: 'epochs',
        comparator: '==',
        threshold: { kind: 'absolute', value: 10 },
      },
    ],
    [
      'errors != .5',
      {
        text: 'errors != .5',
        severity: 'fail',
        metric: 'errors',
        comparator: '!=',
        threshold: { kind: 'absolute', value: 0.5 },
      },
    ],
    [
      'f1 >= champion - 0.01',
      {
        text: 'f1 >= champion - 0.01',
        severity: 'fail',
        metric: 'f1',
        comparator: '>=',
        threshold: { kind: 'champion', adjust: { op: '-', value: 0.01, percent: false } },
      },
    ],
    [
      'auc >= champion * 1.02',
      {
        text: 'auc >= champion * 1.02',
        severity: 'fail',
        metric: 'auc',
        comparator: '>=',
        threshold: { kind: 'champion', adjust: { op: '*', value: 1.02 } },
      },
    ],
    [
      'precision >= champion - 2%',
      {
        text: 'precision >= champion - 2%',
        severity: 'fail',
        metric: 'precision',
        comparator: '>=',
        threshold: { kind: 'champion', adjust: { op: '-', value: 2, percent: true } },
      },
    ],
    [
      'latency_ms <= champion+5%',
      {
        text: 'latency_ms <= champion+5%',
        severity: 'fail',
        metric: 'latency_ms',
        comparator: '<=',
        threshold: { kind: 'champion', adjust: { op: '+', value: 5, percent: true } },
      },
    ],
    [
      'rmse <= champion',
      {
        text: 'rmse <= champion',
        severity: 'fail',
        metric: 'rmse',
        comparator: '<=',
        threshold: { kind: 'champion' },
      },
    ],
    [
      'accuracy_region_* >= 0.85',
      {
        text: 'accuracy_region_* >= 0.85',
        severity: 'fail',
        metric: 'accuracy_region_*',
        comparator: '>=',
        threshold: { kind: 'absolute', value: 0.85 },
      },
    ],
    [
      'eval/fold-?.acc>=0.8',
      {
        text: 'eval/fold-?.acc>=0.8',
        severity: 'fail',
        metric: 'eval/fold-?.acc',
        comparator: '>=',
        threshold: { kind: 'absolute', value: 0.8 },
      },
    ],
    [
      '  warn: accuracy >= 0.95   # a miss is a warning',
      {
        text: 'accuracy >= 0.95',
        severity: 'warn',
        metric: 'accuracy',
        comparator: '>=',
        threshold: { kind: 'absolute', value: 0.95 },
      },
    ],
    [
      'fail:loss < 0.3',
      {
        text: 'loss < 0.3',
        severity: 'fail',
        metric: 'loss',
        comparator: '<',
        threshold: { kind: 'absolute', value: 0.3 },
      },
    ],
    [
      // Direction comes from the comparator only, never from the metric's name.
      'rmse >= 3',
      {
        text: 'rmse >= 3',
        severity: 'fail',
        metric: 'rmse',
        comparator: '>=',
        threshold: { kind: 'absolute', value: 3 },
      },
    ],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(parseOne(text)).toEqual({ line: 1, ...expected });
  });

  it('parses the documented example, skipping blank lines and comments, with 1-based lines', () => {
    const rules = parseRules(
      [
        '# quality gate',
        'accuracy >= 0.90',
        '',
        'rmse <= 3.5',
        'f1 >= champion - 0.01          # absolute tolerance',
        'auc >= champion * 1.02         # relative factor',
        'precision >= champion - 2%',
        '   ',
        'accuracy_region_* >= 0.85',
        'demographic_parity_difference <= 0.1',
        'warn: accuracy >= 0.95',
        'fail: loss < 0.3',
      ].join('\r\n'),
    );
    expect(rules.map((rule) => [rule.line, rule.severity, rule.text])).toEqual([
      [2, 'fail', 'accuracy >= 0.90'],
      [4, 'fail', 'rmse <= 3.5'],
      [5, 'fail', 'f1 >= champion - 0.01'],
      [6, 'fail', 'auc >= champion * 1.02'],
      [7, 'fail', 'precision >= champion - 2%'],
      [9, 'fail', 'accuracy_region_* >= 0.85'],
      [10, 'fail', 'demographic_parity_difference <= 0.1'],
      [11, 'warn', 'accuracy >= 0.95'],
      [12, 'fail', 'loss < 0.3'],
    ]);
  });

  it('allows the same rule with a different severity or comparator', () => {
    const rules = parseRules('accuracy >= 0.9\nwarn: accuracy >= 0.9\naccuracy > 0.9');
    expect(rules.map((rule) => `${rule.severity} ${rule.comparator}`)).toEqual([
      'fail >=',
      'warn >=',
      'fail >',
    ]);
  });
});

describe('parseRules: mistakes', () => {
  const cases: Array<{ name: string; text: string; line: number | undefined; problem: RegExp; fix: RegExp }> =
    [
      {
        name: '=> suggests >=',
        text: 'accuracy => 0.9',
        line: 1,
        problem: /unknown comparator '=>'/,
        fix: /Use '>='/,
      },
      {
        name: '=< suggests <=',
        text: 'a >= 1\nrmse =< 3',
        line: 2,
        problem: /unknown comparator '=<'/,
        fix: /Use '<='/,
      },
      {
        name: '= suggests ==',
        text: 'epochs = 10',
        line: 1,
        problem: /unknown comparator '='/,
        fix: /Use '=='/,
      },
      {
        name: 'an unknown operator lists the valid ones',
        text: 'a >=> 1',
        line: 1,
        problem: /'>=>'/,
        fix: /Use one of >=, >, <=, <, ==, !=/,
      },
      {
        name: 'no comparator at all',
        text: 'accuracy 0.9',
        line: 1,
        problem: /has no comparator/,
        fix: /accuracy >= 0.9/,
      },
      {
        name: 'missing right-hand side',
        text: 'accuracy >=',
        line: 1,
        problem: /nothing after '>='/,
        fix: /champion/,
      },
      {
        name: 'a comment is not a right-hand side',
        text: 'accuracy >= # 0.9',
        line: 1,
        problem: /nothing after/,
        fix: /number/,
      },
      { name: 'missing metric', text: '>= 0.9', line: 1, problem: /no metric name/, fix: /accuracy >= 0.9/ },
      {
        name: 'champion / 2',
        text: 'f1 >= champion / 2',
        line: 1,
        problem: /'champion \/ 2' .* is neither a number nor a champion expression/,
        fix: /champion \* 0.5/,
      },
      {
        name: 'champ - 0.1',
        text: 'f1 >= champ - 0.1',
        line: 1,
        problem: /'champ - 0.1'/,
        fix: /did you mean 'champion'\?.*'champion - 0.1'/i,
      },
      {
        name: 'champoin (typo)',
        text: 'f1 >= champoin',
        line: 1,
        problem: /'champoin'/,
        fix: /did you mean 'champion'/i,
      },
      {
        name: 'a word that is not champion',
        text: 'f1 >= baseline',
        line: 1,
        problem: /'baseline'/,
        fix: /^Write a number/,
      },
      {
        name: 'a percent on a plain number',
        text: 'f1 >= 90%',
        line: 1,
        problem: /'90%'/,
        fix: /Write a number/,
      },
      {
        name: 'champion * n%',
        text: 'auc >= champion * 2%',
        line: 1,
        problem: /multiplies by a percentage/,
        fix: /champion \* 1.02/,
      },
      { name: 'a number too large', text: 'a < 1e999', line: 1, problem: /too large/, fix: /finite/ },
      {
        name: 'invalid characters in a metric',
        text: 'acc@top$5 >= 0.9',
        line: 1,
        problem: /metric name 'acc@top\$5' contains characters .*'@', '\$'/,
        fix: /letters, digits/,
      },
      {
        name: 'a space in a metric',
        text: 'top 5 acc >= 0.9',
        line: 1,
        problem: /'top 5 acc'.*space/,
        fix: /letters, digits/,
      },
      {
        name: 'a severity without a colon',
        text: 'warn accuracy >= 0.9',
        line: 1,
        problem: /contains a space/,
        fix: /'warn: accuracy \.\.\.'/,
      },
      {
        name: 'warning: suggests warn:',
        text: 'warning: accuracy >= 0.9',
        line: 1,
        problem: /unknown severity 'warning:'/,
        fix: /Did you mean 'warn:'/,
      },
      {
        name: 'wan: suggests warn:',
        text: 'wan: accuracy >= 0.9',
        line: 1,
        problem: /unknown severity 'wan:'/,
        fix: /Did you mean 'warn:'/,
      },
      {
        name: 'error: suggests fail:',
        text: 'error: accuracy >= 0.9',
        line: 1,
        problem: /'error:'/,
        fix: /Did you mean 'fail:'/,
      },
      {
        name: 'an unrelated prefix',
        text: 'must: accuracy >= 0.9',
        line: 1,
        problem: /'must:'/,
        fix: /^Start the rule with 'warn:' or 'fail:'/,
      },
      {
        name: 'an empty input',
        text: '',
        line: undefined,
        problem: /no gate rules/,
        fix: /Add at least one rule/,
      },
      {
        name: 'only comments and blanks',
        text: '# todo\n\n   \n',
        line: undefined,
        problem: /no gate rules/,
        fix: /accuracy >= 0.9/,
      },
      {
        name: 'two identical rules name both lines',
        text: 'accuracy >= 0.9\nf1 >= 0.8\naccuracy >= 0.90  # same value',
        line: 3,
        problem: /line 3 repeats the rule on line 1/,
        fix: /Remove line 3 or line 1/,
      },
      {
        name: 'identical champion rules',
        text: 'warn: f1 >= champion - 1%\nwarn:f1>=champion-1%',
        line: 2,
        problem: /line 2 repeats the rule on line 1/,
        fix: /line 2 or line 1/,
      },
    ];
  it.each(cases)('$name', ({ text, line, problem, fix }) => {
    const error = parseError(text);
    expect(error.input).toBe('rules');
    expect(error.line).toBe(line);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
  });

  it('reports the input name it was given, in the message too', () => {
    const error = parseError('ok >= 1\n\nbad => 1', 'gate-rules');
    expect(error.input).toBe('gate-rules');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^input 'gate-rules': line 3: unknown comparator/);
  });
});

describe('describeThreshold', () => {
  const cases: Array<[Threshold, string]> = [
    [{ kind: 'absolute', value: 0.9 }, '0.9'],
    [{ kind: 'absolute', value: -0.001 }, '-0.001'],
    [{ kind: 'champion' }, 'champion'],
    [{ kind: 'champion', adjust: { op: '-', value: 0.01, percent: false } }, 'champion - 0.01'],
    [{ kind: 'champion', adjust: { op: '+', value: 0.1, percent: false } }, 'champion + 0.1'],
    [{ kind: 'champion', adjust: { op: '*', value: 1.02 } }, 'champion × 1.02'],
    [{ kind: 'champion', adjust: { op: '-', value: 2, percent: true } }, 'champion - 2%'],
    [{ kind: 'champion', adjust: { op: '+', value: 5, percent: true } }, 'champion + 5%'],
  ];
  it.each(cases)('%j → %s', (threshold, expected) => {
    expect(describeThreshold(threshold)).toBe(expected);
  });

  it('round-trips through parseRules', () => {
    for (const rhs of ['0.9', 'champion', 'champion - 0.01', 'champion + 2%']) {
      expect(describeThreshold(parseOne(`m >= ${rhs}`).threshold)).toBe(rhs);
    }
  });
});
