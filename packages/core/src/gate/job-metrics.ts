// The metrics of an Azure ML job, read from the workspace's MLflow tracking: the job's own run, a
// named pipeline step's run, or for a sweep its best trial (the `best_child_run_id` the service
// sets). Final values by default; min/max/mean over each metric's history when asked.

import { ConfigurationError } from '../errors';
import { bestChildRunId, type JobGetter } from '../jobs/children';
import { findStepJob, getCompletedJob } from '../jobs/completed-job';
import type { JobResource } from '../jobs/job-client';
import type { MlflowClient } from '../metrics/mlflow-client';
import { type Aggregate, aggregateHistory, type Metrics } from './metric-files';

export interface JobMetricsOptions {
  /** A pipeline step name (`jobs.<step>` of the pipeline YAML). */
  step?: string | undefined;
  aggregate?: Aggregate | undefined;
  /** Input names for messages; defaults `job-name` and `step`. */
  jobInput?: string | undefined;
  stepInput?: string | undefined;
  abortSignal?: AbortSignal | undefined;
}

export interface JobMetrics {
  metrics: Metrics;
  /** The run the metrics are from (the job, its step, or its best trial). */
  runId: string;
  /** Readable: `job x`, `step train of job x`, `best trial x_3 of sweep x`. */
  source: string;
  job: JobResource;
}

export async function readJobMetrics(
  mlflow: MlflowClient,
  jobs: JobGetter,
  jobName: string,
  options: JobMetricsOptions = {},
): Promise<JobMetrics> {
  const jobInput = options.jobInput ?? 'job-name';
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const job = await getCompletedJob(jobs, jobName, {
    input: jobInput,
    notCompletedFix:
      'Gate on a job that completed: wait for it (train-pipeline with wait: true) or fix its failure first.',
    abortSignal: options.abortSignal,
  });
  let runId = jobName;
  let source = `job ${jobName}`;
  if (options.step) {
    const match = await findStepJob(mlflow, jobs, job, options.step, {
      input: options.stepInput ?? 'step',
      abortSignal: options.abortSignal,
    });
    runId = match.name;
    source = `step ${options.step} (${match.name}) of job ${jobName}`;
  } else if (job.properties.jobType === 'Sweep') {
    const best = await bestChildRunId(mlflow, jobName, call);
    if (!best) {
      throw new ConfigurationError(`sweep job '${jobName}' names no best trial`, {
        input: jobInput,
        fix: 'The sweep records its best trial when it completes with an objective metric logged by the trials.',
      });
    }
    runId = best;
    source = `best trial ${best} of sweep ${jobName}`;
  }
  const metrics = await runMetrics(mlflow, runId, options.aggregate ?? 'last', call);
  if (Object.keys(metrics).length === 0) {
    throw new ConfigurationError(`${source} logged no metrics`, {
      input: jobInput,
      fix: 'Log metrics with mlflow.log_metric in the training script, or read them from a file with metrics-file.',
    });
  }
  return { metrics, runId, source, job };
}

async function runMetrics(
  mlflow: MlflowClient,
  runId: string,
  aggregate: Aggregate,
  call: { abortSignal?: AbortSignal },
): Promise<Metrics> {
  if (aggregate === 'last') return mlflow.finalMetrics(runId, call);
  const run = await mlflow.getRun(runId, call);
  const metrics: Metrics = {};
  for (const { key } of run.data.metrics) {
    const history = await mlflow.metricHistory(runId, key, call);
    if (history.length > 0) metrics[key] = aggregateHistory(history, aggregate);
  }
  return metrics;
}
