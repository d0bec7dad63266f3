import { describe, expect, it } from 'vitest';
import { buildSummary, formatElapsed, formatMetric } from '../src/summary';

describe('buildSummary', () => {
  it('shows the job, steps, metrics and outputs', () => {
    const text = buildSummary({
      jobName: 'p1',
      jobType: 'Pipeline',
      status: 'Completed',
      studioUrl: 'https://ml.azure.com/runs/p1',
      submitted: true,
      outputs: { model: 'azureml://datastores/workspaceblobstore/paths/azureml/p1_train/model/' },
      children: [
        { name: 'p1_prep', step: 'prep', status: 'Completed', durationInMs: 2000 },
        { name: 'p1_train', step: 'train', status: 'Completed', durationInMs: 65_000 },
      ],
      metrics: { accuracy: 0.912345678, epochs: 10 },
      durationInMs: 70_000,
      code: { armId: '/subscriptions/s/x/codes/abc/versions/1', uploadedBytes: 0, reused: true },
    });
    expect(text).toContain('### Azure ML pipeline job p1');
    expect(text).toContain('| [p1](https://ml.azure.com/runs/p1) | ✅ Completed | 1m 10s | yes |');
    expect(text).toContain('| prep | ✅ Completed | 2s | p1\\_prep |');
    expect(text).toContain('| train | ✅ Completed | 1m 5s | p1\\_train |');
    expect(text).toContain('| accuracy | 0.912346 |');
    expect(text).toContain('| epochs | 10 |');
    expect(text).toContain('`azureml://datastores/workspaceblobstore/paths/azureml/p1_train/model/`');
    expect(text).toContain('0 bytes uploaded');
  });

  it('marks the best trial and shows a failure with its log tail', () => {
    const text = buildSummary({
      jobName: 's1',
      jobType: 'Sweep',
      status: 'Failed',
      submitted: false,
      outputs: {},
      children: [{ name: 's1_0', step: 'trial 0', status: 'Failed' }],
      metrics: {},
      bestTrial: 's1_0',
      failure: { message: 'Job s1 ended Failed: exit code 3', logTail: ['Traceback', 'ValueError: bad'] },
    });
    expect(text).toContain('#### Trials');
    expect(text).toContain('| trial 0 (best) | ❌ Failed |');
    expect(text).toContain('re-attached');
    expect(text).toContain('Job s1 ended Failed: exit code 3');
    expect(text).toContain('```text\nTraceback\nValueError: bad\n```');
  });
});

describe('formatting', () => {
  it.each([
    [undefined, ''],
    [400, '0s'],
    [59_000, '59s'],
    [61_000, '1m 1s'],
    [3_720_000, '1h 2m'],
  ])('formatElapsed(%s) = %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));

  it.each([
    [1, '1'],
    [0.5, '0.5'],
    [0.123456789, '0.123457'],
    [Number.NaN, 'NaN'],
  ])('formatMetric(%s) = %s', (value, text) => expect(formatMetric(value)).toBe(text));
});
