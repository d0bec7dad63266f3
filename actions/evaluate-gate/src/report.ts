// The `report` output: every check with its numbers, the sources, and the verdict under fail-on.
import type { ChampionResult, GateEvaluation, Outcome } from '@aml-actions/core';
import type { FailOn } from './inputs';

export interface ReportCheck {
  line: number;
  rule: string;
  severity: 'fail' | 'warn';
  metric: string;
  candidate: number | null;
  champion: number | null;
  threshold: number | null;
  delta: number | null;
  outcome: Outcome;
  message: string;
}

export interface GateReport {
  result: Outcome;
  /** False when `result` fails the step under `fail-on`. */
  passed: boolean;
  failOn: FailOn;
  candidate: { source: string; metrics: Record<string, number> };
  champion: { found: boolean; description: string; metrics: Record<string, number> };
  checks: ReportCheck[];
}

export function isPassing(result: Outcome, failOn: FailOn): boolean {
  if (failOn === 'never') return true;
  if (result === 'fail') return false;
  return !(result === 'warn' && failOn === 'warn');
}

export function buildReport(
  evaluation: GateEvaluation,
  candidate: { source: string; metrics: Record<string, number> },
  champion: ChampionResult,
  failOn: FailOn,
): GateReport {
  return {
    result: evaluation.result,
    passed: isPassing(evaluation.result, failOn),
    failOn,
    candidate,
    champion: champion.found
      ? { found: true, description: champion.description, metrics: champion.metrics }
      : { found: false, description: champion.reason, metrics: {} },
    checks: evaluation.outcomes.map((outcome) => ({
      line: outcome.rule.line,
      rule: outcome.rule.text,
      severity: outcome.rule.severity,
      metric: outcome.metric,
      // JSON has no NaN: a NaN value is reported as null, its message says NaN.
      candidate: finiteOrNull(outcome.candidate),
      champion: finiteOrNull(outcome.champion),
      threshold: finiteOrNull(outcome.threshold),
      delta: finiteOrNull(outcome.delta),
      outcome: outcome.outcome,
      message: outcome.message,
    })),
  };
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
