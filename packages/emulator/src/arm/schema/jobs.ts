// Request schema of workspaces/jobs (JobBaseProperties and its variants), from
// reference/specs/arm-deployment-schemas and bicep-types-az (read-only properties).
import { NEWER_CONTRACT as NEWER } from '../api-version';
import {
  any,
  arrayOf,
  bool,
  enumOf,
  GUID_PATTERN,
  int,
  mapOf,
  num,
  object,
  optional,
  required,
  resourceBody,
  str,
  stringMap,
  type Variant,
  variant,
  word,
} from './dsl';

const guid = () => str({ minLength: 36, maxLength: 36, pattern: GUID_PATTERN });

export const INPUT_TYPES = [
  'custom_model',
  'literal',
  'mlflow_model',
  'mltable',
  'triton_model',
  'uri_file',
  'uri_folder',
] as const;
export const INPUT_MODES = [
  'ReadOnlyMount',
  'ReadWriteMount',
  'Download',
  'Direct',
  'EvalMount',
  'EvalDownload',
];
export const OUTPUT_TYPES = [
  'custom_model',
  'mlflow_model',
  'mltable',
  'triton_model',
  'uri_file',
  'uri_folder',
];

const INPUT_TYPE_NAMES: Record<string, string> = {
  custom_model: 'CustomModelJobInput',
  mlflow_model: 'MLFlowModelJobInput',
  mltable: 'MLTableJobInput',
  triton_model: 'TritonModelJobInput',
  uri_file: 'UriFileJobInput',
  uri_folder: 'UriFolderJobInput',
};

const OUTPUT_TYPE_NAMES: Record<string, string> = {
  custom_model: 'CustomModelJobOutput',
  mlflow_model: 'MLFlowModelJobOutput',
  mltable: 'MLTableJobOutput',
  triton_model: 'TritonModelJobOutput',
  uri_file: 'UriFileJobOutput',
  uri_folder: 'UriFolderJobOutput',
};

const assetInputVariant = (typeName: string): Variant =>
  variant(typeName, { mode: optional(enumOf(...INPUT_MODES)), uri: required(word()) });

export const jobInput = object(
  'JobInput',
  { description: optional(str()) },
  {
    discriminator: {
      property: 'jobInputType',
      variants: {
        literal: variant('LiteralJobInput', { value: required(word()) }),
        ...Object.fromEntries(
          Object.entries(INPUT_TYPE_NAMES).map(([type, name]) => [type, assetInputVariant(name)]),
        ),
      },
    },
  },
);

/** MLTable input used by AutoML's trainingData. */
const mlTableJobInput = object('MLTableJobInput', {
  jobInputType: required(enumOf('mltable')),
  mode: optional(enumOf(...INPUT_MODES)),
  uri: required(word()),
});

const outputVariant = (typeName: string): Variant =>
  variant(typeName, {
    assetName: optional(str(), NEWER),
    mode: optional(enumOf('ReadWriteMount', 'Upload', { value: 'Direct', since: NEWER })),
    uri: optional(str()),
  });

export const jobOutput = object(
  'JobOutput',
  { description: optional(str()) },
  {
    discriminator: {
      property: 'jobOutputType',
      variants: Object.fromEntries(
        Object.entries(OUTPUT_TYPE_NAMES).map(([type, name]) => [type, outputVariant(name)]),
      ),
    },
  },
);

const resources = object('JobResourceConfiguration', {
  dockerArgs: optional(str()),
  dockerArgsList: optional(arrayOf(str()), NEWER),
  instanceCount: optional(int()),
  instanceType: optional(str()),
  properties: optional(mapOf(any())),
  shmSize: optional(str({ pattern: '\\d+[bBkKmMgG]' })),
});

