// workspaces/onlineEndpoints/deployments: list, get, create or update (long-running: the code
// snapshot and model are fetched and a scoring server started; its readiness decides Succeeded or
// Failed with ResourceNotReady), PATCH of sku and tags (Scaling), delete (refused while the
// deployment takes traffic, as Azure does; stops its server), getLogs and skus.

import { codeUriOf } from '../execution/code-snapshot';
import { resolveDataUri } from '../execution/data-uris';
import { durationInMs } from '../execution/durations';
import { notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { listResponse } from './list-query';
import { checkResourceName } from './names';
import { ENDPOINTS_PATH } from './online-endpoints';
import { type LogContainer, modelReference } from './online-hosting';
import {
  acceptedHeaders,
  conflict,
  DEPLOYMENT_OPERATION_PREFIX,
  type OnlineContext,
  putHeaders,
  timedStep,
  timeIsUp,
} from './online-operations';
import {
  type DeploymentRecord,
  deploymentId,
  deploymentKey,
  deploymentResource,
  endpointMirrorTraffic,
  endpointTraffic,
} from './online-store';
import { trafficOf } from './online-traffic';
import { readJsonObjectBody, readValidatedBody } from './request-body';
import { noContent, ok, userError, validationError } from './responses';
import { deploymentBody, deploymentLogsBody, deploymentPatchBody } from './schema/online-endpoints';
import { type Violation, validate } from './schema/validate';
import { type ArmCall, type ArmHandler, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData } from './system-data';
import { armUrl } from './workspace-identity';

type Json = Record<string, unknown>;

export const DEPLOYMENT_OPERATION_KIND = 'online-deployment';
const DEFAULT_SKU = { name: 'Default', tier: 'Standard', capacity: 1 };

export function onlineDeploymentRoutes(online: OnlineContext): Route[] {
  const { ctx, operations, store, host } = online;

  operations.resolveWith(DEPLOYMENT_OPERATION_KIND, (operation) => {
    const [endpoint = '', name = ''] = operation.target.split('/');
    const record = store.deployment(endpoint, name);
    if (!record) return { status: 'Succeeded' };
    if (record.operation !== operation.name) return { status: 'Canceled' };
    if (record.provisioningState === 'Failed') {
      return {
        status: 'Failed',
        error: record.failure ?? { code: 'ResourceNotReady', message: 'The deployment failed.' },
      };
    }
    if (record.provisioningState === 'Succeeded') return { status: 'Succeeded' };
    if (!record.timed) return { status: 'InProgress' };
    const step = timedStep(record.timed, ctx.now().getTime(), online.operationDurationInMs);
    if (!step.done) {
      store.putDeployment({ ...record, timed: step.next });
      return { status: 'InProgress' };
    }
    if (record.provisioningState === 'Deleting') {
      store.deleteDeployment(endpoint, name);
    } else {
      store.putDeployment({ ...record, provisioningState: 'Succeeded', timed: undefined });
    }
    return { status: 'Succeeded' };
  });

  const read = (endpoint: string, name: string): DeploymentRecord | undefined => {
    const record = store.deployment(endpoint, name);
    if (record?.timed && timeIsUp(record.timed, ctx.now().getTime(), online.operationDurationInMs)) {
      operations.refresh(record.operation);
      return store.deployment(endpoint, name);
    }
    return record;
  };

  const timed = () => ({ pollsLeft: online.inProgressPolls, startedAtInMs: ctx.now().getTime() });

  /** Fetches, starts and waits for the server in the background; the operation reads the outcome. */
  const provision = (record: DeploymentRecord): void => {
    if (!host) return;
    const properties = record.properties;
    const code = properties.codeConfiguration as { codeId?: string; scoringScript: string };
    const requestSettings = (properties.requestSettings as Json | undefined) ?? {};
    void host
      .provision({
        endpoint: record.endpoint,
        deployment: record.name,
        codeId: code.codeId,
        scoringScript: code.scoringScript,
        model: typeof properties.model === 'string' ? properties.model : undefined,
        environmentVariables: (properties.environmentVariables as Record<string, string> | undefined) ?? {},
        requestTimeoutInMs: durationInMs(requestSettings.requestTimeout),
      })
      .catch((error: unknown) => ({
        ok: false as const,
        code: 'InternalServerError',
        message: `The deployment could not be provisioned: ${(error as Error).message}`,
      }))
      .then((outcome) => {
        const current = store.deployment(record.endpoint, record.name);
        if (!current || current.operation !== record.operation) return;
        store.putDeployment(
          outcome.ok
            ? { ...current, provisioningState: 'Succeeded', failure: undefined }
            : {
                ...current,
                provisioningState: 'Failed',
                failure: { code: outcome.code, message: outcome.message },
              },
        );
      });
  };

  /** References the service resolves at PUT time: the code version and the model. */
  const referenceViolations = (properties: Json): Violation[] => {
    const violations: Violation[] = [];
    const code = properties.codeConfiguration as { codeId?: string } | undefined;
    if (!code) {
      violations.push({
        path: 'properties.codeConfiguration',
        message:
          'is required by the emulator: it serves deployments through a scoring script (codeId and scoringScript).',
      });
    } else if (code.codeId) {
      try {
        codeUriOf(ctx, code.codeId);
      } catch (error) {
        violations.push({ path: 'properties.codeConfiguration.codeId', message: (error as Error).message });
      }
    }
    if (typeof properties.model === 'string') {
      try {
        resolveDataUri(ctx, modelReference(ctx, properties.model));
      } catch (error) {
        violations.push({ path: 'properties.model', message: (error as Error).message });
      }
    }
    return violations;
  };

  const endpointOf = (call: ArmCall) => store.endpoint(call.params.endpointName ?? '');
  const endpointMissing = (call: ArmCall) => notFound('online endpoint', call.params.endpointName ?? '');
  const missing = (call: ArmCall) =>
    armError404(call.params.deploymentName ?? '', call.params.endpointName ?? '', ctx.workspace);

  const list = (call: ArmCall): EmulatorResponse => {
    const endpoint = endpointOf(call);
    if (!endpoint) return endpointMissing(call);
    const items = store
      .deployments(endpoint.name)
      .map((record) => read(record.endpoint, record.name))
      .filter((record): record is DeploymentRecord => record !== undefined)
      .map((record) => deploymentResource(ctx, record, call.apiVersion));
    return listResponse(online, call, items);
  };

  const get = (call: ArmCall): EmulatorResponse => {
    const endpoint = endpointOf(call);
    if (!endpoint) return endpointMissing(call);
    const record = read(endpoint.name, call.params.deploymentName ?? '');
    return record ? ok(deploymentResource(ctx, record, call.apiVersion)) : missing(call);
  };

  const put = (call: ArmCall): EmulatorResponse => {
    const name = call.params.deploymentName ?? '';
    const parsed = readValidatedBody(call.request, deploymentBody, call.apiVersion, [
      checkResourceName(name, 'The online deployment'),
    ]);
    if (!parsed.ok) return parsed.response;
    const endpoint = endpointOf(call);
    if (!endpoint) return endpointMissing(call);
    const busy = store.busyReason(endpoint.name);
    if (busy) return conflict(busy);
    const properties = parsed.body.properties as Json;
    const violations = referenceViolations(properties);
    if (violations.length > 0) return validationError(violations);
    const existing = read(endpoint.name, name);
    const operation = operations.start(
      DEPLOYMENT_OPERATION_KIND,
      deploymentKey(endpoint.name, existing?.name ?? name),
      {
        prefix: DEPLOYMENT_OPERATION_PREFIX,
      },
    );
    const actor = actorOf(call.request);
    const now = ctx.now();
    const record = store.putDeployment({
      endpoint: endpoint.name,
      name: existing?.name ?? name,
      location: String(parsed.body.location),
      kind: typeof parsed.body.kind === 'string' ? parsed.body.kind : endpoint.kind,
      tags: (parsed.body.tags as Record<string, string> | undefined) ?? {},
      ...(parsed.body.identity !== undefined && { identity: parsed.body.identity as Json }),
      sku: { ...DEFAULT_SKU, ...((parsed.body.sku as Json | undefined) ?? {}) },
      properties,
      provisioningState: existing ? 'Updating' : 'Creating',
      operation: operation.name,
      asyncOperationUri: operations.statusUrl(operation, call.apiVersion),
      ...(host ? {} : { timed: timed() }),
      systemData: existing
        ? modifiedSystemData(existing.systemData, actor, now)
        : createdSystemData(actor, now),
    });
    provision(record);
    const url = armUrl(ctx, deploymentId(ctx, record.endpoint, record.name), call.apiVersion);
    return {
      status: 201,
      headers: putHeaders(operations, operation, url, call.apiVersion, online.retryAfterSeconds),
      body: deploymentResource(ctx, record, call.apiVersion),
    };
  };

  const patch = (call: ArmCall): EmulatorResponse => {
    const parsed = readJsonObjectBody(call.request);
    if (!parsed.ok) return parsed.response;
    const checked = validate(deploymentPatchBody, parsed.body, '', call.apiVersion);
    if (checked.violations.length > 0) return validationError(checked.violations);
    const body = checked.value as { sku?: Json; tags?: Record<string, string> };
    const endpoint = endpointOf(call);
    if (!endpoint) return endpointMissing(call);
    const existing = read(endpoint.name, call.params.deploymentName ?? '');
    if (!existing) return missing(call);
    const busy = store.busyReason(endpoint.name);
    if (busy) return conflict(busy);
    const operation = operations.start(
      DEPLOYMENT_OPERATION_KIND,
      deploymentKey(endpoint.name, existing.name),
      {
        prefix: DEPLOYMENT_OPERATION_PREFIX,
      },
    );
    const record = store.putDeployment({
      ...existing,
      sku: body.sku ? { ...existing.sku, ...body.sku } : existing.sku,
      tags: body.tags ?? existing.tags,
      provisioningState: body.sku ? 'Scaling' : 'Updating',
      operation: operation.name,
      asyncOperationUri: operations.statusUrl(operation, call.apiVersion),
      timed: timed(),
      systemData: modifiedSystemData(existing.systemData, actorOf(call.request), ctx.now()),
    });
    return {
      status: 202,
      headers: acceptedHeaders(operations, operation, call.apiVersion),
      body: deploymentResource(ctx, record, call.apiVersion),
    };
  };

  const remove = async (call: ArmCall): Promise<EmulatorResponse> => {
    const endpoint = endpointOf(call);
    if (!endpoint) return noContent();
    const existing = read(endpoint.name, call.params.deploymentName ?? '');
    if (!existing) return noContent();
    const live = trafficOf(endpointTraffic(endpoint), existing.name);
    const mirrored = trafficOf(endpointMirrorTraffic(endpoint), existing.name);
    if (live > 0 || mirrored > 0) {
      return userError(
        `Deployment '${existing.name}' cannot be deleted because it receives ${live > 0 ? `${live}% of the endpoint's traffic` : `${mirrored}% mirrored traffic`}. Set its traffic to 0 on endpoint '${endpoint.name}' first.`,
      );
    }
    const busy = store.busyReason(endpoint.name);
    if (busy) return conflict(busy);
    await host?.stop(endpoint.name, existing.name);
    const operation = operations.start(
      DEPLOYMENT_OPERATION_KIND,
      deploymentKey(endpoint.name, existing.name),
      {
        prefix: DEPLOYMENT_OPERATION_PREFIX,
      },
    );
    store.putDeployment({
      ...existing,
      provisioningState: 'Deleting',
      operation: operation.name,
      timed: timed(),
    });
    return { status: 202, headers: acceptedHeaders(operations, operation, call.apiVersion) };
  };

  const getLogs = (call: ArmCall): EmulatorResponse => {
    const parsed =
      call.request.rawBody.length === 0 && call.request.body === undefined
        ? { ok: true as const, body: {} }
        : readJsonObjectBody(call.request);
    if (!parsed.ok) return parsed.response;
    const checked = validate(deploymentLogsBody, parsed.body, '', call.apiVersion);
    if (checked.violations.length > 0) return validationError(checked.violations);
    const body = checked.value as { containerType?: LogContainer; tail?: number };
    const endpoint = endpointOf(call);
    if (!endpoint) return endpointMissing(call);
    const record = read(endpoint.name, call.params.deploymentName ?? '');
    if (!record) return missing(call);
    const content =
      host?.logs(endpoint.name, record.name, body.containerType ?? 'InferenceServer', body.tail) ?? '';
    return ok({ content });
  };

  const skus = (call: ArmCall): EmulatorResponse => {
    const endpoint = endpointOf(call);
    if (!endpoint) return endpointMissing(call);
    const record = read(endpoint.name, call.params.deploymentName ?? '');
    if (!record) return missing(call);
    const items = [
      {
        resourceType: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
        sku: { name: 'Default', tier: 'Standard' },
        capacity: { minimum: 1, maximum: 20, default: 1, scaleType: 'Manual' },
      },
    ];
    return listResponse(online, call, items, 'count');
  };

  const scoped = (handler: ArmHandler) => workspaceScoped(ctx, handler);
  const base = `${ENDPOINTS_PATH}/{endpointName}/deployments`;
  const item = `${base}/{deploymentName}`;
  return [
    { method: 'GET', pattern: base, handler: scoped(list) },
    { method: 'GET', pattern: item, handler: scoped(get) },
    { method: 'PUT', pattern: item, handler: scoped(put) },
    { method: 'PATCH', pattern: item, handler: scoped(patch) },
    { method: 'DELETE', pattern: item, handler: scoped(remove) },
    { method: 'POST', pattern: `${item}/getLogs`, handler: scoped(getLogs) },
    { method: 'GET', pattern: `${item}/skus`, handler: scoped(skus) },
  ];
}

/** The service's 404 for a deployment the endpoint does not have (seen in public issue reports). */
function armError404(deployment: string, endpoint: string, workspace: string): EmulatorResponse {
  return userError(`Deployment ${deployment} not found in endpoint ${endpoint}, workspace ${workspace}`, 404);
}
