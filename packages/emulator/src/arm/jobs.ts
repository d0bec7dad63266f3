// workspaces/jobs: list, get, create (not long-running: 201 + Location, as recorded), cancel
// (POST, 202 + Location + Retry-After) and delete (long-running: 202 + Location + Retry-After).
// Jobs are immutable once created, except for their description, names, tags and archive flag.
import { randomUUID } from 'node:crypto';
import type { ArmContext } from '../arm-context';
import { notFound } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import { type ApiVersion, isAtLeast, NEWER_CONTRACT } from './api-version';
import { computeByArmId } from './computes';
import type { JobExecutor } from './job-executor';
import {
  applyMutableUpdate,
  immutableDifference,
  type JobEnvironment,
  MUTABLE_JOB_FIELDS,
  NEWER_JOB_FIELDS,
  newJobProperties,
} from './job-model';
import {
  getJob,
  isTerminal,
  JOBS_COLLECTION,
  type JobRecord,
  type JobResource,
  putJob,
  setJobStatus,
  toJobResource,
} from './job-store';
import { firstDifference } from './json-diff';
import { listResponse, matchesListView, readListViewType } from './list-query';
import { checkResourceName } from './names';
import { queryValue } from './paging';
import { readValidatedBody } from './request-body';
import { noContent, ok, userError, validationError } from './responses';
import type { RouteContext } from './route-context';
import { jobBody } from './schema/jobs';
import { type ArmCall, WORKSPACE_PATH, workspaceScoped } from './scope';
import { actorOf, createdSystemData, modifiedSystemData } from './system-data';
import { armTimestamp, armUrl, mlflowTrackingUri } from './workspace-identity';

type Json = Record<string, unknown>;

function jobResource(ctx: ArmContext, record: JobRecord, apiVersion: ApiVersion): JobResource {
  const resource = toJobResource(ctx, record);
  if (isAtLeast(apiVersion, NEWER_CONTRACT)) return resource;
  const properties = { ...resource.properties };
  for (const field of NEWER_JOB_FIELDS) delete properties[field];
  return { ...resource, properties };
}

function startExecution(ctx: ArmContext, executor: JobExecutor | undefined, record: JobRecord): void {
  if (!executor) return;
  try {
    executor.start(toJobResource(ctx, record));
  } catch (error) {
    setJobStatus(ctx, record.name, 'Failed', {
      error: {
        code: 'ExecutionFailed',
        message: `The job could not be started: ${(error as Error).message}`,
      },
    });
  }
}

