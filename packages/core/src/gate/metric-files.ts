// Metrics from local files and inline JSON: flat or nested JSON (optionally a path into it), CSV
// with `name,value` rows, and an MLflow `metrics/` folder (one file per metric, lines
// `<timestamp> <value> <step>`). Nested objects flatten to dotted names. Every problem names the
// file (and line where there is one) and how to fix it.

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors';
import { locateJsonSyntaxError } from '../workspace/json-error';

export type Metrics = Record<string, number>;
export type Aggregate = 'last' | 'min' | 'max' | 'mean';

export interface MetricFileOptions {
  /** A dotted path (`eval.test`) into a JSON file: the object whose numbers are the metrics. */
  jsonPath?: string | undefined;
  /** For an MLflow metrics folder: how a metric's history becomes one value; default `last`. */
  aggregate?: Aggregate | undefined;
  /** The action input that named the file, for error messages. */
  input?: string | undefined;
}

/** Reads `file` by its kind: a folder (MLflow metrics), `.csv`, or JSON (anything else). */
export async function readMetricsFile(file: string, options: MetricFileOptions = {}): Promise<Metrics> {
  const input = options.input;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    throw new ConfigurationError(`the metrics file '${file}' does not exist`, {
      ...(input ? { input } : {}),
      fix: 'Check the path (relative to the workspace) and that an earlier step wrote the file.',
    });
  }
  if (info.isDirectory()) return readMlflowMetricsFolder(file, options);
  const text = await readFile(file, 'utf8');
  if (file.toLowerCase().endsWith('.csv')) return parseMetricsCsv(text, file, input);
  return parseMetricsJson(text, { file, ...(input ? { input } : {}), jsonPath: options.jsonPath });
}

/** JSON text → metrics. Numbers and numeric strings count; nested objects flatten to `a.b`. */
export function parseMetricsJson(
  text: string,
  where: { file?: string; input?: string; jsonPath?: string | undefined },
): Metrics {
  const at = { ...(where.file ? { file: where.file } : {}), ...(where.input ? { input: where.input } : {}) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { line, column } = locateJsonSyntaxError(text, error);
    throw new ConfigurationError(
      `the metrics are not valid JSON (syntax error at line ${line}, column ${column})`,
      {
        ...at,
        line,
        column,
        fix: 'Write a JSON object of metric names to numbers, e.g. {"accuracy": 0.91, "rmse": 3.2}.',
      },
    );
  }
  if (where.jsonPath) {
    for (const key of where.jsonPath.split('.').filter(Boolean)) {
      if (!isObject(value) || !(key in value)) {
        const keys = isObject(value) ? Object.keys(value).slice(0, 10).join(', ') : '(not an object)';
        throw new ConfigurationError(`the JSON has nothing at '${where.jsonPath}' (no key '${key}')`, {
          ...at,
          fix: `Use a path through the keys that exist; at this level: ${keys}.`,
        });
      }
      value = value[key];
    }
  }
  if (!isObject(value)) {
    throw new ConfigurationError('the metrics JSON is not an object', {
      ...at,
      fix: 'Write an object of metric names to numbers, or give metrics-path to the object inside.',
    });
  }
  const metrics: Metrics = {};
  flatten(value, '', metrics);
  if (Object.keys(metrics).length === 0) {
    throw new ConfigurationError('the metrics JSON holds no numbers', {
      ...at,
      fix: 'Each metric must be a number (or a numeric string, or "NaN").',
    });
  }
  return metrics;
}

/** `name,value` rows; a first row `name,value` (any header whose value is not numeric) is skipped. */
export function parseMetricsCsv(text: string, file: string, input?: string): Metrics {
  const metrics: Metrics = {};
  const seenAt = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const cells = raw.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
    const [name, valueText] = cells;
    const value = toMetricNumber(valueText);
    if (index === 0 && value === undefined) return; // header
    if (!name || value === undefined || cells.length !== 2) {
      throw new ConfigurationError(`the row '${raw.trim()}' is not 'name,value' with a number`, {
        file,
        line,
        ...(input ? { input } : {}),
        fix: 'Write one metric per row as name,value (e.g. accuracy,0.91).',
      });
    }
    const earlier = seenAt.get(name);
    if (earlier !== undefined) {
      throw new ConfigurationError(`the metric '${name}' appears twice (lines ${earlier} and ${line})`, {
        file,
        line,
        ...(input ? { input } : {}),
        fix: 'Keep one row per metric.',
      });
    }
    seenAt.set(name, line);
    metrics[name] = value;
  });
  if (Object.keys(metrics).length === 0) {
    throw new ConfigurationError('the CSV holds no metrics', {
      file,
      ...(input ? { input } : {}),
      fix: 'Write one metric per row as name,value.',
    });
  }
  return metrics;
}

/** An MLflow run's `metrics/` folder: a file per metric (keys with `/` as sub-folders). */
export async function readMlflowMetricsFolder(
  folder: string,
  options: MetricFileOptions = {},
): Promise<Metrics> {
  const metrics: Metrics = {};
  for (const relative of await listFiles(folder)) {
    const file = path.join(folder, relative);
    const history = parseMlflowMetricHistory(await readFile(file, 'utf8'), file, options.input);
    if (history.length === 0) continue;
    metrics[relative.split(path.sep).join('/')] = aggregateHistory(history, options.aggregate ?? 'last');
  }
  if (Object.keys(metrics).length === 0) {
    throw new ConfigurationError(`the MLflow metrics folder '${folder}' holds no metrics`, {
      ...(options.input ? { input: options.input } : {}),
      fix: "Point at a run's metrics/ folder (mlruns/<experiment>/<run>/metrics).",
    });
  }
  return metrics;
}

export interface MetricPoint {
  timestamp: number;
  value: number;
  step: number;
}

/** Lines `<timestamp> <value> [<step>]` of an MLflow file store metric file. */
export function parseMlflowMetricHistory(text: string, file: string, input?: string): MetricPoint[] {
  const points: MetricPoint[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const [timestamp, valueText, step] = raw.trim().split(/\s+/);
    const value = toMetricNumber(valueText);
    if (timestamp === undefined || value === undefined || !/^\d+$/.test(timestamp)) {
      throw new ConfigurationError(`the line '${raw.trim()}' is not '<timestamp> <value> <step>'`, {
        file,
        line: index + 1,
        ...(input ? { input } : {}),
        fix: 'Point at an MLflow file-store metrics folder, or use a JSON or CSV metrics file.',
      });
    }
    points.push({ timestamp: Number(timestamp), value, step: step === undefined ? 0 : Number(step) });
  });
  return points;
}

/** One value from a metric's history: the latest by step then timestamp, or min/max/mean. */
export function aggregateHistory(points: readonly MetricPoint[], aggregate: Aggregate): number {
  if (points.length === 0) throw new Error('no points to aggregate');
  const values = points.map((point) => point.value);
  switch (aggregate) {
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'mean':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'last': {
      const latest = [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp).at(-1);
      return (latest as MetricPoint).value;
    }
  }
}

function flatten(value: Record<string, unknown>, prefix: string, into: Metrics): void {
  for (const [key, child] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isObject(child)) flatten(child, name, into);
    else {
      const number = toMetricNumber(child);
      if (number !== undefined) into[name] = number;
    }
  }
}

/** Numbers, numeric strings and "NaN"/"Infinity" (as MLflow writes them); anything else is not a metric. */
export function toMetricNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^[+-]?(nan|infinity|inf)$/i.test(text)) {
    if (/nan/i.test(text)) return Number.NaN;
    return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  const entries = await readdir(path.join(folder, prefix), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(folder, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}
