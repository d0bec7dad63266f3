// Batch endpoints and their deployments through ARM REST: reads, long-running writes, and the
// endpoint's default deployment (what a batch job runs when it names none).

import { API_VERSIONS } from '../arm/api-versions';
import { waitForArmOperation } from '../arm/lro';
import type { ArmRestClient } from '../arm/rest';
import { AzureRequestError } from '../errors';
import { type WorkspaceRef, workspaceArmId } from '../workspace/arm-id';
import type { WriteOptions } from './online-endpoints';

export interface BatchResource {
  id: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown> & {
    provisioningState?: string;
    scoringUri?: string;
    defaults?: { deploymentName?: string };
  };
  [key: string]: unknown;
}

export class BatchEndpoints {
  private readonly apiVersion = API_VERSIONS.endpoints;

  constructor(
    private readonly rest: ArmRestClient,
    private readonly workspace: WorkspaceRef,
  ) {}

  endpointId(name: string): string {
    return `${workspaceArmId(this.workspace)}/batchEndpoints/${name}`;
  }

  deploymentId(endpoint: string, name: string): string {
    return `${this.endpointId(endpoint)}/deployments/${name}`;
  }

  get(
    name: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<BatchResource | undefined> {
    return this.read(this.endpointId(name), options.abortSignal);
  }

  getDeployment(
    endpoint: string,
    name: string,
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<BatchResource | undefined> {
    return this.read(this.deploymentId(endpoint, name), options.abortSignal);
  }

  put(name: string, body: Record<string, unknown>, options: WriteOptions = {}): Promise<BatchResource> {
    return this.write(this.endpointId(name), body, options);
  }

  putDeployment(
    endpoint: string,
    name: string,
    body: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<BatchResource> {
    return this.write(this.deploymentId(endpoint, name), body, options);
  }

  private async read(path: string, abortSignal: AbortSignal | undefined): Promise<BatchResource | undefined> {
    try {
      return (
        await this.rest.request<BatchResource>({
          method: 'GET',
          path,
          apiVersion: this.apiVersion,
          abortSignal,
        })
      ).body;
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async write(
    path: string,
    body: Record<string, unknown>,
    options: WriteOptions,
  ): Promise<BatchResource> {
    const initial = await this.rest.request<BatchResource>({
      method: 'PUT',
      path,
      apiVersion: this.apiVersion,
      body,
      abortSignal: options.abortSignal,
    });
    const result = await waitForArmOperation<BatchResource>(this.rest, initial, {
      pollIntervalInMs: options.pollIntervalInMs ?? 5_000,
      ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
      ...(options.onPoll ? { onPoll: options.onPoll } : {}),
      abortSignal: options.abortSignal,
    });
    return result.body ?? initial.body;
  }
}
