// What a model source holds, found before anything is written: the files (relative path, size,
// checksum), a content hash, and the job that produced them. A job must be Completed; an unknown
// output, step or empty location is a ConfigurationError that lists what exists.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CodeAssets, PreparedCode } from '../assets/code-assets';
import { SNAPSHOT_HASH_VERSION } from '../assets/snapshot';
import { ConfigurationError } from '../errors';
import type { JobGetter } from '../jobs/children';
import { findStepJob, getCompletedJob } from '../jobs/completed-job';
import type { JobResource } from '../jobs/job-client';
import type { MlflowClient } from '../metrics/mlflow-client';
import type { BlobListing, DatastoreBlobs } from '../storage/datastore-blobs';
import { parseAzureMlReference } from '../workspace/uri';
import { LISTING_HASH_VERSION, type ListedFile, listingHash } from './content-hash';
import { CONTENT_HASH_PROPERTY, CONTENT_HASH_VERSION_PROPERTY, SOURCE_PROPERTY } from './model-lineage';
import type { ModelSource } from './model-source';
import type { ModelStore, ModelVersionResource } from './model-store';

/** Where the bytes are, so the registration can reference them or copy them. */
export type ContentLocation =
  /** A workspace datastore folder or blob: referenced by a workspace model, copied into a registry. */
  | { kind: 'datastore'; uri: string; listing: BlobListing }
  | { kind: 'local'; prepared: PreparedCode }
  /** S3 or GCS objects: copied into a datastore (or a registry) first. */
  | { kind: 'external'; url: string; objects: ExternalObject[] }
  /** A registry model version: a workspace model can refer to it without copying. */
  | { kind: 'registry-model'; uri: string };

export interface ExternalObject {
  /** The object's key in its bucket. */
  key: string;
  relativePath: string;
  size: number;
}

export interface ModelContent {
  /** The source as one URI: the `aml-actions.source` property. */
  source: string;
  sourceIsImmutable: boolean;
  files: ListedFile[];
  totalBytes: number;
  contentHash: string;
  contentHashVersion: string;
  location: ContentLocation;
  /** True when the source is one file (its bare name is the model's only path). */
  singleFile: boolean;
  /** The job (or pipeline step's job) whose output this is, and its pipeline. */
  job?: JobResource;
  parentJob?: JobResource;
  /** For model sources: the version read, whose tags and properties carry over. */
  sourceModel?: ModelVersionResource;
}

/** Lists an external bucket prefix (s3://, gs://); provided by the object-store layer. */
export type ExternalLister = (
  url: string,
  abortSignal?: AbortSignal,
) => Promise<{
  objects: (ExternalObject & { checksum: string })[];
  singleObject: boolean;
}>;

export interface ContentDeps {
  jobs: JobGetter;
  blobs: DatastoreBlobs;
  codeAssets: CodeAssets;
  mlflow: () => Promise<MlflowClient>;
  /** The workspace's model store (workspace-model sources are read from it). */
  workspaceModels: ModelStore;
  /** A registry's model store by name (registry-model sources). */
  registryModels: (registry: string, source: Extract<ModelSource, { kind: 'registry-model' }>) => ModelStore;
  listExternal: ExternalLister;
  cwd: string;
  abortSignal?: AbortSignal | undefined;
}

export async function resolveModelContent(source: ModelSource, deps: ContentDeps): Promise<ModelContent> {
  switch (source.kind) {
    case 'job-output':
      return jobOutputContent(source, deps);
    case 'datastore':
      return datastoreContent(source.uri, source.uri, false, deps, 'path');
    case 'local':
      return localContent(source.path, deps);
    case 'external':
      return externalContent(source.url, deps);
    case 'workspace-model':
      return modelVersionContent(deps.workspaceModels, source.name, source.version, deps);
    case 'registry-model':
      return modelVersionContent(
        deps.registryModels(source.registry, source),
        source.name,
        source.version,
        deps,
      );
  }
}

