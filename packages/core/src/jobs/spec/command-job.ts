// `type: command` jobs, and the metadata every job type shares.
import { checkCommandBindings } from './bindings';
import type { Field } from './field';
import {
  distribution,
  duration,
  identity,
  jobInputs,
  jobOutputs,
  queueSettings,
  resources,
  restInputs,
  restOutputs,
  services,
} from './job-parts';
import { codeRef, computeRef, environmentRef } from './references';

type Json = Record<string, unknown>;

export const METADATA_KEYS = [
  '$schema',
  'type',
  'name',
  'display_name',
  'experiment_name',
  'description',
  'tags',
  'properties',
];

/** display_name, description, experiment_name, tags, properties → their REST names. */
export function metadata(root: Field): Json {
  const result: Json = {};
  const displayName = root.child('display_name').optionalString('my job');
  if (displayName !== undefined) result.displayName = displayName;
  const description = root.child('description').optionalString('what the job does');
  if (description !== undefined) result.description = description;
  const experimentName = root.child('experiment_name').optionalString('my-experiment');
  if (experimentName !== undefined) result.experimentName = experimentName;
  const tags = root.child('tags').stringMap();
  if (tags !== undefined) result.tags = tags;
  const properties = root.child('properties').stringMap();
  if (properties !== undefined) result.properties = properties;
  return result;
}

export interface CommandParts {
  command: string;
  /** CLI-form values (code and environment as Deferred ARM ids), for component specs. */
  cli: Json;
  /** REST (camelCase) values: command, codeId, environmentId, environmentVariables, distribution, resources. */
  rest: Json;
}

/** command, code, environment, environment_variables, distribution, resources. */
export function commandParts(
  field: Field,
  scope: {
    inputs: readonly string[];
    outputs: readonly string[];
    searchSpace?: readonly string[];
    inPipelineStep?: boolean;
  },
): CommandParts {
  const commandField = field.child('command').required(`python train.py --lr \${{inputs.learning_rate}}`);
  const command = commandField.string('python train.py');
  checkCommandBindings(commandField, command, scope);
  const cli: Json = { command };
  const rest: Json = { command };
  const code = field.child('code');
  if (code.present) {
    const codeId = codeRef(code);
    [cli.code, rest.codeId] = [codeId, codeId];
  }
  const environment = environmentRef(field.child('environment'));
  [cli.environment, rest.environmentId] = [environment, environment];
  const variables = field.child('environment_variables').stringMap();
  if (variables !== undefined)
    [cli.environment_variables, rest.environmentVariables] = [variables, variables];
  const distributionParts = distribution(field.child('distribution'));
  if (distributionParts)
    [cli.distribution, rest.distribution] = [distributionParts.cli, distributionParts.rest];
  const resourceParts = resources(field.child('resources'));
  if (resourceParts) [cli.resources, rest.resources] = [resourceParts.cli, resourceParts.rest];
  return { command, cli, rest };
}

const COMMAND_JOB_KEYS = [
  ...METADATA_KEYS,
  'command',
  'code',
  'environment',
  'environment_variables',
  'compute',
  'resources',
  'distribution',
  'limits',
  'inputs',
  'outputs',
  'identity',
  'queue_settings',
  'services',
];

export interface CheckedJob {
  properties: Json;
  outputNames: string[];
  stepNames: string[];
}

export function commandJob(root: Field): CheckedJob {
  root.keys(COMMAND_JOB_KEYS, 'a command job');
  const inputs = jobInputs(root.child('inputs'));
  const outputs = jobOutputs(root.child('outputs'));
  const parts = commandParts(root, { inputs: [...inputs.keys()], outputs: [...outputs.keys()] });
  const properties: Json = { jobType: 'Command', ...metadata(root) };
  const compute = root.child('compute');
  if (compute.present) properties.computeId = computeRef(compute);
  Object.assign(properties, parts.rest);
  if (inputs.size > 0) properties.inputs = restInputs(inputs);
  if (outputs.size > 0) properties.outputs = restOutputs(outputs);
  const limits = root.child('limits');
  if (limits.present) {
    limits.keys(['timeout'], 'limits');
    const timeout = limits.child('timeout');
    properties.limits = {
      jobLimitsType: 'Command',
      ...(timeout.present ? { timeout: duration(timeout) } : {}),
    };
  }
  Object.assign(properties, optionalParts(root));
  return { properties, outputNames: [...outputs.keys()], stepNames: [] };
}

/** identity, queue_settings, services: present only when written. */
export function optionalParts(root: Field, options: { queue?: boolean; services?: boolean } = {}): Json {
  const result: Json = {};
  const identityRest = identity(root.child('identity'));
  if (identityRest) result.identity = identityRest;
  if (options.queue !== false) {
    const queue = queueSettings(root.child('queue_settings'));
    if (queue) result.queueSettings = queue;
  }
  if (options.services !== false) {
    const servicesRest = services(root.child('services'));
    if (servicesRest) result.services = servicesRest;
  }
  return result;
}
