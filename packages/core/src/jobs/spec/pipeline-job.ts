// `type: pipeline` jobs: steps under `jobs:` (inline command steps or `component:` references) in
// the REST node form (snake_case keys, componentId, computeId, bindings as literal values).
import { extname, isAbsolute, relative } from 'node:path';
import { parseNodeBinding } from './bindings';
import { type CheckedJob, commandParts, METADATA_KEYS, metadata, optionalParts } from './command-job';
import { type CheckedComponent, readComponentFile } from './component-file';
import { Deferred } from './deferred';
import type { Field } from './field';
import {
  type CheckedInput,
  type CheckedOutput,
  checkName,
  DATA_INPUT_TYPES,
  distribution,
  duration,
  INPUT_MODES,
  jobInput,
  jobInputs,
  jobOutput,
  jobOutputs,
  nodeInput,
  resources,
  restInputs,
  restOutputs,
} from './job-parts';
import { computeRef, existingPath, isArmId, registeredComponent } from './references';

type Json = Record<string, unknown>;

const PIPELINE_KEYS = [...METADATA_KEYS, 'compute', 'inputs', 'outputs', 'settings', 'jobs', 'identity'];
const STEP_KEYS = [
  'type',
  'display_name',
  'description',
  'tags',
  'compute',
  'inputs',
  'outputs',
  'resources',
  'distribution',
  'limits',
  'environment_variables',
];
const INLINE_STEP_KEYS = [...STEP_KEYS, 'command', 'code', 'environment'];
const COMPONENT_STEP_KEYS = [...STEP_KEYS, 'component'];

/** What is known of a step before its inputs are checked: its outputs (undefined: not knowable offline). */
interface StepShape {
  name: string;
  field: Field;
  component?: CheckedComponent;
  registered?: Deferred | string;
  outputs: Map<string, string> | undefined;
}

interface PipelineContext {
  inputs: Map<string, CheckedInput>;
  outputs: Map<string, CheckedOutput>;
  steps: Map<string, StepShape>;
  files: string[];
}

export function pipelineJob(root: Field): CheckedJob & { files: string[] } {
  root.keys(PIPELINE_KEYS, 'a pipeline job');
  const context: PipelineContext = {
    inputs: jobInputs(root.child('inputs')),
    outputs: jobOutputs(root.child('outputs')),
    steps: new Map(),
    files: [],
  };
  const jobsField = root
    .child('jobs')
    .required('{train: {command: python train.py, environment: azureml:my-env@latest}}');
  const entries = jobsField.entries('train: {type: command, command: python train.py}');
  if (entries.length === 0)
    jobsField.fail('the pipeline has no steps under `jobs`', 'Add at least one step.');
  for (const [name, field] of entries)
    context.steps.set(checkName(field, name, 'step'), stepShape(name, field, context));
  checkNoCycles(context);

  const jobs: Json = {};
  for (const shape of context.steps.values()) jobs[shape.name] = stepNode(shape, context);

  const properties: Json = { jobType: 'Pipeline', ...metadata(root) };
  const compute = root.child('compute');
  const computeId = compute.present ? computeRef(compute) : undefined;
  if (computeId !== undefined) properties.computeId = computeId;
  if (context.inputs.size > 0) properties.inputs = restInputs(context.inputs);
  if (context.outputs.size > 0) properties.outputs = restOutputs(context.outputs);
  properties.jobs = jobs;
  const settings = pipelineSettings(root.child('settings'), computeId, context);
  if (settings) properties.settings = settings;
  Object.assign(properties, optionalParts(root, { queue: false, services: false }));
  return {
    properties,
    outputNames: [...context.outputs.keys()],
    stepNames: [...context.steps.keys()],
    files: context.files,
  };
}

