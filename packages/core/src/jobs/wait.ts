// Waits for a job to reach a terminal status, polling on an adaptive schedule (PollSchedule) that
// honours Retry-After. Between polls the caller may do work (stream logs) through `onPoll`.
// A timeout is a result (`timedOut: true`), not an error, so the caller decides whether to cancel;
// an abort rejects at once, even in the middle of a 30-second sleep.

import { setTimeout as sleepFor } from 'node:timers/promises';
import { isRestError } from '@azure/core-rest-pipeline';
import { AzureRequestError } from '../errors';
import { isTerminalJobStatus, type JobPoll, type JobResource } from './job-client';
import { PollSchedule, type PollScheduleOptions } from './poll-schedule';

/** What the waiter needs of JobClient. */
export interface JobPoller {
  poll(name: string, options?: { abortSignal?: AbortSignal }): Promise<JobPoll>;
}

export interface JobStatusChange {
  status: string;
  /** Undefined on the first poll. */
  previous: string | undefined;
  /** Since the wait started. */
  elapsedInMs: number;
  job: JobResource;
}

export interface TransientPollError {
  error: unknown;
  /** Consecutive failures so far, this one included. */
  attempt: number;
  /** How long the waiter sleeps before polling again. */
  retryInMs: number;
}

export interface WaitForJobOptions {
  /** Stop waiting (with `timedOut: true`) after this long; no limit by default. */
  timeoutInMs?: number | undefined;
  abortSignal?: AbortSignal | undefined;
  onStatus?: ((change: JobStatusChange) => void) | undefined;
  /** Awaited after every successful poll, the last one included (e.g. to read new log lines). */
  onPoll?: ((job: JobResource) => Promise<void>) | undefined;
  /** A poll failed with a transient error (5xx, 408, 429 or network, after the pipeline's retries). */
  onTransientError?: ((failure: TransientPollError) => void) | undefined;
  /** Consecutive transient failures tolerated before the last one is thrown; default 5. */
  maxConsecutiveErrors?: number | undefined;
  schedule?: PollSchedule | PollScheduleOptions | undefined;
  /** Must reject promptly when `signal` aborts. */
  sleep?: ((delayInMs: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
  now?: (() => number) | undefined;
  /**
   * Cuts a sleep short: another observer (run history, a log stream) saw the job change, so the
   * next ARM poll is worth making now. Lets the schedule back off without slowing detection.
   */
  wake?: PollWake | undefined;
}

/** A wake-up call for a waiter's sleep; wake() before a sleep starts makes that sleep end at once. */
export class PollWake {
  private pending = false;
  private listeners = new Set<() => void>();

  wake(): void {
    this.pending = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  /** Resolves at the next wake() (or at once if one came since the last call); `cancel` stops listening. */
  next(): { woken: Promise<void>; cancel: () => void } {
    if (this.pending) {
      this.pending = false;
      return { woken: Promise.resolve(), cancel: () => undefined };
    }
    let listener: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      listener = () => {
        this.pending = false;
        resolve();
      };
      this.listeners.add(listener);
    });
    return { woken, cancel: () => this.listeners.delete(listener) };
  }
}

export interface WaitForJobResult {
  /** The last job resource read. */
  job: JobResource;
  status: string;
  timedOut: boolean;
  elapsedInMs: number;
  /** Successful polls. */
  polls: number;
}

export const DEFAULT_MAX_CONSECUTIVE_POLL_ERRORS = 5;

/** The status a job without one is taken to have. */
const UNKNOWN_STATUS = 'Unknown';

export async function waitForJob(
  jobs: JobPoller,
  name: string,
  options: WaitForJobOptions = {},
): Promise<WaitForJobResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const signal = options.abortSignal;
  const schedule =
    options.schedule instanceof PollSchedule ? options.schedule : new PollSchedule(options.schedule);
  const maxErrors = options.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_POLL_ERRORS;
  const timeoutInMs = options.timeoutInMs;
  if (timeoutInMs !== undefined && !(timeoutInMs >= 0)) {
    throw new RangeError(`timeoutInMs must be zero or more, not ${timeoutInMs}`);
  }
  const startedAt = now();
  const deadline = timeoutInMs === undefined ? Number.POSITIVE_INFINITY : startedAt + timeoutInMs;

