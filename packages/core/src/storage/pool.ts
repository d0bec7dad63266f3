// Bounded parallelism for storage transfers.

/** Runs `task(0..count-1)` with at most `concurrency` at once; the first failure stops the rest. */
export async function runPool(
  count: number,
  concurrency: number,
  abortSignal: AbortSignal | undefined,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      abortSignal?.throwIfAborted();
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
  const results = await Promise.allSettled(workers);
  abortSignal?.throwIfAborted();
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
