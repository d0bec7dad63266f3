// What online endpoint and deployment routes share: their options, the long-running-operation
// headers (PUT: 201 + Azure-AsyncOperation + Location of the resource; PATCH/DELETE/POST: 202 +
// Location of the result, as recorded), ARM's 409 while another operation runs, the timed
// completion of changes that have no real work behind them, and the `Updating` status the
// service reports for running endpoint operations.
import { armError } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import type { ApiVersion } from './api-version';
import type { ScoringHost } from './online-hosting';
import type { OnlineStore } from './online-store';
import type { OperationRecord, Operations } from './operations';
import type { RouteContext } from './route-context';

export interface OnlineEndpointOptions {
  /** Runs the deployments' scoring servers; without one, deployments succeed without serving. */
  host?: ScoringHost;
  /** Status polls a change without real work answers `Updating` before it completes (default 1). */
  inProgressPolls?: number;
  /** Such a change also completes this long after it started, polled or not (default 2000). */
  operationDurationInMs?: number;
}

export interface OnlineContext extends RouteContext {
  store: OnlineStore;
  host: ScoringHost | undefined;
  inProgressPolls: number;
  operationDurationInMs: number;
  retryAfterSeconds: number;
}

/** Operation names start with `oe:` (endpoints) and `od:` (deployments), as the service's do. */
export const ENDPOINT_OPERATION_PREFIX = 'oe';
export const DEPLOYMENT_OPERATION_PREFIX = 'od';
const ASYNC_OPERATION_TIMEOUT = 'PT30M';

export function putHeaders(
  operations: Operations,
  operation: OperationRecord,
  resourceUrl: string,
  apiVersion: ApiVersion,
  retryAfterSeconds: number,
): Record<string, string> {
  return {
    'azure-asyncoperation': operations.statusUrl(operation, apiVersion),
    location: resourceUrl,
    'retry-after': String(retryAfterSeconds),
    'x-ms-async-operation-timeout': ASYNC_OPERATION_TIMEOUT,
  };
}

export function acceptedHeaders(
  operations: Operations,
  operation: OperationRecord,
  apiVersion: ApiVersion,
): Record<string, string> {
  return {
    ...operations.acceptedHeaders(operation, apiVersion),
    'azure-asyncoperation': operations.statusUrl(operation, apiVersion),
    'x-ms-async-operation-timeout': ASYNC_OPERATION_TIMEOUT,
  };
}

export function conflict(reason: string): EmulatorResponse {
  return armError(
    409,
    'Conflict',
    `There is already an operation in progress: ${reason}. Wait for it to finish, then retry the request.`,
  );
}

export interface TimedProgress {
  pollsLeft: number;
  startedAtInMs: number;
}

/** Whether a timed change is done; counts one status poll when it is not (the caller stores it). */
export function timedStep(
  progress: TimedProgress,
  nowInMs: number,
  durationInMs: number,
): { done: true } | { done: false; next: TimedProgress } {
  if (progress.pollsLeft <= 0 || nowInMs - progress.startedAtInMs >= durationInMs) return { done: true };
  return { done: false, next: { ...progress, pollsLeft: progress.pollsLeft - 1 } };
}

/** A timed change whose time is up, so reads may complete it without counting a poll. */
export const timeIsUp = (progress: TimedProgress, nowInMs: number, durationInMs: number): boolean =>
  nowInMs - progress.startedAtInMs >= durationInMs;

/**
 * The operation-status routes with the service's wording for endpoint and deployment operations:
 * `Updating` while they run (recorded), where other operations say `InProgress`.
 */
export function withOnlineOperationStatus(routes: Route[]): Route[] {
  return routes.map((route) => {
    if (!/mfeOperationsStatus\/\{operationId\}$/.test(route.pattern)) return route;
    return {
      ...route,
      handler: async (request, params) => {
        const response = await route.handler(request, params);
        const body = response.body as { name?: unknown; status?: unknown } | undefined;
        const name = typeof body?.name === 'string' ? body.name : '';
        const online =
          name.startsWith(`${ENDPOINT_OPERATION_PREFIX}:`) ||
          name.startsWith(`${DEPLOYMENT_OPERATION_PREFIX}:`);
        if (response.status !== 200 || !online || body?.status !== 'InProgress') return response;
        return { ...response, body: { ...body, status: 'Updating' } };
      },
    };
  });
}
