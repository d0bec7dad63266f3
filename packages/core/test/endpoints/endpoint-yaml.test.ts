// The CLI v2 endpoint, online deployment and batch deployment YAML readers: realistic files map to
// the REST shape (camelCase, ISO 8601 durations), and bad files fail with a ConfigurationError at
// the right line of the right file, with a fix.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isoMilliseconds,
  readBatchDeploymentYaml,
  readDeploymentYaml,
  readEndpointYaml,
} from '../../src/endpoints/endpoint-yaml';
import { ConfigurationError } from '../../src/errors';

// The readers only parse text; the file name is used for locations and relative paths.
const DIR = path.resolve('/repo/deploy');
const ENDPOINT_FILE = path.join(DIR, 'endpoint.yml');
const DEPLOYMENT_FILE = path.join(DIR, 'blue.yml');
const BATCH_FILE = path.join(DIR, 'batch-deployment.yml');
const UAI =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/scorer';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The ConfigurationError `read` throws (fails the test when it does not throw one). */
function configurationError(read: () => unknown): ConfigurationError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, but the file was read');
}

describe('readEndpointYaml', () => {
  it('maps a full managedOnlineEndpoint file to the REST fields', () => {
    const text = yaml(
      '$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json',
      'name: churn-endpoint',
      'description: Churn scoring',
      'auth_mode: aml_token',
      'public_network_access: disabled',
      'tags:',
      '  team: ml',
      '  cost_center: 4711',
      'identity:',
      '  type: system_assigned,user_assigned',
      '  user_assigned_identities:',
      `    - resource_id: ${UAI}`,
      'traffic:',
      '  blue: 90',
      '  green: 10',
      'mirror_traffic:',
      '  green: 20',
    );
    expect(readEndpointYaml(ENDPOINT_FILE, text)).toEqual({
      name: 'churn-endpoint',
      nameAt: { file: ENDPOINT_FILE, line: 2, column: 7 },
      authMode: 'AMLToken',
      description: 'Churn scoring',
      tags: { team: 'ml', cost_center: '4711' },
      publicNetworkAccess: 'Disabled',
      identity: { type: 'SystemAssigned,UserAssigned', userAssignedIdentities: { [UAI]: {} } },
      traffic: { blue: 90, green: 10 },
      mirrorTraffic: { green: 20 },
    });
  });

  it.each([
    ['key', 'Key'],
    ['aml_token', 'AMLToken'],
    ['aad_token', 'AADToken'],
    // CLI values are matched case-insensitively.
    ['Key', 'Key'],
    ['AML_TOKEN', 'AMLToken'],
  ])('auth_mode %s → %s', (written, rest) => {
    expect(readEndpointYaml(ENDPOINT_FILE, yaml('name: e', `auth_mode: ${written}`)).authMode).toBe(rest);
  });

  it('leaves out what the file does not say', () => {
    const spec = readEndpointYaml(ENDPOINT_FILE, yaml('name: e'));
    expect(spec.name).toBe('e');
    expect(spec.authMode).toBeUndefined();
    expect(spec.traffic).toBeUndefined();
    expect(spec.identity).toBeUndefined();
    // An empty file is an empty mapping, not an error.
    expect(readEndpointYaml(ENDPOINT_FILE, '')).toEqual({
      name: undefined,
      authMode: undefined,
      description: undefined,
      tags: undefined,
      publicNetworkAccess: undefined,
      identity: undefined,
      traffic: undefined,
      mirrorTraffic: undefined,
    });
  });

  it('reads a system-assigned identity without user identities', () => {
    const spec = readEndpointYaml(ENDPOINT_FILE, yaml('name: e', 'identity:', '  type: system_assigned'));
    expect(spec.identity).toEqual({ type: 'SystemAssigned' });
  });
});

