// MLflow experiments, runs and metric history, kept in the emulator's StateStore so a restarted
// emulator still has them. Runs hold their latest metrics; the full history of each run lives in
// its own document so reading a run does not copy every logged point.
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../state/store';
import { paginate } from './page-token';
import { type FieldLookup, matchesFilter, sortBy } from './run-query';
import { type OrderTerm, parseFilter, parseOrderBy, type SearchScheme } from './search-grammar';
import {
  invalidParameter,
  MlflowError,
  type MlflowExperiment,
  type MlflowKeyValue,
  type MlflowMetric,
  type MlflowRun,
  type MlflowRunInfo,
  type MlflowRunStatus,
  type MlflowViewType,
} from './types';
import { decodeDouble, encodeDouble, type WireDouble } from './wire-values';

const EXPERIMENTS = 'mlflow-experiments';
const RUNS = 'mlflow-runs';
const HISTORY = 'mlflow-metric-history';

export const DEFAULT_EXPERIMENT_ID = '0';
const DEFAULT_EXPERIMENT_NAME = 'Default';

/** Batch limits of MLflow's log-batch. */
export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100 } as const;

type StoredMetric = Omit<MlflowMetric, 'value'> & { value: WireDouble };

interface StoredRun {
  info: MlflowRunInfo;
  metrics: StoredMetric[];
  params: MlflowKeyValue[];
  tags: MlflowKeyValue[];
}

interface StoredHistory {
  series: { key: string; points: StoredMetric[] }[];
}

export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

export interface RunSearchQuery {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  /** Default ACTIVE_ONLY, as in MLflow. */
  viewType?: MlflowViewType;
}

export interface ExperimentSearchQuery {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: MlflowViewType;
}

export const RUN_SEARCH_SCHEME: SearchScheme = {
  entities: ['metric', 'param', 'tag', 'attribute'],
  numericAttributes: ['start_time', 'end_time'],
  stringAttributes: ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'lifecycle_stage'],
  attributeAliases: { created: 'start_time', run_uuid: 'run_id', 'Run name': 'run_name' },
};

export const EXPERIMENT_SEARCH_SCHEME: SearchScheme = {
  entities: ['tag', 'attribute'],
  numericAttributes: ['creation_time', 'last_update_time'],
  stringAttributes: ['name', 'experiment_id', 'lifecycle_stage'],
};

const RUN_TIE_BREAKERS: OrderTerm[] = [
  { entity: 'attribute', key: 'start_time', ascending: false },
  { entity: 'attribute', key: 'run_id', ascending: true },
];

const EXPERIMENT_TIE_BREAKERS: OrderTerm[] = [
  { entity: 'attribute', key: 'experiment_id', ascending: false },
];

const noSuchRun = (runId: string): MlflowError =>
  new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);

const toMetric = (stored: StoredMetric): MlflowMetric => ({ ...stored, value: decodeDouble(stored.value) });

/** MLflow's order of "latest": higher step, then later timestamp, then larger value. */
function isNewer(candidate: MlflowMetric, current: MlflowMetric): boolean {
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (Number.isNaN(current.value)) return !Number.isNaN(candidate.value);
  return candidate.value >= current.value;
}

const inView = (stage: 'active' | 'deleted', view: MlflowViewType = 'ACTIVE_ONLY'): boolean =>
  view === 'ALL' || (view === 'ACTIVE_ONLY' ? stage === 'active' : stage === 'deleted');

const findValue = (items: MlflowKeyValue[], key: string): string | undefined =>
  items.find((item) => item.key === key)?.value;

const runLookup: FieldLookup<StoredRun> = (run, entity, key) => {
  if (entity === 'metric') {
    const metric = run.metrics.find((item) => item.key === key);
    return metric === undefined ? undefined : decodeDouble(metric.value);
  }
  if (entity === 'param') return findValue(run.params, key);
  if (entity === 'tag') return findValue(run.tags, key);
  return (run.info as unknown as Record<string, string | number | undefined>)[key];
};

