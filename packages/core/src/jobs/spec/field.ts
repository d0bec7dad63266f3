// A value of the YAML with its path, and strict readers that fail with the file, line and a fix.
import type { ConfigurationError } from '../../errors';
import { closestMatch } from '../../text/closest-match';
import type { SourceLocation } from './types';
import type { ProblemOptions, YamlPath, YamlSource } from './yaml-source';

/** CLI v1 (and azureml-sdk v1) keys, with the v2 way to say the same thing. */
const V1_KEYS: Readonly<Record<string, string>> = {
  steps:
    'CLI v2 pipelines list their steps under `jobs:` (a mapping of step name → step) with `type: pipeline`.',
  run_step:
    'Write each step as an entry under `jobs:` with `type: command`, `command`, `code` and `environment`.',
  script_mode: 'CLI v2 has no script mode: run the script in `command`, e.g. `command: python train.py`.',
  post_run_scripts:
    'CLI v2 has no post-run scripts: chain them in `command` (`python train.py && python post.py`) or add a pipeline step.',
  script: `CLI v2 runs \`command\` (e.g. \`command: python train.py --lr \${{inputs.lr}}\`) with \`code\` as the folder.`,
  arguments: `Put the arguments in \`command\`, binding values through \`\${{inputs.<name>}}\`.`,
  target: 'CLI v2 names the compute in `compute: azureml:<name>`.',
  runconfig: 'CLI v2 job YAML has no runconfig; write `command`, `environment` and `compute` on the job.',
};

