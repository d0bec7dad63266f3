// The metrics of a registered model version. register-model records them as `metrics.<name>`
// properties (tags are read too); a version without any falls back to the metrics of the job
// that trained it (`jobName`, which the service sets on versions registered from a job output).

import { API_VERSIONS } from '../arm/api-versions';
import type { ArmRestClient } from '../arm/rest';
import type { AssetVersion, AssetVersions } from '../assets/asset-versions';
import { AzureRequestError, ConfigurationError } from '../errors';
import { closestMatch } from '../text/closest-match';
import { assetArmId, type WorkspaceRef } from '../workspace/arm-id';
import { type Metrics, toMetricNumber } from './metric-files';

export const METRIC_PROPERTY_PREFIX = 'metrics.';

/** A model reference as users write it: `azureml:name:version`, `name:version`, `name@latest`, `name`. */
export interface ModelRef {
  name: string;
  version?: string;
}

export function parseModelRef(text: string, input: string): ModelRef {
  const trimmed = text.trim().replace(/^azureml:/, '');
  const match = /^([A-Za-z0-9][\w.-]*)(?::([\w.-]+)|@(latest))?$/.exec(trimmed);
  if (!match) {
    throw new ConfigurationError(`'${text}' is not a model reference`, {
      input,
      fix: 'Write azureml:<name>:<version>, <name>:<version>, <name>@latest, or a model name.',
    });
  }
  return { name: match[1] as string, ...(match[2] ? { version: match[2] } : {}) };
}

/** `metrics.<name>` entries of a version's properties and tags (properties win), as numbers. */
export function metricsOfModelVersion(version: AssetVersion): Metrics {
  const metrics: Metrics = {};
  const bags = [version.properties.tags, version.properties.properties];
  for (const bag of bags) {
    if (typeof bag !== 'object' || bag === null) continue;
    for (const [key, value] of Object.entries(bag as Record<string, unknown>)) {
      if (!key.startsWith(METRIC_PROPERTY_PREFIX)) continue;
      const number = toMetricNumber(value);
      if (number !== undefined) metrics[key.slice(METRIC_PROPERTY_PREFIX.length)] = number;
    }
  }
  return metrics;
}

/** The training job of a version, when the service or register-model recorded one. */
export function trainingJobOf(version: AssetVersion): string | undefined {
  const direct = version.properties.jobName;
  if (typeof direct === 'string' && direct) return direct;
  const inner = version.properties.properties as Record<string, unknown> | undefined;
  const recorded = inner?.['azureml.jobName'] ?? inner?.job_name;
  return typeof recorded === 'string' && recorded ? recorded : undefined;
}

export interface ModelLookupOptions {
  /** Only versions whose tag `key` equals `value` (e.g. stage=production); the newest wins. */
  tag?: { key: string; value: string } | undefined;
  input: string;
  abortSignal?: AbortSignal | undefined;
}

/**
 * The version `ref` names. Undefined when the model (or, with a tag, a version carrying it) does
 * not exist yet: a first deployment has no champion. An explicit version that does not exist is
 * a configuration error.
 */
export async function findModelVersion(
  assets: AssetVersions,
  rest: ArmRestClient,
  workspace: WorkspaceRef,
  ref: ModelRef,
  options: ModelLookupOptions,
): Promise<AssetVersion | undefined> {
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  if (ref.version !== undefined) {
    const version = await assets.get('models', ref.name, ref.version, call);
    if (version) return version;
    const exists = (await assets.latest('models', ref.name, call)) !== undefined;
    throw new ConfigurationError(
      exists ? `model '${ref.name}' has no version '${ref.version}'` : `model '${ref.name}' does not exist`,
      {
        input: options.input,
        fix: exists
          ? `Use an existing version (az ml model list --name ${ref.name}), or ${ref.name}@latest.`
          : await suggestModel(assets, ref.name, call),
      },
    );
  }
  if (!options.tag) return assets.latest('models', ref.name, call);
  const { key, value } = options.tag;
  const versions: { name: string; tags: Record<string, unknown>; createdAt: string }[] = [];
  try {
    for await (const item of rest.list<RestVersion>(
      `${assetArmId(workspace, 'models', ref.name)}/versions`,
      API_VERSIONS.sdk,
      {
        query: { $orderBy: 'createdtime desc', listViewType: 'ActiveOnly' },
        ...call,
      },
    )) {
      if (item.name) {
        versions.push({
          name: item.name,
          tags: item.properties?.tags ?? {},
          createdAt: item.systemData?.createdAt ?? '',
        });
      }
    }
  } catch (error) {
    if (error instanceof AzureRequestError && error.status === 404) return undefined;
    throw error;
  }
  // Newest first, whatever order the service answered in.
  versions.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const match = versions.find((version) => version.tags[key] === value);
  return match ? assets.get('models', ref.name, match.name, call) : undefined;
}

interface RestVersion {
  name?: string;
  properties?: { tags?: Record<string, unknown> };
  systemData?: { createdAt?: string };
}

/** The "did you mean" fix for a model name that does not exist. */
export async function suggestModel(
  assets: AssetVersions,
  name: string,
  call: { abortSignal?: AbortSignal },
): Promise<string> {
  const names = await assets.containerNames('models', call);
  const near = closestMatch(name, names);
  if (near) return `Did you mean '${near}'? Registered models: ${names.slice(0, 10).join(', ')}.`;
  return names.length > 0
    ? `Registered models: ${names.slice(0, 10).join(', ')}.`
    : 'No model is registered in this workspace yet; register one with register-model.';
}