const experimentLookup: FieldLookup<MlflowExperiment> = (experiment, entity, key) => {
  if (entity === 'tag') return findValue(experiment.tags, key);
  return (experiment as unknown as Record<string, string | number | undefined>)[key];
};

function checkKey(kind: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.trim() === '') {
    throw invalidParameter(`Invalid ${kind} name: '${String(key)}'. The key must be a non-empty string.`);
  }
}

function upsert(items: MlflowKeyValue[], key: string, value: string): void {
  const existing = items.find((item) => item.key === key);
  if (existing) existing.value = value;
  else items.push({ key, value });
}

export class MlflowStore {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => Date,
  ) {}

  // Experiments

  private defaultExperiment(): MlflowExperiment {
    const existing = this.store.get<MlflowExperiment>(EXPERIMENTS, DEFAULT_EXPERIMENT_ID);
    if (existing) return existing;
    return this.saveExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, []);
  }

  private saveExperiment(experimentId: string, name: string, tags: MlflowKeyValue[]): MlflowExperiment {
    const at = this.now().getTime();
    return this.store.put<MlflowExperiment>(EXPERIMENTS, experimentId, {
      experiment_id: experimentId,
      name,
      artifact_location: `azureml://experiments/${encodeURIComponent(name)}`,
      lifecycle_stage: 'active',
      creation_time: at,
      last_update_time: at,
      tags,
    });
  }

  private allExperiments(): MlflowExperiment[] {
    this.defaultExperiment();
    return this.store.list<MlflowExperiment>(EXPERIMENTS);
  }

  getExperiment(experimentId: string): MlflowExperiment | undefined {
    if (experimentId === DEFAULT_EXPERIMENT_ID) return this.defaultExperiment();
    return this.store.get<MlflowExperiment>(EXPERIMENTS, experimentId);
  }

  getExperimentByName(name: string): MlflowExperiment | undefined {
    return this.allExperiments().find((experiment) => experiment.name === name);
  }

  /** Creates an experiment; RESOURCE_ALREADY_EXISTS when the name is taken. */
  createExperiment(name: string, tags: MlflowKeyValue[] = []): MlflowExperiment {
    checkKey('experiment', name);
    if (this.getExperimentByName(name)) {
      throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment '${name}' already exists.`);
    }
    return this.saveExperiment(randomUUID(), name, tags);
  }

  /** The experiment of that name, created when missing. */
  ensureExperiment(name: string): { experiment_id: string; name: string } {
    const experiment = this.getExperimentByName(name) ?? this.createExperiment(name);
    return { experiment_id: experiment.experiment_id, name: experiment.name };
  }

  searchExperiments(query: ExperimentSearchQuery = {}): {
    experiments: MlflowExperiment[];
    next_page_token?: string;
  } {
    const clauses = parseFilter(query.filter, EXPERIMENT_SEARCH_SCHEME);
    const terms = (query.orderBy ?? []).map((term) => parseOrderBy(term, EXPERIMENT_SEARCH_SCHEME));
    const matching = this.allExperiments().filter(
      (experiment) =>
        inView(experiment.lifecycle_stage, query.viewType) &&
        matchesFilter(experiment, clauses, experimentLookup),
    );
    const ordered = sortBy(matching, terms, experimentLookup, EXPERIMENT_TIE_BREAKERS);
    const { page, nextPageToken } = paginate(ordered, query.maxResults, query.pageToken);
    return { experiments: page, ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
  }

  // Runs

  private loadRun(runId: string): StoredRun | undefined {
    return this.store.get<StoredRun>(RUNS, runId);
  }

  private toRun(stored: StoredRun): MlflowRun {
    return {
      info: stored.info,
      data: { metrics: stored.metrics.map(toMetric), params: stored.params, tags: stored.tags },
    };
  }

  /** Applies a change to an active run and saves it (and its history) once. */
  private mutateRun(runId: string, change: (run: StoredRun, history: StoredHistory) => void): void {
    const run = this.loadRun(runId);
    if (!run) throw noSuchRun(runId);
    if (run.info.lifecycle_stage !== 'active') {
      throw invalidParameter(
        `The run ${runId} must be in the 'active' state. Current state is ${run.info.lifecycle_stage}.`,
      );
    }
    const history = this.store.get<StoredHistory>(HISTORY, run.info.run_id) ?? { series: [] };
    const before = history.series.reduce((count, series) => count + series.points.length, 0);
    change(run, history);
    this.store.put(RUNS, run.info.run_id, run);
    const after = history.series.reduce((count, series) => count + series.points.length, 0);
    if (after !== before) this.store.put(HISTORY, run.info.run_id, history);
  }

  /**
   * Creates a run (RUNNING). With `runId` (a job name) the run takes that id; when a run with that
   * id exists it is returned unchanged, so a re-driven job does not fail on its own run.
   */
  createRun(input: {
    runId?: string;
    experimentId: string;
    runName?: string;
    startTimeMs?: number;
    tags?: Record<string, string>;
    userId?: string;
  }): MlflowRun {
    if (input.runId !== undefined) {
      checkKey('run id', input.runId);
      const existing = this.loadRun(input.runId);
      if (existing) return this.toRun(existing);
    }
    const experiment = this.getExperiment(input.experimentId);
    if (!experiment) {
      throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${input.experimentId} exists`);
    }
    if (experiment.lifecycle_stage !== 'active') {
      throw invalidParameter(`The experiment ${input.experimentId} must be in the 'active' state.`);
    }
    const runId = input.runId ?? randomUUID().replaceAll('-', '');
    const tags: MlflowKeyValue[] = Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value }));
    const runName = input.runName ?? findValue(tags, 'mlflow.runName') ?? runId;
    upsert(tags, 'mlflow.runName', runName);
    const run: StoredRun = {
      info: {
        run_id: runId,
        run_uuid: runId,
        run_name: runName,
        experiment_id: experiment.experiment_id,
        user_id: input.userId ?? findValue(tags, 'mlflow.user') ?? '',
        status: 'RUNNING',
        start_time: input.startTimeMs ?? this.now().getTime(),
        artifact_uri: `azureml://experiments/${experiment.experiment_id}/runs/${runId}/artifacts`,
        lifecycle_stage: 'active',
      },
      metrics: [],
      params: [],
      tags,
    };
    this.store.put(RUNS, runId, run);
    return this.toRun(run);
  }

  getRun(runId: string): MlflowRun | undefined {
    const stored = this.loadRun(runId);
    return stored ? this.toRun(stored) : undefined;
  }

  /** Changes status, end time or name; undefined for an unknown run. Works on deleted runs too. */
  updateRun(
    runId: string,
    update: { status?: MlflowRunStatus; endTimeMs?: number; runName?: string },
  ): MlflowRun | undefined {
    const run = this.loadRun(runId);
    if (!run) return undefined;
    if (update.status !== undefined) run.info.status = update.status;
    if (update.endTimeMs !== undefined) run.info.end_time = update.endTimeMs;
    if (update.runName !== undefined && update.runName !== '') {
      run.info.run_name = update.runName;
      upsert(run.tags, 'mlflow.runName', update.runName);
    }
    this.store.put(RUNS, run.info.run_id, run);
    return this.toRun(run);
  }

  /** Marks a run deleted (it stays readable by id, and hidden from default searches). */
  deleteRun(runId: string): void {
    const run = this.loadRun(runId);
    if (!run) throw noSuchRun(runId);
    run.info.lifecycle_stage = 'deleted';
    this.store.put(RUNS, run.info.run_id, run);
  }

  logMetric(runId: string, metric: MetricInput): void {
    this.logBatch(runId, { metrics: [metric] });
  }

  logParam(runId: string, key: string, value: string): void {
    this.logBatch(runId, { params: [{ key, value }] });
  }

  setTag(runId: string, key: string, value: string): void {
    this.logBatch(runId, { tags: [{ key, value }] });
  }

  /** Metrics, params and tags of one request, saved together. */
  logBatch(
    runId: string,
    batch: { metrics?: MetricInput[]; params?: MlflowKeyValue[]; tags?: MlflowKeyValue[] },
  ): void {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    for (const [kind, items] of [
      ['metrics', metrics],
      ['params', params],
      ['tags', tags],
    ] as const) {
      const limit = LOG_BATCH_LIMITS[kind];
      if (items.length > limit) {
        throw invalidParameter(
          `A batch logging request can contain at most ${limit} ${kind}. Got ${items.length}.`,
        );
      }
    }
    for (const metric of metrics) {
      checkKey('metric', metric.key);
      if (typeof metric.value !== 'number')
        throw invalidParameter(`Invalid value for metric '${metric.key}'.`);
    }
    for (const param of params) checkKey('param', param.key);
    for (const tag of tags) checkKey('tag', tag.key);
    const nowMs = this.now().getTime();
    this.mutateRun(runId, (run, history) => {
      for (const param of params) {
        const logged = findValue(run.params, param.key);
        if (logged !== undefined && logged !== param.value) {
          throw invalidParameter(
            `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${logged}' for run ID='${run.info.run_id}'. Attempted logging new value '${param.value}'.`,
          );
        }
        if (logged === undefined) run.params.push({ key: param.key, value: param.value });
      }
      for (const tag of tags) {
        upsert(run.tags, tag.key, tag.value);
        if (tag.key === 'mlflow.runName' && tag.value !== '') run.info.run_name = tag.value;
      }
      for (const input of metrics) {
        const metric: MlflowMetric = {
          key: input.key,
          value: input.value,
          timestamp: input.timestamp ?? nowMs,
          step: input.step ?? 0,
        };
        const stored: StoredMetric = { ...metric, value: encodeDouble(metric.value) };
        let series = history.series.find((item) => item.key === metric.key);
        if (!series) {
          series = { key: metric.key, points: [] };
          history.series.push(series);
        }
        series.points.push(stored);
        const at = run.metrics.findIndex((item) => item.key === metric.key);
        const current = at >= 0 ? run.metrics[at] : undefined;
        if (current === undefined) run.metrics.push(stored);
        else if (isNewer(metric, toMetric(current))) run.metrics[at] = stored;
      }
    });
  }

  /** Every logged point of a metric in logging order; empty for an unknown run or key. */
  metricHistory(runId: string, key: string): MlflowMetric[] {
    const run = this.loadRun(runId);
    if (!run) return [];
    const history = this.store.get<StoredHistory>(HISTORY, run.info.run_id);
    return (history?.series.find((item) => item.key === key)?.points ?? []).map(toMetric);
  }

  searchRuns(query: RunSearchQuery): { runs: MlflowRun[]; next_page_token?: string } {
    const clauses = parseFilter(query.filter, RUN_SEARCH_SCHEME);
    const terms = (query.orderBy ?? []).map((term) => parseOrderBy(term, RUN_SEARCH_SCHEME));
    const experiments = new Set(query.experimentIds.map(String));
    const matching = this.store
      .list<StoredRun>(RUNS)
      .filter(
        (run) =>
          experiments.has(run.info.experiment_id) &&
          inView(run.info.lifecycle_stage, query.viewType) &&
          matchesFilter(run, clauses, runLookup),
      );
    const ordered = sortBy(matching, terms, runLookup, RUN_TIE_BREAKERS);
    const { page, nextPageToken } = paginate(ordered, query.maxResults, query.pageToken);
    return {
      runs: page.map((run) => this.toRun(run)),
      ...(nextPageToken ? { next_page_token: nextPageToken } : {}),
    };
  }
}
