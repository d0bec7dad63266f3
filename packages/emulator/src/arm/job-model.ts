// Pure job logic: the properties the service fills in on create (recorded in
// command_job__test_command_job_builder), and what may change when an existing job is PUT again.

import type { JobResource } from './job-store';
import { firstDifference, omit } from './json-diff';

type Json = Record<string, unknown>;
export type JobProperties = JobResource['properties'];

export interface JobEnvironment {
  /** Job name as created. */
  name: string;
  /** The workspace's azureml:// MLflow tracking URI. */
  trackingUri: string;
  /** `/subscriptions/<s>/resourcegroups/<rg>/workspaces/<ws>`, as Studio links spell it. */
  studioWorkspaceId: string;
  /** computeType of the target compute, when computeId names one. */
  computeType?: string;
  /** Snapshot id the service records when the job has code. */
  contentSnapshotId: string;
}

/** The artifact-store folder every job writes its default output to. */
export const defaultOutputUri = (jobName: string): string =>
  `azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.${jobName}`;

/** Where a named output goes when the client gives no uri. */
export const namedOutputUri = (jobName: string, output: string): string =>
  `azureml://datastores/workspaceblobstore/paths/azureml/${jobName}/${output}/`;

const COMPUTE_TARGET_TYPES: Record<string, string> = { AmlCompute: 'amlctrain' };

function normalizeInputs(inputs: unknown): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries((inputs as Json | undefined) ?? {})) {
    const input = value as Json;
    result[key] =
      input.jobInputType === 'literal'
        ? { description: null, ...input }
        : { description: null, uri: input.uri, mode: 'ReadOnlyMount', ...input };
  }
  return result;
}

function normalizeOutputs(jobName: string, outputs: unknown, withDefault: boolean): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries((outputs as Json | undefined) ?? {})) {
    result[key] = {
      description: null,
      uri: namedOutputUri(jobName, key),
      mode: 'ReadWriteMount',
      ...(value as Json),
    };
  }
  if (withDefault && !('default' in result)) {
    result.default = {
      description: null,
      uri: defaultOutputUri(jobName),
      mode: 'ReadWriteMount',
      jobOutputType: 'uri_folder',
    };
  }
  return result;
}

const normalizeResources = (resources: unknown): Json => ({
  instanceCount: 1,
  instanceType: null,
  properties: null,
  shmSize: '2g',
  dockerArgs: null,
  ...((resources as Json | undefined) ?? {}),
});

function services(request: Json, env: JobEnvironment): Json {
  const given: Json = {};
  for (const [key, value] of Object.entries((request.services as Json | undefined) ?? {})) {
    given[key] = {
      jobServiceType: null,
      port: null,
      endpoint: null,
      status: null,
      errorMessage: null,
      properties: null,
      ...(value as Json),
    };
  }
  const service = (type: string, endpoint: string) => ({
    jobServiceType: type,
    port: null,
    endpoint,
    status: null,
    errorMessage: null,
    properties: null,
  });
  return {
    ...given,
    Tracking: service('Tracking', `${env.trackingUri}?`),
    Studio: service('Studio', `https://ml.azure.com/runs/${env.name}?wsid=${env.studioWorkspaceId}`),
  };
}

