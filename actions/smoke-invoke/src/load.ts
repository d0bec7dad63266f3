// Calling the targets: a bounded warm-up that retries with backoff until a deployment answers,
// each case once per target, then `requests` more at `concurrency` for latency and error rate.
import {
  InvokeError,
  type InvokeResponse,
  type InvokeTarget,
  invokeEndpoint,
  percentile,
} from '@aml-actions/core';
import type { SmokeCase } from './cases';
import { type CheckResult, checkResponse } from './expectations';

export interface Target {
  /** `blue`, or `endpoint` when traffic decides. */
  label: string;
  invoke: InvokeTarget;
}

export type Send = (
  target: InvokeTarget,
  smokeCase: SmokeCase,
  signal: AbortSignal,
) => Promise<InvokeResponse>;

export interface Timing {
  requestTimeoutInMs: number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
}

export function sendWith(requestTimeoutInMs: number): Send {
  return (target, smokeCase, signal) =>
    invokeEndpoint(target, {
      body: smokeCase.body,
      contentType: smokeCase.contentType,
      headers: smokeCase.headers,
      timeoutInMs: requestTimeoutInMs,
      abortSignal: signal,
    });
}

export interface WarmUp {
  ready: boolean;
  attempts: number;
  elapsedInMs: number;
  /** The last answer or error while not ready. */
  last?: string | undefined;
}

/** Statuses that mean "not up yet" rather than "up and wrong". */
const NOT_READY = new Set([404, 408, 409, 424, 429, 502, 503, 504]);

export async function warmUp(
  target: Target,
  smokeCase: SmokeCase,
  send: Send,
  timeoutInMs: number,
  timing: Timing,
): Promise<WarmUp> {
  const started = timing.now();
  let delay = 500;
  let attempts = 0;
  let last: string | undefined;
  for (;;) {
    attempts += 1;
    try {
      const response = await send(target.invoke, smokeCase, timing.signal);
      if (!NOT_READY.has(response.status))
        return { ready: true, attempts, elapsedInMs: timing.now() - started };
      last = response.problem ?? `HTTP ${response.status}`;
    } catch (error) {
      if (timing.signal.aborted) throw error;
      last = (error as Error).message;
    }
    const elapsed = timing.now() - started;
    if (elapsed + delay > timeoutInMs) return { ready: false, attempts, elapsedInMs: elapsed, last };
    await timing.sleep(delay, timing.signal);
    delay = Math.min(delay * 2, 8_000);
  }
}

export interface CaseRun {
  case: SmokeCase;
  target: string;
  status?: number | undefined;
  servedBy?: string | undefined;
  latencyInMs: number;
  result: CheckResult;
}

export async function runCase(
  target: Target,
  smokeCase: SmokeCase,
  send: Send,
  signal: AbortSignal,
): Promise<CaseRun> {
  try {
    const response = await send(target.invoke, smokeCase, signal);
    return {
      case: smokeCase,
      target: target.label,
      status: response.status,
      ...(response.servedBy ? { servedBy: response.servedBy } : {}),
      latencyInMs: response.latencyInMs,
      result: withServedBy(checkResponse(smokeCase.expect, response), target, response),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    return {
      case: smokeCase,
      target: target.label,
      latencyInMs: error instanceof InvokeError ? error.latencyInMs : 0,
      result: { passed: false, problems: [`no answer: ${(error as Error).message}`] },
    };
  }
}

/** A pinned request answered by another deployment did not test the one asked for. */
function withServedBy(result: CheckResult, target: Target, response: InvokeResponse): CheckResult {
  const pinned = target.invoke.deployment;
  if (!pinned || !response.servedBy || response.servedBy === pinned) return result;
  return {
    passed: false,
    problems: [...result.problems, `answered by '${response.servedBy}', not '${pinned}'`],
  };
}

export interface LoadSample {
  latencyInMs: number;
  ok: boolean;
  problem?: string | undefined;
}

/** `requests` requests spread over the cases in turn, at most `concurrency` in flight. */
export async function runLoad(
  target: Target,
  cases: readonly SmokeCase[],
  requests: number,
  concurrency: number,
  send: Send,
  signal: AbortSignal,
): Promise<LoadSample[]> {
  const samples: LoadSample[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= requests) return;
      const smokeCase = cases[index % cases.length] as SmokeCase;
      const run = await runCase(target, smokeCase, send, signal);
      samples.push({
        latencyInMs: run.latencyInMs,
        ok: run.result.passed,
        ...(run.result.passed ? {} : { problem: run.result.problems[0] }),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return samples;
}

export interface LatencyStats {
  requests: number;
  errors: number;
  errorRate: number;
  p50InMs: number;
  p95InMs: number;
  p99InMs: number;
  maxInMs: number;
}

export function latencyStats(samples: readonly LoadSample[]): LatencyStats {
  const latencies = samples.map((sample) => sample.latencyInMs);
  const errors = samples.filter((sample) => !sample.ok).length;
  return {
    requests: samples.length,
    errors,
    errorRate: samples.length === 0 ? 0 : errors / samples.length,
    p50InMs: percentile(latencies, 50),
    p95InMs: percentile(latencies, 95),
    p99InMs: percentile(latencies, 99),
    maxInMs: latencies.length === 0 ? Number.NaN : Math.max(...latencies),
  };
}
