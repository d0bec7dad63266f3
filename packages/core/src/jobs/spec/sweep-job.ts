// `type: sweep` jobs: search space, objective, sampling, limits, early termination, trial.
import { type CheckedJob, commandParts, METADATA_KEYS, metadata, optionalParts } from './command-job';
import type { Field } from './field';
import { duration, jobInputs, jobOutputs, restInputs, restOutputs } from './job-parts';
import { computeRef } from './references';

type Json = Record<string, unknown>;

/** Each distribution's CLI parameters, in the order of the REST argument list. */
const DISTRIBUTIONS: Readonly<Record<string, readonly string[]>> = {
  choice: ['values'],
  randint: ['upper'],
  uniform: ['min_value', 'max_value'],
  loguniform: ['min_value', 'max_value'],
  quniform: ['min_value', 'max_value', 'q'],
  qloguniform: ['min_value', 'max_value', 'q'],
  normal: ['mu', 'sigma'],
  lognormal: ['mu', 'sigma'],
  qnormal: ['mu', 'sigma', 'q'],
  qlognormal: ['mu', 'sigma', 'q'],
};

/** One search-space parameter → the REST (hyperdrive) form, e.g. `["uniform", [0.01, 0.1]]`. */
function searchParameter(name: string, field: Field): unknown[] {
  if (!field.isMapping) {
    field.fail(
      `search_space parameter '${name}' must be a mapping with \`type\``,
      'Write e.g. `learning_rate: {type: uniform, min_value: 0.01, max_value: 0.1}` or `{type: choice, values: [1, 2, 3]}`.',
    );
  }
  const type = field
    .child('type')
    .required('uniform')
    .choice(
      Object.fromEntries(Object.keys(DISTRIBUTIONS).map((key) => [key, key])) as Record<string, string>,
    );
  const parameters = DISTRIBUTIONS[type] ?? [];
  field.keys(['type', ...parameters], `a ${type} distribution (search_space.${name})`);
  for (const parameter of parameters)
    field.child(parameter).required(parameter === 'values' ? '[1, 2, 3]' : '1');
  if (type === 'choice') {
    const values = field.child('values');
    const list = values.value;
    if (!Array.isArray(list) || list.length === 0) {
      throw values.problem(
        `'${values.label}' must be a non-empty list`,
        'Write e.g. `values: [16, 32, 64]`.',
      );
    }
    for (let index = 0; index < list.length; index++) values.child(index).scalarText();
    return ['choice', [list]];
  }
  if (type === 'randint') return ['randint', [field.child('upper').integer({ min: 1, example: 10 })]];
  const args = parameters.map((parameter) => field.child(parameter).number());
  const [first = 0, second = 0, q] = args;
  if (parameters[0] === 'min_value' && first >= second) {
    field
      .child('max_value')
      .fail(
        `search_space.${name}: max_value (${second}) must be greater than min_value (${first})`,
        'Swap or correct the bounds.',
      );
  }
  if (parameters[1] === 'sigma' && second <= 0) {
    field
      .child('sigma')
      .fail(
        `search_space.${name}: sigma must be greater than 0, not ${second}`,
        'Set a positive standard deviation.',
      );
  }
  if (q !== undefined && q <= 0)
    field
      .child('q')
      .fail(`search_space.${name}: q must be greater than 0, not ${q}`, 'Set a positive quantization step.');
  return [type, args];
}

const SAMPLING = { random: 'Random', grid: 'Grid', bayesian: 'Bayesian' } as const;

function samplingAlgorithm(field: Field): Json {
  if (!field.present) return { samplingAlgorithmType: 'Random' };
  if (!field.isMapping) return { samplingAlgorithmType: field.choice(SAMPLING) };
  const samplingAlgorithmType = field.child('type').required('random').choice(SAMPLING);
  if (samplingAlgorithmType !== 'Random') {
    field.keys(['type'], `a ${samplingAlgorithmType.toLowerCase()} sampling_algorithm`);
    return { samplingAlgorithmType };
  }
  field.keys(['type', 'seed', 'rule'], 'a random sampling_algorithm');
  const result: Json = { samplingAlgorithmType };
  const seed = field.child('seed').optionalInteger({ min: 0 });
  if (seed !== undefined) result.seed = seed;
  const rule = field.child('rule').optionalChoice({ random: 'Random', sobol: 'Sobol' });
  if (rule !== undefined) result.rule = rule;
  return result;
}

const POLICIES = {
  bandit: 'Bandit',
  median_stopping: 'MedianStopping',
  truncation_selection: 'TruncationSelection',
} as const;
const POLICY_KEYS: Readonly<Record<string, readonly string[]>> = {
  Bandit: ['slack_factor', 'slack_amount'],
  MedianStopping: [],
  TruncationSelection: ['truncation_percentage'],
};

