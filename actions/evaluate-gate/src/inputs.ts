// The gate's inputs, read strictly: exactly one candidate source, a champion mode consistent with
// the inputs given, the rules parsed, all before anything is read remotely.
import {
  type Aggregate,
  type ChampionSource,
  ConfigurationError,
  type ConnectionInputs,
  type GateRule,
  type MissingChampionPolicy,
  type ModelRef,
  parseModelRef,
  parseRules,
  toMetricNumber,
} from '@aml-actions/core';
import { CONNECTION_SECRET_INPUTS, type InputReader, readConnectionInputs } from '@aml-actions/core/github';

export type CandidateSource =
  | { kind: 'file'; file: string; jsonPath?: string | undefined }
  | { kind: 'inline'; metrics: Record<string, number> }
  | { kind: 'job'; jobName: string; step?: string | undefined; aggregate: Aggregate }
  | { kind: 'model'; model: ModelRef };

export type FailOn = 'fail' | 'warn' | 'never';

export interface GateInputs {
  rules: GateRule[];
  candidate: CandidateSource;
  champion: ChampionSource;
  onMissingChampion: MissingChampionPolicy;
  failOn: FailOn;
  comment: boolean;
  commentKey: string;
  githubToken?: string | undefined;
  connection: ConnectionInputs;
}

export const SECRET_INPUTS: ReadonlySet<string> = new Set([...CONNECTION_SECRET_INPUTS, 'github-token']);

const CANDIDATE_INPUTS = ['metrics-file', 'metrics', 'job-name', 'model'] as const;

export function readGateInputs(reader: InputReader): GateInputs {
  const rules = parseRules(reader.required('rules'), 'rules');
  const githubToken = reader.optional('github-token');
  return {
    rules,
    candidate: readCandidate(reader),
    champion: readChampion(reader),
    onMissingChampion: reader.choice('on-missing-champion', ['pass', 'warn', 'fail'], 'warn'),
    failOn: reader.choice('fail-on', ['fail', 'warn', 'never'], 'fail'),
    comment: reader.boolean('comment', false),
    commentKey: reader.optional('comment-key') ?? 'evaluate-gate',
    ...(githubToken ? { githubToken } : {}),
    connection: readConnectionInputs(reader),
  };
}

function readCandidate(reader: InputReader): CandidateSource {
  const given = CANDIDATE_INPUTS.filter((name) => reader.optional(name) !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError(
      given.length === 0
        ? 'no candidate metrics are given'
        : `the candidate metrics are given twice (${given.join(', ')})`,
      {
        input: given[1] ?? 'metrics-file',
        fix: 'Set exactly one of metrics-file, metrics (inline JSON), job-name (an Azure ML job) or model (a registered model).',
      },
    );
  }
  const step = reader.optional('step');
  if (step !== undefined && given[0] !== 'job-name') {
    throw new ConfigurationError("'step' needs 'job-name'", {
      input: 'step',
      fix: 'Give the pipeline job with job-name, or remove step.',
    });
  }
  switch (given[0]) {
    case 'metrics-file':
      return {
        kind: 'file',
        file: reader.required('metrics-file'),
        jsonPath: reader.optional('metrics-path'),
      };
    case 'metrics':
      return { kind: 'inline', metrics: inlineMetrics(reader.json('metrics')) };
    case 'job-name':
      return {
        kind: 'job',
        jobName: reader.required('job-name'),
        step,
        aggregate: reader.choice('aggregate', ['last', 'min', 'max', 'mean'], 'last'),
      };
    default:
      return { kind: 'model', model: parseModelRef(reader.required('model'), 'model') };
  }
}

function readChampion(reader: InputReader): ChampionSource {
  const endpoint = reader.optional('champion-endpoint');
  const model = reader.optional('champion-model');
  const file = reader.optional('baseline-file');
  let mode = reader.choice('champion', ['auto', 'endpoint', 'model', 'file', 'none'], 'auto');
  if (mode === 'auto') {
    const set = [endpoint && 'endpoint', model && 'model', file && 'file'].filter(Boolean) as (
      | 'endpoint'
      | 'model'
      | 'file'
    )[];
    if (set.length > 1) {
      throw new ConfigurationError(`more than one champion is given (${set.join(', ')})`, {
        input: 'champion',
        fix: 'Set champion to endpoint, model or file, or give only one of champion-endpoint, champion-model, baseline-file.',
      });
    }
    mode = set[0] ?? 'none';
  }
  const need = (value: string | undefined, input: string): string => {
    if (value) return value;
    throw new ConfigurationError(`champion: ${mode} needs '${input}'`, {
      input,
      fix: `Set ${input}, or choose another champion mode (endpoint, model, file, none).`,
    });
  };
  switch (mode) {
    case 'endpoint':
      return { mode, endpoint: need(endpoint, 'champion-endpoint') };
    case 'model': {
      const ref = parseModelRef(need(model, 'champion-model'), 'champion-model');
      const tagText = reader.optional('champion-tag');
      if (tagText !== undefined && ref.version !== undefined) {
        throw new ConfigurationError("'champion-tag' does not go with an explicit version", {
          input: 'champion-tag',
          fix: 'Give the model by name only (champion-model: fraud-model) to pick the newest version carrying the tag.',
        });
      }
      return { mode, model: ref, ...(tagText !== undefined ? { tag: parseTag(tagText) } : {}) };
    }
    case 'file':
      return { mode, file: need(file, 'baseline-file'), jsonPath: reader.optional('metrics-path') };
    default:
      return { mode: 'none' };
  }
}

function parseTag(text: string): { key: string; value: string } {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new ConfigurationError(`'${text}' is not key=value`, {
      input: 'champion-tag',
      fix: 'Write the tag as key=value, e.g. stage=production.',
    });
  }
  return { key: text.slice(0, equals).trim(), value: text.slice(equals + 1).trim() };
}

function inlineMetrics(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError('is not a JSON object', {
      input: 'metrics',
      fix: 'Write an object of metric names to numbers, e.g. {"accuracy": 0.91, "rmse": 3.2}.',
    });
  }
  const metrics: Record<string, number> = {};
  for (const [name, metric] of Object.entries(value)) {
    const number = toMetricNumber(metric);
    if (number === undefined) {
      throw new ConfigurationError(`the metric '${name}' is not a number`, {
        input: 'metrics',
        fix: 'Each value must be a number (or a numeric string).',
      });
    }
    metrics[name] = number;
  }
  return metrics;
}
