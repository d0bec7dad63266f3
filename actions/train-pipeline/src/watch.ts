// Watching a job to its end: adaptive polling, each status change logged with the elapsed time,
// user logs streamed (a group per pipeline step or trial), children tracked as they appear.
import {
  type ChildJob,
  connectDataPlane,
  type JobResource,
  LogStreamer,
  listChildJobs,
  type MlflowClient,
  PollWake,
  type WorkspaceSession,
  waitForJob,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import { followDataPlane } from './follow';
import type { ChildJobSummary } from './result';
import { formatElapsed } from './summary';

export interface WatchOptions {
  timeoutInMs: number;
  streamLogs: boolean;
  abortSignal: AbortSignal;
  logger: Logger;
  followIntervalInMs?: number;
}

export interface WatchOutcome {
  job: JobResource;
  status: string;
  timedOut: boolean;
  elapsedInMs: number;
  /** The last lines of the job's log (its failing step's, for a pipeline). */
  logTail: string[];
  children: ChildJobSummary[];
  bestTrial?: string;
  /** Outputs of children, `<step>.<output>` → URI, for pipelines whose parent outputs are bound. */
  childOutputs: Record<string, string>;
  metricsOf?: (runId: string) => Promise<Record<string, number>>;
}

/** How often logs, children and the run status are read from the data plane (not ARM). */
export const DEFAULT_FOLLOW_INTERVAL_IN_MS = 2000;
const LOG_TAIL_LINES = 30;

export async function watchJob(
  session: WorkspaceSession,
  job: JobResource,
  options: WatchOptions,
): Promise<WatchOutcome> {
  const { logger, abortSignal } = options;
  const { mlflow, history } = await connectDataPlane(session, abortSignal);
  const experimentName = job.properties.experimentName ?? 'Default';
  const hasChildren = job.properties.jobType === 'Pipeline' || job.properties.jobType === 'Sweep';
  let children: ChildJob[] = [];
  const seen = new Set<string>();

  const streamer = new LogStreamer({
    history,
    caCertificates: session.caCertificates,
    env: session.env,
    tailLines: LOG_TAIL_LINES,
    onLines: (source, _file, lines) => {
      if (hasChildren) logger.groupLines(source.step ?? source.runId, lines);
      else for (const line of lines) logger.info(line);
    },
    onError: (error, source) => logger.debug(`log stream of ${source.runId}: ${(error as Error).message}`),
  });
  if (options.streamLogs && !hasChildren) streamer.addSource({ runId: job.name });

  const refreshChildren = async (statusFrom: 'arm' | 'mlflow') => {
    if (!hasChildren) return;
    children = await listChildJobs(mlflow, session.jobs, job.name, experimentName, {
      abortSignal,
      statusFrom,
    });
    for (const child of children) {
      if (seen.has(child.name)) continue;
      seen.add(child.name);
      const step = child.kind === 'trial' ? `trial ${child.step}` : child.step;
      logger.info(`${child.kind === 'trial' ? 'Trial' : 'Step'} ${step} started as job ${child.name}.`);
      if (options.streamLogs) streamer.addSource({ runId: child.name, step });
    }
  };
  const quietly = (what: string) => (error: unknown) => {
    if (abortSignal.aborted) throw error;
    logger.debug(`${what}: ${(error as Error).message}`);
  };

  // Logs, children and the run's status come from the data plane every couple of seconds; ARM
  // is polled on its own backing-off schedule, and woken at once when run history sees a change.
  const wake = new PollWake();
  const follower = followDataPlane({
    intervalInMs: options.followIntervalInMs ?? DEFAULT_FOLLOW_INTERVAL_IN_MS,
    abortSignal,
    pass: async () => {
      await refreshChildren('mlflow').catch(quietly('child jobs'));
      if (options.streamLogs) await streamer.poll({ abortSignal }).catch(quietly('log stream'));
      // A streamed command job's status came with its log URLs; otherwise ask run history.
      const streamed = streamer.statusOf(job.name);
      if (streamed !== undefined) return streamed;
      return (await history.details(job.name, { abortSignal }).catch(quietly('run status')))?.status;
    },
    onStatusChange: () => wake.wake(),
  });
  let outcome: Awaited<ReturnType<typeof waitForJob>>;
  try {
    outcome = await waitForJob(session.jobs, job.name, {
      timeoutInMs: options.timeoutInMs,
      abortSignal,
      wake,
      onStatus: ({ status, elapsedInMs }) =>
        logger.info(`Job ${job.name}: ${status} after ${formatElapsed(elapsedInMs)}.`),
    });
  } finally {
    await follower.stop();
  }
  await refreshChildren('arm').catch(quietly('child jobs'));
  if (options.streamLogs) {
    // The last bytes were uploaded before the job turned terminal: one more pass reads them.
    await streamer.poll({ abortSignal }).catch(quietly('log stream'));
    streamer.flush();
  }

  const failedChild = children.find((child) => child.status === 'Failed');
  const tailOf = failedChild?.name ?? job.name;
  let logTail = streamer.tail(tailOf, LOG_TAIL_LINES);
  if (logTail.length === 0 && outcome.status !== 'Completed') {
    // Not streamed (stream-logs false, or a failed step of a pipeline): read the tail now, quietly.
    const reader = new LogStreamer({
      history,
      caCertificates: session.caCertificates,
      env: session.env,
      tailLines: LOG_TAIL_LINES,
      onLines: () => undefined,
    });
    reader.addSource({ runId: tailOf });
    await reader.poll({ abortSignal }).catch(quietly('log tail'));
    logTail = reader.tail(tailOf, LOG_TAIL_LINES);
  }

  const bestTrial = job.properties.jobType === 'Sweep' ? await bestTrialOf(mlflow, job.name) : undefined;
  const childOutputs: Record<string, string> = {};
  for (const child of children) {
    if (job.properties.jobType !== 'Pipeline') break;
    try {
      const childJob = await session.jobs.get(child.name);
      for (const [output, value] of Object.entries(
        (childJob.properties.outputs ?? {}) as Record<string, { uri?: string }>,
      )) {
        if (output !== 'default' && value?.uri) childOutputs[`${child.step}.${output}`] = value.uri;
      }
    } catch (error) {
      logger.debug(`outputs of ${child.name}: ${(error as Error).message}`);
    }
  }
  return {
    job: outcome.job,
    status: outcome.status,
    timedOut: outcome.timedOut,
    elapsedInMs: outcome.elapsedInMs,
    logTail,
    children: children.map((child) => ({
      name: child.name,
      step: child.kind === 'trial' ? `trial ${child.step}` : child.step,
      status: child.status,
      ...(child.startTimeMs && child.endTimeMs ? { durationInMs: child.endTimeMs - child.startTimeMs } : {}),
    })),
    ...(bestTrial ? { bestTrial } : {}),
    childOutputs,
    metricsOf: (runId) => mlflow.finalMetrics(runId),
  };
}

async function bestTrialOf(mlflow: MlflowClient, sweepName: string): Promise<string | undefined> {
  const run = await mlflow.getRun(sweepName).catch(() => undefined);
  return run?.data.tags.find((tag: { key: string }) => tag.key === 'best_child_run_id')?.value;
}
