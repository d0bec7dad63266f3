// Stable identifiers of the emulated workspace, derived from its coordinates so they survive
// restarts without being stored, and the ARM ids and URLs built from them (canonical casing).
import { createHash } from 'node:crypto';
import type { ArmContext } from '../arm-context';
import type { ApiVersion } from './api-version';

export const PROVIDER = 'Microsoft.MachineLearningServices';

type WorkspaceCoordinates = Pick<ArmContext, 'subscriptionId' | 'resourceGroup' | 'workspace'>;

/** A name-based UUID (version 5 layout, SHA-1) so the same inputs always give the same id. */
export function stableUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\n').toLowerCase()).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The workspace's immutable GUID (`properties.workspaceId`). */
export function workspaceGuid(ctx: WorkspaceCoordinates): string {
  return stableUuid('workspace', ctx.subscriptionId, ctx.resourceGroup, ctx.workspace);
}

export function resourceGroupId(ctx: Pick<ArmContext, 'subscriptionId' | 'resourceGroup'>): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}`;
}

export function workspaceId(ctx: WorkspaceCoordinates): string {
  return `${resourceGroupId(ctx)}/providers/${PROVIDER}/workspaces/${ctx.workspace}`;
}

/** ARM id of a resource nested in the workspace, e.g. childId(ctx, 'jobs', 'x') or ('codes', 'a', 'versions', '1'). */
export function childId(ctx: WorkspaceCoordinates, ...segments: string[]): string {
  return `${workspaceId(ctx)}/${segments.join('/')}`;
}

/** An absolute URL on the emulator for an ARM path, with the api-version the caller used. */
export function armUrl(ctx: Pick<ArmContext, 'baseUrl'>, path: string, apiVersion: ApiVersion): string {
  return `${ctx.baseUrl}${path}?api-version=${apiVersion}`;
}

/** host:port of the emulator, as azureml:// service URIs carry it. */
export function emulatorHost(ctx: Pick<ArmContext, 'baseUrl'>): string {
  return new URL(ctx.baseUrl).host;
}

/** The MLflow tracking URI of the workspace, in the service's azureml:// form, on the emulator. */
export function mlflowTrackingUri(ctx: WorkspaceCoordinates & Pick<ArmContext, 'baseUrl'>): string {
  return `azureml://${emulatorHost(ctx)}/mlflow/v1.0${workspaceId(ctx)}`;
}

/** Blob containers the default datastores point at; the server creates them in Azurite. */
export function defaultBlobContainers(ctx: WorkspaceCoordinates): {
  blobStore: string;
  artifactStore: string;
} {
  return { blobStore: `azureml-blobstore-${workspaceGuid(ctx)}`, artifactStore: 'azureml' };
}

/** ARM timestamps as the service writes them: 7 fractional digits and an explicit offset. */
export function armTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '0000+00:00');
}
