import { describe, expect, it } from 'vitest';
import type { DeployInputs } from '../src/inputs';
import type { RolloutResult } from '../src/rollout';
import { buildSummary } from '../src/summary';
import { Timeline, type TimelineEntry } from '../src/timeline';

function inputs(overrides: Partial<DeployInputs> = {}): DeployInputs {
  return {
    action: 'deploy',
    endpointType: 'online',
    endpointName: 'churn',
    endpoint: {},
    deployment: { kind: 'Managed', properties: {} },
    strategy: 'blue-green',
    canarySteps: [],
    stepWaitInMs: 0,
    mirrorPercent: 10,
    healthRequest: { file: 'request.json', body: '{"data": [[1]]}' },
    healthRequests: 5,
    onFailure: 'rollback',
    keepPrevious: true,
    deleteRejected: true,
    timeoutInMs: 30 * 60_000,
    outputKeys: false,
    connection: {},
    ...overrides,
  };
}

function result(overrides: Partial<RolloutResult> = {}): RolloutResult {
  return {
    endpointName: 'churn',
    deploymentName: 'green',
    scoringUri: 'https://churn.westeurope.inference.ml.azure.com/score',
    swaggerUri: 'https://churn.westeurope.inference.ml.azure.com/swagger.json',
    previousTraffic: { blue: 100 },
    previousMirror: {},
    traffic: { green: 100 },
    mirror: {},
    rolledBack: false,
    unchanged: false,
    health: [],
    deleted: [],
    ...overrides,
  };
}

const passed = { passed: true, requests: 5, failures: 0, p50InMs: 12.4, p95InMs: 40.6, problems: [] };

const TABLE_HEADER = '| Deployment | Traffic before | Traffic after | Mirror before | Mirror after |';

