// The outcome as data (the `report` output) and as a job summary: the cases table, latency per
// target side by side with a Mermaid chart, and why the check failed. Pure.
import { SummaryBuilder } from '@aml-actions/core/github';
import type { CaseRun, LatencyStats, WarmUp } from './load';

export interface TargetReport {
  target: string;
  warmUp: WarmUp;
  latency: LatencyStats;
  /** Threshold problems (p95, error rate). */
  problems: string[];
}

export interface SmokeReport {
  passed: boolean;
  scoringUri: string;
  auth: string;
  cases: CaseRun[];
  targets: TargetReport[];
  rolledBack: boolean;
  failures: string[];
}

/** JSON for the `report` output: no bodies or headers (they may hold data or credentials). */
export function reportJson(report: SmokeReport): string {
  return JSON.stringify({
    passed: report.passed,
    scoringUri: report.scoringUri,
    rolledBack: report.rolledBack,
    failures: report.failures,
    cases: report.cases.map((run) => ({
      name: run.case.name,
      target: run.target,
      status: run.status ?? null,
      servedBy: run.servedBy ?? null,
      latencyMs: round(run.latencyInMs),
      passed: run.result.passed,
      problems: run.result.problems,
    })),
    targets: report.targets.map((t) => ({
      target: t.target,
      warmUp: { ready: t.warmUp.ready, attempts: t.warmUp.attempts, ms: round(t.warmUp.elapsedInMs) },
      requests: t.latency.requests,
      errors: t.latency.errors,
      errorRate: t.latency.errorRate,
      p50Ms: round(t.latency.p50InMs),
      p95Ms: round(t.latency.p95InMs),
      p99Ms: round(t.latency.p99InMs),
      maxMs: round(t.latency.maxInMs),
      problems: t.problems,
    })),
  });
}

export function buildSummary(report: SmokeReport): string {
  const summary = new SummaryBuilder();
  const failedCases = report.cases.filter((run) => !run.result.passed).length;
  summary.heading(
    `Smoke test: ${report.passed ? '✅ passed' : '❌ failed'} (${report.cases.length - failedCases}/${report.cases.length} cases)`,
    3,
  );
  summary.list([
    `Scoring URI: ${report.scoringUri}`,
    `Auth: ${report.auth}`,
    ...(report.rolledBack ? ['Traffic was rolled back to previous-traffic'] : []),
    ...report.failures.map((failure) => `❌ ${failure}`),
  ]);
  if (report.cases.length > 0) {
    summary.table(
      ['Case', 'Target', 'Status', 'Served by', 'Latency', 'Result'],
      report.cases.map((run) => [
        run.case.name,
        run.target,
        run.status === undefined ? '–' : String(run.status),
        run.servedBy ?? '–',
        `${round(run.latencyInMs)} ms`,
        run.result.passed ? '✅' : `❌ ${run.result.problems.join('; ')}`,
      ]),
    );
  }
  const measured = report.targets.filter((t) => t.latency.requests > 0);
  if (measured.length > 0) {
    summary.table(
      ['Target', 'Requests', 'Errors', 'p50', 'p95', 'p99', 'max', 'Warm-up'],
      measured.map((t) => [
        t.target,
        String(t.latency.requests),
        `${t.latency.errors} (${(t.latency.errorRate * 100).toFixed(1)}%)`,
        `${round(t.latency.p50InMs)} ms`,
        `${round(t.latency.p95InMs)} ms`,
        `${round(t.latency.p99InMs)} ms`,
        `${round(t.latency.maxInMs)} ms`,
        `${t.warmUp.attempts} attempt${t.warmUp.attempts === 1 ? '' : 's'}, ${(t.warmUp.elapsedInMs / 1000).toFixed(1)} s`,
      ]),
    );
    summary.raw(latencyChart(measured));
  }
  return summary.toMarkdown();
}

/** A Mermaid bar chart, one bar per target and percentile (GitHub renders `xychart-beta`). */
export function latencyChart(targets: readonly TargetReport[]): string {
  const labels: string[] = [];
  const values: number[] = [];
  for (const t of targets) {
    for (const [name, value] of [
      ['p50', t.latency.p50InMs],
      ['p95', t.latency.p95InMs],
      ['p99', t.latency.p99InMs],
    ] as const) {
      labels.push(JSON.stringify(`${t.target.replace(/"/g, "'")} ${name}`));
      values.push(round(value));
    }
  }
  const top = Math.max(1, ...values);
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Latency (ms)"',
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
    `  bar [${values.join(', ')}]`,
    '```',
  ].join('\n');
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : 0;
}
