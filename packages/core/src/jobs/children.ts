// The child jobs of a pipeline (its steps) or a sweep (its trials). Azure ML hides them from the
// job list; their MLflow runs carry `mlflow.parentRunId` = the parent job, plus `azureml.nodeid`
// (pipeline step) or `azureml.trial` (sweep trial). Each child is also a job, whose ARM status is
// the one Azure reports; MLflow times give the duration. A sweep parent names its best trial in
// the `best_child_run_id` tag.

import { AzureRequestError } from '../errors';
import { type MlflowClient, type MlflowRun, type MlflowRunStatus, runTag } from '../metrics/mlflow-client';
import type { JobResource } from './job-client';

export interface ChildJob {
  name: string;
  /** The pipeline step (`azureml.nodeid`), the trial index (`azureml.trial`), else the run name. */
  step: string;
  kind: 'step' | 'trial' | 'child';
  /** The Azure ML job status (from ARM; from MLflow when ARM has no such job). */
  status: string;
  startTimeMs: number | undefined;
  endTimeMs: number | undefined;
  /** This trial is the best of its sweep (the parent's `best_child_run_id`). */
  best: boolean;
}

/** What listChildJobs needs of JobClient. */
export interface JobGetter {
  get(name: string, options?: { abortSignal?: AbortSignal }): Promise<JobResource>;
}

export interface ListChildJobsOptions {
  abortSignal?: AbortSignal | undefined;
  /** ARM GETs at once; default 8. */
  concurrency?: number | undefined;
  /**
   * Where child statuses come from: `arm` (default; one GET per child, the status Azure reports)
   * or `mlflow` (no ARM request: for frequent refreshes while the parent runs).
   */
  statusFrom?: 'arm' | 'mlflow' | undefined;
}

export const PARENT_RUN_TAG = 'mlflow.parentRunId';
export const STEP_TAG = 'azureml.nodeid';
export const TRIAL_TAG = 'azureml.trial';
export const BEST_CHILD_TAG = 'best_child_run_id';

/** The children of `parentName`, ordered by start time then name; [] when the experiment does not exist. */
export async function listChildJobs(
  mlflow: MlflowClient,
  jobs: JobGetter,
  parentName: string,
  experimentName: string,
  options: ListChildJobsOptions = {},
): Promise<ChildJob[]> {
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const experiment = await mlflow.experimentByName(experimentName, call);
  if (!experiment) return [];
  const [runs, best] = await Promise.all([
    mlflow.searchRuns(
      { experimentIds: [experiment.experiment_id], filter: parentRunFilter(parentName), maxResults: 1000 },
      call,
    ),
    bestChildRunId(mlflow, parentName, call),
  ]);
  const statuses =
    options.statusFrom === 'mlflow'
      ? runs.map(() => undefined)
      : await mapLimited(runs, options.concurrency ?? 8, (run) => armStatus(jobs, run.info.run_id, call));
  return runs
    .map((run, index) => childJob(run, statuses[index], best))
    .sort(
      (a, b) =>
        (a.startTimeMs ?? Number.POSITIVE_INFINITY) - (b.startTimeMs ?? Number.POSITIVE_INFINITY) ||
        a.name.localeCompare(b.name),
    );
}

/** The parent's `best_child_run_id` tag (set on a sweep when it finishes). */
export async function bestChildRunId(
  mlflow: MlflowClient,
  parentName: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string | undefined> {
  try {
    return runTag(await mlflow.getRun(parentName, options), BEST_CHILD_TAG);
  } catch (error) {
    if (error instanceof AzureRequestError && error.status === 404) return undefined;
    throw error;
  }
}

/** `tags.mlflow.parentRunId = '<parent>'`; job names never hold quotes, so one is refused. */
export function parentRunFilter(parentName: string): string {
  if (/['"\\]/.test(parentName)) throw new Error(`'${parentName}' is not a job name: it holds a quote.`);
  return `tags.${PARENT_RUN_TAG} = '${parentName}'`;
}

/** MLflow's run status in Azure ML's words, for a child ARM does not know. */
export function azureStatusOfMlflowRun(status: MlflowRunStatus): string {
  switch (status) {
    case 'RUNNING':
      return 'Running';
    case 'SCHEDULED':
      return 'Queued';
    case 'FINISHED':
      return 'Completed';
    case 'FAILED':
      return 'Failed';
    case 'KILLED':
      return 'Canceled';
    default:
      return 'Unknown';
  }
}

function childJob(
  run: MlflowRun,
  armStatusOrUndefined: string | undefined,
  best: string | undefined,
): ChildJob {
  const node = runTag(run, STEP_TAG);
  const trial = runTag(run, TRIAL_TAG);
  const kind = node !== undefined ? 'step' : trial !== undefined ? 'trial' : 'child';
  return {
    name: run.info.run_id,
    step: node ?? trial ?? run.info.run_name ?? runTag(run, 'mlflow.runName') ?? run.info.run_id,
    kind,
    status: armStatusOrUndefined ?? azureStatusOfMlflowRun(run.info.status),
    startTimeMs: positive(run.info.start_time),
    endTimeMs: positive(run.info.end_time),
    best: best !== undefined && best === run.info.run_id,
  };
}

async function armStatus(
  jobs: JobGetter,
  name: string,
  options: { abortSignal?: AbortSignal },
): Promise<string | undefined> {
  try {
    return (await jobs.get(name, options)).properties.status;
  } catch (error) {
    if (error instanceof AzureRequestError && error.status === 404) return undefined;
    throw error;
  }
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `map` with at most `limit` calls in flight, results in input order. */
async function mapLimited<T, R>(items: T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
