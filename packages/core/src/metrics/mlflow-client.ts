// The MLflow tracking REST API 2.0 (what `mlflow` clients speak) of an Azure ML workspace, at
// `<tracking URI>/api/2.0/mlflow/<op>`, with the ARM token (Azure ML accepts it). `rest` is the
// data-plane client for the tracking URI's origin (DataPlaneClients.forUrl).

import type { ArmRestClient } from '../arm/rest';
import { AzureRequestError } from '../errors';

export type MlflowRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface MlflowRun {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    status: MlflowRunStatus;
    start_time?: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage?: string;
  };
  data: {
    /** The latest value of each metric. */
    metrics: MlflowMetric[];
    params: { key: string; value: string }[];
    tags: { key: string; value: string }[];
  };
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage?: string;
  artifact_location?: string;
}

export interface SearchRunsQuery {
  experimentIds: string[];
  /** MLflow search syntax, e.g. `tags.mlflow.parentRunId = 'job-1'`. */
  filter?: string | undefined;
  /** e.g. `['metrics.accuracy DESC']`. */
  orderBy?: string[] | undefined;
  /** Page size asked of the service; every page is read. */
  maxResults?: number | undefined;
}

interface CallOptions {
  abortSignal?: AbortSignal | undefined;
}

/** Guards against a service that keeps answering the same page token. */
const MAX_PAGES = 1_000;

export class MlflowClient {
  private readonly apiBase: string;

  constructor(
    private readonly rest: ArmRestClient,
    trackingUri: string,
  ) {
    if (!/^https:\/\//i.test(trackingUri)) {
      throw new Error(
        `The MLflow tracking URI must be https:// (got '${trackingUri}'); convert azureml:// first.`,
      );
    }
    this.apiBase = `${trackingUri.replace(/\/+$/, '')}/api/2.0/mlflow`;
  }

  async getRun(runId: string, options: CallOptions = {}): Promise<MlflowRun> {
    // run_uuid beside run_id, as the mlflow client sends it, for servers that know only the old name.
    const body = await this.call<{ run?: unknown }>('GET', 'runs/get', {
      query: { run_id: runId, run_uuid: runId },
      ...options,
    });
    return normalizeRun(body.run, `runs/get ${runId}`);
  }

  /** Every run that matches, across all pages. */
  async searchRuns(query: SearchRunsQuery, options: CallOptions = {}): Promise<MlflowRun[]> {
    const runs: MlflowRun[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = await this.call<{ runs?: unknown[]; next_page_token?: string }>('POST', 'runs/search', {
        body: {
          experiment_ids: query.experimentIds,
          ...(query.filter ? { filter: query.filter } : {}),
          ...(query.orderBy?.length ? { order_by: query.orderBy } : {}),
          ...(query.maxResults !== undefined ? { max_results: query.maxResults } : {}),
          ...(pageToken ? { page_token: pageToken } : {}),
        },
        ...options,
      });
      for (const run of body.runs ?? []) runs.push(normalizeRun(run, 'runs/search'));
      if (!body.next_page_token || body.next_page_token === pageToken) return runs;
      pageToken = body.next_page_token;
    }
    throw new Error(`MLflow runs/search returned more than ${MAX_PAGES} pages; stopping.`);
  }

  /** Every value logged for `key`, in the order the service gives (by step and time). */
  async metricHistory(runId: string, key: string, options: CallOptions = {}): Promise<MlflowMetric[]> {
    const metrics: MlflowMetric[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = await this.call<{ metrics?: unknown[]; next_page_token?: string }>(
        'GET',
        'metrics/get-history',
        {
          query: { run_id: runId, run_uuid: runId, metric_key: key, page_token: pageToken },
          ...options,
        },
      );
      for (const metric of body.metrics ?? []) metrics.push(normalizeMetric(metric));
      if (!body.next_page_token || body.next_page_token === pageToken) return metrics;
      pageToken = body.next_page_token;
    }
    throw new Error(`MLflow metrics/get-history returned more than ${MAX_PAGES} pages; stopping.`);
  }

