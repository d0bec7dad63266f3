// Azure ML registries (api-version 2025-12-01 and later): the one seeded registry, its model
// containers and versions (the workspace asset logic in a registry scope), long-running version
// PUTs (201 + Azure-AsyncOperation, final state from the original URI) and startPendingUpload,
// which hands out a container SAS of the registry's own storage account.
import { randomUUID } from 'node:crypto';
import {
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { ArmContext } from '../arm-context';
import { BlobStore } from '../execution/blob-store';
import { blobUrlLocation, isRegistryBlobUrl } from '../execution/data-uris';
import { armError } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { type ApiVersion, checkApiVersionForType, NEWER_CONTRACT } from './api-version';
import { AssetStore, assetHandlers, type VersionPutCheck } from './assets';
import type { OperationRecord } from './operations';
import {
  managedResourceGroupId,
  REGISTRY_UPLOAD_CONTAINER,
  registryAssetScope,
  registryId,
  registryStorageAccountId,
} from './registry-identity';
import { readJsonObjectBody } from './request-body';
import { ok, userError, validationError } from './responses';
import type { RouteContext } from './route-context';
import {
  type ApiVersionReader,
  type ArmCall,
  type ArmHandler,
  parentMissing,
  resourceGroupScoped,
  sameName,
} from './scope';
import { armTimestamp, emulatorHost, PROVIDER, stableUuid } from './workspace-identity';

/** Path prefix of the registry routes, as in the operation catalog. */
export const REGISTRY_PATH =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/registries/{registryName}';

const OPERATION_KIND = 'registry-asset-version';
/** Status polls an operation answers InProgress before it succeeds. */
const IN_PROGRESS_POLLS = 1;
/** A client that never polls still sees the version finish after this long. */
const OPERATION_DURATION_IN_MS = 2000;
const PENDING_COLLECTION = 'arm.registries.pending-operations';
const SAS_LIFETIME_IN_MS = 60 * 60 * 1000;
const UPLOAD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface PendingOperation {
  operation: string;
  registry: string;
  name: string;
  version: string;
  pollsLeft: number;
  /** ctx.now() at the PUT, in ms. */
  startedAtInMs: number;
}

/** Registries exist from 2025-12-01 on; older api-versions are refused as ARM refuses them. */
const readRegistryApiVersion =
  (ctx: ArmContext): ApiVersionReader =>
  (request) =>
    checkApiVersionForType(request, { name: 'registries', since: NEWER_CONTRACT, location: ctx.location });

/**
 * Routes of the registry (nested: false) or of a resource inside it (nested: true): the
 * api-version must know registries, then subscription, resource group and registry must exist.
 */
export function registryScoped(ctx: ArmContext, handler: ArmHandler, { nested = true } = {}) {
  return resourceGroupScoped(
    ctx,
    (call) => {
      const name = call.params.registryName;
      if (!sameName(name, ctx.registry.name)) return parentMissing('registries', name, call, nested);
      return handler(call);
    },
    readRegistryApiVersion(ctx),
  );
}

/** The registry resource as ARM shows it (Registry, 2025-12-01), with URIs on the emulator. */
export function registryResource(ctx: ArmContext): Record<string, unknown> {
  const id = registryId(ctx);
  const guid = stableUuid('registry', ctx.subscriptionId, ctx.resourceGroup, ctx.registry.name);
  const acrName = `acr${guid.replace(/-/g, '').slice(0, 20)}`;
  const createdAt = armTimestamp(new Date(Date.UTC(2024, 0, 1)));
  return {
    id,
    name: ctx.registry.name,
    type: `${PROVIDER}/registries`,
    location: ctx.location,
    tags: {},
    kind: '',
    sku: { name: 'P3', tier: 'Standard' },
    identity: {
      type: 'SystemAssigned',
      principalId: stableUuid('registry-identity', guid),
      tenantId: ctx.tenantId,
    },
    properties: {
      discoveryUrl: `${ctx.baseUrl}/discovery`,
      intellectualPropertyPublisher: null,
      managedResourceGroup: { resourceId: managedResourceGroupId(ctx) },
      mlFlowRegistryUri: `azureml://${emulatorHost(ctx)}/mlflow/v1.0${id}`,
      publicNetworkAccess: 'Enabled',
      regionDetails: [
        {
          location: ctx.location,
          acrDetails: [
            {
              systemCreatedAcrAccount: {
                acrAccountName: acrName,
                acrAccountSku: 'Premium',
                armResourceId: {
                  resourceId: `${managedResourceGroupId(ctx)}/providers/Microsoft.ContainerRegistry/registries/${acrName}`,
                },
              },
            },
          ],
          storageAccountDetails: [
            {
              systemCreatedStorageAccount: {
                allowBlobPublicAccess: false,
                armResourceId: { resourceId: registryStorageAccountId(ctx) },
                storageAccountHnsEnabled: false,
                storageAccountName: ctx.registry.storage.accountName,
                storageAccountType: 'Standard_LRS',
              },
            },
          ],
        },
      ],
      registryPrivateEndpointConnections: [],
    },
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

/** A container-scoped SAS of the registry account (read, write, list, create; one hour). */
function containerSas(ctx: ArmContext, container: string): string {
  const { accountName, accountKey } = ctx.registry.storage;
  const now = ctx.now();
  return generateBlobSASQueryParameters(
    {
      containerName: container,
      permissions: ContainerSASPermissions.parse('rwlc'),
      // A little slack for clocks that disagree, as SAS issuers usually give.
      startsOn: new Date(now.getTime() - 5 * 60 * 1000),
      expiresOn: new Date(now.getTime() + SAS_LIFETIME_IN_MS),
      protocol: SASProtocol.HttpsAndHttp,
    },
    new StorageSharedKeyCredential(accountName, accountKey),
  ).toString();
}

export function registryRoutes(routeContext: RouteContext): Route[] {
  const { ctx, operations } = routeContext;
  const models = new AssetStore(ctx, 'models', registryAssetScope(ctx));
  const handlers = assetHandlers(routeContext, models);
  let blobs: BlobStore | undefined;
  const pendingKey = (name: string, version: string) => `${ctx.registry.name}/${name}/${version}`;

  operations.resolveWith(OPERATION_KIND, (operation: OperationRecord) => {
    const pending = ctx.store.get<PendingOperation>(PENDING_COLLECTION, operation.target);
    const record = pending && models.version(pending.name, pending.version);
    if (!pending || !record) {
      ctx.store.delete(PENDING_COLLECTION, operation.target);
      return {
        status: 'Failed',
        error: { code: 'UserError', message: 'The model version was deleted before it was created.' },
      };
    }
    const elapsed = ctx.now().getTime() - pending.startedAtInMs;
    if (pending.pollsLeft > 0 && elapsed < OPERATION_DURATION_IN_MS) {
      ctx.store.put(PENDING_COLLECTION, operation.target, { ...pending, pollsLeft: pending.pollsLeft - 1 });
      return { status: 'InProgress' };
    }
    const { provisioningState: _done, ...succeeded } = record;
    models.putVersion(succeeded);
    ctx.store.delete(PENDING_COLLECTION, operation.target);
    return { status: 'Succeeded' };
  });

  /**
   * Lets a pending operation finish by time before its version is read or written again (reads
   * must not count as the client's status polls).
   */
  const settle = (name: string, version: string): void => {
    if (!models.version(name, version)?.provisioningState) return;
    const pending = ctx.store.get<PendingOperation>(PENDING_COLLECTION, pendingKey(name, version));
    if (pending && ctx.now().getTime() - pending.startedAtInMs >= OPERATION_DURATION_IN_MS)
      operations.refresh(pending.operation);
  };

  const getRegistry = (): EmulatorResponse => ok(registryResource(ctx));
  const listRegistries = (): EmulatorResponse => ok({ value: [registryResource(ctx)] });

  const getVersion = (call: ArmCall): EmulatorResponse => {
    settle(call.params.name ?? '', call.params.version ?? '');
    return handlers.getVersion(call);
  };

  /** A registry blob URL must name blobs that were uploaded; other model URIs pass as they are. */
  const checkModelUri = async ({ properties }: VersionPutCheck): Promise<EmulatorResponse | undefined> => {
    const uri = properties.modelUri;
    if (typeof uri !== 'string' || !isRegistryBlobUrl(ctx, uri)) return undefined;
    blobs ??= new BlobStore(ctx.registry.storage);
    const location = blobUrlLocation(ctx, uri);
    const names = await blobs.list(location);
    if (names.length > 0) return undefined;
    return userError(
      `There are no blobs at '${uri}' in the registry's storage account '${ctx.registry.storage.accountName}': upload the model files (POST …/startPendingUpload gives a SAS) before creating the version.`,
    );
  };

  const putVersion = async (call: ArmCall): Promise<EmulatorResponse> => {
    const name = call.params.name ?? '';
    const version = call.params.version ?? '';
    settle(name, version);
    const current = models.version(name, version);
    if (current?.provisioningState) {
      return armError(
        409,
        'Conflict',
        `Model version '${current.name}:${current.version}' in registry '${ctx.registry.name}' is still being ${current.provisioningState === 'Creating' ? 'created' : 'updated'} by an earlier request; wait for that operation to finish, then retry.`,
      );
    }
    const written = await handlers.writeVersion(call, checkModelUri);
    if (!written.ok) return written.response;
    const record = { ...written.record, provisioningState: written.existing ? 'Updating' : 'Creating' };
    models.putVersion(record);
    const target = pendingKey(record.name, record.version);
    const operation = operations.start(OPERATION_KIND, target, { prefix: 'rv' });
    ctx.store.put<PendingOperation>(PENDING_COLLECTION, target, {
      operation: operation.name,
      registry: ctx.registry.name,
      name: record.name,
      version: record.version,
      pollsLeft: IN_PROGRESS_POLLS,
      startedAtInMs: ctx.now().getTime(),
    });
    return {
      status: written.existing ? 200 : 201,
      headers: asyncHeaders(operation, call.apiVersion),
      body: models.versionResource(record, call.apiVersion),
    };
  };

  const asyncHeaders = (operation: OperationRecord, apiVersion: ApiVersion): Record<string, string> => ({
    ...operations.acceptedHeaders(operation, apiVersion),
    'azure-asyncoperation': operations.statusUrl(operation, apiVersion),
  });

  const startPendingUpload = (call: ArmCall): EmulatorResponse => {
    const body =
      call.request.body === undefined ? { ok: true as const, body: {} } : readJsonObjectBody(call.request);
    if (!body.ok) return body.response;
    const type = body.body.pendingUploadType ?? 'TemporaryBlobReference';
    if (type !== 'TemporaryBlobReference') {
      return validationError([
        {
          path: 'pendingUploadType',
          message: `'${String(type)}' is not supported for registry assets; use 'TemporaryBlobReference'.`,
        },
      ]);
    }
    const requested = body.body.pendingUploadId;
    if (
      requested !== undefined &&
      requested !== null &&
      (typeof requested !== 'string' || !UPLOAD_ID.test(requested))
    ) {
      return validationError([
        {
          path: 'pendingUploadId',
          message: `'${String(requested)}' is not a valid upload id (letters, digits, '.', '_' and '-').`,
        },
      ]);
    }
    const pendingUploadId = typeof requested === 'string' ? requested : randomUUID();
    const containerUrl = `${ctx.registry.storage.blobEndpoint}/${REGISTRY_UPLOAD_CONTAINER}`;
    return ok({
      blobReferenceForConsumption: {
        blobUri: `${containerUrl}/${pendingUploadId}`,
        storageAccountArmId: registryStorageAccountId(ctx),
        credential: {
          credentialType: 'SAS',
          sasUri: `${containerUrl}?${containerSas(ctx, REGISTRY_UPLOAD_CONTAINER)}`,
        },
      },
      pendingUploadId,
      pendingUploadType: 'TemporaryBlobReference',
    });
  };

  const scoped = (handler: ArmHandler, nested = true) => registryScoped(ctx, handler, { nested });
  const group =
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/registries';
  const base = `${REGISTRY_PATH}/models`;
  return [
    {
      method: 'GET',
      pattern: group,
      handler: resourceGroupScoped(ctx, listRegistries, readRegistryApiVersion(ctx)),
    },
    { method: 'GET', pattern: REGISTRY_PATH, handler: scoped(getRegistry, false) },
    { method: 'GET', pattern: base, handler: scoped(handlers.listContainers) },
    { method: 'GET', pattern: `${base}/{name}`, handler: scoped(handlers.getContainer) },
    { method: 'PUT', pattern: `${base}/{name}`, handler: scoped(handlers.putContainer) },
    { method: 'DELETE', pattern: `${base}/{name}`, handler: scoped(handlers.deleteContainer) },
    { method: 'GET', pattern: `${base}/{name}/versions`, handler: scoped(handlers.listVersions) },
    { method: 'GET', pattern: `${base}/{name}/versions/{version}`, handler: scoped(getVersion) },
    { method: 'PUT', pattern: `${base}/{name}/versions/{version}`, handler: scoped(putVersion) },
    {
      method: 'DELETE',
      pattern: `${base}/{name}/versions/{version}`,
      handler: scoped(handlers.deleteVersion),
    },
    {
      method: 'POST',
      pattern: `${base}/{name}/versions/{version}/startPendingUpload`,
      handler: scoped(startPendingUpload),
    },
  ];
}
