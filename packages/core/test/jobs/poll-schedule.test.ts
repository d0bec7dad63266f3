import { describe, expect, it } from 'vitest';
import { nextPollDelay, type PollObservation, PollSchedule } from '../../src/jobs/poll-schedule';

const same: PollObservation = { statusChanged: false };
const changed: PollObservation = { statusChanged: true };

describe('nextPollDelay', () => {
  it.each([
    { case: 'first poll', previous: undefined, observation: same, base: 1000, delay: 1000 },
    { case: 'grows ×1.5', previous: 1000, observation: same, base: 1500, delay: 1500 },
    { case: 'grows from 1500', previous: 1500, observation: same, base: 2250, delay: 2250 },
    { case: 'capped at 30 s', previous: 25_000, observation: same, base: 30_000, delay: 30_000 },
    { case: 'stays at the cap', previous: 30_000, observation: same, base: 30_000, delay: 30_000 },
    { case: 'a status change resets', previous: 30_000, observation: changed, base: 1000, delay: 1000 },
    {
      case: 'Retry-After above the schedule wins',
      previous: 1000,
      observation: { statusChanged: false, retryAfterInMs: 10_000 },
      base: 1500,
      delay: 10_000,
    },
    {
      case: 'Retry-After above the cap wins too',
      previous: 30_000,
      observation: { statusChanged: false, retryAfterInMs: 60_000 },
      base: 30_000,
      delay: 60_000,
    },
    {
      case: 'Retry-After below the schedule is moot',
      previous: 10_000,
      observation: { statusChanged: false, retryAfterInMs: 2_000 },
      base: 15_000,
      delay: 15_000,
    },
    {
      case: 'Retry-After holds after a status change',
      previous: 20_000,
      observation: { statusChanged: true, retryAfterInMs: 5_000 },
      base: 1000,
      delay: 5_000,
    },
    {
      case: 'fractional Retry-After rounds up',
      previous: undefined,
      observation: { statusChanged: true, retryAfterInMs: 1500.2 },
      base: 1000,
      delay: 1501,
    },
  ])('$case', ({ previous, observation, base, delay }) => {
    expect(nextPollDelay(previous, observation)).toEqual({ baseInMs: base, delayInMs: delay });
  });

  it('uses the options given', () => {
    const options = { initialDelayInMs: 200, factor: 2, maxDelayInMs: 500 };
    expect(nextPollDelay(undefined, same, options).delayInMs).toBe(200);
    expect(nextPollDelay(200, same, options).delayInMs).toBe(400);
    expect(nextPollDelay(400, same, options).delayInMs).toBe(500);
    // An initial delay above the cap is cut to the cap.
    expect(nextPollDelay(undefined, same, { initialDelayInMs: 900, maxDelayInMs: 500 }).delayInMs).toBe(500);
  });

  it.each([
    { options: { initialDelayInMs: 0 }, message: /initialDelayInMs must be a positive number/ },
    { options: { initialDelayInMs: -5 }, message: /initialDelayInMs must be a positive number/ },
    { options: { factor: 0.5 }, message: /factor must be at least 1/ },
    { options: { factor: Number.NaN }, message: /factor must be at least 1/ },
    {
      options: { maxDelayInMs: Number.POSITIVE_INFINITY },
      message: /maxDelayInMs must be a positive number/,
    },
  ])('refuses $options', ({ options, message }) => {
    expect(() => nextPollDelay(undefined, same, options)).toThrow(message);
    expect(() => new PollSchedule(options)).toThrow(message);
  });
});

describe('PollSchedule', () => {
  it('backs off while nothing changes and starts over after a change', () => {
    const schedule = new PollSchedule();
    const delays = [changed, same, same, same, changed, same].map((observation) =>
      schedule.next(observation),
    );
    expect(delays).toEqual([1000, 1500, 2250, 3375, 1000, 1500]);
  });

  it('reaches the 30 s cap and stays there', () => {
    const schedule = new PollSchedule();
    const delays = Array.from({ length: 15 }, () => schedule.next(same));
    expect(delays.at(-1)).toBe(30_000);
    expect(Math.max(...delays)).toBe(30_000);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });

  it('lets a Retry-After raise one delay without inflating the growth', () => {
    const schedule = new PollSchedule();
    expect(schedule.next({ statusChanged: true, retryAfterInMs: 20_000 })).toBe(20_000);
    expect(schedule.next(same)).toBe(1500);
  });

  it('reset() returns to quick polling', () => {
    const schedule = new PollSchedule();
    for (let i = 0; i < 6; i += 1) schedule.next(same);
    schedule.reset();
    expect(schedule.next(same)).toBe(1000);
  });
});
