// The evaluate-gate rule language: one rule per line, `[warn:|fail:] metric comparator rhs`.
// Pure parsing; every mistake becomes a ConfigurationError pointing at the line and saying how to fix it.

import { ConfigurationError } from '../errors';
import { closestMatch } from '../text/closest-match';

export type Comparator = '>=' | '>' | '<=' | '<' | '==' | '!=';
export type Severity = 'fail' | 'warn';
export type Threshold =
  | { kind: 'absolute'; value: number }
  | {
      kind: 'champion';
      adjust?: { op: '+' | '-'; value: number; percent: boolean } | { op: '*'; value: number };
    };

export interface GateRule {
  /** 1-based line within the input. */
  line: number;
  /** The rule as written, comment and severity prefix removed, trimmed. */
  text: string;
  severity: Severity;
  /** A metric name or a glob pattern (`*`, `?`). */
  metric: string;
  comparator: Comparator;
  threshold: Threshold;
}

const COMPARATORS: readonly Comparator[] = ['>=', '>', '<=', '<', '==', '!='];
const SEVERITIES: readonly Severity[] = ['fail', 'warn'];

/** Operators people write by habit from other languages, and what they meant. */
const COMPARATOR_SUGGESTIONS: Readonly<Record<string, Comparator>> = {
  '=>': '>=',
  '=<': '<=',
  '=': '==',
  '===': '==',
  '!==': '!=',
  '<>': '!=',
  '!': '!=',
  '=!': '!=',
  '>>': '>',
  '<<': '<',
};

/** Severity words that closestMatch would not catch (too far in edit distance). */
const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = { error: 'fail', warning: 'warn' };

