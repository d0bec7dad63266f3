// `${{...}}` bindings in commands and pipeline nodes: malformed forms get the correct form, and
// bindings must name inputs, outputs, search-space parameters or steps that exist.
import { closestMatch } from '../../text/closest-match';
import type { Field } from './field';

const SCOPES = '(?:inputs|outputs|search_space|parent)';
const SINGLE_BRACE = new RegExp(`\\$\\{(?!\\{)\\s*(${SCOPES}\\.[\\w.-]+)\\s*\\}`);
const ONE_CLOSING = new RegExp(`\\$\\{\\{\\s*(${SCOPES}\\.[\\w.-]+)\\s*\\}(?!\\})`);
const NO_DOLLAR = new RegExp(`(?<![$\\w])\\{\\{\\s*(${SCOPES}\\.[\\w.-]+)\\s*\\}\\}`);
const EXPRESSION = /\$\{\{\s*([^{}]*?)\s*\}\}/g;

/** Fails on near-miss binding syntax (`${inputs.x}`, `${{inputs.x}`, `{{inputs.x}}`, unclosed `${{`). */
export function checkBindingSyntax(field: Field, text: string): void {
  for (const [pattern, what] of [
    [SINGLE_BRACE, 'a single-brace binding'],
    [ONE_CLOSING, 'a binding closed with one brace'],
    [NO_DOLLAR, "a binding without '$'"],
  ] as const) {
    const match = pattern.exec(text);
    if (match) {
      const correct = `\${{${match[1]}}}`;
      field.fail(
        `'${field.label}' has ${what}, '${match[0]}'; bindings are written '${correct}'`,
        `Replace '${match[0]}' with '${correct}' (a dollar sign and two braces on each side).`,
      );
    }
  }
  const rest = text.replace(EXPRESSION, '');
  const open = rest.indexOf('${{');
  if (open !== -1) {
    const fragment = rest.slice(open, open + 40).split(/\s/)[0] ?? '${{';
    field.fail(
      `'${field.label}' has an unclosed binding starting '${fragment}'`,
      `Close it with two braces: \`\${{inputs.<name>}}\`.`,
    );
  }
}

export interface CommandScope {
  inputs: readonly string[];
  outputs: readonly string[];
  /** Sweep trials: the search-space parameters. */
  searchSpace?: readonly string[];
  /** Pipeline steps: a command reads its own inputs, which bind to `${{parent...}}` on the step. */
  inPipelineStep?: boolean;
}

/** Fails unless every binding of the command names an input, output or search-space parameter it has. */
export function checkCommandBindings(field: Field, command: string, scope: CommandScope): void {
  checkBindingSyntax(field, command);
  for (const match of command.matchAll(EXPRESSION)) {
    const expression = match[1] ?? '';
    const [head = '', name, ...rest] = expression.split('.');
    const known =
      head === 'inputs'
        ? scope.inputs
        : head === 'outputs'
          ? scope.outputs
          : head === 'search_space' && scope.searchSpace
            ? scope.searchSpace
            : undefined;
    if (head === 'parent' && scope.inPipelineStep) {
      field.fail(
        `'${field.label}' uses '${match[0]}'; a step's command reads the step's own inputs and outputs`,
        `Add a step input bound to '${match[0]}' (e.g. \`inputs: {x: "${match[0]}"}\`) and use '\${{inputs.x}}' in the command.`,
      );
    }
    if (known === undefined || name === undefined || rest.length > 0) {
      const forms = [
        `\${{inputs.<name>}}`,
        `\${{outputs.<name>}}`,
        ...(scope.searchSpace ? [`\${{search_space.<name>}}`] : []),
      ];
      field.fail(
        `'${field.label}' has the binding '${match[0]}', which is not a binding the job understands`,
        `Use ${forms.join(', ')}.`,
      );
    }
    if (!known.includes(name)) {
      const kind =
        head === 'search_space' ? 'search_space parameter' : head === 'inputs' ? 'input' : 'output';
      const suggestion = closestMatch(name, known);
      const hint = suggestion === undefined ? '' : ` Did you mean '\${{${head}.${suggestion}}}'?`;
      const listed = known.length === 0 ? `there are no ${head}` : `known: ${known.join(', ')}`;
      field.fail(
        `'${field.label}' refers to '${match[0]}', but there is no ${kind} '${name}' (${listed}).${hint}`,
        head === 'search_space'
          ? `Add '${name}' under \`search_space\`, or fix the name in the command.`
          : `Declare '${name}' under \`${head}:\`, or fix the name in the command.`,
      );
    }
  }
}

export type NodeBinding =
  | { kind: 'parent-input'; name: string }
  | { kind: 'parent-output'; name: string }
  | { kind: 'step-output'; step: string; name: string };

const PARENT_INPUT = /^\$\{\{\s*parent\.inputs\.([\w-]+)\s*\}\}$/;
const PARENT_OUTPUT = /^\$\{\{\s*parent\.outputs\.([\w-]+)\s*\}\}$/;
const STEP_OUTPUT = /^\$\{\{\s*parent\.jobs\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/;

/**
 * A pipeline node value that is a binding: one of the three `${{parent...}}` forms. Fails on
 * malformed or partial bindings; undefined when the value holds no binding at all.
 */
export function parseNodeBinding(field: Field, text: string): NodeBinding | undefined {
  checkBindingSyntax(field, text);
  const trimmed = text.trim();
  let match = PARENT_INPUT.exec(trimmed);
  if (match?.[1]) return { kind: 'parent-input', name: match[1] };
  match = PARENT_OUTPUT.exec(trimmed);
  if (match?.[1]) return { kind: 'parent-output', name: match[1] };
  match = STEP_OUTPUT.exec(trimmed);
  if (match?.[1] && match[2]) return { kind: 'step-output', step: match[1], name: match[2] };
  const expression = /\$\{\{\s*([^{}]*?)\s*\}\}/.exec(trimmed);
  if (!expression) return undefined;
  const inner = expression[1] ?? '';
  const corrected = /^(inputs|outputs)\./.test(inner) ? ` Did you mean '\${{parent.${inner}}}'?` : '';
  return field.fail(
    `'${field.label}' is '${text}', which is not a pipeline binding.${corrected}`,
    `A step input or output is exactly one of \`\${{parent.inputs.<name>}}\`, \`\${{parent.jobs.<step>.outputs.<name>}}\` or \`\${{parent.outputs.<name>}}\`.`,
  );
}
