// Versioned assets (codes, components, data, environments, models): containers and versions,
// in a scope (the workspace, or a registry: see registries.ts). Workspace version PUTs are not
// long-running (200 update / 201 create + Location, as recorded), create the container
// implicitly, and keep a version's content immutable like the service.
import type { ArmContext } from '../arm-context';
import { notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { type ApiVersion, isAtLeast, NEWER_CONTRACT } from './api-version';
import { firstDifference } from './json-diff';
import { listResponse, matchesListView, readListViewType, readOrderBy } from './list-query';
import { checkResourceName, checkVersion } from './names';
import { queryValue } from './paging';
import { readValidatedBody } from './request-body';
import { noContent, ok, validationError } from './responses';
import type { RouteContext } from './route-context';
import { type AssetKind, containerBody, versionBody } from './schema/assets';
import type { Violation } from './schema/validate';
import { type ArmCall, type ArmHandler, WORKSPACE_PATH, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData, type SystemData } from './system-data';
import { armUrl, PROVIDER, workspaceId } from './workspace-identity';

export const ASSET_KINDS: readonly AssetKind[] = ['codes', 'components', 'data', 'environments', 'models'];

export interface ContainerRecord {
  name: string;
  properties: Record<string, unknown>;
  systemData: SystemData;
}

export interface VersionRecord {
  /** Container name as created. */
  name: string;
  version: string;
  properties: Record<string, unknown>;
  systemData: SystemData;
  /** While a long-running PUT (registries) runs: Creating or Updating; absent means Succeeded. */
  provisioningState?: string;
}

/** Where assets live: the workspace, or a registry. */
export interface AssetScope {
  /** Prefix of the state collections (`arm` for the workspace, so its names stay as they were). */
  collectionPrefix: string;
  /** ARM id of the parent resource. */
  parentId: string;
  /** The parent's ARM type segment: `workspaces` or `registries`. */
  parentType: 'workspaces' | 'registries';
}

export const workspaceAssetScope = (ctx: ArmContext): AssetScope => ({
  collectionPrefix: 'arm',
  parentId: workspaceId(ctx),
  parentType: 'workspaces',
});

const versionKey = (name: string, version: string) => `${name}/${version}`;

export const SINGULAR: Record<AssetKind, string> = {
  codes: 'code',
  components: 'component',
  data: 'data',
  environments: 'environment',
  models: 'model',
};

/** What a version is: changing these on an existing version is refused. */
const CONTENT_FIELDS: Record<AssetKind, readonly string[]> = {
  codes: ['codeUri'],
  components: ['componentSpec'],
  data: ['dataType', 'dataUri', 'referencedUris'],
  environments: ['image', 'condaFile', 'build', 'osType', 'inferenceConfig'],
  models: ['modelUri', 'modelType', 'flavors'],
};

/**
 * What an update may change; anything else keeps its original value (as isAnonymous in the
 * recording). A PUT replaces: a mutable field the body leaves out goes back to its default.
 */
const MUTABLE_DEFAULTS: Record<string, unknown> = {
  description: null,
  tags: {},
  properties: {},
  isArchived: false,
  stage: undefined,
};
const MUTABLE_FIELDS = Object.keys(MUTABLE_DEFAULTS);

const VERSION_DEFAULTS: Record<AssetKind, Record<string, unknown>> = {
  codes: { codeUri: null },
  components: { componentSpec: null },
  data: {},
  environments: { environmentType: 'UserCreated', osType: 'Linux', autoRebuild: 'Disabled' },
  models: { flavors: {}, modelType: 'custom_model', jobName: null },
};

/** Asset properties that exist only in the newer contract, hidden from older api-versions. */
const NEWER_RESPONSE_FIELDS = ['provisioningState', 'stage', 'datasets'];

function forVersion(properties: Record<string, unknown>, apiVersion: ApiVersion): Record<string, unknown> {
  if (isAtLeast(apiVersion, NEWER_CONTRACT)) return properties;
  return Object.fromEntries(
    Object.entries(properties).filter(([key]) => !NEWER_RESPONSE_FIELDS.includes(key)),
  );
}

const compareVersions = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The service spells azureml:// ARM paths with canonical casing (resourcegroups → resourceGroups). */
function canonicalAzuremlUri(uri: unknown): unknown {
  if (typeof uri !== 'string' || !/^azureml:\/\/subscriptions\//i.test(uri)) return uri;
  return uri.replace(/\/resourcegroups\//i, '/resourceGroups/').replace(/\/workspaces\//i, '/workspaces/');
}

export class AssetStore {
  private readonly containersCollection: string;
  private readonly versionsCollection: string;

  constructor(
    private readonly ctx: ArmContext,
    readonly kind: AssetKind,
    readonly scope: AssetScope = workspaceAssetScope(ctx),
  ) {
    this.containersCollection = `${scope.collectionPrefix}.${kind}.containers`;
    this.versionsCollection = `${scope.collectionPrefix}.${kind}.versions`;
  }

  /** ARM id of an asset of this scope, e.g. id('m') or id('m', 'versions', '1'). */
  id(...segments: string[]): string {
    return `${this.scope.parentId}/${this.kind}/${segments.join('/')}`;
  }

  container(name: string): ContainerRecord | undefined {
    return this.ctx.store.get<ContainerRecord>(this.containersCollection, name);
  }

  containers(): ContainerRecord[] {
    return this.ctx.store.list<ContainerRecord>(this.containersCollection);
  }

  version(name: string, version: string): VersionRecord | undefined {
    return this.ctx.store.get<VersionRecord>(this.versionsCollection, versionKey(name, version));
  }

  /** Versions of one container, in creation order. */
  versions(name: string): VersionRecord[] {
    return this.ctx.store.list<VersionRecord>(this.versionsCollection, `${name}/`);
  }

  allVersions(): VersionRecord[] {
    return this.ctx.store.list<VersionRecord>(this.versionsCollection);
  }

  putContainer(record: ContainerRecord): void {
    this.ctx.store.put(this.containersCollection, record.name, record);
  }

  putVersion(record: VersionRecord): void {
    this.ctx.store.put(this.versionsCollection, versionKey(record.name, record.version), record);
  }

  deleteVersion(name: string, version: string): boolean {
    return this.ctx.store.delete(this.versionsCollection, versionKey(name, version));
  }

  deleteContainer(name: string): boolean {
    for (const version of this.versions(name)) this.deleteVersion(name, version.version);
    return this.ctx.store.delete(this.containersCollection, name);
  }

  containerResource(record: ContainerRecord, apiVersion: ApiVersion): Record<string, unknown> {
    const versions = this.versions(record.name);
    const integers = versions
      .map((v) => v.version)
      .filter((v) => /^\d+$/.test(v))
      .map(Number);
    const nextVersion =
      integers.length > 0 ? String(Math.max(...integers) + 1) : versions.length > 0 ? null : '1';
    const properties = {
      description: null,
      tags: {},
      properties: {},
      isArchived: false,
      ...record.properties,
      latestVersion: versions.at(-1)?.version ?? null,
      nextVersion,
      provisioningState: 'Succeeded',
    };
    return {
      id: this.id(record.name),
      name: record.name,
      type: `${PROVIDER}/${this.scope.parentType}/${this.kind}`,
      properties: forVersion(properties, apiVersion),
      systemData: record.systemData,
    };
  }

  versionResource(record: VersionRecord, apiVersion: ApiVersion): Record<string, unknown> {
    const properties: Record<string, unknown> = {
      description: null,
      tags: {},
      properties: {},
      isArchived: false,
      isAnonymous: false,
      ...VERSION_DEFAULTS[this.kind],
      ...record.properties,
    };
    if (this.kind !== 'data') properties.provisioningState = record.provisioningState ?? 'Succeeded';
    return {
      id: this.id(record.name, 'versions', record.version),
      name: record.version,
      type: `${PROVIDER}/${this.scope.parentType}/${this.kind}/versions`,
      properties: forVersion(properties, apiVersion),
      systemData: record.systemData,
    };
  }
}

const ABSOLUTE_URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/;

/** Rules the service applies to a version body beyond its schema. */
function versionRules(
  kind: AssetKind,
  properties: Record<string, unknown>,
  container: ContainerRecord | undefined,
  apiVersion: ApiVersion,
): Violation[] {
  const violations: Violation[] = [];
  const at = (name: string) => `properties.${name}`;
  if (kind === 'codes') {
    const codeUri = properties.codeUri;
    if (codeUri === undefined)
      violations.push({ path: at('codeUri'), message: 'is required: the URI of the uploaded code.' });
    else if (typeof codeUri === 'string' && !ABSOLUTE_URI.test(codeUri)) {
      violations.push({ path: at('codeUri'), message: `'${codeUri}' is not an absolute URI.` });
    }
  }
  if (kind === 'environments' && properties.image === undefined && properties.build === undefined) {
    violations.push({ path: at('image'), message: 'an environment needs either image or build.' });
  }
  if (kind === 'models' && isAtLeast(apiVersion, NEWER_CONTRACT) && properties.modelUri === undefined) {
    violations.push({ path: at('modelUri'), message: `is required at api-version ${apiVersion}.` });
  }
  const containerType = container?.properties.dataType;
  if (kind === 'data' && containerType !== undefined && properties.dataType !== containerType) {
    violations.push({
      path: at('dataType'),
      message: `'${String(properties.dataType)}' does not match the data container's type '${String(containerType)}'.`,
    });
  }
  return violations;
}

function tagFilter(call: ArmCall): ((tags: Record<string, string>) => boolean) | undefined {
  const raw = queryValue(call, '$tags') ?? queryValue(call, 'tags');
  if (!raw) return undefined;
  const wanted = raw.split(',').map((pair) => pair.split('=').map((part) => part.trim()));
  return (tags) =>
    wanted.every(([key = '', value]) => key in tags && (value === undefined || tags[key] === value));
}

/** A version PUT that passed validation and the immutability rule, before anything is stored. */
export interface VersionPutCheck {
  call: ArmCall;
  properties: Record<string, unknown>;
  existing: VersionRecord | undefined;
}

export type VersionWrite =
  | { ok: true; record: VersionRecord; existing: VersionRecord | undefined }
  | { ok: false; response: EmulatorResponse };

export interface AssetHandlers {
  listContainers(call: ArmCall): EmulatorResponse;
  getContainer(call: ArmCall): EmulatorResponse;
  putContainer(call: ArmCall): EmulatorResponse;
  deleteContainer(call: ArmCall): EmulatorResponse;
  listVersions(call: ArmCall): EmulatorResponse;
  getVersion(call: ArmCall): EmulatorResponse;
  /**
   * Validates and stores a version PUT; `check` may refuse it (e.g. content that does not exist)
   * after the schema and immutability rules and before anything is written.
   */
  writeVersion(
    call: ArmCall,
    check?: (put: VersionPutCheck) => Promise<EmulatorResponse | undefined>,
  ): Promise<VersionWrite>;
  deleteVersion(call: ArmCall): EmulatorResponse;
}

/** The request handlers of one asset kind in one scope, without the ARM scope checks. */
export function assetHandlers(routeContext: RouteContext, assets: AssetStore): AssetHandlers {
  const { ctx } = routeContext;
  const { kind } = assets;
  const singular = SINGULAR[kind];

  const listContainers = (call: ArmCall): EmulatorResponse => {
    const view = readListViewType(call);
    if (!view.ok) return view.response;
    const items = assets
      .containers()
      .filter((record) => matchesListView(view.value, record.properties.isArchived))
      .map((record) => assets.containerResource(record, call.apiVersion));
    return listResponse(routeContext, call, items, kind === 'models' ? 'count' : undefined);
  };

  const getContainer = ({ params, apiVersion }: ArmCall): EmulatorResponse => {
    const record = assets.container(params.name ?? '');
    return record
      ? ok(assets.containerResource(record, apiVersion))
      : notFound(`${singular} container`, params.name ?? '');
  };

  const putContainer = (call: ArmCall): EmulatorResponse => {
    const name = call.params.name ?? '';
    const parsed = readValidatedBody(call.request, containerBody(kind), call.apiVersion, [
      checkResourceName(name, `The ${singular}`),
    ]);
    if (!parsed.ok) return parsed.response;
    const properties = parsed.body.properties as Record<string, unknown>;
    const existing = assets.container(name);
    if (existing && kind === 'data' && existing.properties.dataType !== properties.dataType) {
      return validationError([
        {
          path: 'properties.dataType',
          message: `cannot change from '${String(existing.properties.dataType)}'.`,
        },
      ]);
    }
    const now = ctx.now();
    const actor = actorOf(call.request);
    const record: ContainerRecord = {
      name: existing?.name ?? name,
      properties,
      systemData: existing
        ? modifiedSystemData(existing.systemData, actor, now)
        : createdSystemData(actor, now),
    };
    assets.putContainer(record);
    const body = assets.containerResource(record, call.apiVersion);
    if (existing) return ok(body);
    return { status: 201, headers: { location: armUrl(ctx, body.id as string, call.apiVersion) }, body };
  };

  const deleteContainer = ({ params }: ArmCall): EmulatorResponse =>
    assets.deleteContainer(params.name ?? '') ? ok(undefined) : noContent();

  const listVersions = (call: ArmCall): EmulatorResponse => {
    const view = readListViewType(call);
    if (!view.ok) return view.response;
    const order = readOrderBy(call, { field: 'createdtime', descending: true });
    if (!order.ok) return order.response;
    const hash = kind === 'codes' ? queryValue(call, 'hash') : undefined;
    const hashVersion = queryValue(call, 'hashVersion');
    // The hash lookup searches every code asset of the workspace (recorded: the match may
    // live under another name than the one in the path).
    let records = hash ? assets.allVersions() : assets.versions(call.params.name ?? '');
    if (hash) {
      records = records.filter((record) => {
        const bag = (record.properties.properties as Record<string, string> | undefined) ?? {};
        return (
          bag.hash_sha256?.toLowerCase() === hash.toLowerCase() &&
          (hashVersion === undefined || bag.hash_version === hashVersion)
        );
      });
    }
    const tags = tagFilter(call);
    const versionFilter = kind === 'models' ? queryValue(call, 'version') : undefined;
    records = records.filter(
      (record) =>
        matchesListView(view.value, record.properties.isArchived) &&
        (!tags || tags((record.properties.tags as Record<string, string> | undefined) ?? {})) &&
        (versionFilter === undefined || record.version === versionFilter),
    );
    if (order.value.field === 'version') records.sort((a, b) => compareVersions(a.version, b.version));
    if (order.value.descending) records.reverse();
    const items = records.map((record) => assets.versionResource(record, call.apiVersion));
    return listResponse(routeContext, call, items);
  };

  const getVersion = ({ params, apiVersion }: ArmCall): EmulatorResponse => {
    const record = assets.version(params.name ?? '', params.version ?? '');
    return record
      ? ok(assets.versionResource(record, apiVersion))
      : notFound(`${singular} version`, `${params.name}:${params.version}`);
  };

  const writeVersion: AssetHandlers['writeVersion'] = async (call, check) => {
    const name = call.params.name ?? '';
    const version = call.params.version ?? '';
    const parsed = readValidatedBody(call.request, versionBody(kind), call.apiVersion, [
      checkResourceName(name, `The ${singular}`),
      checkVersion(kind, version),
    ]);
    if (!parsed.ok) return { ok: false, response: parsed.response };
    const properties = { ...(parsed.body.properties as Record<string, unknown>) };
    if (kind === 'models' && properties.modelUri !== undefined)
      properties.modelUri = canonicalAzuremlUri(properties.modelUri);
    const container = assets.container(name);
    const violations = versionRules(kind, properties, container, call.apiVersion);
    const existing = assets.version(name, version);
    if (existing) {
      // Compare as GET shows them, so echoing a GET response back is not a change.
      const before = { ...VERSION_DEFAULTS[kind], ...existing.properties };
      const after = { ...VERSION_DEFAULTS[kind], ...properties };
      for (const field of CONTENT_FIELDS[kind]) {
        if (firstDifference(before[field], after[field]) !== undefined) {
          violations.push({
            path: `properties.${field}`,
            message: `${singular} version '${existing.name}:${existing.version}' already exists with a different ${field}; asset versions are immutable, create a new version instead.`,
          });
        }
      }
    }
    if (violations.length > 0) return { ok: false, response: validationError(violations) };
    const refused = await check?.({ call, properties, existing });
    if (refused) return { ok: false, response: refused };

    const now = ctx.now();
    const actor = actorOf(call.request);
    if (!container) {
      const containerProperties: Record<string, unknown> =
        kind === 'data' ? { dataType: properties.dataType } : {};
      assets.putContainer({
        name,
        properties: containerProperties,
        systemData: createdSystemData(actor, now),
      });
    }
    const containerName = container?.name ?? name;
    let record: VersionRecord;
    if (existing) {
      const updated: Record<string, unknown> = { ...existing.properties };
      for (const field of MUTABLE_FIELDS) {
        const value = field in properties ? properties[field] : MUTABLE_DEFAULTS[field];
        if (value === undefined) delete updated[field];
        else updated[field] = value;
      }
      record = {
        ...existing,
        properties: updated,
        systemData: modifiedSystemData(existing.systemData, actor, now),
      };
    } else {
      record = { name: containerName, version, properties, systemData: createdSystemData(actor, now) };
    }
    assets.putVersion(record);
    return { ok: true, record, existing };
  };

  const deleteVersion = ({ params }: ArmCall): EmulatorResponse =>
    assets.deleteVersion(params.name ?? '', params.version ?? '') ? ok(undefined) : noContent();

  return {
    listContainers,
    getContainer,
    putContainer,
    deleteContainer,
    listVersions,
    getVersion,
    writeVersion,
    deleteVersion,
  };
}

export function assetRoutes(routeContext: RouteContext, kind: AssetKind): Route[] {
  const { ctx } = routeContext;
  const assets = new AssetStore(ctx, kind);
  const base = `${WORKSPACE_PATH}/${kind}`;
  const handlers = assetHandlers(routeContext, assets);
  const { listContainers, getContainer, putContainer, deleteContainer, listVersions, getVersion } = handlers;
  const { writeVersion, deleteVersion } = handlers;

  const putVersion = async (call: ArmCall): Promise<EmulatorResponse> => {
    const written = await writeVersion(call);
    if (!written.ok) return written.response;
    const body = assets.versionResource(written.record, call.apiVersion);
    if (written.existing) return ok(body);
    return { status: 201, headers: { location: armUrl(ctx, body.id as string, call.apiVersion) }, body };
  };

  const scoped = (handler: ArmHandler) => workspaceScoped(ctx, handler);
  return [
    { method: 'GET', pattern: base, handler: scoped(listContainers) },
    { method: 'GET', pattern: `${base}/{name}`, handler: scoped(getContainer) },
    { method: 'PUT', pattern: `${base}/{name}`, handler: scoped(putContainer) },
    { method: 'DELETE', pattern: `${base}/{name}`, handler: scoped(deleteContainer) },
    { method: 'GET', pattern: `${base}/{name}/versions`, handler: scoped(listVersions) },
    { method: 'GET', pattern: `${base}/{name}/versions/{version}`, handler: scoped(getVersion) },
    { method: 'PUT', pattern: `${base}/{name}/versions/{version}`, handler: scoped(putVersion) },
    { method: 'DELETE', pattern: `${base}/{name}/versions/{version}`, handler: scoped(deleteVersion) },
  ];
}