function typeSpecific(request: Json, env: JobEnvironment): Json {
  const rest = omit(request, BASE_FIELDS);
  switch (request.jobType) {
    case 'Command':
      return {
        resources: normalizeResources(request.resources),
        codeId: null,
        ...omit(rest, ['resources']),
        inputs: normalizeInputs(request.inputs),
        outputs: normalizeOutputs(env.name, request.outputs, true),
        distribution: request.distribution ?? null,
        limits: request.limits ?? null,
        environmentVariables: request.environmentVariables ?? {},
        parameters: {},
        queueSettings: request.queueSettings ?? null,
      };
    case 'Sweep': {
      const trial = request.trial as Json;
      return {
        earlyTermination: null,
        limits: null,
        ...rest,
        inputs: normalizeInputs(request.inputs),
        outputs: normalizeOutputs(env.name, request.outputs, true),
        trial: {
          codeId: null,
          distribution: null,
          environmentVariables: {},
          ...trial,
          resources: normalizeResources(trial.resources),
        },
        queueSettings: request.queueSettings ?? null,
      };
    }
    case 'Pipeline':
      return {
        jobs: {},
        settings: {},
        sourceJobId: null,
        ...rest,
        inputs: normalizeInputs(request.inputs),
        outputs: normalizeOutputs(env.name, request.outputs, false),
      };
    default:
      return {
        environmentId: null,
        environmentVariables: {},
        ...rest,
        ...(request.inputs ? { inputs: normalizeInputs(request.inputs) } : {}),
        outputs: normalizeOutputs(env.name, request.outputs, true),
        ...(request.resources || request.jobType === 'AutoML'
          ? { resources: normalizeResources(request.resources) }
          : {}),
        queueSettings: request.queueSettings ?? null,
      };
  }
}

/** Properties of the job base (JobBaseProperties) rather than of a job type. */
const BASE_FIELDS = [
  'description',
  'tags',
  'properties',
  'displayName',
  'status',
  'experimentName',
  'services',
  'computeId',
  'isArchived',
  'identity',
  'componentId',
  'notificationSetting',
  'jobType',
];

/** A new job's properties from a validated request: service defaults added, status Starting. */
export function newJobProperties(request: Json & { jobType: string }, env: JobEnvironment): JobProperties {
  const bag: Record<string, string> = {
    ...((request.properties as Record<string, string> | undefined) ?? {}),
  };
  const targetType = env.computeType ? COMPUTE_TARGET_TYPES[env.computeType] : undefined;
  if (targetType) bag['_azureml.ComputeTargetType'] = targetType;
  if (request.codeId || (request.trial as Json | undefined)?.codeId)
    bag.ContentSnapshotId = env.contentSnapshotId;
  return {
    description: request.description ?? null,
    tags: request.tags ?? {},
    properties: bag,
    displayName: request.displayName ?? null,
    status: 'Starting',
    experimentName: request.experimentName ?? 'Default',
    services: services(request, env),
    computeId: request.computeId ?? null,
    isArchived: request.isArchived ?? false,
    identity: request.identity ?? null,
    componentId: request.componentId ?? null,
    notificationSetting: request.notificationSetting ?? null,
    jobType: request.jobType,
    ...typeSpecific(request, env),
  };
}

/** What a PUT on an existing job may change; the rest of a job is immutable. */
export const MUTABLE_JOB_FIELDS = ['description', 'displayName', 'tags', 'properties', 'isArchived'] as const;

/** Filled in or managed by the service, so a client echoing them back changes nothing. */
const SERVICE_FIELDS = ['status', 'services', 'parameters'];

/**
 * The path (under `properties.`) of the first immutable difference between an existing job and the
 * properties a new PUT would give it, or undefined when only mutable fields differ.
 */
export function immutableDifference(existing: JobProperties, proposed: JobProperties): string | undefined {
  const ignore = [...SERVICE_FIELDS, ...MUTABLE_JOB_FIELDS];
  return firstDifference(omit(existing, ignore), omit(proposed, ignore));
}

/** The existing job with the mutable fields of the request applied (the properties bag merges). */
export function applyMutableUpdate(existing: JobProperties, request: Json): JobProperties {
  const updated: JobProperties = { ...existing };
  for (const field of MUTABLE_JOB_FIELDS) {
    if (request[field] === undefined) continue;
    updated[field] =
      field === 'properties'
        ? { ...(existing.properties as Json), ...(request.properties as Json) }
        : request[field];
  }
  return updated;
}

/** Job properties that exist only in the newer contract, hidden from older api-versions. */
export const NEWER_JOB_FIELDS = ['queueSettings', 'notificationSetting'];
