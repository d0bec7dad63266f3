// Strict readers for action inputs. Each reader names the input, says what was wrong, shows the
// bad value (never for a secret input) and how to fix it, so a typo in a workflow fails the step
// up front with a ConfigurationError instead of half-way through a job.

import * as core from '@actions/core';
import { ConfigurationError } from '../errors';
import { closestMatch } from '../text/closest-match';
import { locateJsonSyntaxError } from '../workspace/json-error';

export { closestMatch };

/** Where input values come from: the trimmed raw value, '' when the input is unset. */
export interface InputSource {
  getInput(name: string): string;
}

/** Inputs as the runner passes them (`INPUT_<NAME>` environment variables), through `@actions/core`. */
export const actionsInputSource: InputSource = {
  getInput: (name) => core.getInput(name),
};

/** An input source over fixed values, for tests and for composing inputs from other places. */
export function staticInputSource(values: Readonly<Record<string, string | undefined>>): InputSource {
  return { getInput: (name) => (values[name] ?? '').trim() };
}

export interface InputReaderOptions {
  /** Inputs whose values are never echoed in error messages. */
  secretInputs?: ReadonlySet<string>;
}

export interface NumberInputOptions {
  /** Used when the input is empty; without it the input is required. */
  default?: number;
  min?: number;
  max?: number;
}

export interface DurationInputOptions {
  /** Used when the input is empty; without it the input is required. */
  default?: number;
  minInMs?: number;
  maxInMs?: number;
}

export interface ListInputOptions {
  /**
   * `newline-or-comma` (default): items are split on line breaks and on commas.
   * `newline`: one item per line, commas kept (for items such as `a=1,2`).
   */
  separator?: 'newline-or-comma' | 'newline';
}

export interface JsonInputOptions {
  /** Used when the input is empty; without it the input is required. */
  default?: unknown;
}

