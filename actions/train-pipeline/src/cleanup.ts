// The post step's one job: a submitted job that the main step did not see finish is cancelled,
// unless the user opted out. A job already terminal is left alone.
import { type ConnectionInputs, connectWorkspace, isTerminalJobStatus } from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';

export interface LeftoverJob {
  jobName: string | undefined;
  finished: boolean;
  cancelOnAbort: boolean;
  connection: ConnectionInputs;
}

export interface CleanupDeps {
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  mask: (secret: string) => void;
}

export type CleanupOutcome = 'nothing-to-do' | 'kept' | 'already-terminal' | 'cancelled';

export async function cancelLeftoverJob(job: LeftoverJob, deps: CleanupDeps): Promise<CleanupOutcome> {
  if (!job.jobName || job.finished) return 'nothing-to-do';
  if (!job.cancelOnAbort) {
    deps.logger.info(
      `Job ${job.jobName} may still be running; cancel-on-abort is false, so it is left running.`,
    );
    return 'kept';
  }
  const session = await connectWorkspace({
    inputs: job.connection,
    env: deps.env,
    cwd: deps.cwd,
    onSecret: deps.mask,
    abortSignal: AbortSignal.timeout(60_000),
  });
  const current = await session.jobs.get(job.jobName);
  const status = current.properties.status;
  if (isTerminalJobStatus(status) || status === 'CancelRequested') {
    deps.logger.info(`Job ${job.jobName} is ${status}; nothing to cancel.`);
    return 'already-terminal';
  }
  deps.logger.info(`The main step stopped while job ${job.jobName} was ${status}: cancelling it.`);
  await session.jobs.cancel(job.jobName);
  deps.logger.info(`Cancel requested for job ${job.jobName}.`);
  return 'cancelled';
}
