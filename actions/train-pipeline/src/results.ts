// Reading what a finished job produced: its output URIs, children, and MLflow metrics.
import type { JobResource } from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import type { TrainResult } from './result';
import type { WatchOutcome } from './watch';

export function studioUrlOf(job: JobResource): string | undefined {
  return job.properties.services?.Studio?.endpoint ?? undefined;
}

/** Output name → azureml:// URI, for the outputs the job declares (the service's `default` left out). */
export function jobOutputUris(job: JobResource): Record<string, string> {
  const outputs = (job.properties.outputs ?? {}) as Record<string, { uri?: string | null } | null>;
  const result: Record<string, string> = {};
  for (const [name, output] of Object.entries(outputs)) {
    if (name === 'default' || !output?.uri) continue;
    result[name] = output.uri;
  }
  return result;
}

export async function collectResults(
  watched: WatchOutcome,
  context: { submitted: boolean; code: TrainResult['code']; logger: Logger },
): Promise<TrainResult> {
  const { job } = watched;
  const studioUrl = studioUrlOf(job);
  let metrics: Record<string, number> = {};
  const bestTrial = watched.bestTrial;
  try {
    if (watched.metricsOf) metrics = await watched.metricsOf(bestTrial ?? job.name);
  } catch (error) {
    context.logger.warning(`Could not read the metrics of job ${job.name}: ${(error as Error).message}`);
  }
  return {
    jobName: job.name,
    jobType: job.properties.jobType,
    status: job.properties.status ?? 'Unknown',
    ...(studioUrl ? { studioUrl } : {}),
    submitted: context.submitted,
    outputs: { ...watched.childOutputs, ...jobOutputUris(job) },
    children: watched.children,
    metrics,
    ...(bestTrial ? { bestTrial } : {}),
    durationInMs: watched.elapsedInMs,
    ...(context.code ? { code: context.code } : {}),
  };
}
