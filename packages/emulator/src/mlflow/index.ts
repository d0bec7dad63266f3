// MLflow tracking for the emulator: the store the executor writes runs to, and the REST routes.
export { MLFLOW_WORKSPACE_PATH, mlflowError, mlflowRoutes } from './routes';
export {
  DEFAULT_EXPERIMENT_ID,
  type ExperimentSearchQuery,
  type MetricInput,
  MlflowStore,
  type RunSearchQuery,
} from './store';
export type {
  MlflowExperiment,
  MlflowKeyValue,
  MlflowMetric,
  MlflowRun,
  MlflowRunInfo,
  MlflowRunStatus,
  MlflowViewType,
} from './types';
export { MlflowError } from './types';
