// Waiting on ARM long-running operations, the way ARM and @azure/core-lro define them:
// - `Azure-AsyncOperation` (or `Operation-Location`): poll it; its `status` is InProgress,
//   Updating, … until Succeeded, Failed or Canceled; then read the result from the original URL
//   (PUT/PATCH), from `Location` (POST), or nothing (DELETE).
// - only `Location`: poll it; 202 means not yet, 200/201/204 is the end and carries the result.
// - neither: a resource whose `properties.provisioningState` is not terminal is polled at its URL.
// Between polls wait `Retry-After` (seconds or an HTTP date) when given, else `pollIntervalInMs`.

import { setTimeout as sleep } from 'node:timers/promises';
import { AzureRequestError, type AzureRequestErrorDetails } from '../errors';
import { parseArmErrorBody, redactUrl } from './errors';
import type { ArmRequest, ArmResponse } from './rest';

export interface LroOptions {
  /** Delay between polls when the service gives no Retry-After. */
  pollIntervalInMs?: number;
  /** Give up (OperationTimeoutError) after this long in all. */
  timeoutInMs?: number;
  abortSignal?: AbortSignal | undefined;
  /** Called with each status seen while polling, for progress logs. */
  onPoll?: ((status: string) => void) | undefined;
  now?: () => number;
}

export interface LroResult<T> {
  /** The final resource (PUT/PATCH, POST with a result), or undefined (DELETE). */
  body: T | undefined;
  /** The last answer read. */
  response: ArmResponse<unknown>;
}

export const DEFAULT_POLL_INTERVAL_IN_MS = 5_000;
export const DEFAULT_LRO_TIMEOUT_IN_MS = 60 * 60_000;

/** An operation that ended Failed or Canceled; `status` is the HTTP status of the poll that said so. */
export class OperationFailedError extends AzureRequestError {
  readonly operationStatus: string;
  constructor(details: AzureRequestErrorDetails & { operationStatus: string }) {
    super(details);
    this.operationStatus = details.operationStatus;
    const code = details.code ? `: ${details.code}` : '';
    const text = details.serviceMessage ? `: ${details.serviceMessage}` : '';
    const id = details.requestId ? ` (request id ${details.requestId})` : '';
    this.message = `${details.method} ${details.url}: the operation ended ${details.operationStatus}${code}${text}${id}`;
  }
}

export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
  readonly lastStatus: string;
  readonly timeoutInMs: number;
  constructor(method: string, url: string, lastStatus: string, timeoutInMs: number) {
    super(
      `${method} ${redactUrl(url)}: the operation was still ${lastStatus} after ${Math.round(timeoutInMs / 1000)} s`,
    );
    this.lastStatus = lastStatus;
    this.timeoutInMs = timeoutInMs;
  }
}

interface RequestSender {
  request<T>(request: ArmRequest): Promise<ArmResponse<T>>;
}

type Classified =
  | { state: 'running'; status: string }
  | { state: 'succeeded' }
  | { state: 'failed'; status: string };

