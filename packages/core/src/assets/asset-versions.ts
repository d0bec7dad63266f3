// Versioned workspace assets (environments, components, data, models, codes) through ARM REST:
// get, latest (what `@latest` means: the newest by creation time), container names for near-match
// suggestions, idempotent create, and the anonymous environment/component versions the CLI
// creates for inline definitions.

import { API_VERSIONS } from '../arm/api-versions';
import type { ArmRestClient } from '../arm/rest';
import { AzureRequestError } from '../errors';
import { type AssetType, assetArmId, type WorkspaceRef, workspaceArmId } from '../workspace/arm-id';
import {
  ANONYMOUS_COMPONENT_NAME,
  ANONYMOUS_ENVIRONMENT_NAME,
  type AnonymousEnvironmentInput,
  anonymousComponentVersionOf,
  anonymousEnvironmentVersionOf,
} from './anonymous-names';

export type AssetKind = AssetType;

export interface AssetVersion {
  /** ARM id of the version. */
  id: string;
  name: string;
  version: string;
  /** The REST `properties` (e.g. `image`, `componentSpec`, `codeUri`, and the inner `properties` bag). */
  properties: Record<string, unknown>;
  createdAt?: string;
}

export interface CreatedAssetVersion extends AssetVersion {
  /** False when the version already existed (PUT answered 200, or a GET found it first). */
  created: boolean;
}

/** An inline environment: `image` (+ conda file text) or a `build` context already uploaded. */
export interface InlineEnvironmentSpec {
  image?: string;
  /** The conda file's text, sent as `condaFile`. */
  condaFile?: string;
  /** `contextUri`: where the build context is (URL or azureml:// URI); `contextHash` identifies its content. */
  build?: { contextUri: string; contextHash?: string; dockerfilePath?: string };
  osType?: 'Linux' | 'Windows';
  inferenceConfig?: Record<string, unknown>;
}

export interface AssetVersionsOptions {
  /** ARM api-version of asset calls; default API_VERSIONS.sdk. */
  apiVersion?: string;
}

interface RestAssetVersion {
  id?: string;
  name?: string;
  properties?: Record<string, unknown>;
  systemData?: { createdAt?: string };
}

export class AssetVersions {
  private readonly apiVersion: string;

  constructor(
    private readonly rest: ArmRestClient,
    private readonly workspace: WorkspaceRef,
    options: AssetVersionsOptions = {},
  ) {
    this.apiVersion = options.apiVersion ?? API_VERSIONS.sdk;
  }