function earlyTermination(field: Field): Json | undefined {
  if (!field.present) return undefined;
  if (!field.isMapping)
    field.fail(
      `'early_termination' must be a mapping`,
      'Write e.g. `early_termination: {type: bandit, slack_factor: 0.1}`.',
    );
  const policyType = field.child('type').required('bandit').choice(POLICIES);
  field.keys(
    ['type', 'evaluation_interval', 'delay_evaluation', ...(POLICY_KEYS[policyType] ?? [])],
    `a ${String(field.child('type').value)} early_termination`,
  );
  const result: Json = { policyType };
  const interval = field.child('evaluation_interval').optionalInteger({ min: 1 });
  if (interval !== undefined) result.evaluationInterval = interval;
  const delay = field.child('delay_evaluation').optionalInteger({ min: 0 });
  if (delay !== undefined) result.delayEvaluation = delay;
  if (policyType === 'Bandit') {
    const factor = field.child('slack_factor').optionalNumber(0.1);
    const amount = field.child('slack_amount').optionalNumber(0.2);
    if ((factor === undefined) === (amount === undefined)) {
      field.fail(
        'a bandit policy needs exactly one of `slack_factor` and `slack_amount`',
        'Set `slack_factor: 0.1` (a ratio) or `slack_amount: 0.2` (an absolute distance), not both.',
      );
    }
    if (factor !== undefined) result.slackFactor = factor;
    if (amount !== undefined) result.slackAmount = amount;
  }
  if (policyType === 'TruncationSelection') {
    const percentage = field.child('truncation_percentage').required('10').integer({ min: 1, example: 10 });
    result.truncationPercentage = percentage;
  }
  return result;
}

const SWEEP_JOB_KEYS = [
  ...METADATA_KEYS,
  'compute',
  'inputs',
  'outputs',
  'trial',
  'search_space',
  'objective',
  'sampling_algorithm',
  'limits',
  'early_termination',
  'identity',
  'queue_settings',
  'services',
];

export function sweepJob(root: Field): CheckedJob {
  root.keys(SWEEP_JOB_KEYS, 'a sweep job');
  const inputs = jobInputs(root.child('inputs'));
  const outputs = jobOutputs(root.child('outputs'));

  const spaceField = root
    .child('search_space')
    .required('{learning_rate: {type: uniform, min_value: 0.01, max_value: 0.1}}');
  const searchSpace: Json = {};
  for (const [name, parameter] of spaceField.entries(
    'learning_rate: {type: uniform, min_value: 0.01, max_value: 0.1}',
  )) {
    searchSpace[name] = searchParameter(name, parameter);
  }
  if (Object.keys(searchSpace).length === 0)
    spaceField.fail('search_space has no parameters', 'Add at least one parameter.');

  const objectiveField = root.child('objective').required('{goal: maximize, primary_metric: accuracy}');
  objectiveField.keys(['goal', 'primary_metric'], 'objective');
  const primaryMetric = objectiveField.child('primary_metric');
  if (!primaryMetric.present) {
    objectiveField.fail(
      'the sweep objective names no metric: `objective.primary_metric` is missing',
      'Add `primary_metric: <name>`, the metric the training script logs with mlflow.log_metric (e.g. `accuracy`).',
    );
  }
  const objective = {
    goal: objectiveField
      .child('goal')
      .required('maximize')
      .choice({ maximize: 'Maximize', minimize: 'Minimize' }),
    primaryMetric: primaryMetric.string('accuracy'),
  };

  const sampling = samplingAlgorithm(root.child('sampling_algorithm'));
  if (sampling.samplingAlgorithmType === 'Grid') {
    const nonChoice = Object.entries(searchSpace).find(([, value]) => (value as unknown[])[0] !== 'choice');
    if (nonChoice) {
      spaceField
        .child(nonChoice[0])
        .fail(
          `grid sampling needs choice parameters only, but search_space.${nonChoice[0]} is ${String((nonChoice[1] as unknown[])[0])}`,
          'Use `type: choice` with explicit `values`, or `sampling_algorithm: random`.',
        );
    }
  }
  const termination = earlyTermination(root.child('early_termination'));
  if (termination && sampling.samplingAlgorithmType === 'Bayesian') {
    root
      .child('early_termination')
      .fail(
        'bayesian sampling does not support early termination',
        'Remove `early_termination`, or use random sampling.',
        { atKey: true },
      );
  }

  const trialField = root
    .child('trial')
    .required('{command: python train.py, environment: azureml:my-env@latest}');
  trialField.keys(
    ['command', 'code', 'environment', 'environment_variables', 'distribution', 'resources'],
    'trial',
  );
  const trial = commandParts(trialField, {
    inputs: [...inputs.keys()],
    outputs: [...outputs.keys()],
    searchSpace: Object.keys(searchSpace),
  }).rest;

  const properties: Json = { jobType: 'Sweep', ...metadata(root) };
  const compute = root.child('compute');
  if (compute.present) properties.computeId = computeRef(compute);
  if (inputs.size > 0) properties.inputs = restInputs(inputs);
  if (outputs.size > 0) properties.outputs = restOutputs(outputs);
  Object.assign(properties, { searchSpace, objective, samplingAlgorithm: sampling, trial });
  const limits = sweepLimits(root.child('limits'));
  if (limits) properties.limits = limits;
  if (termination) properties.earlyTermination = termination;
  Object.assign(properties, optionalParts(root));
  return { properties, outputNames: [...outputs.keys()], stepNames: [] };
}

function sweepLimits(field: Field): Json | undefined {
  if (!field.present) return undefined;
  field.keys(['max_total_trials', 'max_concurrent_trials', 'timeout', 'trial_timeout'], 'sweep limits');
  const result: Json = { jobLimitsType: 'Sweep' };
  const total = field.child('max_total_trials').optionalInteger({ min: 1, example: 20 });
  if (total !== undefined) result.maxTotalTrials = total;
  const concurrent = field.child('max_concurrent_trials').optionalInteger({ min: 1, example: 4 });
  if (concurrent !== undefined) result.maxConcurrentTrials = concurrent;
  if (field.child('timeout').present) result.timeout = duration(field.child('timeout'));
  if (field.child('trial_timeout').present) result.trialTimeout = duration(field.child('trial_timeout'));
  return result;
}
