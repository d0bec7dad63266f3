// A background loop beside the ARM poller: one pass every interval (logs, children, run status
// from run history), reporting each change of the run's status so the poller can look at once.
import { setTimeout as sleep } from 'node:timers/promises';

export interface FollowOptions {
  intervalInMs: number;
  abortSignal: AbortSignal;
  /** One pass; returns the run's status as the data plane sees it (undefined when unknown). */
  pass: () => Promise<string | undefined>;
  onStatusChange: (status: string) => void;
}

export interface Follower {
  /** Ends the loop after the pass in progress (if any). */
  stop(): Promise<void>;
}

export function followDataPlane(options: FollowOptions): Follower {
  const stopped = new AbortController();
  const signal = AbortSignal.any([options.abortSignal, stopped.signal]);
  let last: string | undefined;
  const loop = (async () => {
    while (!signal.aborted) {
      try {
        await sleep(options.intervalInMs, undefined, { signal });
      } catch {
        return; // stopped or aborted
      }
      let status: string | undefined;
      try {
        status = await options.pass();
      } catch {
        if (signal.aborted) return;
        continue;
      }
      if (status !== undefined && status !== last) {
        last = status;
        options.onStatusChange(status);
      }
    }
  })();
  return {
    async stop() {
      stopped.abort();
      await loop;
    },
  };
}
