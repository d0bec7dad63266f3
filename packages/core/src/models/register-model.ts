// Registering a model version, end to end: read the source and check its layout, gather lineage
// and the training job's metrics, pick the version (the existing one for the same content), put
// the files in place, PUT the version, move the stage, and optionally promote the version into a
// registry. Everything that can be wrong with the inputs is found before the first write.

import { ConfigurationError } from '../errors';
import { readJobMetrics } from '../gate/job-metrics';
import type { Logger } from '../github/logger';
import { type ContentDeps, type ModelContent, resolveModelContent } from './model-content';
import { buildModelLineage, CONTENT_HASH_PROPERTY, SOURCE_PROPERTY } from './model-lineage';
import { type PlacementDeps, placeInRegistry, placeInWorkspace } from './model-placement';
import type { ModelSource } from './model-source';
import type { ModelStore, ModelVersionResource } from './model-store';
import { checkModelLayout, MODEL_TYPES, type ModelType } from './model-types';
import { type ExistingVersion, type ModelIdentity, planVersion, sameContent } from './version-plan';

type Env = Readonly<Record<string, string | undefined>>;

export const STAGE_TAG = 'stage';
const READ_ONLY_PROPERTIES = ['provisioningState'];

export interface RegisterModelRequest {
  source: ModelSource;
  name: string;
  /** Undefined: `custom_model`, or the source model's type when promoting or pulling. */
  type?: ModelType | undefined;
  /** `auto` or an explicit version. */
  version: string;
  description?: string | undefined;
  tags: Record<string, string>;
  properties: Record<string, string>;
  stage?: string | undefined;
  unsetStageOnPrevious: boolean;
  /** Where the version is registered: the workspace or a registry. */
  target: ModelStore;
  /** Afterwards, copy the new workspace version into this registry. */
  promoteTo?: ModelStore | undefined;
  env: Env;
}

export interface RegisterModelDeps extends ContentDeps, Omit<PlacementDeps, 'abortSignal'> {
  logger: Pick<Logger, 'info' | 'warning'>;
}

export interface ModelRegistration {
  scope: string;
  name: string;
  version: string;
  /** `azureml:name:version` (workspace) or `azureml://registries/…` (registry). */
  uri: string;
  armId: string;
  /** False when an existing version with the same content was returned. */
  created: boolean;
  modelUri: string;
  modelType: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  jobName?: string | undefined;
  source: string;
  files: number;
  totalBytes: number;
  uploadedBytes: number;
  stage?: string | undefined;
  /** Versions the stage was taken from (unset-stage-on-previous). */
  stageRemovedFrom: string[];
  metrics: Record<string, number>;
}

export interface RegisterModelResult {
  registration: ModelRegistration;
  promotion?: ModelRegistration | undefined;
}

export async function registerModel(
  request: RegisterModelRequest,
  deps: RegisterModelDeps,
): Promise<RegisterModelResult> {
  await checkScopeExists(request.target, 'registry', deps);
  if (request.promoteTo) await checkScopeExists(request.promoteTo, 'promote-to-registry', deps);
  checkSourceAgainstTarget(request, deps);

  const content = await resolveModelContent(request.source, deps);
  const registration = await registerContent(content, request, deps, 'version');
  if (!request.promoteTo) return { registration };

  const promotionSource: ModelSource = {
    kind: 'workspace-model',
    name: registration.name,
    version: registration.version,
  };
  const promotedContent = await resolveModelContent(promotionSource, deps);
  const promotion = await registerContent(
    promotedContent,
    {
      ...request,
      source: promotionSource,
      target: request.promoteTo,
      version: registration.version,
      stage: undefined,
      unsetStageOnPrevious: false,
      tags: {},
      properties: {},
    },
    deps,
    'promote-to-registry',
  );
  return { registration, promotion };
}

async function checkScopeExists(store: ModelStore, input: string, deps: RegisterModelDeps): Promise<void> {
  if (store.scope.kind !== 'registry') return;
  if (!(await store.exists(signal(deps)))) {
    const { registry, resourceGroup } = store.scope.registry;
    throw new ConfigurationError(
      `registry '${registry}' does not exist in resource group '${resourceGroup}'`,
      {
        input,
        fix: 'Check the registry name (the Azure ML registry, not a container registry), or give its full ARM id for a registry in another resource group.',
      },
    );
  }
}