/** The rows of the traffic table, as lines. */
function trafficRows(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(TABLE_HEADER);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

describe('buildSummary', () => {
  it('shows a blue-green deployment live at 100% with its gate and the traffic moved', () => {
    const text = buildSummary(inputs(), result({ health: [passed] }), [
      { atSeconds: 0, event: 'Creating deployment green (Standard_DS3_v2 × 1)' },
      { atSeconds: 95.25, event: 'Traffic → green 100%' },
    ]);
    expect(text).toContain('### Deploy churn / green: ✅ live at 100%\n');
    expect(text).toContain('- Action: deploy, strategy blue-green\n');
    expect(text).toContain('- Scoring URI: https://churn.westeurope.inference.ml.azure.com/score');
    expect(text).not.toContain('Deleted:');
    expect(text).not.toContain('Failed:');
    expect(trafficRows(text)).toEqual(['| blue | 100% | 0% | 0% | 0% |', '| green | 0% | 100% | 0% | 0% |']);
    expect(text).toContain('| Health gate | Requests | Failed | p50 | p95 | Result |');
    expect(text).toContain('| 1 | 5 | 0 | 12 ms | 41 ms | ✅ passed |');
    expect(text).toContain(
      '<details><summary>Timeline</summary>\n\n- 0.0 s — Creating deployment green (Standard\\_DS3\\_v2 × 1)\n- 95.3 s — Traffic → green 100%\n\n</details>',
    );
    expect(text).not.toContain('Container logs');
  });

  it('shows the canary steps and a rollout that stopped below 100%', () => {
    const text = buildSummary(
      inputs({ strategy: 'canary', canarySteps: [10, 50] }),
      result({ traffic: { blue: 50, green: 50 }, health: [passed, { ...passed, p50InMs: 8, p95InMs: 9 }] }),
      [],
    );
    expect(text).toContain('### Deploy churn / green: ✅ live at 50%');
    expect(text).toContain('- Action: deploy, strategy canary (10 → 50 %)');
    expect(trafficRows(text)).toEqual(['| blue | 100% | 50% | 0% | 0% |', '| green | 0% | 50% | 0% | 0% |']);
    expect(text).toContain('| 2 | 5 | 0 | 8 ms | 9 ms | ✅ passed |');
    expect(text).toContain('- nothing happened');
  });

  it('says when nothing changed', () => {
    const text = buildSummary(
      inputs(),
      result({ previousTraffic: { green: 100 }, traffic: { green: 100 }, unchanged: true }),
      [{ atSeconds: 1.2, event: 'Traffic is already as the strategy ends: nothing to change' }],
    );
    expect(text).toContain('### Deploy churn / green: already as asked, nothing changed');
    expect(trafficRows(text)).toEqual(['| green | 100% | 100% | 0% | 0% |']);
    expect(text).not.toContain('Health gate');
  });

  it('shows a mirror deployment by its mirrored share, with live traffic kept', () => {
    const text = buildSummary(
      inputs({ strategy: 'mirror', mirrorPercent: 20 }),
      result({ traffic: { blue: 100 }, mirror: { green: 20 }, previousMirror: { red: 5 } }),
      [],
    );
    expect(text).toContain('### Deploy churn / green: ✅ mirroring 20%');
    expect(text).toContain('- Action: deploy, strategy mirror\n');
    expect(trafficRows(text)).toEqual([
      '| blue | 100% | 100% | 0% | 0% |',
      '| green | 0% | 0% | 0% | 20% |',
      '| red | 0% | 0% | 5% | 0% |',
    ]);
  });

  it('shows a mirror rollout on an empty endpoint as live', () => {
    const text = buildSummary(
      inputs({ strategy: 'mirror' }),
      result({ previousTraffic: {}, traffic: { green: 100 } }),
      [],
    );
    expect(text).toContain('### Deploy churn / green: ✅ live at 100%');
    expect(trafficRows(text)).toEqual(['| green | 0% | 100% | 0% | 0% |']);
  });

  it('shows a failure that was rolled back, with the gate and a neutralised log tail', () => {
    const logsTail = [
      'Traceback (most recent call last):',
      '```',
      '</details> # broken',
      '  File "score.py", line 9, in run',
      'ValueError: bad input ````',
    ].join('\n');
    const text = buildSummary(
      inputs({ onFailure: 'rollback-and-delete' }),
      result({
        traffic: { blue: 100 },
        rolledBack: true,
        failure: 'the health gate of deployment green failed: 5 of 5 health requests failed (HTTP 500)',
        health: [
          {
            passed: false,
            requests: 5,
            failures: 5,
            p50InMs: 3,
            p95InMs: 4,
            problems: ['HTTP 500'],
            reason: '5 of 5 health requests failed (HTTP 500)',
          },
        ],
        deleted: ['green'],
        logsTail,
      }),
      [{ atSeconds: 3, event: 'Rolling back: traffic → blue 100%' }],
    );
    expect(text).toContain('### Deploy churn / green: ❌ failed, rolled back');
    expect(text).toContain(
      'Failed: the health gate of deployment green failed: 5 of 5 health requests failed (HTTP 500)',
    );
    expect(text).toContain('- Deleted: green');
    expect(trafficRows(text)).toEqual(['| blue | 100% | 100% | 0% | 0% |', '| green | 0% | 0% | 0% | 0% |']);
    expect(text).toContain('| 1 | 5 | 5 | 3 ms | 4 ms | ❌ 5 of 5 health requests failed (HTTP 500) |');
    const start = text.indexOf('<details><summary>Container logs of green (last lines)</summary>\n\n```\n');
    expect(start).toBeGreaterThan(0);
    const block = text.slice(start);
    // Exactly one fence opens and one closes the tail: no backtick run in the log ends it early.
    expect(block.match(/```/g)).toHaveLength(2);
    expect(block).toContain("\n'''\n");
    expect(block).toContain("ValueError: bad input '''`\n```\n\n</details>");
    expect(block).toContain('  File "score.py", line 9, in run');
  });

  it('shows a failure without rollback and a failure before any logs', () => {
    const text = buildSummary(
      inputs({ onFailure: 'leave' }),
      result({ traffic: { blue: 100 }, failure: 'deployment green failed to provision: image build failed' }),
      [],
    );
    expect(text).toContain('### Deploy churn / green: ❌ failed\n');
    expect(text).toContain('Failed: deployment green failed to provision: image build failed');
    expect(text).not.toContain('Container logs');
  });

  it('shows a promotion without the strategy', () => {
    const text = buildSummary(
      inputs({ action: 'promote', deploymentName: 'green', strategy: 'canary', canarySteps: [10, 50] }),
      result({ previousTraffic: { blue: 50, green: 50 }, previousMirror: {}, traffic: { green: 100 } }),
      [{ atSeconds: 0.4, event: 'Promoting green: traffic → green 100%' }],
    );
    expect(text).toContain('### Deploy churn / green: ✅ promoted');
    expect(text).toContain('- Action: promote\n');
    expect(text).not.toContain('strategy');
    expect(trafficRows(text)).toEqual(['| blue | 50% | 0% | 0% | 0% |', '| green | 50% | 100% | 0% | 0% |']);
  });

  it('shows a rejection and the deleted deployment', () => {
    const text = buildSummary(
      inputs({ action: 'reject', deploymentName: 'green' }),
      result({
        previousTraffic: { blue: 90, green: 10 },
        previousMirror: { green: 5 },
        traffic: { blue: 100 },
        mirror: {},
        deleted: ['green'],
      }),
      [],
    );
    expect(text).toContain('### Deploy churn / green: ✅ rejected');
    expect(text).toContain('- Action: reject\n');
    expect(text).toContain('- Deleted: green');
    expect(trafficRows(text)).toEqual(['| blue | 90% | 100% | 0% | 0% |', '| green | 10% | 0% | 5% | 0% |']);
  });

  it('shows a dash for a missing scoring URI', () => {
    expect(buildSummary(inputs(), result({ scoringUri: '' }), [])).toContain('- Scoring URI: –');
  });

  it('prints timeline events as text, not markdown or HTML', () => {
    const text = buildSummary(inputs(), result(), [
      {
        atSeconds: 2,
        event:
          'Health gate on green failed: 5 of 5 health requests failed (HTTP 500: <!-- {"error": "bad_input"})',
      },
    ]);
    expect(text).toContain(
      '- 2.0 s — Health gate on green failed: 5 of 5 health requests failed (HTTP 500: \\<!-- {"error": "bad\\_input"})',
    );
    expect(text).not.toMatch(/(?<!\\)<!--/);
  });
});

describe('Timeline', () => {
  it('records events at tenths of a second since the start and logs them', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const timeline = new Timeline(
      (line) => lines.push(line),
      () => now,
    );
    timeline.add('Creating endpoint churn (auth Key)');
    now += 12_345;
    timeline.add('Deployment green is provisioned');
    now += 50;
    timeline.add('Traffic → green 100%');
    expect(timeline.entries).toEqual<TimelineEntry[]>([
      { atSeconds: 0, event: 'Creating endpoint churn (auth Key)' },
      { atSeconds: 12.3, event: 'Deployment green is provisioned' },
      { atSeconds: 12.4, event: 'Traffic → green 100%' },
    ]);
    expect(lines).toEqual([
      '[0.0 s] Creating endpoint churn (auth Key)',
      '[12.3 s] Deployment green is provisioned',
      '[12.4 s] Traffic → green 100%',
    ]);
  });

  it('feeds the summary', () => {
    let now = 0;
    const timeline = new Timeline(
      () => {},
      () => now,
    );
    timeline.add('Deployment green is already up to date');
    now = 61_000;
    timeline.add('Traffic is already as the strategy ends: nothing to change');
    const text = buildSummary(inputs(), result({ unchanged: true }), timeline.entries);
    expect(text).toContain(
      '- 0.0 s — Deployment green is already up to date\n- 61.0 s — Traffic is already as the strategy ends: nothing to change',
    );
  });
});