const distribution = object(
  'DistributionConfiguration',
  {},
  {
    discriminator: {
      property: 'distributionType',
      variants: {
        Mpi: variant('Mpi', { processCountPerInstance: optional(int()) }),
        PyTorch: variant('PyTorch', { processCountPerInstance: optional(int()) }),
        TensorFlow: variant('TensorFlow', {
          parameterServerCount: optional(int()),
          workerCount: optional(int()),
        }),
      },
    },
  },
);

const identity = object(
  'IdentityConfiguration',
  {},
  {
    discriminator: {
      property: 'identityType',
      variants: {
        AMLToken: variant('AmlToken', {}),
        Managed: variant('ManagedIdentity', {
          clientId: optional(guid()),
          objectId: optional(guid()),
          resourceId: optional(str()),
        }),
        UserIdentity: variant('UserIdentity', {}),
      },
    },
  },
);

const jobLimitsType = () => required(enumOf('Command', 'Sweep'));

const commandLimits = object('CommandJobLimits', {
  jobLimitsType: jobLimitsType(),
  timeout: optional(str()),
});

const sweepLimits = object('SweepJobLimits', {
  jobLimitsType: jobLimitsType(),
  maxConcurrentTrials: optional(int()),
  maxTotalTrials: optional(int()),
  timeout: optional(str()),
  trialTimeout: optional(str()),
});

const queueSettings = object('QueueSettings', {
  jobTier: optional(enumOf('Null', 'Spot', 'Basic', 'Standard', 'Premium')),
});

const notificationSetting = object('NotificationSetting', {
  emailOn: optional(arrayOf(enumOf('JobCompleted', 'JobFailed', 'JobCancelled'))),
  emails: optional(arrayOf(str())),
  webhooks: optional(mapOf(any({ object: true }))),
});

const jobService = object(
  'JobService',
  {
    endpoint: optional(str()),
    jobServiceType: optional(str()),
    nodes: optional(any({ object: true }), NEWER),
    port: optional(int()),
    properties: optional(stringMap()),
  },
  { readOnly: ['errorMessage', 'status'] },
);

const objective = object('Objective', {
  goal: required(enumOf('Minimize', 'Maximize')),
  primaryMetric: required(word()),
});

const samplingAlgorithm = object(
  'SamplingAlgorithm',
  {},
  {
    discriminator: {
      property: 'samplingAlgorithmType',
      variants: {
        Bayesian: variant('BayesianSamplingAlgorithm', {}),
        Grid: variant('GridSamplingAlgorithm', {}),
        Random: variant('RandomSamplingAlgorithm', {
          rule: optional(enumOf('Random', 'Sobol')),
          seed: optional(int()),
        }),
      },
    },
  },
);

// slackAmount/slackFactor are floats in the OpenAPI spec (the deployment schema's 'integer' is a
// conversion artefact: clients send 0.1), so they are numbers here.
const earlyTermination = object(
  'EarlyTerminationPolicy',
  { delayEvaluation: optional(int()), evaluationInterval: optional(int()) },
  {
    discriminator: {
      property: 'policyType',
      variants: {
        Bandit: variant('BanditPolicy', { slackAmount: optional(num()), slackFactor: optional(num()) }),
        MedianStopping: variant('MedianStoppingPolicy', {}),
        TruncationSelection: variant('TruncationSelectionPolicy', { truncationPercentage: optional(int()) }),
      },
    },
  },
);

const trial = object('TrialComponent', {
  codeId: optional(str()),
  command: required(word()),
  distribution: optional(distribution),
  environmentId: required(word()),
  environmentVariables: optional(stringMap()),
  resources: optional(resources),
});

export const AUTOML_TASK_TYPES = [
  'Classification',
  'Forecasting',
  'ImageClassification',
  'ImageClassificationMultilabel',
  'ImageInstanceSegmentation',
  'ImageObjectDetection',
  'Regression',
  'TextClassification',
  'TextClassificationMultilabel',
  'TextNER',
];