function stepShape(name: string, field: Field, context: PipelineContext): StepShape {
  if (!field.isMapping)
    field.fail(
      `step '${name}' must be a mapping`,
      'Write the step as `name: {type: command, command: …}` or `name: {component: ./train.yml}`.',
    );
  const type = field.child('type');
  if (type.present) {
    const text = String(type.value);
    if (
      ['pipeline', 'sweep', 'parallel', 'spark', 'automl', 'data_transfer', 'import'].includes(
        text.toLowerCase(),
      )
    ) {
      type.fail(
        `step '${name}' has type '${text}'; this action runs command steps only`,
        'Make the step `type: command` (inline or `component: ./x.yml`), or run that job on its own.',
      );
    }
    type.choice({ command: 'command' });
  }
  const componentField = field.child('component');
  if (!componentField.present) {
    field.keys(INLINE_STEP_KEYS, `step '${name}'`);
    const outputs = new Map<string, string>();
    for (const [output, child] of field.child('outputs').entries('model:'))
      outputs.set(output, inlineOutputType(child, context));
    return { name, field, outputs };
  }
  field.keys(COMPONENT_STEP_KEYS, `step '${name}'`);
  for (const key of ['command', 'code', 'environment']) {
    if (field.child(key).present)
      field
        .child(key)
        .fail(
          `step '${name}' has both \`component\` and \`${key}\``,
          `Remove \`${key}\` (it belongs in the component) or remove \`component\`.`,
          { atKey: true },
        );
  }
  const text = componentField.string('./train.yml');
  const registered = registeredComponent(componentField, text);
  if (registered !== undefined) return { name, field, registered, outputs: undefined };
  if (!['.yml', '.yaml'].includes(extname(text).toLowerCase())) {
    componentField.fail(
      `step '${name}': component '${text}' is neither a component reference nor a YAML file`,
      'Write `component: ./train.yml` (a local component YAML), `azureml:<name>:<version>` or `azureml:<name>@latest`.',
    );
  }
  const path = existingPath(componentField, text, 'component file', 'file');
  const file = shownPath(componentField.source.file, path);
  const component = readComponentFile(path, file);
  if (!context.files.includes(path)) context.files.push(path);
  return { name, field, component, outputs: component.outputs };
}

/** How errors name a component file: like the job file was named (relative stays relative). */
const shownPath = (jobFile: string, absolute: string): string =>
  isAbsolute(jobFile) ? absolute : relative(process.cwd(), absolute) || absolute;

/** The type of an inline step output: written, or that of the pipeline output it is bound to. */
function inlineOutputType(field: Field, context: PipelineContext): string {
  if (typeof field.value === 'string') {
    const binding = parseNodeBinding(field, field.value);
    if (binding?.kind !== 'parent-output') {
      field.fail(
        `step output '${field.label}' must be bound to a pipeline output, \`\${{parent.outputs.<name>}}\``,
        `Bind it to \`\${{parent.outputs.<name>}}\`, or leave it empty for a folder in the default location.`,
      );
    }
    return context.outputs.get(binding.name)?.type ?? 'uri_folder';
  }
  return jobOutput(field).type;
}

