// The champion a candidate is compared with. The production model is the one taking traffic: on
// an online endpoint, the deployment with the largest traffic share (mirrored traffic does not
// count), then its model version, then that version's metrics (or its training job's). Or a model
// by name (newest, an explicit version, or the newest carrying a tag such as stage=production), a
// baseline file, or none. "No champion yet" is a result, not an error: a first deployment has none.

import { API_VERSIONS } from '../arm/api-versions';
import type { ArmRestClient } from '../arm/rest';
import type { AssetVersion, AssetVersions } from '../assets/asset-versions';
import { AzureRequestError, ConfigurationError } from '../errors';
import type { JobGetter } from '../jobs/children';
import type { MlflowClient } from '../metrics/mlflow-client';
import {
  onlineDeploymentArmId,
  onlineEndpointArmId,
  parseArmId,
  type WorkspaceRef,
} from '../workspace/arm-id';
import { readJobMetrics } from './job-metrics';
import { type Metrics, readMetricsFile } from './metric-files';
import {
  findModelVersion,
  type ModelRef,
  metricsOfModelVersion,
  parseModelRef,
  suggestModel,
  trainingJobOf,
} from './model-metrics';

export type ChampionSource =
  | { mode: 'none' }
  | { mode: 'file'; file: string; jsonPath?: string | undefined }
  | { mode: 'model'; model: ModelRef; tag?: { key: string; value: string } | undefined }
  | { mode: 'endpoint'; endpoint: string };

export type ChampionResult =
  | {
      found: true;
      metrics: Metrics;
      /** Readable, for the report: `deployment blue (90% of fraud-ep) → model fraud:3`. */
      description: string;
      model?: { name: string; version: string };
      deployment?: { name: string; trafficPercent: number };
    }
  | { found: false; reason: string };

export interface WorkspaceReaders {
  rest: ArmRestClient;
  workspace: WorkspaceRef;
  assets: AssetVersions;
  jobs: JobGetter;
  /** Created on first use: only a champion whose metrics are on its training job needs MLflow. */
  mlflow: () => Promise<MlflowClient>;
  abortSignal?: AbortSignal | undefined;
}

export async function resolveChampion(
  source: ChampionSource,
  readers: WorkspaceReaders | undefined,
): Promise<ChampionResult> {
  switch (source.mode) {
    case 'none':
      return { found: false, reason: 'champion is none: no comparison with a production model' };
    case 'file':
      return {
        found: true,
        metrics: await readMetricsFile(source.file, { jsonPath: source.jsonPath, input: 'baseline-file' }),
        description: `baseline file ${source.file}`,
      };
    case 'model':
      return modelChampion(requireReaders(readers, 'model'), source.model, source.tag);
    case 'endpoint':
      return endpointChampion(requireReaders(readers, 'endpoint'), source.endpoint);
  }
}

/** The metrics a model version carries, else those of the job that trained it. */
export async function modelVersionMetrics(
  readers: WorkspaceReaders,
  version: AssetVersion,
): Promise<{ metrics: Metrics; from: string }> {
  const own = metricsOfModelVersion(version);
  if (Object.keys(own).length > 0) return { metrics: own, from: `model ${version.name}:${version.version}` };
  const job = trainingJobOf(version);
  if (!job) return { metrics: {}, from: `model ${version.name}:${version.version} (records no metrics)` };
  const read = await readJobMetrics(await readers.mlflow(), readers.jobs, job, {
    jobInput: 'champion',
    ...(readers.abortSignal ? { abortSignal: readers.abortSignal } : {}),
  });
  return {
    metrics: read.metrics,
    from: `model ${version.name}:${version.version} → its training ${read.source}`,
  };
}

