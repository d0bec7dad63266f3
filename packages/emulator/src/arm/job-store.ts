// Jobs as stored by the emulator, and the status writes an executor makes while it runs them.
import type { ArmContext } from '../arm-context';
import type { SystemData } from './system-data';
import { armTimestamp, childId, PROVIDER } from './workspace-identity';

export const JOB_STATUSES = [
  'NotStarted',
  'Starting',
  'Provisioning',
  'Preparing',
  'Queued',
  'Running',
  'Finalizing',
  'CancelRequested',
  'Completed',
  'Failed',
  'Canceled',
  'NotResponding',
  'Paused',
  'Unknown',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Canceled'];

export const isTerminal = (status: JobStatus): boolean => TERMINAL_JOB_STATUSES.includes(status);

/** The ARM shape of a job, as GET returns it. */
export interface JobResource {
  id: string;
  name: string;
  type: string;
  properties: Record<string, unknown> & { jobType: string; status: JobStatus };
  systemData: SystemData;
}

export interface JobRecord {
  /** The name as the client spelled it on create. */
  name: string;
  properties: JobResource['properties'];
  systemData: SystemData;
  /** Every status the job went through, with when (ARM timestamps). */
  statusHistory: { status: JobStatus; time: string }[];
  /** Epoch ms of the cancel request, while the job is CancelRequested. */
  cancelRequestedAtMs?: number;
  /** Why the job failed, when an executor reports it. */
  error?: { code: string; message: string };
  /** Set on pipeline steps and sweep trials: the job they belong to (the service hides them from lists). */
  parentJobName?: string;
}

export const JOBS_COLLECTION = 'arm.jobs';

export function getJob(ctx: Pick<ArmContext, 'store'>, name: string): JobRecord | undefined {
  return ctx.store.get<JobRecord>(JOBS_COLLECTION, name);
}

export function putJob(ctx: Pick<ArmContext, 'store'>, record: JobRecord): JobRecord {
  return ctx.store.put(JOBS_COLLECTION, record.name, record);
}

export function toJobResource(ctx: ArmContext, record: JobRecord): JobResource {
  return {
    id: childId(ctx, 'jobs', record.name),
    name: record.name,
    type: `${PROVIDER}/workspaces/jobs`,
    properties: record.properties,
    systemData: record.systemData,
  };
}

export interface StatusUpdate {
  /** For Failed: what went wrong (kept with the job). */
  error?: { code: string; message: string };
}

/**
 * Moves a job to a new status, for the job executor. A terminal job keeps its status (returns
 * undefined), so a late report cannot resurrect a canceled job.
 */
export function setJobStatus(
  ctx: Pick<ArmContext, 'store' | 'now'>,
  name: string,
  status: JobStatus,
  update: StatusUpdate = {},
): JobRecord | undefined {
  const record = getJob(ctx, name);
  if (!record || isTerminal(record.properties.status)) return undefined;
  if (record.properties.status === status) return record;
  const next: JobRecord = {
    ...record,
    properties: { ...record.properties, status },
    statusHistory: [...record.statusHistory, { status, time: armTimestamp(ctx.now()) }],
  };
  if (status !== 'CancelRequested') delete next.cancelRequestedAtMs;
  if (update.error) next.error = update.error;
  return putJob(ctx, next);
}
