// Stable names of the emulated registry and its system-created storage account, derived from the
// registry's coordinates (like workspace-identity.ts) so a restarted emulator finds its blobs again.
import { createHash } from 'node:crypto';
import type { ArmContext } from '../arm-context';
import type { AssetScope } from './assets';
import { PROVIDER, resourceGroupId, stableUuid } from './workspace-identity';

export const DEFAULT_REGISTRY = 'mlops-registry';

/** The registry container that pending uploads get a fresh folder in. */
export const REGISTRY_UPLOAD_CONTAINER = 'registry-uploads';

type RegistryCoordinates = Pick<ArmContext, 'subscriptionId' | 'resourceGroup'> & { registry: string };

/**
 * The registry's storage account: a lower-case alphanumeric name of at most 24 characters (as
 * Azure requires) and a 64-byte key, both stable for the same subscription and registry.
 */
export function registryStorageCredentials(coordinates: RegistryCoordinates): {
  accountName: string;
  accountKey: string;
} {
  const seed = `registry-storage\n${coordinates.subscriptionId}\n${coordinates.registry}`.toLowerCase();
  const stem =
    coordinates.registry
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 14) || 'registry';
  const suffix = createHash('sha1')
    .update(seed)
    .digest('hex')
    .slice(0, 24 - stem.length);
  return {
    accountName: `${stem}${suffix}`,
    accountKey: createHash('sha512').update(`key\n${seed}`).digest('base64'),
  };
}

export function registryId(ctx: Pick<ArmContext, 'subscriptionId' | 'resourceGroup' | 'registry'>): string {
  return `${resourceGroupId(ctx)}/providers/${PROVIDER}/registries/${ctx.registry.name}`;
}

/** The resource group Azure creates for a registry's system resources (storage, ACR). */
export function managedResourceGroupId(ctx: Pick<ArmContext, 'subscriptionId' | 'registry'>): string {
  const guid = stableUuid('registry-managed-rg', ctx.subscriptionId, ctx.registry.name);
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/azureml-rg-${ctx.registry.name}_${guid}`;
}

export function registryStorageAccountId(ctx: Pick<ArmContext, 'subscriptionId' | 'registry'>): string {
  return `${managedResourceGroupId(ctx)}/providers/Microsoft.Storage/storageAccounts/${ctx.registry.storage.accountName}`;
}

/** Prefix of the state collections of a registry's assets (`<prefix>.models.versions`). */
export const registryCollectionPrefix = (registry: string): string =>
  `arm.registries.${registry.toLowerCase()}`;

/** Where the registry's assets live in the state store and under which ARM id. */
export function registryAssetScope(
  ctx: Pick<ArmContext, 'subscriptionId' | 'resourceGroup' | 'registry'>,
): AssetScope {
  return {
    collectionPrefix: registryCollectionPrefix(ctx.registry.name),
    parentId: registryId(ctx),
    parentType: 'registries',
  };
}
