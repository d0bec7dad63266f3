// A sweep job: trials drawn from the search space (Random seeded, Grid, Bayesian as Random), each a
// child job `<sweep>_<index>` with the sampled values as MLflow params; at most
// max_concurrent_trials at once, max_total_trials in all; early termination evaluated on the
// primary metric's history; the best trial recorded on the sweep's run.
import { getJob } from '../arm/job-store';
import { substituteSearchSpace } from './bindings';
import { createChildJob } from './child-jobs';
import type { ExecutionContext } from './context';
import { durationInMs } from './durations';
import {
  bestTrial,
  type Goal,
  shouldTerminate,
  type TerminationPolicy,
  type TrialMetrics,
} from './early-termination';
import { ensureTrackedRun, type JobLifecycle, type JobOutcome, runParentJob } from './lifecycle';
import type { ChildRunner } from './pipeline-run';
import {
  formatSampledValue,
  gridSampler,
  parseSearchSpace,
  randomSampler,
  type Sampler,
} from './search-space';

type Json = Record<string, unknown>;

/** How often running trials' metrics are read for early termination. */
const POLICY_TICK_IN_MS = 500;
/** The service's default when a sweep gives no max_total_trials. */
const DEFAULT_MAX_TOTAL_TRIALS = 1000;

interface Trial {
  name: string;
  controller: AbortController;
  done: Promise<void>;
  outcome?: JobOutcome;
  earlyTerminated: boolean;
  evaluatedIntervals: number;
}

