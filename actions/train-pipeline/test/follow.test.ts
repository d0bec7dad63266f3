import { describe, expect, it } from 'vitest';
import { followDataPlane } from '../src/follow';

describe('followDataPlane', () => {
  it('runs a pass every interval and reports each status change once', async () => {
    const statuses = ['Running', 'Running', 'Completed', 'Completed'];
    let passes = 0;
    const changes: string[] = [];
    const follower = followDataPlane({
      intervalInMs: 5,
      abortSignal: new AbortController().signal,
      pass: async () => statuses[Math.min(passes++, statuses.length - 1)],
      onStatusChange: (status) => changes.push(status),
    });
    await expect.poll(() => passes, { timeout: 2000, interval: 5 }).toBeGreaterThanOrEqual(4);
    await follower.stop();
    expect(changes).toEqual(['Running', 'Completed']);
  });

  it('keeps going after a failed pass and stops when the workflow aborts', async () => {
    const controller = new AbortController();
    let passes = 0;
    const changes: string[] = [];
    const follower = followDataPlane({
      intervalInMs: 5,
      abortSignal: controller.signal,
      pass: async () => {
        passes++;
        if (passes === 1) throw new Error('run history unavailable');
        return 'Running';
      },
      onStatusChange: (status) => changes.push(status),
    });
    await expect.poll(() => changes, { timeout: 2000, interval: 5 }).toEqual(['Running']);
    controller.abort();
    await follower.stop();
    const after = passes;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(passes).toBe(after);
  });
});