const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const SIGNED_NUMBER = new RegExp(`^[+-]?${NUMBER}$`);
const CHAMPION_EXPRESSION = new RegExp(`^champion(?:\\s*([+\\-*])\\s*(${NUMBER})\\s*(%?))?$`);
const METRIC_NAME = /^[A-Za-z0-9_\-./*?]+$/;
const RHS_FORMS = 'a number (0.9, 1e-3), champion, or champion followed by + n, - n, * n, + n% or - n%';
const EXAMPLE_RULE = 'accuracy >= 0.9';

/** Parses the `rules` input. Throws ConfigurationError for the first mistake found. */
export function parseRules(text: string, input = 'rules'): GateRule[] {
  const rules: GateRule[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    // `#` cannot occur in a metric name or a number, so everything after it is a comment.
    const body = stripComment(raw).trim();
    if (body === '') continue;
    const rule = parseRule(body, { input, line });
    const key = `${rule.severity} ${rule.metric} ${rule.comparator} ${describeThreshold(rule.threshold)}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      throw new ConfigurationError(
        `rule on line ${line} repeats the rule on line ${first} ('${rule.text}')`,
        {
          input,
          line,
          fix: `Remove line ${line} or line ${first}; each rule should appear once.`,
        },
      );
    }
    firstLineOf.set(key, line);
    rules.push(rule);
  }
  if (rules.length === 0) {
    throw new ConfigurationError('no gate rules were given', {
      input,
      fix: `Add at least one rule, one per line, e.g. '${EXAMPLE_RULE}' or 'f1 >= champion - 0.01'.`,
    });
  }
  return rules;
}

/** A threshold as a user would write it: '0.9', 'champion - 0.01', 'champion × 1.02', 'champion - 2%'. */
export function describeThreshold(threshold: Threshold): string {
  if (threshold.kind === 'absolute') return String(threshold.value);
  const adjust = threshold.adjust;
  if (adjust === undefined) return 'champion';
  if (adjust.op === '*') return `champion × ${adjust.value}`;
  return `champion ${adjust.op} ${adjust.value}${adjust.percent ? '%' : ''}`;
}

interface Where {
  input: string;
  line: number;
}

function stripComment(raw: string): string {
  const hash = raw.indexOf('#');
  return hash === -1 ? raw : raw.slice(0, hash);
}

function parseRule(body: string, where: Where): GateRule {
  const { severity, rest } = splitSeverity(body, where);
  const text = rest.trim();
  const operator = /[<>=!]+/.exec(text);
  if (!operator) {
    throw fail(
      `rule '${text}' has no comparator`,
      where,
      `Compare the metric with a value, e.g. '${EXAMPLE_RULE}'.`,
    );
  }
  const metric = text.slice(0, operator.index).trim();
  const comparator = parseComparator(operator[0], text, where);
  const rhs = text.slice(operator.index + operator[0].length).trim();
  checkMetricName(metric, text, where);
  if (rhs === '') {
    throw fail(
      `rule '${text}' has nothing after '${comparator}'`,
      where,
      `Write ${RHS_FORMS} after the comparator, e.g. '${metric} ${comparator} 0.9'.`,
    );
  }
  return {
    line: where.line,
    text,
    severity,
    metric,
    comparator,
    threshold: parseThreshold(rhs, text, where),
  };
}

function splitSeverity(body: string, where: Where): { severity: Severity; rest: string } {
  // A colon cannot occur in a metric name or threshold, so one here always ends a severity prefix.
  const prefixed = /^([^:]*):(.*)$/.exec(body);
  if (!prefixed) return { severity: 'fail', rest: body };
  const prefix = (prefixed[1] ?? '').trim();
  const rest = prefixed[2] ?? '';
  if ((SEVERITIES as readonly string[]).includes(prefix)) return { severity: prefix as Severity, rest };
  const lower = prefix.toLowerCase();
  const suggestion =
    SEVERITY_ALIASES[lower] ??
    SEVERITIES.find((severity) => lower.startsWith(severity)) ??
    closestMatch(lower, SEVERITIES);
  const fix = suggestion
    ? `Did you mean '${suggestion}:'? Start the rule with 'warn:' or 'fail:' (the default), or with no prefix.`
    : `Start the rule with 'warn:' or 'fail:' (the default), or with no prefix.`;
  throw fail(`unknown severity '${prefix}:' in '${body}'`, where, fix);
}

function parseComparator(operator: string, text: string, where: Where): Comparator {
  if ((COMPARATORS as readonly string[]).includes(operator)) return operator as Comparator;
  const suggestion = COMPARATOR_SUGGESTIONS[operator];
  const allowed = COMPARATORS.join(', ');
  throw fail(
    `unknown comparator '${operator}' in '${text}'`,
    where,
    suggestion
      ? `Use '${suggestion}' instead of '${operator}' (comparators: ${allowed}).`
      : `Use one of ${allowed}.`,
  );
}

function checkMetricName(metric: string, text: string, where: Where): void {
  if (metric === '') {
    throw fail(
      `rule '${text}' has no metric name before the comparator`,
      where,
      `Start with the metric, e.g. '${EXAMPLE_RULE}'.`,
    );
  }
  if (METRIC_NAME.test(metric)) return;
  const firstWord = metric.split(/\s+/)[0] ?? '';
  if (/\s/.test(metric) && (SEVERITIES as readonly string[]).includes(firstWord.toLowerCase())) {
    throw fail(
      `metric name '${metric}' contains a space`,
      where,
      `Put a colon after the severity: '${firstWord.toLowerCase()}: ${metric.slice(firstWord.length).trim()} ...'.`,
    );
  }
  const invalid = [...new Set(metric.replace(/[A-Za-z0-9_\-./*?]/g, ''))]
    .map((character) => (character.trim() === '' ? 'space' : `'${character}'`))
    .join(', ');
  throw fail(
    `metric name '${metric}' contains characters a metric name cannot have: ${invalid}`,
    where,
    'Write the metric key as logged (letters, digits, _ - . /), optionally with * or ? to match several.',
  );
}

function parseThreshold(rhs: string, text: string, where: Where): Threshold {
  if (SIGNED_NUMBER.test(rhs)) {
    const value = Number(rhs);
    if (!Number.isFinite(value)) {
      throw fail(
        `threshold '${rhs}' in '${text}' is too large to be a number`,
        where,
        'Write a finite number.',
      );
    }
    return { kind: 'absolute', value };
  }
  const champion = CHAMPION_EXPRESSION.exec(rhs);
  if (champion) return championThreshold(champion, rhs, text, where);
  throw fail(`'${rhs}' in '${text}' is neither a number nor a champion expression`, where, rhsFix(rhs));
}

function championThreshold(match: RegExpExecArray, rhs: string, text: string, where: Where): Threshold {
  const [, op, number, percent] = match;
  if (op === undefined || number === undefined) return { kind: 'champion' };
  const value = Number(number);
  if (!Number.isFinite(value)) {
    throw fail(`'${number}' in '${text}' is too large to be a number`, where, 'Write a finite number.');
  }
  if (op === '*') {
    if (percent) {
      throw fail(
        `'${rhs}' in '${text}' multiplies by a percentage`,
        where,
        `Write a factor ('champion * 1.02') or a relative tolerance ('champion + ${number}%' / 'champion - ${number}%').`,
      );
    }
    return { kind: 'champion', adjust: { op, value } };
  }
  return { kind: 'champion', adjust: { op: op === '+' ? '+' : '-', value, percent: percent === '%' } };
}

function rhsFix(rhs: string): string {
  const word = /^[A-Za-z_]+/.exec(rhs)?.[0];
  if (word !== undefined && word !== 'champion') {
    const lower = word.toLowerCase();
    const looksLikeChampion =
      (lower.length >= 3 && 'champion'.startsWith(lower)) || closestMatch(lower, ['champion']) !== undefined;
    if (looksLikeChampion) {
      return `Did you mean 'champion'? Write ${RHS_FORMS}, e.g. '${`champion${rhs.slice(word.length)}`.trim()}'.`;
    }
  }
  if (word === 'champion') {
    const operator = rhs.slice(word.length).trim()[0];
    if (operator === '/')
      return `Division is not supported; multiply instead (e.g. 'champion * 0.5'). Write ${RHS_FORMS}.`;
  }
  return `Write ${RHS_FORMS}.`;
}

function fail(problem: string, where: Where, fix: string): ConfigurationError {
  return new ConfigurationError(`line ${where.line}: ${problem}`, {
    input: where.input,
    line: where.line,
    fix,
  });
}
