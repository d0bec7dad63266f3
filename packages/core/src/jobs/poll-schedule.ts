// When to poll a job next: quick at first (a status change is most likely soon after submitting),
// backing off geometrically to a cap, quick again after each status change (the next one tends to
// follow), and never sooner than the service's Retry-After. Pure: the waiter owns time and sleep.

export interface PollScheduleOptions {
  /** The first delay, and the delay after a status change. */
  initialDelayInMs?: number;
  /** Growth of the delay per poll without a change. */
  factor?: number;
  /** The longest delay the schedule chooses by itself (a Retry-After may ask for more). */
  maxDelayInMs?: number;
}

export const DEFAULT_POLL_SCHEDULE: Required<PollScheduleOptions> = {
  initialDelayInMs: 1_000,
  factor: 1.5,
  maxDelayInMs: 30_000,
};

export interface PollObservation {
  /** The status differs from the one seen before (the first poll counts as a change). */
  statusChanged: boolean;
  /** What the service asked for, if anything. */
  retryAfterInMs?: number | undefined;
}

export interface PollDelay {
  /** The schedule's own delay, before Retry-After: the base the next step grows from. */
  baseInMs: number;
  /** How long to wait now. */
  delayInMs: number;
}

/** The next delay after `previousBaseInMs` (undefined before the first poll). */
export function nextPollDelay(
  previousBaseInMs: number | undefined,
  observation: PollObservation,
  options: PollScheduleOptions = {},
): PollDelay {
  const { initialDelayInMs, factor, maxDelayInMs } = resolveOptions(options);
  const baseInMs =
    previousBaseInMs === undefined || observation.statusChanged
      ? Math.min(initialDelayInMs, maxDelayInMs)
      : Math.min(Math.round(previousBaseInMs * factor), maxDelayInMs);
  // Retry-After raises this one delay only; the growth continues from the schedule's own base.
  const retryAfter = observation.retryAfterInMs;
  const delayInMs = retryAfter !== undefined && retryAfter > baseInMs ? Math.ceil(retryAfter) : baseInMs;
  return { baseInMs, delayInMs };
}

/** A schedule that remembers its base between polls. */
export class PollSchedule {
  private baseInMs: number | undefined;

  constructor(private readonly options: PollScheduleOptions = {}) {
    resolveOptions(options);
  }

  /** The delay to wait after a poll that saw `observation`. */
  next(observation: PollObservation): number {
    const delay = nextPollDelay(this.baseInMs, observation, this.options);
    this.baseInMs = delay.baseInMs;
    return delay.delayInMs;
  }

  /** Back to quick polling, as after a status change. */
  reset(): void {
    this.baseInMs = undefined;
  }
}

function resolveOptions(options: PollScheduleOptions): Required<PollScheduleOptions> {
  const resolved = { ...DEFAULT_POLL_SCHEDULE, ...definedOnly(options) };
  if (!(resolved.initialDelayInMs > 0) || !Number.isFinite(resolved.initialDelayInMs)) {
    throw new RangeError(`initialDelayInMs must be a positive number, not ${resolved.initialDelayInMs}`);
  }
  if (!(resolved.factor >= 1) || !Number.isFinite(resolved.factor)) {
    throw new RangeError(`factor must be at least 1, not ${resolved.factor}`);
  }
  if (!(resolved.maxDelayInMs > 0) || !Number.isFinite(resolved.maxDelayInMs)) {
    throw new RangeError(`maxDelayInMs must be a positive number, not ${resolved.maxDelayInMs}`);
  }
  return resolved;
}

function definedOnly(options: PollScheduleOptions): PollScheduleOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