  /** The latest value of every metric of the run. */
  async finalMetrics(runId: string, options: CallOptions = {}): Promise<Record<string, number>> {
    return latestMetrics(await this.getRun(runId, options));
  }

  /** The experiment, or undefined when there is none by that name. */
  async experimentByName(name: string, options: CallOptions = {}): Promise<MlflowExperiment | undefined> {
    try {
      const body = await this.call<{ experiment?: MlflowExperiment }>('GET', 'experiments/get-by-name', {
        query: { experiment_name: name },
        ...options,
      });
      if (!body.experiment?.experiment_id) {
        throw new Error(`MLflow experiments/get-by-name '${name}' answered no experiment.`);
      }
      return { ...body.experiment, experiment_id: String(body.experiment.experiment_id) };
    } catch (error) {
      // MLflow answers RESOURCE_DOES_NOT_EXIST with 404.
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async call<T>(
    method: 'GET' | 'POST',
    operation: string,
    request: {
      query?: Record<string, string | undefined>;
      body?: unknown;
      abortSignal?: AbortSignal | undefined;
    },
  ): Promise<T> {
    const response = await this.rest.request<T | undefined>({
      method,
      path: `${this.apiBase}/${operation}`,
      query: request.query,
      body: request.body,
      abortSignal: request.abortSignal,
    });
    const body = response.body;
    if (typeof body !== 'object' || body === null) {
      throw new Error(`MLflow ${operation} answered no JSON object (status ${response.status}).`);
    }
    return body;
  }
}

/** Latest value per metric key of a run (the run's `data.metrics` holds the latest already). */
export function latestMetrics(run: MlflowRun): Record<string, number> {
  const latest = new Map<string, MlflowMetric>();
  for (const metric of run.data.metrics) {
    const seen = latest.get(metric.key);
    if (
      !seen ||
      metric.step > seen.step ||
      (metric.step === seen.step && metric.timestamp >= seen.timestamp)
    ) {
      latest.set(metric.key, metric);
    }
  }
  return Object.fromEntries([...latest.values()].map((metric) => [metric.key, metric.value]));
}

/** The value of a run's tag, if set. */
export function runTag(run: MlflowRun, key: string): string | undefined {
  return run.data.tags.find((tag) => tag.key === key)?.value;
}

function normalizeRun(value: unknown, what: string): MlflowRun {
  const run = value as Partial<MlflowRun> | undefined;
  const info = run?.info as (MlflowRun['info'] & { run_uuid?: string }) | undefined;
  const runId = info?.run_id ?? info?.run_uuid;
  if (!info || typeof runId !== 'string')
    throw new Error(`MLflow ${what} answered a run without info.run_id.`);
  const data = (run?.data ?? {}) as Partial<MlflowRun['data']>;
  return {
    info: {
      ...info,
      run_id: runId,
      experiment_id: String(info.experiment_id ?? ''),
      ...(info.start_time !== undefined ? { start_time: Number(info.start_time) } : {}),
      ...(info.end_time !== undefined && info.end_time !== null ? { end_time: Number(info.end_time) } : {}),
    },
    data: {
      metrics: (data.metrics ?? []).map(normalizeMetric),
      params: data.params ?? [],
      tags: data.tags ?? [],
    },
  };
}

// Protobuf JSON writes int64 as strings and NaN/Infinity as "NaN"/"Infinity": Number() reads all.
function normalizeMetric(value: unknown): MlflowMetric {
  const metric = value as { key?: unknown; value?: unknown; timestamp?: unknown; step?: unknown };
  return {
    key: String(metric.key ?? ''),
    value: Number(metric.value),
    timestamp: Number(metric.timestamp ?? 0),
    step: Number(metric.step ?? 0),
  };
}