function samplerFor(
  properties: Json,
  exec: ExecutionContext,
  jobName: string,
): { sampler: Sampler; size?: number } {
  const space = parseSearchSpace(properties.searchSpace);
  const algorithm = (properties.samplingAlgorithm as Json | undefined) ?? {};
  const type = String(algorithm.samplingAlgorithmType ?? 'Random');
  if (type === 'Grid') return gridSampler(space);
  if (type === 'Bayesian') exec.tracking.setTag(jobName, 'emulator.sampling', 'Bayesian sampled as Random');
  const seed = typeof algorithm.seed === 'number' ? algorithm.seed : undefined;
  return { sampler: randomSampler(space, seed) };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function runSweepJob(
  exec: ExecutionContext,
  jobName: string,
  abortSignal: AbortSignal,
  runChild: ChildRunner,
): Promise<JobOutcome> {
  return runParentJob(exec, jobName, abortSignal, 'SweepFailed', (lifecycle) =>
    sweep(exec, jobName, lifecycle, abortSignal, runChild),
  );
}

async function sweep(
  exec: ExecutionContext,
  jobName: string,
  lifecycle: JobLifecycle,
  abortSignal: AbortSignal,
  runChild: ChildRunner,
): Promise<JobOutcome> {
  const parent = getJob(exec.ctx, jobName);
  if (!parent) throw new Error(`Job '${jobName}' disappeared before it ran.`);
  const properties = parent.properties as Json;
  ensureTrackedRun(exec, parent);
  const { sampler, size } = samplerFor(properties, exec, parent.name);
  const limits = (properties.limits as Json | null | undefined) ?? {};
  const maxTotal = Math.min(
    Number(limits.maxTotalTrials ?? DEFAULT_MAX_TOTAL_TRIALS),
    size ?? Number.POSITIVE_INFINITY,
  );
  const maxConcurrent = Math.max(1, Number(limits.maxConcurrentTrials ?? maxTotal));
  const trialTimeoutInMs = durationInMs(limits.trialTimeout);
  const sweepTimeoutInMs = durationInMs(limits.timeout);
  const objective = (properties.objective as Json | undefined) ?? {};
  const goal: Goal = objective.goal === 'Minimize' ? 'Minimize' : 'Maximize';
  const primaryMetric = String(objective.primaryMetric ?? '');
  const policy = properties.earlyTermination as TerminationPolicy | null | undefined;
  const trialSpec = (properties.trial as Json | undefined) ?? {};
  if (!lifecycle.advance('Preparing') || !lifecycle.advance('Running')) return { status: 'Canceled' };
  lifecycle.markRunning();

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  abortSignal.addEventListener('abort', onAbort, { once: true });
  const deadline = sweepTimeoutInMs === undefined ? undefined : setTimeout(onAbort, sweepTimeoutInMs);
  const trials: Trial[] = [];
  const metricsOf = (trial: Trial): TrialMetrics => ({
    name: trial.name,
    values: exec.tracking.metricHistory(trial.name, primaryMetric).map((metric) => metric.value),
  });

  const launch = (index: number, values: Record<string, string>) => {
    const name = `${parent.name}_${index}`;
    const inputs = Object.fromEntries(
      Object.entries((properties.inputs as Json | undefined) ?? {}).map(([key, input]) => {
        const { description: _description, ...rest } = input as Json;
        return [key, rest];
      }),
    );
    const outputs = Object.fromEntries(
      Object.entries((properties.outputs as Json | undefined) ?? {})
        .filter(([key]) => key !== 'default')
        .map(([key, output]) => [key, { jobOutputType: (output as Json).jobOutputType ?? 'uri_folder' }]),
    );
    const child = createChildJob(exec.ctx, parent, {
      name,
      status: 'Starting',
      properties: {
        jobType: 'Command',
        command: substituteSearchSpace(String(trialSpec.command ?? ''), values),
        environmentId: String(trialSpec.environmentId ?? ''),
        ...(trialSpec.codeId ? { codeId: trialSpec.codeId } : {}),
        environmentVariables: (trialSpec.environmentVariables as Json | undefined) ?? {},
        experimentName: properties.experimentName,
        displayName: name,
        ...(properties.computeId ? { computeId: properties.computeId } : {}),
        inputs,
        outputs,
      },
    });
    const tags = { 'mlflow.parentRunId': parent.name, 'azureml.trial': String(index) };
    ensureTrackedRun(exec, child, tags, 'SCHEDULED');
    for (const [key, value] of Object.entries(values)) exec.tracking.logParam(name, key, value);
    const controller = new AbortController();
    const trial: Trial = {
      name,
      controller,
      done: Promise.resolve(),
      earlyTerminated: false,
      evaluatedIntervals: 0,
    };
    trial.done = runChild(name, controller.signal, tags, { timeoutInMs: trialTimeoutInMs }).then((result) => {
      trial.outcome = result;
    });
    trials.push(trial);
  };

  const applyPolicy = () => {
    if (!policy?.policyType || !primaryMetric) return;
    const all = trials.map(metricsOf);
    for (const trial of trials) {
      if (trial.outcome || trial.earlyTerminated) continue;
      const metrics = all.find((entry) => entry.name === trial.name) as TrialMetrics;
      for (let interval = trial.evaluatedIntervals + 1; interval <= metrics.values.length; interval++) {
        trial.evaluatedIntervals = interval;
        if (shouldTerminate(policy, goal, metrics, all, interval)) {
          trial.earlyTerminated = true;
          exec.tracking.setTag(
            trial.name,
            'azureml.earlyTermination',
            `${policy.policyType} at interval ${interval}`,
          );
          trial.controller.abort();
          break;
        }
      }
    }
  };

  try {
    let index = 0;
    let exhausted = false;
    for (;;) {
      const running = () => trials.filter((trial) => !trial.outcome);
      while (!stop.signal.aborted && !exhausted && index < maxTotal && running().length < maxConcurrent) {
        const values = sampler();
        if (!values) {
          exhausted = true;
          break;
        }
        launch(
          index++,
          Object.fromEntries(Object.entries(values).map(([k, v]) => [k, formatSampledValue(v)])),
        );
      }
      if (stop.signal.aborted) for (const trial of running()) trial.controller.abort();
      if (running().length === 0 && (stop.signal.aborted || exhausted || index >= maxTotal)) break;
      await Promise.race([...running().map((trial) => trial.done), sleep(POLICY_TICK_IN_MS, stop.signal)]);
      applyPolicy();
    }
  } finally {
    clearTimeout(deadline);
    abortSignal.removeEventListener('abort', onAbort);
  }
  if (abortSignal.aborted) return { status: 'Canceled' };

  const finished = trials.filter((trial) => trial.outcome?.status === 'Completed' || trial.earlyTerminated);
  const best = primaryMetric ? bestTrial(goal, finished.map(metricsOf)) : undefined;
  if (best) {
    exec.tracking.setTag(parent.name, 'best_child_run_id', best.name);
    exec.tracking.setTag(parent.name, 'best_metric', String(best.value));
  }
  if (!trials.some((trial) => trial.outcome?.status === 'Completed')) {
    const failed = trials.filter((trial) => trial.outcome?.status === 'Failed');
    return {
      status: 'Failed',
      error: {
        code: 'SweepFailed',
        message: `No trial completed (${trials.length} run, ${failed.length} failed)${failed[0]?.outcome?.error ? `; first failure: ${failed[0].outcome.error.message}` : '.'}`,
      },
    };
  }
  return { status: 'Completed' };
}