const FULL_DEPLOYMENT = yaml(
  '$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json',
  'name: blue',
  'endpoint_name: churn-endpoint',
  'description: First churn model',
  'tags:',
  '  stage: canary',
  'model: azureml:churn:3',
  'code_configuration:',
  '  code: ../src',
  '  scoring_script: score.py',
  'environment:',
  '  image: mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest',
  '  conda_file: env/conda.yml',
  'instance_type: Standard_DS3_v2',
  'instance_count: 2',
  'app_insights_enabled: true',
  'egress_public_network_access: disabled',
  'environment_variables:',
  '  LOG_LEVEL: debug',
  '  WORKERS: 2',
  '  VERBOSE: true',
  'request_settings:',
  '  request_timeout_ms: 90000',
  '  max_concurrent_requests_per_instance: 4',
  '  max_queue_wait_ms: 500',
  'liveness_probe:',
  '  initial_delay: 30',
  '  period: 10',
  '  timeout: 2',
  '  success_threshold: 1',
  '  failure_threshold: 30',
  'readiness_probe:',
  '  initial_delay: 10',
  '  period: 10',
  '  timeout: 10',
  '  success_threshold: 1',
  '  failure_threshold: 3',
  'scale_settings:',
  '  type: default',
  'data_collector:',
  '  rolling_rate: hour',
  '  sampling_rate: 1',
  '  collections:',
  '    model_inputs:',
  "      enabled: 'True'",
  '    model_outputs:',
  "      enabled: 'False'",
  '      client_id: 11111111-2222-3333-4444-555555555555',
  '  request_logging:',
  '    capture_headers: [x-request-id]',
  'properties:',
  '  owner: data-science',
);

describe('readDeploymentYaml', () => {
  it('maps a full managedOnlineDeployment file to the REST fields', () => {
    expect(readDeploymentYaml(DEPLOYMENT_FILE, FULL_DEPLOYMENT)).toEqual({
      kind: 'Managed',
      name: 'blue',
      nameAt: { file: DEPLOYMENT_FILE, line: 2, column: 7 },
      endpointName: 'churn-endpoint',
      endpointNameAt: { file: DEPLOYMENT_FILE, line: 3, column: 16 },
      model: 'azureml:churn:3',
      modelAt: { file: DEPLOYMENT_FILE, line: 7, column: 8 },
      codePath: path.resolve(DIR, '../src'),
      scoringScript: 'score.py',
      environment: {
        image: 'mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest',
        condaFile: path.join(DIR, 'env/conda.yml'),
      },
      environmentAt: { file: DEPLOYMENT_FILE, line: 11, column: 1 },
      instanceType: 'Standard_DS3_v2',
      instanceCount: 2,
      tags: { stage: 'canary' },
      properties: {
        description: 'First churn model',
        environmentVariables: { LOG_LEVEL: 'debug', WORKERS: '2', VERBOSE: 'True' },
        appInsightsEnabled: true,
        egressPublicNetworkAccess: 'Disabled',
        // OnlineRequestSettings: ISO 8601 durations, not milliseconds.
        requestSettings: {
          requestTimeout: 'PT90S',
          maxQueueWait: 'PT0.5S',
          maxConcurrentRequestsPerInstance: 4,
        },
        // ProbeSettings: the CLI writes seconds, REST wants ISO 8601 durations.
        livenessProbe: {
          initialDelay: 'PT30S',
          period: 'PT10S',
          timeout: 'PT2S',
          successThreshold: 1,
          failureThreshold: 30,
        },
        readinessProbe: {
          initialDelay: 'PT10S',
          period: 'PT10S',
          timeout: 'PT10S',
          successThreshold: 1,
          failureThreshold: 3,
        },
        scaleSettings: { scaleType: 'Default' },
        // DataCollector / Collection: `enabled: 'True'` is `dataCollectionMode: 'Enabled'`, the
        // file-wide sampling rate lands on each collection, collection names stay as written.
        dataCollector: {
          rollingRate: 'Hour',
          requestLogging: { captureHeaders: ['x-request-id'] },
          collections: {
            model_inputs: { samplingRate: 1, dataCollectionMode: 'Enabled' },
            model_outputs: {
              samplingRate: 1,
              clientId: '11111111-2222-3333-4444-555555555555',
              dataCollectionMode: 'Disabled',
            },
          },
        },
        properties: { owner: 'data-science' },
      },
    });
  });

  it('reads a kubernetesOnlineDeployment with target-utilization scaling', () => {
    const spec = readDeploymentYaml(
      DEPLOYMENT_FILE,
      yaml(
        '$schema: https://azuremlschemas.azureedge.net/latest/kubernetesOnlineDeployment.schema.json',
        'name: green',
        'model: azureml:churn@latest',
        'environment: azureml:sklearn-inference:4',
        'instance_type: defaultinstancetype',
        'scale_settings:',
        '  type: target_utilization',
        '  min_instances: 1',
        '  max_instances: 5',
        '  target_utilization_percentage: 70',
        '  polling_interval: 10',
      ),
    );
    expect(spec).toMatchObject({
      kind: 'Kubernetes',
      name: 'green',
      model: 'azureml:churn@latest',
      environment: 'azureml:sklearn-inference:4',
      instanceType: 'defaultinstancetype',
      properties: {
        scaleSettings: {
          scaleType: 'TargetUtilization',
          minInstances: 1,
          maxInstances: 5,
          targetUtilizationPercentage: 70,
          pollingInterval: 'PT10S',
        },
      },
    });
    expect(spec.codePath).toBeUndefined();
  });

  it.each([
    ['type: kubernetes', 'Kubernetes'],
    ['type: managed', 'Managed'],
    // `type:` wins over the schema URL.
    ['type: managed\n$schema: https://x/kubernetesOnlineDeployment.schema.json', 'Managed'],
    ['$schema: https://x/managedOnlineDeployment.schema.json', 'Managed'],
    ['name: blue', 'Managed'],
  ])('%j → kind %s', (head, kind) => {
    expect(readDeploymentYaml(DEPLOYMENT_FILE, yaml(head, 'model: azureml:m:1')).kind).toBe(kind);
  });

  it.each([
    ['../src', path.resolve(DIR, '../src')],
    ['./score', path.join(DIR, 'score')],
    ['file:../src', path.resolve(DIR, '../src')],
    [path.resolve('/elsewhere/code'), path.resolve('/elsewhere/code')],
  ])('code_configuration.code %s is resolved against the YAML folder', (code, resolved) => {
    const spec = readDeploymentYaml(
      DEPLOYMENT_FILE,
      yaml('name: blue', 'code_configuration:', `  code: ${code}`, '  scoring_script: score.py'),
    );
    expect(spec.codePath).toBe(resolved);
  });

  it('resolves code against the folder of a YAML file given by a relative path', () => {
    const spec = readDeploymentYaml(
      'deploy/online/blue.yml',
      yaml('code_configuration:', '  code: ../../src', '  scoring_script: score.py'),
    );
    expect(spec.codePath).toBe(path.resolve('src'));
  });
});

