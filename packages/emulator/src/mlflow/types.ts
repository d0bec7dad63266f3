// The MLflow REST 2.0 entities the emulator serves (contracts §1), and the error MLflow answers with.

export type MlflowRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export const RUN_STATUSES: readonly MlflowRunStatus[] = [
  'RUNNING',
  'SCHEDULED',
  'FINISHED',
  'FAILED',
  'KILLED',
];

export type LifecycleStage = 'active' | 'deleted';

export interface MlflowMetric {
  key: string;
  /** May be NaN or ±Infinity; the wire form spells those as protobuf JSON strings. */
  value: number;
  timestamp: number;
  step: number;
}

export interface MlflowKeyValue {
  key: string;
  value: string;
}

export interface MlflowRunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: MlflowRunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

/** The MLflow REST `Run` shape: `{ info, data }`. */
export interface MlflowRun {
  info: MlflowRunInfo;
  data: {
    /** The latest value per key. */
    metrics: MlflowMetric[];
    params: MlflowKeyValue[];
    tags: MlflowKeyValue[];
  };
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: number;
  last_update_time: number;
  tags: MlflowKeyValue[];
}

export type MlflowViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'MALFORMED_REQUEST'
  | 'BAD_REQUEST';

const STATUS_OF: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  MALFORMED_REQUEST: 400,
  BAD_REQUEST: 400,
};

/** What the store throws; the routes turn it into MLflow's `{ error_code, message }`. */
export class MlflowError extends Error {
  readonly status: number;

  constructor(
    readonly errorCode: MlflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MlflowError';
    this.status = STATUS_OF[errorCode];
  }
}

export const invalidParameter = (message: string): MlflowError =>
  new MlflowError('INVALID_PARAMETER_VALUE', message);
