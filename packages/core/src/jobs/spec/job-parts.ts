// The parts command, pipeline and sweep jobs share: inputs, outputs, resources, distribution,
// limits, identity, queue settings and services, from CLI v2 YAML to the REST form.
import type { Deferred } from './deferred';
import type { Field } from './field';
import { dataUri, isRemoteUri } from './references';

type Json = Record<string, unknown>;

export const DATA_INPUT_TYPES = [
  'uri_file',
  'uri_folder',
  'mltable',
  'mlflow_model',
  'custom_model',
  'triton_model',
];
export const LITERAL_TYPES = ['string', 'integer', 'number', 'boolean'];
export const OUTPUT_TYPES = DATA_INPUT_TYPES;

export const INPUT_MODES = {
  ro_mount: 'ReadOnlyMount',
  rw_mount: 'ReadWriteMount',
  download: 'Download',
  direct: 'Direct',
  eval_mount: 'EvalMount',
  eval_download: 'EvalDownload',
} as const;
export const OUTPUT_MODES = { rw_mount: 'ReadWriteMount', upload: 'Upload', direct: 'Direct' } as const;

const typeChoices = (types: readonly string[]) =>
  Object.fromEntries(types.map((type) => [type, type])) as Record<string, string>;

/** The type a literal value declares in a component spec. */
export function literalTypeOf(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return 'string';
}

export interface CheckedInput {
  /** `uri_folder`, … or a literal type (`string`, `integer`, `number`, `boolean`). */
  type: string;
  /** The REST JobInput (camelCase); `uri` may be Deferred. */
  rest: Json;
}

/** One job input: a literal value, or a mapping with `type` and `path` (or `value`). */
export function jobInput(field: Field): CheckedInput {
  if (!field.isMapping) {
    if (Array.isArray(field.value) || !field.present) {
      field.fail(
        `input '${field.path.at(-1)}' must be a value or a mapping with \`type\` and \`path\``,
        'Write `name: 0.01` for a literal, or `name: {type: uri_folder, path: ./data}` for data.',
      );
    }
    return { type: literalTypeOf(field.value), rest: { jobInputType: 'literal', value: field.scalarText() } };
  }
  field.keys(['type', 'path', 'mode', 'description', 'value', 'default'], `input '${field.path.at(-1)}'`);
  const type = field.child('type').present
    ? field.child('type').choice(typeChoices([...DATA_INPUT_TYPES, ...LITERAL_TYPES]))
    : 'uri_folder';
  const description = field.child('description').optionalString();
  const withDescription = (rest: Json): Json => (description === undefined ? rest : { ...rest, description });
  if (LITERAL_TYPES.includes(type)) {
    for (const key of ['path', 'mode']) {
      if (field.child(key).present) {
        field
          .child(key)
          .fail(
            `a ${type} input has no '${key}'`,
            `Give the value as \`value:\`, or use a data type such as uri_folder.`,
            { atKey: true },
          );
      }
    }
    const value = field.child('value').present ? field.child('value') : field.child('default');
    value.required('0.01');
    return { type, rest: withDescription({ jobInputType: 'literal', value: value.scalarText() }) };
  }
  const pathField = field.child('path').required('./data');
  const uri = dataUri(pathField, pathField.string('./data'));
  const mode = field.child('mode').optionalChoice(INPUT_MODES);
  return { type, rest: withDescription({ jobInputType: type, uri, ...(mode ? { mode } : {}) }) };
}

export interface CheckedOutput {
  type: string;
  /** The REST JobOutput (camelCase). */
  rest: Json;
}

/** One job output: empty (a uri_folder in the default location) or a mapping. */
export function jobOutput(field: Field): CheckedOutput {
  if (!field.present) return { type: 'uri_folder', rest: { jobOutputType: 'uri_folder' } };
  if (!field.isMapping) {
    field.fail(
      `output '${field.path.at(-1)}' must be empty or a mapping with \`type\` (and optionally \`mode\`, \`path\`, \`name\`)`,
      'Write `name:` with nothing after it for a folder output, or `name: {type: uri_file, mode: upload}`.',
    );
  }
  field.keys(['type', 'mode', 'path', 'name', 'version', 'description'], `output '${field.path.at(-1)}'`);
  const type = field.child('type').present
    ? field.child('type').choice(typeChoices(OUTPUT_TYPES))
    : 'uri_folder';
  const rest: Json = { jobOutputType: type };
  const mode = field.child('mode').optionalChoice(OUTPUT_MODES);
  if (mode) rest.mode = mode;
  const pathField = field.child('path');
  if (pathField.present) {
    const path = pathField.string('azureml://datastores/workspaceblobstore/paths/outputs/');
    if (!isRemoteUri(path)) {
      pathField.fail(
        `output path '${path}' is not a datastore URI; outputs are written to a datastore, not a local folder`,
        'Write `path: azureml://datastores/<datastore>/paths/<folder>/`, or remove `path` for the default location.',
      );
    }
    rest.uri = path;
  }
  const name = field.child('name').optionalString('my-model');
  if (name !== undefined) rest.assetName = name;
  if (field.child('version').present) {
    field
      .child('version')
      .fail(
        'an output asset version cannot be chosen at api-version 2025-12-01 (the REST JobOutput has assetName only)',
        'Remove `version`; the service registers the output as the next version of `name`.',
        { atKey: true },
      );
  }
  const description = field.child('description').optionalString();
  if (description !== undefined) rest.description = description;
  return { type, rest };
}

