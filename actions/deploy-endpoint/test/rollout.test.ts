import type { OnlineDeployment } from '@aml-actions/core';
import { describe, expect, it } from 'vitest';
import type { Strategy } from '../src/inputs';
import {
  chooseDeploymentName,
  type DesiredDeployment,
  describe as describeTraffic,
  fingerprintOfDeployment,
  sameSpec,
  trafficPlan,
} from '../src/rollout';

const plan = (strategy: Strategy, canarySteps: number[] = [], stepWaitInMs = 0, mirrorPercent = 10) => ({
  strategy,
  canarySteps,
  stepWaitInMs,
  mirrorPercent,
});

describe('trafficPlan', () => {
  it('direct: all traffic to the new deployment in one step, without a gate', () => {
    expect(trafficPlan(plan('direct'), 'green', { blue: 100 }, {})).toEqual([
      { traffic: { green: 100 }, mirror: {}, gate: false, waitInMs: 0 },
    ]);
  });

  it('blue-green: all traffic to the new deployment in one gated step', () => {
    expect(trafficPlan(plan('blue-green'), 'green', { blue: 100 }, {})).toEqual([
      { traffic: { green: 100 }, mirror: {}, gate: true, waitInMs: 0 },
    ]);
  });

  it.each<Strategy>(['canary', 'mirror', 'blue-green'])(
    '%s on an endpoint that serves nothing: one gated step to 100%%',
    (strategy) => {
      expect(trafficPlan(plan(strategy, [10, 50, 100], 60_000), 'blue', {}, {})).toEqual([
        { traffic: { blue: 100 }, mirror: {}, gate: true, waitInMs: 0 },
      ]);
    },
  );

  it('canary on an endpoint where only the new deployment serves: one step, no sharing', () => {
    expect(trafficPlan(plan('canary', [10, 50, 100]), 'blue', { blue: 100, green: 0 }, {})).toEqual([
      { traffic: { blue: 100 }, mirror: {}, gate: true, waitInMs: 0 },
    ]);
  });

  it('canary from {blue: 100} goes 10, 50, 100 with a gate and a wait at each step', () => {
    expect(trafficPlan(plan('canary', [10, 50, 100], 30_000), 'green', { blue: 100 }, {})).toEqual([
      { traffic: { blue: 90, green: 10 }, mirror: {}, gate: true, waitInMs: 30_000 },
      { traffic: { blue: 50, green: 50 }, mirror: {}, gate: true, waitInMs: 30_000 },
      { traffic: { green: 100 }, mirror: {}, gate: true, waitInMs: 30_000 },
    ]);
  });

  it('canary from a 3-way map shares the rest in proportion, summing to 100', () => {
    const steps = trafficPlan(plan('canary', [10, 25, 100]), 'yellow', { blue: 60, green: 30, red: 10 }, {});
    expect(steps.map((step) => step.traffic)).toEqual([
      { blue: 54, green: 27, red: 9, yellow: 10 },
      // 45 / 22.5 / 7.5: the tied remainders go by name, green first.
      { blue: 45, green: 23, red: 7, yellow: 25 },
      { yellow: 100 },
    ]);
    for (const step of steps) {
      expect(Object.values(step.traffic).reduce((sum, percent) => sum + percent, 0)).toBe(100);
    }
  });

  it('canary onto a deployment that already serves part of a 3-way map', () => {
    const steps = trafficPlan(plan('canary', [60]), 'green', { blue: 50, green: 30, red: 20 }, {});
    expect(steps.map((step) => step.traffic)).toEqual([{ blue: 29, green: 60, red: 11 }]);
  });

  it('canary with a last step below 100 stops there, the others still serving', () => {
    const steps = trafficPlan(plan('canary', [10, 50]), 'green', { blue: 100 }, {});
    expect(steps.at(-1)?.traffic).toEqual({ blue: 50, green: 50 });
    expect(steps).toHaveLength(2);
  });

  it('mirror keeps the live traffic and mirrors a share to the new deployment', () => {
    expect(trafficPlan(plan('mirror', [], 0, 20), 'green', { blue: 70, red: 30 }, {})).toEqual([
      { traffic: { blue: 70, red: 30 }, mirror: { green: 20 }, gate: true, waitInMs: 0 },
    ]);
  });

  it.each<Strategy>(['direct', 'blue-green', 'canary'])(
    "%s removes the new deployment's old mirror and keeps the others'",
    (strategy) => {
      const steps = trafficPlan(plan(strategy, [50, 100]), 'green', { blue: 100 }, { green: 10 });
      for (const step of steps) expect(step.mirror).toEqual({});
      const others = trafficPlan(plan(strategy, [50, 100]), 'green', { red: 100 }, { blue: 10 });
      for (const step of others) expect(step.mirror).toEqual({ blue: 10 });
    },
  );

  it('mirror replaces the mirror map with the new deployment alone', () => {
    expect(trafficPlan(plan('mirror'), 'green', { blue: 100 }, { green: 30 })[0]?.mirror).toEqual({
      green: 10,
    });
  });
});

const WS =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

