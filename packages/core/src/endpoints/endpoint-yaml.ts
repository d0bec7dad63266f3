// The CLI v2 `managedOnlineEndpoint` and `managedOnlineDeployment` (or `kubernetesOnlineDeployment`)
// YAML, read strictly with file and line in every error: unknown or mis-cased keys, `traffic:` in a
// deployment file (traffic belongs to the endpoint), bad values. The result is the REST shape
// (camelCase, ISO durations) plus the references still to resolve (model, environment, code).

import path from 'node:path';
import { Field, isRecord } from '../jobs/spec/field';
import type { SourceLocation } from '../jobs/spec/types';
import { YamlSource } from '../jobs/spec/yaml-source';
import type { TrafficMap } from './traffic';

export const AUTH_MODES = { key: 'Key', aml_token: 'AMLToken', aad_token: 'AADToken' } as const;
export type AuthMode = (typeof AUTH_MODES)[keyof typeof AUTH_MODES];

export interface EndpointSpec {
  name?: string | undefined;
  /** Where `name` is written, for mismatch errors. */
  nameAt?: SourceLocation | undefined;
  authMode?: AuthMode | undefined;
  description?: string | undefined;
  tags?: Record<string, string> | undefined;
  publicNetworkAccess?: 'Enabled' | 'Disabled' | undefined;
  identity?: Record<string, unknown> | undefined;
  traffic?: TrafficMap | undefined;
  mirrorTraffic?: TrafficMap | undefined;
}

export interface DeploymentSpec {
  kind: 'Managed' | 'Kubernetes';
  name?: string | undefined;
  nameAt?: SourceLocation | undefined;
  endpointName?: string | undefined;
  endpointNameAt?: SourceLocation | undefined;
  /** As written: `azureml:name:version`, `azureml:name@latest`, a registry URI or an ARM id. */
  model?: string | undefined;
  modelAt?: SourceLocation | undefined;
  /** Absolute local folder of the scoring code. */
  codePath?: string | undefined;
  scoringScript?: string | undefined;
  /** A registered environment as written, or an inline one. */
  environment?: string | { image: string; condaFile?: string | undefined } | undefined;
  environmentAt?: SourceLocation | undefined;
  instanceType?: string | undefined;
  instanceCount?: number | undefined;
  /** REST properties taken over as they are (scaleSettings, requestSettings, probes, …). */
  properties: Record<string, unknown>;
  tags?: Record<string, string> | undefined;
}

const ENDPOINT_KEYS = [
  '$schema',
  'name',
  'description',
  'tags',
  'auth_mode',
  'identity',
  'public_network_access',
  'traffic',
  'mirror_traffic',
  'kind',
  'properties',
];
const DEPLOYMENT_KEYS = [
  '$schema',
  'name',
  'endpoint_name',
  'description',
  'tags',
  'type',
  'model',
  'code_configuration',
  'environment',
  'instance_type',
  'instance_count',
  'scale_settings',
  'request_settings',
  'liveness_probe',
  'readiness_probe',
  'environment_variables',
  'app_insights_enabled',
  'egress_public_network_access',
  'data_collector',
  'properties',
  'model_mount_path',
];
const PROBE_KEYS = ['initial_delay', 'period', 'timeout', 'success_threshold', 'failure_threshold'];
const REQUEST_KEYS = ['request_timeout_ms', 'max_concurrent_requests_per_instance', 'max_queue_wait_ms'];
const SCALE_KEYS = [
  'type',
  'min_instances',
  'max_instances',
  'target_utilization_percentage',
  'polling_interval',
  'scale_down_delay',
];

export function readEndpointYaml(file: string, text: string): EndpointSpec {
  const root = Field.root(new YamlSource(file, text));
  if (!root.isMapping)
    root.fail(
      'the endpoint file is not a mapping',
      'Write `name: <endpoint>` and `auth_mode: key` at the top level.',
    );
  root.keys(ENDPOINT_KEYS, 'the endpoint');
  const name = root.child('name');
  const traffic = root.child('traffic');
  const mirror = root.child('mirror_traffic');
  return {
    name: name.optionalString('churn-endpoint'),
    ...(name.present ? { nameAt: name.at() } : {}),
    authMode: root.child('auth_mode').optionalChoice(AUTH_MODES),
    description: root.child('description').optionalString(),
    tags: root.child('tags').stringMap(),
    publicNetworkAccess: root
      .child('public_network_access')
      .optionalChoice({ enabled: 'Enabled', disabled: 'Disabled' } as const),
    identity: identityOf(root.child('identity')),
    traffic: traffic.present ? percentMap(traffic) : undefined,
    mirrorTraffic: mirror.present ? percentMap(mirror) : undefined,
  };
}

