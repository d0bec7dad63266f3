// A job that must exist and have Completed before its results are read (metrics, outputs), and a
// pipeline step of it by name. Each failure is a ConfigurationError naming the input to fix.

import { AzureRequestError, ConfigurationError } from '../errors';
import type { MlflowClient } from '../metrics/mlflow-client';
import { type ChildJob, type JobGetter, listChildJobs } from './children';
import type { JobResource } from './job-client';

export interface CompletedJobOptions {
  input: string;
  /** What to do about a job that has not completed, e.g. "Gate on a job that completed: …". */
  notCompletedFix: string;
  abortSignal?: AbortSignal | undefined;
}

export async function getCompletedJob(
  jobs: JobGetter,
  name: string,
  options: CompletedJobOptions,
): Promise<JobResource> {
  let job: JobResource;
  try {
    job = await jobs.get(name, options.abortSignal ? { abortSignal: options.abortSignal } : {});
  } catch (error) {
    if (error instanceof AzureRequestError && error.status === 404) {
      throw new ConfigurationError(`job '${name}' does not exist in the workspace`, {
        input: options.input,
        fix: 'Give the name of a finished job (train-pipeline prints it and sets its job-name output).',
      });
    }
    throw error;
  }
  const status = job.properties.status;
  if (status !== 'Completed') {
    throw new ConfigurationError(`job '${name}' is ${status ?? 'in an unknown state'}, not Completed`, {
      input: options.input,
      fix: options.notCompletedFix,
    });
  }
  return job;
}

/** The child job of pipeline `parent` for step `step`; the error lists the steps it has. */
export async function findStepJob(
  mlflow: MlflowClient,
  jobs: JobGetter,
  parent: JobResource,
  step: string,
  options: { input: string; abortSignal?: AbortSignal | undefined },
): Promise<ChildJob> {
  const children = await listChildJobs(
    mlflow,
    jobs,
    parent.name,
    parent.properties.experimentName ?? 'Default',
    {
      abortSignal: options.abortSignal,
    },
  );
  const match = children.find((child) => child.step === step);
  if (match) return match;
  const steps = children.map((child) => child.step);
  throw new ConfigurationError(`job '${parent.name}' has no step '${step}'`, {
    input: options.input,
    fix:
      steps.length > 0
        ? `Use one of its steps: ${steps.join(', ')}.`
        : `Job '${parent.name}' has no steps; leave step out.`,
  });
}
