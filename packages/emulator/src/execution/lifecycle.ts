// A job's status as the executor reports it (ARM record and MLflow run together). Status moves
// stop once the job is being canceled, so a late "Running" cannot hide a cancel request.
import { type JobRecord, type JobStatus, setJobStatus } from '../arm/job-store';
import type { ExecutionContext } from './context';
import type { TrackedRunStatus } from './tracking';

export type FinalStatus = 'Completed' | 'Failed' | 'Canceled';

export interface JobOutcome {
  status: FinalStatus;
  error?: { code: string; message: string };
}

const RUN_STATUS: Record<FinalStatus, TrackedRunStatus> = {
  Completed: 'FINISHED',
  Failed: 'FAILED',
  Canceled: 'KILLED',
};

/** Creates the job's MLflow run (run id = job name) unless it exists; returns the experiment id. */
export function ensureTrackedRun(
  exec: ExecutionContext,
  record: JobRecord,
  tags: Record<string, string> = {},
  status: TrackedRunStatus = 'RUNNING',
): string {
  const experimentName = String(record.properties.experimentName ?? 'Default');
  const experiment = exec.tracking.ensureExperiment(experimentName);
  if (!exec.tracking.getRun(record.name)) {
    const runName = String(record.properties.displayName ?? record.name);
    const createdBy = record.systemData.createdBy;
    exec.tracking.createRun({
      runId: record.name,
      experimentId: experiment.experiment_id,
      runName,
      startTimeMs: exec.ctx.now().getTime(),
      tags: {
        'mlflow.runName': runName,
        ...(createdBy ? { 'mlflow.user': String(createdBy) } : {}),
        ...tags,
      },
    });
  }
  exec.tracking.updateRun(record.name, { status });
  return experiment.experiment_id;
}

export class JobLifecycle {
  constructor(
    private readonly exec: ExecutionContext,
    readonly jobName: string,
    private readonly abortSignal: AbortSignal,
  ) {}

  get canceled(): boolean {
    return this.abortSignal.aborted;
  }

  /** Moves to a non-terminal status; false (and no move) when the job is being canceled or is over. */
  advance(status: JobStatus): boolean {
    if (this.abortSignal.aborted) return false;
    return setJobStatus(this.exec.ctx, this.jobName, status) !== undefined;
  }

  markRunning(): void {
    this.exec.tracking.updateRun(this.jobName, { status: 'RUNNING' });
  }

  finish(outcome: JobOutcome): void {
    setJobStatus(this.exec.ctx, this.jobName, outcome.status, outcome.error ? { error: outcome.error } : {});
    if (this.exec.tracking.getRun(this.jobName)) {
      this.exec.tracking.updateRun(this.jobName, {
        status: RUN_STATUS[outcome.status],
        endTimeMs: this.exec.ctx.now().getTime(),
      });
    }
  }
}

/**
 * Runs a parent job (pipeline, sweep) through its lifecycle: `body` drives the children; a throw
 * becomes Failed with `failureCode`, and an abort always ends the parent Canceled.
 */
export async function runParentJob(
  exec: ExecutionContext,
  jobName: string,
  abortSignal: AbortSignal,
  failureCode: string,
  body: (lifecycle: JobLifecycle) => Promise<JobOutcome>,
): Promise<JobOutcome> {
  const lifecycle = new JobLifecycle(exec, jobName, abortSignal);
  const outcome = await body(lifecycle).catch(
    (error: unknown): JobOutcome => ({
      status: 'Failed',
      error: { code: failureCode, message: (error as Error).message },
    }),
  );
  lifecycle.finish(abortSignal.aborted ? { status: 'Canceled' } : outcome);
  return outcome;
}