export async function waitForArmOperation<T>(
  client: RequestSender,
  initial: ArmResponse<unknown>,
  options: LroOptions = {},
): Promise<LroResult<T>> {
  const now = options.now ?? Date.now;
  const pollIntervalInMs = options.pollIntervalInMs ?? DEFAULT_POLL_INTERVAL_IN_MS;
  const timeoutInMs = options.timeoutInMs ?? DEFAULT_LRO_TIMEOUT_IN_MS;
  const deadline = now() + timeoutInMs;
  const operationUrl = initial.headers['azure-asyncoperation'] ?? initial.headers['operation-location'];
  const locationUrl = initial.headers.location;
  const get = <B>(path: string) =>
    client.request<B>({
      method: 'GET',
      path,
      apiVersion: initial.apiVersion,
      abortSignal: options.abortSignal,
    });

  // Polls `url` until `classify` says it ended; returns the last answer.
  const poll = async (
    url: string,
    classify: (response: ArmResponse<unknown>) => Classified,
    first: ArmResponse<unknown>,
  ) => {
    let previous = first;
    let lastStatus = 'InProgress';
    for (;;) {
      const remaining = deadline - now();
      if (remaining <= 0)
        throw new OperationTimeoutError(initial.method, initial.url, lastStatus, timeoutInMs);
      const delay = Math.min(retryAfterInMs(previous.headers, now()) ?? pollIntervalInMs, remaining);
      await sleep(delay, undefined, options.abortSignal ? { signal: options.abortSignal } : {});
      const response = await get<unknown>(url);
      const outcome = classify(response);
      if (outcome.state === 'succeeded') return response;
      if (outcome.state === 'failed') throw operationFailed(initial, response, outcome.status);
      lastStatus = outcome.status;
      options.onPoll?.(outcome.status);
      previous = response;
    }
  };

  if (operationUrl) {
    await poll(operationUrl, classifyOperationStatus, initial);
    if (initial.method === 'DELETE') return { body: undefined, response: initial };
    const resultUrl = initial.method === 'POST' ? locationUrl : initial.url;
    if (!resultUrl) return { body: undefined, response: initial };
    const final = await get<T>(resultUrl);
    return { body: final.body, response: final };
  }

  if (locationUrl && initial.status === 202) {
    const final = await poll(
      locationUrl,
      (response) =>
        response.status === 202 ? { state: 'running', status: 'Accepted' } : { state: 'succeeded' },
      initial,
    );
    return { body: (final.status === 204 ? undefined : final.body) as T | undefined, response: final };
  }

  const state = provisioningState(initial.body);
  if (initial.method !== 'DELETE' && state !== undefined && classifyState(state).state === 'running') {
    const final = await poll(
      initial.url,
      (response) => classifyState(provisioningState(response.body) ?? 'Succeeded'),
      initial,
    );
    return { body: final.body as T, response: final };
  }
  if (state !== undefined) {
    const outcome = classifyState(state);
    if (outcome.state === 'failed') throw operationFailed(initial, initial, outcome.status);
  }
  // Not long-running after all: the first answer is the result.
  return { body: (initial.status === 204 ? undefined : initial.body) as T | undefined, response: initial };
}

function classifyOperationStatus(response: ArmResponse<unknown>): Classified {
  const status = (response.body as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'string' || status === '') {
    // Without a status the operation can never be seen to end: fail now rather than at the timeout.
    throw new AzureRequestError({
      method: 'GET',
      url: redactUrl(response.url),
      status: response.status,
      serviceMessage: 'the operation status resource has no "status"',
      requestId: response.headers['x-ms-request-id'],
      correlationId: response.headers['x-ms-correlation-request-id'],
    });
  }
  return classifyState(status);
}

/** Terminal states per ARM; anything else (InProgress, Updating, Creating, Deleting, …) runs on. */
export function classifyState(status: string): Classified {
  switch (status.toLowerCase()) {
    case 'succeeded':
      return { state: 'succeeded' };
    case 'failed':
    case 'canceled':
    case 'cancelled':
      return { state: 'failed', status };
    default:
      return { state: 'running', status };
  }
}

function provisioningState(body: unknown): string | undefined {
  const state = (body as { properties?: { provisioningState?: unknown } } | undefined)?.properties
    ?.provisioningState;
  return typeof state === 'string' ? state : undefined;
}

function operationFailed(
  initial: ArmResponse<unknown>,
  response: ArmResponse<unknown>,
  operationStatus: string,
): OperationFailedError {
  // The operation resource carries `error` like an ARM error body; a resource may carry it in properties.
  const body = response.body as { error?: unknown; properties?: { error?: unknown } } | undefined;
  const error = body?.error ?? body?.properties?.error;
  const parsed = error === undefined ? {} : parseArmErrorBody(JSON.stringify({ error }));
  return new OperationFailedError({
    method: initial.method,
    url: redactUrl(initial.url),
    status: response.status,
    code: parsed.code,
    serviceMessage: parsed.message,
    requestId: response.headers['x-ms-request-id'],
    correlationId: response.headers['x-ms-correlation-request-id'],
    operationStatus,
  });
}

/** Delay asked for by `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date). */
export function retryAfterInMs(headers: Record<string, string>, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers[name];
    if (value !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  }
  return parseRetryAfter(headers['retry-after'], nowMs);
}

export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}