  /** The version, or undefined when it (or its container) does not exist. */
  async get(
    kind: AssetKind,
    name: string,
    version: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<AssetVersion | undefined> {
    try {
      const response = await this.rest.request<RestAssetVersion>({
        method: 'GET',
        path: assetArmId(this.workspace, kind, name, version),
        apiVersion: this.apiVersion,
        abortSignal: options.abortSignal,
      });
      return toAssetVersion(response.body, assetArmId(this.workspace, kind, name, version), name, version);
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * The newest active version by creation time, as `azureml:<name>@latest` resolves (the
   * SDK lists `$orderBy=createdtime desc&$top=1`); undefined when there is none.
   */
  async latest(
    kind: AssetKind,
    name: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<AssetVersion | undefined> {
    let versions: RestAssetVersion[];
    try {
      const response = await this.rest.request<{ value?: RestAssetVersion[] }>({
        method: 'GET',
        path: `${assetArmId(this.workspace, kind, name)}/versions`,
        apiVersion: this.apiVersion,
        query: { $orderBy: 'createdtime desc', $top: 1, listViewType: 'ActiveOnly' },
        abortSignal: options.abortSignal,
      });
      versions = response.body?.value ?? [];
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
    // Ordered by the service; re-checked here so a service that ignores $orderBy still gives the newest.
    const newest = [...versions].sort((a, b) =>
      (b.systemData?.createdAt ?? '').localeCompare(a.systemData?.createdAt ?? ''),
    )[0];
    if (!newest) return undefined;
    const version = versionFromId(newest);
    return toAssetVersion(newest, assetArmId(this.workspace, kind, name, version), name, version);
  }

  /** Names of every active container of `kind` (for "did you mean" suggestions). */
  async containerNames(kind: AssetKind, options: { abortSignal?: AbortSignal } = {}): Promise<string[]> {
    const names: string[] = [];
    const path = `${workspaceArmId(this.workspace)}/${kind}`;
    for await (const item of this.rest.list<{ name?: string }>(path, this.apiVersion, {
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    })) {
      if (item.name) names.push(item.name);
    }
    return names;
  }

  /** PUTs the version (`properties` is the REST `properties` object); 201 created, 200 existed. */
  async createOrGet(
    kind: AssetKind,
    name: string,
    version: string,
    properties: Record<string, unknown>,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<CreatedAssetVersion> {
    const response = await this.rest.request<RestAssetVersion>({
      method: 'PUT',
      path: assetArmId(this.workspace, kind, name, version),
      apiVersion: this.apiVersion,
      body: { properties },
      abortSignal: options.abortSignal,
    });
    const id = assetArmId(this.workspace, kind, name, version);
    return { ...toAssetVersion(response.body, id, name, version), created: response.status === 201 };
  }

  /** The CLI's anonymous environment for an inline definition, created when missing. */
  async anonymousEnvironmentVersion(
    spec: InlineEnvironmentSpec,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<CreatedAssetVersion> {
    const { name, version, properties } = anonymousEnvironment(spec);
    return this.ensure('environments', name, version, properties, options);
  }

  /** The CLI's anonymous component for a component spec (YAML form, code/environment as ARM ids). */
  async anonymousComponentVersion(
    componentSpec: Record<string, unknown>,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<CreatedAssetVersion> {
    const { name, version, properties } = anonymousComponent(componentSpec);
    return this.ensure('components', name, version, properties, options);
  }

  /** GET first: an anonymous version is content-addressed, so one that exists is the same. */
  private async ensure(
    kind: AssetKind,
    name: string,
    version: string,
    properties: Record<string, unknown>,
    options: { abortSignal?: AbortSignal },
  ): Promise<CreatedAssetVersion> {
    const existing = await this.get(kind, name, version, options);
    if (existing) return { ...existing, created: false };
    return this.createOrGet(kind, name, version, properties, options);
  }
}

/** Name, version and REST properties of the anonymous environment for `spec`. Pure. */
export function anonymousEnvironment(spec: InlineEnvironmentSpec): {
  name: string;
  version: string;
  properties: Record<string, unknown>;
} {
  if ((spec.image === undefined) === (spec.build === undefined)) {
    throw new Error('An anonymous environment needs exactly one of image or build.');
  }
  const input: AnonymousEnvironmentInput = spec.build
    ? {
        build: {
          contextHash: spec.build.contextHash ?? spec.build.contextUri,
          ...(spec.build.dockerfilePath ? { dockerfilePath: spec.build.dockerfilePath } : {}),
        },
      }
    : {
        ...(spec.image !== undefined ? { image: spec.image } : {}),
        ...(spec.condaFile ? { condaFile: spec.condaFile } : {}),
        ...(spec.inferenceConfig ? { inferenceConfig: spec.inferenceConfig } : {}),
      };
  const properties: Record<string, unknown> = {
    isAnonymous: true,
    ...(spec.image !== undefined ? { image: spec.image } : {}),
    ...(spec.condaFile ? { condaFile: spec.condaFile } : {}),
    ...(spec.build
      ? {
          build: {
            contextUri: spec.build.contextUri,
            ...(spec.build.dockerfilePath ? { dockerfilePath: spec.build.dockerfilePath } : {}),
          },
        }
      : {}),
    ...(spec.osType ? { osType: spec.osType } : {}),
    ...(spec.inferenceConfig ? { inferenceConfig: spec.inferenceConfig } : {}),
  };
  return { name: ANONYMOUS_ENVIRONMENT_NAME, version: anonymousEnvironmentVersionOf(input), properties };
}

/** Name, version and REST properties of the anonymous component for `componentSpec`. Pure. */
export function anonymousComponent(componentSpec: Record<string, unknown>): {
  name: string;
  version: string;
  properties: Record<string, unknown>;
} {
  const version = anonymousComponentVersionOf(componentSpec);
  const { id: _id, ...spec } = componentSpec;
  return {
    name: ANONYMOUS_COMPONENT_NAME,
    version,
    properties: {
      isAnonymous: true,
      componentSpec: { ...spec, name: ANONYMOUS_COMPONENT_NAME, version },
      ...(typeof componentSpec.description === 'string' ? { description: componentSpec.description } : {}),
      ...(isStringRecord(componentSpec.tags) ? { tags: componentSpec.tags } : {}),
    },
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function versionFromId(resource: RestAssetVersion): string {
  return resource.name ?? /\/versions\/([^/]+)$/.exec(resource.id ?? '')?.[1] ?? '';
}

function toAssetVersion(
  resource: RestAssetVersion | undefined,
  fallbackId: string,
  name: string,
  version: string,
): AssetVersion {
  const id = resource?.id ?? fallbackId;
  // The container name as the service spells it, from the id (versions are named by their version).
  const container =
    /\/(?:codes|components|data|environments|models)\/([^/]+)\/versions\//i.exec(id)?.[1] ?? name;
  return {
    id,
    name: container,
    version: resource?.name ?? version,
    properties: resource?.properties ?? {},
    ...(resource?.systemData?.createdAt ? { createdAt: resource.systemData.createdAt } : {}),
  };
}
