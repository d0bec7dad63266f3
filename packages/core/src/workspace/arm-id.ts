// ARM resource ids of Azure ML workspaces, registries and what lives in them. Parsing accepts any
// casing of the fixed segments (the service itself answers `resourcegroups` and
// `microsoft.machinelearningservices` at times); formatting always writes the canonical casing.

import { ConfigurationError, type ConfigurationLocation } from '../errors';
import {
  checkResourceGroupName,
  checkResourceName,
  checkSubscriptionSegment,
  checkVersion,
  checkWorkspaceName,
} from './names';

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export interface RegistryRef {
  subscriptionId: string;
  resourceGroup: string;
  registry: string;
}

/** Versioned asset collections, as they appear in ARM ids and `azureml://registries/` URIs. */
export const ASSET_TYPES = ['codes', 'components', 'data', 'environments', 'models'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export function isAssetType(value: string): value is AssetType {
  return (ASSET_TYPES as readonly string[]).includes(value);
}

export const PROVIDER = 'Microsoft.MachineLearningServices';

export type ParsedArmId =
  | { kind: 'workspace'; workspace: WorkspaceRef }
  | { kind: 'asset'; workspace: WorkspaceRef; assetType: AssetType; name: string; version?: string }
  | { kind: 'compute'; workspace: WorkspaceRef; name: string }
  | { kind: 'datastore'; workspace: WorkspaceRef; name: string }
  | { kind: 'job'; workspace: WorkspaceRef; name: string }
  | { kind: 'online-endpoint'; workspace: WorkspaceRef; name: string }
  | { kind: 'online-deployment'; workspace: WorkspaceRef; endpoint: string; name: string }
  /** Any other child of a workspace (batch endpoints, schedules, …), kept segment by segment. */
  | { kind: 'workspace-resource'; workspace: WorkspaceRef; path: ResourceSegment[] }
  | { kind: 'registry'; registry: RegistryRef }
  | { kind: 'registry-asset'; registry: RegistryRef; assetType: AssetType; name: string; version?: string };

export interface ResourceSegment {
  type: string;
  name: string;
}

const WORKSPACE_ID_FORM =
  '/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.MachineLearningServices/workspaces/<workspace>[/<type>/<name>[/versions/<version>]]';
const REGISTRY_ID_FORM =
  '/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.MachineLearningServices/registries/<registry>[/<type>/<name>[/versions/<version>]]';

/** Canonical spelling of every fixed segment, by lower-cased spelling. */
const CANONICAL_TYPES = new Map<string, string>(
  [
    ...ASSET_TYPES,
    'computes',
    'datastores',
    'jobs',
    'onlineEndpoints',
    'batchEndpoints',
    'deployments',
    'schedules',
    'connections',
    'featuresets',
    'featurestoreEntities',
    'marketplaceSubscriptions',
    'serverlessEndpoints',
  ].map((type) => [type.toLowerCase(), type]),
);

function canonicalType(type: string): string {
  return CANONICAL_TYPES.get(type.toLowerCase()) ?? type;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function workspaceArmId(ref: WorkspaceRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${PROVIDER}/workspaces/${ref.workspace}`;
}

export function registryArmId(ref: RegistryRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${PROVIDER}/registries/${ref.registry}`;
}

/** The id of an asset version, or of its container when `version` is omitted. */
export function assetArmId(ref: WorkspaceRef, assetType: AssetType, name: string, version?: string): string {
  const container = `${workspaceArmId(ref)}/${assetType}/${name}`;
  return version === undefined ? container : `${container}/versions/${version}`;
}

export function registryAssetArmId(
  ref: RegistryRef,
  assetType: AssetType,
  name: string,
  version?: string,
): string {
  const container = `${registryArmId(ref)}/${assetType}/${name}`;
  return version === undefined ? container : `${container}/versions/${version}`;
}

export function computeArmId(ref: WorkspaceRef, name: string): string {
  return `${workspaceArmId(ref)}/computes/${name}`;
}

export function datastoreArmId(ref: WorkspaceRef, name: string): string {
  return `${workspaceArmId(ref)}/datastores/${name}`;
}

export function jobArmId(ref: WorkspaceRef, name: string): string {
  return `${workspaceArmId(ref)}/jobs/${name}`;
}

export function onlineEndpointArmId(ref: WorkspaceRef, name: string): string {
  return `${workspaceArmId(ref)}/onlineEndpoints/${name}`;
}

export function onlineDeploymentArmId(ref: WorkspaceRef, endpoint: string, name: string): string {
  return `${onlineEndpointArmId(ref, endpoint)}/deployments/${name}`;
}

/** Inverse of parseArmId, in canonical casing. */
export function formatArmId(id: ParsedArmId): string {
  switch (id.kind) {
    case 'workspace':
      return workspaceArmId(id.workspace);
    case 'asset':
      return assetArmId(id.workspace, id.assetType, id.name, id.version);
    case 'compute':
      return computeArmId(id.workspace, id.name);
    case 'datastore':
      return datastoreArmId(id.workspace, id.name);
    case 'job':
      return jobArmId(id.workspace, id.name);
    case 'online-endpoint':
      return onlineEndpointArmId(id.workspace, id.name);
    case 'online-deployment':
      return onlineDeploymentArmId(id.workspace, id.endpoint, id.name);
    case 'workspace-resource':
      return `${workspaceArmId(id.workspace)}${id.path.map((s) => `/${canonicalType(s.type)}/${s.name}`).join('')}`;
    case 'registry':
      return registryArmId(id.registry);
    case 'registry-asset':
      return registryAssetArmId(id.registry, id.assetType, id.name, id.version);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

class ArmIdReader {
  private index = 0;

  constructor(
    private readonly id: string,
    private readonly segments: string[],
    private readonly location: ConfigurationLocation,
    private readonly form: () => string,
  ) {}

  get done(): boolean {
    return this.index >= this.segments.length;
  }

  get remaining(): number {
    return this.segments.length - this.index;
  }

  fail(problem: string): never {
    throw new ConfigurationError(`'${this.id}' is not a valid Azure ML ARM id: ${problem}`, {
      ...this.location,
      fix: `Write it as ${this.form()}.`,
    });
  }

  /** Consumes a fixed segment such as `resourceGroups`, accepting any casing. */
  expect(...names: string[]): string {
    const position = this.index + 1;
    const segment = this.segments[this.index];
    const list = names.map((n) => `'${n}'`).join(' or ');
    if (segment === undefined) this.fail(`it ends after segment ${position - 1}; expected ${list} next`);
    const match = names.find((n) => n.toLowerCase() === segment.toLowerCase());
    if (match === undefined) this.fail(`segment ${position} is '${segment}', expected ${list}`);
    this.index += 1;
    return match;
  }

  /** Consumes the value after a fixed segment, checked with the given rule. */
  value(after: string, what: string, check: (value: string) => string | undefined): string {
    const segment = this.segments[this.index];
    if (segment === undefined) this.fail(`the ${what} after '${after}' is missing`);
    const problem = check(segment);
    if (problem) this.fail(`the ${what} '${segment}' (after '${after}') is not valid: ${problem}`);
    this.index += 1;
    return segment;
  }

  peek(): string | undefined {
    return this.segments[this.index];
  }

  rest(): string[] {
    return this.segments.slice(this.index);
  }
}

/**
 * Parses an ARM id of an Azure ML workspace or registry, or of anything inside one. The fixed
 * segments are matched case-insensitively; names are returned as written.
 */
export function parseArmId(id: string, location: ConfigurationLocation = {}): ParsedArmId {
  let form = WORKSPACE_ID_FORM;
  const trimmed = id.trim().replace(/\/$/, '');
  if (!trimmed.startsWith('/')) {
    throw new ConfigurationError(
      `'${id}' is not a valid Azure ML ARM id: it must start with '/subscriptions/'`,
      {
        ...location,
        fix: `Write it as ${WORKSPACE_ID_FORM}.`,
      },
    );
  }
  const segments = trimmed.slice(1).split('/');
  const reader: ArmIdReader = new ArmIdReader(id, segments, location, () => form);
  const empty = segments.indexOf('');
  if (empty !== -1) reader.fail(`segment ${empty + 1} is empty (two slashes in a row)`);

  reader.expect('subscriptions');
  const subscriptionId = reader.value('subscriptions', 'subscription id', checkSubscriptionSegment);
  reader.expect('resourceGroups');
  const resourceGroup = reader.value('resourceGroups', 'resource group', checkResourceGroupName);
  reader.expect('providers');
  const provider = reader.peek();
  if (provider !== undefined && provider.toLowerCase() !== PROVIDER.toLowerCase()) {
    reader.fail(`the provider is '${provider}', not ${PROVIDER}: this is not an Azure ML resource`);
  }
  reader.expect(PROVIDER);
  const parent = reader.expect('workspaces', 'registries');

  if (parent === 'registries') {
    form = REGISTRY_ID_FORM;
    const registry: RegistryRef = {
      subscriptionId,
      resourceGroup,
      registry: reader.value('registries', 'registry name', checkResourceName),
    };
    if (reader.done) return { kind: 'registry', registry };
    const type = reader.peek() ?? '';
    const assetType = canonicalType(type);
    if (!isAssetType(assetType)) {
      reader.fail(`'${type}' is not a registry asset type; expected one of ${ASSET_TYPES.join(', ')}`);
    }
    reader.expect(assetType);
    const { name, version } = readAssetTail(reader, assetType);
    return version === undefined
      ? { kind: 'registry-asset', registry, assetType, name }
      : { kind: 'registry-asset', registry, assetType, name, version };
  }

  const workspace: WorkspaceRef = {
    subscriptionId,
    resourceGroup,
    workspace: reader.value('workspaces', 'workspace name', checkWorkspaceName),
  };
  if (reader.done) return { kind: 'workspace', workspace };

  const type = canonicalType(reader.peek() ?? '');
  if (isAssetType(type)) {
    reader.expect(type);
    const { name, version } = readAssetTail(reader, type);
    return version === undefined
      ? { kind: 'asset', workspace, assetType: type, name }
      : { kind: 'asset', workspace, assetType: type, name, version };
  }

  const path = readSegmentPairs(reader);
  const [first, second] = path;
  if (first && path.length === 1) {
    if (first.type === 'computes') return { kind: 'compute', workspace, name: first.name };
    if (first.type === 'datastores') return { kind: 'datastore', workspace, name: first.name };
    if (first.type === 'jobs') return { kind: 'job', workspace, name: first.name };
    if (first.type === 'onlineEndpoints') return { kind: 'online-endpoint', workspace, name: first.name };
  }
  if (first?.type === 'onlineEndpoints' && second?.type === 'deployments' && path.length === 2) {
    return { kind: 'online-deployment', workspace, endpoint: first.name, name: second.name };
  }
  return { kind: 'workspace-resource', workspace, path };
}

function readAssetTail(reader: ArmIdReader, assetType: AssetType): { name: string; version?: string } {
  const name = reader.value(assetType, 'asset name', checkResourceName);
  if (reader.done) return { name };
  reader.expect('versions');
  const version = reader.value('versions', 'version', checkVersion);
  if (!reader.done) reader.fail(`unexpected '/${reader.rest().join('/')}' after the version`);
  return { name, version };
}

function readSegmentPairs(reader: ArmIdReader): ResourceSegment[] {
  const path: ResourceSegment[] = [];
  while (!reader.done) {
    const rawType = reader.peek() ?? '';
    const type = canonicalType(rawType);
    reader.expect(rawType);
    path.push({ type, name: reader.value(type, 'name', checkResourceName) });
  }
  return path;
}

/** True when `text` looks like an ARM id (so callers can tell it apart from a name). */
export function looksLikeArmId(text: string): boolean {
  return /^\/subscriptions\//i.test(text.trim());
}
