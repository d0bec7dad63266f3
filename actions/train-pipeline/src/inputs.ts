// The action's inputs, read strictly and validated before anything touches Azure.
import type { ConnectionInputs } from '@aml-actions/core';
import { ConfigurationError } from '@aml-actions/core';
import { CONNECTION_SECRET_INPUTS, type InputReader, readConnectionInputs } from '@aml-actions/core/github';

export interface TrainInputs {
  connection: ConnectionInputs;
  /** Path of the job YAML (absent with `attach`). */
  jobFile?: string;
  /** The job name to use; absent means the deterministic default. */
  name?: string;
  experimentName?: string;
  displayName?: string;
  description?: string;
  tags: Record<string, string>;
  /** Raw `set` text (parsed with the YAML, so errors can name its lines). */
  set: string;
  wait: boolean;
  timeoutInMs: number;
  streamLogs: boolean;
  cancelOnAbort: boolean;
  attach?: string;
  dryRun: boolean;
  /** Output names, or ['all']; empty downloads nothing. */
  downloadOutputs: string[];
  downloadPath: string;
  uploadConcurrency: number;
}

export const SECRET_INPUTS = CONNECTION_SECRET_INPUTS;

const JOB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/;

export function checkJobName(name: string, input: string): string {
  if (!JOB_NAME.test(name)) {
    throw new ConfigurationError(`'${name}' is not a valid Azure ML job name`, {
      input,
      fix: 'Use letters, digits, hyphens and underscores, starting with a letter or digit, at most 255 characters.',
    });
  }
  return name;
}

export function readTrainInputs(reader: InputReader): TrainInputs {
  const attach = reader.optional('attach');
  const jobFile = reader.optional('job');
  if (attach !== undefined && jobFile !== undefined) {
    throw new ConfigurationError("'job' and 'attach' are both set", {
      input: 'attach',
      fix: "Give 'job' to submit a new job, or 'attach' to wait on an existing one, not both.",
    });
  }
  if (attach === undefined && jobFile === undefined) {
    throw new ConfigurationError("neither 'job' nor 'attach' is set", {
      input: 'job',
      fix: "Set 'job' to the path of a CLI v2 job YAML (for example jobs/train.yml), or 'attach' to the name of an existing job.",
    });
  }
  const name = reader.optional('name');
  const dryRun = reader.boolean('dry-run', false);
  if (dryRun && attach !== undefined) {
    throw new ConfigurationError("'dry-run' has nothing to translate with 'attach'", {
      input: 'dry-run',
      fix: "Use 'dry-run' with 'job' to see the requests a submission would send.",
    });
  }
  return {
    connection: readConnectionInputs(reader),
    ...(jobFile !== undefined ? { jobFile } : {}),
    ...(name !== undefined ? { name: checkJobName(name, 'name') } : {}),
    ...optional('experimentName', reader.optional('experiment-name')),
    ...optional('displayName', reader.optional('display-name')),
    ...optional('description', reader.optional('description')),
    tags: reader.keyValueMap('tags'),
    set: reader.optional('set') ?? '',
    wait: reader.boolean('wait', true),
    timeoutInMs: reader.duration('timeout', { default: 6 * 3_600_000, minInMs: 1000 }),
    streamLogs: reader.boolean('stream-logs', true),
    cancelOnAbort: reader.boolean('cancel-on-abort', true),
    ...(attach !== undefined ? { attach: checkJobName(attach, 'attach') } : {}),
    dryRun,
    downloadOutputs: reader.list('download-outputs'),
    downloadPath: reader.optional('download-path') ?? 'outputs',
    uploadConcurrency: reader.integer('upload-concurrency', { default: 8, min: 1, max: 64 }),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
