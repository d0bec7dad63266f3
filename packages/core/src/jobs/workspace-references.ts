// The translation's ReferenceResolver against a real workspace: computes, environments,
// components, data and models are looked up (a missing one is a positioned configuration error
// with the near matches that exist); code folders and local inputs are uploaded once per content
// hash; inline environments and components become the CLI's anonymous versions.
// In dry-run mode only reads are sent: every write that would happen is recorded instead, and
// the ids the writes would create are computed the same way (content hashes), so the translated
// job body is the one a real submission sends.

import { API_VERSIONS } from '../arm/api-versions';
import type { ArmRestClient } from '../arm/rest';
import {
  AssetVersions,
  anonymousComponent,
  anonymousEnvironment,
  type InlineEnvironmentSpec,
} from '../assets/asset-versions';
import {
  CodeAssets,
  codeNameFor,
  codeUriPath,
  DEFAULT_DATASTORE,
  type PreparedCode,
} from '../assets/code-assets';
import { AzureRequestError, ConfigurationError } from '../errors';
import type { DatastoreBlobs, UploadProgress } from '../storage/datastore-blobs';
import { closestMatch } from '../text/closest-match';
import {
  type AssetType,
  assetArmId,
  computeArmId,
  type WorkspaceRef,
  workspaceArmId,
} from '../workspace/arm-id';
import type { AnonymousEnvironmentSpec, AssetRef, ReferenceResolver, SourceLocation } from './spec';

/** A write a dry run did not send. */
export interface PlannedRequest {
  method: string;
  url: string;
  body?: unknown;
}

export interface CodeUploadRecord {
  localPath: string;
  armId: string;
  hash: string;
  files: number;
  uploadedBytes: number;
  reused: boolean;
}

export interface WorkspaceReferencesOptions {
  /** Start in plan mode (reads only, writes recorded); switch with apply(). */
  dryRun: boolean;
  /** Progress and reuse lines. */
  log?: (message: string) => void;
  /** Log in plan mode too (a dry run); default false, so a plan pass before apply() is quiet. */
  logPlan?: boolean;
  /** Parallel blob uploads; default the storage layer's (8). */
  concurrency?: number;
  abortSignal?: AbortSignal;
  /** Milliseconds between upload progress lines; default 5000. */
  progressIntervalInMs?: number;
}

export class WorkspaceReferences implements ReferenceResolver {
  /** The writes a dry run would have sent, in order. */
  readonly planned: PlannedRequest[] = [];
  /** Every code folder resolved (uploaded, reused, or planned). */
  readonly codeUploads: CodeUploadRecord[] = [];
  private readonly assets: AssetVersions;
  private readonly codes: CodeAssets;
  private readonly log: (message: string) => void;
  private readonly call: { abortSignal?: AbortSignal };
  private planning: boolean;
  /** Lookups and snapshot hashes, shared by the plan pass and the apply pass. */
  private readonly reads = new Map<string, Promise<unknown>>();

  constructor(
    private readonly rest: ArmRestClient,
    private readonly workspace: WorkspaceRef,
    blobs: DatastoreBlobs,
    private readonly options: WorkspaceReferencesOptions,
  ) {
    this.assets = new AssetVersions(rest, workspace);
    this.codes = new CodeAssets(rest, workspace, blobs);
    const log = options.log ?? (() => undefined);
    this.log = (message) => {
      if (!this.planning || options.logPlan) log(message);
    };
    this.call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
    this.planning = options.dryRun;
  }

