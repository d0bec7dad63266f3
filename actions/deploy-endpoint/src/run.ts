// The step: connect, check every reference, then deploy / promote / reject (online) or create the
// batch endpoint and deployment; outputs and the job summary in every case, failure included.
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  AssetVersions,
  CodeAssets,
  connectWorkspace,
  DatastoreBlobs,
  type InvokeTarget,
  type OnlineEndpoint,
  OnlineEndpoints,
  scoringAuthOf,
  scoringCredential,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import { deployBatch } from './batch';
import type { DeployInputs } from './inputs';
import { workspaceLocation } from './location';
import { checkDeployment, materializeDeployment, type ResolveDeps } from './resolve';
import {
  type DesiredDeployment,
  deploy,
  fingerprintOfDeployment,
  promote,
  type RolloutDeps,
  RolloutFailedError,
  type RolloutResult,
  reject,
} from './rollout';
import { buildSummary } from './summary';
import { Timeline } from './timeline';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunDeps {
  logger: Logger;
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  connect?: (options: WorkspaceSessionOptions) => Promise<WorkspaceSession>;
  abortSignal?: AbortSignal;
  now?: () => number;
}

export async function run(inputs: DeployInputs, deps: RunDeps): Promise<RolloutResult | undefined> {
  const now = deps.now ?? Date.now;
  const deadline = now() + inputs.timeoutInMs;
  const timeout = AbortSignal.timeout(inputs.timeoutInMs);
  const abortSignal = deps.abortSignal ? AbortSignal.any([deps.abortSignal, timeout]) : timeout;
  const session = await (deps.connect ?? connectWorkspace)({
    inputs: inputs.connection,
    env: deps.env,
    cwd: deps.cwd,
    onSecret: deps.mask,
    abortSignal,
    // Each call passes abortSignal itself; the rollback after a cancel or timeout uses its own.
    abortClients: false,
  });
  deps.logger.info(
    `Workspace ${session.workspace.workspace}, signed in with ${session.credential.description}.`,
  );
  const rest = session.clients.rest;
  const blobs = new DatastoreBlobs(session.datastores, { workspace: session.workspace });
  const resolveDeps: ResolveDeps = {
    rest,
    workspace: session.workspace,
    assets: new AssetVersions(rest, session.workspace),
    codeAssets: new CodeAssets(rest, session.workspace, blobs),
    abortSignal,
  };
  if (inputs.endpointType === 'batch') {
    await deployBatch(inputs, {
      ...resolveDeps,
      logger: deps.logger,
      setOutput: deps.setOutput,
      writeSummary: deps.writeSummary,
      cwd: deps.cwd,
    });
    return undefined;
  }

  const endpoints = new OnlineEndpoints(rest, session.workspace, deps.mask);
  const timeline = new Timeline((line) => deps.logger.info(line), now);
  const credentials = new Map<string, string>();
  const rolloutDeps: RolloutDeps = {
    endpoints,
    logger: deps.logger,
    timeline,
    location: await workspaceLocation(rest, session.workspace, abortSignal),
    target: async (endpoint, deployment) =>
      invokeTarget(endpoint, deployment, endpoints, session, credentials, deps.mask, abortSignal),
    abortSignal,
    remainingInMs: () => deadline - now(),
    sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
  };

  let result: RolloutResult;
  try {
    if (inputs.action === 'deploy') {
      const checked = await checkDeployment(inputs.deployment, resolveDeps);
      deps.logger.info(
        `Model ${checked.model.name}:${checked.model.version} (${checked.model.modelType ?? 'custom_model'}).`,
      );
      const placed = await materializeDeployment(checked, resolveDeps);
      if (placed.codeId)
        deps.logger.info(`Scoring code: ${placed.codeId} (${placed.uploadedBytes} bytes uploaded).`);
      const spec = inputs.deployment;
      const body: Record<string, unknown> = {
        location: rolloutDeps.location,
        sku: { name: 'Default', capacity: spec.instanceCount ?? 1 },
        ...(spec.tags ? { tags: spec.tags } : {}),
        properties: {
          endpointComputeType: spec.kind,
          model: checked.model.id,
          ...(placed.environmentId ? { environmentId: placed.environmentId } : {}),
          ...(placed.codeId
            ? { codeConfiguration: { codeId: placed.codeId, scoringScript: placed.scoringScript } }
            : {}),
          instanceType: spec.instanceType ?? 'Standard_DS3_v2',
          ...spec.properties,
        },
      };
      const desired: DesiredDeployment = { body, fingerprint: fingerprintOfDeployment(body as never) };
      result = await deploy(inputs, desired, rolloutDeps);
    } else {
      result =
        inputs.action === 'promote' ? await promote(inputs, rolloutDeps) : await reject(inputs, rolloutDeps);
    }
  } catch (error) {
    if (error instanceof RolloutFailedError) {
      await report(inputs, error.result, timeline, endpoints, deps);
      if (error.result.logsTail)
        deps.logger.groupLines(
          `Container logs of ${error.result.deploymentName} (last lines)`,
          error.result.logsTail.split('\n'),
        );
    }
    throw error;
  }
  await report(inputs, result, timeline, endpoints, deps);
  return result;
}

async function report(
  inputs: DeployInputs,
  result: RolloutResult,
  timeline: Timeline,
  endpoints: OnlineEndpoints,
  deps: RunDeps,
): Promise<void> {
  deps.setOutput('endpoint-name', result.endpointName);
  deps.setOutput('deployment-name', result.deploymentName);
  deps.setOutput('scoring-uri', result.scoringUri);
  deps.setOutput('swagger-uri', result.swaggerUri);
  deps.setOutput('previous-traffic', JSON.stringify(result.previousTraffic));
  deps.setOutput('traffic', JSON.stringify(result.traffic));
  deps.setOutput('mirror-traffic', JSON.stringify(result.mirror));
  deps.setOutput('rolled-back', String(result.rolledBack));
  if (inputs.outputKeys) {
    // Masked by OnlineEndpoints the moment they are read.
    const keys = await endpoints.listKeys(result.endpointName);
    deps.setOutput('primary-key', keys.primaryKey);
    deps.setOutput('secondary-key', keys.secondaryKey);
  }
  await deps.writeSummary(buildSummary(inputs, result, timeline.entries));
}

/** The scoring URI and a credential the endpoint's auth mode accepts, fetched once. */
async function invokeTarget(
  endpoint: OnlineEndpoint,
  deployment: string,
  endpoints: OnlineEndpoints,
  session: WorkspaceSession,
  cache: Map<string, string>,
  mask: (secret: string) => void,
  abortSignal: AbortSignal,
): Promise<InvokeTarget> {
  let credential = cache.get(endpoint.name);
  if (credential === undefined) {
    credential = (
      await scoringCredential(scoringAuthOf(endpoint.properties.authMode), {
        endpoints,
        endpointName: endpoint.name,
        tokenCredential: () => session.credential.credential,
        mask,
        abortSignal,
      })
    ).credential;
    cache.set(endpoint.name, credential);
  }
  return {
    scoringUri: String(endpoint.properties.scoringUri ?? ''),
    credential,
    deployment,
    ...(session.caCertificates ? { ca: session.caCertificates } : {}),
  };
}
