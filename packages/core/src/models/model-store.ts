// Model containers and versions in one scope: a workspace, or an Azure ML registry. Same REST
// shapes in both; registry version PUTs are long-running (201 + Azure-AsyncOperation, the final
// state read from the version's URL) and registry content is uploaded through startPendingUpload,
// which hands out a SAS for a fresh folder of the registry's own storage.

import { API_VERSIONS } from '../arm/api-versions';
import { type LroOptions, waitForArmOperation } from '../arm/lro';
import type { ArmRestClient } from '../arm/rest';
import { AzureRequestError } from '../errors';
import {
  assetArmId,
  type RegistryRef,
  registryArmId,
  registryAssetArmId,
  type WorkspaceRef,
  workspaceArmId,
} from '../workspace/arm-id';

export type ModelScope =
  | { kind: 'workspace'; workspace: WorkspaceRef }
  | { kind: 'registry'; registry: RegistryRef };

export interface ModelVersionResource {
  id: string;
  /** Container name as the service spells it. */
  name: string;
  version: string;
  /** REST `properties`: modelUri, modelType, jobName, stage, tags, properties, description, … */
  properties: Record<string, unknown>;
  createdAt?: string;
}

export interface PendingUpload {
  /** Folder URL without credentials: what `modelUri` becomes. */
  blobUri: string;
  /** The same folder's container with a SAS query (secret). */
  sasUri: string;
  storageAccountArmId?: string;
}

interface RestModelVersion {
  id?: string;
  name?: string;
  properties?: Record<string, unknown>;
  systemData?: { createdAt?: string };
}

export interface PutModelOptions extends Pick<LroOptions, 'onPoll' | 'timeoutInMs' | 'pollIntervalInMs'> {
  abortSignal?: AbortSignal | undefined;
}

export class ModelStore {
  private readonly apiVersion: string;

  constructor(
    private readonly rest: ArmRestClient,
    readonly scope: ModelScope,
  ) {
    this.apiVersion = scope.kind === 'registry' ? API_VERSIONS.registries : API_VERSIONS.models;
  }

  /** `the workspace 'w'` / `registry 'r'`, for messages. */
  get description(): string {
    return this.scope.kind === 'workspace'
      ? `workspace '${this.scope.workspace.workspace}'`
      : `registry '${this.scope.registry.registry}'`;
  }

  armId(name: string, version?: string): string {
    return this.scope.kind === 'workspace'
      ? assetArmId(this.scope.workspace, 'models', name, version)
      : registryAssetArmId(this.scope.registry, 'models', name, version);
  }

  /** `azureml:name:version` in a workspace, `azureml://registries/r/models/name/versions/v` in a registry. */
  uri(name: string, version: string): string {
    return this.scope.kind === 'workspace'
      ? `azureml:${name}:${version}`
      : `azureml://registries/${this.scope.registry.registry}/models/${name}/versions/${version}`;
  }

  /** Checks the scope exists: a registry GET (404 → false). Workspaces are checked by connecting. */
  async exists(options: { abortSignal?: AbortSignal | undefined } = {}): Promise<boolean> {
    const path =
      this.scope.kind === 'workspace'
        ? workspaceArmId(this.scope.workspace)
        : registryArmId(this.scope.registry);
    try {
      await this.rest.request({
        method: 'GET',
        path,
        apiVersion: this.apiVersion,
        abortSignal: options.abortSignal,
      });
      return true;
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return false;
      throw error;
    }
  }

  async get(
    name: string,
    version: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<ModelVersionResource | undefined> {
    try {
      const response = await this.rest.request<RestModelVersion>({
        method: 'GET',
        path: this.armId(name, version),
        apiVersion: this.apiVersion,
        abortSignal: options.abortSignal,
      });
      return this.toResource(response.body, name, version);
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Every version of `name`, archived ones too (their numbers are taken); [] when the model does not exist. */
  async listVersions(
    name: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<ModelVersionResource[]> {
    const versions: ModelVersionResource[] = [];
    try {
      for await (const item of this.rest.list<RestModelVersion>(
        `${this.armId(name)}/versions`,
        this.apiVersion,
        {
          query: { listViewType: 'All' },
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        },
      )) {
        versions.push(this.toResource(item, name, item.name ?? ''));
      }
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return [];
      throw error;
    }
    return versions;
  }

  /**
   * PUTs the version and, in a registry, waits for its operation. `created` is false when the
   * version existed (200), which for a new registration means someone else took the number.
   */
  async put(
    name: string,
    version: string,
    properties: Record<string, unknown>,
    options: PutModelOptions = {},
  ): Promise<{ resource: ModelVersionResource; created: boolean }> {
    const response = await this.rest.request<RestModelVersion>({
      method: 'PUT',
      path: this.armId(name, version),
      apiVersion: this.apiVersion,
      body: { properties },
      abortSignal: options.abortSignal,
    });
    let body = response.body;
    const longRunning = response.headers['azure-asyncoperation'] ?? response.headers['operation-location'];
    if (longRunning || (response.status === 202 && response.headers.location)) {
      const result = await waitForArmOperation<RestModelVersion>(this.rest, response, {
        abortSignal: options.abortSignal,
        pollIntervalInMs: options.pollIntervalInMs ?? 2_000,
        ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
        ...(options.onPoll ? { onPoll: options.onPoll } : {}),
      });
      body = result.body ?? body;
    }
    return { resource: this.toResource(body, name, version), created: response.status === 201 };
  }

  /** A SAS for a fresh upload folder in the registry's storage (registries only). */
  async startPendingUpload(
    name: string,
    version: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<PendingUpload> {
    if (this.scope.kind !== 'registry') throw new Error('startPendingUpload is used for registries only.');
    const response = await this.rest.request<{
      blobReferenceForConsumption?: {
        blobUri?: string;
        storageAccountArmId?: string;
        credential?: { credentialType?: string; sasUri?: string };
      };
    }>({
      method: 'POST',
      path: `${this.armId(name, version)}/startPendingUpload`,
      apiVersion: this.apiVersion,
      body: { pendingUploadType: 'TemporaryBlobReference' },
      abortSignal: options.abortSignal,
    });
    const reference = response.body?.blobReferenceForConsumption;
    const blobUri = reference?.blobUri;
    const sasUri = reference?.credential?.sasUri;
    if (!blobUri || !sasUri) {
      throw new AzureRequestError({
        method: 'POST',
        url: response.url,
        status: response.status,
        code: 'InvalidResponse',
        serviceMessage: `startPendingUpload of ${this.description} answered without a blobUri and SAS credential`,
      });
    }
    return {
      blobUri,
      sasUri,
      ...(reference?.storageAccountArmId ? { storageAccountArmId: reference.storageAccountArmId } : {}),
    };
  }

  private toResource(
    resource: RestModelVersion | undefined,
    name: string,
    version: string,
  ): ModelVersionResource {
    const id = resource?.id ?? this.armId(name, version);
    const container = /\/models\/([^/]+)\/versions\//i.exec(id)?.[1] ?? name;
    return {
      id,
      name: container,
      version: resource?.name ?? version,
      properties: resource?.properties ?? {},
      ...(resource?.systemData?.createdAt ? { createdAt: resource.systemData.createdAt } : {}),
    };
  }
}