function checkNoCycles(context: PipelineContext): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]): void => {
    if (state.get(name) === 'done') return;
    const shape = context.steps.get(name);
    if (!shape) return;
    if (state.get(name) === 'visiting') {
      shape.field.fail(
        `the pipeline's steps depend on each other in a cycle: ${[...chain, name].join(' → ')}`,
        'Remove one of the bindings so the steps form a chain.',
        { atKey: true },
      );
    }
    state.set(name, 'visiting');
    for (const [, input] of shape.field.child('inputs').entries()) {
      const text = typeof input.value === 'string' ? input.value : input.child('path').value;
      const match =
        typeof text === 'string' ? /^\$\{\{\s*parent\.jobs\.([\w-]+)\.outputs\./.exec(text.trim()) : null;
      if (match?.[1]) visit(match[1], [...chain, name]);
    }
    state.set(name, 'done');
  };
  for (const name of context.steps.keys()) visit(name, []);
}

/** Checks a `${{parent...}}` binding of a step input; returns the type it carries. */
function boundInputType(
  field: Field,
  text: string,
  step: string,
  context: PipelineContext,
): string | undefined {
  const binding = parseNodeBinding(field, text);
  if (binding === undefined) return undefined;
  if (binding.kind === 'parent-output') {
    field.fail(
      `step input '${field.label}' reads the pipeline output '${binding.name}'; step inputs read pipeline inputs or step outputs`,
      `Bind it to \`\${{parent.inputs.<name>}}\` or \`\${{parent.jobs.<step>.outputs.<name>}}\`.`,
    );
  }
  if (binding.kind === 'parent-input') {
    const input = context.inputs.get(binding.name);
    if (!input) {
      const known = [...context.inputs.keys()];
      field.fail(
        `'${field.label}' is bound to pipeline input '${binding.name}', which the pipeline does not have (inputs: ${known.join(', ') || 'none'})`,
        `Declare '${binding.name}' under the pipeline's \`inputs:\`, or fix the name.`,
      );
    }
    return input.type;
  }
  const source = context.steps.get(binding.step);
  if (!source) {
    field.fail(
      `'${field.label}' is bound to step '${binding.step}', which the pipeline does not have (steps: ${[...context.steps.keys()].join(', ')})`,
      `Name a step under \`jobs:\` in \`\${{parent.jobs.<step>.outputs.<name>}}\`.`,
    );
  }
  if (binding.step === step)
    field.fail(
      `'${field.label}' reads an output of its own step '${step}'`,
      'Bind it to an output of an earlier step.',
    );
  if (source.outputs === undefined) return 'uri_folder';
  const type = source.outputs.get(binding.name);
  if (type === undefined) {
    field.fail(
      `'${field.label}' is bound to output '${binding.name}' of step '${binding.step}', which that step does not have (outputs: ${[...source.outputs.keys()].join(', ') || 'none'})`,
      `Declare '${binding.name}' in the outputs of step '${binding.step}', or fix the name.`,
    );
  }
  return type;
}

function stepNode(shape: StepShape, context: PipelineContext): Json {
  const { field, name } = shape;
  const nodeInputs: Json = {};
  const inputTypes = new Map<string, string>();
  const definitions = shape.component?.inputs;
  for (const [inputName, input] of field.child('inputs').entries(`data: \${{parent.inputs.data}}`)) {
    if (definitions && !definitions.has(inputName)) {
      input.fail(
        `step '${name}' gives input '${inputName}', which component ${shape.component?.file} does not declare (inputs: ${[...definitions.keys()].join(', ') || 'none'})`,
        `Remove it, or declare '${inputName}' under the component's \`inputs:\`.`,
        { atKey: true },
      );
    }
    const [value, type] = stepInput(input, name, context);
    nodeInputs[inputName] = value;
    inputTypes.set(inputName, type);
  }
  for (const [inputName, definition] of definitions ?? []) {
    if (definition.required && !(inputName in nodeInputs)) {
      field.fail(
        `step '${name}' does not give input '${inputName}', which component ${shape.component?.file} requires`,
        `Add \`${inputName}: \${{parent.inputs.${inputName}}}\` (or a value) under the step's \`inputs:\`.`,
      );
    }
  }

  const nodeOutputs: Json = {};
  for (const [outputName, output] of field.child('outputs').entries('model:')) {
    if (shape.component && !shape.component.outputs.has(outputName)) {
      output.fail(
        `step '${name}' binds output '${outputName}', which component ${shape.component.file} does not declare (outputs: ${[...shape.component.outputs.keys()].join(', ') || 'none'})`,
        `Remove it, or declare '${outputName}' under the component's \`outputs:\`.`,
        { atKey: true },
      );
    }
    const node = stepOutput(output, context);
    if (node) nodeOutputs[outputName] = node;
  }

  const node: Json = { name, type: 'command' };
  const displayName = field.child('display_name').optionalString();
  if (displayName !== undefined) node.display_name = displayName;
  const description = field.child('description').optionalString();
  if (description !== undefined) node.description = description;
  const tags = field.child('tags').stringMap();
  if (tags !== undefined) node.tags = tags;

  const at = field.at({ atKey: true });
  if (shape.registered !== undefined) {
    node.componentId = shape.registered;
  } else if (shape.component) {
    const spec = shape.component.spec;
    node.componentId = new Deferred(`component-file:${shape.component.file}`, async ({ resolve, resolver }) =>
      resolver.anonymousComponent((await resolve(spec)) as Json, at),
    );
  } else {
    node.componentId = inlineComponent(shape, inputTypes, at);
  }

  const compute = field.child('compute');
  if (compute.present) node.computeId = computeRef(compute);
  if (Object.keys(nodeInputs).length > 0) node.inputs = nodeInputs;
  if (Object.keys(nodeOutputs).length > 0) node.outputs = nodeOutputs;
  // The node carries the runtime settings (inline steps also put them in their component).
  const resourceParts = resources(field.child('resources'));
  if (resourceParts) node.resources = resourceParts.cli;
  const distributionParts = distribution(field.child('distribution'));
  if (distributionParts) node.distribution = snakeKeys(distributionParts.rest);
  const limits = field.child('limits');
  if (limits.present) {
    limits.keys(['timeout'], `limits of step '${name}'`);
    node.limits = {
      job_limits_type: 'Command',
      ...(limits.child('timeout').present ? { timeout: duration(limits.child('timeout')) } : {}),
    };
  }
  const variables = field.child('environment_variables').stringMap();
  if (variables !== undefined) node.environment_variables = variables;
  return node;
}

/** A step input → its node form and the type it carries. */
function stepInput(field: Field, step: string, context: PipelineContext): [Json, string] {
  if (typeof field.value === 'string') {
    const type = boundInputType(field, field.value, step, context);
    if (type !== undefined) return [{ job_input_type: 'literal', value: field.value.trim() }, type];
  }
  const path = field.child('path');
  if (field.isMapping && typeof path.value === 'string') {
    const boundType = boundInputType(path, path.value, step, context);
    if (boundType !== undefined) {
      // `{type, path: ${{parent...}}, mode}`: the binding with a delivery mode of its own.
      field.keys(['type', 'path', 'mode', 'description'], `input '${field.path.at(-1)}'`);
      const type = field.child('type').optionalChoice(DATA_TYPE_CHOICES) ?? boundType;
      const mode = field.child('mode').optionalChoice(INPUT_MODES);
      return [{ job_input_type: type, uri: path.value.trim(), ...(mode ? { mode } : {}) }, type];
    }
  }
  const checked = jobInput(field);
  return [nodeInput(checked.rest), checked.type];
}

const DATA_TYPE_CHOICES = Object.fromEntries(DATA_INPUT_TYPES.map((type) => [type, type])) as Record<
  string,
  string
>;

function stepOutput(field: Field, context: PipelineContext): Json | undefined {
  if (typeof field.value === 'string') {
    const binding = parseNodeBinding(field, field.value);
    if (binding?.kind !== 'parent-output' || !context.outputs.has(binding.name)) {
      const known = [...context.outputs.keys()];
      field.fail(
        binding?.kind === 'parent-output'
          ? `'${field.label}' is bound to pipeline output '${binding.name}', which the pipeline does not have (outputs: ${known.join(', ') || 'none'})`
          : `'${field.label}' must be bound to a pipeline output`,
        binding?.kind === 'parent-output'
          ? `Declare '${binding.name}' under the pipeline's \`outputs:\`, or fix the name.`
          : `Write \`\${{parent.outputs.<name>}}\`, or leave the output empty.`,
      );
    }
    return { type: 'literal', value: field.value.trim() };
  }
  if (!field.present) return undefined;
  const { jobOutputType, ...rest } = jobOutput(field).rest;
  return { job_output_type: jobOutputType, ...rest };
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const snakeKeys = (value: Json): Json =>
  Object.fromEntries(Object.entries(value).map(([key, item]) => [snakeCase(key), item]));

function inlineComponent(
  shape: StepShape,
  inputTypes: Map<string, string>,
  at: ReturnType<Field['at']>,
): Deferred {
  const { field } = shape;
  const outputs = shape.outputs ?? new Map<string, string>();
  const parts = commandParts(field, {
    inputs: [...inputTypes.keys()],
    outputs: [...outputs.keys()],
    inPipelineStep: true,
  });
  const spec: Json = {
    type: 'command',
    ...parts.cli,
    inputs: Object.fromEntries([...inputTypes].map(([name, type]) => [name, { type }])),
    outputs: Object.fromEntries([...outputs].map(([name, type]) => [name, { type }])),
  };
  return new Deferred(`inline-step:${field.source.file}:${shape.name}`, async ({ resolve, resolver }) =>
    resolver.anonymousComponent((await resolve(spec)) as Json, at),
  );
}

function pipelineSettings(
  field: Field,
  computeId: Deferred | string | undefined,
  context: PipelineContext,
): Json | undefined {
  if (!field.present && computeId === undefined) return undefined;
  field.keys(['default_compute', 'default_datastore', 'continue_on_step_failure', 'force_rerun'], 'settings');
  const settings: Json = {};
  const compute = field.child('default_compute');
  const defaultCompute = compute.present ? computeRef(compute) : computeId;
  if (defaultCompute !== undefined) settings.default_compute = defaultCompute;
  const datastore = field.child('default_datastore');
  if (datastore.present) {
    const text = datastore.string('azureml:workspaceblobstore');
    if (isArmId(text)) {
      settings.default_datastore = text.replace(/^azureml:/i, '');
    } else {
      const name = text.replace(/^azureml:/i, '');
      if (!/^[A-Za-z0-9_]+$/.test(name))
        datastore.fail(
          `'settings.default_datastore' is '${text}', not a datastore name`,
          'Write `default_datastore: azureml:workspaceblobstore`.',
        );
      const workspaceKnown =
        defaultCompute !== undefined ||
        [...context.steps.values()].some(
          (step) => step.registered === undefined || step.field.child('compute').present,
        );
      if (!workspaceKnown) {
        datastore.fail(
          "'settings.default_datastore' needs the workspace's ARM id, which this pipeline never resolves (registry components only, serverless compute)",
          'Also set `settings.default_compute`, or give the datastore as its full ARM id.',
        );
      }
      settings.default_datastore = new Deferred(
        `datastore:${name}`,
        async ({ workspaceScope }) => `${workspaceScope() ?? ''}/datastores/${name}`,
        { late: true },
      );
    }
  }
  const continueOnFailure = field.child('continue_on_step_failure').optionalBoolean();
  if (continueOnFailure !== undefined) settings.continue_on_step_failure = continueOnFailure;
  const forceRerun = field.child('force_rerun').optionalBoolean();
  if (forceRerun !== undefined) settings.force_rerun = forceRerun;
  return settings;
}