/** `file` as the user wrote it (for messages); its relative paths are resolved against `baseDir`. */
export function readDeploymentYaml(file: string, text: string, baseDir = '.'): DeploymentSpec {
  const root = Field.root(new YamlSource(file, text));
  if (!root.isMapping)
    root.fail(
      'the deployment file is not a mapping',
      'Write `name: blue`, `endpoint_name: …` and `model: azureml:<name>:<version>` at the top level.',
    );
  const traffic = root.child('traffic');
  if (traffic.present) {
    traffic.fail(
      "'traffic' is not part of a deployment: traffic is set on the endpoint",
      'Remove `traffic:` from the deployment file; deploy-endpoint moves traffic through its strategy (or put `traffic:` in the endpoint file).',
      { atKey: true },
    );
  }
  root.keys(DEPLOYMENT_KEYS, 'the deployment');
  const schema = String(root.child('$schema').value ?? '');
  const type = root.child('type').optionalChoice({ managed: 'Managed', kubernetes: 'Kubernetes' } as const);
  const kind = type ?? (/kubernetesOnlineDeployment/i.test(schema) ? 'Kubernetes' : 'Managed');
  const name = root.child('name');
  const endpointName = root.child('endpoint_name');
  const model = root.child('model');
  if (model.present && typeof model.value !== 'string') {
    model.fail(
      'an inline model is not supported here',
      'Register the model first (register-model) and write `model: azureml:<name>:<version>`, or pass it in the model input.',
    );
  }
  const { codePath, scoringScript } = codeConfiguration(
    root.child('code_configuration'),
    file,
    baseDir,
    'score.py',
  );
  const environment = root.child('environment');
  const properties: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) properties[key] = value;
  };
  set('description', root.child('description').optionalString());
  set('environmentVariables', root.child('environment_variables').stringMap());
  set('appInsightsEnabled', root.child('app_insights_enabled').optionalBoolean());
  set(
    'egressPublicNetworkAccess',
    root
      .child('egress_public_network_access')
      .optionalChoice({ enabled: 'Enabled', disabled: 'Disabled' } as const),
  );
  set('requestSettings', requestSettings(root.child('request_settings')));
  set('livenessProbe', probe(root.child('liveness_probe')));
  set('readinessProbe', probe(root.child('readiness_probe')));
  set('scaleSettings', scaleSettings(root.child('scale_settings')));
  set('modelMountPath', root.child('model_mount_path').optionalString());
  const collector = root.child('data_collector');
  if (collector.present) {
    if (!collector.isMapping)
      collector.fail(
        "'data_collector' must be a mapping",
        'Write `data_collector: { collections: { model_inputs: { enabled: "True" } } }`.',
      );
    // Collection names are the user's (model_inputs, …): only the keys inside them are REST keys.
    // The CLI writes `sampling_rate` once for all collections (REST has it on each) and
    // `rolling_rate: hour` (REST `Hour`).
    const {
      collections,
      sampling_rate: samplingRate,
      rolling_rate: rollingRate,
      ...rest
    } = collector.value as Record<string, unknown>;
    set('dataCollector', {
      ...(camelize(rest) as Record<string, unknown>),
      ...(typeof rollingRate === 'string'
        ? { rollingRate: `${rollingRate.charAt(0).toUpperCase()}${rollingRate.slice(1).toLowerCase()}` }
        : {}),
      ...(isRecord(collections)
        ? {
            collections: Object.fromEntries(
              Object.entries(collections).map(([name, v]) => [name, collectionOf(v, samplingRate)]),
            ),
          }
        : {}),
    });
  }
  const extra = root.child('properties').stringMap();
  if (extra) set('properties', extra);
  return {
    kind,
    name: name.optionalString('blue'),
    ...(name.present ? { nameAt: name.at() } : {}),
    endpointName: endpointName.optionalString('churn-endpoint'),
    ...(endpointName.present ? { endpointNameAt: endpointName.at() } : {}),
    model: model.optionalString('azureml:churn:3'),
    ...(model.present ? { modelAt: model.at() } : {}),
    codePath,
    scoringScript,
    environment: environmentOf(environment, file, baseDir),
    ...(environment.present ? { environmentAt: environment.at() } : {}),
    instanceType: root.child('instance_type').optionalString('Standard_DS3_v2'),
    instanceCount: root.child('instance_count').optionalInteger({ min: 1, example: 1 }),
    properties,
    tags: root.child('tags').stringMap(),
  };
}

function percentMap(field: Field): TrafficMap {
  return Object.fromEntries(
    field.entries('blue: 100').map(([name, child]) => [name, child.integer({ min: 0, example: 100 })]),
  );
}