async function modelChampion(
  readers: WorkspaceReaders,
  ref: ModelRef,
  tag: { key: string; value: string } | undefined,
): Promise<ChampionResult> {
  const version = await findModelVersion(readers.assets, readers.rest, readers.workspace, ref, {
    input: 'champion-model',
    tag,
    abortSignal: readers.abortSignal,
  });
  if (!version) {
    const call = readers.abortSignal ? { abortSignal: readers.abortSignal } : {};
    const what = tag
      ? `no version of model '${ref.name}' is tagged ${tag.key}=${tag.value}`
      : `model '${ref.name}' is not registered`;
    const exists = (await readers.assets.latest('models', ref.name, call)) !== undefined;
    return {
      found: false,
      reason: exists ? what : `${what}. ${await suggestModel(readers.assets, ref.name, call)}`,
    };
  }
  const { metrics, from } = await modelVersionMetrics(readers, version);
  return { found: true, metrics, description: from, model: { name: version.name, version: version.version } };
}

interface EndpointBody {
  properties?: { traffic?: Record<string, number>; provisioningState?: string };
}
interface DeploymentBody {
  properties?: { model?: string };
}

async function endpointChampion(readers: WorkspaceReaders, endpoint: string): Promise<ChampionResult> {
  const call = readers.abortSignal ? { abortSignal: readers.abortSignal } : {};
  let body: EndpointBody;
  try {
    body = (
      await readers.rest.request<EndpointBody>({
        method: 'GET',
        path: onlineEndpointArmId(readers.workspace, endpoint),
        apiVersion: API_VERSIONS.sdk,
        ...call,
      })
    ).body;
  } catch (error) {
    if (error instanceof AzureRequestError && error.status === 404) {
      return { found: false, reason: `online endpoint '${endpoint}' does not exist yet` };
    }
    throw error;
  }
  const serving = Object.entries(body?.properties?.traffic ?? {})
    .filter(([, percent]) => percent > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const top = serving[0];
  if (!top)
    return { found: false, reason: `online endpoint '${endpoint}' sends no traffic to any deployment` };
  const [deployment, trafficPercent] = top;
  const deploymentBody = (
    await readers.rest.request<DeploymentBody>({
      method: 'GET',
      path: onlineDeploymentArmId(readers.workspace, endpoint, deployment),
      apiVersion: API_VERSIONS.sdk,
      ...call,
    })
  ).body;
  const modelId = deploymentBody?.properties?.model;
  if (!modelId) {
    throw new ConfigurationError(`deployment '${deployment}' of endpoint '${endpoint}' names no model`, {
      input: 'champion-endpoint',
      fix: 'Deploy a registered model (deploy-endpoint), or compare with champion: model or file.',
    });
  }
  const ref = modelRefOfDeployment(modelId);
  const version = await readers.assets.get('models', ref.name, ref.version, call);
  if (!version) {
    throw new ConfigurationError(
      `deployment '${deployment}' serves model ${ref.name}:${ref.version}, which is not in the workspace`,
      {
        input: 'champion-endpoint',
        fix: 'Registry models are not read yet; compare with champion: model or file instead.',
      },
    );
  }
  const { metrics, from } = await modelVersionMetrics(readers, version);
  return {
    found: true,
    metrics,
    description: `deployment ${deployment} (${trafficPercent}% of ${endpoint}) → ${from}`,
    model: { name: version.name, version: version.version },
    deployment: { name: deployment, trafficPercent },
  };
}

/** A deployment's `model`: an ARM id of a workspace model version, or `azureml:name:version`. */
export function modelRefOfDeployment(model: string): { name: string; version: string } {
  if (model.startsWith('/')) {
    const parsed = parseArmId(model, { input: 'champion-endpoint' });
    if (parsed.kind === 'asset' && parsed.assetType === 'models' && parsed.version) {
      return { name: parsed.name, version: parsed.version };
    }
  } else {
    const ref = parseModelRef(model, 'champion-endpoint');
    if (ref.version) return { name: ref.name, version: ref.version };
  }
  throw new ConfigurationError(`the deployment's model '${model}' is not a workspace model version`, {
    input: 'champion-endpoint',
    fix: 'Registry models are not read yet; compare with champion: model or file instead.',
  });
}

function requireReaders(readers: WorkspaceReaders | undefined, mode: string): WorkspaceReaders {
  if (readers) return readers;
  throw new ConfigurationError(`champion: ${mode} needs the workspace`, {
    input: 'champion',
    fix: 'Give the workspace inputs (subscription-id, resource-group, workspace) and Azure credentials.',
  });
}