  /**
   * From plan mode to sending writes. A submission translates twice: a plan pass that checks
   * every reference with reads only (a bad one fails with nothing written), then the apply pass.
   */
  apply(): void {
    this.planning = false;
    this.planned.length = 0;
    this.codeUploads.length = 0;
  }

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.reads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      this.reads.set(key, pending);
    }
    return pending;
  }

  compute(name: string, at: SourceLocation): Promise<string> {
    return this.once(`compute:${name}`, () => this.findCompute(name, at));
  }

  private async findCompute(name: string, at: SourceLocation): Promise<string> {
    const id = computeArmId(this.workspace, name);
    try {
      await this.rest.request({ method: 'GET', path: id, apiVersion: API_VERSIONS.sdk, ...this.call });
      return id;
    } catch (error) {
      if (!(error instanceof AzureRequestError) || error.status !== 404) throw error;
    }
    const names = await this.listNames(`${workspaceArmId(this.workspace)}/computes`);
    throw notFound(`compute '${name}'`, name, names, at, {
      none: 'Create a compute cluster (az ml compute create), or leave `compute` out and set `resources.instance_type` to run on serverless compute.',
      some: (list) => `Use one of the workspace's computes: ${list}.`,
    });
  }

  environment(ref: AssetRef, at: SourceLocation): Promise<string> {
    return this.once(`environment:${describe(ref)}@${ref.registry ?? ''}`, () =>
      this.registeredAsset('environments', ref, at),
    );
  }

  component(ref: AssetRef, at: SourceLocation): Promise<string> {
    return this.once(`component:${describe(ref)}@${ref.registry ?? ''}`, () =>
      this.registeredAsset('components', ref, at),
    );
  }

  data(ref: AssetRef, at: SourceLocation): Promise<string> {
    return this.once(`data:${describe(ref)}@${ref.registry ?? ''}`, () => this.findData(ref, at));
  }

  private async findData(ref: AssetRef, at: SourceLocation): Promise<string> {
    if (ref.registry) return `azureml:${registryUri(ref.registry, 'data', ref)}`;
    // The input type is not known here: a name that is no data asset may be a model (mlflow_model inputs).
    const data = await this.findVersion('data', ref, at);
    if (data) return `azureml:${data}`;
    const model = await this.findVersion('models', ref, at);
    if (model) return `azureml:${model}`;
    const names = [
      ...(await this.assets.containerNames('data', this.call)),
      ...(await this.assets.containerNames('models', this.call)),
    ];
    throw notFound(`data or model asset '${describe(ref)}'`, ref.name, names, at, {
      none: 'Register the data first (az ml data create, or register-model for a model), or give a path or an azureml://datastores/... URI.',
      some: (list) => `Use one of the registered data and model assets: ${list}.`,
    });
  }

  async anonymousEnvironment(spec: AnonymousEnvironmentSpec, at: SourceLocation): Promise<string> {
    const inline: InlineEnvironmentSpec = {
      ...(spec.image !== undefined ? { image: spec.image } : {}),
      ...(spec.condaFile !== undefined ? { condaFile: spec.condaFile } : {}),
      ...(spec.osType ? { osType: spec.osType } : {}),
    };
    if (spec.build) {
      const context = await this.buildContext(spec.build.path, at);
      inline.build = {
        contextUri: context.uri,
        ...(context.hash ? { contextHash: context.hash } : {}),
        ...(spec.build.dockerfilePath ? { dockerfilePath: spec.build.dockerfilePath } : {}),
      };
    }
    if (this.planning) {
      const planned = anonymousEnvironment(inline);
      return this.planAnonymous('environments', planned);
    }
    const created = await this.assets.anonymousEnvironmentVersion(inline, this.call);
    if (created.created) this.log(`Registered anonymous environment ${created.name}:${created.version}.`);
    return created.id;
  }

  async anonymousComponent(componentSpec: Record<string, unknown>, _at: SourceLocation): Promise<string> {
    if (this.planning) {
      return this.planAnonymous('components', anonymousComponent(componentSpec));
    }
    const created = await this.assets.anonymousComponentVersion(componentSpec, this.call);
    const label = typeof componentSpec.name === 'string' ? ` (${componentSpec.name})` : '';
    if (created.created) this.log(`Registered component${label} as ${created.name}:${created.version}.`);
    return created.id;
  }

  async code(localPath: string, at: SourceLocation): Promise<string> {
    const prepared = await this.prepare(localPath, at);
    const existing = await this.codes.findByHash(prepared.hash, this.call);
    if (existing) {
      this.log(
        `Code ${localPath} unchanged (hash ${prepared.hash.slice(0, 12)}…): reusing ${existing.split('/codes/')[1] ?? existing}; 0 bytes uploaded.`,
      );
      this.record(prepared, existing, 0, true);
      return existing;
    }
    if (this.planning) {
      this.planUpload(prepared);
      const name = codeNameFor(prepared.hash);
      const id = this.planAssetPut('codes', name, '1', {
        properties: { hash_sha256: prepared.hash, hash_version: prepared.hashVersion },
        isAnonymous: false,
        isArchived: false,
        codeUri: `azureml://datastores/${DEFAULT_DATASTORE}/paths/${codeUriPath(prepared)}`,
      });
      this.record(prepared, id, prepared.totalBytes, false);
      return id;
    }
    this.log(
      `Uploading code ${localPath}: ${prepared.files.length} files, ${formatBytes(prepared.totalBytes)}.`,
    );
    const result = await this.codes.upload(prepared, {
      ...this.call,
      onProgress: this.progressLogger(`code ${localPath}`),
      ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
    });
    this.log(
      result.reused
        ? `Code ${localPath} unchanged: reusing its code version; 0 bytes uploaded.`
        : `Uploaded code ${localPath}: ${formatBytes(result.uploadedBytes)} uploaded.`,
    );
    this.record(prepared, result.armId, result.uploadedBytes, result.reused);
    return result.armId;
  }

  async localInput(localPath: string, at: SourceLocation): Promise<string> {
    const prepared = await this.prepare(localPath, at);
    if (this.planning) {
      this.planUpload(prepared);
      const suffix = prepared.kind === 'folder' ? '/' : '';
      return `azureml://datastores/${DEFAULT_DATASTORE}/paths/${codeUriPath(prepared)}${suffix}`;
    }
    const result = await this.codes.uploadLocalArtifact(localPath, {
      ...this.call,
      onProgress: this.progressLogger(`input ${localPath}`),
      ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
    });
    this.log(
      result.reused
        ? `Input ${localPath} unchanged: already uploaded; 0 bytes uploaded.`
        : `Uploaded input ${localPath}: ${formatBytes(result.uploadedBytes)}.`,
    );
    return result.uri;
  }

  private async registeredAsset(
    kind: 'environments' | 'components',
    ref: AssetRef,
    at: SourceLocation,
  ): Promise<string> {
    if (ref.registry) return registryUri(ref.registry, kind, ref);
    const id = await this.findVersion(kind, ref, at);
    if (id) return id;
    const singular = kind === 'environments' ? 'environment' : 'component';
    const names = await this.assets.containerNames(kind, this.call);
    if (ref.version !== undefined && names.includes(ref.name)) {
      throw new ConfigurationError(`${singular} '${ref.name}' has no version '${ref.version}'`, {
        ...location(at),
        fix: `Use an existing version (az ml ${singular} list --name ${ref.name}), or write azureml:${ref.name}@latest.`,
      });
    }
    throw notFound(`${singular} '${describe(ref)}'`, ref.name, names, at, {
      none: `Register it first (az ml ${singular} create), or define it inline in the YAML.`,
      some: (list) => `Use one of the workspace's ${kind}: ${list}.`,
    });
  }

  /** The ARM id of the version `ref` names, or undefined when there is none. */
  private async findVersion(kind: AssetType, ref: AssetRef, at: SourceLocation): Promise<string | undefined> {
    if (ref.version !== undefined) return (await this.assets.get(kind, ref.name, ref.version, this.call))?.id;
    const label = ref.label ?? 'latest';
    if (label !== 'latest') {
      throw new ConfigurationError(
        `'${describe(ref)}' uses the label '${label}'; only @latest can be resolved`,
        {
          ...location(at),
          fix: `Write azureml:${ref.name}:<version> or azureml:${ref.name}@latest.`,
        },
      );
    }
    return (await this.assets.latest(kind, ref.name, this.call))?.id;
  }

  private prepare(localPath: string, at: SourceLocation): Promise<PreparedCode> {
    return this.once(`prepare:${localPath}`, () => this.prepareUncached(localPath, at));
  }

  private async prepareUncached(localPath: string, at: SourceLocation): Promise<PreparedCode> {
    try {
      return await this.codes.prepare(localPath, { ...this.call, file: at.file });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ConfigurationError(`the local path '${localPath}' does not exist`, {
          ...location(at),
          fix: 'Paths in a job YAML are relative to the YAML file; check the path and that the checkout contains it.',
        });
      }
      throw error;
    }
  }

  private async buildContext(pathOrUrl: string, at: SourceLocation): Promise<{ uri: string; hash?: string }> {
    if (/^(https?|azureml):\/\//i.test(pathOrUrl)) return { uri: pathOrUrl };
    const uri = await this.localInput(pathOrUrl, at);
    const prepared = await this.prepare(pathOrUrl, at);
    return { uri, hash: prepared.hash };
  }

  /** An anonymous version is content-addressed: one that exists is the same, and is not written again. */
  private async planAnonymous(
    kind: 'environments' | 'components',
    planned: { name: string; version: string; properties: Record<string, unknown> },
  ): Promise<string> {
    const existing = await this.assets.get(kind, planned.name, planned.version, this.call);
    return existing?.id ?? this.planAssetPut(kind, planned.name, planned.version, planned.properties);
  }

  private planAssetPut(
    kind: AssetType,
    name: string,
    version: string,
    properties: Record<string, unknown>,
  ): string {
    const id = assetArmId(this.workspace, kind, name, version);
    this.planned.push({
      method: 'PUT',
      url: armRequestUrl(this.rest, id, API_VERSIONS.sdk),
      body: { properties },
    });
    return id;
  }

  private planUpload(prepared: PreparedCode): void {
    this.planned.push({
      method: 'PUT',
      url: `azureml://datastores/${DEFAULT_DATASTORE}/paths/${codeUriPath(prepared)}${prepared.kind === 'folder' ? '/' : ''}`,
      body: {
        blobs: prepared.files.map((file) => file.relativePath),
        bytes: prepared.totalBytes,
        metadata: { upload_status: 'completed' },
      },
    });
  }

  private record(prepared: PreparedCode, armId: string, uploadedBytes: number, reused: boolean): void {
    this.codeUploads.push({
      localPath: prepared.localPath,
      armId,
      hash: prepared.hash,
      files: prepared.files.length,
      uploadedBytes,
      reused,
    });
  }

  private progressLogger(what: string): (progress: UploadProgress) => void {
    const interval = this.options.progressIntervalInMs ?? 5000;
    let last = Date.now();
    return (progress) => {
      const now = Date.now();
      if (now - last < interval || progress.totalFiles === 0) return;
      last = now;
      this.log(
        `Uploading ${what}: ${progress.files}/${progress.totalFiles} files, ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}.`,
      );
    };
  }

  private async listNames(path: string): Promise<string[]> {
    const names: string[] = [];
    for await (const item of this.rest.list<{ name?: string }>(path, API_VERSIONS.sdk, this.call)) {
      if (item.name) names.push(item.name);
    }
    return names;
  }
}

