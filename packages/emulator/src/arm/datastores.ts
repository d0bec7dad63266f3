// workspaces/datastores: list, get, create or update, delete and listSecrets. Datastores on the
// workspace's own storage account describe the Azurite account at read time (its port can change
// between restarts): endpoint = host:port, protocol from the blob endpoint, so clients build the
// path-style URL {protocol}://{endpoint}/{accountName}.
import type { ArmContext } from '../arm-context';
import { notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { type ApiVersion, isAtLeast, NEWER_CONTRACT } from './api-version';
import { checkResourceName } from './names';
import { pageOf, queryValue, readPaging } from './paging';
import { readValidatedBody } from './request-body';
import { invalidQuery, noContent, ok, userError } from './responses';
import type { RouteContext } from './route-context';
import { datastoreBody } from './schema/datastores';
import { type ArmCall, WORKSPACE_PATH, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData, type SystemData } from './system-data';
import { armUrl, childId, defaultBlobContainers, PROVIDER } from './workspace-identity';

export const DATASTORES_COLLECTION = 'arm.datastores';

export interface DatastoreRecord {
  name: string;
  /** Validated request properties, secrets included (they are never returned by GET). */
  properties: Record<string, unknown> & { datastoreType: string; credentials: Record<string, unknown> };
  isDefault: boolean;
  /** Seeded workspace datastores: always on the workspace storage account. */
  onWorkspaceStorage?: boolean;
  systemData: SystemData;
}

const DEFAULT_DATASTORE_PAGE_SIZE = 30;

/** Whether the datastore lives on the emulator's Azurite account. */
function onWorkspaceStorage(ctx: ArmContext, record: DatastoreRecord): boolean {
  if (record.onWorkspaceStorage) return true;
  const accountName = record.properties.accountName;
  return (
    typeof accountName === 'string' && accountName.toLowerCase() === ctx.storage.accountName.toLowerCase()
  );
}

function publicCredentials(credentials: Record<string, unknown>): Record<string, unknown> {
  const { secrets: _secrets, ...rest } = credentials;
  return rest;
}

export function datastoreResource(
  ctx: ArmContext,
  record: DatastoreRecord,
  apiVersion: ApiVersion,
): Record<string, unknown> {
  const { credentials, description, tags, properties, datastoreType, ...typed } = record.properties;
  const view: Record<string, unknown> = {
    description: description ?? null,
    tags: tags ?? null,
    properties: properties ?? null,
    isDefault: record.isDefault,
    credentials: publicCredentials(credentials),
    datastoreType,
  };
  if (datastoreType === 'AzureBlob') {
    Object.assign(
      view,
      { accountName: null, containerName: null, endpoint: 'core.windows.net', protocol: 'https' },
      { serviceDataAccessAuthIdentity: 'None' },
      typed,
    );
    if (onWorkspaceStorage(ctx, record)) {
      const blob = new URL(ctx.storage.blobEndpoint);
      view.accountName = ctx.storage.accountName;
      view.endpoint = blob.host;
      view.protocol = blob.protocol.replace(/:$/, '');
      if (isAtLeast(apiVersion, NEWER_CONTRACT)) {
        view.subscriptionId = ctx.subscriptionId;
        view.resourceGroup = ctx.resourceGroup;
      }
    }
  } else {
    Object.assign(view, typed);
  }
  if (!isAtLeast(apiVersion, NEWER_CONTRACT)) {
    delete view.subscriptionId;
    delete view.resourceGroup;
  }
  return {
    id: childId(ctx, 'datastores', record.name),
    name: record.name,
    type: `${PROVIDER}/workspaces/datastores`,
    properties: view,
    systemData: record.systemData,
  };
}

/** The secrets listSecrets hands out, per credentials type. */
function secretsOf(ctx: ArmContext, record: DatastoreRecord): Record<string, unknown> | undefined {
  const credentials = record.properties.credentials;
  const secrets = (credentials.secrets as Record<string, unknown> | undefined) ?? {};
  switch (credentials.credentialsType) {
    case 'AccountKey': {
      const key = secrets.key ?? (onWorkspaceStorage(ctx, record) ? ctx.storage.accountKey : undefined);
      return { secretsType: 'AccountKey', key: key ?? null };
    }
    case 'Sas':
      return { secretsType: 'Sas', sasToken: secrets.sasToken ?? null };
    case 'ServicePrincipal':
      return { secretsType: 'ServicePrincipal', clientSecret: secrets.clientSecret ?? null };
    case 'Certificate':
      return { secretsType: 'Certificate', certificate: secrets.certificate ?? null };
    default:
      return undefined;
  }
}

function matchesFilters(call: ArmCall, record: DatastoreRecord): boolean {
  const isDefault = queryValue(call, 'isDefault');
  if (isDefault !== undefined && String(record.isDefault) !== isDefault.toLowerCase()) return false;
  const names = call.request.query.getAll('names').flatMap((value) => value.split(','));
  if (names.length > 0 && !names.some((name) => name.toLowerCase() === record.name.toLowerCase()))
    return false;
  const search = queryValue(call, 'searchText');
  if (search && !record.name.toLowerCase().includes(search.toLowerCase())) return false;
  return true;
}

export function datastoreRoutes(routeContext: RouteContext): Route[] {
  const { ctx } = routeContext;
  const base = `${WORKSPACE_PATH}/datastores`;
  const find = (name: string) => ctx.store.get<DatastoreRecord>(DATASTORES_COLLECTION, name);

  const list = (call: ArmCall): EmulatorResponse => {
    const paging = readPaging(call, DEFAULT_DATASTORE_PAGE_SIZE, 'count');
    if (!paging.ok) return paging.response;
    const isDefault = queryValue(call, 'isDefault');
    if (isDefault !== undefined && !['true', 'false'].includes(isDefault.toLowerCase())) {
      return invalidQuery('isDefault', `'${isDefault}' is not a boolean.`);
    }
    const records = ctx.store
      .list<DatastoreRecord>(DATASTORES_COLLECTION)
      .filter((record) => matchesFilters(call, record));
    const orderBy = queryValue(call, 'orderBy');
    if (orderBy !== undefined) {
      if (!['name', 'createdtime'].includes(orderBy.toLowerCase())) {
        return invalidQuery('orderBy', `'${orderBy}' is not supported. Allowed values: name, createdtime.`);
      }
      if (orderBy.toLowerCase() === 'name') records.sort((a, b) => a.name.localeCompare(b.name));
      if (queryValue(call, 'orderByAsc')?.toLowerCase() !== 'true') records.reverse();
    }
    const value = records.map((record) => datastoreResource(ctx, record, call.apiVersion));
    return ok(pageOf(ctx, call, value, paging));
  };

  const get = ({ params, apiVersion }: ArmCall): EmulatorResponse => {
    const record = find(params.name ?? '');
    return record ? ok(datastoreResource(ctx, record, apiVersion)) : notFound('datastore', params.name ?? '');
  };

  const put = (call: ArmCall): EmulatorResponse => {
    const name = call.params.name ?? '';
    const parsed = readValidatedBody(call.request, datastoreBody, call.apiVersion, [
      checkResourceName(name, 'Datastore'),
    ]);
    if (!parsed.ok) return parsed.response;
    const existing = find(name);
    const now = ctx.now();
    const actor = actorOf(call.request);
    const record: DatastoreRecord = {
      name: existing?.name ?? name,
      properties: parsed.body.properties as DatastoreRecord['properties'],
      isDefault: existing?.isDefault ?? false,
      systemData: existing
        ? modifiedSystemData(existing.systemData, actor, now)
        : createdSystemData(actor, now),
    };
    ctx.store.put(DATASTORES_COLLECTION, record.name, record);
    const body = datastoreResource(ctx, record, call.apiVersion);
    if (existing) return ok(body);
    return { status: 201, headers: { location: armUrl(ctx, body.id as string, call.apiVersion) }, body };
  };

  const remove = ({ params }: ArmCall): EmulatorResponse => {
    const record = find(params.name ?? '');
    if (!record) return noContent();
    if (record.isDefault) {
      return userError(
        `The datastore '${record.name}' is the workspace's default datastore and cannot be deleted.`,
      );
    }
    ctx.store.delete(DATASTORES_COLLECTION, record.name);
    return ok(undefined);
  };

  const listSecrets = ({ params }: ArmCall): EmulatorResponse => {
    const record = find(params.name ?? '');
    if (!record) return notFound('datastore', params.name ?? '');
    const secrets = secretsOf(ctx, record);
    if (!secrets) {
      return userError(
        `The datastore '${record.name}' uses credentials of type '${String(record.properties.credentials.credentialsType)}', which have no secrets.`,
      );
    }
    return ok(secrets);
  };

  return [
    { method: 'GET', pattern: base, handler: workspaceScoped(ctx, list) },
    { method: 'GET', pattern: `${base}/{name}`, handler: workspaceScoped(ctx, get) },
    { method: 'PUT', pattern: `${base}/{name}`, handler: workspaceScoped(ctx, put) },
    { method: 'DELETE', pattern: `${base}/{name}`, handler: workspaceScoped(ctx, remove) },
    { method: 'POST', pattern: `${base}/{name}/listSecrets`, handler: workspaceScoped(ctx, listSecrets) },
  ];
}

/** workspaceblobstore (default) and workspaceartifactstore, on the workspace's Azurite account. */
export function seedDatastores(ctx: ArmContext): void {
  const containers = defaultBlobContainers(ctx);
  const seeds: [name: string, container: string, isDefault: boolean][] = [
    ['workspaceblobstore', containers.blobStore, true],
    ['workspaceartifactstore', containers.artifactStore, false],
  ];
  for (const [name, containerName, isDefault] of seeds) {
    if (ctx.store.get(DATASTORES_COLLECTION, name)) continue;
    const record: DatastoreRecord = {
      name,
      properties: {
        datastoreType: 'AzureBlob',
        credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey' } },
        containerName,
        serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity',
      },
      isDefault,
      onWorkspaceStorage: true,
      systemData: createdSystemData({ name: 'aml-emulator', type: 'Application' }, ctx.now()),
    };
    ctx.store.put(DATASTORES_COLLECTION, name, record);
  }
}
