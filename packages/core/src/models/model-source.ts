// Where a model to register comes from, read from the action's inputs before anything remote is
// touched: a job output (by name or `azureml://jobs/` URI, MLflow `runs:/` meaning the run's
// artifact folder), a datastore path, a local file or folder, S3 or GCS, an existing workspace
// model version (to promote), or a registry model version (to pull into the workspace).

import { ConfigurationError } from '../errors';
import { type WorkspaceRef, workspaceArmId } from '../workspace/arm-id';
import { DEFAULT_ARTIFACTS_OUTPUT, parseAzureMlReference } from '../workspace/uri';

export type ModelSource =
  | { kind: 'job-output'; job: string; output?: string | undefined; step?: string | undefined; path: string }
  | { kind: 'datastore'; uri: string }
  | { kind: 'local'; path: string }
  | { kind: 'external'; url: string; scheme: 's3' | 'gs' }
  | {
      kind: 'workspace-model';
      name: string;
      version: string;
      /** Set when the source was a full ARM id: it must be the workspace the step connects to. */
      workspace?: WorkspaceRef;
    }
  | {
      kind: 'registry-model';
      registry: string;
      name: string;
      version: string;
      /** Set when the source was a full ARM id (a registry elsewhere than the default). */
      subscriptionId?: string;
      resourceGroup?: string;
    };

export interface SourceInputs {
  jobName?: string | undefined;
  outputName?: string | undefined;
  step?: string | undefined;
  path?: string | undefined;
}

/** The one source the inputs name; a ConfigurationError names the inputs that clash or miss. */
export function parseModelSource(inputs: SourceInputs): ModelSource {
  const { jobName, outputName, step, path } = inputs;
  if (jobName !== undefined && path !== undefined) {
    throw new ConfigurationError('job-name and path both name a model source', {
      input: 'path',
      fix: 'Give job-name (with output-name) for a job output, or path for anything else, not both.',
    });
  }
  if (jobName !== undefined) {
    return { kind: 'job-output', job: jobName, output: outputName, step, path: '' };
  }
  for (const [name, value] of [
    ['output-name', outputName],
    ['step', step],
  ] as const) {
    if (value !== undefined) {
      throw new ConfigurationError(`${name} is given without job-name`, {
        input: name,
        fix: `Give job-name too (the job whose output to register), or leave ${name} out.`,
      });
    }
  }
  if (path === undefined) {
    throw new ConfigurationError('no model source is given', {
      input: 'path',
      fix: 'Give job-name and output-name (a job output), or path: a local folder, azureml://datastores/<ds>/paths/<p>, azureml://jobs/<job>/outputs/<o>, runs:/<run>/<path>, s3://…, gs://…, azureml:<name>:<version> or azureml://registries/<r>/models/<name>/versions/<v>.',
    });
  }
  return parsePathSource(path);
}

function parsePathSource(path: string): ModelSource {
  const ref = parseAzureMlReference(path, { input: 'path', allowExternal: true });
  switch (ref.kind) {
    case 'job-output':
      return { kind: 'job-output', job: ref.job, output: ref.output, path: ref.path ?? '' };
    case 'mlflow-run':
      // `runs:/<run>/<p>` is the run's artifact folder, which the SDK spells as the `artifacts` output.
      return { kind: 'job-output', job: ref.runId, output: DEFAULT_ARTIFACTS_OUTPUT, path: ref.path };
    case 'datastore':
      return { kind: 'datastore', uri: path.trim() };
    case 'local':
      return { kind: 'local', path: ref.path };
    case 's3':
    case 'gs':
      return { kind: 'external', url: path.trim(), scheme: ref.kind };
    case 'asset-version':
      return { kind: 'workspace-model', name: ref.name, version: ref.version };
    case 'arm':
      if (ref.id.kind === 'asset' && ref.id.assetType === 'models' && ref.id.version) {
        return {
          kind: 'workspace-model',
          name: ref.id.name,
          version: ref.id.version,
          workspace: ref.id.workspace,
        };
      }
      if (ref.id.kind === 'registry-asset' && ref.id.assetType === 'models' && ref.id.version) {
        const { registry, resourceGroup, subscriptionId } = ref.id.registry;
        const { name, version } = ref.id;
        return { kind: 'registry-model', registry, name, version, resourceGroup, subscriptionId };
      }
      break;
    case 'registry-asset':
      if (ref.assetType === 'models' && 'version' in ref) {
        return { kind: 'registry-model', registry: ref.registry, name: ref.name, version: ref.version };
      }
      break;
    default:
      break;
  }
  const blob =
    ref.kind === 'blob'
      ? ' A blob URL is read through its datastore: write azureml://datastores/<datastore>/paths/<path> for it.'
      : '';
  throw new ConfigurationError(`'${path}' cannot be registered as a model`, {
    input: 'path',
    fix: `${blob.trim() ? `${blob.trim()} Otherwise use` : 'Use'} a local path, azureml://datastores/<ds>/paths/<p>, azureml://jobs/<job>/outputs/<o>, runs:/<run>/<path>, s3://…, gs://…, azureml:<name>:<version> (a workspace model to promote) or azureml://registries/<r>/models/<name>/versions/<v>.`,
  });
}

/** The source as one URI, for messages and the `source` lineage property. */
export function describeModelSource(source: ModelSource): string {
  switch (source.kind) {
    case 'job-output': {
      const output = source.output ?? '<output>';
      const base = `azureml://jobs/${source.job}/outputs/${output}`;
      const withPath = source.path ? `${base}/paths/${source.path}` : base;
      return source.step ? `${withPath} (step ${source.step})` : withPath;
    }
    case 'datastore':
      return source.uri;
    case 'local':
      return source.path;
    case 'external':
      return source.url;
    case 'workspace-model':
      return source.workspace
        ? `${workspaceArmId(source.workspace)}/models/${source.name}/versions/${source.version}`
        : `azureml:${source.name}:${source.version}`;
    case 'registry-model':
      return `azureml://registries/${source.registry}/models/${source.name}/versions/${source.version}`;
  }
}