// The verticals' many task settings are accepted unchecked (open); the shared part is checked.
const autoMLVertical = object(
  'AutoMLVertical',
  {
    logVerbosity: optional(enumOf('NotSet', 'Debug', 'Info', 'Warning', 'Error', 'Critical')),
    targetColumnName: optional(str()),
    trainingData: required(mlTableJobInput),
  },
  {
    discriminator: {
      property: 'taskType',
      variants: Object.fromEntries(
        AUTOML_TASK_TYPES.map((task) => [
          task,
          variant(task === 'TextNER' ? 'TextNer' : task, {}, { open: true }),
        ]),
      ),
    },
  },
);

const sparkEntry = object(
  'SparkJobEntry',
  {},
  {
    discriminator: {
      property: 'sparkJobEntryType',
      variants: {
        SparkJobPythonEntry: variant('SparkJobPythonEntry', { file: required(word()) }),
        SparkJobScalaEntry: variant('SparkJobScalaEntry', { className: required(word()) }),
      },
    },
  },
);

const sparkResources = object('SparkResourceConfiguration', {
  instanceType: optional(str()),
  runtimeVersion: optional(str()),
});

const inputs = () => optional(mapOf(jobInput));
const outputs = () => optional(mapOf(jobOutput));

export const JOB_TYPES = ['AutoML', 'Command', 'Pipeline', 'Spark', 'Sweep'] as const;

export const jobProperties = object(
  'JobBaseProperties',
  {
    componentId: optional(str()),
    computeId: optional(str()),
    description: optional(str()),
    displayName: optional(str()),
    experimentName: optional(str()),
    identity: optional(identity),
    isArchived: optional(bool()),
    notificationSetting: optional(notificationSetting, NEWER),
    properties: optional(stringMap()),
    services: optional(mapOf(jobService)),
    tags: optional(stringMap()),
  },
  {
    readOnly: ['status'],
    discriminator: {
      property: 'jobType',
      variants: {
        AutoML: variant('AutoMLJob', {
          environmentId: optional(str()),
          environmentVariables: optional(stringMap()),
          outputs: outputs(),
          queueSettings: optional(queueSettings, NEWER),
          resources: optional(resources),
          taskDetails: required(autoMLVertical),
        }),
        Command: variant(
          'CommandJob',
          {
            codeId: optional(str()),
            command: required(word()),
            distribution: optional(distribution),
            environmentId: required(word()),
            environmentVariables: optional(stringMap()),
            inputs: inputs(),
            limits: optional(commandLimits),
            outputs: outputs(),
            queueSettings: optional(queueSettings, NEWER),
            resources: optional(resources),
          },
          { readOnly: ['parameters'] },
        ),
        Pipeline: variant('PipelineJob', {
          inputs: inputs(),
          jobs: optional(mapOf(any({ object: true }))),
          outputs: outputs(),
          settings: optional(any()),
          sourceJobId: optional(str()),
        }),
        Spark: variant(
          'SparkJob',
          {
            archives: optional(arrayOf(str())),
            args: optional(str()),
            codeId: required(str()),
            conf: optional(stringMap()),
            entry: required(sparkEntry),
            environmentId: optional(str()),
            environmentVariables: optional(stringMap()),
            files: optional(arrayOf(str())),
            inputs: inputs(),
            jars: optional(arrayOf(str())),
            outputs: outputs(),
            pyFiles: optional(arrayOf(str())),
            queueSettings: optional(queueSettings),
            resources: optional(sparkResources),
          },
          { since: NEWER },
        ),
        Sweep: variant('SweepJob', {
          earlyTermination: optional(earlyTermination),
          inputs: inputs(),
          limits: optional(sweepLimits),
          objective: required(objective),
          outputs: outputs(),
          queueSettings: optional(queueSettings, NEWER),
          samplingAlgorithm: required(samplingAlgorithm),
          searchSpace: required(any({ object: true })),
          trial: required(trial),
        }),
      },
    },
  },
);

export const jobBody = resourceBody('JobBaseResource', jobProperties);
