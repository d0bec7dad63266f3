// The `${{...}}` expressions of Azure ML commands and pipeline nodes, as pure functions.

/** Thrown when a command or node names something the job does not have. */
export class BindingError extends Error {
  override readonly name = 'BindingError';
}

export interface CommandValues {
  /** Input name → local path or literal value; absent optional inputs are missing here. */
  inputs: Record<string, string>;
  /** Output name → local path. */
  outputs: Record<string, string>;
  /** Sweep trials: parameter name → sampled value. */
  searchSpace?: Record<string, string>;
}

const EXPRESSION = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
// The CLI's optional block: `$[[--flag ${{inputs.x}}]]` disappears when x is not given.
const OPTIONAL_BLOCK = /\$\[\[([\s\S]*?)\]\]/g;

function lookup(expression: string, values: CommandValues): string | undefined {
  const [scope, name, ...rest] = expression.split('.');
  if (!name || rest.length > 0) return undefined;
  if (scope === 'inputs') return values.inputs[name];
  if (scope === 'outputs') return values.outputs[name];
  if (scope === 'search_space') return values.searchSpace?.[name];
  return undefined;
}

/**
 * The command with its bindings replaced. Optional blocks whose inputs are absent are removed;
 * any other binding that names nothing throws BindingError.
 */
export function substituteCommand(command: string, values: CommandValues): string {
  const withoutOptional = command.replace(OPTIONAL_BLOCK, (_, block: string) => {
    const names = [...block.matchAll(EXPRESSION)].map((match) => match[1] ?? '');
    return names.every((name) => lookup(name, values) !== undefined) ? block : '';
  });
  return withoutOptional.replace(EXPRESSION, (text, expression: string) => {
    const value = lookup(expression, values);
    if (value === undefined) {
      throw new BindingError(`The command refers to '${text}', which this job does not define.`);
    }
    return value;
  });
}

export type PipelineBinding =
  | { kind: 'parent-input'; name: string }
  | { kind: 'parent-output'; name: string }
  | { kind: 'step-output'; step: string; name: string };

const PARENT_INPUT = /^\$\{\{\s*parent\.inputs\.([\w-]+)\s*\}\}$/;
const PARENT_OUTPUT = /^\$\{\{\s*parent\.outputs\.([\w-]+)\s*\}\}$/;
const STEP_OUTPUT = /^\$\{\{\s*parent\.jobs\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/;

/** A pipeline node value that is exactly one `${{parent...}}` binding, or undefined. */
export function parsePipelineBinding(value: unknown): PipelineBinding | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let match = PARENT_INPUT.exec(text);
  if (match?.[1]) return { kind: 'parent-input', name: match[1] };
  match = PARENT_OUTPUT.exec(text);
  if (match?.[1]) return { kind: 'parent-output', name: match[1] };
  match = STEP_OUTPUT.exec(text);
  if (match?.[1] && match[2]) return { kind: 'step-output', step: match[1], name: match[2] };
  return undefined;
}

const SEARCH_SPACE_EXPRESSION = /\$\{\{\s*search_space\.([\w-]+)\s*\}\}/g;

/** A trial command with only its `${{search_space.x}}` bindings replaced (inputs/outputs stay for the trial). */
export function substituteSearchSpace(command: string, values: Record<string, string>): string {
  return command.replace(SEARCH_SPACE_EXPRESSION, (text, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new BindingError(
        `The trial command refers to '${text}', which the search space does not define.`,
      );
    }
    return value;
  });
}
