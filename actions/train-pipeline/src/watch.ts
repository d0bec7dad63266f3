// Watching a job to its end: adaptive polling, each status change logged with the elapsed time,
// user logs streamed (a group per pipeline step or trial), children tracked as they appear.
import {
  discoverWorkspaceServices,
  type JobResource,
  listChildJobs,
  LogStreamer,
  MlflowClient,
  RunHistoryClient,
  waitForJob,
  type WorkspaceSession,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import type { ChildJobSummary } from './result';
import { formatElapsed } from './summary';

export interface WatchOptions {
  timeoutInMs: number;
  streamLogs: boolean;
  abortSignal: AbortSignal;
  logger: Logger;
  now?: () => number;
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

/** Children are looked up every few polls: a pipeline adds them as its steps start. */
const CHILD_REFRESH_EVERY = 2;
const LOG_TAIL_LINES = 30;

export async function watchJob(
  session: WorkspaceSession,
  job: JobResource,
  options: WatchOptions,
): Promise<WatchOutcome> {
  const { logger } = options;
  const services = await discoverWorkspaceServices(session, { abortSignal: options.abortSignal });
  const mlflow = new MlflowClient(session, services.mlflowTrackingUri);
  const history = new RunHistoryClient(session, services.historyEndpoint);
  const experimentName = job.properties.experimentName ?? 'Default';
  const hasChildren = job.properties.jobType === 'Pipeline' || job.properties.jobType === 'Sweep';
  const stepOf = new Map<string, string>([[job.name, job.name]]);
  let children: Awaited<ReturnType<typeof listChildJobs>> = [];

  const streamer = new LogStreamer(history, {
    onLines: ({ runId }, file, lines) => {
      const step = stepOf.get(runId) ?? runId;
      for (const line of lines) logger.info(hasChildren ? `[${step}] ${line}` : line);
      void file;
    },
    abortSignal: options.abortSignal,
  });
  if (options.streamLogs && !hasChildren) streamer.add({ runId: job.name });

  const refreshChildren = async () => {
    if (!hasChildren) return;
    children = await listChildJobs(mlflow, session.jobs, job.name, experimentName, {
      abortSignal: options.abortSignal,
    });
    for (const child of children) {
      if (stepOf.has(child.name)) continue;
      stepOf.set(child.name, child.step);
      logger.info(`Step ${child.step} started as job ${child.name}.`);
      if (options.streamLogs) streamer.add({ runId: child.name, step: child.step });
    }
  };

  let polls = 0;
  const outcome = await waitForJob(session.jobs, job.name, {
    timeoutInMs: options.timeoutInMs,
    abortSignal: options.abortSignal,
    ...(options.now ? { now: options.now } : {}),
    onStatus: ({ status, elapsedInMs }) => logger.info(`Job ${job.name}: ${status} after ${formatElapsed(elapsedInMs)}.`),
    onPoll: async () => {
      polls++;
      if (polls % CHILD_REFRESH_EVERY === 1) await refreshChildren().catch((error: Error) => logger.debug(error.message));
      if (options.streamLogs) await streamer.poll().catch((error: Error) => logger.debug(`log stream: ${error.message}`));
    },
  });
  await refreshChildren().catch((error: Error) => logger.debug(error.message));
  if (options.streamLogs) await streamer.flush().catch((error: Error) => logger.debug(error.message));

  const failedChild = children.find((child) => child.status === 'Failed');
  let logTail = streamer.tail(failedChild?.name ?? job.name, LOG_TAIL_LINES);
  if (logTail.length === 0 && outcome.status !== 'Completed' && !outcome.timedOut) {
    // Not streamed (stream-logs false, or the failure came before a poll read it): read it now.
    const tailReader = new LogStreamer(history, { onLines: () => {}, abortSignal: options.abortSignal });
    tailReader.add({ runId: failedChild?.name ?? job.name });
    await tailReader.flush().catch(() => undefined);
    logTail = tailReader.tail(failedChild?.name ?? job.name, LOG_TAIL_LINES);
  }

  const bestTrial = job.properties.jobType === 'Sweep' ? await bestTrialOf(mlflow, job.name) : undefined;
  const childOutputs: Record<string, string> = {};
  for (const child of children) {
    if (job.properties.jobType !== 'Pipeline') break;
    try {
      const childJob = await session.jobs.get(child.name);
      for (const [output, value] of Object.entries((childJob.properties.outputs ?? {}) as Record<string, { uri?: string }>)) {
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
      step: child.step,
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