export function jobInputs(field: Field): Map<string, CheckedInput> {
  return new Map(
    field
      .entries('learning_rate: 0.01')
      .map(([name, child]) => [checkName(child, name, 'input'), jobInput(child)]),
  );
}

export function jobOutputs(field: Field): Map<string, CheckedOutput> {
  return new Map(
    field
      .entries('model: {type: uri_folder}')
      .map(([name, child]) => [checkName(child, name, 'output'), jobOutput(child)]),
  );
}

const NAME = /^[A-Za-z_][\w]*$/;

/** Input, output and step names: letters, digits and underscores, not starting with a digit. */
export function checkName(field: Field, name: string, what: string): string {
  if (!NAME.test(name)) {
    field.fail(
      `${what} name '${name}' is not valid: use letters, digits and '_' only, starting with a letter or '_'`,
      `Rename it, e.g. '${name.replace(/\W/g, '_').replace(/^(\d)/, '_$1')}'.`,
      { atKey: true },
    );
  }
  return name;
}

export const restInputs = (inputs: Map<string, CheckedInput>): Json =>
  Object.fromEntries([...inputs].map(([name, input]) => [name, input.rest]));
export const restOutputs = (outputs: Map<string, CheckedOutput>): Json =>
  Object.fromEntries([...outputs].map(([name, output]) => [name, output.rest]));

/** `resources` in CLI form, checked, and its REST form. */
export function resources(field: Field): { cli: Json; rest: Json } | undefined {
  if (!field.present) return undefined;
  field.keys(['instance_count', 'instance_type', 'shm_size', 'properties', 'docker_args'], 'resources');
  const cli: Json = {};
  const rest: Json = {};
  const instanceCount = field.child('instance_count').optionalInteger({ min: 1 });
  if (instanceCount !== undefined) [cli.instance_count, rest.instanceCount] = [instanceCount, instanceCount];
  const instanceType = field.child('instance_type').optionalString('Standard_DS3_v2');
  if (instanceType !== undefined) [cli.instance_type, rest.instanceType] = [instanceType, instanceType];
  const shm = field.child('shm_size');
  if (shm.present) {
    const text = shm.scalarText();
    if (!/^\d+[bBkKmMgG]$/.test(text)) {
      shm.fail(
        `'resources.shm_size' is '${text}', not a size`,
        'Write a number with a unit b, k, m or g, e.g. `shm_size: 2g`.',
      );
    }
    [cli.shm_size, rest.shmSize] = [text, text];
  }
  const properties = field.child('properties');
  if (properties.present) {
    properties.entries('key: value');
    [cli.properties, rest.properties] = [properties.value, properties.value];
  }
  const dockerArgs = field.child('docker_args').optionalString('--ipc=host');
  if (dockerArgs !== undefined) [cli.docker_args, rest.dockerArgs] = [dockerArgs, dockerArgs];
  return { cli, rest };
}

const DISTRIBUTIONS = { pytorch: 'PyTorch', mpi: 'Mpi', tensorflow: 'TensorFlow' } as const;

