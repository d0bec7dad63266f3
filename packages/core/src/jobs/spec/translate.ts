// CLI v2 job YAML (command, pipeline, sweep) → the REST `properties` of a job PUT. Everything is
// checked first; only a valid job reaches the resolver (which may upload and register).
import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '../../errors';
import { commandJob } from './command-job';
import { resolveDeferred } from './deferred';
import { Field } from './field';
import { pipelineJob } from './pipeline-job';
import { sweepJob } from './sweep-job';
import type { TranslatedJob, TranslateOptions } from './types';
import { YamlSource } from './yaml-source';

const JOB_TYPES = { command: 'Command', pipeline: 'Pipeline', sweep: 'Sweep' } as const;
const OTHER_JOB_TYPES = ['parallel', 'spark', 'automl', 'import', 'data_transfer'];

/** Reads the job YAML (and the component YAMLs it names) and translates it. */
export async function translateJobYaml(file: string, options: TranslateOptions): Promise<TranslatedJob> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      `job file '${file}' cannot be read (${code === 'ENOENT' ? 'it does not exist' : (code ?? String(error))})`,
      {
        input: 'job',
        fix: 'Set `job` to the path of the job YAML, relative to the workspace root of the repository.',
        cause: error,
      },
    );
  }
  const root = Field.root(new YamlSource(file, text, options.overrides ?? []));
  if (!root.isMapping) {
    root.fail(
      'the job YAML must be a mapping of keys (type, command, inputs, …)',
      'Start the file with `type: command` (or pipeline, sweep) and the job’s keys.',
    );
  }
  const jobType = jobTypeOf(root);
  const checked =
    jobType === 'Command'
      ? { files: [], ...commandJob(root) }
      : jobType === 'Sweep'
        ? { files: [], ...sweepJob(root) }
        : pipelineJob(root);

  const properties = (await resolveDeferred(checked.properties, options.resolver)) as Record<string, unknown>;
  if (options.experimentName !== undefined) properties.experimentName = options.experimentName;
  if (options.displayName !== undefined) properties.displayName = options.displayName;
  if (options.description !== undefined) properties.description = options.description;
  if (options.tags !== undefined) {
    properties.tags = { ...(properties.tags as Record<string, string> | undefined), ...options.tags };
  }
  const yamlName = root.child('name').optionalString('my-job');
  return {
    jobType,
    properties,
    ...(yamlName !== undefined ? { yamlName } : {}),
    outputNames: checked.outputNames,
    stepNames: checked.stepNames,
    files: [file, ...checked.files],
  };
}

function jobTypeOf(root: Field): (typeof JOB_TYPES)[keyof typeof JOB_TYPES] {
  const type = root.child('type');
  if (!type.present) {
    for (const [key, implied] of [
      ['jobs', 'pipeline'],
      ['trial', 'sweep'],
    ] as const) {
      if (root.child(key).present) {
        root.fail(
          `the job has \`${key}:\` but no \`type\``,
          `Add \`type: ${implied}\` at the top of the file.`,
        );
      }
    }
    return 'Command';
  }
  if (typeof type.value === 'string' && OTHER_JOB_TYPES.includes(type.value.toLowerCase())) {
    type.fail(
      `job type '${type.value}' is not supported by this action (supported: command, pipeline, sweep)`,
      'Submit a command, pipeline or sweep job, or submit this job with `az ml job create`.',
    );
  }
  return type.choice(JOB_TYPES);
}