/** The body run.ts PUTs for a deployment, and its fingerprint. */
function desired(
  properties: Record<string, unknown> = {},
  capacity = 1,
): DesiredDeployment & { body: { sku: { capacity: number }; properties: Record<string, unknown> } } {
  const body = {
    location: 'westeurope',
    sku: { name: 'Default', capacity },
    properties: {
      endpointComputeType: 'Managed',
      model: `${WS}/models/churn/versions/2`,
      environmentId: `${WS}/environments/sklearn/versions/1`,
      codeConfiguration: { codeId: `${WS}/codes/abc123/versions/1`, scoringScript: 'score.py' },
      instanceType: 'Standard_DS3_v2',
      requestSettings: { requestTimeout: 'PT5S', maxConcurrentRequestsPerInstance: 2 },
      livenessProbe: { initialDelay: 'PT10S', period: 'PT10S' },
      environmentVariables: { LOG_LEVEL: 'info' },
      ...properties,
    },
  };
  return { body, fingerprint: fingerprintOfDeployment(body) };
}

/** A deployment as the service returns it for `desired()`: ids in its own casing, defaults filled in. */
function served(
  name: string,
  properties: Record<string, unknown> = {},
  options: { capacity?: number | undefined; state?: string } = {},
): OnlineDeployment {
  const ws = WS.replace('resourceGroups', 'resourcegroups').replace(
    'MachineLearningServices',
    'machinelearningservices',
  );
  return {
    id: `${ws}/onlineEndpoints/churn/deployments/${name}`,
    name,
    ...(options.capacity === undefined
      ? {}
      : { sku: { name: 'Default', tier: 'Standard', capacity: options.capacity } }),
    properties: {
      endpointComputeType: 'Managed',
      provisioningState: options.state ?? 'Succeeded',
      model: `${ws}/models/churn/versions/2`,
      environmentId: `${ws}/environments/sklearn/versions/1`,
      codeConfiguration: { codeId: `${ws}/codes/ABC123/versions/1`, scoringScript: 'score.py' },
      instanceType: 'Standard_DS3_v2',
      requestSettings: {
        maxConcurrentRequestsPerInstance: 2,
        maxQueueWait: 'PT0.5S',
        requestTimeout: 'PT5S',
      },
      livenessProbe: {
        failureThreshold: 30,
        successThreshold: 1,
        timeout: 'PT2S',
        period: 'PT10S',
        initialDelay: 'PT10S',
      },
      readinessProbe: {
        failureThreshold: 30,
        successThreshold: 1,
        timeout: 'PT2S',
        period: 'PT10S',
        initialDelay: 'PT10S',
      },
      scaleSettings: { scaleType: 'Default' },
      environmentVariables: { LOG_LEVEL: 'info' },
      appInsightsEnabled: false,
      ...properties,
    },
  };
}

