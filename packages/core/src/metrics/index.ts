export {
  latestMetrics,
  MlflowClient,
  type MlflowExperiment,
  type MlflowMetric,
  type MlflowRun,
  type MlflowRunStatus,
  runTag,
  type SearchRunsQuery,
} from './mlflow-client';
