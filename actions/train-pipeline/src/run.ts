// The action: submit (or re-attach to, or only translate) a job, watch it to the end, report.
import path from 'node:path';
import {
  AzureRequestError,
  ConfigurationError,
  connectWorkspace,
  isTerminalJobStatus,
  type JobResource,
  parseSetOverrides,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import { isCancellation, lineageTags, mergeTags } from '@aml-actions/core/github';
import { downloadOutputs } from './download';
import type { TrainInputs } from './inputs';
import { defaultJobName } from './naming';
import type { TrainResult } from './result';
import { collectResults, jobOutputUris, studioUrlOf } from './results';
import { prepareSubmission, writeRequestFile } from './submission';
import { buildSummary } from './summary';
import { watchJob } from './watch';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunDeps {
  logger: Logger;
  env: Env;
  cwd: string;
  /** Aborted when the workflow is cancelled (SIGINT/SIGTERM). */
  abortSignal: AbortSignal;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string) => void;
  saveState: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  /** How to connect (tests may add retry options); default connectWorkspace. */
  connect?: (options: WorkspaceSessionOptions) => Promise<WorkspaceSession>;
  now?: () => number;
}

/** How long a cancel request may take once the workflow is cancelled: inside the runner's 7.5 s. */
const CANCEL_BUDGET_IN_MS = 5000;

export async function run(inputs: TrainInputs, deps: RunDeps): Promise<TrainResult> {
  const { logger } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  // Parsed before connecting: a bad `set` line fails with nothing touched.
  const overrides = parseSetOverrides(inputs.set, 'set');
  const jobFile = inputs.jobFile ? path.resolve(deps.cwd, inputs.jobFile) : undefined;
  const session = await (deps.connect ?? connectWorkspace)({
    inputs: inputs.connection,
    env: deps.env,
    cwd: deps.cwd,
    onSecret: deps.mask,
  });
  const { workspace } = session;
  logger.info(
    `Workspace ${workspace.workspace} (resource group ${workspace.resourceGroup}), signed in with ${session.credential.description}.`,
  );
  const name = inputs.attach ?? inputs.name ?? defaultJobName(deps.env, inputs.jobFile ?? '');
  deps.setOutput('job-name', name);

  const translateOptions = {
    overrides,
    tags: mergeTags(lineageTags(deps.env), inputs.tags),
    ...(inputs.experimentName ? { experimentName: inputs.experimentName } : {}),
    ...(inputs.displayName ? { displayName: inputs.displayName } : {}),
    ...(inputs.description ? { description: inputs.description } : {}),
  };

  if (inputs.dryRun && jobFile) {
    const submission = await prepareSubmission(session, jobFile, name, translateOptions, {
      dryRun: true,
      logger,
      concurrency: inputs.uploadConcurrency,
      abortSignal: deps.abortSignal,
    });
    const requestFile = await writeRequestFile(deps.env, deps.cwd, name, submission.requests);
    deps.setOutput('request-file', requestFile);
    deps.setOutput('status', 'DryRun');
    deps.setOutput('submitted', 'false');
    logger.info(
      `Dry run: ${submission.requests.length} requests written to ${requestFile}; nothing was sent.`,
    );
    const result: TrainResult = {
      jobName: name,
      jobType: submission.jobType,
      status: 'DryRun',
      submitted: false,
      outputs: {},
      children: [],
      metrics: {},
      requestFile,
    };
    await deps.writeSummary(buildSummary(result));
    return result;
  }

  let job = await findJob(session, name);
  let submitted = false;
  let code: TrainResult['code'];
  if (inputs.attach && !job) {
    throw new ConfigurationError(`job '${name}' does not exist in workspace '${workspace.workspace}'`, {
      input: 'attach',
      fix: 'Give the name of an existing job (as `az ml job list` or the studio shows it), or use `job` to submit one.',
    });
  }
  if (job) {
    logger.info(
      `Job ${name} already exists (${job.properties.status}): re-attaching instead of submitting again.`,
    );
  } else if (jobFile) {
    const submission = await prepareSubmission(session, jobFile, name, translateOptions, {
      dryRun: false,
      logger,
      concurrency: inputs.uploadConcurrency,
      abortSignal: deps.abortSignal,
    });
    code = submission.code;
    // Saved before the PUT: if the runner kills this step from here on, the post step cancels.
    deps.saveState('job-name', name);
    const created = await session.jobs.create(name, submission.properties, { abortSignal: deps.abortSignal });
    job = created.job;
    submitted = created.created;
    logger.info(`Submitted ${submission.jobType.toLowerCase()} job ${name}: ${studioUrlOf(job) ?? ''}`);
  }
  if (!job) throw new Error('unreachable: no job to watch');
  if (!submitted) deps.saveState('job-name', name);
  deps.setOutput('submitted', String(submitted));
  const studioUrl = studioUrlOf(job);
  if (studioUrl) deps.setOutput('studio-url', studioUrl);
  deps.setOutput('outputs', JSON.stringify(jobOutputUris(job)));

  if (!inputs.wait) {
    deps.setOutput('status', job.properties.status ?? 'Unknown');
    deps.saveState('job-finished', 'true');
    logger.info(`wait is false: job ${name} keeps running (${job.properties.status}).`);
    const result: TrainResult = {
      jobName: name,
      jobType: job.properties.jobType,
      status: job.properties.status ?? 'Unknown',
      ...(studioUrl ? { studioUrl } : {}),
      submitted,
      outputs: jobOutputUris(job),
      children: [],
      metrics: {},
      ...(code ? { code } : {}),
    };
    await deps.writeSummary(buildSummary(result));
    return result;
  }

  let watched: Awaited<ReturnType<typeof watchJob>>;
  try {
    watched = await watchJob(session, job, {
      timeoutInMs: inputs.timeoutInMs,
      streamLogs: inputs.streamLogs,
      abortSignal: deps.abortSignal,
      logger,
    });
  } catch (error) {
    if (!isCancellation(error, deps.abortSignal)) throw error;
    await cancelOnStop(session, name, inputs.cancelOnAbort, deps, 'the workflow was cancelled');
    deps.setOutput('status', 'Canceled');
    throw new Error(
      inputs.cancelOnAbort
        ? `The workflow was cancelled; job ${name} was asked to cancel.`
        : `The workflow was cancelled; job ${name} keeps running (cancel-on-abort is false).`,
    );
  }

  if (watched.timedOut) {
    await cancelOnStop(session, name, inputs.cancelOnAbort, deps, 'the timeout passed');
    deps.setOutput('status', watched.status);
    const result = await collectResults(watched, { submitted, code, logger });
    result.failure = {
      message: `Job ${name} did not finish within the timeout (${inputs.timeoutInMs / 1000}s); it was ${watched.status}${inputs.cancelOnAbort ? ' and has been cancelled' : ' and keeps running'}.`,
      logTail: watched.logTail,
    };
    await deps.writeSummary(buildSummary(result));
    throw new Error(result.failure.message);
  }

  deps.saveState('job-finished', 'true');
  const result = await collectResults(watched, { submitted, code, logger });
  result.durationInMs = watched.elapsedInMs;
  deps.setOutput('status', result.status);
  deps.setOutput('outputs', JSON.stringify(result.outputs));
  deps.setOutput('child-jobs', JSON.stringify(result.children));
  deps.setOutput('metrics', JSON.stringify(result.metrics));

  if (result.status === 'Completed' && inputs.downloadOutputs.length > 0) {
    result.downloaded = await downloadOutputs(session, result.outputs, {
      wanted: inputs.downloadOutputs,
      into: path.resolve(deps.cwd, inputs.downloadPath),
      logger,
      abortSignal: deps.abortSignal,
    });
  }
  if (result.status !== 'Completed') {
    result.failure = {
      message: failureMessage(watched.job, name),
      logTail: watched.logTail,
    };
  }
  await deps.writeSummary(buildSummary(result));
  if (result.failure) {
    const tail =
      result.failure.logTail.length > 0 ? `\nLast log lines:\n${result.failure.logTail.join('\n')}` : '';
    throw new Error(`${result.failure.message}${tail}`);
  }
  logger.info(`Job ${name} completed in ${Math.round((now() - startedAt) / 1000)}s.`);
  return result;
}

