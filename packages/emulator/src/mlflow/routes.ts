// The MLflow tracking REST 2.0 API under the workspace's tracking path (contracts §1). Handlers
// read fields, call the MlflowStore and answer in MLflow's shapes; errors as `{error_code, message}`.
import type { ArmContext } from '../arm-context';
import type { EmulatorRequest, EmulatorResponse, Route, RouteParams } from '../http/types';
import { paginate } from './page-token';
import {
  type Fields,
  keyValue,
  keyValueList,
  objectList,
  optionalInt64,
  optionalString,
  requestFields,
  requiredDouble,
  requiredString,
  runIdOf,
  stringList,
} from './request-fields';
import { DEFAULT_EXPERIMENT_ID, type MetricInput, type MlflowStore } from './store';
import {
  invalidParameter,
  MlflowError,
  type MlflowRunStatus,
  type MlflowViewType,
  RUN_STATUSES,
} from './types';
import { metricToWire, runInfoToWire, runToWire } from './wire';

/** The tracking path of a workspace; clients append `/api/2.0/mlflow/<op>`. */
export const MLFLOW_WORKSPACE_PATH =
  '/mlflow/v1.0/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}';

const API_PATH = `${MLFLOW_WORKSPACE_PATH}/api/2.0/mlflow`;

/** metrics/get-history pages hold at most this many points, like MLflow's server. */
const HISTORY_PAGE_LIMIT = 25_000;

type OpHandler = (fields: Fields, request: EmulatorRequest) => unknown;

export function mlflowError(error: MlflowError): EmulatorResponse {
  return { status: error.status, body: { error_code: error.errorCode, message: error.message } };
}

const sameName = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();

function checkWorkspace(ctx: ArmContext, params: RouteParams): void {
  if (
    !sameName(params.subscriptionId, ctx.subscriptionId) ||
    !sameName(params.resourceGroupName, ctx.resourceGroup) ||
    !sameName(params.workspaceName, ctx.workspace)
  ) {
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `Workspace '${params.workspaceName}' in resource group '${params.resourceGroupName}' of subscription '${params.subscriptionId}' was not found.`,
    );
  }
}

function parseStatus(value: string | undefined): MlflowRunStatus | undefined {
  if (value === undefined || value === '') return undefined;
  if ((RUN_STATUSES as readonly string[]).includes(value)) return value as MlflowRunStatus;
  throw invalidParameter(
    `Invalid value '${value}' for parameter 'status': expected one of ${RUN_STATUSES.join(', ')}.`,
  );
}

const VIEW_TYPES: Record<string, MlflowViewType> = {
  ACTIVE_ONLY: 'ACTIVE_ONLY',
  DELETED_ONLY: 'DELETED_ONLY',
  ALL: 'ALL',
  '1': 'ACTIVE_ONLY',
  '2': 'DELETED_ONLY',
  '3': 'ALL',
};

function parseViewType(fields: Fields, name: string): MlflowViewType | undefined {
  const value = optionalString(fields, name);
  if (value === undefined || value === '') return undefined;
  const view = VIEW_TYPES[value.toUpperCase()];
  if (!view)
    throw invalidParameter(
      `Invalid value '${value}' for parameter '${name}': expected ACTIVE_ONLY, DELETED_ONLY or ALL.`,
    );
  return view;
}

function tagRecord(fields: Fields): Record<string, string> {
  return Object.fromEntries(keyValueList(fields, 'tags').map((tag) => [tag.key, tag.value]));
}

function metricInput(fields: Fields): MetricInput {
  const timestamp = optionalInt64(fields, 'timestamp');
  const step = optionalInt64(fields, 'step');
  return {
    key: requiredString(fields, 'key'),
    value: requiredDouble(fields, 'value'),
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(step !== undefined ? { step } : {}),
  };
}

function existingRun(store: MlflowStore, runId: string) {
  const run = store.getRun(runId);
  if (!run) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
  return run;
}

