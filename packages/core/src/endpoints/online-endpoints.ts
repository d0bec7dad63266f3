// Managed online endpoints and their deployments through ARM REST (api-version
// API_VERSIONS.endpoints, which has mirrorTraffic): reads, long-running writes waited on with
// progress, traffic changes as full endpoint PUTs (as the CLI and the recorded traffic do), keys
// and tokens (handed to onSecret before anyone sees them), and the deployments' container logs.

import { API_VERSIONS } from '../arm/api-versions';
import { type LroOptions, waitForArmOperation } from '../arm/lro';
import type { ArmRestClient } from '../arm/rest';
import { AzureRequestError } from '../errors';
import { onlineDeploymentArmId, onlineEndpointArmId, type WorkspaceRef } from '../workspace/arm-id';
import type { TrafficMap } from './traffic';

export interface OnlineEndpoint {
  id: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  identity?: Record<string, unknown>;
  properties: {
    authMode?: string;
    description?: string;
    traffic?: TrafficMap;
    mirrorTraffic?: TrafficMap;
    scoringUri?: string;
    swaggerUri?: string;
    provisioningState?: string;
    publicNetworkAccess?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface OnlineDeployment {
  id: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: { name?: string; capacity?: number; [key: string]: unknown };
  properties: {
    endpointComputeType?: string;
    model?: string;
    environmentId?: string;
    codeConfiguration?: { codeId?: string; scoringScript?: string };
    instanceType?: string;
    provisioningState?: string;
    environmentVariables?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface EndpointKeys {
  primaryKey: string;
  secondaryKey: string;
}

export interface EndpointToken {
  accessToken: string;
  expiryTimeUtc?: number | string;
}

export type WriteOptions = Pick<LroOptions, 'onPoll' | 'timeoutInMs' | 'pollIntervalInMs' | 'abortSignal'>;

export class OnlineEndpoints {
  private readonly apiVersion = API_VERSIONS.endpoints;

  constructor(
    private readonly rest: ArmRestClient,
    private readonly workspace: WorkspaceRef,
    private readonly onSecret: (secret: string) => void,
  ) {}

  endpointId(name: string): string {
    return onlineEndpointArmId(this.workspace, name);
  }

  deploymentId(endpoint: string, name: string): string {
    return onlineDeploymentArmId(this.workspace, endpoint, name);
  }

  async get(
    name: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<OnlineEndpoint | undefined> {
    return this.getOrUndefined<OnlineEndpoint>(this.endpointId(name), options.abortSignal);
  }

  /** Creates or replaces the endpoint (a full PUT) and waits until it is provisioned. */
  async put(
    name: string,
    body: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<OnlineEndpoint> {
    return this.write<OnlineEndpoint>('PUT', this.endpointId(name), body, options);
  }

  /** Sets live and mirrored traffic, keeping everything else of the endpoint as it is. */
  async setTraffic(
    name: string,
    traffic: TrafficMap,
    mirrorTraffic: TrafficMap | undefined,
    options: WriteOptions = {},
  ): Promise<OnlineEndpoint> {
    const current = await this.get(name, options);
    if (!current) throw new Error(`Online endpoint '${name}' does not exist.`);
    const body = writableEndpoint(current);
    body.properties = {
      ...(body.properties as Record<string, unknown>),
      traffic,
      mirrorTraffic: mirrorTraffic ?? {},
    };
    return this.put(name, body, options);
  }

  async listDeployments(
    endpoint: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<OnlineDeployment[]> {
    const found: OnlineDeployment[] = [];
    try {
      for await (const item of this.rest.list<OnlineDeployment>(
        `${this.endpointId(endpoint)}/deployments`,
        this.apiVersion,
        {
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        },
      )) {
        found.push(item);
      }
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return [];
      throw error;
    }
    return found;
  }

  async getDeployment(
    endpoint: string,
    name: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<OnlineDeployment | undefined> {
    return this.getOrUndefined<OnlineDeployment>(this.deploymentId(endpoint, name), options.abortSignal);
  }

  /** Creates or updates the deployment and waits for provisioning (Failed → OperationFailedError). */
  async putDeployment(
    endpoint: string,
    name: string,
    body: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<OnlineDeployment> {
    return this.write<OnlineDeployment>('PUT', this.deploymentId(endpoint, name), body, options);
  }

  async deleteDeployment(endpoint: string, name: string, options: WriteOptions = {}): Promise<void> {
    await this.write<unknown>('DELETE', this.deploymentId(endpoint, name), undefined, options);
  }

  /** The deployment's container log tail (`InferenceServer` or `StorageInitializer`). */
  async deploymentLogs(
    endpoint: string,
    name: string,
    options: {
      tail?: number;
      containerType?: 'InferenceServer' | 'StorageInitializer';
      abortSignal?: AbortSignal | undefined;
    } = {},
  ): Promise<string> {
    const response = await this.rest.request<{ content?: string }>({
      method: 'POST',
      path: `${this.deploymentId(endpoint, name)}/getLogs`,
      apiVersion: this.apiVersion,
      body: { containerType: options.containerType ?? 'InferenceServer', tail: options.tail ?? 100 },
      abortSignal: options.abortSignal,
    });
    return response.body?.content ?? '';
  }

  async listKeys(
    name: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<EndpointKeys> {
    const response = await this.rest.request<Partial<EndpointKeys>>({
      method: 'POST',
      path: `${this.endpointId(name)}/listKeys`,
      apiVersion: this.apiVersion,
      abortSignal: options.abortSignal,
    });
    const primaryKey = response.body?.primaryKey ?? '';
    const secondaryKey = response.body?.secondaryKey ?? '';
    for (const key of [primaryKey, secondaryKey]) if (key) this.onSecret(key);
    return { primaryKey, secondaryKey };
  }

  /** An AML token (endpoints with authMode AMLToken). */
  async token(name: string, options: { abortSignal?: AbortSignal | undefined } = {}): Promise<EndpointToken> {
    const response = await this.rest.request<Partial<EndpointToken>>({
      method: 'POST',
      path: `${this.endpointId(name)}/token`,
      apiVersion: this.apiVersion,
      abortSignal: options.abortSignal,
    });
    const accessToken = response.body?.accessToken ?? '';
    if (accessToken) this.onSecret(accessToken);
    return {
      accessToken,
      ...(response.body?.expiryTimeUtc !== undefined ? { expiryTimeUtc: response.body.expiryTimeUtc } : {}),
    };
  }

  private async getOrUndefined<T>(
    path: string,
    abortSignal: AbortSignal | undefined,
  ): Promise<T | undefined> {
    try {
      const response = await this.rest.request<T>({
        method: 'GET',
        path,
        apiVersion: this.apiVersion,
        abortSignal,
      });
      return response.body;
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async write<T>(
    method: 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    options: WriteOptions,
  ): Promise<T> {
    const initial = await this.rest.request<T>({
      method,
      path,
      apiVersion: this.apiVersion,
      ...(body !== undefined ? { body } : {}),
      abortSignal: options.abortSignal,
    });
    const result = await waitForArmOperation<T>(this.rest, initial, {
      pollIntervalInMs: options.pollIntervalInMs ?? 5_000,
      ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
      ...(options.onPoll ? { onPoll: options.onPoll } : {}),
      abortSignal: options.abortSignal,
    });
    return (result.body ?? initial.body) as T;
  }
}

/** The endpoint as a PUT body: read-only parts left out. */
export function writableEndpoint(endpoint: OnlineEndpoint): Record<string, unknown> {
  const { id: _id, name: _name, type: _type, systemData: _systemData, ...rest } = endpoint;
  const {
    provisioningState: _state,
    scoringUri: _scoring,
    swaggerUri: _swagger,
    ...properties
  } = endpoint.properties;
  return {
    ...rest,
    ...(endpoint.identity ? { identity: writableIdentity(endpoint.identity) } : {}),
    properties,
  };
}

/** A managed identity as a PUT body: the ids Azure assigns (principalId, tenantId, clientId) left out. */
export function writableIdentity(identity: Record<string, unknown>): Record<string, unknown> {
  const { principalId: _principal, tenantId: _tenant, userAssignedIdentities, ...rest } = identity;
  if (!userAssignedIdentities || typeof userAssignedIdentities !== 'object') return rest;
  return {
    ...rest,
    // Each user-assigned identity is named by its ARM id; its value is read-only and sent empty.
    userAssignedIdentities: Object.fromEntries(Object.keys(userAssignedIdentities).map((id) => [id, {}])),
  };
}

/** The deployment as a PUT body: read-only parts left out. */
export function writableDeployment(deployment: OnlineDeployment): Record<string, unknown> {
  const { id: _id, name: _name, type: _type, systemData: _systemData, ...rest } = deployment;
  const { provisioningState: _state, ...properties } = deployment.properties;
  return { ...rest, properties };
}
