// workspaces/computes: list, get, create or update (long-running: 201 + Azure-AsyncOperation),
// delete (202). The emulator has no machines, so provisioning succeeds at once.
import type { ArmContext } from '../arm-context';
import { notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { checkComputeName } from './names';
import { pageOf, queryValue, readPaging } from './paging';
import { readValidatedBody } from './request-body';
import { invalidQuery, noContent, ok, validationError } from './responses';
import type { RouteContext } from './route-context';
import { computeBody } from './schema/computes';
import type { Violation } from './schema/validate';
import { type ArmCall, WORKSPACE_PATH, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData, type SystemData } from './system-data';
import { armTimestamp, childId, PROVIDER, workspaceId } from './workspace-identity';

export const COMPUTES_COLLECTION = 'arm.computes';

export interface ComputeRecord {
  name: string;
  location: string;
  tags: Record<string, string>;
  identity?: unknown;
  sku?: unknown;
  /** Validated `properties` of the request (computeType, description, type-specific properties…). */
  properties: Record<string, unknown> & { computeType: string };
  createdOn: string;
  modifiedOn: string;
  systemData: SystemData;
}

type ProvisioningState = 'Creating' | 'Updating' | 'Succeeded';

const DEFAULT_VM_SIZE = 'STANDARD_DS3_V2';

function amlComputeView(record: ComputeRecord, given: Record<string, unknown>): Record<string, unknown> {
  const scale = (given.scaleSettings as Record<string, unknown> | undefined) ?? { maxNodeCount: 4 };
  const minNodeCount = (scale.minNodeCount as number | undefined) ?? 0;
  const credentials = given.userAccountCredentials as Record<string, unknown> | undefined;
  return {
    osType: 'Linux',
    vmSize: DEFAULT_VM_SIZE,
    vmPriority: 'Dedicated',
    isolatedNetwork: false,
    subnet: null,
    remoteLoginPortPublicAccess: 'NotSpecified',
    enableNodePublicIp: true,
    virtualMachineImage: null,
    propertyBag: null,
    ...given,
    scaleSettings: { minNodeCount, nodeIdleTimeBeforeScaleDown: 'PT120S', ...scale },
    userAccountCredentials: credentials ? { ...credentials, adminUserPassword: null } : null,
    allocationState: 'Steady',
    allocationStateTransitionTime: record.modifiedOn,
    errors: null,
    currentNodeCount: minNodeCount,
    targetNodeCount: minNodeCount,
    nodeStateCounts: {
      idleNodeCount: minNodeCount,
      runningNodeCount: 0,
      preparingNodeCount: 0,
      unusableNodeCount: 0,
      leavingNodeCount: 0,
      preemptedNodeCount: 0,
    },
  };
}

function computeInstanceView(ctx: ArmContext, record: ComputeRecord, given: Record<string, unknown>) {
  const ssh = (given.sshSettings as Record<string, unknown> | undefined) ?? {};
  return {
    vmSize: DEFAULT_VM_SIZE,
    applicationSharingPolicy: 'Shared',
    computeInstanceAuthorizationType: 'personal',
    enableNodePublicIp: true,
    subnet: null,
    setupScripts: null,
    schedules: { computeStartStop: [] },
    personalComputeInstanceSettings: null,
    ...given,
    sshSettings: {
      sshPublicAccess: 'Disabled',
      adminUserName: 'azureuser',
      sshPort: 50000,
      adminPublicKey: null,
      ...ssh,
    },
    state: 'Running',
    connectivityEndpoints: { publicIpAddress: null, privateIpAddress: '10.0.0.4' },
    applications: [],
    createdBy: {
      userName: record.systemData.createdBy,
      userOrgId: ctx.tenantId,
      userId: record.systemData.createdBy,
    },
    errors: [],
    lastOperation: {
      operationName: 'Create',
      operationTime: record.createdOn,
      operationStatus: 'Succeeded',
      operationTrigger: 'User',
    },
    versions: { runtime: 'emulated' },
  };
}

export function computeResource(
  ctx: ArmContext,
  record: ComputeRecord,
  provisioningState: ProvisioningState = 'Succeeded',
): Record<string, unknown> {
  const {
    computeType,
    properties: given = {},
    ...base
  } = record.properties as Record<string, unknown> & {
    computeType: string;
    properties?: Record<string, unknown>;
  };
  const isManaged = computeType === 'AmlCompute' || computeType === 'ComputeInstance';
  const typed =
    computeType === 'AmlCompute'
      ? amlComputeView(record, given)
      : computeType === 'ComputeInstance'
        ? computeInstanceView(ctx, record, given)
        : given;
  const resource: Record<string, unknown> = {
    id: childId(ctx, 'computes', record.name),
    name: record.name,
    type: `${PROVIDER}/workspaces/computes`,
    location: record.location,
    tags: record.tags,
    identity: record.identity ?? null,
  };
  if (record.sku) resource.sku = record.sku;
  resource.properties = {
    createdOn: record.createdOn,
    modifiedOn: record.modifiedOn,
    disableLocalAuth: false,
    description: null,
    resourceId: null,
    computeLocation: record.location,
    ...base,
    computeType,
    provisioningState,
    provisioningErrors: null,
    isAttachedCompute: !isManaged,
    properties: typed,
  };
  resource.systemData = record.systemData;
  return resource;
}

/** The compute an ARM id points at, when it is a compute of this workspace. */
export function computeByArmId(ctx: ArmContext, armId: string): ComputeRecord | undefined {
  const prefix = `${workspaceId(ctx)}/computes/`.toLowerCase();
  if (!armId.toLowerCase().startsWith(prefix)) return undefined;
  const name = armId.slice(prefix.length);
  if (name.length === 0 || name.includes('/')) return undefined;
  return ctx.store.get<ComputeRecord>(COMPUTES_COLLECTION, name);
}

function scaleViolations(properties: Record<string, unknown>): Violation[] {
  const scale = (properties.properties as Record<string, unknown> | undefined)?.scaleSettings as
    | { maxNodeCount: number; minNodeCount?: number }
    | undefined;
  if (!scale) return [];
  const path = 'properties.properties.scaleSettings';
  const violations: Violation[] = [];
  if (scale.maxNodeCount < 0)
    violations.push({ path: `${path}.maxNodeCount`, message: 'must not be negative.' });
  if (scale.minNodeCount !== undefined && scale.minNodeCount < 0) {
    violations.push({ path: `${path}.minNodeCount`, message: 'must not be negative.' });
  }
  if (scale.minNodeCount !== undefined && scale.minNodeCount > scale.maxNodeCount) {
    violations.push({
      path: `${path}.minNodeCount`,
      message: `(${scale.minNodeCount}) must not exceed maxNodeCount (${scale.maxNodeCount}).`,
    });
  }
  return violations;
}

export function computeRoutes(routeContext: RouteContext): Route[] {
  const { ctx, operations } = routeContext;
  const base = `${WORKSPACE_PATH}/computes`;
  const find = (name: string) => ctx.store.get<ComputeRecord>(COMPUTES_COLLECTION, name);

  const list = (call: ArmCall): EmulatorResponse => {
    const paging = readPaging(call, routeContext.pageSize);
    if (!paging.ok) return paging.response;
    const all = ctx.store
      .list<ComputeRecord>(COMPUTES_COLLECTION)
      .map((record) => computeResource(ctx, record));
    return ok(pageOf(ctx, call, all, paging));
  };

  const get = ({ params }: ArmCall): EmulatorResponse => {
    const record = find(params.computeName ?? '');
    return record ? ok(computeResource(ctx, record)) : notFound('compute', params.computeName ?? '');
  };

  const put = (call: ArmCall): EmulatorResponse => {
    const name = call.params.computeName ?? '';
    const parsed = readValidatedBody(call.request, computeBody, call.apiVersion, [checkComputeName(name)]);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body as Omit<ComputeRecord, 'name' | 'createdOn' | 'modifiedOn' | 'systemData'>;
    const existing = find(name);
    const violations = scaleViolations(body.properties);
    if (existing && existing.properties.computeType !== body.properties.computeType) {
      violations.push({
        path: 'properties.computeType',
        message: `cannot change from '${existing.properties.computeType}' to '${body.properties.computeType}'; delete the compute first.`,
      });
    }
    if (violations.length > 0) return validationError(violations);

    const now = ctx.now();
    const actor = actorOf(call.request);
    const record: ComputeRecord = {
      name: existing?.name ?? name,
      location: body.location ?? ctx.location,
      tags: body.tags ?? {},
      properties: body.properties,
      createdOn: existing?.createdOn ?? armTimestamp(now),
      modifiedOn: armTimestamp(now),
      systemData: existing
        ? modifiedSystemData(existing.systemData, actor, now)
        : createdSystemData(actor, now),
    };
    if (body.identity) record.identity = body.identity;
    if (body.sku) record.sku = body.sku;
    ctx.store.put(COMPUTES_COLLECTION, record.name, record);
    const operation = operations.start('compute-create', record.name, { status: 'Succeeded', prefix: 'cc' });
    return {
      status: existing ? 200 : 201,
      headers: {
        'azure-asyncoperation': operations.statusUrl(operation, call.apiVersion),
        'x-ms-async-operation-timeout': 'PT1H',
      },
      body: computeResource(ctx, record, existing ? 'Updating' : 'Creating'),
    };
  };

  const remove = (call: ArmCall): EmulatorResponse => {
    const action = queryValue(call, 'underlyingResourceAction');
    if (action !== 'Delete' && action !== 'Detach') {
      return invalidQuery(
        'underlyingResourceAction',
        action === undefined
          ? 'is required: Delete or Detach.'
          : `'${action}' is not a valid value. Allowed values: Delete, Detach.`,
      );
    }
    const name = call.params.computeName ?? '';
    if (!ctx.store.delete(COMPUTES_COLLECTION, name)) return noContent();
    const operation = operations.start('compute-delete', name, { status: 'Succeeded', prefix: 'cd' });
    return {
      status: 202,
      headers: {
        ...operations.acceptedHeaders(operation, call.apiVersion),
        'azure-asyncoperation': operations.statusUrl(operation, call.apiVersion),
      },
    };
  };

  return [
    { method: 'GET', pattern: base, handler: workspaceScoped(ctx, list) },
    { method: 'GET', pattern: `${base}/{computeName}`, handler: workspaceScoped(ctx, get) },
    { method: 'PUT', pattern: `${base}/{computeName}`, handler: workspaceScoped(ctx, put) },
    { method: 'DELETE', pattern: `${base}/{computeName}`, handler: workspaceScoped(ctx, remove) },
  ];
}

/** The `cpu-cluster` every emulated workspace starts with, so jobs have a target. */
export function seedComputes(ctx: ArmContext): void {
  if (ctx.store.get(COMPUTES_COLLECTION, 'cpu-cluster')) return;
  const now = ctx.now();
  const record: ComputeRecord = {
    name: 'cpu-cluster',
    location: ctx.location,
    tags: {},
    properties: {
      computeType: 'AmlCompute',
      properties: { vmSize: 'Standard_DS3_v2', scaleSettings: { minNodeCount: 0, maxNodeCount: 4 } },
    },
    createdOn: armTimestamp(now),
    modifiedOn: armTimestamp(now),
    systemData: createdSystemData({ name: 'aml-emulator', type: 'Application' }, now),
  };
  ctx.store.put(COMPUTES_COLLECTION, record.name, record);
}
