// ARM calls the SDK does not cover, sent through a core-rest-pipeline Pipeline like the SDK's own:
// retry (exponential, and throttling that honours Retry-After), user agent, TLS settings, and a
// bearer token for the cloud's ARM scope from the same credential. Azure ML's data-plane services
// (MLflow tracking, run history) accept the same ARM token: build one client per such origin.

import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelineRetryOptions,
} from '@azure/core-rest-pipeline';
import { type ConnectionOptions, type Env, tlsSettingsFor } from '../auth/connection';
import { azureRequestErrorFromResponse } from './errors';
import { type LroOptions, type LroResult, waitForArmOperation } from './lro';

export const USER_AGENT_PREFIX = 'aml-actions';

export interface ArmRestClientOptions extends ConnectionOptions {
  credential: TokenCredential;
  /** ARM endpoint, e.g. `https://management.azure.com`, or a data-plane origin. */
  endpoint: string;
  /** Token scope, e.g. `https://management.azure.com/.default`. */
  scope: string;
  retryOptions?: PipelineRetryOptions | undefined;
  /** Applies to every request, besides a request's own signal. */
  abortSignal?: AbortSignal | undefined;
  /** Transport (tests); default core-rest-pipeline's node http client. */
  httpClient?: HttpClient | undefined;
  /** Where NODE_EXTRA_CA_CERTS is read from when `caCertificates` is set. */
  env?: Env | undefined;
}

export type ArmQuery = Record<string, string | number | boolean | undefined>;

export interface ArmRequest {
  method: HttpMethods;
  /** ARM path (`/subscriptions/…`) or an absolute URL on the ARM endpoint (a nextLink, an operation URL). */
  path: string;
  /**
   * Set as `api-version`, unless an absolute URL already carries one. Left out for data-plane
   * services (MLflow, run history), whose URLs carry no api-version.
   */
  apiVersion?: string | undefined;
  body?: unknown;
  query?: ArmQuery | undefined;
  headers?: Record<string, string> | undefined;
  abortSignal?: AbortSignal | undefined;
}

export interface ArmResponse<T> {
  method: HttpMethods;
  /** The URL requested, with its query. */
  url: string;
  apiVersion: string | undefined;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON; the text when it is not JSON; undefined when empty. */
  body: T;
}

interface Page<T> {
  value?: T[];
  nextLink?: string | null;
}

export class ArmRestClient {
  readonly endpoint: string;
  private readonly origin: string;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly abortSignal: AbortSignal | undefined;

  constructor(options: ArmRestClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.origin = new URL(this.endpoint).origin;
    const tlsOptions = tlsSettingsFor(options.caCertificates, options.env ?? process.env);
    this.pipeline = createPipelineFromOptions({
      ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
      ...(tlsOptions ? { tlsOptions } : {}),
      userAgentOptions: { userAgentPrefix: USER_AGENT_PREFIX },
    });
    // Same place core-client puts it: outside the retry policy, so retries reuse the token.
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }),
    );
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
    this.abortSignal = options.abortSignal;
  }

  /** Sends one request; a non-2xx answer (after retries) throws AzureRequestError. */
  async request<T = unknown>(request: ArmRequest): Promise<ArmResponse<T>> {
    const url = this.urlFor(request.path, request.apiVersion, request.query);
    const headers = createHttpHeaders({ Accept: 'application/json', ...request.headers });
    const hasBody = request.body !== undefined;
    if (hasBody) headers.set('Content-Type', 'application/json');
    const abortSignal = combineSignals(this.abortSignal, request.abortSignal);
    const pipelineRequest = createPipelineRequest({
      url,
      method: request.method,
      headers,
      ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
      ...(abortSignal ? { abortSignal } : {}),
    });
    const response = await this.pipeline.sendRequest(this.httpClient, pipelineRequest);
    if (response.status < 200 || response.status >= 300) {
      throw azureRequestErrorFromResponse(request.method, url, response);
    }
    return {
      method: request.method,
      url,
      apiVersion: request.apiVersion,
      status: response.status,
      headers: response.headers.toJSON(),
      body: parseBody(response.bodyAsText) as T,
    };
  }

  /** Every item of an ARM list, following `nextLink` page by page. */
  async *list<T>(
    path: string,
    apiVersion: string,
    options: { query?: ArmQuery; abortSignal?: AbortSignal } = {},
  ): AsyncGenerator<T, void, undefined> {
    let next: string | undefined = path;
    let query: ArmQuery | undefined = options.query;
    const seen = new Set<string>();
    while (next) {
      const page: ArmResponse<Page<T> | undefined> = await this.request<Page<T> | undefined>({
        method: 'GET',
        path: next,
        apiVersion,
        query,
        abortSignal: options.abortSignal,
      });
      seen.add(page.url);
      for (const item of page.body?.value ?? []) yield item;
      next = page.body?.nextLink ?? undefined;
      // The nextLink carries its own query (skip token, api-version).
      query = undefined;
      if (next && seen.has(this.urlFor(next, apiVersion, undefined))) {
        throw new Error(`ARM list ${path} returned a nextLink that was already fetched; stopping.`);
      }
    }
  }

  /** Waits for the long-running operation that `initial` (the first answer) started. */
  waitForOperation<T = unknown>(
    initial: ArmResponse<unknown>,
    options: LroOptions = {},
  ): Promise<LroResult<T>> {
    return waitForArmOperation<T>(this, initial, {
      ...options,
      abortSignal: combineSignals(this.abortSignal, options.abortSignal),
    });
  }

  /** Sends a request that may start a long-running operation and waits for its end. */
  async requestAndWait<T = unknown>(request: ArmRequest, options: LroOptions = {}): Promise<LroResult<T>> {
    const initial = await this.request(request);
    return this.waitForOperation<T>(initial, { abortSignal: request.abortSignal, ...options });
  }

  /**
   * Absolute URL for a path or URL, refusing other hosts (the bearer token must stay on this
   * client's endpoint: ARM, or one data-plane origin such as the workspace's MLflow host).
   */
  urlFor(path: string, apiVersion: string | undefined, query: ArmQuery | undefined): string {
    const absolute = /^https?:\/\//i.test(path);
    const url = new URL(absolute ? path : `${this.endpoint}${path.startsWith('/') ? '' : '/'}${path}`);
    if (url.origin !== this.origin) {
      throw new Error(
        `Refusing to send an ARM token to ${url.origin}: this client's endpoint is ${this.origin}.`,
      );
    }
    if (apiVersion !== undefined && (!absolute || !url.searchParams.has('api-version'))) {
      url.searchParams.set('api-version', apiVersion);
    }
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

function parseBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
