// Evaluates parsed gate rules against a candidate's metrics and, optionally, a champion's.
// Pure: the caller fetches the metrics. A value that is not a finite number never passes.

import { ConfigurationError } from '../errors';
import { closestMatch } from '../text/closest-match';
import { type Comparator, describeThreshold, type GateRule } from './rules';

export type Outcome = 'pass' | 'warn' | 'fail';
export type MissingChampionPolicy = 'pass' | 'warn' | 'fail';

export interface RuleOutcome {
  rule: GateRule;
  /** The concrete metric (a glob expands to one outcome per match, sorted by name). */
  metric: string;
  candidate: number;
  /** Only for champion rules when known. */
  champion?: number;
  /** The number the candidate was compared with, when computable. */
  threshold?: number;
  /** candidate - champion, when a champion value exists. */
  delta?: number;
  outcome: Outcome;
  /** One readable sentence, e.g. "accuracy 0.87 < 0.9 (rule line 1)". */
  message: string;
}

export interface GateEvaluation {
  outcomes: RuleOutcome[];
  /** fail if any outcome fails, else warn if any warns, else pass. */
  result: Outcome;
}

export interface EvaluateRulesOptions {
  onMissingChampion: MissingChampionPolicy;
  /** Input name for configuration errors; defaults to 'rules'. */
  input?: string;
}

const LISTED_METRICS = 10;

export function evaluateRules(
  rules: readonly GateRule[],
  candidate: Readonly<Record<string, number>>,
  champion: Readonly<Record<string, number>> | undefined,
  options: EvaluateRulesOptions,
): GateEvaluation {
  const input = options.input ?? 'rules';
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    for (const metric of matchingMetrics(rule, candidate, input)) {
      outcomes.push(
        evaluateOne(rule, metric, candidate[metric] ?? Number.NaN, champion, options.onMissingChampion),
      );
    }
  }
  return { outcomes, result: worstOutcome(outcomes.map((outcome) => outcome.outcome)) };
}

function worstOutcome(outcomes: readonly Outcome[]): Outcome {
  if (outcomes.includes('fail')) return 'fail';
  if (outcomes.includes('warn')) return 'warn';
  return 'pass';
}