function identityOf(field: Field): Record<string, unknown> | undefined {
  if (!field.present) return undefined;
  field.keys(['type', 'user_assigned_identities'], 'identity');
  const type = field
    .child('type')
    .required('system_assigned')
    .choice({
      system_assigned: 'SystemAssigned',
      user_assigned: 'UserAssigned',
      'system_assigned,user_assigned': 'SystemAssigned,UserAssigned',
      none: 'None',
    } as const);
  const users = field.child('user_assigned_identities');
  const userAssigned: Record<string, Record<string, never>> = {};
  if (users.present) {
    if (!Array.isArray(users.value))
      users.fail(
        "'identity.user_assigned_identities' must be a list",
        'Write a list of `- resource_id: /subscriptions/…/userAssignedIdentities/<name>`.',
      );
    (users.value as unknown[]).forEach((_, index) => {
      const id = users.child(index).child('resource_id').required('/subscriptions/…').string();
      userAssigned[id] = {};
    });
  }
  return { type, ...(users.present ? { userAssignedIdentities: userAssigned } : {}) };
}

function environmentOf(field: Field, file: string, baseDir: string): DeploymentSpec['environment'] {
  if (!field.present) return undefined;
  if (typeof field.value === 'string') return field.value;
  field.keys(['image', 'conda_file', 'name', 'version', 'description', '$schema'], 'environment');
  const image = field
    .child('image')
    .required('mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest')
    .string();
  const conda = field.child('conda_file').optionalString('conda.yml');
  return { image, ...(conda ? { condaFile: path.resolve(baseDir, path.dirname(file), conda) } : {}) };
}

function seconds(field: Field): string | undefined {
  const value = field.optionalInteger({ min: 0, example: 10 });
  return value === undefined ? undefined : `PT${value}S`;
}

function probe(field: Field): Record<string, unknown> | undefined {
  if (!field.present) return undefined;
  field.keys(PROBE_KEYS, field.label);
  return compact({
    initialDelay: seconds(field.child('initial_delay')),
    period: seconds(field.child('period')),
    timeout: seconds(field.child('timeout')),
    successThreshold: field.child('success_threshold').optionalInteger({ min: 1, example: 1 }),
    failureThreshold: field.child('failure_threshold').optionalInteger({ min: 1, example: 30 }),
  });
}

function requestSettings(field: Field): Record<string, unknown> | undefined {
  if (!field.present) return undefined;
  field.keys(REQUEST_KEYS, 'request_settings');
  const timeout = field.child('request_timeout_ms').optionalInteger({ min: 1, example: 5000 });
  const wait = field.child('max_queue_wait_ms').optionalInteger({ min: 1, example: 500 });
  return compact({
    requestTimeout: timeout === undefined ? undefined : isoMilliseconds(timeout),
    maxQueueWait: wait === undefined ? undefined : isoMilliseconds(wait),
    maxConcurrentRequestsPerInstance: field
      .child('max_concurrent_requests_per_instance')
      .optionalInteger({ min: 1, example: 1 }),
  });
}

function scaleSettings(field: Field): Record<string, unknown> | undefined {
  if (!field.present) return undefined;
  field.keys(SCALE_KEYS, 'scale_settings');
  const type = field
    .child('type')
    .required('default')
    .choice({ default: 'Default', target_utilization: 'TargetUtilization' } as const);
  if (type === 'Default') return { scaleType: 'Default' };
  return compact({
    scaleType: type,
    minInstances: field.child('min_instances').optionalInteger({ min: 0, example: 1 }),
    maxInstances: field.child('max_instances').optionalInteger({ min: 1, example: 3 }),
    targetUtilizationPercentage: field
      .child('target_utilization_percentage')
      .optionalInteger({ min: 1, example: 70 }),
    pollingInterval: seconds(field.child('polling_interval')),
  });
}

/** `PT5S`, `PT0.5S`: the REST form of a millisecond duration. */
export function isoMilliseconds(ms: number): string {
  return `PT${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(3).replace(/0+$/, '')}S`;
}

/** `code_configuration`: the code folder (relative to the YAML file, under baseDir) and the script in it. */
function codeConfiguration(
  code: Field,
  file: string,
  baseDir: string,
  scriptExample: string,
): { codePath?: string | undefined; scoringScript?: string | undefined } {
  if (!code.present) return {};
  code.keys(['code', 'scoring_script'], 'code_configuration');
  const codeText = code.child('code').required('../src').string('../src');
  return {
    codePath: path.resolve(baseDir, path.dirname(file), codeText.replace(/^file:/, '')),
    scoringScript: code.child('scoring_script').required(scriptExample).string(scriptExample),
  };
}

