import { RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { AzureRequestError } from '../../src/errors';
import type { JobPoll, JobResource } from '../../src/jobs/job-client';
import {
  isTransientError,
  type JobPoller,
  type JobStatusChange,
  PollWake,
  type TransientPollError,
  waitForJob,
} from '../../src/jobs/wait';

const job = (status: string | undefined): JobResource => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/jobs/j1',
  name: 'j1',
  type: 'Microsoft.MachineLearningServices/workspaces/jobs',
  properties: { jobType: 'Command', ...(status === undefined ? {} : { status }) },
});

type Step = string | { status: string; retryAfterInMs?: number } | Error;

/** Answers the scripted steps in turn (the last one forever), on a clock only sleep() moves. */
function scripted(steps: Step[]) {
  let now = 0;
  let index = 0;
  const sleeps: number[] = [];
  const pollTimes: number[] = [];
  const poller: JobPoller = {
    async poll(): Promise<JobPoll> {
      pollTimes.push(now);
      const step = steps[Math.min(index, steps.length - 1)] as Step;
      index += 1;
      if (step instanceof Error) throw step;
      const { status, retryAfterInMs } =
        typeof step === 'string' ? { status: step, retryAfterInMs: undefined } : step;
      return { job: job(status), retryAfterInMs };
    },
  };
  return {
    poller,
    sleeps,
    pollTimes,
    now: () => now,
    sleep: async (delayInMs: number) => {
      sleeps.push(delayInMs);
      now += delayInMs;
    },
  };
}

const serverError = () =>
  new AzureRequestError({ method: 'GET', url: 'https://arm/jobs/j1', status: 503, serviceMessage: 'busy' });

