// Jobs go through REST at API_VERSIONS.jobs, not the SDK: SDK 2.1.1 drops `uri` and `mode` from
// job inputs and outputs when it serializes them (Azure/azure-sdk-for-js#29328).
import { API_VERSIONS } from '../arm/api-versions';
import { retryAfterInMs } from '../arm/lro';
import type { ArmRestClient } from '../arm/rest';
import { jobArmId, type WorkspaceRef, workspaceArmId } from '../workspace/arm-id';

/** Statuses after which a job never changes again. */
export const TERMINAL_JOB_STATUSES = ['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused'] as const;

export interface JobResource {
  id: string;
  name: string;
  type: string;
  properties: {
    jobType: string;
    status?: string;
    displayName?: string;
    experimentName?: string;
    computeId?: string;
    services?: Record<string, { endpoint?: string; jobServiceType?: string }>;
    [property: string]: unknown;
  };
  systemData?: Record<string, unknown>;
}

export interface JobListOptions {
  jobType?: string;
  tag?: string;
  abortSignal?: AbortSignal;
}

/** One poll of a job: the resource, and the delay the service asked for before the next. */
export interface JobPoll {
  job: JobResource;
  /** From `Retry-After` (or `retry-after-ms`), when the answer carried one. */
  retryAfterInMs: number | undefined;
}

export function isTerminalJobStatus(status: string | undefined): boolean {
  return (TERMINAL_JOB_STATUSES as readonly string[]).includes(status ?? '');
}

export class JobClient {
  private readonly apiVersion = API_VERSIONS.jobs;

  constructor(
    private readonly rest: ArmRestClient,
    private readonly workspace: WorkspaceRef,
  ) {}

  private path(name: string): string {
    return jobArmId(this.workspace, encodeURIComponent(name));
  }

  /** Creates the job (201) or returns it unchanged when the same body was sent before (200). */
  async create(
    name: string,
    properties: Record<string, unknown>,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<{ job: JobResource; created: boolean }> {
    const response = await this.rest.request<JobResource>({
      method: 'PUT',
      path: this.path(name),
      apiVersion: this.apiVersion,
      body: { properties },
      abortSignal: options.abortSignal,
    });
    return { job: response.body, created: response.status === 201 };
  }

  async get(name: string, options: { abortSignal?: AbortSignal } = {}): Promise<JobResource> {
    const response = await this.rest.request<JobResource>({
      method: 'GET',
      path: this.path(name),
      apiVersion: this.apiVersion,
      abortSignal: options.abortSignal,
    });
    return response.body;
  }

  /** Like get, plus the `Retry-After` of the answer, for pollers that must honour it. */
  async poll(name: string, options: { abortSignal?: AbortSignal } = {}): Promise<JobPoll> {
    const response = await this.rest.request<JobResource>({
      method: 'GET',
      path: this.path(name),
      apiVersion: this.apiVersion,
      abortSignal: options.abortSignal,
    });
    return { job: response.body, retryAfterInMs: retryAfterInMs(response.headers, Date.now()) };
  }

  /** Every job of the workspace (newest first, as the service orders them), page by page. */
  list(options: JobListOptions = {}): AsyncGenerator<JobResource, void, undefined> {
    return this.rest.list<JobResource>(`${workspaceArmId(this.workspace)}/jobs`, this.apiVersion, {
      query: { jobType: options.jobType, tag: options.tag },
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
  }

  /**
   * Requests cancellation and waits for the service to accept it (the 202's operation);
   * the job itself reaches `Canceled` a little later. `waitForAcceptance: false` returns once
   * the request is accepted (a cancelled workflow has seconds left, not minutes).
   */
  async cancel(
    name: string,
    options: { abortSignal?: AbortSignal; timeoutInMs?: number; waitForAcceptance?: boolean } = {},
  ): Promise<void> {
    const initial = await this.rest.request({
      method: 'POST',
      path: `${this.path(name)}/cancel`,
      apiVersion: this.apiVersion,
      abortSignal: options.abortSignal,
    });
    if (initial.status === 202 && options.waitForAcceptance !== false) {
      await this.rest.waitForOperation(initial, {
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        ...(options.timeoutInMs ? { timeoutInMs: options.timeoutInMs } : {}),
      });
    }
  }
}
