// Smoke cases: what to send and what to expect back, read strictly from YAML or JSON files (one
// case, a list, or `cases:`), a folder of such files, a request file or inline JSON. Every problem
// names the file and line. JSON paths and JSON schemas are checked here, before any request.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, Field, YamlSource } from '@aml-actions/core';
import { Ajv, type ValidateFunction } from 'ajv';
import { type PathPart, parseJsonPath } from './json-path';

export type Matcher =
  | { kind: 'equals'; value: unknown }
  | { kind: 'approx'; value: number; tolerance: number }
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'one-of'; values: unknown[] };

export interface JsonExpectation {
  path: string;
  parts: PathPart[];
  matcher: Matcher;
}

export interface Expectations {
  /** Accepted statuses; a 2xx also needs a body that is not an error payload. */
  status: number[];
  contentType?: string | undefined;
  json: JsonExpectation[];
  schema?: { validate: ValidateFunction; from: string } | undefined;
}

export interface SmokeCase {
  name: string;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  /** Pins this case to one deployment; otherwise it runs against every target. */
  deployment?: string | undefined;
  expect: Expectations;
  /** `cases.yml:12`, for messages and annotations. */
  source: { file: string; line?: number | undefined };
}

const CASE_KEYS = ['name', 'request', 'request-file', 'content-type', 'headers', 'deployment', 'expect'];
const EXPECT_KEYS = ['status', 'content-type', 'json', 'schema', 'schema-file'];
const MATCHER_KEYS = ['equals', 'approx', 'tolerance', 'regex', 'one-of'];
const CASE_EXTENSIONS = /\.(ya?ml|json)$/i;

const ajv = new Ajv({ allErrors: true, strict: false });

export interface CaseDefaults {
  status: number[];
}

/** The cases of a file or of every YAML/JSON file in a folder (sorted by name). */
export function loadCases(location: string, cwd: string, defaults: CaseDefaults): SmokeCase[] {
  const full = path.resolve(cwd, location);
  let isFolder: boolean;
  try {
    isFolder = statSync(full).isDirectory();
  } catch {
    throw new ConfigurationError(`'${location}' does not exist`, {
      input: 'cases',
      fix: `Give a cases file (YAML or JSON) or a folder of them, relative to ${cwd}.`,
    });
  }
  const files = isFolder
    ? readdirSync(full)
        .filter((name) => CASE_EXTENSIONS.test(name))
        .sort()
        .map((name) => path.join(location, name))
    : [location];
  if (files.length === 0) {
    throw new ConfigurationError(`the folder '${location}' holds no .yml, .yaml or .json case files`, {
      input: 'cases',
      fix: 'Put one case file per scenario in the folder, e.g. healthy.yml with `request:` and `expect:`.',
    });
  }
  const cases = files.flatMap((file) =>
    readCasesFile(file, readFileSync(path.resolve(cwd, file), 'utf8'), cwd, defaults),
  );
  if (cases.length === 0) {
    throw new ConfigurationError(`'${location}' defines no cases`, {
      input: 'cases',
      fix: 'Write at least one case: `- name: healthy\\n  request: {"data": [[1, 2]]}`.',
    });
  }
  return cases;
}

/** Parses one cases file (pure apart from reading the request and schema files it names). */
export function readCasesFile(file: string, text: string, cwd: string, defaults: CaseDefaults): SmokeCase[] {
  try {
    const root = Field.root(new YamlSource(file, text));
    const list = Array.isArray(root.value)
      ? root
      : root.isMapping && 'cases' in (root.value as Record<string, unknown>)
        ? root.keys(['cases'], 'the cases file').child('cases')
        : undefined;
    if (!list) {
      if (!root.isMapping)
        root.fail(
          'the cases file is neither a case, a list of cases nor a mapping with `cases:`',
          'Write `cases:` followed by a list of cases, each with `request:` and `expect:`.',
        );
      return [readCase(root, file, cwd, defaults, path.basename(file).replace(CASE_EXTENSIONS, ''))];
    }
    if (!Array.isArray(list.value))
      list.fail('`cases` must be a list', 'Write each case as a list item starting with `- name:`.');
    return (list.value as unknown[]).map((_, index) =>
      readCase(list.child(index), file, cwd, defaults, `case ${index + 1}`),
    );
  } catch (error) {
    if (error instanceof ConfigurationError && error.input === undefined) {
      throw new ConfigurationError(error.problem, {
        input: 'cases',
        ...(error.file ? { file: error.file } : {}),
        ...(error.line !== undefined ? { line: error.line } : {}),
        ...(error.column !== undefined ? { column: error.column } : {}),
        fix: error.fix,
      });
    }
    throw error;
  }
}

