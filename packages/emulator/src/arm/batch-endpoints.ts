// workspaces/batchEndpoints and their deployments: the ARM surface only, no batch scoring runs.
// PUTs are long-running (201 + Azure-AsyncOperation, as the online endpoints were recorded),
// PATCH and DELETE answer 202 + Location; one operation at a time per endpoint (its deployments
// included), another write meanwhile gets 409 Conflict. Deleting an endpoint deletes its deployments.
import type { ArmContext } from '../arm-context';
import { armError, notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { type ApiVersion, isAtLeast, NEWER_CONTRACT } from './api-version';
import { AssetStore, SINGULAR } from './assets';
import { type ComputeRecord, computeByArmId } from './computes';
import { listResponse, readOrderBy } from './list-query';
import { checkResourceName } from './names';
import type { OperationRecord } from './operations';
import { pageOf, readPaging } from './paging';
import { registryAssetScope } from './registry-identity';
import { readValidatedBody } from './request-body';
import { invalidQuery, noContent, ok, userError, validationError } from './responses';
import type { RouteContext } from './route-context';
import type { AssetKind } from './schema/assets';
import {
  batchDeploymentBody,
  batchDeploymentPatchBody,
  batchEndpointBody,
  batchEndpointPatchBody,
} from './schema/batch-endpoints';
import type { Violation } from './schema/validate';
import { type ArmCall, type ArmHandler, WORKSPACE_PATH, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData, type SystemData } from './system-data';
import { armUrl, childId, PROVIDER, stableUuid } from './workspace-identity';

export const BATCH_ENDPOINTS_COLLECTION = 'arm.batchEndpoints';
export const BATCH_DEPLOYMENTS_COLLECTION = 'arm.batchEndpoints.deployments';
const PENDING_COLLECTION = 'arm.batchEndpoints.pending-operations';
const OPERATION_KIND = 'batch-endpoint';
/** Status polls an operation answers InProgress before it succeeds. */
const IN_PROGRESS_POLLS = 1;
/** A client that never polls still sees the operation finish after this long. */
const OPERATION_DURATION_IN_MS = 2000;
/** Compute types a batch deployment can run on. */
const BATCH_COMPUTE_TYPES = ['AmlCompute', 'Kubernetes'];

type Json = Record<string, unknown>;
export type BatchProvisioningState = 'Creating' | 'Updating' | 'Deleting' | 'Succeeded';

/** What an endpoint and a deployment share: the tracked-resource envelope. */
interface TrackedRecord {
  name: string;
  location: string;
  tags: Record<string, string>;
  kind?: string;
  identity?: Json;
  sku?: Json;
  /** Validated request `properties` (write-only `keys` dropped). */
  properties: Json;
  provisioningState: BatchProvisioningState;
  systemData: SystemData;
}

export type BatchEndpointRecord = TrackedRecord;

export interface BatchDeploymentRecord extends TrackedRecord {
  /** Endpoint name as created. */
  endpoint: string;
}

interface PendingOperation {
  operation: string;
  endpoint: string;
  /** Absent when the operation acts on the endpoint itself. */
  deployment?: string;
  action: 'create' | 'update' | 'delete';
  pollsLeft: number;
  /** ctx.now() at the request, in ms. */
  startedAtInMs: number;
}

/** What the service fills in for a deployment property the request leaves out (from the spec's defaults). */
const DEPLOYMENT_DEFAULTS: Json = {
  description: null,
  properties: {},
  codeConfiguration: null,
  environmentId: null,
  environmentVariables: {},
  compute: null,
  errorThreshold: -1,
  loggingLevel: 'Info',
  maxConcurrencyPerInstance: 1,
  miniBatchSize: 10,
  model: null,
  outputAction: 'AppendRow',
  outputFileName: 'predictions.csv',
};
const RETRY_DEFAULTS: Json = { maxRetries: 3, timeout: 'PT30S' };
const RESOURCE_DEFAULTS: Json = { instanceCount: 1, instanceType: null, properties: {} };

const deploymentKey = (endpoint: string, deployment: string) => `${endpoint}/${deployment}`;

/** The identity as ARM answers it: the principal ids it assigned, stable for the resource. */
function identityView(ctx: ArmContext, resourceId: string, identity: Json | undefined): Json | undefined {
  if (!identity) return undefined;
  const type = String(identity.type);
  const view: Json = { type };
  if (type.includes('SystemAssigned')) {
    view.principalId = stableUuid('batch-identity', resourceId);
    view.tenantId = ctx.tenantId;
  }
  const assigned = identity.userAssignedIdentities as Json | undefined;
  if (assigned && type.includes('UserAssigned')) {
    view.userAssignedIdentities = Object.fromEntries(
      Object.keys(assigned).map((id) => [
        id,
        { principalId: stableUuid('uai-principal', id), clientId: stableUuid('uai-client', id) },
      ]),
    );
  }
  return view;
}

function envelope(ctx: ArmContext, id: string, type: string, record: TrackedRecord, properties: Json): Json {
  const resource: Json = { id, name: record.name, type, properties, systemData: record.systemData };
  resource.tags = record.tags;
  resource.location = record.location;
  if (record.kind !== undefined) resource.kind = record.kind;
  const identity = identityView(ctx, id, record.identity);
  if (identity) resource.identity = identity;
  if (record.sku) resource.sku = record.sku;
  return resource;
}

export const batchEndpointId = (ctx: ArmContext, name: string) => childId(ctx, 'batchEndpoints', name);

/** Where batch jobs of the endpoint are submitted (the service's `https://<endpoint>.<region>.inference.ml.azure.com/jobs`). */
export const batchScoringUri = (ctx: Pick<ArmContext, 'baseUrl'>, endpoint: string) =>
  `${ctx.baseUrl}/batch/${encodeURIComponent(endpoint)}/jobs`;

export function batchEndpointResource(ctx: ArmContext, record: BatchEndpointRecord): Json {
  const given = record.properties;
  const defaults = (given.defaults as Json | undefined) ?? {};
  const properties: Json = {
    description: null,
    properties: {},
    ...given,
    scoringUri: batchScoringUri(ctx, record.name),
    swaggerUri: null,
    defaults: { deploymentName: null, ...defaults },
    provisioningState: record.provisioningState,
  };
  return envelope(
    ctx,
    batchEndpointId(ctx, record.name),
    `${PROVIDER}/workspaces/batchEndpoints`,
    record,
    properties,
  );
}

export function batchDeploymentResource(
  ctx: ArmContext,
  record: BatchDeploymentRecord,
  apiVersion: ApiVersion,
): Json {
  const given = { ...record.properties };
  if (!isAtLeast(apiVersion, NEWER_CONTRACT)) delete given.deploymentConfiguration;
  const properties: Json = {
    ...DEPLOYMENT_DEFAULTS,
    ...given,
    retrySettings: { ...RETRY_DEFAULTS, ...(given.retrySettings as Json | undefined) },
    resources: { ...RESOURCE_DEFAULTS, ...(given.resources as Json | undefined) },
    provisioningState: record.provisioningState,
  };
  return envelope(
    ctx,
    `${batchEndpointId(ctx, record.endpoint)}/deployments/${record.name}`,
    `${PROVIDER}/workspaces/batchEndpoints/deployments`,
    record,
    properties,
  );
}

/** An asset version a deployment names: a workspace ARM id, or a registry ARM id / azureml:// id. */
interface AssetReference {
  registry?: string;
  kind: AssetKind;
  name: string;
  version: string;
}

const KINDS = '(codes|components|data|environments|models)';
const WORKSPACE_ASSET_ID = new RegExp(
  `^(?:azureml:)?/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.MachineLearningServices/workspaces/([^/]+)/${KINDS}/([^/]+)/versions/([^/]+)$`,
  'i',
);
const REGISTRY_ASSET_ARM_ID = new RegExp(
  `^(?:azureml:)?/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.MachineLearningServices/registries/([^/]+)/${KINDS}/([^/]+)/versions/([^/]+)$`,
  'i',
);
const REGISTRY_ASSET_URI = new RegExp(
  `^azureml://registries/([^/]+)/${KINDS}/([^/]+)/versions/([^/]+)$`,
  'i',
);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

type Lookup = { ok: true } | { ok: false; message: string };

function parseAssetReference(ctx: ArmContext, id: string): AssetReference | 'elsewhere' | undefined {
  const workspace = WORKSPACE_ASSET_ID.exec(id);
  if (workspace) {
    const [, subscription = '', group = '', ws = '', kind = '', name = '', version = ''] = workspace;
    const ours =
      same(subscription, ctx.subscriptionId) && same(group, ctx.resourceGroup) && same(ws, ctx.workspace);
    return ours ? { kind: kind.toLowerCase() as AssetKind, name, version } : 'elsewhere';
  }
  const registryArm = REGISTRY_ASSET_ARM_ID.exec(id);
  if (registryArm) {
    const [, subscription = '', group = '', registry = '', kind = '', name = '', version = ''] = registryArm;
    const ours = same(subscription, ctx.subscriptionId) && same(group, ctx.resourceGroup);
    return ours ? { registry, kind: kind.toLowerCase() as AssetKind, name, version } : 'elsewhere';
  }
  const registryUri = REGISTRY_ASSET_URI.exec(id);
  if (registryUri) {
    const [, registry = '', kind = '', name = '', version = ''] = registryUri;
    return { registry, kind: kind.toLowerCase() as AssetKind, name, version };
  }
  return undefined;
}

/** Whether `id` names an existing version of `kind` in the workspace or the emulator's registry. */
function findAssetVersion(ctx: ArmContext, kind: AssetKind, id: string): Lookup {
  const singular = SINGULAR[kind];
  const reference = parseAssetReference(ctx, id);
  if (reference === undefined || (reference !== 'elsewhere' && reference.kind !== kind)) {
    return {
      ok: false,
      message: `'${id}' is not a ${singular} version id: use the ARM id ${childId(ctx, kind, '<name>', 'versions', '<version>')} or azureml://registries/<registry>/${kind}/<name>/versions/<version>.`,
    };
  }
  if (reference === 'elsewhere') {
    return {
      ok: false,
      message: `'${id}' is outside this subscription and resource group: the ${singular} must live in workspace '${ctx.workspace}' or registry '${ctx.registry.name}'.`,
    };
  }
  const { registry, name, version } = reference;
  if (registry !== undefined && !same(registry, ctx.registry.name)) {
    return {
      ok: false,
      message: `Registry '${registry}' does not exist (the emulator has '${ctx.registry.name}').`,
    };
  }
  const scope = registry === undefined ? undefined : registryAssetScope(ctx);
  if (new AssetStore(ctx, kind, scope).version(name, version)) return { ok: true };
  const where = registry === undefined ? `workspace '${ctx.workspace}'` : `registry '${ctx.registry.name}'`;
  return { ok: false, message: `${singular} version '${name}:${version}' does not exist in ${where}.` };
}

function findCompute(ctx: ArmContext, compute: string): Lookup & { record?: ComputeRecord } {
  const armId = compute.replace(/^azureml:(?=\/)/i, '');
  if (
    !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/workspaces\/[^/]+\/computes\/[^/]+$/i.test(
      armId,
    )
  ) {
    return {
      ok: false,
      message: `'${compute}' is not a compute ARM id: use ${childId(ctx, 'computes', '<name>')}.`,
    };
  }
  const record = computeByArmId(ctx, armId);
  if (!record) {
    return {
      ok: false,
      message: `Compute '${armId.split('/').at(-1)}' does not exist in workspace '${ctx.workspace}'.`,
    };
  }
  const type = record.properties.computeType;
  if (!BATCH_COMPUTE_TYPES.includes(type)) {
    return {
      ok: false,
      message: `Compute '${record.name}' is a ${type}; batch deployments run on ${BATCH_COMPUTE_TYPES.join(' or ')} compute.`,
    };
  }
  return { ok: true, record };
}

/** Rules the service applies to a deployment body beyond its schema: what it names must exist. */
function deploymentViolations(ctx: ArmContext, properties: Json): Violation[] {
  const violations: Violation[] = [];
  const check = (path: string, lookup: Lookup) => {
    if (!lookup.ok) violations.push({ path, message: lookup.message });
  };
  const configuration = properties.deploymentConfiguration as Json | undefined;
  const model = properties.model as Json | undefined;
  if (!configuration) {
    if (!model) {
      violations.push({
        path: 'properties.model',
        message: 'is required: a model batch deployment names the model version it scores with.',
      });
    } else if (model.referenceType !== 'Id') {
      violations.push({
        path: 'properties.model.referenceType',
        message: `'${String(model.referenceType)}' is not supported for batch deployments; reference a registered model version with referenceType 'Id'.`,
      });
    } else {
      check('properties.model.assetId', findAssetVersion(ctx, 'models', String(model.assetId)));
    }
    if (typeof properties.compute !== 'string') {
      violations.push({
        path: 'properties.compute',
        message: `is required: the ARM id of the compute cluster that runs the batch jobs, e.g. ${childId(ctx, 'computes', 'cpu-cluster')}.`,
      });
    }
  }
  if (typeof properties.compute === 'string')
    check('properties.compute', findCompute(ctx, properties.compute));
  const codeId = (properties.codeConfiguration as Json | undefined)?.codeId;
  if (typeof codeId === 'string')
    check('properties.codeConfiguration.codeId', findAssetVersion(ctx, 'codes', codeId));
  if (typeof properties.environmentId === 'string') {
    check('properties.environmentId', findAssetVersion(ctx, 'environments', properties.environmentId));
  }
  const componentId = (configuration?.componentId as Json | undefined)?.assetId;
  if (typeof componentId === 'string') {
    check(
      'properties.deploymentConfiguration.componentId.assetId',
      findAssetVersion(ctx, 'components', componentId),
    );
  }
  return violations;
}

const withoutKeys = (properties: Json): Json => {
  const { keys: _writeOnly, ...rest } = properties;
  return rest;
};

export function batchEndpointRoutes(routeContext: RouteContext): Route[] {
  const { ctx, operations } = routeContext;
  const base = `${WORKSPACE_PATH}/batchEndpoints`;
  const endpointPath = `${base}/{endpointName}`;
  const deploymentsPath = `${endpointPath}/deployments`;

  const findEndpoint = (name: string) => ctx.store.get<BatchEndpointRecord>(BATCH_ENDPOINTS_COLLECTION, name);
  const findDeployment = (endpoint: string, name: string) =>
    ctx.store.get<BatchDeploymentRecord>(BATCH_DEPLOYMENTS_COLLECTION, deploymentKey(endpoint, name));
  const deploymentsOf = (endpoint: string) =>
    ctx.store.list<BatchDeploymentRecord>(BATCH_DEPLOYMENTS_COLLECTION, `${endpoint}/`);
  const putEndpoint = (record: BatchEndpointRecord) =>
    ctx.store.put(BATCH_ENDPOINTS_COLLECTION, record.name, record);
  const putDeployment = (record: BatchDeploymentRecord) =>
    ctx.store.put(BATCH_DEPLOYMENTS_COLLECTION, deploymentKey(record.endpoint, record.name), record);

  /** Applies a finished operation to the records it acts on. */
  const finish = (pending: PendingOperation): void => {
    ctx.store.delete(PENDING_COLLECTION, pending.endpoint);
    if (pending.deployment !== undefined) {
      const record = findDeployment(pending.endpoint, pending.deployment);
      if (!record) return;
      if (pending.action === 'delete')
        ctx.store.delete(BATCH_DEPLOYMENTS_COLLECTION, deploymentKey(pending.endpoint, pending.deployment));
      else putDeployment({ ...record, provisioningState: 'Succeeded' });
      return;
    }
    const record = findEndpoint(pending.endpoint);
    if (!record) return;
    if (pending.action === 'delete') {
      for (const deployment of deploymentsOf(pending.endpoint)) {
        ctx.store.delete(BATCH_DEPLOYMENTS_COLLECTION, deploymentKey(pending.endpoint, deployment.name));
      }
      ctx.store.delete(BATCH_ENDPOINTS_COLLECTION, pending.endpoint);
    } else putEndpoint({ ...record, provisioningState: 'Succeeded' });
  };

  operations.resolveWith(OPERATION_KIND, (operation: OperationRecord) => {
    const pending = ctx.store.get<PendingOperation>(PENDING_COLLECTION, operation.target);
    if (!pending || pending.operation !== operation.name) return { status: 'Succeeded' };
    const elapsed = ctx.now().getTime() - pending.startedAtInMs;
    if (pending.pollsLeft > 0 && elapsed < OPERATION_DURATION_IN_MS) {
      ctx.store.put(PENDING_COLLECTION, pending.endpoint, { ...pending, pollsLeft: pending.pollsLeft - 1 });
      return { status: 'InProgress' };
    }
    finish(pending);
    return { status: 'Succeeded' };
  });

  /**
   * Lets the endpoint's running operation finish by time before it is read or written (reads
   * must not count as the client's status polls). Returns the operation still running, if any.
   */
  const settle = (endpoint: string): PendingOperation | undefined => {
    const pending = ctx.store.get<PendingOperation>(PENDING_COLLECTION, endpoint);
    if (!pending) return undefined;
    if (ctx.now().getTime() - pending.startedAtInMs >= OPERATION_DURATION_IN_MS) {
      operations.refresh(pending.operation);
    }
    return ctx.store.get<PendingOperation>(PENDING_COLLECTION, endpoint);
  };

  const conflict = (endpoint: string, pending: PendingOperation): EmulatorResponse => {
    const target =
      pending.deployment === undefined
        ? `batch endpoint '${endpoint}'`
        : `batch deployment '${pending.deployment}' of batch endpoint '${endpoint}'`;
    const doing = { create: 'created', update: 'updated', delete: 'deleted' }[pending.action];
    return armError(
      409,
      'Conflict',
      `The ${target} is still being ${doing} by an earlier request (operation '${pending.operation}'); wait for that operation to finish, then retry.`,
    );
  };

  const start = (pending: Pick<PendingOperation, 'endpoint' | 'deployment' | 'action'>): OperationRecord => {
    const prefix = pending.deployment === undefined ? 'be' : 'bd';
    const operation = operations.start(OPERATION_KIND, pending.endpoint, { prefix });
    ctx.store.put<PendingOperation>(PENDING_COLLECTION, pending.endpoint, {
      ...pending,
      operation: operation.name,
      pollsLeft: IN_PROGRESS_POLLS,
      startedAtInMs: ctx.now().getTime(),
    });
    return operation;
  };

  /** 201 of a long-running PUT: poll Azure-AsyncOperation, then read the resource (Location). */
  const created = (operation: OperationRecord, call: ArmCall, body: Json): EmulatorResponse => ({
    status: 201,
    headers: {
      'azure-asyncoperation': operations.statusUrl(operation, call.apiVersion),
      location: armUrl(ctx, body.id as string, call.apiVersion),
      'x-ms-async-operation-timeout': 'PT1H',
    },
    body,
  });

  /** 202 of PATCH and DELETE: Location (+ Retry-After), and the status URL as the service also sends. */
  const accepted = (operation: OperationRecord, call: ArmCall, body?: Json): EmulatorResponse => ({
    status: 202,
    headers: {
      ...operations.acceptedHeaders(operation, call.apiVersion),
      'azure-asyncoperation': operations.statusUrl(operation, call.apiVersion),
    },
    body,
  });

  const envelopeOf = (body: Json, existing: TrackedRecord | undefined) => ({
    location: String(body.location),
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    ...(body.kind !== undefined ? { kind: body.kind as string } : {}),
    ...(body.identity !== undefined ? { identity: body.identity as Json } : {}),
    ...(body.sku !== undefined ? { sku: body.sku as Json } : {}),
    provisioningState: (existing ? 'Updating' : 'Creating') as BatchProvisioningState,
  });

  const systemDataFor = (call: ArmCall, existing: TrackedRecord | undefined): SystemData => {
    const actor = actorOf(call.request);
    return existing
      ? modifiedSystemData(existing.systemData, actor, ctx.now())
      : createdSystemData(actor, ctx.now());
  };

  // --- endpoints

  const listEndpoints = (call: ArmCall): EmulatorResponse => {
    const paging = readPaging(call, routeContext.pageSize, 'count');
    if (!paging.ok) return paging.response;
    const records = ctx.store.list<BatchEndpointRecord>(BATCH_ENDPOINTS_COLLECTION);
    for (const record of records) settle(record.name);
    const items = ctx.store
      .list<BatchEndpointRecord>(BATCH_ENDPOINTS_COLLECTION)
      .map((record) => batchEndpointResource(ctx, record));
    return ok(pageOf(ctx, call, items, paging));
  };

  const getEndpoint = ({ params }: ArmCall): EmulatorResponse => {
    const name = params.endpointName ?? '';
    settle(name);
    const record = findEndpoint(name);
    return record ? ok(batchEndpointResource(ctx, record)) : notFound('batch endpoint', name);
  };

  const putEndpointRoute = (call: ArmCall): EmulatorResponse => {
    const name = call.params.endpointName ?? '';
    const parsed = readValidatedBody(call.request, batchEndpointBody, call.apiVersion, [
      checkResourceName(name, 'The batch endpoint'),
    ]);
    if (!parsed.ok) return parsed.response;
    const running = settle(name);
    if (running) return conflict(name, running);
    const body = parsed.body;
    const properties = withoutKeys(body.properties as Json);
    const existing = findEndpoint(name);
    const violations: Violation[] = [];
    if (properties.authMode !== 'AADToken') {
      violations.push({
        path: 'properties.authMode',
        message: `AuthMode must be 'AADToken': batch endpoints are invoked with Microsoft Entra tokens, not '${String(properties.authMode)}'.`,
      });
    }
    const defaultDeployment = (properties.defaults as Json | undefined)?.deploymentName;
    if (typeof defaultDeployment === 'string' && !findDeployment(name, defaultDeployment)) {
      const known = existing ? deploymentsOf(name).map((d) => d.name) : [];
      violations.push({
        path: 'properties.defaults.deploymentName',
        message: `Deployment '${defaultDeployment}' does not exist in batch endpoint '${name}'${known.length > 0 ? ` (its deployments: ${known.join(', ')})` : ''}; create the deployment first, then make it the default.`,
      });
    }
    if (violations.length > 0) return validationError(violations);
    const record: BatchEndpointRecord = {
      name: existing?.name ?? name,
      ...envelopeOf(body, existing),
      properties,
      systemData: systemDataFor(call, existing),
    };
    putEndpoint(record);
    const operation = start({ endpoint: record.name, action: existing ? 'update' : 'create' });
    return created(operation, call, batchEndpointResource(ctx, record));
  };

  const patchEndpoint = (call: ArmCall): EmulatorResponse => {
    const name = call.params.endpointName ?? '';
    const parsed = readValidatedBody(call.request, batchEndpointPatchBody, call.apiVersion);
    if (!parsed.ok) return parsed.response;
    const running = settle(name);
    const existing = findEndpoint(name);
    if (!existing) return notFound('batch endpoint', name);
    if (running) return conflict(name, running);
    const patch = parsed.body;
    const record: BatchEndpointRecord = {
      ...existing,
      provisioningState: 'Updating',
      systemData: systemDataFor(call, existing),
    };
    if (patch.tags !== undefined) record.tags = patch.tags as Record<string, string>;
    if (patch.identity !== undefined) record.identity = { ...existing.identity, ...(patch.identity as Json) };
    putEndpoint(record);
    const operation = start({ endpoint: record.name, action: 'update' });
    return accepted(operation, call, batchEndpointResource(ctx, record));
  };

  const deleteEndpoint = (call: ArmCall): EmulatorResponse => {
    const name = call.params.endpointName ?? '';
    const running = settle(name);
    const existing = findEndpoint(name);
    if (!existing) return noContent();
    if (running) return conflict(name, running);
    putEndpoint({ ...existing, provisioningState: 'Deleting' });
    for (const deployment of deploymentsOf(existing.name))
      putDeployment({ ...deployment, provisioningState: 'Deleting' });
    return accepted(start({ endpoint: existing.name, action: 'delete' }), call);
  };

  /** Batch endpoints only take Microsoft Entra tokens (AuthMode must be AADToken), so they have no keys. */
  const listKeys = ({ params }: ArmCall): EmulatorResponse => {
    const name = params.endpointName ?? '';
    settle(name);
    const record = findEndpoint(name);
    if (!record) return notFound('batch endpoint', name);
    return userError(
      `Batch endpoint '${record.name}' uses authMode '${String(record.properties.authMode)}', which has no keys: invoke it with a Microsoft Entra token for https://ml.azure.com.`,
    );
  };

  // --- deployments

  /** The endpoint a deployment route names, settled, or the 404 for it. */
  const parentEndpoint = (
    call: ArmCall,
  ): { endpoint: BatchEndpointRecord; running?: PendingOperation } | { response: EmulatorResponse } => {
    const name = call.params.endpointName ?? '';
    const running = settle(name);
    const endpoint = findEndpoint(name);
    if (!endpoint) return { response: notFound('batch endpoint', name) };
    return { endpoint, running };
  };

  const listDeployments = (call: ArmCall): EmulatorResponse => {
    const parent = parentEndpoint(call);
    if ('response' in parent) return parent.response;
    const order = readOrderBy(call, { field: 'createdtime', descending: false });
    if (!order.ok) return order.response;
    if (order.value.field !== 'createdtime') {
      return invalidQuery(
        '$orderBy',
        `'${order.value.field}' is not supported for deployments; use 'createdtime'.`,
      );
    }
    const records = deploymentsOf(parent.endpoint.name);
    if (order.value.descending) records.reverse();
    const items = records.map((record) => batchDeploymentResource(ctx, record, call.apiVersion));
    return listResponse(routeContext, call, items);
  };

  const getDeployment = (call: ArmCall): EmulatorResponse => {
    const parent = parentEndpoint(call);
    if ('response' in parent) return parent.response;
    const name = call.params.deploymentName ?? '';
    const record = findDeployment(parent.endpoint.name, name);
    return record
      ? ok(batchDeploymentResource(ctx, record, call.apiVersion))
      : notFound('batch deployment', name);
  };

  const putDeploymentRoute = (call: ArmCall): EmulatorResponse => {
    const name = call.params.deploymentName ?? '';
    const parsed = readValidatedBody(call.request, batchDeploymentBody, call.apiVersion, [
      checkResourceName(name, 'The batch deployment'),
    ]);
    if (!parsed.ok) return parsed.response;
    const parent = parentEndpoint(call);
    if ('response' in parent) return parent.response;
    const { endpoint, running } = parent;
    if (running) return conflict(endpoint.name, running);
    const body = parsed.body;
    const properties = body.properties as Json;
    const violations = deploymentViolations(ctx, properties);
    if (violations.length > 0) return validationError(violations);
    const existing = findDeployment(endpoint.name, name);
    const record: BatchDeploymentRecord = {
      endpoint: endpoint.name,
      name: existing?.name ?? name,
      ...envelopeOf(body, existing),
      properties,
      systemData: systemDataFor(call, existing),
    };
    putDeployment(record);
    const operation = start({
      endpoint: endpoint.name,
      deployment: record.name,
      action: existing ? 'update' : 'create',
    });
    return created(operation, call, batchDeploymentResource(ctx, record, call.apiVersion));
  };

  const patchDeployment = (call: ArmCall): EmulatorResponse => {
    const parsed = readValidatedBody(call.request, batchDeploymentPatchBody, call.apiVersion);
    if (!parsed.ok) return parsed.response;
    const parent = parentEndpoint(call);
    if ('response' in parent) return parent.response;
    const { endpoint, running } = parent;
    const name = call.params.deploymentName ?? '';
    const existing = findDeployment(endpoint.name, name);
    if (!existing) return notFound('batch deployment', name);
    if (running) return conflict(endpoint.name, running);
    const patch = parsed.body;
    const record: BatchDeploymentRecord = {
      ...existing,
      provisioningState: 'Updating',
      systemData: systemDataFor(call, existing),
    };
    if (patch.tags !== undefined) record.tags = patch.tags as Record<string, string>;
    const description = (patch.properties as Json | undefined)?.description;
    if (description !== undefined) record.properties = { ...existing.properties, description };
    putDeployment(record);
    const operation = start({ endpoint: endpoint.name, deployment: record.name, action: 'update' });
    return accepted(operation, call, batchDeploymentResource(ctx, record, call.apiVersion));
  };

  const deleteDeployment = (call: ArmCall): EmulatorResponse => {
    const parent = parentEndpoint(call);
    if ('response' in parent) return parent.response;
    const { endpoint, running } = parent;
    const name = call.params.deploymentName ?? '';
    const existing = findDeployment(endpoint.name, name);
    if (!existing) return noContent();
    if (running) return conflict(endpoint.name, running);
    const defaultDeployment = (endpoint.properties.defaults as Json | undefined)?.deploymentName;
    if (typeof defaultDeployment === 'string' && same(defaultDeployment, existing.name)) {
      return userError(
        `Deployment '${existing.name}' is the default deployment of batch endpoint '${endpoint.name}' and cannot be deleted; set properties.defaults.deploymentName to another deployment first.`,
      );
    }
    putDeployment({ ...existing, provisioningState: 'Deleting' });
    return accepted(start({ endpoint: endpoint.name, deployment: existing.name, action: 'delete' }), call);
  };

  const scoped = (handler: ArmHandler) => workspaceScoped(ctx, handler);
  const deploymentPath = `${deploymentsPath}/{deploymentName}`;
  return [
    { method: 'GET', pattern: base, handler: scoped(listEndpoints) },
    { method: 'GET', pattern: endpointPath, handler: scoped(getEndpoint) },
    { method: 'PUT', pattern: endpointPath, handler: scoped(putEndpointRoute) },
    { method: 'PATCH', pattern: endpointPath, handler: scoped(patchEndpoint) },
    { method: 'DELETE', pattern: endpointPath, handler: scoped(deleteEndpoint) },
    { method: 'POST', pattern: `${endpointPath}/listkeys`, handler: scoped(listKeys) },
    { method: 'GET', pattern: deploymentsPath, handler: scoped(listDeployments) },
    { method: 'GET', pattern: deploymentPath, handler: scoped(getDeployment) },
    { method: 'PUT', pattern: deploymentPath, handler: scoped(putDeploymentRoute) },
    { method: 'PATCH', pattern: deploymentPath, handler: scoped(patchDeployment) },
    { method: 'DELETE', pattern: deploymentPath, handler: scoped(deleteDeployment) },
  ];
}