  let previous: string | undefined;
  let last: JobResource | undefined;
  let polls = 0;
  let errors = 0;
  for (;;) {
    throwIfAborted(signal, name);
    let polled: JobPoll | undefined;
    let delayInMs = 0; // set below, from the failure or from the poll
    try {
      polled = await jobs.poll(name, signal ? { abortSignal: signal } : {});
    } catch (error) {
      throwIfAborted(signal, name, error);
      errors += 1;
      if (!isTransientError(error) || errors > maxErrors) throw error;
      delayInMs = schedule.next({ statusChanged: false });
      options.onTransientError?.({ error, attempt: errors, retryInMs: delayInMs });
    }
    if (polled) {
      const { job, retryAfterInMs } = polled;
      polls += 1;
      errors = 0;
      last = job;
      const status = job.properties.status ?? UNKNOWN_STATUS;
      const statusChanged = status !== previous;
      if (statusChanged) options.onStatus?.({ status, previous, elapsedInMs: now() - startedAt, job });
      previous = status;
      // Outside the retry handling: a failure of the caller's own work is the caller's to report.
      await options.onPoll?.(job);
      if (isTerminalJobStatus(status)) return result(job, status, false);
      delayInMs = schedule.next({ statusChanged, retryAfterInMs });
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      if (last) return result(last, previous ?? UNKNOWN_STATUS, true);
      throw new Error(`Waiting for job '${name}' timed out before any poll succeeded.`);
    }
    // The last sleep is cut to the deadline, and one more poll then tells how the job stands.
    try {
      await sleepUnlessWoken(Math.min(delayInMs, remaining), signal, sleep, options.wake);
    } catch (error) {
      throwIfAborted(signal, name, error);
      throw error;
    }
  }

  function result(job: JobResource, status: string, timedOut: boolean): WaitForJobResult {
    return { job, status, timedOut, elapsedInMs: now() - startedAt, polls };
  }
}

/** Worth polling again: throttling, server errors, and failures with no HTTP answer (network). */
export function isTransientError(error: unknown): boolean {
  if (error instanceof AzureRequestError) return error.transient;
  if (isRestError(error)) {
    const status = error.statusCode;
    return status === undefined
      ? error.name !== 'AbortError'
      : status === 408 || status === 429 || status >= 500;
  }
  return false;
}

/** Thrown when the wait's abort signal fires; `cause` is the signal's reason. */
export class JobWaitAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(jobName: string, cause: unknown) {
    super(`Waiting for job '${jobName}' was aborted.`, { cause });
  }
}

function throwIfAborted(signal: AbortSignal | undefined, name: string, error?: unknown): void {
  if (signal?.aborted) throw new JobWaitAbortedError(name, signal.reason ?? error);
}

async function sleepUnlessWoken(
  delayInMs: number,
  signal: AbortSignal | undefined,
  sleep: (delayInMs: number, signal: AbortSignal | undefined) => Promise<void>,
  wake: PollWake | undefined,
): Promise<void> {
  if (!wake) return sleep(delayInMs, signal);
  const woken = new AbortController();
  const sleepSignal = signal ? AbortSignal.any([signal, woken.signal]) : woken.signal;
  const call = wake.next();
  try {
    await Promise.race([
      sleep(delayInMs, sleepSignal).catch((error: unknown) => {
        if (!woken.signal.aborted || signal?.aborted) throw error;
      }),
      call.woken.then(() => woken.abort()),
    ]);
  } finally {
    call.cancel();
  }
}

function defaultSleep(delayInMs: number, signal: AbortSignal | undefined): Promise<void> {
  return sleepFor(delayInMs, undefined, signal ? { signal } : {});
}