function readCase(
  field: Field,
  file: string,
  cwd: string,
  defaults: CaseDefaults,
  fallbackName: string,
): SmokeCase {
  if (!field.isMapping)
    field.fail('a case must be a mapping', 'Write `name:`, `request:` (or `request-file:`) and `expect:`.');
  field.keys(CASE_KEYS, 'a case');
  const name = field.child('name').optionalString('healthy rows') ?? fallbackName;
  const request = field.child('request');
  const requestFile = field.child('request-file');
  if (request.present === requestFile.present) {
    field.fail(
      `case '${name}' needs exactly one of request and request-file`,
      'Write the body inline (`request: {"data": [[...]]}`) or name a file (`request-file: requests/rows.json`).',
    );
  }
  let body: string;
  if (request.present) {
    body = typeof request.value === 'string' ? request.value : JSON.stringify(request.value);
  } else {
    const target = path.resolve(cwd, path.dirname(file), requestFile.string('requests/rows.json'));
    try {
      body = readFileSync(target, 'utf8');
    } catch {
      throw requestFile.problem(
        `the request file '${String(requestFile.value)}' cannot be read`,
        `Check the path: it is relative to the cases file (${path.dirname(file)}).`,
      );
    }
  }
  const headers = field.child('headers').stringMap() ?? {};
  return {
    name,
    body,
    contentType: field.child('content-type').optionalString('application/json') ?? 'application/json',
    headers,
    deployment: field.child('deployment').optionalString('blue'),
    expect: readExpect(field.child('expect'), file, cwd, defaults),
    source: { file, line: field.at().line },
  };
}

function readExpect(field: Field, file: string, cwd: string, defaults: CaseDefaults): Expectations {
  if (!field.present) return { status: defaults.status, json: [] };
  if (!field.isMapping)
    field.fail(
      '`expect` must be a mapping',
      'Write e.g. `expect: { status: 200, json: { $.predictions[0]: 0 } }`.',
    );
  field.keys(EXPECT_KEYS, 'expect');
  const status = readStatus(field.child('status')) ?? defaults.status;
  const json = field
    .child('json')
    .entries('$.predictions[0]: 1')
    .map(([key, value]): JsonExpectation => {
      let parts: PathPart[];
      try {
        parts = parseJsonPath(key);
      } catch (error) {
        throw value.problem(
          `'${key}' is not a JSON path: ${(error as Error).message}`,
          'Write e.g. `$.predictions[0]`.',
          {
            atKey: true,
          },
        );
      }
      return { path: key, parts, matcher: readMatcher(value) };
    });
  const schemaField = field.child('schema');
  const schemaFile = field.child('schema-file');
  let schema: Expectations['schema'];
  if (schemaField.present && schemaFile.present)
    schemaFile.fail('expect has both schema and schema-file', 'Keep one of them.');
  if (schemaField.present) schema = compileSchema(schemaField, schemaField.value, `${file} (inline schema)`);
  if (schemaFile.present) {
    const target = path.resolve(cwd, path.dirname(file), schemaFile.string('schemas/response.json'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(target, 'utf8'));
    } catch (error) {
      throw schemaFile.problem(
        `the schema file '${String(schemaFile.value)}' cannot be read as JSON: ${(error as Error).message}`,
        `Check the path (relative to ${path.dirname(file)}) and that it holds one JSON schema.`,
      );
    }
    schema = compileSchema(schemaFile, parsed, String(schemaFile.value));
  }
  const contentType = field.child('content-type').optionalString('application/json');
  return { status, json, ...(contentType ? { contentType } : {}), ...(schema ? { schema } : {}) };
}