function checkSourceAgainstTarget(request: RegisterModelRequest, deps: RegisterModelDeps): void {
  const { source, target } = request;
  const connected = deps.workspaceModels.scope;
  if (source.kind === 'workspace-model' && source.workspace && connected.kind === 'workspace') {
    const same = (['subscriptionId', 'resourceGroup', 'workspace'] as const).every(
      (key) => source.workspace?.[key].toLowerCase() === connected.workspace[key].toLowerCase(),
    );
    if (!same) {
      throw new ConfigurationError(
        `model ${source.name}:${source.version} is in workspace '${source.workspace.workspace}' (resource group '${source.workspace.resourceGroup}'), not in '${connected.workspace.workspace}', the workspace this step connects to`,
        {
          input: 'path',
          fix: `Connect the step to workspace '${source.workspace.workspace}' (workspace and resource-group inputs) to promote it from there.`,
        },
      );
    }
  }
  if (source.kind === 'workspace-model' && target.scope.kind === 'workspace') {
    throw new ConfigurationError(
      `azureml:${source.name}:${source.version} is already registered in the workspace`,
      {
        input: 'path',
        fix: 'To copy it into a registry, set registry: <registry name>; to register its files under another name, give their datastore path.',
      },
    );
  }
  if (source.kind === 'registry-model' && target.scope.kind === 'registry') {
    throw new ConfigurationError('a registry model cannot be registered into a registry here', {
      input: 'registry',
      fix: 'Leave registry out to pull the registry model into the workspace.',
    });
  }
  if (request.promoteTo && target.scope.kind === 'registry') {
    throw new ConfigurationError('promote-to-registry is given together with registry', {
      input: 'promote-to-registry',
      fix: 'Use registry to register straight into a registry, or promote-to-registry to register in the workspace and then copy it; not both.',
    });
  }
}

async function registerContent(
  content: ModelContent,
  request: RegisterModelRequest,
  deps: RegisterModelDeps,
  versionInput: string,
): Promise<ModelRegistration> {
  const { target, name } = request;
  const sourceModel = content.sourceModel;
  const sourceType = sourceModel ? String(sourceModel.properties.modelType ?? 'custom_model') : undefined;
  if (request.type && sourceType && request.type !== sourceType) {
    throw new ConfigurationError(`${content.source} is a ${sourceType}, not a ${request.type}`, {
      input: 'type',
      fix: `Leave type out (it follows the source model) or set type: ${sourceType}.`,
    });
  }
  const modelType = request.type ?? (sourceType as ModelType | undefined) ?? 'custom_model';
  if (content.files.length > 0 && (MODEL_TYPES as readonly string[]).includes(modelType)) {
    checkModelLayout(
      modelType,
      content.files.map((file) => file.relativePath),
      { location: content.source, input: 'path' },
    );
  }

  const metrics = await trainingMetrics(content, deps);
  const lineage = sourceModel
    ? carriedLineage(sourceModel, content, request)
    : buildModelLineage({
        env: request.env,
        source: content.source,
        contentHash: content.contentHash,
        contentHashVersion: content.contentHashVersion,
        job: content.job,
        parentJob: content.parentJob,
        metrics,
        userTags: request.tags,
        userProperties: request.properties,
      });
  if (request.stage) lineage.tags[STAGE_TAG] = request.stage;

  const identity: ModelIdentity = {
    modelType,
    contentHash: content.contentHash,
    source: content.source,
    sourceIsImmutable: content.sourceIsImmutable,
  };
  let versions = await target.listVersions(name, signal(deps));
  let resource: ModelVersionResource | undefined;
  let created = false;
  let uploadedBytes = 0;
  let modelUri = '';
  for (let attempt = 1; !resource; attempt += 1) {
    const plan = planVersion(name, versions.map(existingVersion), identity, request.version, versionInput);
    if (plan.action === 'reuse') {
      resource = versions.find((version) => version.version === plan.version);
      deps.logger.info(
        `${content.source} is already registered as ${target.uri(name, plan.version)} in ${target.description}; nothing new is created.`,
      );
      break;
    }
    deps.logger.info(
      `Registering ${content.source} as ${target.uri(name, plan.version)} in ${target.description} (${content.files.length} files, ${content.totalBytes} bytes).`,
    );
    const placement =
      target.scope.kind === 'registry'
        ? await placeInRegistry(content, target, name, plan.version, {
            ...deps,
            abortSignal: deps.abortSignal,
          })
        : await placeInWorkspace(content, { ...deps, abortSignal: deps.abortSignal });
    uploadedBytes = placement.uploadedBytes;
    modelUri = placement.modelUri;
    const body: Record<string, unknown> = {
      modelUri,
      modelType,
      isAnonymous: false,
      isArchived: false,
      tags: lineage.tags,
      properties: lineage.properties,
      ...((request.description ?? sourceModel?.properties.description)
        ? { description: request.description ?? sourceModel?.properties.description }
        : {}),
      ...(lineage.jobName ? { jobName: lineage.jobName } : {}),
      ...(request.stage ? { stage: request.stage } : {}),
    };
    const put = await target
      .put(name, plan.version, body, {
        ...signal(deps),
        onPoll: (status) =>
          deps.logger.info(`  ${target.description}: ${name}:${plan.version} is ${status}…`),
      })
      .catch((error: unknown) => {
        if ((error as { status?: number }).status === 409) return undefined;
        throw error;
      });
    if (put?.created) {
      resource = put.resource;
      created = true;
      break;
    }
    // Someone else registered this number meanwhile (PUT answered 200 or 409): look again.
    versions = await target.listVersions(name, signal(deps));
    const now = versions.find((version) => version.version === plan.version);
    if (now && sameContent(existingVersion(now), identity)) {
      resource = now;
      break;
    }
    if (request.version !== 'auto' || attempt >= 3) {
      throw new ConfigurationError(
        `version ${plan.version} of model '${name}' was registered by someone else with other content while this step ran`,
        {
          input: versionInput,
          fix: 'Run the step again (version: auto takes the next free number).',
        },
      );
    }
  }

  if (!resource) throw new Error(`No version of model '${name}' was found or created.`);
  const stageRemovedFrom = request.stage
    ? await moveStage(target, resource, versions, request.stage, request.unsetStageOnPrevious, deps)
    : [];
  const properties = resource.properties;
  return {
    scope: target.description,
    name: resource.name,
    version: resource.version,
    uri: target.uri(resource.name, resource.version),
    armId: resource.id,
    created,
    modelUri: String(properties.modelUri ?? modelUri),
    modelType: String(properties.modelType ?? modelType),
    tags: stringRecord(properties.tags),
    properties: stringRecord(properties.properties),
    jobName: typeof properties.jobName === 'string' ? properties.jobName : lineage.jobName,
    source: content.source,
    files: content.files.length,
    totalBytes: content.totalBytes,
    uploadedBytes,
    stage: request.stage,
    stageRemovedFrom,
    metrics,
  };
}