describe('isoMilliseconds', () => {
  it.each([
    [5000, 'PT5S'],
    [90_000, 'PT90S'],
    [500, 'PT0.5S'],
    [1500, 'PT1.5S'],
    [1, 'PT0.001S'],
    [1250, 'PT1.25S'],
  ])('%i ms → %s', (ms, iso) => {
    expect(isoMilliseconds(ms)).toBe(iso);
  });
});

const FULL_BATCH_HEAD = [
  '$schema: https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json',
  'name: nightly',
  'endpoint_name: churn-batch',
  'type: model',
  'description: Nightly churn scoring',
  'tags:',
  '  schedule: nightly',
  'model: azureml:churn:3',
  'code_configuration:',
  '  code: ../src',
  '  scoring_script: batch_score.py',
  'environment: azureml:sklearn-env:2',
  'compute: azureml:cpu-cluster',
  'resources:',
  '  instance_count: 2',
];
const BATCH_SETTINGS = [
  'max_concurrency_per_instance: 2',
  'mini_batch_size: 10',
  'output_action: append_row',
  'output_file_name: predictions.csv',
  'retry_settings:',
  '  max_retries: 3',
  '  timeout: 300',
  'error_threshold: -1',
  'logging_level: info',
  'environment_variables:',
  '  BATCH_SIZE: 64',
];

