// The inputs, read strictly before anything remote is touched: what to do (deploy, promote,
// reject), the endpoint and deployment (inputs and/or YAML files), the strategy and its
// parameters, the health gate, failure handling and the timeout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AUTH_MODES,
  ConfigurationError,
  type ConnectionInputs,
  checkResourceName,
  type DeploymentSpec,
  type EndpointSpec,
  parseCanarySteps,
  readBatchDeploymentYaml,
  readDeploymentYaml,
  readEndpointYaml,
} from '@aml-actions/core';
import { CONNECTION_SECRET_INPUTS, type InputReader, readConnectionInputs } from '@aml-actions/core/github';

export type DeployAction = 'deploy' | 'promote' | 'reject';
export type Strategy = 'direct' | 'blue-green' | 'canary' | 'mirror';
export type OnFailure = 'rollback' | 'rollback-and-delete' | 'leave';
export type EndpointType = 'online' | 'batch';

export interface HealthRequest {
  body: string;
  file: string;
}

export interface DeployInputs {
  action: DeployAction;
  endpointType: EndpointType;
  endpointName: string;
  endpoint: EndpointSpec;
  deploymentName?: string | undefined;
  deployment: DeploymentSpec;
  /** Files as given, for batch YAML reading. */
  deploymentFile?: string | undefined;
  strategy: Strategy;
  canarySteps: number[];
  stepWaitInMs: number;
  mirrorPercent: number;
  healthRequest?: HealthRequest | undefined;
  healthRequests: number;
  healthMaxP95InMs?: number | undefined;
  onFailure: OnFailure;
  keepPrevious: boolean;
  deleteRejected: boolean;
  timeoutInMs: number;
  outputKeys: boolean;
  compute?: string | undefined;
  connection: ConnectionInputs;
}

export const SECRET_INPUTS: ReadonlySet<string> = new Set(CONNECTION_SECRET_INPUTS);

export function readDeployInputs(reader: InputReader, cwd: string): DeployInputs {
  const action = reader.choice('action', ['deploy', 'promote', 'reject'] as const, 'deploy');
  const endpointFile = reader.optional('endpoint-file');
  const deploymentFile = reader.optional('deployment-file');
  const endpointType = reader.choice(
    'endpoint-type',
    ['online', 'batch'] as const,
    inferType(deploymentFile ?? endpointFile, cwd),
  );
  // A batch endpoint file is the online one's subset (name, description, auth_mode, tags).
  const endpoint: EndpointSpec = endpointFile
    ? readEndpointYaml(endpointFile, readText(endpointFile, cwd, 'endpoint-file'))
    : {};
  const deployment: DeploymentSpec =
    deploymentFile && endpointType === 'online'
      ? // Its relative paths (code, conda file) are relative to the file, under cwd.
        readDeploymentYaml(deploymentFile, readText(deploymentFile, cwd, 'deployment-file'), cwd)
      : { kind: 'Managed', properties: {} };

  const batchFile =
    deploymentFile && endpointType === 'batch'
      ? readBatchDeploymentYaml(deploymentFile, readText(deploymentFile, cwd, 'deployment-file'), cwd)
      : undefined;
  const endpointName = nameFrom(
    reader.optional('endpoint'),
    endpoint.name ?? batchFile?.endpointName,
    endpoint.nameAt ?? batchFile?.endpointNameAt,
    'endpoint',
    'endpoint-file',
  );
  if (!endpointName) {
    throw new ConfigurationError('no endpoint is named', {
      input: 'endpoint',
      fix: 'Set endpoint (the online endpoint name), or give an endpoint-file with `name:`.',
    });
  }
  if (deployment.endpointName && deployment.endpointName !== endpointName) {
    const at = deployment.endpointNameAt;
    throw new ConfigurationError(
      `the deployment file's endpoint_name is '${deployment.endpointName}', but the endpoint is '${endpointName}'`,
      {
        input: 'deployment-file',
        ...(at ? { file: at.file, line: at.line, column: at.column } : {}),
        fix: `Set endpoint_name: ${endpointName} in the deployment file, or remove it (the endpoint input names the endpoint).`,
      },
    );
  }
  const deploymentName = nameFrom(
    reader.optional('deployment'),
    deployment.name,
    deployment.nameAt,
    'deployment',
    'deployment-file',
  );

  // Inputs override the file's fields.
  const model = reader.optional('model');
  if (model) deployment.model = model;
  const instanceType = reader.optional('instance-type');
  if (instanceType) deployment.instanceType = instanceType;
  const environment = reader.optional('environment');
  if (environment) deployment.environment = environment;
  const code = reader.optional('code');
  if (code) deployment.codePath = path.resolve(cwd, code);
  const scoringScript = reader.optional('scoring-script');
  if (scoringScript) deployment.scoringScript = scoringScript;
  if (reader.optional('instance-count'))
    deployment.instanceCount = reader.integer('instance-count', { min: 1, max: 100 });
  if (reader.optional('public-network-access')) {
    const access = reader.choice('public-network-access', ['enabled', 'disabled'] as const, 'enabled');
    endpoint.publicNetworkAccess = access === 'enabled' ? 'Enabled' : 'Disabled';
  }
  const tags = reader.keyValueMap('tags');
  if (Object.keys(tags).length > 0) endpoint.tags = { ...(endpoint.tags ?? {}), ...tags };
  if (endpointFile && action === 'deploy' && (endpoint.traffic || endpoint.mirrorTraffic)) {
    // The strategy owns the traffic map; a second source of truth would be silently overwritten.
    throw new ConfigurationError(`${endpointFile} sets traffic, which this action manages`, {
      input: 'endpoint-file',
      file: endpointFile,
      fix: 'Remove traffic:/mirror_traffic: from the endpoint file and choose a strategy (direct, blue-green, canary, mirror).',
    });
  }
  if (reader.optional('auth-mode')) {
    const mode = reader.choice('auth-mode', ['key', 'aml_token', 'aad_token'] as const, 'key');
    endpoint.authMode = AUTH_MODES[mode];
  }

  if (endpointType === 'batch' && endpoint.authMode && endpoint.authMode !== 'AADToken') {
    throw new ConfigurationError('batch endpoints only accept Microsoft Entra tokens', {
      input: endpointFile && !reader.optional('auth-mode') ? 'endpoint-file' : 'auth-mode',
      ...(endpointFile ? { file: endpointFile } : {}),
      fix: 'Use auth_mode: aad_token (or leave it out) for a batch endpoint.',
    });
  }

  const strategy = reader.choice(
    'strategy',
    ['direct', 'blue-green', 'canary', 'mirror'] as const,
    'blue-green',
  );
  const canaryText = reader.optional('canary-steps');
  const canarySteps = strategy === 'canary' ? parseCanarySteps(canaryText ?? '10,50,100') : [];
  if (canaryText && strategy !== 'canary') {
    throw new ConfigurationError(`canary-steps is given but strategy is ${strategy}`, {
      input: 'canary-steps',
      fix: 'Set strategy: canary, or remove canary-steps.',
    });
  }
  const mirrorPercent = reader.integer('mirror-percent', { default: 10, min: 1, max: 50 });
  const healthFile = reader.optional('health-request-file');
  const healthRequest = healthFile
    ? { file: healthFile, body: readHealthRequest(healthFile, cwd) }
    : undefined;
  if (
    action === 'deploy' &&
    endpointType === 'online' &&
    !healthRequest &&
    (strategy === 'blue-green' || strategy === 'canary')
  ) {
    throw new ConfigurationError(
      `strategy ${strategy} checks the new deployment with real requests, but no health-request-file is given`,
      {
        input: 'health-request-file',
        fix: 'Give a JSON file with a sample scoring request (e.g. {"data": [[...]]}), or use strategy: direct.',
      },
    );
  }
  const inputs: DeployInputs = {
    action,
    endpointType,
    endpointName,
    endpoint,
    deploymentName,
    deployment,
    deploymentFile,
    strategy,
    canarySteps,
    stepWaitInMs: reader.duration('step-wait', { default: 0, maxInMs: 6 * 3_600_000 }),
    mirrorPercent,
    healthRequest,
    healthRequests: reader.integer('health-requests', { default: 5, min: 1, max: 1000 }),
    healthMaxP95InMs: reader.optional('health-max-p95-ms')
      ? reader.integer('health-max-p95-ms', { min: 1 })
      : undefined,
    onFailure: reader.choice('on-failure', ['rollback', 'rollback-and-delete', 'leave'] as const, 'rollback'),
    keepPrevious: reader.boolean('keep-previous', true),
    deleteRejected: reader.boolean('delete-rejected', true),
    timeoutInMs: reader.duration('timeout', { default: 30 * 60_000, minInMs: 10_000 }),
    outputKeys: reader.boolean('output-keys', false),
    compute: reader.optional('compute'),
    connection: readConnectionInputs(reader),
  };
  if ((action === 'promote' || action === 'reject') && !deploymentName) {
    throw new ConfigurationError(`action ${action} needs the deployment to ${action}`, {
      input: 'deployment',
      fix: "Pass the deploy step's deployment-name output as the deployment input.",
    });
  }
  return inputs;
}