const TRUE_LITERALS = ['true', 'True', 'TRUE'];
const FALSE_LITERALS = ['false', 'False', 'FALSE'];
const SHOWN_VALUE_MAX_LENGTH = 200;
const DURATION_UNITS: Readonly<Record<string, number>> = {
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const DURATION_EXAMPLES = "'500ms', '90s', '30m', '2h', '1d', '1h30m', or '600' (seconds)";

export class InputReader {
  readonly #source: InputSource;
  readonly #secretInputs: ReadonlySet<string>;

  constructor(source: InputSource, options: InputReaderOptions = {}) {
    this.#source = source;
    this.#secretInputs = options.secretInputs ?? new Set();
  }

  /** The raw value; fails when the input is empty. */
  required(name: string): string {
    const value = this.#source.getInput(name);
    if (value === '') throw this.#missing(name);
    return value;
  }

  /** The raw value, or undefined when the input is empty. */
  optional(name: string): string | undefined {
    const value = this.#source.getInput(name);
    return value === '' ? undefined : value;
  }

  /** YAML 1.2 core-schema booleans only: true/True/TRUE/false/False/FALSE. */
  boolean(name: string, defaultValue?: boolean): boolean {
    const value = this.#source.getInput(name);
    if (value === '') {
      if (defaultValue === undefined) throw this.#missing(name, 'true');
      return defaultValue;
    }
    if (TRUE_LITERALS.includes(value)) return true;
    if (FALSE_LITERALS.includes(value)) return false;
    throw this.#invalid(name, `expected a boolean, got ${this.#show(name, value)}`, {
      fix: `Use one of ${[...TRUE_LITERALS, ...FALSE_LITERALS].join(', ')} (YAML 1.2 booleans; 'yes', 'on' and '1' are not accepted).`,
    });
  }

  /** One of `allowed` (case-insensitive), `defaultValue` when empty; a typo gets a "did you mean". */
  choice<T extends string>(name: string, allowed: readonly T[], defaultValue: T): T {
    const value = this.#source.getInput(name).trim();
    if (value === '') return defaultValue;
    const normalised = value.toLowerCase();
    const match = allowed.find((option) => option.toLowerCase() === normalised);
    if (match !== undefined) return match;
    const near = closestMatch(normalised, allowed);
    throw this.#invalid(
      name,
      `${this.#show(name, value)} is not one of ${allowed.join(', ')}${near ? `; did you mean '${near}'?` : ''}`,
      {
        fix: `Set ${name} to one of ${allowed.join(', ')}.`,
      },
    );
  }

  /** A whole decimal number (`-3`, `42`); no fractions, exponents, hex or trailing text. */
  integer(name: string, options: NumberInputOptions = {}): number {
    const value = this.#source.getInput(name);
    if (value === '') return this.#defaultOrMissing(name, options.default, '10');
    if (!/^[+-]?\d+$/.test(value)) {
      throw this.#invalid(name, `expected a whole number, got ${this.#show(name, value)}`, {
        fix: `Write a whole decimal number such as ${exampleNumber(options, 10)}, without a fraction, exponent, unit or '0x' prefix.`,
      });
    }
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) {
      throw this.#invalid(name, `${this.#show(name, value)} is too large to be exact`, {
        fix: `Use a whole number between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}.`,
      });
    }
    this.#checkBounds(name, value, parsed, options.min, options.max, String);
    return parsed;
  }

  /** A finite decimal number: `0.95`, `-2`, `.5`, `1e-4`. */
  number(name: string, options: NumberInputOptions = {}): number {
    const value = this.#source.getInput(name);
    if (value === '') return this.#defaultOrMissing(name, options.default, '0.5');
    const parsed = Number(value);
    if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value) || !Number.isFinite(parsed)) {
      throw this.#invalid(name, `expected a decimal number, got ${this.#show(name, value)}`, {
        fix: `Write a finite decimal number such as ${exampleNumber(options, 0.5)} or 1e-4, without units or '0x' prefix.`,
      });
    }
    this.#checkBounds(name, value, parsed, options.min, options.max, String);
    return parsed;
  }

  /**
   * A duration in milliseconds: units `d`, `h`, `m`, `s`, `ms` combined from largest to smallest
   * (`1h30m`), or a bare whole number meaning seconds.
   */
  duration(name: string, options: DurationInputOptions = {}): number {
    const value = this.#source.getInput(name);
    if (value === '') return this.#defaultOrMissing(name, options.default, '30m');
    const parsed = parseDuration(value);
    if (typeof parsed === 'string') {
      throw this.#invalid(name, `${this.#show(name, value)} is not a valid duration: ${parsed}`, {
        fix: `Write a duration such as ${DURATION_EXAMPLES}; units are d, h, m, s and ms.`,
      });
    }
    this.#checkBounds(name, value, parsed, options.minInMs, options.maxInMs, formatDuration);
    return parsed;
  }

  /** One of `allowed`, matched case-sensitively; a near miss gets a "did you mean". */
  oneOf<T extends string>(name: string, allowed: readonly T[], defaultValue?: T): T {
    const value = this.#source.getInput(name);
    if (value === '') {
      if (defaultValue === undefined) throw this.#missing(name, allowed[0]);
      return defaultValue;
    }
    const match = allowed.find((candidate) => candidate === value);
    if (match !== undefined) return match;
    const valid = allowed.map((candidate) => `'${candidate}'`).join(', ');
    const suggestion = closestMatch(value, allowed);
    const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
    const caseNote =
      suggestion !== undefined && suggestion.toLowerCase() === value.toLowerCase()
        ? ' (values are case-sensitive)'
        : '';
    throw this.#invalid(name, `${this.#show(name, value)} is not one of ${valid}.${hint}${caseNote}`, {
      fix: `Set it to one of ${valid}.`,
    });
  }

  /**
   * Items one per line; unless `separator: 'newline'`, commas also separate items. Items are trimmed;
   * empty items, blank lines and lines starting with `#` are dropped. Empty input gives [].
   */
  list(name: string, options: ListInputOptions = {}): string[] {
    const items: string[] = [];
    for (const { text } of meaningfulLines(this.#source.getInput(name))) {
      const parts = options.separator === 'newline' ? [text] : text.split(',');
      for (const part of parts) {
        const item = part.trim();
        if (item !== '') items.push(item);
      }
    }
    return items;
  }

  /** Parsed JSON; a syntax error names the line and column within the value. */
  json(name: string, options: JsonInputOptions = {}): unknown {
    const value = this.#source.getInput(name);
    if (value === '') {
      if ('default' in options) return options.default;
      throw this.#missing(name, '{"key": "value"}');
    }
    try {
      return JSON.parse(value);
    } catch (error) {
      const { offset, line, column } = locateJsonSyntaxError(value, error);
      const near = this.#isSecret(name)
        ? ''
        : offset < value.length
          ? ` near ${JSON.stringify(value.charAt(offset))}`
          : ' (the value ends too early)';
      // The SyntaxError is not kept as the cause: Node quotes the whole value in its message.
      throw new ConfigurationError(
        `is not valid JSON: syntax error at line ${line}, column ${column} of the value${near}`,
        {
          input: name,
          line,
          column,
          fix: 'Write valid JSON: double-quoted keys and strings, no trailing commas, no comments. A YAML block scalar (`|`) keeps multi-line JSON intact.',
        },
      );
    }
  }

  /**
   * `key=value`, one pair per line (the value may contain `=`; key and value are trimmed). Blank
   * lines and `#` comment lines are dropped; a duplicate key is an error. Empty input gives {}.
   */
  keyValueMap(name: string): Record<string, string> {
    const pairs = new Map<string, { value: string; line: number }>();
    const fix = `Write one \`key=value\` pair per line, for example:\n  ${name}: |\n    team=ml\n    stage=dev`;
    for (const { text, line } of meaningfulLines(this.#source.getInput(name))) {
      const shownLine = this.#isSecret(name) ? '' : `: ${this.#showText(text)}`;
      const equals = text.indexOf('=');
      if (equals === -1) {
        const yamlLike = /^[^\s:]+:(\s|$)/.test(text) ? " ('key: value' is not accepted)" : '';
        throw this.#invalid(name, `line ${line} is not of the form key=value${yamlLike}${shownLine}`, {
          fix,
        });
      }
      const key = text.slice(0, equals).trim();
      if (key === '') {
        throw this.#invalid(name, `line ${line} has no key before '='${shownLine}`, { fix });
      }
      const earlier = pairs.get(key);
      if (earlier !== undefined) {
        const shownKey = this.#isSecret(name) ? 'a key' : `key '${key}'`;
        throw this.#invalid(name, `${shownKey} appears twice, on lines ${earlier.line} and ${line}`, {
          fix: 'Give each key once; remove or merge the duplicate line.',
        });
      }
      pairs.set(key, { value: text.slice(equals + 1).trim(), line });
    }
    return Object.fromEntries([...pairs].map(([key, { value }]) => [key, value]));
  }

  #isSecret(name: string): boolean {
    return this.#secretInputs.has(name);
  }

  #show(name: string, value: string): string {
    return this.#isSecret(name) ? 'a value (hidden: the input is secret)' : this.#showText(value);
  }

  #showText(value: string): string {
    const text =
      value.length > SHOWN_VALUE_MAX_LENGTH ? `${value.slice(0, SHOWN_VALUE_MAX_LENGTH - 3)}...` : value;
    return JSON.stringify(text);
  }

  #missing(name: string, example = '<value>'): ConfigurationError {
    return new ConfigurationError('is required but was not set (or is empty)', {
      input: name,
      fix: `Set it in the step's \`with:\` block, for example \`${name}: ${example}\`.`,
    });
  }

  #invalid(name: string, problem: string, options: { fix: string }): ConfigurationError {
    return new ConfigurationError(problem, { input: name, fix: options.fix });
  }

  #defaultOrMissing(name: string, defaultValue: number | undefined, example: string): number {
    if (defaultValue === undefined) throw this.#missing(name, example);
    return defaultValue;
  }

  #checkBounds(
    name: string,
    raw: string,
    parsed: number,
    min: number | undefined,
    max: number | undefined,
    format: (value: number) => string,
  ): void {
    const tooLow = min !== undefined && parsed < min;
    const tooHigh = max !== undefined && parsed > max;
    if (!tooLow && !tooHigh) return;
    const range =
      min !== undefined && max !== undefined
        ? `between ${format(min)} and ${format(max)}`
        : min !== undefined
          ? `at least ${format(min)}`
          : `at most ${format(max ?? 0)}`;
    throw this.#invalid(name, `must be ${range}, got ${this.#show(name, raw)}`, {
      fix: `Set it to a value ${range}.`,
    });
  }
}

