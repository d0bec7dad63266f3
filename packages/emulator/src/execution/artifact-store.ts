// Where run logs live (contracts §3): the artifact store container (`azureml`) at
// `ExperimentRun/dcid.<runId>/<log path>`.

import { DATASTORES_COLLECTION, type DatastoreRecord } from '../arm/datastores';
import { defaultBlobContainers } from '../arm/workspace-identity';
import type { ArmContext } from '../arm-context';
import type { BlobLocation } from './blob-store';

export const STD_LOG = 'user_logs/std_log.txt';

export function artifactContainer(
  ctx: Pick<ArmContext, 'store' | 'subscriptionId' | 'resourceGroup' | 'workspace'>,
): string {
  const record = ctx.store.get<DatastoreRecord>(DATASTORES_COLLECTION, 'workspaceartifactstore');
  const container = (record?.properties as Record<string, unknown> | undefined)?.containerName;
  return typeof container === 'string' ? container : defaultBlobContainers(ctx).artifactStore;
}

export const runArtifactPrefix = (runId: string): string => `ExperimentRun/dcid.${runId}/`;

export function runLogLocation(
  ctx: Pick<ArmContext, 'store' | 'subscriptionId' | 'resourceGroup' | 'workspace'>,
  runId: string,
  logPath = STD_LOG,
): BlobLocation {
  return { container: artifactContainer(ctx), path: `${runArtifactPrefix(runId)}${logPath}` };
}
