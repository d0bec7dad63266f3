// Which deployment serves a scoring request, as the endpoint's front door decides: the
// `azureml-model-deployment` header pins one (even at 0 % traffic); otherwise the traffic weights
// choose; `mirrorTraffic` sends a share of the unpinned requests to a shadow deployment as well.

export type TrafficMap = Record<string, number>;

export type RouteDecision =
  | { ok: true; deployment: string; mirror?: string }
  | { ok: false; reason: 'no-weighted-deployment' | 'unknown-deployment'; requested?: string };

export interface RouteInput {
  traffic: TrafficMap;
  mirrorTraffic: TrafficMap;
  /** Deployments that exist on the endpoint. */
  deployments: readonly string[];
  /** The `azureml-model-deployment` header, if sent. */
  pinned?: string;
  /** A number in [0, 1): Math.random in production, fixed in tests. */
  random: () => number;
}

const findName = (names: readonly string[], wanted: string) =>
  names.find((name) => name.toLowerCase() === wanted.toLowerCase());

/** Picks by cumulative weight: a draw in [0, total) lands in one deployment's share. */
export function pickWeighted(traffic: TrafficMap, draw: number): string | undefined {
  const weighted = Object.entries(traffic).filter(([, weight]) => weight > 0);
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return undefined;
  let point = draw * total;
  for (const [name, weight] of weighted) {
    if (point < weight) return name;
    point -= weight;
  }
  return weighted.at(-1)?.[0];
}

export function routeRequest(input: RouteInput): RouteDecision {
  if (input.pinned !== undefined && input.pinned !== '') {
    const deployment = findName(input.deployments, input.pinned);
    return deployment
      ? { ok: true, deployment }
      : { ok: false, reason: 'unknown-deployment', requested: input.pinned };
  }
  const live = pickWeighted(
    Object.fromEntries(Object.entries(input.traffic).filter(([name]) => findName(input.deployments, name))),
    input.random(),
  );
  if (!live) return { ok: false, reason: 'no-weighted-deployment' };
  const deployment = findName(input.deployments, live) ?? live;
  const [mirrorName, share] =
    Object.entries(input.mirrorTraffic).find(
      ([name, weight]) => weight > 0 && findName(input.deployments, name),
    ) ?? [];
  if (mirrorName && share !== undefined && input.random() * 100 < share) {
    return { ok: true, deployment, mirror: findName(input.deployments, mirrorName) ?? mirrorName };
  }
  return { ok: true, deployment };
}
