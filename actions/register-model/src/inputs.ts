// The inputs, read strictly before anything remote is touched: one model source, a valid name,
// type and version, tags and properties as key=value lines, the registry targets.
import {
  ConfigurationError,
  type ConnectionInputs,
  checkResourceName,
  checkVersion,
  MODEL_TYPES,
  type ModelSource,
  type ModelType,
  parseModelSource,
} from '@aml-actions/core';
import { CONNECTION_SECRET_INPUTS, type InputReader, readConnectionInputs } from '@aml-actions/core/github';

export interface ExternalStorageInputs {
  awsRegion?: string | undefined;
  s3Endpoint?: string | undefined;
  gcsEndpoint?: string | undefined;
  gcpProject?: string | undefined;
  gcpCredentialsJson?: string | undefined;
}

export interface RegisterInputs {
  source: ModelSource;
  name: string;
  type?: ModelType | undefined;
  version: string;
  description?: string | undefined;
  tags: Record<string, string>;
  properties: Record<string, string>;
  stage?: string | undefined;
  unsetStageOnPrevious: boolean;
  registry?: string | undefined;
  promoteToRegistry?: string | undefined;
  registryResourceGroup?: string | undefined;
  external: ExternalStorageInputs;
  connection: ConnectionInputs;
}

export const SECRET_INPUTS: ReadonlySet<string> = new Set([
  ...CONNECTION_SECRET_INPUTS,
  'gcp-credentials-json',
]);

export function readRegisterInputs(reader: InputReader): RegisterInputs {
  const source = parseModelSource({
    jobName: reader.optional('job-name'),
    outputName: reader.optional('output-name'),
    step: reader.optional('step'),
    path: reader.optional('path'),
  });
  const name = checked(
    reader.required('name'),
    'name',
    checkResourceName,
    'a model name such as machine-failure-model',
  );
  const typeText = reader.optional('type');
  const version = (reader.optional('version') ?? 'auto').trim();
  if (version !== 'auto') checked(version, 'version', checkVersion, 'auto, or a version such as 3');
  const stage = reader.optional('stage');
  const unsetStageOnPrevious = reader.boolean('unset-stage-on-previous', false);
  if (unsetStageOnPrevious && !stage) {
    throw new ConfigurationError('unset-stage-on-previous is true but no stage is given', {
      input: 'unset-stage-on-previous',
      fix: 'Set stage (e.g. stage: Production) to move it from the version that holds it to this one.',
    });
  }
  return {
    source,
    name,
    ...(typeText ? { type: reader.choice('type', MODEL_TYPES, 'custom_model') } : {}),
    version,
    description: reader.optional('description'),
    tags: reader.keyValueMap('tags'),
    properties: reader.keyValueMap('properties'),
    stage,
    unsetStageOnPrevious,
    registry: reader.optional('registry'),
    promoteToRegistry: reader.optional('promote-to-registry'),
    registryResourceGroup: reader.optional('registry-resource-group'),
    external: {
      awsRegion: reader.optional('aws-region'),
      s3Endpoint: reader.optional('s3-endpoint'),
      gcsEndpoint: reader.optional('gcs-endpoint'),
      gcpProject: reader.optional('gcp-project'),
      gcpCredentialsJson: reader.optional('gcp-credentials-json'),
    },
    connection: readConnectionInputs(reader),
  };
}

function checked(
  value: string,
  input: string,
  rule: (v: string) => string | undefined,
  example: string,
): string {
  const problem = rule(value.trim());
  if (problem) {
    throw new ConfigurationError(`'${value}' is not a valid ${input}: ${problem}`, {
      input,
      fix: `Write ${example}.`,
    });
  }
  return value.trim();
}
