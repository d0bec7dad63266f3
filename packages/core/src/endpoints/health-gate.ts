// The health gate of a rollout: a few real requests to one deployment (pinned by header), each
// must answer 2xx without an error payload, and the p95 latency must stay under a limit.

import { InvokeError, type InvokeRequest, type InvokeTarget, invokeEndpoint, percentile } from './invoke';

export interface HealthGateOptions {
  requests: number;
  /** Fail when the p95 latency exceeds this. */
  maxP95InMs?: number | undefined;
  /** Share of failed requests tolerated (0–1); default 0. */
  maxErrorRate?: number | undefined;
  abortSignal?: AbortSignal | undefined;
}

export interface HealthGateResult {
  passed: boolean;
  requests: number;
  failures: number;
  p50InMs: number;
  p95InMs: number;
  /** The first problems seen, for the log. */
  problems: string[];
  /** Why the gate failed, in one line. */
  reason?: string;
}

export async function runHealthGate(
  target: InvokeTarget,
  request: InvokeRequest,
  options: HealthGateOptions,
): Promise<HealthGateResult> {
  const latencies: number[] = [];
  const problems: string[] = [];
  let failures = 0;
  for (let i = 0; i < options.requests; i += 1) {
    options.abortSignal?.throwIfAborted();
    try {
      const response = await invokeEndpoint(target, { ...request, abortSignal: options.abortSignal });
      latencies.push(response.latencyInMs);
      if (!response.ok) {
        failures += 1;
        if (problems.length < 3) problems.push(response.problem ?? `HTTP ${response.status}`);
      } else if (target.deployment && response.servedBy && response.servedBy !== target.deployment) {
        failures += 1;
        if (problems.length < 3)
          problems.push(`answered by '${response.servedBy}', not '${target.deployment}'`);
      }
    } catch (error) {
      // A cancelled gate is not a failed request: stop with the abort reason, even on the last one.
      options.abortSignal?.throwIfAborted();
      if (!(error instanceof InvokeError)) throw error;
      failures += 1;
      latencies.push(error.latencyInMs);
      if (problems.length < 3) problems.push(error.message);
    }
  }
  const p50InMs = percentile(latencies, 50);
  const p95InMs = percentile(latencies, 95);
  const errorRate = options.requests === 0 ? 0 : failures / options.requests;
  let reason: string | undefined;
  if (errorRate > (options.maxErrorRate ?? 0)) {
    reason = `${failures} of ${options.requests} health requests failed (${problems[0] ?? 'no answer'})`;
  } else if (options.maxP95InMs !== undefined && p95InMs > options.maxP95InMs) {
    reason = `p95 latency ${Math.round(p95InMs)} ms is over the ${options.maxP95InMs} ms limit`;
  }
  return {
    passed: reason === undefined,
    requests: options.requests,
    failures,
    p50InMs,
    p95InMs,
    problems,
    ...(reason ? { reason } : {}),
  };
}
