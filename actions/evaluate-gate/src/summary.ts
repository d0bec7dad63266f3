// The job summary (and PR comment): verdict, sources, a table of every check, and a Mermaid
// chart of candidate against champion for the metrics the rules read.
import { escapeMarkdown, markdown, SummaryBuilder } from '@aml-actions/core/github';
import type { GateReport } from './report';

const SYMBOLS = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' } as const;

export function formatNumber(value: number | null): string {
  if (value === null) return '–';
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(6)).toString();
}

function formatDelta(value: number | null): string {
  if (value === null) return '–';
  return `${value > 0 ? '+' : ''}${formatNumber(value)}`;
}

export function buildSummary(report: GateReport, runUrl?: string): string {
  const summary = new SummaryBuilder();
  const verdict = report.passed ? report.result : `${report.result} (fails the step)`;
  summary.heading(
    `Evaluate gate: ${SYMBOLS[report.result]}${report.passed ? '' : ` — ${escapeMarkdown(verdict)}`}`,
    3,
  );
  summary.list([
    `Candidate: ${report.candidate.source}`,
    `Champion: ${report.champion.found ? report.champion.description : `none — ${report.champion.description}`}`,
    `fail-on: ${report.failOn}`,
  ]);
  summary.table(
    ['Metric', 'Candidate', 'Champion', 'Δ', 'Rule', 'Outcome'],
    report.checks.map((check) => [
      check.metric,
      check.candidate === null && /NaN/.test(check.message) ? 'NaN' : formatNumber(check.candidate),
      formatNumber(check.champion),
      formatDelta(check.delta),
      markdown(`\`${check.rule.replace(/`/g, "'")}\`${check.severity === 'warn' ? ' (warn)' : ''}`),
      SYMBOLS[check.outcome],
    ]),
  );
  const chart = mermaidChart(report);
  if (chart) summary.raw(chart);
  const notes = report.checks.filter((check) => check.outcome !== 'pass').map((check) => check.message);
  if (notes.length > 0) summary.details('Why', notes.map((note) => `- ${escapeMarkdown(note)}`).join('\n'));
  if (runUrl) summary.paragraph(markdown(`[Workflow run](${runUrl})`));
  return summary.toMarkdown();
}

/** Candidate as bars, champion as a line, over the metrics the checks read (finite values only). */
export function mermaidChart(report: GateReport): string | undefined {
  const metrics = [...new Set(report.checks.map((check) => check.metric))].filter((metric) =>
    Number.isFinite(report.candidate.metrics[metric]),
  );
  if (metrics.length === 0) return undefined;
  const values = (from: Record<string, number>) =>
    metrics.map((metric) => formatNumber(from[metric] ?? null));
  const champion =
    report.champion.found && metrics.every((metric) => Number.isFinite(report.champion.metrics[metric]));
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title "Candidate (bars)${champion ? ' against champion (line)' : ''}"`,
    `  x-axis [${metrics.map((metric) => JSON.stringify(metric)).join(', ')}]`,
    `  bar [${values(report.candidate.metrics).join(', ')}]`,
    ...(champion ? [`  line [${values(report.champion.metrics).join(', ')}]`] : []),
    '```',
  ];
  return `${lines.join('\n')}\n`;
}
