// Pipeline steps and sweep trials are jobs too (contracts §3): each child gets its own job record,
// named `<parent>_<step>` or `<parent>_<index>`, marked with its parent so lists hide it.
import { randomUUID } from 'node:crypto';
import { newJobProperties } from '../arm/job-model';
import { getJob, type JobRecord, type JobStatus, putJob } from '../arm/job-store';
import { armTimestamp, mlflowTrackingUri } from '../arm/workspace-identity';
import type { ArmContext } from '../arm-context';

type Json = Record<string, unknown>;

export interface ChildJobRequest {
  name: string;
  /** REST properties of a command job (jobType Command). */
  properties: Json & { jobType: string };
  status: JobStatus;
}

export function createChildJob(ctx: ArmContext, parent: JobRecord, request: ChildJobRequest): JobRecord {
  const properties = newJobProperties(request.properties, {
    name: request.name,
    trackingUri: mlflowTrackingUri(ctx),
    studioWorkspaceId: `/subscriptions/${ctx.subscriptionId}/resourcegroups/${ctx.resourceGroup}/workspaces/${ctx.workspace}`,
    contentSnapshotId: randomUUID(),
  });
  properties.status = request.status;
  const now = armTimestamp(ctx.now());
  return putJob(ctx, {
    name: request.name,
    properties,
    systemData: { ...parent.systemData, createdAt: now },
    statusHistory: [{ status: request.status, time: now }],
    parentJobName: parent.name,
  });
}

/** The child's record as of now (its status moves while it runs). */
export const childStatus = (ctx: ArmContext, name: string): JobStatus | undefined =>
  getJob(ctx, name)?.properties.status;
