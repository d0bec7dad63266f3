// The job summary of a run: the job and its status, pipeline steps or trials, metrics, outputs.
import { markdown, SummaryBuilder } from '@aml-actions/core/github';
import type { TrainResult } from './result';

const STATUS_ICONS: Record<string, string> = {
  Completed: '✅',
  Failed: '❌',
  Canceled: '⛔',
  NotResponding: '⚠️',
};

export function formatElapsed(ms: number | undefined): string {
  if (ms === undefined) return '';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}

export function buildSummary(result: TrainResult): string {
  const summary = new SummaryBuilder();
  const icon = STATUS_ICONS[result.status] ?? '⏳';
  summary.heading(`Azure ML ${result.jobType.toLowerCase()} job ${result.jobName}`, 3);
  const link = result.studioUrl ? markdown(`[${result.jobName}](${result.studioUrl})`) : result.jobName;
  summary.table(
    ['Job', 'Status', 'Duration', 'Submitted'],
    [
      [
        link,
        `${icon} ${result.status}`,
        formatElapsed(result.durationInMs),
        result.submitted ? 'yes' : 're-attached',
      ],
    ],
  );
  if (result.requestFile)
    summary.paragraph(`Dry run: the requests are in \`${result.requestFile}\`; nothing was sent.`);
  if (result.code) {
    summary.paragraph(
      result.code.reused
        ? `Code: unchanged, reused \`${result.code.armId.split('/').slice(-3).join('/')}\` (0 bytes uploaded).`
        : `Code: uploaded ${result.code.uploadedBytes} bytes.`,
    );
  }
  if (result.children.length > 0) {
    summary.heading(result.jobType === 'Sweep' ? 'Trials' : 'Steps', 4);
    summary.table(
      ['Step', 'Status', 'Duration', 'Job'],
      result.children.map((child) => [
        child.name === result.bestTrial ? `${child.step} (best)` : child.step,
        `${STATUS_ICONS[child.status] ?? '⏳'} ${child.status}`,
        formatElapsed(child.durationInMs),
        child.name,
      ]),
    );
  }
  const metricNames = Object.keys(result.metrics).sort();
  if (metricNames.length > 0) {
    summary.heading(result.bestTrial ? `Metrics (best trial ${result.bestTrial})` : 'Metrics', 4);
    summary.table(
      ['Metric', 'Value'],
      metricNames.map((name) => [name, formatMetric(result.metrics[name] ?? Number.NaN)]),
    );
  }
  const outputNames = Object.keys(result.outputs).sort();
  if (outputNames.length > 0) {
    summary.heading('Outputs', 4);
    summary.table(
      ['Output', 'URI'],
      outputNames.map((name) => [name, markdown(`\`${result.outputs[name]}\``)]),
    );
  }
  if (result.failure) {
    summary.heading('Failure', 4);
    summary.paragraph(result.failure.message);
    if (result.failure.logTail.length > 0) summary.code(result.failure.logTail.join('\n'), 'text');
  }
  return summary.toMarkdown();
}
