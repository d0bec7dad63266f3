// One command job, start to end: job folder, code snapshot, inputs, outputs, the process with its
// log mirrored to the artifact store, outputs and `./outputs` artifacts uploaded, and the final
// status (ARM and MLflow).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { getJob, type JobRecord } from '../arm/job-store';
import { artifactContainer, runArtifactPrefix, runLogLocation, STD_LOG } from './artifact-store';
import { substituteCommand } from './bindings';
import { downloadCode } from './code-snapshot';
import type { ExecutionContext } from './context';
import { durationInMs } from './durations';
import { jobProcessEnv } from './job-environment';
import { ensureTrackedRun, JobLifecycle, type JobOutcome } from './lifecycle';
import { LogUploader } from './log-uploader';
import { materializeInputs, prepareOutputs, uploadOutputs } from './materialize';
import { type ProcessOutcome, runProcess } from './process-runner';

type Json = Record<string, unknown>;

export interface CommandRunOptions {
  /** Tags of the MLflow run beyond the standard ones (children: parent run id, node id or trial). */
  runTags?: Record<string, string>;
  /** Overrides `limits.timeout` (sweep trials: the sweep's trial timeout). */
  timeoutInMs?: number;
}

function failure(code: string, message: string): JobOutcome {
  return { status: 'Failed', error: { code, message } };
}

function outcomeOf(result: ProcessOutcome): JobOutcome {
  switch (result.kind) {
    case 'exited':
      return result.exitCode === 0
        ? { status: 'Completed' }
        : failure(
            'UserError',
            `Execution failed. User process 'bash' exited with status code ${result.exitCode}. Please check log file '${STD_LOG}' for error details.`,
          );
    case 'signaled':
      return failure(
        'UserError',
        `Execution failed. User process 'bash' was killed by signal ${result.signal}. Please check log file '${STD_LOG}' for error details.`,
      );
    case 'timed-out':
      return {
        status: 'Canceled',
        error: {
          code: 'JobTimeout',
          message: `The job exceeded its maximum run duration (limits.timeout) of ${Math.round(result.timeoutInMs / 1000)} s and was canceled.`,
        },
      };
    case 'canceled':
      return { status: 'Canceled' };
    case 'spawn-failed':
      return failure('ExecutionFailed', `The job process could not be started: ${result.message}`);
  }
}

/** Runs a command job recorded in the store. Never throws: problems become a Failed outcome. */
export async function runCommandJob(
  exec: ExecutionContext,
  jobName: string,
  abortSignal: AbortSignal,
  options: CommandRunOptions = {},
): Promise<JobOutcome> {
  const lifecycle = new JobLifecycle(exec, jobName, abortSignal);
  const record = getJob(exec.ctx, jobName);
  if (!record) return failure('ExecutionFailed', `Job '${jobName}' disappeared before it ran.`);
  const outcome = await execute(exec, record, lifecycle, abortSignal, options).catch(
    (error: unknown): JobOutcome =>
      abortSignal.aborted
        ? { status: 'Canceled' }
        : failure('ExecutionFailed', `The job could not run: ${(error as Error).message}`),
  );
  lifecycle.finish(outcome);
  return outcome;
}

async function execute(
  exec: ExecutionContext,
  record: JobRecord,
  lifecycle: JobLifecycle,
  abortSignal: AbortSignal,
  options: CommandRunOptions,
): Promise<JobOutcome> {
  const properties = record.properties as Json;
  const experimentId = ensureTrackedRun(exec, record, options.runTags);
  if (!lifecycle.advance('Preparing')) return { status: 'Canceled' };

  const jobDir = path.join(exec.jobsDir, record.name);
  rmSync(jobDir, { recursive: true, force: true });
  const codeDir = path.join(jobDir, 'code');
  mkdirSync(codeDir, { recursive: true });
  const logFile = path.join(jobDir, ...STD_LOG.split('/'));
  mkdirSync(path.dirname(logFile), { recursive: true });

  const codeId = properties.codeId;
  if (typeof codeId === 'string' && codeId !== '') {
    await downloadCode(exec, codeId.replace(/^azureml:(?=\/)/i, ''), codeDir, abortSignal);
  }
  const inputs = await materializeInputs(
    exec,
    (properties.inputs as Json | undefined) ?? {},
    path.join(jobDir, 'inputs'),
    abortSignal,
  );
  const outputs = prepareOutputs(
    (properties.outputs as Json | undefined) ?? {},
    path.join(jobDir, 'outputs'),
  );
  const outputPaths = Object.fromEntries(outputs.map((output) => [output.name, output.localPath]));
  let command: string;
  try {
    command = substituteCommand(String(properties.command ?? ''), { inputs, outputs: outputPaths });
  } catch (error) {
    return failure('UserError', (error as Error).message);
  }

  if (!lifecycle.advance('Queued') || !lifecycle.advance('Running')) return { status: 'Canceled' };
  lifecycle.markRunning();
  const uploader = new LogUploader({
    blobs: exec.blobs,
    file: logFile,
    target: runLogLocation(exec.ctx, record.name),
    log: exec.log,
  });
  uploader.start();
  const timeoutInMs =
    options.timeoutInMs ?? durationInMs((properties.limits as Json | null | undefined)?.timeout);
  const result = await runProcess({
    command,
    cwd: codeDir,
    env: jobProcessEnv(exec.ctx, {
      jobName: record.name,
      experimentName: String(properties.experimentName ?? 'Default'),
      experimentId,
      inputs,
      outputs: outputPaths,
      environmentVariables: (properties.environmentVariables as Record<string, string> | undefined) ?? {},
      token: exec.issueToken(),
      caCertPath: exec.caCertPath,
      binDir: exec.binDir,
      pythonDir: exec.pythonDir,
      inherited: process.env,
    }),
    logFile,
    timeoutInMs,
    abortSignal,
    killGraceInMs: exec.killGraceInMs,
    onStart: (pid) => exec.onProcessStart?.(record.name, pid),
  });
  const outcome = outcomeOf(result);
  if (outcome.status !== 'Canceled') lifecycle.advance('Finalizing');
  await uploader.finish();
  if (outcome.status === 'Canceled') return outcome;
  try {
    await uploadOutputs(exec, outputs);
    await uploadRunArtifacts(exec, record.name, codeDir);
  } catch (error) {
    if (outcome.status === 'Completed') {
      return failure('OutputUploadFailed', `Uploading the job's outputs failed: ${(error as Error).message}`);
    }
  }
  return outcome;
}

/**
 * What the job wrote to `./outputs` in its working directory becomes the run's artifacts, as on
 * Azure ML: `ExperimentRun/dcid.<job>/outputs/<path>` in the artifact store.
 */
async function uploadRunArtifacts(exec: ExecutionContext, jobName: string, codeDir: string): Promise<void> {
  const folder = path.join(codeDir, 'outputs');
  if (!existsSync(folder)) return;
  await exec.blobs.uploadFolder(folder, {
    container: artifactContainer(exec.ctx),
    path: `${runArtifactPrefix(jobName)}outputs`,
  });
}
