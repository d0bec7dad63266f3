// The tags and properties that say where a model version came from: the commit and workflow run
// (tags, shown in the Studio list), the training job, its data inputs with their versions and its
// parameters, the metrics it logged (`metrics.<name>`, what evaluate-gate reads back), and the
// source and content hash that make re-registration idempotent.

import { METRIC_PROPERTY_PREFIX } from '../gate/model-metrics';
import { lineageTags } from '../github/lineage';
import type { JobResource } from '../jobs/job-client';
import { parseArmId } from '../workspace/arm-id';

type Env = Readonly<Record<string, string | undefined>>;

export const SOURCE_PROPERTY = 'aml-actions.source';
export const CONTENT_HASH_PROPERTY = 'aml-actions.contentHash';
export const CONTENT_HASH_VERSION_PROPERTY = 'aml-actions.contentHashVersion';
export const TRAINING_JOB_TAG = 'training_job';
export const INPUT_PROPERTY_PREFIX = 'inputs.';
export const PARAMETER_PROPERTY_PREFIX = 'params.';

export interface LineageParts {
  env: Env;
  source: string;
  contentHash: string;
  contentHashVersion: string;
  /** The job that produced the model (the step's job for a pipeline step). */
  job?: JobResource | undefined;
  /** The pipeline, when `job` is one of its steps: its inputs are the step's data lineage too. */
  parentJob?: JobResource | undefined;
  metrics?: Record<string, number> | undefined;
  userTags?: Record<string, string> | undefined;
  userProperties?: Record<string, string> | undefined;
}

export interface ModelLineage {
  tags: Record<string, string>;
  properties: Record<string, string>;
  /** The ModelVersion `jobName` field. */
  jobName?: string;
}

export function buildModelLineage(parts: LineageParts): ModelLineage {
  const tags: Record<string, string> = { ...lineageTags(parts.env) };
  const properties: Record<string, string> = {};
  if (parts.job) {
    tags[TRAINING_JOB_TAG] = parts.job.name;
    for (const job of [parts.parentJob, parts.job]) {
      if (job) Object.assign(properties, inputLineage(job));
    }
  }
  for (const [name, value] of Object.entries(parts.metrics ?? {})) {
    properties[`${METRIC_PROPERTY_PREFIX}${name}`] = String(value);
  }
  Object.assign(tags, parts.userTags ?? {});
  Object.assign(properties, parts.userProperties ?? {});
  // Last: what idempotency relies on is never overridden by a user property.
  properties[SOURCE_PROPERTY] = parts.source;
  properties[CONTENT_HASH_PROPERTY] = parts.contentHash;
  properties[CONTENT_HASH_VERSION_PROPERTY] = parts.contentHashVersion;
  return { tags, properties, ...(parts.job ? { jobName: parts.job.name } : {}) };
}

/** `inputs.<name>` for data inputs (asset versions as `azureml:name:version`), `params.<name>` for literals. */
export function inputLineage(job: JobResource): Record<string, string> {
  const result: Record<string, string> = {};
  const inputs = (job.properties as { inputs?: Record<string, unknown> }).inputs ?? {};
  for (const [name, raw] of Object.entries(inputs)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const input = raw as { uri?: unknown; value?: unknown; jobInputType?: unknown };
    if (typeof input.uri === 'string' && !isBinding(input.uri)) {
      result[`${INPUT_PROPERTY_PREFIX}${name}`] = shortAssetReference(input.uri);
    } else if (typeof input.value === 'string' && !isBinding(input.value)) {
      result[`${PARAMETER_PROPERTY_PREFIX}${name}`] = input.value;
    }
  }
  return result;
}

const isBinding = (text: string) => text.trim().startsWith('${{');

/** An ARM id of a data or model version → `azureml:name:version`; anything else unchanged. */
export function shortAssetReference(uri: string): string {
  const text = uri.replace(/^azureml:(?=\/)/i, '');
  if (!/^\/subscriptions\//i.test(text)) return uri;
  try {
    const id = parseArmId(text);
    if ((id.kind === 'asset' || id.kind === 'registry-asset') && id.version) {
      return id.kind === 'asset'
        ? `azureml:${id.name}:${id.version}`
        : `azureml://registries/${id.registry.registry}/${id.assetType}/${id.name}/versions/${id.version}`;
    }
  } catch {
    // Not an id we know: keep it as the job had it.
  }
  return uri;
}