async function jobOutputContent(
  source: Extract<ModelSource, { kind: 'job-output' }>,
  deps: ContentDeps,
): Promise<ModelContent> {
  const jobInput = source.output === 'artifacts' && !source.step ? 'path' : 'job-name';
  const notCompletedFix =
    'Register the output of a job that completed: wait for it (train-pipeline with wait: true) or fix its failure first.';
  const call = { abortSignal: deps.abortSignal };
  const parent = await getCompletedJob(deps.jobs, source.job, { input: jobInput, notCompletedFix, ...call });
  let job = parent;
  if (source.step) {
    const child = await findStepJob(await deps.mlflow(), deps.jobs, parent, source.step, {
      input: 'step',
      ...call,
    });
    job = await getCompletedJob(deps.jobs, child.name, { input: 'step', notCompletedFix, ...call });
  }
  const outputs =
    (job.properties.outputs as Record<string, { uri?: unknown; jobOutputType?: unknown }> | undefined) ?? {};
  const named = Object.keys(outputs).filter((name) => name !== 'default');
  let output = source.output;
  if (output === undefined) {
    if (named.length !== 1) {
      throw new ConfigurationError(
        `job '${job.name}' has ${named.length === 0 ? 'no named outputs' : `${named.length} outputs`}; say which to register`,
        {
          input: 'output-name',
          fix:
            named.length > 0
              ? `Set output-name to one of: ${named.join(', ')}.`
              : 'Register the run artifacts with path: runs:/<job>/<path>, or give the job an output.',
        },
      );
    }
    output = named[0] as string;
  }
  let outputUri: string | undefined;
  if (output === 'artifacts') {
    // The run's artifact folder: the service's default output (`…/ExperimentRun/dcid.<job>`).
    const defaultUri = outputs.default?.uri;
    outputUri =
      typeof defaultUri === 'string'
        ? defaultUri
        : `azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.${job.name}`;
  } else {
    const uri = outputs[output]?.uri;
    if (!(output in outputs)) {
      throw new ConfigurationError(`job '${job.name}' has no output '${output}'`, {
        input: jobInput === 'path' ? 'path' : 'output-name',
        fix:
          named.length > 0
            ? `Its outputs are: ${named.join(', ')} (and artifacts, the run's files).`
            : `Job '${job.name}' has no named outputs; register its artifacts with runs:/${job.name}/<path>.`,
      });
    }
    outputUri = typeof uri === 'string' ? uri : undefined;
  }
  if (!outputUri) {
    throw new ConfigurationError(`output '${output}' of job '${job.name}' has no storage location`, {
      input: 'output-name',
      fix: 'Register an output the job wrote to a datastore (uri_folder, uri_file, mlflow_model, custom_model).',
    });
  }
  const datastoreUri = joinUriPath(outputUri, source.path);
  const sourceUri = `azureml://jobs/${job.name}/outputs/${output}${source.path ? `/paths/${source.path}` : ''}`;
  const content = await datastoreContent(
    datastoreUri,
    sourceUri,
    true,
    deps,
    jobInput === 'path' ? 'path' : 'output-name',
  );
  return { ...content, job, ...(job !== parent ? { parentJob: parent } : {}) };
}

/** `base` + `/sub` for a datastore URI, whichever of them ends in a slash. */
function joinUriPath(base: string, sub: string): string {
  if (!sub) return base;
  return `${base.replace(/\/+$/, '')}/${sub.replace(/^\/+/, '')}`;
}

async function datastoreContent(
  uri: string,
  source: string,
  sourceIsImmutable: boolean,
  deps: ContentDeps,
  input: string,
): Promise<ModelContent> {
  const listing = await deps.blobs.list(uri, deps.abortSignal ? { abortSignal: deps.abortSignal } : {});
  if (listing.blobs.length === 0) {
    throw new ConfigurationError(`nothing is stored at '${source}'`, {
      input,
      fix:
        source === uri
          ? 'Check the datastore name and the path after /paths/.'
          : `Check that the job wrote files to that output (it resolves to ${uri}).`,
    });
  }
  const files = listing.blobs.map((blob) => ({
    relativePath: blob.relativePath,
    size: blob.size,
    checksum: blob.md5 ? `md5:${blob.md5}` : `etag:${blob.etag ?? ''}`,
  }));
  return {
    source,
    sourceIsImmutable,
    files,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    contentHash: listingHash(files),
    contentHashVersion: LISTING_HASH_VERSION,
    location: { kind: 'datastore', uri, listing },
    singleFile: listing.singleBlob,
  };
}