function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** A CLI data collection (`enabled: 'True'`) as REST (`dataCollectionMode: 'Enabled'`). */
function collectionOf(value: unknown, samplingRate: unknown): unknown {
  if (!isRecord(value)) return value;
  const { enabled, ...rest } = value;
  return {
    ...(samplingRate !== undefined && samplingRate !== null ? { samplingRate } : {}),
    ...(camelize(rest) as Record<string, unknown>),
    ...(enabled !== undefined && enabled !== null
      ? { dataCollectionMode: String(enabled).toLowerCase() === 'true' ? 'Enabled' : 'Disabled' }
      : {}),
  };
}

function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      camelize(v),
    ]),
  );
}

/** A CLI v2 `batchDeployment` (model deployment) file. */
export interface BatchDeploymentSpec {
  name?: string | undefined;
  nameAt?: SourceLocation | undefined;
  endpointName?: string | undefined;
  endpointNameAt?: SourceLocation | undefined;
  model?: string | undefined;
  compute?: string | undefined;
  codePath?: string | undefined;
  scoringScript?: string | undefined;
  environment?: DeploymentSpec['environment'];
  /** REST properties: miniBatchSize, retrySettings, errorThreshold, outputAction, … */
  properties: Record<string, unknown>;
  tags?: Record<string, string> | undefined;
}

const BATCH_KEYS = [
  '$schema',
  'name',
  'endpoint_name',
  'type',
  'description',
  'tags',
  'model',
  'code_configuration',
  'environment',
  'compute',
  'resources',
  'settings',
  'max_concurrency_per_instance',
  'mini_batch_size',
  'retry_settings',
  'error_threshold',
  'output_action',
  'output_file_name',
  'logging_level',
  'environment_variables',
];

export function readBatchDeploymentYaml(file: string, text: string, baseDir = '.'): BatchDeploymentSpec {
  const root = Field.root(new YamlSource(file, text));
  if (!root.isMapping)
    root.fail(
      'the batch deployment file is not a mapping',
      'Write `name:`, `endpoint_name:`, `model:` and `compute:` at the top level.',
    );
  root.keys(BATCH_KEYS, 'the batch deployment');
  // Newer CLI files nest the run settings under `settings:`; older ones keep them at the top.
  const settings = root.child('settings');
  if (settings.present)
    settings.keys(
      BATCH_KEYS.filter(
        (key) =>
          ![
            '$schema',
            'name',
            'endpoint_name',
            'type',
            'model',
            'code_configuration',
            'environment',
            'compute',
            'resources',
            'settings',
            'tags',
            'description',
          ].includes(key),
      ),
      'settings',
    );
  const pick = (key: string) =>
    settings.present && settings.child(key).present ? settings.child(key) : root.child(key);
  const properties: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) properties[key] = value;
  };
  set('description', root.child('description').optionalString());
  set('miniBatchSize', pick('mini_batch_size').optionalInteger({ min: 1, example: 10 }));
  set(
    'maxConcurrencyPerInstance',
    pick('max_concurrency_per_instance').optionalInteger({ min: 1, example: 2 }),
  );
  set('errorThreshold', pick('error_threshold').optionalInteger({ min: -1, example: -1 }));
  set(
    'outputAction',
    pick('output_action').optionalChoice({ append_row: 'AppendRow', summary_only: 'SummaryOnly' } as const),
  );
  set('outputFileName', pick('output_file_name').optionalString('predictions.csv'));
  set(
    'loggingLevel',
    pick('logging_level').optionalChoice({ info: 'Info', warning: 'Warning', debug: 'Debug' } as const),
  );
  set('environmentVariables', pick('environment_variables').stringMap());
  const retry = pick('retry_settings');
  if (retry.present) {
    retry.keys(['max_retries', 'timeout'], 'retry_settings');
    set(
      'retrySettings',
      compact({
        maxRetries: retry.child('max_retries').optionalInteger({ min: 0, example: 3 }),
        timeout: seconds(retry.child('timeout')),
      }),
    );
  }
  const resources = root.child('resources');
  if (resources.present) {
    resources.keys(['instance_count', 'instance_type', 'properties'], 'resources');
    set(
      'resources',
      compact({ instanceCount: resources.child('instance_count').optionalInteger({ min: 1, example: 2 }) }),
    );
  }
  const { codePath, scoringScript } = codeConfiguration(
    root.child('code_configuration'),
    file,
    baseDir,
    'batch_score.py',
  );
  const name = root.child('name');
  const endpointName = root.child('endpoint_name');
  const compute = root.child('compute').optionalString('azureml:cpu-cluster');
  return {
    name: name.optionalString('default'),
    ...(name.present ? { nameAt: name.at() } : {}),
    endpointName: endpointName.optionalString(),
    ...(endpointName.present ? { endpointNameAt: endpointName.at() } : {}),
    model: root.child('model').optionalString('azureml:churn:3'),
    compute,
    codePath,
    scoringScript,
    environment: environmentOf(root.child('environment'), file, baseDir),
    properties,
    tags: root.child('tags').stringMap(),
  };
}
