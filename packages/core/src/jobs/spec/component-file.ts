// A local command component YAML (`component: ./train.yml` in a pipeline step), checked and turned
// into a component spec in CLI YAML form whose code and environment become ARM ids when resolved.
import { readFileSync } from 'node:fs';
import { commandParts, METADATA_KEYS } from './command-job';
import { Field } from './field';
import { checkName, DATA_INPUT_TYPES, LITERAL_TYPES, OUTPUT_TYPES } from './job-parts';
import { YamlSource } from './yaml-source';

type Json = Record<string, unknown>;

export interface ComponentInput {
  type: string;
  /** Neither optional nor defaulted: a step must give it. */
  required: boolean;
}

export interface CheckedComponent {
  file: string;
  /** CLI-form spec; `code` and `environment` are Deferred ARM ids. */
  spec: Json;
  inputs: Map<string, ComponentInput>;
  outputs: Map<string, string>;
}

const COMPONENT_KEYS = [
  ...METADATA_KEYS.filter((key) => key !== 'experiment_name'),
  'version',
  'command',
  'code',
  'environment',
  'environment_variables',
  'inputs',
  'outputs',
  'resources',
  'distribution',
  'is_deterministic',
];

const choices = (types: readonly string[]) => Object.fromEntries(types.map((type) => [type, type]));

/** Reads and checks the component YAML at `path` (absolute); `displayPath` is how errors name it. */
export function readComponentFile(path: string, displayPath: string): CheckedComponent {
  const root = Field.root(new YamlSource(displayPath, readFileSync(path, 'utf8')));
  if (!root.isMapping)
    root.fail('a component YAML must be a mapping', 'Start it with `type: command`, `name:`, `command:`…');
  root.keys(COMPONENT_KEYS, 'a command component');
  const type = root.child('type');
  if (type.present) type.choice({ command: 'command' });

  const inputs = new Map<string, ComponentInput>();
  const specInputs: Json = {};
  for (const [name, field] of root.child('inputs').entries('learning_rate: {type: number, default: 0.01}')) {
    checkName(field, name, 'input');
    if (!field.isMapping)
      field.fail(
        `component input '${name}' must be a mapping with \`type\``,
        'Write e.g. `learning_rate: {type: number, default: 0.01}`.',
      );
    field.keys(
      ['type', 'default', 'optional', 'description', 'min', 'max', 'enum'],
      `component input '${name}'`,
    );
    const inputType = field
      .child('type')
      .required('uri_folder')
      .choice(choices([...DATA_INPUT_TYPES, ...LITERAL_TYPES]));
    const optional = field.child('optional').optionalBoolean() ?? false;
    const hasDefault = field.child('default').present;
    if (hasDefault) field.child('default').scalarText();
    inputs.set(name, { type: inputType, required: !optional && !hasDefault });
    specInputs[name] = field.value;
  }
  const outputs = new Map<string, string>();
  const specOutputs: Json = {};
  for (const [name, field] of root.child('outputs').entries('model: {type: uri_folder}')) {
    checkName(field, name, 'output');
    let outputType = 'uri_folder';
    if (field.present) {
      field.keys(['type', 'description'], `component output '${name}'`);
      if (field.child('type').present) outputType = field.child('type').choice(choices(OUTPUT_TYPES));
    }
    outputs.set(name, outputType);
    specOutputs[name] = field.isMapping
      ? { ...(field.value as Json), type: outputType }
      : { type: outputType };
  }

  const parts = commandParts(root, { inputs: [...inputs.keys()], outputs: [...outputs.keys()] });
  const spec: Json = { ...(root.value as Json), type: 'command', ...parts.cli };
  delete spec.$schema;
  if (inputs.size > 0) spec.inputs = specInputs;
  if (outputs.size > 0) spec.outputs = specOutputs;
  return { file: displayPath, spec, inputs, outputs };
}
