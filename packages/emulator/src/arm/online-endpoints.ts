// workspaces/onlineEndpoints: list, get, create or update (long-running: 201 +
// Azure-AsyncOperation, `Creating`/`Updating` until done, as recorded; a traffic change shows only
// once the operation completes), PATCH of tags and identity, delete (stops the deployments'
// servers), listKeys, regenerateKeys and token. Validation follows the spec's traffic rules.
import { notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import type { ApiVersion } from './api-version';
import { listResponse } from './list-query';
import { checkResourceName } from './names';
import { issueAmlToken, newEndpointKey } from './online-endpoint-auth';
import {
  acceptedHeaders,
  conflict,
  ENDPOINT_OPERATION_PREFIX,
  type OnlineContext,
  putHeaders,
  timedStep,
  timeIsUp,
} from './online-operations';
import { type EndpointRecord, endpointId, endpointResource, type TimedChange } from './online-store';
import { checkMirrorTraffic, checkTraffic, type TrafficMap } from './online-traffic';
import type { OperationRecord } from './operations';
import { readJsonObjectBody, readValidatedBody } from './request-body';
import { noContent, ok, userError, validationError } from './responses';
import { endpointBody, endpointPatchBody, regenerateKeysBody } from './schema/online-endpoints';
import { validate } from './schema/validate';
import { type ArmCall, type ArmHandler, WORKSPACE_PATH, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData } from './system-data';
import { armTimestamp, armUrl } from './workspace-identity';

type Json = Record<string, unknown>;

export const ENDPOINT_OPERATION_KIND = 'online-endpoint';
export const ENDPOINTS_PATH = `${WORKSPACE_PATH}/onlineEndpoints`;

/** Reads a POST body that may be absent (the SDK sends none for listKeys and token). */
function optionalBody(call: ArmCall): { ok: true; body: Json } | { ok: false; response: EmulatorResponse } {
  if (call.request.rawBody.length === 0 && call.request.body === undefined) return { ok: true, body: {} };
  return readJsonObjectBody(call.request);
}

export function onlineEndpointRoutes(online: OnlineContext): Route[] {
  const { ctx, operations, store } = online;

  /** Applies a finished change to the endpoint. */
  const complete = (record: EndpointRecord, change: TimedChange): void => {
    if (change.action === 'delete') {
      store.deleteEndpoint(record.name);
      return;
    }
    const now = ctx.now();
    store.putEndpoint({
      ...record,
      ...change.next,
      keys: change.keys ?? record.keys,
      provisioningState: 'Succeeded',
      provisioned: true,
      pending: undefined,
      systemData: { ...record.systemData, lastModifiedAt: armTimestamp(now) },
    });
  };

  operations.resolveWith(ENDPOINT_OPERATION_KIND, (operation) => {
    const record = store.endpoint(operation.target);
    const change = record?.pending;
    if (!record || !change || change.operation !== operation.name) return { status: 'Succeeded' };
    const step = timedStep(change, ctx.now().getTime(), online.operationDurationInMs);
    if (!step.done) {
      store.putEndpoint({ ...record, pending: { ...change, ...step.next } });
      return { status: 'InProgress' };
    }
    complete(record, change);
    return { status: 'Succeeded' };
  });

  /** The endpoint as of now: a change whose time is up completes before it is read or written. */
  const read = (name: string): EndpointRecord | undefined => {
    const record = store.endpoint(name);
    const change = record?.pending;
    if (change && timeIsUp(change, ctx.now().getTime(), online.operationDurationInMs)) {
      operations.refresh(change.operation);
      return store.endpoint(name);
    }
    return record;
  };

  const begin = (
    record: EndpointRecord,
    action: TimedChange['action'],
    next: Pick<TimedChange, 'next' | 'keys'>,
    apiVersion: ApiVersion,
  ): { record: EndpointRecord; operation: OperationRecord } => {
    const operation = operations.start(ENDPOINT_OPERATION_KIND, record.name, {
      prefix: ENDPOINT_OPERATION_PREFIX,
    });
    const provisioningState =
      action === 'delete' ? 'Deleting' : action === 'create' ? 'Creating' : 'Updating';
    const stored = store.putEndpoint({
      ...record,
      provisioningState,
      asyncOperationUri: operations.statusUrl(operation, apiVersion),
      pending: {
        operation: operation.name,
        action,
        ...next,
        pollsLeft: online.inProgressPolls,
        startedAtInMs: ctx.now().getTime(),
      },
    });
    return { record: stored, operation };
  };

  const missing = (name: string) => notFound('online endpoint', name);

  const list = (call: ArmCall): EmulatorResponse =>
    listResponse(
      online,
      call,
      store
        .endpoints()
        .map((record) => read(record.name))
        .filter((record): record is EndpointRecord => record !== undefined)
        .map((record) => endpointResource(ctx, record, call.apiVersion)),
      'count',
    );

  const get = ({ params, apiVersion }: ArmCall): EmulatorResponse => {
    const record = read(params.endpointName ?? '');
    return record ? ok(endpointResource(ctx, record, apiVersion)) : missing(params.endpointName ?? '');
  };

  const put = (call: ArmCall): EmulatorResponse => {
    const name = call.params.endpointName ?? '';
    const parsed = readValidatedBody(call.request, endpointBody, call.apiVersion, [
      checkResourceName(name, 'The online endpoint'),
    ]);
    if (!parsed.ok) return parsed.response;
    const existing = read(name);
    const busy = store.busyReason(name);
    if (busy) return conflict(busy);
    const { keys, ...properties } = parsed.body.properties as Json;
    const deployments = store.deployments(name).map((deployment) => deployment.name);
    const traffic = (properties.traffic as TrafficMap | undefined) ?? {};
    const violations = [
      ...checkTraffic(traffic, deployments),
      ...checkMirrorTraffic((properties.mirrorTraffic as TrafficMap | undefined) ?? {}, traffic, deployments),
    ];
    if (violations.length > 0) return validationError(violations);
    const next = {
      properties,
      tags: (parsed.body.tags as Record<string, string> | undefined) ?? {},
      identity: (parsed.body.identity as Json | undefined) ??
        existing?.identity ?? { type: 'SystemAssigned' },
      sku: parsed.body.sku as Json | undefined,
    };
    const actor = actorOf(call.request);
    const now = ctx.now();
    const initialKeys = keys as Partial<Record<'primaryKey' | 'secondaryKey', string>> | undefined;
    const base: EndpointRecord = existing
      ? { ...existing, systemData: modifiedSystemData(existing.systemData, actor, now) }
      : {
          name,
          location: String(parsed.body.location),
          kind: typeof parsed.body.kind === 'string' ? parsed.body.kind : 'Managed',
          ...next,
          provisioningState: 'Creating',
          keys: {
            primaryKey: initialKeys?.primaryKey ?? newEndpointKey(),
            secondaryKey: initialKeys?.secondaryKey ?? newEndpointKey(),
          },
          provisioned: false,
          systemData: createdSystemData(actor, now),
        };
    const started = begin(base, existing ? 'update' : 'create', { next }, call.apiVersion);
    const url = armUrl(ctx, endpointId(ctx, name), call.apiVersion);
    return {
      status: 201,
      headers: putHeaders(operations, started.operation, url, call.apiVersion, online.retryAfterSeconds),
      body: endpointResource(ctx, started.record, call.apiVersion),
    };
  };

  const patch = (call: ArmCall): EmulatorResponse => {
    const name = call.params.endpointName ?? '';
    const parsed = readJsonObjectBody(call.request);
    if (!parsed.ok) return parsed.response;
    const checked = validate(endpointPatchBody, parsed.body, '', call.apiVersion);
    if (checked.violations.length > 0) return validationError(checked.violations);
    const body = checked.value as Json;
    const existing = read(name);
    if (!existing) return missing(name);
    const busy = store.busyReason(name);
    if (busy) return conflict(busy);
    const next = {
      properties: existing.properties,
      tags: (body.tags as Record<string, string> | undefined) ?? existing.tags,
      identity: body.identity ? { ...existing.identity, ...(body.identity as Json) } : existing.identity,
      sku: existing.sku,
    };
    const started = begin(existing, 'update', { next }, call.apiVersion);
    return {
      status: 202,
      headers: acceptedHeaders(operations, started.operation, call.apiVersion),
      body: endpointResource(ctx, started.record, call.apiVersion),
    };
  };

  const remove = async (call: ArmCall): Promise<EmulatorResponse> => {
    const name = call.params.endpointName ?? '';
    const existing = read(name);
    if (!existing) return noContent();
    const busy = store.busyReason(name);
    if (busy) return conflict(busy);
    for (const deployment of store.deployments(name)) await online.host?.stop(name, deployment.name);
    const started = begin(existing, 'delete', {}, call.apiVersion);
    return { status: 202, headers: acceptedHeaders(operations, started.operation, call.apiVersion) };
  };

  const listKeys = ({ params }: ArmCall): EmulatorResponse => {
    const record = read(params.endpointName ?? '');
    if (!record) return missing(params.endpointName ?? '');
    if (record.properties.authMode !== 'Key') {
      return userError(
        `Keys are only available for endpoints with authMode 'Key'; endpoint '${record.name}' uses '${String(record.properties.authMode)}'.`,
      );
    }
    return ok({ primaryKey: record.keys.primaryKey, secondaryKey: record.keys.secondaryKey });
  };

  const regenerateKeys = (call: ArmCall): EmulatorResponse => {
    const name = call.params.endpointName ?? '';
    const parsed = readJsonObjectBody(call.request);
    if (!parsed.ok) return parsed.response;
    const checked = validate(regenerateKeysBody, parsed.body, '', call.apiVersion);
    if (checked.violations.length > 0) return validationError(checked.violations);
    const body = checked.value as { keyType: 'Primary' | 'Secondary'; keyValue?: string };
    const record = read(name);
    if (!record) return missing(name);
    if (record.properties.authMode !== 'Key') {
      return userError(
        `Keys can only be regenerated for endpoints with authMode 'Key'; endpoint '${record.name}' uses '${String(record.properties.authMode)}'.`,
      );
    }
    const busy = store.busyReason(name);
    if (busy) return conflict(busy);
    const value = body.keyValue ?? newEndpointKey();
    const keys =
      body.keyType === 'Primary'
        ? { ...record.keys, primaryKey: value }
        : { ...record.keys, secondaryKey: value };
    const next = {
      properties: record.properties,
      tags: record.tags,
      identity: record.identity,
      sku: record.sku,
    };
    const started = begin(record, 'update', { next, keys }, call.apiVersion);
    return { status: 202, headers: acceptedHeaders(operations, started.operation, call.apiVersion) };
  };

  const token = (call: ArmCall): EmulatorResponse => {
    const body = optionalBody(call);
    if (!body.ok) return body.response;
    const record = read(call.params.endpointName ?? '');
    if (!record) return missing(call.params.endpointName ?? '');
    if (record.properties.authMode !== 'AMLToken') {
      return userError(
        `Tokens are only issued for endpoints with authMode 'AMLToken'; endpoint '${record.name}' uses '${String(record.properties.authMode)}'.`,
      );
    }
    const principal = call.request.principal ?? {};
    const oid = typeof principal.oid === 'string' ? principal.oid : actorOf(call.request).name;
    return ok(issueAmlToken(ctx, record.name, oid));
  };

  const scoped = (handler: ArmHandler) => workspaceScoped(ctx, handler);
  const item = `${ENDPOINTS_PATH}/{endpointName}`;
  return [
    { method: 'GET', pattern: ENDPOINTS_PATH, handler: scoped(list) },
    { method: 'GET', pattern: item, handler: scoped(get) },
    { method: 'PUT', pattern: item, handler: scoped(put) },
    { method: 'PATCH', pattern: item, handler: scoped(patch) },
    { method: 'DELETE', pattern: item, handler: scoped(remove) },
    { method: 'POST', pattern: `${item}/listKeys`, handler: scoped(listKeys) },
    { method: 'POST', pattern: `${item}/regenerateKeys`, handler: scoped(regenerateKeys) },
    { method: 'POST', pattern: `${item}/token`, handler: scoped(token) },
  ];
}
