// A pipeline node (REST form, snake_case keys) plus its component version → the REST properties of
// the command job that runs the step. Bindings resolve against the parent job and earlier steps.

import { namedOutputUri } from '../arm/job-model';
import type { JobRecord } from '../arm/job-store';
import type { ArmContext } from '../arm-context';
import { BindingError, parsePipelineBinding } from './bindings';
import { nodeInputValue, type PipelineStep } from './pipeline-plan';

type Json = Record<string, unknown>;

const LITERAL_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'literal']);
const REST_INPUT_MODES = new Set([
  'ReadOnlyMount',
  'ReadWriteMount',
  'Download',
  'Direct',
  'EvalMount',
  'EvalDownload',
]);
const COMPONENT_ARM_ID = /\/components\/([^/]+)\/versions\/([^/]+)\/?$/i;

export const childJobName = (parent: string, step: string): string => `${parent}_${step}`;

const stripAzureml = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value.replace(/^azureml:(?=\/)/i, '') : undefined;

/** The component spec (CLI YAML form) a node runs: its component version's, or the node itself. */
export function componentSpecOf(ctx: Pick<ArmContext, 'store'>, step: string, node: Json): Json {
  const componentId = stripAzureml(node.componentId ?? node.component_id);
  if (!componentId) {
    if (typeof node.command === 'string') return node;
    throw new BindingError(`Step '${step}' has no componentId.`);
  }
  const match = COMPONENT_ARM_ID.exec(componentId);
  if (!match)
    throw new BindingError(`Step '${step}': componentId '${componentId}' is not a component version ARM id.`);
  const record = ctx.store.get<{ properties: Json }>('arm.components.versions', `${match[1]}/${match[2]}`);
  const spec = record?.properties.componentSpec;
  if (!spec || typeof spec !== 'object') {
    throw new BindingError(`Step '${step}': component version '${match[1]}:${match[2]}' does not exist.`);
  }
  return spec as Json;
}

const inputTypeOf = (definition: Json | undefined): string => {
  const type = String(definition?.type ?? 'literal');
  return LITERAL_TYPES.has(type) ? 'literal' : type;
};

/** Where each step's outputs go: the parent's output location when bound to one (§4), else its own. */
export interface StepOutputs {
  /** step → output → { uri, type } */
  [step: string]: Record<string, { uri: string; type: string }>;
}

export interface StepJob {
  childName: string;
  properties: Json & { jobType: string };
  outputs: Record<string, { uri: string; type: string }>;
}

function literal(value: unknown): Json {
  return { jobInputType: 'literal', value: typeof value === 'string' ? value : JSON.stringify(value) };
}

function bindInput(
  parent: JobRecord,
  step: string,
  inputName: string,
  raw: unknown,
  known: StepOutputs,
): Json | undefined {
  const value = nodeInputValue(raw);
  const binding = parsePipelineBinding(value);
  if (binding?.kind === 'parent-input') {
    const parentInput = (parent.properties.inputs as Json | undefined)?.[binding.name] as Json | undefined;
    if (!parentInput) return undefined;
    const { description: _description, ...rest } = parentInput;
    return rest;
  }
  if (binding?.kind === 'step-output') {
    const output = known[binding.step]?.[binding.name];
    if (!output) {
      throw new BindingError(
        `Step '${step}' input '${inputName}' is bound to output '${binding.name}' of step '${binding.step}', which that step does not have.`,
      );
    }
    return { jobInputType: output.type, uri: output.uri, mode: 'ReadOnlyMount' };
  }
  if (binding?.kind === 'parent-output') {
    throw new BindingError(
      `Step '${step}' input '${inputName}' reads a pipeline output; inputs read inputs or step outputs.`,
    );
  }
  if (typeof raw !== 'object' || raw === null) return literal(raw);
  const input = raw as Json;
  const type = String(input.job_input_type ?? input.jobInputType ?? 'literal');
  if (type === 'literal') return literal(input.value);
  const mode =
    typeof input.mode === 'string' && REST_INPUT_MODES.has(input.mode) ? input.mode : 'ReadOnlyMount';
  return { jobInputType: type, uri: input.uri, mode };
}