const describe = (value: unknown): string =>
  value === null || value === undefined
    ? 'empty'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'a mapping'
        : JSON.stringify(value);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class Field {
  readonly source: YamlSource;
  readonly path: YamlPath;
  readonly value: unknown;

  constructor(source: YamlSource, path: YamlPath, value: unknown) {
    this.source = source;
    this.path = path;
    this.value = value;
  }

  static root(source: YamlSource): Field {
    return new Field(source, [], source.data);
  }

  /** `resources.instance_count`, or `the job` for the document itself. */
  get label(): string {
    return this.path.length === 0 ? 'the job' : this.path.join('.');
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  get isMapping(): boolean {
    return isRecord(this.value);
  }

  at(options: ProblemOptions = {}): SourceLocation {
    return this.source.locate(this.path, options);
  }

  problem(problem: string, fix: string, options: ProblemOptions = {}): ConfigurationError {
    return this.source.problem(this.path, problem, fix, options);
  }

  fail(problem: string, fix: string, options: ProblemOptions = {}): never {
    throw this.problem(problem, fix, options);
  }

  child(key: string | number): Field {
    const value = isRecord(this.value)
      ? this.value[key]
      : Array.isArray(this.value)
        ? this.value[Number(key)]
        : undefined;
    return new Field(this.source, [...this.path, key], value);
  }

  /** The value's entries; fails unless it is a mapping (empty is an empty mapping). */
  entries(example = 'name: value'): [string, Field][] {
    if (!this.present) return [];
    if (!isRecord(this.value)) {
      this.fail(
        `'${this.label}' must be a mapping, not ${describe(this.value)}`,
        `Write it as a mapping, e.g.\n  ${this.path.at(-1) ?? 'key'}:\n    ${example}`,
      );
    }
    return Object.keys(this.value).map((key) => [key, this.child(key)]);
  }

  /** Fails unless this is a mapping whose keys are all in `allowed` (with a "did you mean"). */
  keys(allowed: readonly string[], what = this.label): this {
    for (const [key, child] of this.entries()) {
      if (allowed.includes(key)) continue;
      const v1 = V1_KEYS[key];
      if (v1 !== undefined) {
        child.fail(`'${key}' is a CLI v1 construct, not part of the CLI v2 job YAML (in ${what})`, v1, {
          atKey: true,
        });
      }
      const suggestion = closestMatch(key, allowed);
      if (suggestion !== undefined && suggestion.toLowerCase() === key.toLowerCase()) {
        child.fail(
          `'${key}' is mis-cased in ${what}: did you mean '${suggestion}'? (keys are case-sensitive)`,
          `Rename '${key}' to '${suggestion}'.`,
          { atKey: true },
        );
      }
      const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
      child.fail(
        `unknown key '${key}' in ${what}.${hint}`,
        suggestion === undefined
          ? `Remove '${key}', or use one of: ${allowed.join(', ')}.`
          : `Rename '${key}' to '${suggestion}'.`,
        { atKey: true },
      );
    }
    return this;
  }

  /** Fails when this value is absent. */
  required(example: string): this {
    if (!this.present) {
      const key = String(this.path.at(-1) ?? '');
      const parent = this.path.length > 1 ? ` in '${this.path.slice(0, -1).join('.')}'` : '';
      this.fail(`'${key}' is required${parent} but missing`, `Add it, for example \`${key}: ${example}\`.`);
    }
    return this;
  }

  string(example = 'text'): string {
    if (typeof this.value !== 'string' || this.value.trim() === '') {
      this.fail(
        `'${this.label}' must be a non-empty string, not ${describe(this.value)}`,
        `Write a string, for example \`${String(this.path.at(-1))}: ${example}\`.`,
      );
    }
    return this.value;
  }

  optionalString(example?: string): string | undefined {
    return this.present ? this.string(example) : undefined;
  }

  /** A scalar written as text (numbers and booleans as the CLI would print them). */
  scalarText(): string {
    const value = this.value;
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean') return value ? 'True' : 'False';
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.fail(
      `'${this.label}' must be a single value (text, number or boolean), not ${describe(value)}`,
      `Write a plain value, for example \`${String(this.path.at(-1))}: 0.01\`.`,
    );
  }

  integer(options: { min?: number; example?: number } = {}): number {
    const value = this.value;
    const example = options.example ?? Math.max(options.min ?? 1, 1);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.fail(
        `'${this.label}' must be a whole number, not ${describe(value)}`,
        `Write a whole number without quotes, for example \`${String(this.path.at(-1))}: ${example}\`.`,
      );
    }
    if (options.min !== undefined && value < options.min) {
      this.fail(
        `'${this.label}' must be at least ${options.min}, not ${value}`,
        `Set it to ${options.min} or more.`,
      );
    }
    return value;
  }

  optionalInteger(options: { min?: number; example?: number } = {}): number | undefined {
    return this.present ? this.integer(options) : undefined;
  }

  number(example = 0.1): number {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) {
      this.fail(
        `'${this.label}' must be a number, not ${describe(this.value)}`,
        `Write a number without quotes, for example \`${String(this.path.at(-1))}: ${example}\`.`,
      );
    }
    return this.value;
  }

  optionalNumber(example?: number): number | undefined {
    return this.present ? this.number(example) : undefined;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') {
      this.fail(
        `'${this.label}' must be true or false, not ${describe(this.value)}`,
        `Write \`${String(this.path.at(-1))}: true\` or \`false\` without quotes.`,
      );
    }
    return this.value;
  }

  optionalBoolean(): boolean | undefined {
    return this.present ? this.boolean() : undefined;
  }

  /** One of the CLI values (matched case-insensitively), mapped to its REST value. */
  choice<T extends string>(values: Readonly<Record<string, T>>): T {
    const names = Object.keys(values);
    const text = typeof this.value === 'string' ? this.value : undefined;
    const match =
      text === undefined ? undefined : names.find((name) => name.toLowerCase() === text.toLowerCase());
    if (match !== undefined) return values[match] as T;
    const suggestion = text === undefined ? undefined : closestMatch(text, names);
    const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
    return this.fail(
      `'${this.label}' is ${describe(this.value)}, which is not one of ${names.join(', ')}.${hint}`,
      `Set it to one of: ${names.join(', ')}.`,
    );
  }

  optionalChoice<T extends string>(values: Readonly<Record<string, T>>): T | undefined {
    return this.present ? this.choice(values) : undefined;
  }

  /** A mapping of names to scalar values, as strings (tags, environment variables). */
  stringMap(): Record<string, string> | undefined {
    if (!this.present) return undefined;
    return Object.fromEntries(this.entries('KEY: value').map(([key, child]) => [key, child.scalarText()]));
  }
}