function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function globToRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((character) => {
      if (character === '*') return '.*';
      if (character === '?') return '.';
      return character.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** The candidate metrics a rule applies to; a rule that matches none is a configuration mistake. */
function matchingMetrics(
  rule: GateRule,
  candidate: Readonly<Record<string, number>>,
  input: string,
): string[] {
  const available = Object.keys(candidate).sort();
  if (!isGlob(rule.metric)) {
    if (Object.hasOwn(candidate, rule.metric)) return [rule.metric];
    const suggestion = closestMatch(rule.metric, available);
    const hint = suggestion ? `Did you mean '${suggestion}'? ` : '';
    throw new ConfigurationError(
      `line ${rule.line}: the candidate has no metric '${rule.metric}' (rule '${rule.text}')`,
      {
        input,
        line: rule.line,
        fix: `${hint}${describeAvailable(available)}`,
      },
    );
  }
  const pattern = globToRegExp(rule.metric);
  const matches = available.filter((name) => pattern.test(name));
  if (matches.length > 0) return matches;
  throw new ConfigurationError(
    `line ${rule.line}: pattern '${rule.metric}' matches no metric of the candidate (rule '${rule.text}')`,
    {
      input,
      line: rule.line,
      fix: `Change the pattern (* matches any run of characters, ? one character). ${describeAvailable(available)}`,
    },
  );
}

function describeAvailable(available: readonly string[]): string {
  if (available.length === 0) return 'The candidate logged no metrics; check that the run logs them.';
  const listed = available.slice(0, LISTED_METRICS).join(', ');
  const more = available.length > LISTED_METRICS ? ` and ${available.length - LISTED_METRICS} more` : '';
  return `Use a metric the candidate has: ${listed}${more}.`;
}

function evaluateOne(
  rule: GateRule,
  metric: string,
  value: number,
  champion: Readonly<Record<string, number>> | undefined,
  onMissingChampion: MissingChampionPolicy,
): RuleOutcome {
  const where = `(rule line ${rule.line})`;
  const base = { rule, metric, candidate: value };
  if (!Number.isFinite(value)) {
    return {
      ...base,
      outcome: rule.severity,
      message: `${metric} is ${value}, not a finite number, so '${rule.text}' cannot pass ${where}`,
    };
  }

  const threshold = rule.threshold;
  if (threshold.kind === 'absolute') {
    return compared(base, rule, threshold.value, `${metric} ${formatNumber(value)}`, where);
  }

  if (champion === undefined) {
    return {
      ...base,
      outcome: onMissingChampion,
      message: `no champion yet, so '${rule.text}' counts as ${onMissingChampion} (on missing champion: ${onMissingChampion}) ${where}`,
    };
  }
  if (!Object.hasOwn(champion, metric)) {
    return {
      ...base,
      outcome: onMissingChampion,
      message: `the champion has no metric ${metric}, so '${rule.text}' counts as ${onMissingChampion} (on missing champion: ${onMissingChampion}) ${where}`,
    };
  }

  const championValue = champion[metric] ?? Number.NaN;
  const known = { ...base, champion: championValue };
  if (!Number.isFinite(championValue)) {
    return {
      ...known,
      outcome: rule.severity,
      message: `the champion's ${metric} is ${championValue}, not a finite number, so '${rule.text}' cannot pass ${where}`,
    };
  }

  const delta = roundArithmetic(value - championValue);
  const adjust = threshold.adjust;
  const relative = adjust !== undefined && (adjust.op === '*' || adjust.percent);
  if (relative && championValue === 0) {
    return {
      ...known,
      delta,
      outcome: rule.severity,
      message:
        `the champion's ${metric} is 0, so the relative tolerance in '${rule.text}' is meaningless; ` +
        `use an absolute tolerance such as '${metric} ${rule.comparator} champion - 0.01' ${where}`,
    };
  }

  const computed = roundArithmetic(championThreshold(championValue, rule));
  const subject = `${metric} ${formatNumber(value)}`;
  const explanation = `(${describeThreshold(threshold)}, champion ${formatNumber(championValue)}, delta ${formatSigned(delta)})`;
  return compared({ ...known, delta }, rule, computed, subject, `${explanation} ${where}`);
}

function championThreshold(championValue: number, rule: GateRule): number {
  if (rule.threshold.kind !== 'champion' || rule.threshold.adjust === undefined) return championValue;
  const adjust = rule.threshold.adjust;
  if (adjust.op === '*') return championValue * adjust.value;
  const amount = adjust.percent ? (Math.abs(championValue) * adjust.value) / 100 : adjust.value;
  return adjust.op === '+' ? championValue + amount : championValue - amount;
}

function compared<T extends { candidate: number }>(
  base: T,
  rule: GateRule,
  threshold: number,
  subject: string,
  suffix: string,
): T & { threshold: number; outcome: Outcome; message: string } {
  const met = satisfies(base.candidate, rule.comparator, threshold);
  const relation = met ? rule.comparator : NEGATION[rule.comparator];
  return {
    ...base,
    threshold,
    outcome: met ? 'pass' : rule.severity,
    message: `${subject} ${relation} ${formatNumber(threshold)} ${suffix}`,
  };
}

const NEGATION: Readonly<Record<Comparator, Comparator>> = {
  '>=': '<',
  '>': '<=',
  '<=': '>',
  '<': '>=',
  '==': '!=',
  '!=': '==',
};

function satisfies(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/**
 * Removes binary floating-point noise from a computed value (3 * 1.05 = 3.1500000000000004), so a candidate
 * exactly at the tolerance the user wrote is judged as the user meant. Given values are never rounded.
 */
function roundArithmetic(value: number): number {
  return Number(value.toPrecision(12));
}

function formatNumber(value: number): string {
  return String(value);
}

function formatSigned(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