function operations(store: MlflowStore): Record<string, { methods: string[]; handle: OpHandler }> {
  return {
    'experiments/create': {
      methods: ['POST'],
      handle: (fields) => {
        const experiment = store.createExperiment(
          requiredString(fields, 'name'),
          keyValueList(fields, 'tags'),
        );
        return { experiment_id: experiment.experiment_id };
      },
    },
    'experiments/get': {
      methods: ['GET'],
      handle: (fields) => {
        const experimentId = requiredString(fields, 'experiment_id');
        const experiment = store.getExperiment(experimentId);
        if (!experiment) {
          throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`);
        }
        return { experiment };
      },
    },
    'experiments/get-by-name': {
      methods: ['GET'],
      handle: (fields) => {
        const name = requiredString(fields, 'experiment_name');
        const experiment = store.getExperimentByName(name);
        if (!experiment) {
          throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
        }
        return { experiment };
      },
    },
    'experiments/search': {
      methods: ['POST', 'GET'],
      handle: (fields) => {
        const maxResults = optionalInt64(fields, 'max_results');
        const pageToken = optionalString(fields, 'page_token');
        const filter = optionalString(fields, 'filter');
        const viewType = parseViewType(fields, 'view_type');
        return store.searchExperiments({
          orderBy: stringList(fields, 'order_by'),
          ...(maxResults !== undefined ? { maxResults } : {}),
          ...(pageToken !== undefined ? { pageToken } : {}),
          ...(filter !== undefined ? { filter } : {}),
          ...(viewType !== undefined ? { viewType } : {}),
        });
      },
    },
    'runs/create': {
      methods: ['POST'],
      handle: (fields, request) => {
        const tags = tagRecord(fields);
        const runName = optionalString(fields, 'run_name');
        const startTimeMs = optionalInt64(fields, 'start_time');
        const principalId = request.principal?.oid;
        const userId =
          optionalString(fields, 'user_id') ??
          tags['mlflow.user'] ??
          (typeof principalId === 'string' ? principalId : undefined);
        const run = store.createRun({
          experimentId: optionalString(fields, 'experiment_id') || DEFAULT_EXPERIMENT_ID,
          tags,
          ...(runName ? { runName } : {}),
          ...(startTimeMs !== undefined ? { startTimeMs } : {}),
          ...(userId !== undefined ? { userId } : {}),
        });
        return { run: runToWire(run) };
      },
    },
    'runs/get': {
      methods: ['GET'],
      handle: (fields) => ({ run: runToWire(existingRun(store, runIdOf(fields))) }),
    },
    'runs/update': {
      methods: ['POST'],
      handle: (fields) => {
        const runId = runIdOf(fields);
        const status = parseStatus(optionalString(fields, 'status'));
        const endTimeMs = optionalInt64(fields, 'end_time');
        const runName = optionalString(fields, 'run_name');
        existingRun(store, runId);
        const run = store.updateRun(runId, {
          ...(status !== undefined ? { status } : {}),
          ...(endTimeMs !== undefined ? { endTimeMs } : {}),
          ...(runName ? { runName } : {}),
        });
        return { run_info: runInfoToWire(existingRun(store, run?.info.run_id ?? runId).info) };
      },
    },
    'runs/delete': {
      methods: ['POST'],
      handle: (fields) => {
        store.deleteRun(runIdOf(fields));
        return {};
      },
    },
    'runs/search': {
      methods: ['POST'],
      handle: (fields) => {
        const maxResults = optionalInt64(fields, 'max_results');
        const pageToken = optionalString(fields, 'page_token');
        const filter = optionalString(fields, 'filter');
        const viewType = parseViewType(fields, 'run_view_type');
        const result = store.searchRuns({
          experimentIds: stringList(fields, 'experiment_ids'),
          orderBy: stringList(fields, 'order_by'),
          ...(maxResults !== undefined ? { maxResults } : {}),
          ...(pageToken !== undefined ? { pageToken } : {}),
          ...(filter !== undefined ? { filter } : {}),
          ...(viewType !== undefined ? { viewType } : {}),
        });
        return { ...result, runs: result.runs.map(runToWire) };
      },
    },
    'runs/log-metric': {
      methods: ['POST'],
      handle: (fields) => {
        store.logMetric(runIdOf(fields), metricInput(fields));
        return {};
      },
    },
    'runs/log-parameter': {
      methods: ['POST'],
      handle: (fields) => {
        const param = keyValue(fields);
        store.logParam(runIdOf(fields), param.key, param.value);
        return {};
      },
    },
    'runs/set-tag': {
      methods: ['POST'],
      handle: (fields) => {
        const tag = keyValue(fields);
        store.setTag(runIdOf(fields), tag.key, tag.value);
        return {};
      },
    },
    'runs/log-batch': {
      methods: ['POST'],
      handle: (fields) => {
        store.logBatch(runIdOf(fields), {
          metrics: objectList(fields, 'metrics').map(metricInput),
          params: keyValueList(fields, 'params'),
          tags: keyValueList(fields, 'tags'),
        });
        return {};
      },
    },
    'metrics/get-history': {
      methods: ['GET'],
      handle: (fields) => {
        const run = existingRun(store, runIdOf(fields));
        const points = store.metricHistory(run.info.run_id, requiredString(fields, 'metric_key'));
        const maxResults = optionalInt64(fields, 'max_results');
        const pageToken = optionalString(fields, 'page_token');
        // Without paging arguments MLflow answers the whole history.
        if (maxResults === undefined && !pageToken) return { metrics: points.map(metricToWire) };
        const { page, nextPageToken } = paginate(
          points,
          maxResults ?? HISTORY_PAGE_LIMIT,
          pageToken,
          HISTORY_PAGE_LIMIT,
        );
        return {
          metrics: page.map(metricToWire),
          ...(nextPageToken ? { next_page_token: nextPageToken } : {}),
        };
      },
    },
  };
}

/** Routes of the MLflow REST API for the context's workspace (the caller adds the bearer check). */
export function mlflowRoutes(ctx: ArmContext, store: MlflowStore): Route[] {
  return Object.entries(operations(store)).flatMap(([op, { methods, handle }]) =>
    methods.map(
      (method): Route => ({
        method,
        pattern: `${API_PATH}/${op}`,
        handler: (request, params) => {
          try {
            checkWorkspace(ctx, params);
            return { status: 200, body: handle(requestFields(request), request) };
          } catch (error) {
            if (error instanceof MlflowError) return mlflowError(error);
            throw error;
          }
        },
      }),
    ),
  );
}
