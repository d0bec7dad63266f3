// The emulator's JobExecutor: command jobs as local processes, pipelines as DAGs of child jobs,
// sweeps as trials. Every running job (children too) has an AbortController under its name, so a
// cancel reaches it directly or through its parent.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobExecutor } from '../arm/job-executor';
import {
  getJob,
  isTerminal,
  JOBS_COLLECTION,
  type JobRecord,
  type JobResource,
  setJobStatus,
} from '../arm/job-store';
import type { ArmContext } from '../arm-context';
import { BlobStore } from './blob-store';
import { runCommandJob } from './command-run';
import type { ExecutionContext } from './context';
import { JobLifecycle, type JobOutcome } from './lifecycle';
import { type ChildRunner, runPipelineJob } from './pipeline-run';
import { runSweepJob } from './sweep-run';
import type { RunTracking } from './tracking';

/** packages/emulator/python: the `mlflow` shim job processes import (contracts §2). */
export const PYTHON_SHIM_DIR = fileURLToPath(new URL('../../python', import.meta.url));

export interface LocalJobExecutorOptions {
  ctx: ArmContext;
  tracking: RunTracking;
  /** A bearer token the emulator's ARM check accepts, for job processes. */
  issueToken: () => string;
  caCertPath: string;
  stateDir: string;
  /** Between SIGTERM and SIGKILL on cancel (default 2000). */
  killGraceInMs?: number;
  log?: (line: string) => void;
}

const key = (name: string) => name.toLowerCase();

export class LocalJobExecutor implements JobExecutor {
  private readonly exec: ExecutionContext;
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Map<string, Promise<JobOutcome>>();
  private readonly pids = new Map<string, number>();

  constructor(options: LocalJobExecutorOptions) {
    const binDir = path.join(options.stateDir, 'bin');
    mkdirSync(binDir, { recursive: true });
    // Job commands say `python`, as on Azure ML images; this machine may only have python3.
    const python = path.join(binDir, 'python');
    writeFileSync(python, '#!/bin/sh\nexec python3 "$@"\n');
    chmodSync(python, 0o755);
    this.exec = {
      ctx: options.ctx,
      blobs: new BlobStore(options.ctx.storage),
      tracking: options.tracking,
      issueToken: options.issueToken,
      caCertPath: options.caCertPath,
      jobsDir: path.join(options.stateDir, 'jobs'),
      binDir,
      pythonDir: PYTHON_SHIM_DIR,
      killGraceInMs: options.killGraceInMs ?? 2000,
      log: options.log ?? (() => {}),
      onProcessStart: (jobName, pid) => this.pids.set(key(jobName), pid),
    };
  }

  start(job: JobResource): void {
    const controller = new AbortController();
    void this.track(job.name, controller, () => this.runTopLevel(job, controller.signal));
  }

  cancel(jobName: string): void {
    const controller = this.controllers.get(key(jobName));
    if (controller) {
      controller.abort();
      return;
    }
    // Not running here (e.g. started before a restart): nothing to stop, so it is canceled now.
    setJobStatus(this.exec.ctx, jobName, 'Canceled');
  }

  /** The process id of a job's command while it runs (tests check it is gone after a cancel). */
  processId(jobName: string): number | undefined {
    return this.pids.get(key(jobName));
  }

  /** Resolves when the job (if this executor runs it) has reached its final status. */
  async settled(jobName: string): Promise<void> {
    await this.running.get(key(jobName));
  }

  /**
   * Jobs left unfinished by an earlier emulator process cannot resume: they fail, as a job whose
   * compute went away does.
   */
  failInterrupted(): number {
    let count = 0;
    for (const record of this.exec.ctx.store.list<JobRecord>(JOBS_COLLECTION)) {
      if (isTerminal(record.properties.status) || this.controllers.has(key(record.name))) continue;
      const status = record.properties.status === 'CancelRequested' ? 'Canceled' : 'Failed';
      setJobStatus(this.exec.ctx, record.name, status, {
        error: { code: 'EmulatorRestarted', message: 'The emulator stopped while the job was running.' },
      });
      count += 1;
    }
    return count;
  }

  /** Stops every running job (as canceled) and waits for them to end. */
  async shutdown(): Promise<void> {
    for (const controller of this.controllers.values()) controller.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private async track(
    name: string,
    controller: AbortController,
    run: () => Promise<JobOutcome>,
  ): Promise<JobOutcome> {
    this.controllers.set(key(name), controller);
    const promise = run().catch((error: unknown): JobOutcome => {
      this.exec.log(`job ${name}: ${(error as Error).stack ?? String(error)}`);
      const outcome: JobOutcome = {
        status: 'Failed',
        error: { code: 'ExecutionFailed', message: (error as Error).message },
      };
      new JobLifecycle(this.exec, name, controller.signal).finish(outcome);
      return outcome;
    });
    this.running.set(key(name), promise);
    try {
      return await promise;
    } finally {
      this.controllers.delete(key(name));
      this.running.delete(key(name));
      this.pids.delete(key(name));
    }
  }

  private runTopLevel(job: JobResource, signal: AbortSignal): Promise<JobOutcome> {
    switch (job.properties.jobType) {
      case 'Command':
        return runCommandJob(this.exec, job.name, signal);
      case 'Pipeline':
        return runPipelineJob(this.exec, job.name, signal, this.childRunner);
      case 'Sweep':
        return runSweepJob(this.exec, job.name, signal, this.childRunner);
      default: {
        const outcome: JobOutcome = {
          status: 'Failed',
          error: {
            code: 'UnsupportedJobType',
            message: `The emulator runs Command, Pipeline and Sweep jobs, not ${job.properties.jobType} jobs.`,
          },
        };
        new JobLifecycle(this.exec, job.name, signal).finish(outcome);
        return Promise.resolve(outcome);
      }
    }
  }

  private readonly childRunner: ChildRunner = (childName, parentSignal, runTags, options = {}) => {
    const controller = new AbortController();
    const onParentAbort = () => controller.abort();
    if (parentSignal.aborted) controller.abort();
    else parentSignal.addEventListener('abort', onParentAbort, { once: true });
    if (!getJob(this.exec.ctx, childName)) {
      return Promise.resolve({
        status: 'Failed',
        error: { code: 'ExecutionFailed', message: `Child job '${childName}' does not exist.` },
      });
    }
    setJobStatus(this.exec.ctx, childName, 'Starting');
    return this.track(childName, controller, () =>
      runCommandJob(this.exec, childName, controller.signal, { runTags, ...options }),
    ).finally(() => parentSignal.removeEventListener('abort', onParentAbort));
  };
}
