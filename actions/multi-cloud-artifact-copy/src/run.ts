// The step: open both sides, list them, plan (filters, sync decisions, escaping keys refused),
// copy with the verified streaming engine while printing progress at a steady pace, then write
// the manifest (on the runner, and at the destination when asked), the outputs and the summary,
// partial results included when some objects failed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from '@aml-actions/core/github';
import {
  CopyFailedError,
  type CopyProgress,
  type CopyResult,
  copyObjects,
  listForPlan,
  type ObjectStore,
  planCopy,
  type StoredObject,
} from '@aml-actions/core/object-stores';
import type { CopyInputs } from './inputs';
import { lazySession, type OpenedLocation, openLocation } from './locations';
import { buildSummary } from './summary';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunDeps {
  logger: Logger;
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  abortSignal?: AbortSignal;
  /** Progress line interval; default 5 s. */
  progressIntervalInMs?: number;
}

const MiB = 1024 * 1024;

export async function run(inputs: CopyInputs, deps: RunDeps): Promise<CopyResult> {
  const abortSignal = deps.abortSignal ?? new AbortController().signal;
  const session = lazySession(inputs.connection, deps.env, deps.cwd, deps.mask, abortSignal);
  const locationDeps = { env: deps.env, cwd: deps.cwd, mask: deps.mask, abortSignal, session };
  const source = await openLocation(inputs.source, 'source', inputs, locationDeps);
  const destination = await openLocation(inputs.destination, 'destination', inputs, locationDeps);
  deps.logger.info(
    `From ${source.description}${source.singleKey ? '' : ' (recursive)'} to ${destination.description}.`,
  );

  const sourceObjects = await listSide(source, inputs.mode === 'sync', abortSignal);
  const destinationObjects =
    inputs.mode === 'sync' ? await listSide(destination, true, abortSignal, source.singleKey) : [];
  const plan = planCopy(sourceObjects, destinationObjects, {
    mode: inputs.mode,
    include: inputs.include,
    exclude: inputs.exclude,
    deleteExtraneous: inputs.deleteExtraneous,
  });
  const toCopy = plan.entries.filter((e) => e.action === 'copy');
  const bytes = toCopy.reduce((sum, e) => sum + (e.source?.size ?? 0), 0);
  deps.logger.info(
    `${sourceObjects.length} objects at the source; ${toCopy.length} to copy (${(bytes / MiB).toFixed(1)} MiB), ${plan.entries.length - toCopy.length} to skip or delete.`,
  );

  let result: CopyResult;
  let failure: CopyFailedError | undefined;
  try {
    result = await copyObjects({
      source: source.store,
      destination: destination.store,
      plan,
      concurrency: inputs.concurrency,
      partSizeInBytes: inputs.partSizeInBytes,
      checksum: inputs.checksum,
      retries: inputs.retries - 1,
      progressIntervalInMs: deps.progressIntervalInMs ?? 5_000,
      onProgress: (progress) => deps.logger.info(progressLine(progress)),
      abortSignal,
    });
  } catch (error) {
    if (!(error instanceof CopyFailedError)) throw error;
    failure = error;
    result = error.result;
    for (const { key, error: cause } of error.failures.slice(0, 20))
      deps.logger.error(`${key}: ${(cause as Error).message ?? String(cause)}`);
  }

  const manifest = JSON.stringify(
    {
      source: source.description,
      destination: destination.description,
      mode: inputs.mode,
      totals: result.totals,
      objects: result.entries,
    },
    null,
    2,
  );
  const manifestFile = path.join(
    deps.env.RUNNER_TEMP ?? deps.cwd,
    `artifact-copy-manifest-${Date.now()}.json`,
  );
  writeFileSync(manifestFile, manifest);
  if (inputs.manifestKey && !failure) {
    await writeManifest(destination.store, inputs.manifestKey, manifest, abortSignal);
    deps.logger.info(`Manifest written to ${destination.description} as ${inputs.manifestKey}.`);
  }
  const { totals } = result;
  deps.setOutput('objects', String(totals.objects));
  deps.setOutput('bytes', String(totals.bytes));
  deps.setOutput('skipped', String(totals.skipped));
  deps.setOutput('deleted', String(totals.deleted));
  deps.setOutput('manifest-file', manifestFile);
  deps.setOutput('throughput-mibps', totals.mibPerSecond.toFixed(1));
  await deps.writeSummary(buildSummary(source.description, destination.description, inputs, result, failure));
  if (failure) throw failure;
  deps.logger.info(
    `Copied ${totals.objects} objects (${(totals.bytes / MiB).toFixed(1)} MiB) in ${totals.seconds.toFixed(1)} s, ${totals.mibPerSecond.toFixed(1)} MiB/s; ${totals.skipped} skipped, ${totals.deleted} deleted.`,
  );
  return result;
}

async function listSide(
  side: OpenedLocation,
  withChecksums: boolean,
  abortSignal: AbortSignal,
  onlyKey?: string,
): Promise<StoredObject[]> {
  const key = onlyKey ?? side.singleKey;
  if (key) {
    const found = await side.store.stat(key, { abortSignal });
    return found ? [found] : [];
  }
  return listForPlan(side.store, { checksums: withChecksums ? 'complete' : 'listed', abortSignal });
}

async function writeManifest(
  store: ObjectStore,
  key: string,
  text: string,
  abortSignal: AbortSignal,
): Promise<void> {
  const body = Buffer.from(text);
  await store.write(key, Readable.from([body]), {
    size: body.length,
    contentType: 'application/json',
    abortSignal,
  });
}

export function progressLine(progress: CopyProgress): string {
  const eta = progress.etaSeconds === undefined ? '' : `, ETA ${Math.ceil(progress.etaSeconds)} s`;
  return `  ${progress.objectsDone}/${progress.objectsTotal} objects, ${(progress.bytesDone / MiB).toFixed(1)}/${(progress.bytesTotal / MiB).toFixed(1)} MiB, ${progress.mibPerSecond.toFixed(1)} MiB/s${eta}`;
}