describe('sameSpec and fingerprintOfDeployment', () => {
  it('treats a served deployment as the same spec despite id casing and service-filled defaults', () => {
    expect(sameSpec(served('blue', {}, { capacity: 1 }), desired())).toBe(true);
  });

  it('lower-cases model, environment and code ids in the fingerprint', () => {
    const fingerprint = fingerprintOfDeployment(served('blue', {}, { capacity: 1 }));
    expect(fingerprint).toMatchObject({
      model: `${WS}/models/churn/versions/2`.toLowerCase(),
      environmentId: `${WS}/environments/sklearn/versions/1`.toLowerCase(),
      codeId: `${WS}/codes/abc123/versions/1`.toLowerCase(),
      scoringScript: 'score.py',
      instanceType: 'Standard_DS3_v2',
      instanceCount: 1,
    });
  });

  it('fills in blanks for a deployment without code, variables or settings', () => {
    expect(fingerprintOfDeployment({ properties: {} })).toEqual({
      model: '',
      environmentId: '',
      codeId: '',
      scoringScript: '',
      instanceType: '',
      instanceCount: 1,
      environmentVariables: {},
      requestSettings: {},
      livenessProbe: {},
      readinessProbe: {},
      scaleSettings: {},
    });
  });

  it.each([
    ['model version', { model: `${WS}/models/churn/versions/3` }],
    ['environment', { environmentId: `${WS}/environments/sklearn/versions/2` }],
    ['code', { codeConfiguration: { codeId: `${WS}/codes/def456/versions/1`, scoringScript: 'score.py' } }],
    [
      'scoring script',
      { codeConfiguration: { codeId: `${WS}/codes/abc123/versions/1`, scoringScript: 'app.py' } },
    ],
    ['instance type', { instanceType: 'Standard_F4s_v2' }],
    [
      'requested request timeout',
      { requestSettings: { requestTimeout: 'PT10S', maxConcurrentRequestsPerInstance: 2 } },
    ],
    ['requested probe period', { livenessProbe: { initialDelay: 'PT10S', period: 'PT30S' } }],
    ['a readiness probe setting now asked for', { readinessProbe: { failureThreshold: 3 } }],
    ['scale settings now asked for', { scaleSettings: { scaleType: 'TargetUtilization', minInstances: 1 } }],
    ['an extra environment variable', { environmentVariables: { LOG_LEVEL: 'info', DEBUG: '1' } }],
    ['no environment variables', { environmentVariables: {} }],
    ['a changed environment variable', { environmentVariables: { LOG_LEVEL: 'debug' } }],
  ])('sees a changed %s', (_what, change) => {
    expect(sameSpec(served('blue', {}, { capacity: 1 }), desired(change))).toBe(false);
  });

  it('compares environment variables exactly, in both directions', () => {
    const withExtra = served(
      'blue',
      { environmentVariables: { LOG_LEVEL: 'info', EXTRA: 'x' } },
      { capacity: 1 },
    );
    expect(sameSpec(withExtra, desired())).toBe(false);
    const none = served('blue', { environmentVariables: undefined }, { capacity: 1 });
    expect(sameSpec(none, desired({ environmentVariables: undefined }))).toBe(true);
    expect(sameSpec(none, desired())).toBe(false);
  });

  it('compares the instance count through sku.capacity (1 when the sku has none)', () => {
    expect(sameSpec(served('blue', {}, { capacity: 2 }), desired({}, 2))).toBe(true);
    expect(sameSpec(served('blue', {}, { capacity: 2 }), desired())).toBe(false);
    expect(sameSpec(served('blue', {}, { capacity: 1 }), desired({}, 3))).toBe(false);
    expect(sameSpec(served('blue'), desired())).toBe(true);
    expect(fingerprintOfDeployment(served('blue')).instanceCount).toBe(1);
  });

  it('compares the scoring script case-sensitively (a file name), the ids not', () => {
    const upper = served(
      'blue',
      {
        codeConfiguration: {
          codeId: `${WS}/codes/abc123/versions/1`.toUpperCase(),
          scoringScript: 'Score.py',
        },
      },
      { capacity: 1 },
    );
    expect(sameSpec(upper, desired())).toBe(false);
    const idsOnly = served(
      'blue',
      {
        codeConfiguration: {
          codeId: `${WS}/codes/abc123/versions/1`.toUpperCase(),
          scoringScript: 'score.py',
        },
      },
      { capacity: 1 },
    );
    expect(sameSpec(idsOnly, desired())).toBe(true);
  });
});

describe('chooseDeploymentName', () => {
  const wanted = desired();

  it('takes the given name whatever exists', () => {
    expect(
      chooseDeploymentName('canary-1', [served('blue', {}, { capacity: 1 })], { blue: 100 }, wanted),
    ).toBe('canary-1');
  });

  it('reuses a Succeeded deployment that already has the spec', () => {
    const deployments = [
      served('blue', { model: `${WS}/models/churn/versions/1` }, { capacity: 1 }),
      served('green', {}, { capacity: 1 }),
    ];
    expect(chooseDeploymentName(undefined, deployments, { blue: 100 }, wanted)).toBe('green');
  });

  it('does not reuse a deployment with the spec that failed to provision', () => {
    const deployments = [served('blue', {}, { capacity: 1, state: 'Failed' })];
    expect(chooseDeploymentName(undefined, deployments, {}, wanted)).toBe('green');
  });

  it('starts with blue, then green', () => {
    const old = { model: `${WS}/models/churn/versions/1` };
    expect(chooseDeploymentName(undefined, [], {}, wanted)).toBe('blue');
    expect(chooseDeploymentName(undefined, [served('blue', old)], { blue: 100 }, wanted)).toBe('green');
    expect(chooseDeploymentName(undefined, [served('green', old)], { green: 100 }, wanted)).toBe('blue');
    expect(chooseDeploymentName(undefined, [served('red', old)], { red: 100 }, wanted)).toBe('blue');
  });

  it.each([
    [{ blue: 100 }, 'green'],
    [{ green: 100 }, 'blue'],
    [{ blue: 20, green: 80 }, 'blue'],
    [{ blue: 70, green: 30 }, 'green'],
    [{ blue: 50, green: 50 }, 'blue'],
    [{}, 'blue'],
  ])('with blue and green both different, traffic %j replaces %s', (traffic, name) => {
    const old = { model: `${WS}/models/churn/versions/1` };
    const deployments = [served('blue', old), served('green', { ...old, instanceType: 'Standard_F2s_v2' })];
    expect(chooseDeploymentName(undefined, deployments, traffic, wanted)).toBe(name);
  });
});

describe('describe', () => {
  it.each([
    [{ blue: 100 }, {}, 'blue 100%'],
    [{ green: 10, blue: 90, red: 0 }, {}, 'blue 90%, green 10%'],
    [{}, {}, 'no live traffic'],
    [{ blue: 0 }, { green: 0 }, 'no live traffic'],
    [{ blue: 100 }, { green: 10 }, 'blue 100%; mirror green 10%'],
    [{}, { green: 10 }, 'no live traffic; mirror green 10%'],
  ])('describe(%j, %j) = %s', (traffic, mirror, text) => {
    expect(describeTraffic(traffic, mirror)).toBe(text);
  });
});