function exampleNumber(options: NumberInputOptions, fallback: number): string {
  return String(options.default ?? options.min ?? fallback);
}

/** Lines of a multi-line value with their 1-based number, without blank and `#` comment lines. */
function meaningfulLines(value: string): { text: string; line: number }[] {
  return value
    .split(/\r?\n/)
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter(({ text }) => text !== '' && !text.startsWith('#'));
}

/**
 * Milliseconds of a duration such as `1h30m`, `500ms` or `600` (bare number = seconds), or the
 * reason it is invalid. Units go from largest to smallest, each at most once.
 */
export function parseDuration(text: string): number | string {
  if (text.startsWith('-')) return 'durations cannot be negative';
  if (/^\d+$/.test(text)) return checkedMs(Number(text) * 1000);
  if (/\s/.test(text)) return "remove the spaces (write '1h30m', not '1h 30m')";
  if (/\d[.,]\d/.test(text)) return "fractions are not accepted (write '1h30m' rather than '1.5h')";
  const units = Object.keys(DURATION_UNITS);
  let total = 0;
  let previousUnitIndex = -1;
  const component = /(\d*)([A-Za-z]*)/y;
  let position = 0;
  while (position < text.length) {
    component.lastIndex = position;
    const match = component.exec(text);
    const digits = match?.[1] ?? '';
    const unit = match?.[2] ?? '';
    if (digits === '' && unit === '') return `unexpected ${JSON.stringify(text.charAt(position))}`;
    if (digits === '') return `unit '${unit}' has no number before it`;
    if (unit === '') return `the number ${digits} has no unit (a bare number means seconds only on its own)`;
    const unitIndex = units.indexOf(unit);
    if (unitIndex === -1) return `unknown unit '${unit}' (use d, h, m, s or ms)`;
    if (unitIndex <= previousUnitIndex) return `unit '${unit}' is repeated or out of order (largest first)`;
    previousUnitIndex = unitIndex;
    total += Number(digits) * (DURATION_UNITS[unit] ?? 0);
    position = component.lastIndex;
  }
  return checkedMs(total);
}

function checkedMs(ms: number): number | string {
  return Number.isSafeInteger(ms) ? ms : 'it is too long';
}

/** A compact form of a duration: 5400000 → `1h30m`, 1500 → `1s500ms`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let text = ms < 0 ? '-' : '';
  for (const [unit, size] of Object.entries(DURATION_UNITS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}
