// Traffic maps of an online endpoint (deployment → percent of live requests) as pure values:
// validated, compared, and the steps of a rollout computed from the map before it. Percentages are
// whole numbers summing to 100 (or an empty/all-zero map: nothing serves), as ARM requires.

import { ConfigurationError } from '../errors';

export type TrafficMap = Record<string, number>;

/** The map without zero entries, keys sorted: two maps are the same traffic when these are equal. */
export function normalizeTraffic(traffic: TrafficMap | undefined): TrafficMap {
  const entries = Object.entries(traffic ?? {})
    .filter(([, percent]) => percent > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}

export function sameTraffic(a: TrafficMap | undefined, b: TrafficMap | undefined): boolean {
  return JSON.stringify(normalizeTraffic(a)) === JSON.stringify(normalizeTraffic(b));
}

export function totalTraffic(traffic: TrafficMap): number {
  return Object.values(traffic).reduce((sum, percent) => sum + percent, 0);
}

/** `blue=90 green=10`, or `none` for an endpoint that serves nothing. */
export function formatTraffic(traffic: TrafficMap | undefined): string {
  const entries = Object.entries(normalizeTraffic(traffic));
  return entries.length === 0 ? 'none' : entries.map(([name, percent]) => `${name}=${percent}`).join(' ');
}

/** The deployment taking the most traffic (ties: the first by name), if any takes some. */
export function topDeployment(traffic: TrafficMap | undefined): string | undefined {
  let best: [string, number] | undefined;
  for (const [name, percent] of Object.entries(normalizeTraffic(traffic))) {
    if (!best || percent > best[1]) best = [name, percent];
  }
  return best?.[0];
}

/**
 * `deployment` takes `percent`; the others share the rest in proportion to what they had
 * (largest remainders get the rounding), so the map still sums to 100. When nothing else had
 * traffic, `deployment` takes 100 whatever `percent` says: a live endpoint never serves less.
 */
export function shiftTraffic(before: TrafficMap, deployment: string, percent: number): TrafficMap {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`A traffic share is a whole percentage 0–100, not ${percent}.`);
  }
  const others = Object.entries(normalizeTraffic(before)).filter(([name]) => name !== deployment);
  const othersTotal = others.reduce((sum, [, share]) => sum + share, 0);
  if (othersTotal === 0) return { [deployment]: 100 };
  const rest = 100 - percent;
  const exact = others.map(([name, share]) => ({ name, value: (share / othersTotal) * rest }));
  const floors = exact.map((entry) => ({ ...entry, floor: Math.floor(entry.value) }));
  let missing = rest - floors.reduce((sum, entry) => sum + entry.floor, 0);
  const byRemainder = [...floors].sort(
    (a, b) => b.value - b.floor - (a.value - a.floor) || a.name.localeCompare(b.name),
  );
  const result: TrafficMap = {};
  for (const entry of byRemainder) {
    result[entry.name] = entry.floor + (missing > 0 ? 1 : 0);
    if (missing > 0) missing -= 1;
  }
  if (percent > 0) result[deployment] = percent;
  return normalizeTraffic(result);
}

/** `10,50,100` → [10, 50, 100]: increasing whole percentages ending at 100. */
export function parseCanarySteps(text: string, input = 'canary-steps'): number[] {
  const parts = text
    .split(/[\s,]+/)
    .map((part) => part.trim().replace(/%$/, ''))
    .filter((part) => part !== '');
  const fix =
    'Write increasing percentages, e.g. `10,50,100` (end below 100 to promote later with action: promote).';
  if (parts.length === 0) throw new ConfigurationError('no canary steps are given', { input, fix });
  const steps = parts.map((part) => {
    if (!/^\d+$/.test(part) || Number(part) < 1 || Number(part) > 100) {
      throw new ConfigurationError(`'${part}' is not a percentage from 1 to 100`, { input, fix });
    }
    return Number(part);
  });
  for (let i = 1; i < steps.length; i += 1) {
    if ((steps[i] as number) <= (steps[i - 1] as number)) {
      throw new ConfigurationError(`the steps must increase, but ${steps[i]} follows ${steps[i - 1]}`, {
        input,
        fix,
      });
    }
  }
  // A last step below 100 is allowed: the rollout stops there and a later step (after an
  // approval) promotes or rejects the deployment.
  return steps;
}

/** Checks a map as ARM would: known deployments, whole 0–100 shares, sum 100 or 0. */
export function checkTraffic(traffic: TrafficMap, deployments: readonly string[], input = 'traffic'): void {
  for (const [name, percent] of Object.entries(traffic)) {
    if (!deployments.includes(name)) {
      throw new ConfigurationError(`traffic names deployment '${name}', which the endpoint does not have`, {
        input,
        fix: `Use the endpoint's deployments: ${deployments.join(', ') || '(none yet)'}.`,
      });
    }
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw new ConfigurationError(`traffic for '${name}' is ${percent}, not a whole percentage 0–100`, {
        input,
        fix: 'Give each deployment a whole percentage.',
      });
    }
  }
  const total = totalTraffic(traffic);
  if (total !== 100 && total !== 0) {
    throw new ConfigurationError(`traffic sums to ${total}, not 100`, {
      input,
      fix: 'Make the shares add up to 100 (or 0 to stop serving).',
    });
  }
}