export function jobRoutes(routeContext: RouteContext): Route[] {
  const { ctx, operations, executor } = routeContext;
  const base = `${WORKSPACE_PATH}/jobs`;

  /** A job as of now: without an executor, a cancel request completes after a short delay. */
  const readJob = (name: string): JobRecord | undefined => {
    const record = getJob(ctx, name);
    if (!record || executor || record.properties.status !== 'CancelRequested') return record;
    const requestedAt = record.cancelRequestedAtMs ?? 0;
    if (ctx.now().getTime() - requestedAt < routeContext.cancelDelayInMs) return record;
    return setJobStatus(ctx, record.name, 'Canceled') ?? record;
  };

  operations.resolveWith('job-cancel', (operation) => {
    const job = readJob(operation.target);
    return { status: !job || isTerminal(job.properties.status) ? 'Succeeded' : 'InProgress' };
  });

  const list = (call: ArmCall): EmulatorResponse => {
    const view = readListViewType(call);
    if (!view.ok) return view.response;
    const jobType = queryValue(call, 'jobType')?.toLowerCase();
    const tag = queryValue(call, 'tag');
    const records = ctx.store
      .list<JobRecord>(JOBS_COLLECTION)
      .map((record) => readJob(record.name) ?? record)
      .filter(
        (record) =>
          !record.parentJobName &&
          matchesListView(view.value, record.properties.isArchived) &&
          (!jobType || record.properties.jobType.toLowerCase() === jobType) &&
          (!tag || tag in ((record.properties.tags as Json | undefined) ?? {})),
      )
      .reverse();
    return listResponse(
      routeContext,
      call,
      records.map((record) => jobResource(ctx, record, call.apiVersion)),
    );
  };

  const get = ({ params, apiVersion }: ArmCall): EmulatorResponse => {
    const record = readJob(params.id ?? '');
    return record ? ok(jobResource(ctx, record, apiVersion)) : notFound('job', params.id ?? '');
  };

  const put = (call: ArmCall): EmulatorResponse => {
    const name = call.params.id ?? '';
    const parsed = readValidatedBody(call.request, jobBody, call.apiVersion, [
      checkResourceName(name, 'Job'),
    ]);
    if (!parsed.ok) return parsed.response;
    const request = parsed.body.properties as Json & { jobType: string };
    const computeId = request.computeId as string | undefined;
    const compute = computeId ? computeByArmId(ctx, computeId) : undefined;
    if (computeId && !compute) {
      return validationError([
        {
          path: 'properties.computeId',
          message: `compute '${computeId}' was not found in workspace '${ctx.workspace}'; give the ARM id of one of its computes.`,
        },
      ]);
    }
    const existing = getJob(ctx, name);
    const jobName = existing?.name ?? name;
    const environment: JobEnvironment = {
      name: jobName,
      trackingUri: mlflowTrackingUri(ctx),
      studioWorkspaceId: `/subscriptions/${ctx.subscriptionId}/resourcegroups/${ctx.resourceGroup}/workspaces/${ctx.workspace}`,
      computeType: compute?.properties.computeType,
      contentSnapshotId:
        ((existing?.properties.properties as Json | undefined)?.ContentSnapshotId as string) ?? randomUUID(),
    };
    const proposed = newJobProperties(request, environment);
    const now = ctx.now();
    const actor = actorOf(call.request);

    if (existing) {
      const difference = immutableDifference(existing.properties, proposed);
      if (difference !== undefined) {
        return validationError([
          {
            path: `properties.${difference}`,
            message: `cannot be changed: job '${jobName}' already exists and is immutable; only ${MUTABLE_JOB_FIELDS.join(', ')} can be updated. Submit a new job under another name instead.`,
          },
        ]);
      }
      const properties = applyMutableUpdate(existing.properties, request);
      if (firstDifference(properties, existing.properties) === undefined)
        return ok(jobResource(ctx, existing, call.apiVersion));
      const updated = putJob(ctx, {
        ...existing,
        properties,
        systemData: modifiedSystemData(existing.systemData, actor, now),
      });
      return ok(jobResource(ctx, updated, call.apiVersion));
    }

    const record = putJob(ctx, {
      name: jobName,
      properties: proposed,
      systemData: createdSystemData(actor, now, { withModified: false }),
      statusHistory: [{ status: 'Starting', time: armTimestamp(now) }],
    });
    startExecution(ctx, executor, record);
    // Azure answers the PUT with the job as created (Starting); the executor's first moves are
    // seen on the next GET. A job that could not start at all is answered as Failed.
    const current = getJob(ctx, jobName);
    const shown = current?.properties.status === 'Failed' ? current : record;
    const body = jobResource(ctx, shown, call.apiVersion);
    return { status: 201, headers: { location: armUrl(ctx, body.id, call.apiVersion) }, body };
  };

  const cancel = (call: ArmCall): EmulatorResponse => {
    const name = call.params.id ?? '';
    const record = readJob(name);
    if (!record) return notFound('job', name);
    const status = record.properties.status;
    if (isTerminal(status) || status === 'Finalizing') {
      return userError(
        `Job '${record.name}' cannot be canceled because it is already in status '${status}'.`,
      );
    }
    if (status !== 'CancelRequested') {
      const requested = setJobStatus(ctx, record.name, 'CancelRequested');
      if (requested) putJob(ctx, { ...requested, cancelRequestedAtMs: ctx.now().getTime() });
      executor?.cancel(record.name);
    }
    const operation = operations.start('job-cancel', record.name, { prefix: 'jc', finalStatusCode: 200 });
    return { status: 202, headers: operations.acceptedHeaders(operation, call.apiVersion) };
  };

  const remove = (call: ArmCall): EmulatorResponse => {
    const record = getJob(ctx, call.params.id ?? '');
    if (!record) return noContent();
    if (executor && !isTerminal(record.properties.status)) executor.cancel(record.name);
    ctx.store.delete(JOBS_COLLECTION, record.name);
    const operation = operations.start('job-delete', record.name, {
      status: 'Succeeded',
      pendingResultPolls: 1,
      finalStatusCode: 204,
      prefix: 'jd',
    });
    return { status: 202, headers: operations.acceptedHeaders(operation, call.apiVersion) };
  };

  return [
    { method: 'GET', pattern: base, handler: workspaceScoped(ctx, list) },
    { method: 'GET', pattern: `${base}/{id}`, handler: workspaceScoped(ctx, get) },
    { method: 'PUT', pattern: `${base}/{id}`, handler: workspaceScoped(ctx, put) },
    { method: 'DELETE', pattern: `${base}/{id}`, handler: workspaceScoped(ctx, remove) },
    { method: 'POST', pattern: `${base}/{id}/cancel`, handler: workspaceScoped(ctx, cancel) },
  ];
}
