// The environment of a job process (contracts §2), as a pure function of the job and the emulator.

import { workspaceId } from '../arm/workspace-identity';
import type { ArmContext } from '../arm-context';

export interface JobProcessContext {
  jobName: string;
  experimentName: string;
  experimentId: string;
  /** Input name → local path or literal value. */
  inputs: Record<string, string>;
  /** Output name → local path. */
  outputs: Record<string, string>;
  /** The job's own `environmentVariables` (they win over inherited ones, not over the service's). */
  environmentVariables: Record<string, string>;
  token: string;
  caCertPath: string;
  /** Folder with the `python` → python3 wrapper. */
  binDir: string;
  /** Folder holding the `mlflow` shim package. */
  pythonDir: string;
  /** The emulator's own environment, which job processes inherit (PATH, HOME, …). */
  inherited: Record<string, string | undefined>;
}

/** The workspace's MLflow tracking URI as clients use it: https, no `/api/...`. */
export function trackingUri(
  ctx: Pick<ArmContext, 'baseUrl' | 'subscriptionId' | 'resourceGroup' | 'workspace'>,
): string {
  return `${ctx.baseUrl}/mlflow/v1.0${workspaceId(ctx)}`;
}

/** Inherited variables a job must not see: another job's or tool's tracking settings. */
const NOT_INHERITED = /^(MLFLOW_|AZUREML_|AZURE_ML_)/;

export function jobProcessEnv(
  ctx: Pick<ArmContext, 'baseUrl' | 'subscriptionId' | 'resourceGroup' | 'workspace'>,
  job: JobProcessContext,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(job.inherited)) {
    if (value !== undefined && !NOT_INHERITED.test(key)) env[key] = value;
  }
  Object.assign(env, job.environmentVariables);
  const pythonPath = [job.pythonDir, env.PYTHONPATH].filter(Boolean).join(':');
  Object.assign(env, {
    PATH: [job.binDir, env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(':'),
    PYTHONPATH: pythonPath,
    PYTHONUNBUFFERED: env.PYTHONUNBUFFERED ?? '1',
    MLFLOW_TRACKING_URI: trackingUri(ctx),
    MLFLOW_TRACKING_TOKEN: job.token,
    MLFLOW_RUN_ID: job.jobName,
    MLFLOW_EXPERIMENT_NAME: job.experimentName,
    MLFLOW_EXPERIMENT_ID: job.experimentId,
    AZUREML_RUN_ID: job.jobName,
    AZUREML_ARM_SUBSCRIPTION: ctx.subscriptionId,
    AZUREML_ARM_RESOURCEGROUP: ctx.resourceGroup,
    AZUREML_ARM_WORKSPACE_NAME: ctx.workspace,
    AZUREML_ARM_PROJECT_NAME: job.experimentName,
    SSL_CERT_FILE: job.caCertPath,
    REQUESTS_CA_BUNDLE: job.caCertPath,
  });
  for (const [name, value] of Object.entries(job.outputs)) env[`AZUREML_OUTPUT_${name}`] = value;
  for (const [name, value] of Object.entries(job.inputs)) env[`AZURE_ML_INPUT_${name}`] = value;
  return env;
}