async function trainingMetrics(
  content: ModelContent,
  deps: RegisterModelDeps,
): Promise<Record<string, number>> {
  if (!content.job) return {};
  try {
    const read = await readJobMetrics(await deps.mlflow(), deps.jobs, content.job.name, signal(deps));
    return read.metrics;
  } catch (error) {
    if (error instanceof ConfigurationError) {
      deps.logger.warning(`No training metrics recorded on the model: ${error.problem}.`);
      return {};
    }
    throw error;
  }
}

/** Promotion and pulls keep the source version's tags and properties, with this run's lineage on top. */
function carriedLineage(
  sourceModel: ModelVersionResource,
  content: ModelContent,
  request: RegisterModelRequest,
) {
  const sourceProperties = stringRecord(sourceModel.properties.properties);
  const jobName =
    typeof sourceModel.properties.jobName === 'string' ? sourceModel.properties.jobName : undefined;
  const lineage = buildModelLineage({
    env: request.env,
    source: content.source,
    contentHash: content.contentHash,
    contentHashVersion: content.contentHashVersion,
    userTags: { ...stringRecord(sourceModel.properties.tags), ...request.tags },
    userProperties: { ...sourceProperties, 'aml-actions.copiedFrom': sourceModel.id, ...request.properties },
  });
  // The source's own tags win over this run's: they describe how the model was trained.
  Object.assign(lineage.tags, stringRecord(sourceModel.properties.tags), request.tags);
  delete lineage.tags[STAGE_TAG];
  return { ...lineage, ...(jobName ? { jobName } : {}) };
}

/** Sets the stage on `resource` and, when asked, takes it from every other version holding it. */
async function moveStage(
  target: ModelStore,
  resource: ModelVersionResource,
  versions: readonly ModelVersionResource[],
  stage: string,
  unsetOnPrevious: boolean,
  deps: RegisterModelDeps,
): Promise<string[]> {
  if (stageOf(resource) !== stage || stringRecord(resource.properties.tags)[STAGE_TAG] !== stage) {
    const tags = { ...stringRecord(resource.properties.tags), [STAGE_TAG]: stage };
    const updated = await target.put(
      resource.name,
      resource.version,
      { ...writable(resource), stage, tags },
      signal(deps),
    );
    Object.assign(resource, { properties: updated.resource.properties });
  }
  if (!unsetOnPrevious) return [];
  const removedFrom: string[] = [];
  for (const other of versions) {
    if (other.version === resource.version) continue;
    const tags = stringRecord(other.properties.tags);
    if (stageOf(other) !== stage && tags[STAGE_TAG] !== stage) continue;
    const { [STAGE_TAG]: _removed, ...rest } = tags;
    const { stage: _stage, ...properties } = writable(other);
    await target.put(other.name, other.version, { ...properties, tags: rest }, signal(deps));
    removedFrom.push(other.version);
    deps.logger.info(`Stage '${stage}' removed from ${target.uri(other.name, other.version)}.`);
  }
  return removedFrom;
}

function stageOf(resource: ModelVersionResource): string | undefined {
  return typeof resource.properties.stage === 'string' ? resource.properties.stage : undefined;
}

function writable(resource: ModelVersionResource): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(resource.properties).filter(([key]) => !READ_ONLY_PROPERTIES.includes(key)),
  );
}

function existingVersion(resource: ModelVersionResource): ExistingVersion {
  const inner = stringRecord(resource.properties.properties);
  return {
    version: resource.version,
    modelType: typeof resource.properties.modelType === 'string' ? resource.properties.modelType : undefined,
    contentHash: inner[CONTENT_HASH_PROPERTY],
    source: inner[SOURCE_PROPERTY],
    createdAt: resource.createdAt,
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
}

const signal = (deps: { abortSignal?: AbortSignal | undefined }) =>
  deps.abortSignal ? { abortSignal: deps.abortSignal } : {};