describe('readBatchDeploymentYaml', () => {
  it.each([
    // Newer CLI files nest the run settings under `settings:`, older ones keep them at the top.
    ['settings: form', yaml(...FULL_BATCH_HEAD, 'settings:', ...BATCH_SETTINGS.map((line) => `  ${line}`))],
    ['top-level form', yaml(...FULL_BATCH_HEAD, ...BATCH_SETTINGS)],
  ])('maps a full modelBatchDeployment file (%s) to the REST fields', (_, text) => {
    expect(readBatchDeploymentYaml(BATCH_FILE, text)).toEqual({
      name: 'nightly',
      nameAt: { file: BATCH_FILE, line: 2, column: 7 },
      endpointName: 'churn-batch',
      endpointNameAt: { file: BATCH_FILE, line: 3, column: 16 },
      model: 'azureml:churn:3',
      compute: 'azureml:cpu-cluster',
      codePath: path.resolve(DIR, '../src'),
      scoringScript: 'batch_score.py',
      environment: 'azureml:sklearn-env:2',
      tags: { schedule: 'nightly' },
      properties: {
        description: 'Nightly churn scoring',
        miniBatchSize: 10,
        maxConcurrencyPerInstance: 2,
        errorThreshold: -1,
        outputAction: 'AppendRow',
        outputFileName: 'predictions.csv',
        loggingLevel: 'Info',
        environmentVariables: { BATCH_SIZE: '64' },
        // BatchRetrySettings.timeout is an ISO 8601 duration; the CLI writes seconds.
        retrySettings: { maxRetries: 3, timeout: 'PT300S' },
        resources: { instanceCount: 2 },
      },
    });
  });

  it('prefers a value under settings: over the same key at the top', () => {
    const spec = readBatchDeploymentYaml(
      BATCH_FILE,
      yaml('name: b', 'mini_batch_size: 5', 'settings:', '  mini_batch_size: 20'),
    );
    expect(spec.properties.miniBatchSize).toBe(20);
  });

  it.each([
    ['append_row', 'AppendRow'],
    ['summary_only', 'SummaryOnly'],
    ['APPEND_ROW', 'AppendRow'],
  ])('output_action %s → %s', (written, rest) => {
    const spec = readBatchDeploymentYaml(
      BATCH_FILE,
      yaml('name: b', 'settings:', `  output_action: ${written}`),
    );
    expect(spec.properties.outputAction).toBe(rest);
  });

  it('reads retry_settings with only one of its keys', () => {
    expect(
      readBatchDeploymentYaml(BATCH_FILE, yaml('retry_settings:', '  max_retries: 0')).properties
        .retrySettings,
    ).toEqual({ maxRetries: 0 });
    expect(
      readBatchDeploymentYaml(BATCH_FILE, yaml('settings:', '  retry_settings:', '    timeout: 30'))
        .properties.retrySettings,
    ).toEqual({ timeout: 'PT30S' });
  });

  it('resolves code against the YAML folder, with or without file:', () => {
    for (const code of ['../src', 'file:../src']) {
      const spec = readBatchDeploymentYaml(
        BATCH_FILE,
        yaml('code_configuration:', `  code: ${code}`, '  scoring_script: batch_score.py'),
      );
      expect(spec.codePath).toBe(path.resolve(DIR, '../src'));
    }
  });

  it('leaves properties empty for a minimal file', () => {
    const spec = readBatchDeploymentYaml(BATCH_FILE, yaml('name: b', 'model: azureml:churn:3'));
    expect(spec.properties).toEqual({});
    expect(spec.name).toBe('b');
    expect(spec.endpointName).toBeUndefined();
  });
});

interface ErrorCase {
  name: string;
  read: (file: string, text: string) => unknown;
  file: string;
  yaml: string;
  message: RegExp;
  /** 1-based line of the problem in the file. */
  line: number;
  /** The fix must match this. */
  fix?: RegExp;
}

const endpoint = readEndpointYaml;
const deployment = readDeploymentYaml;
const batch = readBatchDeploymentYaml;

