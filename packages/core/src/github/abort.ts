// The runner cancels a step with SIGINT, then SIGTERM about 7.5 s later, then kills it. Both
// signals abort the step's work through one AbortController, so the job can still be cancelled
// remotely within that window.

export interface AbortHandle {
  signal: AbortSignal;
  /** Removes the signal handlers. */
  dispose(): void;
}

export function abortOnSignals(
  onSignal: (signal: NodeJS.Signals) => void = () => {},
  processLike: Pick<NodeJS.Process, 'on' | 'off'> = process,
): AbortHandle {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    onSignal(signal);
    if (!controller.signal.aborted) controller.abort(new WorkflowCancelledError(signal));
  };
  processLike.on('SIGINT', handler);
  processLike.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      processLike.off('SIGINT', handler);
      processLike.off('SIGTERM', handler);
    },
  };
}

export class WorkflowCancelledError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`The workflow was cancelled (${signal}).`);
    this.name = 'WorkflowCancelledError';
  }
}

export function isCancellation(error: unknown, signal: AbortSignal): boolean {
  return (
    signal.aborted &&
    (error === signal.reason ||
      (error as Error)?.name === 'AbortError' ||
      error instanceof WorkflowCancelledError)
  );
}
