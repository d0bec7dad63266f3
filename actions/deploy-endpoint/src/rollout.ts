// The rollout: make sure the endpoint exists as specified, bring the deployment up (or find it
// already up to date), then move traffic by the strategy with a health gate before each change;
// promote and reject for approval workflows. Any failure after the first change puts the traffic
// map back exactly as it was, deals with the failed deployment as on-failure says, and shows the
// tail of its container logs. Traffic never stays on a deployment that failed its gate.
import {
  ConfigurationError,
  type HealthGateResult,
  type InvokeTarget,
  normalizeTraffic,
  type OnlineDeployment,
  type OnlineEndpoint,
  type OnlineEndpoints,
  OperationFailedError,
  OperationTimeoutError,
  runHealthGate,
  sameTraffic,
  shiftTraffic,
  type TrafficMap,
  writableEndpoint,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import type { DeployInputs } from './inputs';
import type { Timeline } from './timeline';

export interface RolloutDeps {
  endpoints: OnlineEndpoints;
  logger: Logger;
  timeline: Timeline;
  /** The workspace's region, for a new endpoint. */
  location: string;
  /** How to call the endpoint (its scoring URI and a key or token) for `deployment`. */
  target: (endpoint: OnlineEndpoint, deployment: string) => Promise<InvokeTarget>;
  abortSignal: AbortSignal;
  /** ms left before the step's timeout. */
  remainingInMs: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface DesiredDeployment {
  body: Record<string, unknown>;
  /** Compared with an existing deployment to decide whether a PUT is needed. */
  fingerprint: Record<string, unknown>;
}

export interface RolloutResult {
  endpointName: string;
  deploymentName: string;
  scoringUri: string;
  swaggerUri: string;
  previousTraffic: TrafficMap;
  previousMirror: TrafficMap;
  traffic: TrafficMap;
  mirror: TrafficMap;
  rolledBack: boolean;
  /** Nothing was written: endpoint, deployment and traffic were already as asked. */
  unchanged: boolean;
  health: HealthGateResult[];
  deleted: string[];
  failure?: string;
  logsTail?: string;
}

export class RolloutFailedError extends Error {
  override readonly name = 'RolloutFailedError';
  constructor(
    message: string,
    readonly result: RolloutResult,
  ) {
    super(message);
  }
}

/** The result before anything changes: traffic after = traffic before. */
function startResult(endpointName: string, endpoint: OnlineEndpoint, deploymentName: string): RolloutResult {
  const traffic = normalizeTraffic(endpoint.properties.traffic);
  const mirror = normalizeTraffic(endpoint.properties.mirrorTraffic);
  return {
    endpointName,
    deploymentName,
    scoringUri: String(endpoint.properties.scoringUri ?? ''),
    swaggerUri: String(endpoint.properties.swaggerUri ?? ''),
    previousTraffic: traffic,
    previousMirror: mirror,
    traffic,
    mirror,
    rolledBack: false,
    unchanged: false,
    health: [],
    deleted: [],
  };
}

/** Why a gate or provisioning stopped the rollout (before rollback). */
class StopRollout extends Error {}

export async function ensureEndpoint(
  inputs: DeployInputs,
  deps: RolloutDeps,
): Promise<{ endpoint: OnlineEndpoint; changed: boolean }> {
  const { endpoints, timeline } = deps;
  const name = inputs.endpointName;
  const existing = await endpoints.get(name, { abortSignal: deps.abortSignal });
  const spec = inputs.endpoint;
  const wanted = {
    authMode: spec.authMode ?? existing?.properties.authMode ?? 'Key',
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.publicNetworkAccess !== undefined ? { publicNetworkAccess: spec.publicNetworkAccess } : {}),
  };
  if (existing) {
    const current = existing.properties;
    const differs =
      Object.entries(wanted).some(([key, value]) => current[key] !== value) ||
      (spec.tags !== undefined && JSON.stringify(spec.tags) !== JSON.stringify(existing.tags ?? {}));
    if (!differs) return { endpoint: existing, changed: false };
    const body = writableEndpoint(existing);
    body.properties = { ...(body.properties as Record<string, unknown>), ...wanted };
    if (spec.tags) body.tags = spec.tags;
    if (spec.identity) body.identity = spec.identity;
    timeline.add(`Updating endpoint ${name} (${Object.keys(wanted).join(', ')})`);
    const endpoint = await endpoints.put(name, body, writeOptions(deps, `endpoint ${name}`));
    return { endpoint, changed: true };
  }
  timeline.add(`Creating endpoint ${name} (auth ${wanted.authMode})`);
  const endpoint = await endpoints.put(
    name,
    {
      location: deps.location,
      identity: spec.identity ?? { type: 'SystemAssigned' },
      ...(spec.tags ? { tags: spec.tags } : {}),
      properties: { ...wanted, traffic: {} },
    },
    writeOptions(deps, `endpoint ${name}`),
  );
  return { endpoint, changed: true };
}

/** The deployment name when none is given: blue/green alternating, else the one already holding this spec. */
export function chooseDeploymentName(
  given: string | undefined,
  deployments: readonly OnlineDeployment[],
  traffic: TrafficMap,
  desired: DesiredDeployment,
): string {
  if (given) return given;
  const same = deployments.find(
    (d) => sameSpec(d, desired) && d.properties.provisioningState === 'Succeeded',
  );
  if (same) return same.name;
  const names = deployments.map((d) => d.name);
  if (!names.includes('blue')) return 'blue';
  if (!names.includes('green')) return 'green';
  // Both exist: replace the one that serves less.
  return (traffic.blue ?? 0) <= (traffic.green ?? 0) ? 'blue' : 'green';
}

export function sameSpec(deployment: OnlineDeployment, desired: DesiredDeployment): boolean {
  const actual = fingerprintOfDeployment(deployment);
  return Object.entries(desired.fingerprint).every(([key, wanted]) => {
    const have = actual[key];
    // The service fills in defaults for the settings left out (timeouts, probes): only the ones
    // asked for are compared.
    if (SERVICE_DEFAULTED.has(key) && isObject(wanted) && isObject(have)) {
      return Object.entries(wanted).every(
        ([field, value]) => JSON.stringify(sortKeys(have[field])) === JSON.stringify(sortKeys(value)),
      );
    }
    return JSON.stringify(sortKeys(have)) === JSON.stringify(sortKeys(wanted));
  });
}

const SERVICE_DEFAULTED = new Set(['requestSettings', 'livenessProbe', 'readinessProbe', 'scaleSettings']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fingerprintOfDeployment(deployment: {
  sku?: { capacity?: number };
  properties: Record<string, unknown>;
}): Record<string, unknown> {
  const p = deployment.properties;
  const code = p.codeConfiguration as { codeId?: string; scoringScript?: string } | undefined;
  return {
    model: String(p.model ?? '').toLowerCase(),
    environmentId: String(p.environmentId ?? '').toLowerCase(),
    codeId: String(code?.codeId ?? '').toLowerCase(),
    scoringScript: code?.scoringScript ?? '',
    instanceType: p.instanceType ?? '',
    instanceCount: deployment.sku?.capacity ?? 1,
    environmentVariables: p.environmentVariables ?? {},
    requestSettings: p.requestSettings ?? {},
    livenessProbe: p.livenessProbe ?? {},
    readinessProbe: p.readinessProbe ?? {},
    scaleSettings: p.scaleSettings ?? {},
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export async function deploy(
  inputs: DeployInputs,
  desired: DesiredDeployment,
  deps: RolloutDeps,
): Promise<RolloutResult> {
  const { endpoints, timeline, logger } = deps;
  const ensured = await ensureEndpoint(inputs, deps);
  const endpointName = inputs.endpointName;
  let endpoint = ensured.endpoint;
  const deployments = await endpoints.listDeployments(endpointName, { abortSignal: deps.abortSignal });
  const previousTraffic = normalizeTraffic(endpoint.properties.traffic);
  const previousMirror = normalizeTraffic(endpoint.properties.mirrorTraffic);
  const name = chooseDeploymentName(inputs.deploymentName, deployments, previousTraffic, desired);
  const existing = deployments.find((d) => d.name === name);
  const existedBefore = existing !== undefined;
  const result = startResult(endpointName, endpoint, name);
  logger.info(`Endpoint ${endpointName}: traffic before ${describe(previousTraffic, previousMirror)}.`);
  let deploymentChanged = false;
  try {
    if (existing && sameSpec(existing, desired) && existing.properties.provisioningState === 'Succeeded') {
      timeline.add(`Deployment ${name} is already up to date`);
    } else {
      if (existing && (previousTraffic[name] ?? 0) > 0) {
        logger.warning(
          `Deployment ${name} takes ${previousTraffic[name]}% of live traffic and is updated in place; a rollback restores traffic, not its previous version.`,
        );
      }
      timeline.add(
        `${existing ? 'Updating' : 'Creating'} deployment ${name} (${String(desired.fingerprint.instanceType)} × ${String(desired.fingerprint.instanceCount)})`,
      );
      deploymentChanged = true;
      try {
        await endpoints.putDeployment(
          endpointName,
          name,
          desired.body,
          writeOptions(deps, `deployment ${name}`),
        );
      } catch (error) {
        throw provisioningFailure(error, name);
      }
      timeline.add(`Deployment ${name} is provisioned`);
    }
    endpoint = (await endpoints.get(endpointName, { abortSignal: deps.abortSignal })) ?? endpoint;
    const plan = trafficPlan(inputs, name, previousTraffic, previousMirror);
    const alreadyThere =
      plan.length > 0 &&
      sameTraffic(plan.at(-1)?.traffic, previousTraffic) &&
      sameTraffic(plan.at(-1)?.mirror, previousMirror);
    if (alreadyThere && !deploymentChanged && !ensured.changed) {
      timeline.add('Traffic is already as the strategy ends: nothing to change');
      result.unchanged = true;
      return result;
    }
    for (const [index, step] of plan.entries()) {
      if (step.gate && inputs.healthRequest) await healthGate(inputs, endpoint, name, result, deps);
      if (step.waitInMs > 0 && index > 0) {
        timeline.add(`Waiting ${Math.round(step.waitInMs / 1000)} s before the next step`);
        await deps.sleep(step.waitInMs, deps.abortSignal);
        if (inputs.healthRequest) await healthGate(inputs, endpoint, name, result, deps);
      }
      if (sameTraffic(step.traffic, result.traffic) && sameTraffic(step.mirror, result.mirror)) continue;
      timeline.add(`Traffic → ${describe(step.traffic, step.mirror)}`);
      endpoint = await endpoints.setTraffic(
        endpointName,
        step.traffic,
        step.mirror,
        writeOptions(deps, `traffic of ${endpointName}`),
      );
      result.traffic = normalizeTraffic(endpoint.properties.traffic);
      result.mirror = normalizeTraffic(endpoint.properties.mirrorTraffic);
    }
    if (!inputs.keepPrevious) {
      for (const old of Object.keys(previousTraffic)) {
        if (old === name || (result.traffic[old] ?? 0) > 0 || (result.mirror[old] ?? 0) > 0) continue;
        timeline.add(`Deleting previous deployment ${old}`);
        await endpoints.deleteDeployment(endpointName, old, writeOptions(deps, `deployment ${old}`));
        result.deleted.push(old);
      }
    }
    return result;
  } catch (error) {
    if (!(error instanceof StopRollout) && !(error instanceof OperationTimeoutError) && !isAbort(error)) {
      // Unexpected (e.g. ARM refused the traffic change): still restore what was serving.
      result.failure = (error as Error).message;
    } else {
      result.failure = isAbort(error) ? describeAbort(deps.abortSignal) : (error as Error).message;
    }
    await recover(inputs, result, existedBefore, deps);
    throw new RolloutFailedError(result.failure ?? 'the rollout failed', result);
  }
}

interface TrafficStep {
  traffic: TrafficMap;
  mirror: TrafficMap;
  /** Run the health gate before this step. */
  gate: boolean;
  waitInMs: number;
}

/** The traffic maps the strategy goes through, starting from the one before. Pure. */
export function trafficPlan(
  inputs: Pick<DeployInputs, 'strategy' | 'canarySteps' | 'mirrorPercent' | 'stepWaitInMs'>,
  name: string,
  before: TrafficMap,
  mirror: TrafficMap,
): TrafficStep[] {
  const withoutMirrorOnNew = Object.fromEntries(Object.entries(mirror).filter(([key]) => key !== name));
  switch (inputs.strategy) {
    case 'direct':
      return [{ traffic: { [name]: 100 }, mirror: withoutMirrorOnNew, gate: false, waitInMs: 0 }];
    case 'blue-green':
      return [{ traffic: { [name]: 100 }, mirror: withoutMirrorOnNew, gate: true, waitInMs: 0 }];
    case 'canary': {
      if (Object.keys(normalizeTraffic(before)).filter((key) => key !== name).length === 0) {
        // Nothing else serves: there is nobody to share with, the first step is all traffic.
        return [{ traffic: { [name]: 100 }, mirror: withoutMirrorOnNew, gate: true, waitInMs: 0 }];
      }
      return inputs.canarySteps.map((percent) => ({
        traffic: shiftTraffic(before, name, percent),
        mirror: withoutMirrorOnNew,
        gate: true,
        waitInMs: inputs.stepWaitInMs,
      }));
    }
    case 'mirror': {
      if (Object.keys(normalizeTraffic(before)).filter((key) => key !== name).length === 0) {
        return [{ traffic: { [name]: 100 }, mirror: {}, gate: true, waitInMs: 0 }];
      }
      return [{ traffic: before, mirror: { [name]: inputs.mirrorPercent }, gate: true, waitInMs: 0 }];
    }
  }
}

async function healthGate(
  inputs: DeployInputs,
  endpoint: OnlineEndpoint,
  name: string,
  result: RolloutResult,
  deps: RolloutDeps,
): Promise<void> {
  const request = inputs.healthRequest;
  if (!request) return;
  const target = await deps.target(endpoint, name);
  const gate = await runHealthGate(
    target,
    { body: request.body, timeoutInMs: Math.min(60_000, Math.max(1_000, deps.remainingInMs())) },
    { requests: inputs.healthRequests, maxP95InMs: inputs.healthMaxP95InMs, abortSignal: deps.abortSignal },
  );
  result.health.push(gate);
  const summary = `${gate.requests - gate.failures}/${gate.requests} ok, p50 ${Math.round(gate.p50InMs)} ms, p95 ${Math.round(gate.p95InMs)} ms`;
  if (!gate.passed) {
    deps.timeline.add(`Health gate on ${name} failed: ${gate.reason}`);
    throw new StopRollout(`the health gate of deployment ${name} failed: ${gate.reason}`);
  }
  deps.timeline.add(`Health gate on ${name} passed (${summary})`);
}

/** Puts traffic back, handles the failed deployment as on-failure says, and keeps its log tail. */
async function recover(
  inputs: DeployInputs,
  result: RolloutResult,
  existedBefore: boolean,
  deps: RolloutDeps,
): Promise<void> {
  const { endpoints, timeline, logger } = deps;
  // Recovery must run even when the step was cancelled or timed out: it gets its own budget.
  const recovery = AbortSignal.timeout(10 * 60_000);
  const options = {
    abortSignal: recovery,
    pollIntervalInMs: 2_000,
    onPoll: (status: string) => logger.info(`  rollback: ${status}…`),
  };
  try {
    result.logsTail = await endpoints.deploymentLogs(inputs.endpointName, result.deploymentName, {
      tail: 50,
      abortSignal: recovery,
    });
  } catch {
    // The deployment may not exist at all (it failed before creation): no logs to show.
  }
  if (inputs.onFailure === 'leave') {
    timeline.add('on-failure is leave: traffic and the deployment are left as they are');
    return;
  }
  const current = await endpoints.get(inputs.endpointName, { abortSignal: recovery });
  const traffic = normalizeTraffic(current?.properties.traffic);
  const mirror = normalizeTraffic(current?.properties.mirrorTraffic);
  if (!sameTraffic(traffic, result.previousTraffic) || !sameTraffic(mirror, result.previousMirror)) {
    timeline.add(`Rolling back: traffic → ${describe(result.previousTraffic, result.previousMirror)}`);
    const restored = await endpoints.setTraffic(
      inputs.endpointName,
      result.previousTraffic,
      result.previousMirror,
      options,
    );
    result.traffic = normalizeTraffic(restored.properties.traffic);
    result.mirror = normalizeTraffic(restored.properties.mirrorTraffic);
  } else {
    result.traffic = traffic;
    result.mirror = mirror;
  }
  result.rolledBack = true;
  const serving = (result.previousTraffic[result.deploymentName] ?? 0) > 0;
  if (inputs.onFailure === 'rollback-and-delete' && !existedBefore && !serving) {
    timeline.add(`Deleting failed deployment ${result.deploymentName}`);
    try {
      await endpoints.deleteDeployment(inputs.endpointName, result.deploymentName, options);
      result.deleted.push(result.deploymentName);
    } catch (error) {
      logger.warning(`Deleting deployment ${result.deploymentName} failed: ${(error as Error).message}`);
    }
  }
}

function provisioningFailure(error: unknown, name: string): unknown {
  if (error instanceof OperationFailedError)
    return new StopRollout(
      `deployment ${name} failed to provision: ${error.serviceMessage ?? error.message}`,
    );
  if (error instanceof OperationTimeoutError)
    return new StopRollout(
      `deployment ${name} was still ${error.lastStatus} when the step's timeout ran out`,
    );
  return error;
}

function writeOptions(deps: RolloutDeps, what: string) {
  return {
    abortSignal: deps.abortSignal,
    timeoutInMs: Math.max(1_000, deps.remainingInMs()),
    pollIntervalInMs: 2_000,
    onPoll: (status: string) => deps.logger.info(`  ${what}: ${status}…`),
  };
}

export function describe(traffic: TrafficMap, mirror: TrafficMap): string {
  const live = Object.entries(normalizeTraffic(traffic))
    .map(([name, percent]) => `${name} ${percent}%`)
    .join(', ');
  const shadow = Object.entries(normalizeTraffic(mirror))
    .map(([name, percent]) => `${name} ${percent}%`)
    .join(', ');
  return `${live || 'no live traffic'}${shadow ? `; mirror ${shadow}` : ''}`;
}

function isAbort(error: unknown): boolean {
  return (
    (error as { name?: string }).name === 'AbortError' || (error as { name?: string }).name === 'TimeoutError'
  );
}

function describeAbort(signal: AbortSignal): string {
  const reason = signal.reason as { name?: string; message?: string } | undefined;
  return reason?.name === 'TimeoutError' ? "the step's timeout ran out" : 'the step was cancelled';
}

/** promote: all live traffic to the deployment, mirroring stopped; the others deleted unless keep-previous. */
export async function promote(inputs: DeployInputs, deps: RolloutDeps): Promise<RolloutResult> {
  return moveTo(inputs, deps, 'promote');
}

/** reject: the deployment loses its traffic and mirror to the others (in proportion), then is deleted unless delete-rejected is false. */
export async function reject(inputs: DeployInputs, deps: RolloutDeps): Promise<RolloutResult> {
  return moveTo(inputs, deps, 'reject');
}

async function moveTo(
  inputs: DeployInputs,
  deps: RolloutDeps,
  action: 'promote' | 'reject',
): Promise<RolloutResult> {
  const { endpoints, timeline } = deps;
  const endpointName = inputs.endpointName;
  const name = inputs.deploymentName as string;
  const endpoint = await endpoints.get(endpointName, { abortSignal: deps.abortSignal });
  if (!endpoint) {
    throw configurationError(
      'endpoint',
      `endpoint '${endpointName}' does not exist`,
      'Deploy first (action: deploy), then promote or reject.',
    );
  }
  const deployments = await endpoints.listDeployments(endpointName, { abortSignal: deps.abortSignal });
  const deployment = deployments.find((d) => d.name === name);
  if (!deployment) {
    throw configurationError(
      'deployment',
      `endpoint '${endpointName}' has no deployment '${name}'`,
      `Its deployments: ${deployments.map((d) => d.name).join(', ') || 'none'}.`,
    );
  }
  const result = startResult(endpointName, endpoint, name);
  const { previousTraffic, previousMirror } = result;
  let traffic: TrafficMap;
  const mirror = Object.fromEntries(Object.entries(previousMirror).filter(([key]) => key !== name));
  if (action === 'promote') {
    if (deployment.properties.provisioningState !== 'Succeeded') {
      throw configurationError(
        'deployment',
        `deployment '${name}' is ${deployment.properties.provisioningState}, not Succeeded`,
        'Promote a deployment that provisioned and passed its checks.',
      );
    }
    traffic = { [name]: 100 };
    const mirrorAfter = {};
    try {
      if (inputs.healthRequest) await healthGate(inputs, endpoint, name, result, deps);
      if (!sameTraffic(traffic, previousTraffic) || !sameTraffic(mirrorAfter, previousMirror)) {
        timeline.add(`Promoting ${name}: traffic → ${describe(traffic, mirrorAfter)}`);
        const updated = await endpoints.setTraffic(
          endpointName,
          traffic,
          mirrorAfter,
          writeOptions(deps, `traffic of ${endpointName}`),
        );
        result.traffic = normalizeTraffic(updated.properties.traffic);
        result.mirror = normalizeTraffic(updated.properties.mirrorTraffic);
      } else {
        timeline.add(`${name} already takes all traffic`);
        result.unchanged = true;
      }
    } catch (error) {
      result.failure = (error as Error).message;
      // A promotion that failed its gate changes nothing: the traffic before stays.
      if (!sameTraffic(result.traffic, previousTraffic))
        await endpoints.setTraffic(
          endpointName,
          previousTraffic,
          previousMirror,
          writeOptions(deps, 'rollback'),
        );
      result.traffic = previousTraffic;
      result.mirror = previousMirror;
      result.rolledBack = true;
      throw new RolloutFailedError(result.failure, result);
    }
    if (!inputs.keepPrevious) {
      for (const other of deployments) {
        if (other.name === name) continue;
        timeline.add(`Deleting previous deployment ${other.name}`);
        await endpoints.deleteDeployment(
          endpointName,
          other.name,
          writeOptions(deps, `deployment ${other.name}`),
        );
        result.deleted.push(other.name);
      }
    }
    return result;
  }
  traffic = shiftTraffic(previousTraffic, name, 0);
  const othersServing = Object.entries(previousTraffic).some(
    ([other, percent]) => other !== name && percent > 0,
  );
  if ((previousTraffic[name] ?? 0) > 0 && !othersServing) {
    throw configurationError(
      'deployment',
      `deployment '${name}' is the only one serving ${endpointName}: rejecting it would leave the endpoint serving nothing`,
      'Deploy another deployment first, or delete the endpoint.',
    );
  }
  if (sameTraffic(traffic, previousTraffic) && sameTraffic(mirror, previousMirror)) {
    timeline.add(`${name} takes no traffic`);
    result.unchanged = !inputs.deleteRejected;
  } else {
    timeline.add(`Rejecting ${name}: traffic → ${describe(traffic, mirror)}`);
    const updated = await endpoints.setTraffic(
      endpointName,
      traffic,
      mirror,
      writeOptions(deps, `traffic of ${endpointName}`),
    );
    result.traffic = normalizeTraffic(updated.properties.traffic);
    result.mirror = normalizeTraffic(updated.properties.mirrorTraffic);
  }
  if (inputs.deleteRejected) {
    timeline.add(`Deleting rejected deployment ${name}`);
    await endpoints.deleteDeployment(endpointName, name, writeOptions(deps, `deployment ${name}`));
    result.deleted.push(name);
  }
  return result;
}

function configurationError(input: string, problem: string, fix: string): ConfigurationError {
  return new ConfigurationError(problem, { input, fix });
}
