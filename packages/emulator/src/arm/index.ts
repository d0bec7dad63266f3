// The emulated Microsoft.MachineLearningServices resource provider: every ARM route the emulator
// serves for its one workspace and its one registry (registries from 2025-12-01 on), at
// api-versions 2022-10-01, 2025-12-01 and 2026-05-01.
import type { ArmContext } from '../arm-context';
import type { Route } from '../http/types';
import { ASSET_KINDS, assetRoutes } from './assets';
import { computeRoutes, seedComputes } from './computes';
import { datastoreRoutes, seedDatastores } from './datastores';
import type { JobExecutor } from './job-executor';
import { jobRoutes } from './jobs';
import { Operations } from './operations';
import { registryRoutes } from './registries';
import type { ArmRouteOptions, RouteContext } from './route-context';
import { workspaceRoutes } from './workspace';

export { SUPPORTED_API_VERSIONS } from './api-version';
export type { JobExecutor } from './job-executor';
export {
  getJob,
  isTerminal,
  JOB_STATUSES,
  type JobRecord,
  type JobResource,
  type JobStatus,
  type StatusUpdate,
  setJobStatus,
} from './job-store';
export { DEFAULT_REGISTRY, REGISTRY_UPLOAD_CONTAINER, registryStorageCredentials } from './registry-identity';
export type { ArmRouteOptions } from './route-context';
export { defaultBlobContainers, workspaceGuid } from './workspace-identity';

/**
 * All Microsoft.MachineLearningServices routes the emulator serves. Seeds the workspace's
 * `cpu-cluster`, `workspaceblobstore` (default) and `workspaceartifactstore` when absent. With no
 * executor, jobs stay in the status the routes give them (Starting, CancelRequested → Canceled).
 */
export function createArmRoutes(
  ctx: ArmContext,
  executor?: JobExecutor,
  options: ArmRouteOptions = {},
): Route[] {
  const operations = new Operations(ctx, { retryAfterSeconds: options.retryAfterSeconds ?? 1 });
  const routeContext: RouteContext = {
    ctx,
    operations,
    executor,
    pageSize: options.pageSize ?? 100,
    cancelDelayInMs: options.cancelDelayInMs ?? 1000,
  };
  seedComputes(ctx);
  seedDatastores(ctx);
  return [
    ...workspaceRoutes(ctx),
    ...computeRoutes(routeContext),
    ...datastoreRoutes(routeContext),
    ...ASSET_KINDS.flatMap((kind) => assetRoutes(routeContext, kind)),
    ...jobRoutes(routeContext),
    ...registryRoutes(routeContext),
    ...operations.routes(),
  ];
}
