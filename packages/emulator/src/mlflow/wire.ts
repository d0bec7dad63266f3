// Runs and metrics as the MLflow REST API spells them: int64 fields as JSON numbers
// (as MLflow's own server sends them) and non-finite doubles as protobuf JSON strings.
import type { MlflowMetric, MlflowRun, MlflowRunInfo } from './types';
import { encodeDouble, type WireDouble } from './wire-values';

export type WireMetric = Omit<MlflowMetric, 'value'> & { value: WireDouble };

export const metricToWire = (metric: MlflowMetric): WireMetric => ({
  key: metric.key,
  value: encodeDouble(metric.value),
  timestamp: metric.timestamp,
  step: metric.step,
});

export function runInfoToWire(info: MlflowRunInfo): MlflowRunInfo {
  const { end_time: endTime, ...rest } = info;
  return endTime === undefined ? rest : { ...rest, end_time: endTime };
}

export function runToWire(run: MlflowRun) {
  return {
    info: runInfoToWire(run.info),
    data: { metrics: run.data.metrics.map(metricToWire), params: run.data.params, tags: run.data.tags },
  };
}
