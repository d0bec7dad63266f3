// Sweep early-termination policies (bandit, median stopping, truncation selection), evaluated on
// the primary metric as trials log it: each logged value of the metric is one interval. Pure.

export type Goal = 'Maximize' | 'Minimize';

export interface TerminationPolicy {
  policyType: string;
  evaluationInterval?: number;
  delayEvaluation?: number;
  slackFactor?: number;
  slackAmount?: number;
  truncationPercentage?: number;
}

export interface TrialMetrics {
  name: string;
  /** The primary metric's values in the order they were logged. */
  values: number[];
}

/** Whether a trial that has just reached `interval` values is due for evaluation. */
export function isEvaluationPoint(policy: TerminationPolicy, interval: number): boolean {
  const every = Math.max(1, policy.evaluationInterval ?? 1);
  const delay = Math.max(0, policy.delayEvaluation ?? 0);
  return interval > delay && interval % every === 0;
}

const better = (goal: Goal) => (a: number, b: number) => (goal === 'Maximize' ? a > b : a < b);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Whether `trial` should stop at `interval` (1-based count of its logged values), compared with
 * every trial (running or finished, itself included) that has reached that interval.
 */
export function shouldTerminate(
  policy: TerminationPolicy,
  goal: Goal,
  trial: TrialMetrics,
  all: readonly TrialMetrics[],
  interval: number,
): boolean {
  const value = trial.values[interval - 1];
  if (value === undefined || !isEvaluationPoint(policy, interval)) return false;
  const peers = all.filter((other) => other.values.length >= interval);
  const isBetter = better(goal);
  switch (policy.policyType) {
    case 'Bandit': {
      const atInterval = peers.map((peer) => peer.values[interval - 1] as number);
      const best = atInterval.reduce((a, b) => (isBetter(b, a) ? b : a), value);
      let threshold: number;
      if (policy.slackFactor !== undefined && policy.slackFactor > 0) {
        threshold = goal === 'Maximize' ? best / (1 + policy.slackFactor) : best * (1 + policy.slackFactor);
      } else {
        const slack = policy.slackAmount ?? 0;
        threshold = goal === 'Maximize' ? best - slack : best + slack;
      }
      return isBetter(threshold, value);
    }
    case 'MedianStopping': {
      if (peers.length < 2) return false;
      const average = (values: number[]) => values.slice(0, interval).reduce((a, b) => a + b, 0) / interval;
      return isBetter(median(peers.map((peer) => average(peer.values))), average(trial.values));
    }
    case 'TruncationSelection': {
      const percentage = policy.truncationPercentage ?? 0;
      const cut = Math.floor((peers.length * percentage) / 100);
      if (cut === 0) return false;
      // Worst first: the trial stops when it is among the `cut` worst at this interval.
      const ranked = [...peers].sort((a, b) => {
        const x = a.values[interval - 1] as number;
        const y = b.values[interval - 1] as number;
        return isBetter(x, y) ? 1 : isBetter(y, x) ? -1 : 0;
      });
      return ranked.slice(0, cut).some((peer) => peer.name === trial.name);
    }
    default:
      return false;
  }
}

/** The best trial by the final value of its primary metric, or undefined when none logged it. */
export function bestTrial(
  goal: Goal,
  trials: readonly TrialMetrics[],
): { name: string; value: number } | undefined {
  const isBetter = better(goal);
  let best: { name: string; value: number } | undefined;
  for (const trial of trials) {
    const value = trial.values.at(-1);
    if (value === undefined || Number.isNaN(value)) continue;
    if (!best || isBetter(value, best.value)) best = { name: trial.name, value };
  }
  return best;
}