describe('waitForJob', () => {
  it('polls until a terminal status, reporting each change with the elapsed time', async () => {
    const run = scripted(['Starting', 'Starting', 'Running', 'Running', 'Running', 'Completed']);
    const changes: JobStatusChange[] = [];
    const result = await waitForJob(run.poller, 'j1', {
      now: run.now,
      sleep: run.sleep,
      onStatus: (change) => changes.push(change),
    });
    expect(result).toMatchObject({ status: 'Completed', timedOut: false, polls: 6 });
    expect(result.job.properties.status).toBe('Completed');
    expect(result.elapsedInMs).toBe(run.sleeps.reduce((a, b) => a + b, 0));
    expect(changes.map(({ status, previous, elapsedInMs }) => ({ status, previous, elapsedInMs }))).toEqual([
      { status: 'Starting', previous: undefined, elapsedInMs: 0 },
      { status: 'Running', previous: 'Starting', elapsedInMs: 2500 },
      { status: 'Completed', previous: 'Running', elapsedInMs: 2500 + 1000 + 1500 + 2250 },
    ]);
    // Quick at first, growing, and quick again after the change to Running.
    expect(run.sleeps).toEqual([1000, 1500, 1000, 1500, 2250]);
  });

  it.each(['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused'])(
    'stops at %s without sleeping',
    async (status) => {
      const run = scripted([status]);
      const result = await waitForJob(run.poller, 'j1', { now: run.now, sleep: run.sleep });
      expect(result).toMatchObject({ status, timedOut: false, polls: 1, elapsedInMs: 0 });
      expect(run.sleeps).toEqual([]);
    },
  );

  it('keeps polling a job without a status, as Unknown', async () => {
    const run = scripted([{ status: '' }, 'Completed']);
    const poller: JobPoller = {
      poll: async (name) => {
        const polled = await run.poller.poll(name);
        if (polled.job.properties.status === '') delete polled.job.properties.status;
        return polled;
      },
    };
    const changes: string[] = [];
    const result = await waitForJob(poller, 'j1', {
      now: run.now,
      sleep: run.sleep,
      onStatus: (change) => changes.push(change.status),
    });
    expect(changes).toEqual(['Unknown', 'Completed']);
    expect(result.polls).toBe(2);
  });

  it('never polls sooner than Retry-After', async () => {
    const run = scripted([{ status: 'Running', retryAfterInMs: 7000 }, { status: 'Running' }, 'Completed']);
    await waitForJob(run.poller, 'j1', { now: run.now, sleep: run.sleep });
    expect(run.sleeps).toEqual([7000, 1500]);
    expect(run.pollTimes).toEqual([0, 7000, 8500]);
  });

  it('awaits onPoll after every poll, the terminal one included', async () => {
    const run = scripted(['Running', 'Running', 'Failed']);
    const seen: string[] = [];
    await waitForJob(run.poller, 'j1', {
      now: run.now,
      sleep: run.sleep,
      onPoll: async (polled) => {
        await Promise.resolve();
        seen.push(`${polled.properties.status}@${run.now()}`);
      },
    });
    expect(seen).toEqual(['Running@0', 'Running@1000', 'Failed@2500']);
  });

  it('lets an onPoll failure through instead of retrying it', async () => {
    const run = scripted(['Running']);
    await expect(
      waitForJob(run.poller, 'j1', {
        now: run.now,
        sleep: run.sleep,
        onPoll: async () => {
          throw serverError();
        },
      }),
    ).rejects.toThrow(/failed with 503/);
    expect(run.pollTimes).toEqual([0]);
  });

  it('times out with the last job seen, after a last poll at the deadline', async () => {
    const run = scripted(['Running']);
    const result = await waitForJob(run.poller, 'j1', { now: run.now, sleep: run.sleep, timeoutInMs: 5000 });
    expect(result).toMatchObject({ status: 'Running', timedOut: true, elapsedInMs: 5000 });
    // 1000 + 1500 + 2250 = 4750, then the sleep is cut to the 250 ms left.
    expect(run.sleeps).toEqual([1000, 1500, 2250, 250]);
    expect(run.pollTimes.at(-1)).toBe(5000);
  });

  it('reports completion found by the poll at the deadline as not timed out', async () => {
    const run = scripted(['Running', 'Completed']);
    const result = await waitForJob(run.poller, 'j1', { now: run.now, sleep: run.sleep, timeoutInMs: 300 });
    expect(result).toMatchObject({ status: 'Completed', timedOut: false });
    expect(run.sleeps).toEqual([300]);
  });

  it('a zero timeout polls once', async () => {
    const run = scripted(['Queued']);
    const result = await waitForJob(run.poller, 'j1', { now: run.now, sleep: run.sleep, timeoutInMs: 0 });
    expect(result).toMatchObject({ status: 'Queued', timedOut: true, polls: 1 });
    expect(run.sleeps).toEqual([]);
  });

  it.each([-1, Number.NaN])('refuses timeoutInMs %s', async (timeoutInMs) => {
    const run = scripted(['Running']);
    await expect(waitForJob(run.poller, 'j1', { timeoutInMs })).rejects.toThrow(
      /timeoutInMs must be zero or more/,
    );
    expect(run.pollTimes).toEqual([]);
  });

  it('retries transient failures, reporting each, and resets the count after a success', async () => {
    const network = new RestError('socket hang up', { code: 'ECONNRESET' });
    const run = scripted(['Running', serverError(), network, 'Running', serverError(), 'Completed']);
    const failures: TransientPollError[] = [];
    const result = await waitForJob(run.poller, 'j1', {
      now: run.now,
      sleep: run.sleep,
      maxConsecutiveErrors: 2,
      onTransientError: (failure) => failures.push(failure),
    });
    expect(result).toMatchObject({ status: 'Completed', polls: 3 });
    expect(failures.map((failure) => failure.attempt)).toEqual([1, 2, 1]);
    expect(failures[1]?.error).toBe(network);
    // Failures back off on the same schedule (no status change), and each is slept as announced.
    expect(run.sleeps).toEqual([1000, 1500, 2250, 3375, 5063]);
    expect(failures.map((failure) => failure.retryInMs)).toEqual([1500, 2250, 5063]);
  });

  it('throws the transient failure that exceeds the bound', async () => {
    const run = scripted(['Running', serverError()]);
    const failures: number[] = [];
    await expect(
      waitForJob(run.poller, 'j1', {
        now: run.now,
        sleep: run.sleep,
        maxConsecutiveErrors: 3,
        onTransientError: (failure) => failures.push(failure.attempt),
      }),
    ).rejects.toBeInstanceOf(AzureRequestError);
    expect(failures).toEqual([1, 2, 3]);
    expect(run.pollTimes).toHaveLength(5);
  });

  it.each([
    {
      case: 'not found',
      error: new AzureRequestError({ method: 'GET', url: 'u', status: 404, code: 'NotFound' }),
    },
    { case: 'forbidden', error: new AzureRequestError({ method: 'GET', url: 'u', status: 403 }) },
    { case: 'a bug', error: new TypeError('boom') },
  ])('throws a non-transient failure ($case) at once', async ({ error }) => {
    const run = scripted([error]);
    const failures: unknown[] = [];
    await expect(
      waitForJob(run.poller, 'j1', {
        now: run.now,
        sleep: run.sleep,
        onTransientError: (f) => failures.push(f),
      }),
    ).rejects.toBe(error);
    expect(failures).toEqual([]);
    expect(run.pollTimes).toEqual([0]);
  });

  it('rejects promptly when aborted in the middle of a long sleep (real timers)', async () => {
    const poller: JobPoller = { poll: async () => ({ job: job('Running'), retryAfterInMs: 30_000 }) };
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('runner cancelled')), 50);
    const error = await waitForJob(poller, 'j1', { abortSignal: controller.signal }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ name: 'AbortError', message: "Waiting for job 'j1' was aborted." });
    expect((error as Error).cause).toMatchObject({ message: 'runner cancelled' });
  });

  it('does not poll at all when already aborted', async () => {
    const run = scripted(['Running']);
    await expect(waitForJob(run.poller, 'j1', { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(run.pollTimes).toEqual([]);
  });

  it('treats a poll that fails because of the abort as the abort', async () => {
    const controller = new AbortController();
    const poller: JobPoller = {
      poll: async () => {
        controller.abort();
        throw new RestError('The operation was aborted.', { code: 'ECONNRESET' });
      },
    };
    const failures: unknown[] = [];
    await expect(
      waitForJob(poller, 'j1', { abortSignal: controller.signal, onTransientError: (f) => failures.push(f) }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(failures).toEqual([]);
  });
});

describe('isTransientError', () => {
  const rest = (statusCode: number | undefined, name?: string) => {
    const error = new RestError('x', statusCode === undefined ? {} : { statusCode });
    if (name) error.name = name;
    return error;
  };
  it.each([
    { case: '500', error: new AzureRequestError({ method: 'GET', url: 'u', status: 500 }), transient: true },
    { case: '429', error: new AzureRequestError({ method: 'GET', url: 'u', status: 429 }), transient: true },
    { case: '408', error: new AzureRequestError({ method: 'GET', url: 'u', status: 408 }), transient: true },
    { case: '400', error: new AzureRequestError({ method: 'GET', url: 'u', status: 400 }), transient: false },
    { case: 'RestError 502', error: rest(502), transient: true },
    { case: 'RestError 404', error: rest(404), transient: false },
    { case: 'RestError without status (network)', error: rest(undefined), transient: true },
    { case: 'RestError abort', error: rest(undefined, 'AbortError'), transient: false },
    { case: 'plain Error', error: new Error('x'), transient: false },
    { case: 'a string', error: 'x', transient: false },
  ])('$case → $transient', ({ error, transient }) => {
    expect(isTransientError(error)).toBe(transient);
  });
});

describe('waitForJob with a PollWake', () => {
  it('polls at once when woken instead of sleeping out a long delay', async () => {
    let status = 'Running';
    let polls = 0;
    const poller: JobPoller = {
      async poll(): Promise<JobPoll> {
        polls += 1;
        return { job: job(status), retryAfterInMs: undefined };
      },
    };
    const wake = new PollWake();
    const started = Date.now();
    const waiting = waitForJob(poller, 'j1', { wake, schedule: { initialDelayInMs: 60_000 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(polls).toBe(1);
    status = 'Completed';
    wake.wake();
    const result = await waiting;
    expect(result.status).toBe('Completed');
    expect(polls).toBe(2);
    // Real timers: the 60-second sleep was cut short by the wake-up.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('remembers a wake-up that came before the sleep started', async () => {
    const wake = new PollWake();
    wake.wake();
    const first = wake.next();
    await first.woken;
    const second = wake.next();
    let woken = false;
    void second.woken.then(() => {
      woken = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(woken).toBe(false);
    second.cancel();
  });

  it('still rejects at once when aborted while waiting for a wake-up', async () => {
    const poller: JobPoller = { poll: async () => ({ job: job('Running'), retryAfterInMs: undefined }) };
    const controller = new AbortController();
    const waiting = waitForJob(poller, 'j1', {
      wake: new PollWake(),
      abortSignal: controller.signal,
      schedule: { initialDelayInMs: 60_000 },
    });
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