function nameFrom(
  input: string | undefined,
  fromFile: string | undefined,
  at: { file: string; line: number; column: number } | undefined,
  inputName: string,
  fileInput: string,
): string | undefined {
  if (input && fromFile && input !== fromFile) {
    throw new ConfigurationError(
      `the ${inputName} input is '${input}', but ${fileInput} names '${fromFile}'`,
      {
        input: inputName,
        ...(at ? { file: at.file, line: at.line, column: at.column } : {}),
        fix: `Make them the same, or leave one out.`,
      },
    );
  }
  const name = input ?? fromFile;
  if (name) {
    const problem = checkResourceName(name);
    if (problem || !/^[A-Za-z][A-Za-z0-9-]{1,31}$/.test(name)) {
      throw new ConfigurationError(
        `'${name}' is not a valid ${inputName} name${problem ? `: ${problem}` : ''}`,
        {
          input: inputName,
          fix: `An ${inputName} name is 2–32 letters, digits and hyphens, starting with a letter.`,
        },
      );
    }
  }
  return name;
}

function readText(file: string, cwd: string, input: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new ConfigurationError(`the file '${file}' cannot be read`, {
      input,
      fix: `Check the path (relative to the working directory ${cwd}).`,
    });
  }
}

function readHealthRequest(file: string, cwd: string): string {
  const text = readText(file, cwd, 'health-request-file');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`'${file}' is not JSON: ${(error as Error).message}`, {
      input: 'health-request-file',
      fix: 'Write the sample request body the scoring script expects, as JSON.',
    });
  }
  return text;
}

function inferType(file: string | undefined, cwd: string): EndpointType {
  if (!file) return 'online';
  try {
    return /batch(Endpoint|Deployment|ModelDeployment)\.schema/i.test(
      readFileSync(path.resolve(cwd, file), 'utf8'),
    )
      ? 'batch'
      : 'online';
  } catch {
    return 'online';
  }
}
