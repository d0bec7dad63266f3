// Stored online endpoints and deployments, and the resources ARM shows for them (shapes of the
// online_services recording: `azureml.onlineendpointid` and `AzureAsyncOperationUri` in the
// property bag, scoring URIs once provisioned, probe and request defaults on deployments).
import type { ArmContext } from '../arm-context';
import { type ApiVersion, isAtLeast, NEWER_CONTRACT } from './api-version';
import type { EndpointKeys } from './online-endpoint-auth';
import type { TrafficMap } from './online-traffic';
import type { SystemData } from './system-data';
import { childId, PROVIDER, stableUuid } from './workspace-identity';

type Json = Record<string, unknown>;

export const ENDPOINTS_COLLECTION = 'arm.onlineEndpoints';
export const DEPLOYMENTS_COLLECTION = 'arm.onlineEndpoints.deployments';

export type ProvisioningState = 'Creating' | 'Updating' | 'Deleting' | 'Scaling' | 'Succeeded' | 'Failed';

export const BUSY_STATES: readonly ProvisioningState[] = ['Creating', 'Updating', 'Deleting', 'Scaling'];

/** A change that completes after a status poll or a short while, the way endpoint operations do. */
export interface TimedChange {
  operation: string;
  action: 'create' | 'update' | 'delete';
  /** Properties, tags and identity the endpoint takes when the change completes. */
  next?: Pick<EndpointRecord, 'properties' | 'tags' | 'identity' | 'sku'>;
  /** Keys the endpoint takes when the change completes (regenerateKeys). */
  keys?: EndpointKeys;
  pollsLeft: number;
  startedAtInMs: number;
}

export interface EndpointRecord {
  name: string;
  location: string;
  kind: string;
  tags: Record<string, string>;
  identity: Json;
  sku?: Json;
  /** Validated OnlineEndpointProperties as last applied (without keys). */
  properties: Json;
  provisioningState: ProvisioningState;
  keys: EndpointKeys;
  asyncOperationUri?: string;
  /** True once the first create finished (scoring URIs are shown from then on). */
  provisioned: boolean;
  pending?: TimedChange;
  systemData: SystemData;
}

export interface DeploymentRecord {
  endpoint: string;
  name: string;
  location: string;
  kind: string;
  tags: Record<string, string>;
  identity?: Json;
  sku: Json;
  properties: Json;
  provisioningState: ProvisioningState;
  /** The operation that last changed the deployment. */
  operation: string;
  asyncOperationUri?: string;
  failure?: { code: string; message: string };
  /** Scaling (PATCH) completes like endpoint changes do. */
  timed?: { pollsLeft: number; startedAtInMs: number };
  systemData: SystemData;
}

export const deploymentKey = (endpoint: string, deployment: string) => `${endpoint}/${deployment}`;

export class OnlineStore {
  constructor(private readonly ctx: ArmContext) {}

  endpoint(name: string): EndpointRecord | undefined {
    return this.ctx.store.get<EndpointRecord>(ENDPOINTS_COLLECTION, name);
  }

  endpoints(): EndpointRecord[] {
    return this.ctx.store.list<EndpointRecord>(ENDPOINTS_COLLECTION);
  }

  putEndpoint(record: EndpointRecord): EndpointRecord {
    return this.ctx.store.put(ENDPOINTS_COLLECTION, record.name, record);
  }

  deleteEndpoint(name: string): void {
    for (const deployment of this.deployments(name)) this.deleteDeployment(name, deployment.name);
    this.ctx.store.delete(ENDPOINTS_COLLECTION, name);
  }

  deployment(endpoint: string, name: string): DeploymentRecord | undefined {
    return this.ctx.store.get<DeploymentRecord>(DEPLOYMENTS_COLLECTION, deploymentKey(endpoint, name));
  }

  deployments(endpoint: string): DeploymentRecord[] {
    return this.ctx.store.list<DeploymentRecord>(DEPLOYMENTS_COLLECTION, `${endpoint}/`);
  }

  putDeployment(record: DeploymentRecord): DeploymentRecord {
    return this.ctx.store.put(DEPLOYMENTS_COLLECTION, deploymentKey(record.endpoint, record.name), record);
  }

  deleteDeployment(endpoint: string, name: string): void {
    this.ctx.store.delete(DEPLOYMENTS_COLLECTION, deploymentKey(endpoint, name));
  }

  /** Why a write to the endpoint must wait, if an operation on it or one of its deployments runs. */
  busyReason(endpoint: string): string | undefined {
    const record = this.endpoint(endpoint);
    if (record && BUSY_STATES.includes(record.provisioningState)) {
      return `endpoint '${record.name}' is ${record.provisioningState}`;
    }
    const deployment = this.deployments(endpoint).find((item) =>
      BUSY_STATES.includes(item.provisioningState),
    );
    return deployment ? `deployment '${deployment.name}' is ${deployment.provisioningState}` : undefined;
  }
}

export const endpointTraffic = (record: EndpointRecord): TrafficMap =>
  (record.properties.traffic as TrafficMap | undefined) ?? {};

