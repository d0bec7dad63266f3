// A tiny MLflow tracking REST 2.0 server over loopback HTTPS (the emulator's routes are built in
// parallel): experiments/get-by-name, runs/get, runs/search (equality filter on one tag, paged),
// metrics/get-history (paged), with MLflow's error shapes. Also ARM job GETs for child statuses.
import type { ServerResponse } from 'node:http';
import {
  type LocalHttpsServer,
  type RecordedRequest,
  sendJson,
  startLocalHttpsServer,
} from '../../arm/support/local-https';

export const WS =
  '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';
export const TRACKING_PATH = `/mlflow/v1.0${WS}`;

export interface FakeRun {
  info: Record<string, unknown> & { run_id: string; experiment_id: string };
  data: {
    metrics: { key: string; value: number | string; timestamp: number | string; step: number | string }[];
    params: { key: string; value: string }[];
    tags: { key: string; value: string }[];
  };
}

export interface FakeMlflowState {
  experiments: { experiment_id: string; name: string }[];
  runs: FakeRun[];
  history: Map<string, { key: string; value: number | string; timestamp: number; step: number }[]>;
  /** ARM job statuses by job name; absent → 404. */
  jobStatuses: Map<string, string>;
  pageSize: number;
  /** Answer this status with an MLflow error to every call of the op, e.g. ['runs/search', 500]. */
  failures: Map<string, number>;
}

export interface FakeMlflow {
  server: LocalHttpsServer;
  state: FakeMlflowState;
  trackingUri: string;
  reset(): void;
  close(): Promise<void>;
}

export function fakeRun(
  runId: string,
  options: {
    experimentId?: string;
    status?: string;
    start?: number;
    end?: number;
    tags?: Record<string, string>;
    metrics?: Record<string, number | string>;
  } = {},
): FakeRun {
  return {
    info: {
      run_id: runId,
      run_uuid: runId,
      run_name: runId,
      experiment_id: options.experimentId ?? '1',
      user_id: 'u',
      status: options.status ?? 'FINISHED',
      ...(options.start !== undefined ? { start_time: String(options.start) } : {}),
      ...(options.end !== undefined ? { end_time: options.end } : {}),
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: {
      metrics: Object.entries(options.metrics ?? {}).map(([key, value]) => ({
        key,
        value,
        timestamp: '5',
        step: 0,
      })),
      params: [],
      tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
  };
}

const mlflowError = (response: ServerResponse, status: number, code: string, message: string) =>
  sendJson(response, status, { error_code: code, message });

function paged<T>(items: T[], token: string | undefined, size: number): { page: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, next: String(start + size) } : { page };
}

export async function startFakeMlflow(): Promise<FakeMlflow> {
  const state = {} as FakeMlflowState;
  const reset = () => {
    state.experiments = [{ experiment_id: '1', name: 'exp' }];
    state.runs = [];
    state.history = new Map();
    state.jobStatuses = new Map();
    state.pageSize = 2;
    state.failures = new Map();
  };
  reset();
  const handle = (request: RecordedRequest, response: ServerResponse) => {
    const url = new URL(request.url, 'https://x');
    if (url.pathname.startsWith(`${WS}/jobs/`)) {
      const name = decodeURIComponent(url.pathname.slice(`${WS}/jobs/`.length));
      const status = state.jobStatuses.get(name);
      if (!status)
        return sendJson(response, 404, { error: { code: 'UserError', message: `no job ${name}` } });
      return sendJson(response, 200, { name, properties: { jobType: 'Command', status } });
    }
    const prefix = `${TRACKING_PATH}/api/2.0/mlflow/`;
    if (!url.pathname.startsWith(prefix))
      return mlflowError(response, 404, 'ENDPOINT_NOT_FOUND', url.pathname);
    const op = url.pathname.slice(prefix.length);
    const failure = state.failures.get(op);
    if (failure) return mlflowError(response, failure, 'INTERNAL_ERROR', `${op} failed`);
    const query = url.searchParams;
    const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    switch (`${request.method} ${op}`) {
      case 'GET experiments/get-by-name': {
        const experiment = state.experiments.find((e) => e.name === query.get('experiment_name'));
        if (!experiment) return mlflowError(response, 404, 'RESOURCE_DOES_NOT_EXIST', 'no experiment');
        return sendJson(response, 200, { experiment: { ...experiment, lifecycle_stage: 'active' } });
      }
      case 'GET runs/get': {
        const run = state.runs.find((r) => r.info.run_id === query.get('run_id'));
        if (!run)
          return mlflowError(
            response,
            404,
            'RESOURCE_DOES_NOT_EXIST',
            `Run '${query.get('run_id')}' not found`,
          );
        return sendJson(response, 200, { run });
      }
      case 'POST runs/search': {
        const ids = (body.experiment_ids as string[] | undefined) ?? [];
        if (ids.length === 0)
          return mlflowError(response, 400, 'INVALID_PARAMETER_VALUE', 'experiment_ids is empty');
        let runs = state.runs.filter((run) => ids.includes(run.info.experiment_id));
        const filter = body.filter as string | undefined;
        if (filter) {
          const match = /^tags\.([\w.]+) = '([^']*)'$/.exec(filter);
          if (!match) return mlflowError(response, 400, 'INVALID_PARAMETER_VALUE', `bad filter ${filter}`);
          runs = runs.filter((run) =>
            run.data.tags.some((tag) => tag.key === match[1] && tag.value === match[2]),
          );
        }
        const size = Math.min(Number(body.max_results ?? 1000), state.pageSize);
        const { page, next } = paged(runs, body.page_token as string | undefined, size);
        return sendJson(response, 200, { runs: page, ...(next ? { next_page_token: next } : {}) });
      }
      case 'GET metrics/get-history': {
        const runId = query.get('run_id') ?? '';
        if (!state.runs.some((run) => run.info.run_id === runId)) {
          return mlflowError(response, 404, 'RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found`);
        }
        const all = state.history.get(`${runId}/${query.get('metric_key')}`) ?? [];
        const { page, next } = paged(all, query.get('page_token') ?? undefined, state.pageSize);
        return sendJson(response, 200, { metrics: page, ...(next ? { next_page_token: next } : {}) });
      }
      default:
        return mlflowError(response, 404, 'ENDPOINT_NOT_FOUND', `${request.method} ${op}`);
    }
  };
  const server = await startLocalHttpsServer(handle);
  return {
    server,
    state,
    trackingUri: `${server.origin}${TRACKING_PATH}`,
    reset: () => {
      reset();
      server.requests.length = 0;
    },
    close: () => server.close(),
  };
}
