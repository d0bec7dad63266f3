import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  aggregateHistory,
  parseMetricsCsv,
  parseMetricsJson,
  readMetricsFile,
} from '../../src/gate/metric-files';

const dir = mkdtempSync(path.join(os.tmpdir(), 'metric-files-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};
const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('metrics from JSON', () => {
  it('flattens nested objects and accepts numeric strings and NaN', () => {
    expect(parseMetricsJson('{"a": 1, "b": {"c": "0.5", "d": "NaN"}, "note": "text"}', {})).toEqual({
      a: 1,
      'b.c': 0.5,
      'b.d': Number.NaN,
    });
  });
  it('follows a dotted path and names the keys when it leads nowhere', () => {
    expect(parseMetricsJson('{"eval": {"test": {"f1": 0.8}}}', { jsonPath: 'eval.test' })).toEqual({
      f1: 0.8,
    });
    const error = problem(() =>
      parseMetricsJson('{"eval": {"val": {}}}', { jsonPath: 'eval.test', file: 'm.json' }),
    );
    expect(error.problem).toContain("no key 'test'");
    expect(error.fix).toContain('val');
  });
  it('names the line of a syntax error', () => {
    const error = problem(() => parseMetricsJson('{\n  "a": 1,\n  "b": }\n', { file: 'm.json' }));
    expect(error.file).toBe('m.json');
    expect(error.line).toBe(3);
  });
  it('refuses an object without numbers', () => {
    expect(problem(() => parseMetricsJson('{"a": "x"}', {})).problem).toContain('no numbers');
  });
});

describe('metrics from CSV', () => {
  it('reads name,value rows after an optional header', () => {
    expect(parseMetricsCsv('name,value\naccuracy,0.9\n"rmse",3.5\n', 'm.csv')).toEqual({
      accuracy: 0.9,
      rmse: 3.5,
    });
    expect(parseMetricsCsv('accuracy,0.9\n', 'm.csv')).toEqual({ accuracy: 0.9 });
  });
  it('names the line of a bad or repeated row', () => {
    expect(problem(() => parseMetricsCsv('accuracy,0.9\nf1;0.8\n', 'm.csv')).line).toBe(2);
    const repeated = problem(() => parseMetricsCsv('a,1\nb,2\na,3\n', 'm.csv'));
    expect(repeated.problem).toContain('lines 1 and 3');
  });
});

describe('metrics from an MLflow metrics folder', () => {
  it('takes the value of the highest step, or an aggregate', async () => {
    write('run/metrics/loss', '1000 0.9 0\n3000 0.3 2\n2000 0.5 1\n');
    write('run/metrics/eval/accuracy', '1000 0.8 0\n');
    expect(await readMetricsFile(path.join(dir, 'run/metrics'))).toEqual({ loss: 0.3, 'eval/accuracy': 0.8 });
    expect(await readMetricsFile(path.join(dir, 'run/metrics'), { aggregate: 'max' })).toMatchObject({
      loss: 0.9,
    });
    expect(
      aggregateHistory(
        [
          { timestamp: 1, value: 1, step: 0 },
          { timestamp: 2, value: 3, step: 1 },
        ],
        'mean',
      ),
    ).toBe(2);
  });
  it('names the file and line of a malformed history', async () => {
    write('bad/metrics/loss', '1000 0.9 0\nnot a metric\n');
    await expect(readMetricsFile(path.join(dir, 'bad/metrics'))).rejects.toMatchObject({ line: 2 });
  });
  it('says when the file does not exist', async () => {
    await expect(
      readMetricsFile(path.join(dir, 'missing.json'), { input: 'metrics-file' }),
    ).rejects.toMatchObject({
      input: 'metrics-file',
      problem: expect.stringContaining('does not exist'),
    });
  });
});