function readStatus(field: Field): number[] | undefined {
  if (!field.present) return undefined;
  const values = Array.isArray(field.value) ? (field.value as unknown[]) : [field.value];
  return values.map((value, index) => {
    const item = Array.isArray(field.value) ? field.child(index) : field;
    if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 599)
      item.fail(
        `'${String(value)}' is not an HTTP status`,
        'Write a status from 100 to 599, or a list: [200, 201].',
      );
    return value as number;
  });
}

function readMatcher(field: Field): Matcher {
  const value = field.value;
  const isOperator =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((key) => MATCHER_KEYS.includes(key));
  if (!isOperator) return { kind: 'equals', value };
  const operators = Object.keys(value as object).filter((key) => key !== 'tolerance');
  if (operators.length !== 1)
    field.fail(
      `a check takes one of equals, approx, regex or one-of, not ${operators.join(' and ') || 'only tolerance'}`,
      'Write e.g. `{approx: 0.12, tolerance: 0.01}` or `{regex: "^v\\\\d+$"}`.',
    );
  const [operator] = operators;
  const hasTolerance = field.child('tolerance').present;
  if (hasTolerance && operator !== 'approx')
    field
      .child('tolerance')
      .fail('tolerance only goes with approx', 'Remove tolerance, or use approx.', { atKey: true });
  switch (operator) {
    case 'equals':
      return { kind: 'equals', value: field.child('equals').value };
    case 'approx': {
      const tolerance = hasTolerance ? field.child('tolerance').number(0.01) : 1e-6;
      if (tolerance < 0) field.child('tolerance').fail('tolerance must not be negative', 'Write e.g. 0.01.');
      return { kind: 'approx', value: field.child('approx').number(0.5), tolerance };
    }
    case 'regex': {
      const source = field.child('regex').string('^v\\d+$');
      try {
        return { kind: 'regex', pattern: new RegExp(source) };
      } catch (error) {
        return field
          .child('regex')
          .fail(
            `'${source}' is not a regular expression: ${(error as Error).message}`,
            'Correct the pattern (JavaScript syntax; escape backslashes in double-quoted YAML).',
          );
      }
    }
    default: {
      const list = field.child('one-of');
      if (!Array.isArray(list.value) || list.value.length === 0)
        list.fail('one-of needs a non-empty list', 'Write e.g. `{one-of: [0, 1]}`.');
      return { kind: 'one-of', values: list.value as unknown[] };
    }
  }
}

function compileSchema(field: Field, schema: unknown, from: string): NonNullable<Expectations['schema']> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    field.fail('a JSON schema must be an object', 'Write e.g. `{type: object, required: [predictions]}`.');
  try {
    return { validate: ajv.compile(schema as Record<string, unknown>), from };
  } catch (error) {
    return field.fail(
      `the JSON schema is not valid: ${(error as Error).message}`,
      'Correct the schema (JSON Schema draft-07 or 2019-09 keywords).',
    );
  }
}

/** One case from a request file or inline JSON, with the default expectations. */
export function singleCase(
  name: string,
  body: string,
  input: string,
  defaults: CaseDefaults,
  source: SmokeCase['source'],
): SmokeCase {
  try {
    JSON.parse(body);
  } catch (error) {
    throw new ConfigurationError(`${name} is not JSON: ${(error as Error).message}`, {
      input,
      fix: 'Give the scoring request as JSON, e.g. {"data": [[61.3, 2.39, 5.96, 1184.46]]}.',
    });
  }
  return {
    name,
    body,
    contentType: 'application/json',
    headers: {},
    expect: { status: defaults.status, json: [] },
    source,
  };
}