/** The full URL of an ARM request, as a dry run records it. */
export function armRequestUrl(rest: ArmRestClient, path: string, apiVersion: string): string {
  return `${rest.endpoint}${path}?api-version=${apiVersion}`;
}

function registryUri(registry: string, kind: string, ref: AssetRef): string {
  const base = `azureml://registries/${registry}/${kind}/${ref.name}`;
  return ref.version !== undefined
    ? `${base}/versions/${ref.version}`
    : `${base}/labels/${ref.label ?? 'latest'}`;
}

function describe(ref: AssetRef): string {
  return ref.version !== undefined ? `${ref.name}:${ref.version}` : `${ref.name}@${ref.label ?? 'latest'}`;
}

function location(at: SourceLocation): { file: string; line: number; column: number } {
  return { file: at.file, line: at.line, column: at.column };
}

function notFound(
  what: string,
  name: string,
  names: readonly string[],
  at: SourceLocation,
  fixes: { none: string; some: (list: string) => string },
): ConfigurationError {
  const suggestion = closestMatch(name, names);
  const shown = [...names].sort().slice(0, 10).join(', ');
  return new ConfigurationError(
    `${what} does not exist in the workspace${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
    { ...location(at), fix: names.length === 0 ? fixes.none : fixes.some(shown) },
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
