// The emulated Microsoft.MachineLearningServices resource provider: every ARM route the emulator
// serves for its one workspace and its one registry (registries from 2025-12-01 on), at
// api-versions 2022-10-01, 2025-12-01 and 2026-05-01.
import type { ArmContext } from '../arm-context';
import type { Route } from '../http/types';
import { ASSET_KINDS, assetRoutes } from './assets';
import { batchEndpointRoutes } from './batch-endpoints';
import { computeRoutes, seedComputes } from './computes';
import { datastoreRoutes, seedDatastores } from './datastores';
import type { JobExecutor } from './job-executor';
import { jobRoutes } from './jobs';
import { onlineDeploymentRoutes } from './online-deployments';
import { onlineEndpointRoutes } from './online-endpoints';
import { type OnlineEndpointOptions, withOnlineOperationStatus } from './online-operations';
import { OnlineStore } from './online-store';
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
export {
  blobAssetFetcher,
  type DeploymentAssetFetcher,
  ScoringHost,
  type ScoringHostOptions,
  type ScoringServerHandle,
  type ScoringServerSpec,
  type StartScoringServer,
} from './online-hosting';
export type { OnlineEndpointOptions } from './online-operations';
export { DEFAULT_REGISTRY, REGISTRY_UPLOAD_CONTAINER, registryStorageCredentials } from './registry-identity';
export type { ArmRouteOptions } from './route-context';

export interface ArmRoutesOptions extends ArmRouteOptions {
  /** Online endpoints and deployments: the scoring host and operation pacing. */
  onlineEndpoints?: OnlineEndpointOptions;
}
export { defaultBlobContainers, workspaceGuid } from './workspace-identity';

/**
 * All Microsoft.MachineLearningServices routes the emulator serves. Seeds the workspace's
 * `cpu-cluster`, `workspaceblobstore` (default) and `workspaceartifactstore` when absent. With no
 * executor, jobs stay in the status the routes give them (Starting, CancelRequested → Canceled).
 */
export function createArmRoutes(
  ctx: ArmContext,
  executor?: JobExecutor,
  options: ArmRoutesOptions = {},
): Route[] {
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const operations = new Operations(ctx, { retryAfterSeconds });
  const routeContext: RouteContext = {
    ctx,
    operations,
    executor,
    pageSize: options.pageSize ?? 100,
    cancelDelayInMs: options.cancelDelayInMs ?? 1000,
  };
  const online = options.onlineEndpoints ?? {};
  const onlineContext = {
    ...routeContext,
    store: new OnlineStore(ctx),
    host: online.host,
    inProgressPolls: online.inProgressPolls ?? 1,
    operationDurationInMs: online.operationDurationInMs ?? 2000,
    retryAfterSeconds,
  };
  seedComputes(ctx);
  seedDatastores(ctx);
  return [
    ...workspaceRoutes(ctx),
    ...computeRoutes(routeContext),
    ...datastoreRoutes(routeContext),
    ...ASSET_KINDS.flatMap((kind) => assetRoutes(routeContext, kind)),
    ...jobRoutes(routeContext),
    ...batchEndpointRoutes(routeContext),
    ...registryRoutes(routeContext),
    ...onlineEndpointRoutes(onlineContext),
    ...onlineDeploymentRoutes(onlineContext),
    ...withOnlineOperationStatus(operations.routes()),
  ];
}
