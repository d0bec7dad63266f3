// The job summary: what was copied where, the totals and throughput, per-object failures, and
// the first objects of the manifest. Pure.
import { escapeMarkdown, SummaryBuilder } from '@aml-actions/core/github';
import type { CopyFailedError, CopyResult } from '@aml-actions/core/object-stores';
import type { CopyInputs } from './inputs';

const MiB = 1024 * 1024;
const SHOWN = 50;

export function buildSummary(
  source: string,
  destination: string,
  inputs: CopyInputs,
  result: CopyResult,
  failure?: CopyFailedError,
): string {
  const { totals } = result;
  const summary = new SummaryBuilder();
  summary.heading(
    `Artifact copy: ${failure ? `❌ ${failure.failures.length} object(s) failed` : '✅ done'} (${totals.objects} copied, ${totals.skipped} skipped${totals.deleted ? `, ${totals.deleted} deleted` : ''})`,
    3,
  );
  summary.table(
    ['', ''],
    [
      ['From', escapeMarkdown(source)],
      ['To', escapeMarkdown(destination)],
      ['Mode', `${inputs.mode}${inputs.deleteExtraneous ? ' (delete extraneous)' : ''}`],
      ['Checksum', inputs.checksum],
      ['Bytes', `${(totals.bytes / MiB).toFixed(1)} MiB`],
      ['Time', `${totals.seconds.toFixed(1)} s`],
      ['Throughput', `${totals.mibPerSecond.toFixed(1)} MiB/s`],
    ],
  );
  if (failure) {
    summary.table(
      ['Failed object', 'Why'],
      failure.failures
        .slice(0, SHOWN)
        .map((f) => [escapeMarkdown(f.key), escapeMarkdown((f.error as Error).message ?? String(f.error))]),
    );
  }
  const entries = result.entries.filter((e) => e.action !== 'skip').slice(0, SHOWN);
  if (entries.length > 0) {
    summary.details(
      `Objects (${result.entries.length}${result.entries.length > SHOWN ? `, first ${SHOWN} shown` : ''})`,
      [
        '| Key | Size | Checksum | Action |',
        '| --- | --- | --- | --- |',
        ...entries.map(
          (e) =>
            `| ${escapeMarkdown(e.key)} | ${e.size} | ${e.md5 ? `md5 ${e.md5}` : e.crc32c ? `crc32c ${e.crc32c}` : e.sha256 ? `sha256 ${e.sha256}` : '–'} | ${e.action}${e.serverSide ? ' (server-side)' : ''} |`,
        ),
      ].join('\n'),
    );
  }
  return summary.toMarkdown();
}
