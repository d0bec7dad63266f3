// The job summary: what was registered (or found already registered), where, from what, and the
// lineage a reviewer needs: commit, run, training job, data inputs, parameters and metrics.
import {
  formatBytes,
  INPUT_PROPERTY_PREFIX,
  METRIC_PROPERTY_PREFIX,
  type ModelRegistration,
  PARAMETER_PROPERTY_PREFIX,
  type RegisterModelResult,
} from '@aml-actions/core';
import { type Inline, markdown, SummaryBuilder } from '@aml-actions/core/github';

export function buildSummary(result: RegisterModelResult): string {
  const summary = new SummaryBuilder();
  const { registration, promotion } = result;
  summary.heading(
    `Model ${registration.name}:${registration.version} — ${registration.created ? 'registered' : 'already registered, nothing new created'}`,
    3,
  );
  summary.table(['', ''], facts(registration));
  if (promotion) {
    summary.heading(`Promoted to ${promotion.scope}${promotion.created ? '' : ' (already there)'}`, 4);
    summary.table(['', ''], facts(promotion));
  }
  const lineage = lineageRows(registration);
  if (lineage.length > 0) {
    summary.heading('Lineage', 4);
    summary.table(['', ''], lineage);
  }
  const metrics = Object.entries(registration.properties).filter(([key]) =>
    key.startsWith(METRIC_PROPERTY_PREFIX),
  );
  if (metrics.length > 0) {
    summary.heading('Training metrics', 4);
    summary.table(
      ['Metric', 'Value'],
      metrics.map(([key, value]) => [key.slice(METRIC_PROPERTY_PREFIX.length), value]),
    );
  }
  return summary.toMarkdown();
}

function facts(registration: ModelRegistration): [string, Inline][] {
  const rows: [string, Inline][] = [
    ['Model', markdown(`\`${registration.uri}\``)],
    ['In', registration.scope],
    ['Type', registration.modelType],
    ['Source', markdown(`\`${registration.source}\``)],
    [
      'Files',
      `${registration.files} (${formatBytes(registration.totalBytes)}, ${formatBytes(registration.uploadedBytes)} uploaded)`,
    ],
    ['Stored at', markdown(`\`${registration.modelUri}\``)],
  ];
  if (registration.stage) {
    const moved =
      registration.stageRemovedFrom.length > 0
        ? ` (taken from version ${registration.stageRemovedFrom.join(', ')})`
        : '';
    rows.push(['Stage', `${registration.stage}${moved}`]);
  }
  return rows;
}

function lineageRows(registration: ModelRegistration): [string, string][] {
  const rows: [string, string][] = [];
  const { tags, properties } = registration;
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push([label, value]);
  };
  add('Repository', tags['github.repository']);
  add('Commit', tags['github.sha']);
  add('Ref', tags['github.ref']);
  add('Workflow run', tags['github.run_url']);
  add('Training job', registration.jobName);
  for (const [key, value] of Object.entries(properties)) {
    if (key.startsWith(INPUT_PROPERTY_PREFIX))
      rows.push([`Input ${key.slice(INPUT_PROPERTY_PREFIX.length)}`, value]);
  }
  for (const [key, value] of Object.entries(properties)) {
    if (key.startsWith(PARAMETER_PROPERTY_PREFIX))
      rows.push([`Parameter ${key.slice(PARAMETER_PROPERTY_PREFIX.length)}`, value]);
  }
  return rows;
}
