// The emulated workspace resource, shaped like the recorded real one (code_asset__… entry 0),
// with its service URIs pointing at the emulator instead of <region>.api.azureml.ms.
import type { ArmContext } from '../arm-context';
import type { Route } from '../http/types';
import { ok } from './responses';
import { resourceGroupScoped, subscriptionScoped, WORKSPACE_PATH, workspaceScoped } from './scope';
import {
  armTimestamp,
  mlflowTrackingUri,
  PROVIDER,
  resourceGroupId,
  stableUuid,
  workspaceGuid,
  workspaceId,
} from './workspace-identity';

/** A short lowercase suffix for the names of the workspace's dependent resources. */
const suffix = (ctx: ArmContext): string => workspaceGuid(ctx).replace(/-/g, '').slice(0, 13);

export function workspaceResource(ctx: ArmContext): Record<string, unknown> {
  const group = resourceGroupId(ctx);
  const guid = workspaceGuid(ctx);
  // A fixed creation time keeps the document stable across reads and restarts.
  const createdAt = armTimestamp(new Date(Date.UTC(2024, 0, 1)));
  const principalId = stableUuid('workspace-identity', guid);
  return {
    id: workspaceId(ctx),
    name: ctx.workspace,
    type: `${PROVIDER}/workspaces`,
    location: ctx.location,
    tags: {},
    etag: null,
    properties: {
      friendlyName: ctx.workspace,
      description: '',
      storageAccount: `${group}/providers/Microsoft.Storage/storageAccounts/${ctx.storage.accountName}`,
      keyVault: `${group}/providers/Microsoft.Keyvault/vaults/kv${suffix(ctx)}`,
      applicationInsights: `${group}/providers/Microsoft.insights/components/ai${suffix(ctx)}`,
      hbiWorkspace: false,
      tenantId: ctx.tenantId,
      imageBuildCompute: null,
      provisioningState: 'Succeeded',
      v1LegacyMode: false,
      softDeleteEnabled: false,
      containerRegistry: `${group}/providers/Microsoft.ContainerRegistry/registries/cr${suffix(ctx)}`,
      notebookInfo: {
        resourceId: guid.replace(/-/g, ''),
        fqdn: `ml-${ctx.workspace.toLowerCase()}-${ctx.location}-${guid}.${ctx.location}.notebooks.azure.net`,
        isPrivateLinkEnabled: false,
        notebookPreparationError: null,
      },
      storageHnsEnabled: false,
      workspaceId: guid,
      linkedModelInventoryArmId: null,
      privateLinkCount: 0,
      publicNetworkAccess: 'Enabled',
      discoveryUrl: `${ctx.baseUrl}/discovery`,
      mlFlowTrackingUri: mlflowTrackingUri(ctx),
      sdkTelemetryAppInsightsKey: stableUuid('telemetry', guid),
      sasGetterUri: '',
    },
    identity: { type: 'SystemAssigned', principalId, tenantId: ctx.tenantId },
    sku: { name: 'Basic', tier: 'Basic' },
    systemData: {
      createdAt,
      createdBy: 'aml-emulator',
      createdByType: 'Application',
      lastModifiedAt: createdAt,
      lastModifiedBy: 'aml-emulator',
      lastModifiedByType: 'Application',
    },
  };
}

export function workspaceRoutes(ctx: ArmContext): Route[] {
  const list = () => ok({ value: [workspaceResource(ctx)] });
  return [
    {
      method: 'GET',
      pattern: WORKSPACE_PATH,
      handler: workspaceScoped(ctx, () => ok(workspaceResource(ctx)), { nested: false }),
    },
    {
      method: 'GET',
      pattern: `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${PROVIDER}/workspaces`,
      handler: resourceGroupScoped(ctx, list),
    },
    {
      method: 'GET',
      pattern: `/subscriptions/{subscriptionId}/providers/${PROVIDER}/workspaces`,
      handler: subscriptionScoped(ctx, list),
    },
  ];
}