/** `distribution` in CLI form, checked, and its REST form. */
export function distribution(field: Field): { cli: Json; rest: Json } | undefined {
  if (!field.present) return undefined;
  if (!field.isMapping)
    field.fail(
      `'${field.label}' must be a mapping`,
      'Write e.g. `distribution: {type: pytorch, process_count_per_instance: 2}`.',
    );
  const typeField = field.child('type').required('pytorch');
  const distributionType = typeField.choice(DISTRIBUTIONS);
  const cli: Json = { type: String(typeField.value).toLowerCase() };
  const rest: Json = { distributionType };
  if (distributionType === 'TensorFlow') {
    field.keys(['type', 'worker_count', 'parameter_server_count'], 'a tensorflow distribution');
    const workers = field.child('worker_count').optionalInteger({ min: 1 });
    if (workers !== undefined) [cli.worker_count, rest.workerCount] = [workers, workers];
    const servers = field.child('parameter_server_count').optionalInteger({ min: 0 });
    if (servers !== undefined) [cli.parameter_server_count, rest.parameterServerCount] = [servers, servers];
  } else {
    field.keys(['type', 'process_count_per_instance'], `a ${cli.type} distribution`);
    const count = field.child('process_count_per_instance').optionalInteger({ min: 1 });
    if (count !== undefined) [cli.process_count_per_instance, rest.processCountPerInstance] = [count, count];
  }
  return { cli, rest };
}

/** An ISO 8601 duration from CLI seconds (`3600` → `PT1H`); ISO 8601 text passes through. */
export function duration(field: Field): string {
  if (typeof field.value === 'string' && /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(field.value)) {
    return field.value;
  }
  const seconds = field.integer({ min: 1, example: 3600 });
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest ? `${rest}S` : ''}`;
}

const IDENTITIES = { aml_token: 'AMLToken', managed: 'Managed', user_identity: 'UserIdentity' } as const;
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export function identity(field: Field): Json | undefined {
  if (!field.present) return undefined;
  if (!field.isMapping)
    field.fail(`'${field.label}' must be a mapping`, 'Write e.g. `identity: {type: managed}`.');
  const identityType = field.child('type').required('user_identity').choice(IDENTITIES);
  if (identityType !== 'Managed') {
    field.keys(['type'], 'identity');
    return { identityType };
  }
  field.keys(['type', 'client_id', 'object_id', 'msi_resource_id'], 'a managed identity');
  const rest: Json = { identityType };
  for (const [key, restKey] of [
    ['client_id', 'clientId'],
    ['object_id', 'objectId'],
  ] as const) {
    const value = field.child(key).optionalString('00000000-0000-0000-0000-000000000000');
    if (value === undefined) continue;
    if (!GUID.test(value))
      field
        .child(key)
        .fail(
          `'identity.${key}' is '${value}', not a GUID`,
          'Use the identity’s GUID, e.g. 00000000-0000-0000-0000-000000000000.',
        );
    rest[restKey] = value;
  }
  const resourceId = field.child('msi_resource_id').optionalString();
  if (resourceId !== undefined) rest.resourceId = resourceId;
  return rest;
}

const JOB_TIERS = {
  null: 'Null',
  spot: 'Spot',
  basic: 'Basic',
  standard: 'Standard',
  premium: 'Premium',
} as const;

export function queueSettings(field: Field): Json | undefined {
  if (!field.present) return undefined;
  field.keys(['job_tier'], 'queue_settings');
  const tier = field.child('job_tier');
  return tier.present ? { jobTier: tier.choice(JOB_TIERS) } : {};
}

const SERVICE_TYPES = {
  jupyter_lab: 'JupyterLab',
  ssh: 'SSH',
  tensor_board: 'TensorBoard',
  vs_code: 'VSCode',
} as const;

export function services(field: Field): Json | undefined {
  if (!field.present) return undefined;
  const result: Json = {};
  for (const [name, service] of field.entries('my_ssh: {type: ssh}')) {
    service.keys(['type', 'nodes', 'port', 'properties', 'ssh_public_keys', 'log_dir'], `service '${name}'`);
    const rest: Json = { jobServiceType: service.child('type').required('ssh').choice(SERVICE_TYPES) };
    const nodes = service.child('nodes');
    if (nodes.present) {
      nodes.choice({ all: 'All' });
      rest.nodes = { nodesValueType: 'All' };
    }
    const port = service.child('port').optionalInteger({ min: 1 });
    if (port !== undefined) rest.port = port;
    const properties: Record<string, string> = { ...service.child('properties').stringMap() };
    const keys = service.child('ssh_public_keys').optionalString();
    if (keys !== undefined) properties.sshPublicKeys = keys;
    const logDir = service.child('log_dir').optionalString();
    if (logDir !== undefined) properties.logDir = logDir;
    if (Object.keys(properties).length > 0) rest.properties = properties;
    result[name] = rest;
  }
  return result;
}

/** REST JobInput (camelCase) → the snake_case form of pipeline node inputs. */
export function nodeInput(rest: Json): Json {
  const { jobInputType, ...others } = rest;
  return { job_input_type: jobInputType, ...others };
}

export type MaybeDeferred = Deferred | string;