export const endpointMirrorTraffic = (record: EndpointRecord): TrafficMap =>
  (record.properties.mirrorTraffic as TrafficMap | undefined) ?? {};

export const endpointId = (ctx: ArmContext, name: string) => childId(ctx, 'onlineEndpoints', name);

export const deploymentId = (ctx: ArmContext, endpoint: string, name: string) =>
  childId(ctx, 'onlineEndpoints', endpoint, 'deployments', name);

/** `<emulator>/inference/<endpoint>`: the endpoint's front door on the emulator. */
export const inferenceBaseUrl = (ctx: Pick<ArmContext, 'baseUrl'>, endpoint: string) =>
  `${ctx.baseUrl}/inference/${encodeURIComponent(endpoint)}`;

export function identityResource(ctx: ArmContext, identity: Json, owner: string): Json {
  const type = String(identity.type ?? 'SystemAssigned');
  const shown: Json = { type };
  if (type.includes('SystemAssigned')) {
    shown.principalId = stableUuid('online-endpoint-identity', ctx.subscriptionId, ctx.workspace, owner);
    shown.tenantId = ctx.tenantId;
  }
  if (identity.userAssignedIdentities) shown.userAssignedIdentities = identity.userAssignedIdentities;
  return shown;
}

export function endpointResource(ctx: ArmContext, record: EndpointRecord, apiVersion: ApiVersion): Json {
  const id = endpointId(ctx, record.name);
  const { keys: _keys, ...settable } = record.properties;
  const base = inferenceBaseUrl(ctx, record.name);
  const bag: Json = {
    ...((settable.properties as Json | undefined) ?? {}),
    'azureml.onlineendpointid': id.toLowerCase(),
  };
  if (record.asyncOperationUri) bag.AzureAsyncOperationUri = record.asyncOperationUri;
  const properties: Json = {
    description: null,
    compute: null,
    publicNetworkAccess: 'Enabled',
    ...settable,
    properties: bag,
    scoringUri: record.provisioned ? `${base}/score` : null,
    swaggerUri: record.provisioned ? `${base}/swagger.json` : null,
    provisioningState: record.provisioningState,
    traffic: settable.traffic ?? {},
    mirrorTraffic: settable.mirrorTraffic ?? {},
  };
  if (!isAtLeast(apiVersion, NEWER_CONTRACT)) delete properties.mirrorTraffic;
  const resource: Json = {
    id,
    name: record.name,
    type: `${PROVIDER}/workspaces/onlineEndpoints`,
    properties,
    systemData: record.systemData,
    tags: record.tags,
    location: record.location,
    kind: record.kind,
    identity: identityResource(ctx, record.identity, record.name),
  };
  if (record.sku) resource.sku = record.sku;
  return resource;
}

export const DEFAULT_PROBE = {
  failureThreshold: 30,
  successThreshold: 1,
  timeout: 'PT2S',
  period: 'PT10S',
  initialDelay: 'PT10S',
};

export const DEFAULT_REQUEST_SETTINGS = {
  maxQueueWait: 'PT0S',
  requestTimeout: 'PT5S',
  maxConcurrentRequestsPerInstance: 1,
};

const NEWER_DEPLOYMENT_FIELDS = ['dataCollector', 'startupProbe'];

export function deploymentResource(ctx: ArmContext, record: DeploymentRecord, apiVersion: ApiVersion): Json {
  const given = record.properties;
  const managed = given.endpointComputeType !== 'Kubernetes';
  const bag: Json = { ...((given.properties as Json | undefined) ?? {}) };
  if (record.asyncOperationUri) bag.AzureAsyncOperationUri = record.asyncOperationUri;
  const properties: Json = {
    description: null,
    environmentVariables: {},
    modelMountPath: null,
    appInsightsEnabled: false,
    egressPublicNetworkAccess: 'Enabled',
    ...given,
    properties: bag,
    scaleSettings: given.scaleSettings ?? { scaleType: managed ? 'Default' : 'TargetUtilization' },
    requestSettings: { ...DEFAULT_REQUEST_SETTINGS, ...((given.requestSettings as Json | undefined) ?? {}) },
    livenessProbe: { ...DEFAULT_PROBE, ...((given.livenessProbe as Json | undefined) ?? {}) },
    readinessProbe: { ...DEFAULT_PROBE, ...((given.readinessProbe as Json | undefined) ?? {}) },
    provisioningState: record.provisioningState,
  };
  if (!isAtLeast(apiVersion, NEWER_CONTRACT))
    for (const field of NEWER_DEPLOYMENT_FIELDS) delete properties[field];
  const resource: Json = {
    id: deploymentId(ctx, record.endpoint, record.name),
    name: record.name,
    type: `${PROVIDER}/workspaces/onlineEndpoints/deployments`,
    properties,
    systemData: record.systemData,
    tags: record.tags,
    location: record.location,
    kind: record.kind,
    sku: record.sku,
  };
  if (record.identity)
    resource.identity = identityResource(ctx, record.identity, `${record.endpoint}/${record.name}`);
  return resource;
}