async function findJob(session: WorkspaceSession, name: string): Promise<JobResource | undefined> {
  try {
    return await session.jobs.get(name);
  } catch (error) {
    if (error instanceof AzureRequestError && error.status === 404) return undefined;
    throw error;
  }
}

async function cancelOnStop(
  session: WorkspaceSession,
  name: string,
  cancelOnAbort: boolean,
  deps: RunDeps,
  why: string,
): Promise<void> {
  if (!cancelOnAbort) {
    deps.logger.warning(`Job ${name} keeps running: ${why} and cancel-on-abort is false.`);
    deps.saveState('job-finished', 'true');
    return;
  }
  try {
    const current = await session.jobs.get(name, { abortSignal: AbortSignal.timeout(CANCEL_BUDGET_IN_MS) });
    if (isTerminalJobStatus(current.properties.status)) {
      deps.saveState('job-finished', 'true');
      return;
    }
    await session.jobs.cancel(name, {
      abortSignal: AbortSignal.timeout(CANCEL_BUDGET_IN_MS),
      waitForAcceptance: false,
    });
    deps.saveState('job-finished', 'true');
    deps.logger.info(`Cancel requested for job ${name} because ${why}.`);
  } catch (error) {
    // The post step tries again: job-finished stays unset.
    deps.logger.warning(
      `Could not cancel job ${name}: ${(error as Error).message}. The post step will try again.`,
    );
  }
}

function failureMessage(job: JobResource, name: string): string {
  const status = job.properties.status ?? 'Unknown';
  const error = (job.properties as { error?: { code?: string; message?: string } }).error;
  const detail = error?.message ? `: ${error.code ? `${error.code}: ` : ''}${error.message}` : '';
  return `Job ${name} ended ${status}${detail}`;
}