/** The command job of one step. `known` holds the outputs of the steps before it. */
export function stepJob(
  ctx: Pick<ArmContext, 'store'>,
  parent: JobRecord,
  step: PipelineStep,
  known: StepOutputs,
): StepJob {
  const childName = childJobName(parent.name, step.name);
  const node = step.node;
  const spec = componentSpecOf(ctx, step.name, node);
  const definitions = (spec.inputs as Json | undefined) ?? {};
  const nodeInputs = (node.inputs as Json | undefined) ?? {};

  const inputs: Json = {};
  for (const [name, raw] of Object.entries(nodeInputs)) {
    const bound = bindInput(parent, step.name, name, raw, known);
    if (bound) inputs[name] = bound;
  }
  for (const [name, definition] of Object.entries(definitions)) {
    const def = definition as Json;
    if (name in inputs) continue;
    if (def.default !== undefined) inputs[name] = literal(def.default);
    else if (!def.optional) {
      throw new BindingError(`Step '${step.name}' does not give its required input '${name}'.`);
    }
  }
  for (const [name, input] of Object.entries(inputs)) {
    const type = inputTypeOf(definitions[name] as Json | undefined);
    if ((input as Json).jobInputType === undefined) (input as Json).jobInputType = type;
  }

  const outputs: Record<string, { uri: string; type: string }> = {};
  const nodeOutputs = (node.outputs as Json | undefined) ?? {};
  const outputNames = new Set([
    ...Object.keys((spec.outputs as Json | undefined) ?? {}),
    ...Object.keys(nodeOutputs),
  ]);
  for (const name of outputNames) {
    const definition = ((spec.outputs as Json | undefined)?.[name] as Json | undefined) ?? {};
    const nodeOutput = nodeOutputs[name] as Json | undefined;
    const type = String(
      nodeOutput?.job_output_type ?? nodeOutput?.jobOutputType ?? definition.type ?? 'uri_folder',
    );
    const binding = parsePipelineBinding(nodeOutput?.value ?? nodeOutput);
    let uri = typeof nodeOutput?.uri === 'string' ? nodeOutput.uri : namedOutputUri(childName, name);
    if (binding?.kind === 'parent-output') {
      const parentOutput = (parent.properties.outputs as Json | undefined)?.[binding.name] as
        | Json
        | undefined;
      if (typeof parentOutput?.uri !== 'string') {
        throw new BindingError(
          `Step '${step.name}' output '${name}' is bound to pipeline output '${binding.name}', which the pipeline does not have.`,
        );
      }
      uri = parentOutput.uri;
    }
    outputs[name] = { uri, type };
  }

  const settings = (parent.properties.settings as Json | undefined) ?? {};
  const limits = (node.limits ?? spec.limits) as Json | undefined;
  const timeout = limits?.timeout;
  const properties: Json & { jobType: string } = {
    jobType: 'Command',
    command: String(spec.command ?? ''),
    environmentId: stripAzureml(spec.environment ?? node.environment) ?? 'emulator-default-environment',
    experimentName: parent.properties.experimentName,
    displayName: typeof node.display_name === 'string' ? node.display_name : step.name,
    inputs,
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([name, output]) => [
        name,
        { jobOutputType: output.type, uri: output.uri },
      ]),
    ),
    environmentVariables: {
      ...((spec.environment_variables as Json | undefined) ?? {}),
      ...((node.environment_variables as Json | undefined) ?? {}),
    },
    tags: (node.tags as Json | undefined) ?? {},
  };
  const codeId = stripAzureml(spec.code ?? node.code);
  if (codeId) properties.codeId = codeId;
  const computeId = stripAzureml(node.computeId ?? settings.default_compute ?? parent.properties.computeId);
  if (computeId) properties.computeId = computeId;
  if (timeout !== undefined) properties.limits = { jobLimitsType: 'Command', timeout };
  return { childName, properties, outputs };
}