async function localContent(localPath: string, deps: ContentDeps): Promise<ModelContent> {
  const absolute = path.resolve(deps.cwd, localPath);
  try {
    await stat(absolute);
  } catch {
    throw new ConfigurationError(`the local path '${localPath}' does not exist (resolved to ${absolute})`, {
      input: 'path',
      fix: 'Give a model file or folder that exists in the workspace checkout (paths are relative to the working directory).',
    });
  }
  const prepared = await deps.codeAssets.prepare(absolute, {
    input: 'path',
    ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
  });
  if (prepared.files.length === 0) {
    throw new ConfigurationError(`the folder '${localPath}' has no files to register`, {
      input: 'path',
      fix: 'Add the model files, or check that .amlignore/.gitignore does not exclude them.',
    });
  }
  const files = prepared.files.map((file) => ({
    relativePath: file.relativePath,
    size: file.size,
    checksum: '',
  }));
  return {
    source: `file:${path.relative(deps.cwd, absolute) || '.'}`,
    sourceIsImmutable: false,
    files,
    totalBytes: prepared.totalBytes,
    contentHash: prepared.hash,
    contentHashVersion: SNAPSHOT_HASH_VERSION,
    location: { kind: 'local', prepared },
    singleFile: prepared.kind === 'file',
  };
}

async function externalContent(url: string, deps: ContentDeps): Promise<ModelContent> {
  const { objects, singleObject } = await deps.listExternal(url, deps.abortSignal);
  if (objects.length === 0) {
    throw new ConfigurationError(`nothing is stored at '${url}'`, {
      input: 'path',
      fix: 'Check the bucket and the prefix; a folder prefix lists every object under it.',
    });
  }
  const files = objects.map((object) => ({
    relativePath: object.relativePath,
    size: object.size,
    checksum: object.checksum,
  }));
  return {
    source: url,
    sourceIsImmutable: false,
    files,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    contentHash: listingHash(files),
    contentHashVersion: LISTING_HASH_VERSION,
    location: { kind: 'external', url, objects },
    singleFile: singleObject,
  };
}

async function modelVersionContent(
  store: ModelStore,
  name: string,
  version: string,
  deps: ContentDeps,
): Promise<ModelContent> {
  const model = await store.get(name, version, deps.abortSignal ? { abortSignal: deps.abortSignal } : {});
  if (!model) {
    throw new ConfigurationError(`model ${name}:${version} does not exist in ${store.description}`, {
      input: 'path',
      fix: `Give a version that exists (list them with az ml model list --name ${name}), or register it first.`,
    });
  }
  const uri = store.uri(model.name, model.version);
  const inner = (model.properties.properties as Record<string, string> | undefined) ?? {};
  const modelUri = String(model.properties.modelUri ?? '');
  if (store.scope.kind === 'registry') {
    const hash = inner[CONTENT_HASH_PROPERTY] ?? `registry:${uri}`;
    return {
      source: uri,
      sourceIsImmutable: true,
      files: [],
      totalBytes: 0,
      contentHash: hash,
      contentHashVersion: inner[CONTENT_HASH_VERSION_PROPERTY] ?? 'reference',
      location: { kind: 'registry-model', uri },
      singleFile: false,
      sourceModel: model,
    };
  }
  const datastoreUri = workspaceDatastoreUri(modelUri);
  if (!datastoreUri) {
    throw new ConfigurationError(
      `model ${name}:${version} stores its files at '${modelUri}', which cannot be read as a datastore path`,
      {
        input: 'path',
        fix: 'Promote a model whose files are in a workspace datastore (azureml://datastores/... or a job output).',
      },
    );
  }
  const content = await datastoreContent(datastoreUri, uri, true, deps, 'path');
  // The content hash the version was registered with identifies it in the registry too.
  return {
    ...content,
    contentHash: inner[CONTENT_HASH_PROPERTY] ?? content.contentHash,
    contentHashVersion: inner[CONTENT_HASH_VERSION_PROPERTY] ?? content.contentHashVersion,
    sourceModel: {
      ...model,
      properties: {
        ...model.properties,
        properties: { ...inner, [SOURCE_PROPERTY]: inner[SOURCE_PROPERTY] ?? modelUri },
      },
    },
  };
}

/** A model's `modelUri` as a datastore URI, when it is one (short or long form). */
function workspaceDatastoreUri(modelUri: string): string | undefined {
  try {
    const ref = parseAzureMlReference(modelUri);
    return ref.kind === 'datastore' ? modelUri : undefined;
  } catch {
    return undefined;
  }
}
