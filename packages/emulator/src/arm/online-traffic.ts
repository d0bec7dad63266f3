// The rules an online endpoint's `traffic` and `mirrorTraffic` maps follow (spec text: live
// traffic sums to 100, mirrored traffic to at most 50; Azure mirrors to one deployment only, and
// never to one that takes live traffic), as pure functions over the maps and deployment names.
import type { Violation } from './schema/validate';

export type TrafficMap = Record<string, number>;

export const MAX_MIRROR_PERCENT = 50;

function unknownNames(map: TrafficMap, deployments: readonly string[], path: string): Violation[] {
  const known = new Set(deployments.map((name) => name.toLowerCase()));
  return Object.keys(map)
    .filter((name) => !known.has(name.toLowerCase()))
    .map((name) => ({
      path: `${path}.${name}`,
      message: `Deployment '${name}' does not exist in this endpoint; traffic can only go to existing deployments (${deployments.length > 0 ? deployments.join(', ') : 'none yet'}).`,
    }));
}

function outOfRange(map: TrafficMap, path: string, max: number): Violation[] {
  return Object.entries(map)
    .filter(([, value]) => value < 0 || value > max)
    .map(([name, value]) => ({
      path: `${path}.${name}`,
      message: `${value} is not a valid percentage: it must be between 0 and ${max}.`,
    }));
}

const sum = (map: TrafficMap): number => Object.values(map).reduce((total, value) => total + value, 0);

/** Live traffic: known deployments, 0..100 each, summing to 100 (or nothing routed at all). */
export function checkTraffic(traffic: TrafficMap, deployments: readonly string[]): Violation[] {
  const path = 'properties.traffic';
  const violations = [...unknownNames(traffic, deployments, path), ...outOfRange(traffic, path, 100)];
  if (violations.length > 0) return violations;
  const total = sum(traffic);
  if (total !== 0 && total !== 100) {
    violations.push({
      path,
      message: `Traffic values need to sum to 100 (or all be 0); they sum to ${total}.`,
    });
  }
  return violations;
}

/** Mirrored traffic: one known deployment at most, ≤ 50 %, and not one that takes live traffic. */
export function checkMirrorTraffic(
  mirror: TrafficMap,
  traffic: TrafficMap,
  deployments: readonly string[],
): Violation[] {
  const path = 'properties.mirrorTraffic';
  const violations = [
    ...unknownNames(mirror, deployments, path),
    ...outOfRange(mirror, path, MAX_MIRROR_PERCENT),
  ];
  if (violations.length > 0) return violations;
  const mirrored = Object.entries(mirror).filter(([, value]) => value > 0);
  if (mirrored.length > 1) {
    violations.push({
      path,
      message: `Traffic can be mirrored to one deployment only; ${mirrored.map(([name]) => name).join(', ')} were given.`,
    });
  }
  if (sum(mirror) > MAX_MIRROR_PERCENT) {
    violations.push({
      path,
      message: `Mirror traffic values need to sum to at most ${MAX_MIRROR_PERCENT}; they sum to ${sum(mirror)}.`,
    });
  }
  const live = new Set(
    Object.entries(traffic)
      .filter(([, value]) => value > 0)
      .map(([name]) => name.toLowerCase()),
  );
  for (const [name] of mirrored) {
    if (live.has(name.toLowerCase())) {
      violations.push({
        path: `${path}.${name}`,
        message: `Deployment '${name}' takes live traffic, so it cannot also receive mirrored traffic.`,
      });
    }
  }
  return violations;
}

/** The share of live traffic a deployment has (names compare case-insensitively). */
export function trafficOf(traffic: TrafficMap, deployment: string): number {
  const entry = Object.entries(traffic).find(([name]) => name.toLowerCase() === deployment.toLowerCase());
  return entry?.[1] ?? 0;
}
