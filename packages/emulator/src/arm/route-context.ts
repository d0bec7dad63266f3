// What every ARM route module receives: the workspace context, the operation tracker, the job
// executor seam and the tunables.
import type { ArmContext } from '../arm-context';
import type { JobExecutor } from './job-executor';
import type { Operations } from './operations';

export interface ArmRouteOptions {
  /** Items per list page before a nextLink (default 100). */
  pageSize?: number;
  /** Retry-After (seconds) on 202 answers of long-running operations (default 1). */
  retryAfterSeconds?: number;
  /** Without an executor, how long a job stays CancelRequested before it reads as Canceled (default 1000). */
  cancelDelayInMs?: number;
}

export interface RouteContext {
  ctx: ArmContext;
  operations: Operations;
  executor: JobExecutor | undefined;
  pageSize: number;
  cancelDelayInMs: number;
}
