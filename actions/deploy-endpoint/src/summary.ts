// The job summary: the outcome, the traffic before and after per deployment, the health gates,
// the timeline, and on failure the reason and the tail of the deployment's container logs.
import { normalizeTraffic } from '@aml-actions/core';
import { escapeMarkdown, SummaryBuilder } from '@aml-actions/core/github';
import type { DeployInputs } from './inputs';
import type { RolloutResult } from './rollout';
import type { TimelineEntry } from './timeline';

export function buildSummary(
  inputs: DeployInputs,
  result: RolloutResult,
  timeline: readonly TimelineEntry[],
): string {
  const summary = new SummaryBuilder();
  summary.heading(`Deploy ${result.endpointName} / ${result.deploymentName}: ${outcome(inputs, result)}`, 3);
  if (result.failure) summary.paragraph(`Failed: ${result.failure}`);
  summary.list([
    `Action: ${inputs.action}${inputs.action === 'deploy' ? `, strategy ${inputs.strategy}${inputs.strategy === 'canary' ? ` (${inputs.canarySteps.join(' → ')} %)` : ''}` : ''}`,
    `Scoring URI: ${result.scoringUri || '–'}`,
    ...(result.deleted.length > 0 ? [`Deleted: ${result.deleted.join(', ')}`] : []),
  ]);
  const before = normalizeTraffic(result.previousTraffic);
  const after = normalizeTraffic(result.traffic);
  const mirrorBefore = normalizeTraffic(result.previousMirror);
  const mirrorAfter = normalizeTraffic(result.mirror);
  const names = [
    ...new Set([
      ...Object.keys(before),
      ...Object.keys(after),
      ...Object.keys(mirrorBefore),
      ...Object.keys(mirrorAfter),
      result.deploymentName,
    ]),
  ].sort();
  const percent = (map: Record<string, number>, name: string) => `${map[name] ?? 0}%`;
  summary.table(
    ['Deployment', 'Traffic before', 'Traffic after', 'Mirror before', 'Mirror after'],
    names.map((name) => [
      name,
      percent(before, name),
      percent(after, name),
      percent(mirrorBefore, name),
      percent(mirrorAfter, name),
    ]),
  );
  if (result.health.length > 0) {
    summary.table(
      ['Health gate', 'Requests', 'Failed', 'p50', 'p95', 'Result'],
      result.health.map((gate, index) => [
        String(index + 1),
        gate.requests,
        gate.failures,
        `${Math.round(gate.p50InMs)} ms`,
        `${Math.round(gate.p95InMs)} ms`,
        gate.passed ? '✅ passed' : `❌ ${gate.reason ?? 'failed'}`,
      ]),
    );
  }
  summary.details(
    'Timeline',
    timeline
      .map((entry) => `- ${entry.atSeconds.toFixed(1)} s — ${escapeMarkdown(entry.event)}`)
      .join('\n') || '- nothing happened',
  );
  if (result.logsTail) {
    summary.details(
      `Container logs of ${result.deploymentName} (last lines)`,
      `\`\`\`\n${result.logsTail.replace(/```/g, "'''")}\n\`\`\``,
    );
  }
  return summary.toMarkdown();
}

function outcome(inputs: DeployInputs, result: RolloutResult): string {
  if (result.failure) return result.rolledBack ? '❌ failed, rolled back' : '❌ failed';
  if (result.unchanged) return 'already as asked, nothing changed';
  if (inputs.action === 'promote') return '✅ promoted';
  if (inputs.action === 'reject') return '✅ rejected';
  if (inputs.strategy === 'mirror' && (result.mirror[result.deploymentName] ?? 0) > 0)
    return `✅ mirroring ${result.mirror[result.deploymentName]}%`;
  return `✅ live at ${result.traffic[result.deploymentName] ?? 0}%`;
}
