// A pipeline job: every step becomes a child job up front (NotStarted), then steps run as their
// inputs become available, independent ones in parallel. A failed step skips its dependants
// (NotStarted → Canceled) and, unless settings.continue_on_step_failure, cancels running steps.
import { getJob, setJobStatus } from '../arm/job-store';
import { createChildJob } from './child-jobs';
import type { ExecutionContext } from './context';
import { ensureTrackedRun, type JobLifecycle, type JobOutcome, runParentJob } from './lifecycle';
import { nextSteps, planPipeline, type StepState } from './pipeline-plan';
import { type StepJob, type StepOutputs, stepJob } from './pipeline-steps';

type Json = Record<string, unknown>;

/** Runs one child job to its end, cancelable through its own name and through the parent's signal. */
export type ChildRunner = (
  childName: string,
  parentSignal: AbortSignal,
  runTags: Record<string, string>,
  options?: { timeoutInMs?: number },
) => Promise<JobOutcome>;

const isTrue = (value: unknown): boolean => value === true || String(value).toLowerCase() === 'true';

export async function runPipelineJob(
  exec: ExecutionContext,
  jobName: string,
  abortSignal: AbortSignal,
  runChild: ChildRunner,
): Promise<JobOutcome> {
  return runParentJob(exec, jobName, abortSignal, 'PipelineFailed', (lifecycle) =>
    orchestrate(exec, jobName, lifecycle, abortSignal, runChild),
  );
}

async function orchestrate(
  exec: ExecutionContext,
  jobName: string,
  lifecycle: JobLifecycle,
  abortSignal: AbortSignal,
  runChild: ChildRunner,
): Promise<JobOutcome> {
  const parent = getJob(exec.ctx, jobName);
  if (!parent) throw new Error(`Job '${jobName}' disappeared before it ran.`);
  ensureTrackedRun(exec, parent);
  const steps = planPipeline((parent.properties.jobs as Json | undefined) ?? {});
  const known: StepOutputs = {};
  const jobs = new Map<string, StepJob>();
  for (const step of steps) {
    const job = stepJob(exec.ctx, parent, step, known);
    known[step.name] = job.outputs;
    jobs.set(step.name, job);
  }
  const tagsOf = (step: string) => ({ 'mlflow.parentRunId': parent.name, 'azureml.nodeid': step });
  for (const step of steps) {
    const job = jobs.get(step.name) as StepJob;
    if (!getJob(exec.ctx, job.childName)) {
      const child = createChildJob(exec.ctx, parent, {
        name: job.childName,
        properties: job.properties,
        status: 'NotStarted',
      });
      ensureTrackedRun(exec, child, tagsOf(step.name), 'SCHEDULED');
    }
  }
  if (!lifecycle.advance('Preparing') || !lifecycle.advance('Running')) return { status: 'Canceled' };
  lifecycle.markRunning();

  const settings = (parent.properties.settings as Json | undefined) ?? {};
  const continueOnFailure = isTrue(settings.continue_on_step_failure ?? settings.continueOnStepFailure);
  const states = new Map<string, StepState>(steps.map((step) => [step.name, 'pending']));
  const failures: string[] = [];
  const stepsAbort = new AbortController();
  const stopSteps = () => stepsAbort.abort();
  abortSignal.addEventListener('abort', stopSteps, { once: true });
  const running = new Map<string, Promise<void>>();

  const skip = (step: string) => {
    states.set(step, 'skipped');
    const childName = (jobs.get(step) as StepJob).childName;
    setJobStatus(exec.ctx, childName, 'Canceled');
    exec.tracking.updateRun(childName, { status: 'KILLED', endTimeMs: exec.ctx.now().getTime() });
  };

  try {
    for (;;) {
      if (stepsAbort.signal.aborted) {
        for (const [step, state] of states) if (state === 'pending') skip(step);
      }
      let next = nextSteps(steps, states);
      while (next.skip.length > 0) {
        for (const step of next.skip) skip(step);
        next = nextSteps(steps, states);
      }
      if (!stepsAbort.signal.aborted) {
        for (const step of next.start) {
          states.set(step, 'running');
          const job = jobs.get(step) as StepJob;
          const run = runChild(job.childName, stepsAbort.signal, tagsOf(step)).then((result) => {
            running.delete(step);
            states.set(step, result.status === 'Completed' ? 'completed' : 'failed');
            if (result.status !== 'Completed') {
              failures.push(
                `Step '${step}' ${result.status === 'Canceled' ? 'was canceled' : 'failed'}${result.error ? `: ${result.error.message}` : '.'}`,
              );
              if (!continueOnFailure) stopSteps();
            }
          });
          running.set(step, run);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    abortSignal.removeEventListener('abort', stopSteps);
  }
  if (abortSignal.aborted) return { status: 'Canceled' };
  if (failures.length > 0) {
    return { status: 'Failed', error: { code: 'PipelineStepFailed', message: failures.join(' ') } };
  }
  return { status: 'Completed' };
}
