// What the executor needs of the MLflow store (contracts §1): a structural subset of MlflowStore,
// so execution does not depend on how tracking is stored.

export type TrackedRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunTracking {
  ensureExperiment(name: string): { experiment_id: string; name: string };
  createRun(input: {
    runId?: string;
    experimentId: string;
    runName?: string;
    startTimeMs?: number;
    tags?: Record<string, string>;
  }): unknown;
  updateRun(
    runId: string,
    update: { status?: TrackedRunStatus; endTimeMs?: number; runName?: string },
  ): unknown;
  getRun(runId: string): unknown;
  logParam(runId: string, key: string, value: string): void;
  setTag(runId: string, key: string, value: string): void;
  metricHistory(
    runId: string,
    key: string,
  ): { key: string; value: number; timestamp: number; step: number }[];
}