const ERROR_CASES: ErrorCase[] = [
  // Endpoint files.
  {
    name: 'endpoint: unknown key',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'auth_mode: key', 'auth_modes: key'),
    message: /unknown key 'auth_modes' in the endpoint\. Did you mean 'auth_mode'\?/,
    line: 3,
    fix: /Rename 'auth_modes' to 'auth_mode'/,
  },
  {
    name: 'endpoint: mis-cased key',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'Auth_Mode: key'),
    message: /'Auth_Mode' is mis-cased in the endpoint: did you mean 'auth_mode'\?/,
    line: 2,
  },
  {
    name: 'endpoint: bad auth_mode',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'description: d', 'auth_mode: token'),
    message: /'auth_mode' is "token", which is not one of key, aml_token, aad_token/,
    line: 3,
    fix: /one of: key, aml_token, aad_token/,
  },
  {
    name: 'endpoint: auth_mode as a list',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'auth_mode:', '  - key'),
    message: /'auth_mode' is a list, which is not one of/,
    // A list or mapping value is shown by its key.
    line: 2,
  },
  {
    name: 'endpoint: not a mapping',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('- name: e', '- auth_mode: key'),
    message: /the endpoint file is not a mapping/,
    line: 1,
    fix: /auth_mode: key/,
  },
  {
    name: 'endpoint: traffic share as text',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'traffic:', '  blue: 90', '  green: ten'),
    message: /'traffic\.green' must be a whole number, not "ten"/,
    line: 4,
  },
  {
    name: 'endpoint: negative traffic share',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'traffic:', '  blue: -5'),
    message: /'traffic\.blue' must be at least 0, not -5/,
    line: 3,
  },
  {
    name: 'endpoint: traffic not a mapping',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'traffic: blue'),
    message: /'traffic' must be a mapping, not "blue"/,
    line: 2,
  },
  {
    name: 'endpoint: bad identity type',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'identity:', '  type: system'),
    message: /'identity\.type' is "system", which is not one of system_assigned/,
    line: 3,
  },
  {
    name: 'endpoint: YAML syntax error',
    read: endpoint,
    file: ENDPOINT_FILE,
    yaml: yaml('name: e', 'tags: [a, b', 'auth_mode: key'),
    message: /is not valid YAML/,
    line: 3,
  },
  // Online deployment files.
  {
    name: 'deployment: unknown key',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'model: azureml:m:1', 'instance_typ: Standard_DS3_v2'),
    message: /unknown key 'instance_typ' in the deployment\. Did you mean 'instance_type'\?/,
    line: 3,
  },
  {
    name: 'deployment: unknown key without a suggestion',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'replicas: 3'),
    message: /unknown key 'replicas' in the deployment\.$/,
    line: 2,
    fix: /Remove 'replicas', or use one of: .*instance_count/,
  },
  {
    name: 'deployment: mis-cased key',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'model: azureml:m:1', 'Instance_Type: Standard_DS3_v2'),
    message:
      /'Instance_Type' is mis-cased in the deployment: did you mean 'instance_type'\? \(keys are case-sensitive\)/,
    line: 3,
    fix: /Rename 'Instance_Type' to 'instance_type'/,
  },
  {
    name: 'deployment: traffic belongs to the endpoint',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'endpoint_name: e', 'model: azureml:m:1', 'traffic:', '  blue: 100'),
    message: /'traffic' is not part of a deployment: traffic is set on the endpoint/,
    line: 4,
    fix: /Remove `traffic:` from the deployment file/,
  },
  {
    // Reported before any other key problem: it is the likelier mistake.
    name: 'deployment: traffic next to an unknown key',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'replicas: 3', 'traffic: 100'),
    message: /'traffic' is not part of a deployment/,
    line: 3,
  },
  {
    name: 'deployment: instance_count as text',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'instance_type: Standard_DS3_v2', 'instance_count: "two"'),
    message: /'instance_count' must be a whole number, not "two"/,
    line: 3,
    fix: /without quotes/,
  },
  {
    name: 'deployment: instance_count zero',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'instance_count: 0'),
    message: /'instance_count' must be at least 1, not 0/,
    line: 2,
  },
  {
    name: 'deployment: instance_count fractional',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'instance_count: 1.5'),
    message: /'instance_count' must be a whole number, not 1\.5/,
    line: 2,
  },
  {
    name: 'deployment: app_insights_enabled as text',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'app_insights_enabled: "yes"'),
    message: /'app_insights_enabled' must be true or false, not "yes"/,
    line: 2,
  },
  {
    name: 'deployment: request timeout as text',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'request_settings:', '  request_timeout_ms: 5s'),
    message: /'request_settings\.request_timeout_ms' must be a whole number, not "5s"/,
    line: 3,
  },
  {
    name: 'deployment: unknown key in request_settings',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'request_settings:', '  request_timeout: 5000'),
    message: /unknown key 'request_timeout' in request_settings\. Did you mean 'request_timeout_ms'\?/,
    line: 3,
  },
  {
    name: 'deployment: mis-cased key in a probe',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'liveness_probe:', '  period: 10', '  Initial_Delay: 5'),
    message: /'Initial_Delay' is mis-cased in liveness_probe: did you mean 'initial_delay'\?/,
    line: 4,
  },
  {
    name: 'deployment: unknown key in code_configuration',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'code_configuration:', '  code: ../src', '  scoring_scrpt: score.py'),
    message: /unknown key 'scoring_scrpt' in code_configuration\. Did you mean 'scoring_script'\?/,
    line: 4,
  },
  {
    name: 'deployment: code_configuration without scoring_script',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'code_configuration:', '  code: ../src'),
    message: /'scoring_script' is required in 'code_configuration' but missing/,
    line: 2,
  },
  {
    name: 'deployment: bad scale type',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'scale_settings:', '  type: auto'),
    message: /'scale_settings\.type' is "auto", which is not one of default, target_utilization/,
    line: 3,
  },
  {
    name: 'deployment: bad type',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'type: serverless'),
    message: /'type' is "serverless", which is not one of managed, kubernetes/,
    line: 2,
  },
  {
    name: 'deployment: inline model',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'model:', '  path: ./model'),
    message: /an inline model is not supported here/,
    line: 2,
    fix: /register-model/,
  },
  {
    name: 'deployment: not a mapping',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('blue'),
    message: /the deployment file is not a mapping/,
    line: 1,
  },
  {
    name: 'deployment: environment variable as a mapping',
    read: deployment,
    file: DEPLOYMENT_FILE,
    yaml: yaml('name: blue', 'environment_variables:', '  A: 1', '  B:', '    nested: 2'),
    message: /'environment_variables\.B' must be a single value/,
    line: 4,
  },
  // Batch deployment files.
  {
    name: 'batch: unknown key',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'compute: azureml:cpu-cluster', 'mini_batch: 10'),
    message: /unknown key 'mini_batch' in the batch deployment/,
    line: 3,
  },
  {
    name: 'batch: mis-cased key under settings',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'settings:', '  Mini_Batch_Size: 10'),
    message: /'Mini_Batch_Size' is mis-cased in settings: did you mean 'mini_batch_size'\?/,
    line: 3,
  },
  {
    name: 'batch: a deployment-level key under settings',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'settings:', '  mini_batch_size: 10', '  compute: azureml:cpu-cluster'),
    message: /unknown key 'compute' in settings/,
    line: 4,
  },
  {
    name: 'batch: bad output_action',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'settings:', '  output_action: append'),
    message: /'settings\.output_action' is "append", which is not one of append_row, summary_only/,
    line: 3,
    fix: /one of: append_row, summary_only/,
  },
  {
    name: 'batch: bad top-level output_action',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'output_action: summary'),
    message: /'output_action' is "summary", which is not one of append_row, summary_only/,
    line: 2,
  },
  {
    name: 'batch: unknown key in retry_settings',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'settings:', '  retry_settings:', '    max_retry: 3'),
    message: /unknown key 'max_retry' in retry_settings\. Did you mean 'max_retries'\?/,
    line: 4,
  },
  {
    name: 'batch: retry timeout as text',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'retry_settings:', '  timeout: 5m'),
    message: /'retry_settings\.timeout' must be a whole number, not "5m"/,
    line: 3,
  },
  {
    name: 'batch: error_threshold below -1',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'settings:', '  error_threshold: -2'),
    message: /'settings\.error_threshold' must be at least -1, not -2/,
    line: 3,
  },
  {
    name: 'batch: mini_batch_size as text',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'mini_batch_size: ten'),
    message: /'mini_batch_size' must be a whole number, not "ten"/,
    line: 2,
  },
  {
    name: 'batch: bad logging_level',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('name: b', 'settings:', '  logging_level: verbose'),
    message: /'settings\.logging_level' is "verbose", which is not one of info, warning, debug/,
    line: 3,
  },
  {
    name: 'batch: not a mapping',
    read: batch,
    file: BATCH_FILE,
    yaml: yaml('- name: b'),
    message: /the batch deployment file is not a mapping/,
    line: 1,
  },
];

describe('YAML errors', () => {
  it.each(ERROR_CASES)('$name', ({ read, file, yaml: text, message, line, fix }) => {
    const error = configurationError(() => read(file, text));
    expect(error.problem).toMatch(message);
    expect(error.file).toBe(file);
    expect(error.line).toBe(line);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.fix).not.toBe('');
    if (fix) expect(error.fix).toMatch(fix);
    // The message a user reads names the place first.
    expect(error.message.startsWith(`${file}:${line}:`)).toBe(true);
  });

  it('points at the key of an unknown key and at the value of a bad value', () => {
    const unknown = configurationError(() =>
      readDeploymentYaml(DEPLOYMENT_FILE, yaml('name: b', 'request_settings:', '    max_queue_wait: 5')),
    );
    expect([unknown.line, unknown.column]).toEqual([3, 5]);
    const bad = configurationError(() =>
      readDeploymentYaml(DEPLOYMENT_FILE, yaml('name: b', 'instance_count:   two')),
    );
    expect([bad.line, bad.column]).toEqual([2, 19]);
  });
});
