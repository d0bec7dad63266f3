// Validates a request body against a Schema for one api-version. Returns every violation with
// the property path (e.g. `properties.inputs.data.mode`) and a cleaned copy of the body: read-only
// properties dropped, nulls on optional properties dropped, as the service deserializes it.
import { type ApiVersion, isAtLeast } from '../api-version';
import type { EnumValue, ObjectSchema, Property, Schema, StringSchema } from './dsl';

export interface Violation {
  path: string;
  message: string;
}

export interface ValidationResult {
  value: unknown;
  violations: Violation[];
}

export function validate(
  schema: Schema,
  value: unknown,
  path: string,
  apiVersion: ApiVersion,
): ValidationResult {
  const violations: Violation[] = [];
  const cleaned = check(schema, value, path, { apiVersion, violations });
  return { value: cleaned, violations };
}

interface State {
  apiVersion: ApiVersion;
  violations: Violation[];
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function check(schema: Schema, value: unknown, path: string, state: State): unknown {
  const fail = (message: string): undefined => {
    state.violations.push({ path, message });
    return undefined;
  };
  switch (schema.kind) {
    case 'string':
      return typeof value === 'string'
        ? checkString(schema, value, path, state)
        : fail(`must be a string, not ${describe(value)}.`);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return fail(
          `must be an integer, not ${describe(value)}${typeof value === 'number' ? ` (${value})` : ''}.`,
        );
      if (schema.minimum !== undefined && value < schema.minimum)
        return fail(`must be at least ${schema.minimum}, not ${value}.`);
      return value;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? value
        : fail(`must be a number, not ${describe(value)}.`);
    case 'boolean':
      return typeof value === 'boolean' ? value : fail(`must be a boolean, not ${describe(value)}.`);
    case 'any':
      if (schema.object && !isObject(value)) return fail(`must be an object, not ${describe(value)}.`);
      return value;
    case 'array': {
      if (!Array.isArray(value)) return fail(`must be an array, not ${describe(value)}.`);
      return value.map((item, index) => check(schema.items, item, `${path}[${index}]`, state));
    }
    case 'map': {
      if (!isObject(value)) return fail(`must be an object, not ${describe(value)}.`);
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === null) continue;
        result[key] = check(schema.values, item, join(path, key), state);
      }
      return result;
    }
    case 'object':
      return isObject(value)
        ? checkObject(schema, value, path, state)
        : fail(`must be an object, not ${describe(value)}.`);
  }
}

function enumValue(entry: EnumValue): { value: string; since?: ApiVersion } {
  return typeof entry === 'string' ? { value: entry } : entry;
}

function checkString(schema: StringSchema, value: string, path: string, state: State): string | undefined {
  const before = state.violations.length;
  const fail = (message: string) => state.violations.push({ path, message });
  if (schema.enum) {
    const entries = schema.enum.map(enumValue);
    const match = entries.find((entry) => entry.value === value);
    const allowed = entries.filter((entry) => !entry.since || isAtLeast(state.apiVersion, entry.since));
    if (!match) {
      fail(
        `'${value}' is not a valid value. Allowed values: ${allowed.map((entry) => entry.value).join(', ')}.`,
      );
    } else if (match.since && !isAtLeast(state.apiVersion, match.since)) {
      fail(
        `'${value}' is not supported at api-version ${state.apiVersion}; it is available from api-version ${match.since}. Allowed values: ${allowed.map((entry) => entry.value).join(', ')}.`,
      );
    }
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    fail(
      schema.minLength === 1 ? 'must not be empty.' : `must be at least ${schema.minLength} characters long.`,
    );
  } else if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    fail(`must be at most ${schema.maxLength} characters long.`);
  } else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    fail(`'${value}' does not match the pattern '${schema.pattern}'.`);
  }
  return state.violations.length === before ? value : undefined;
}

function checkObject(
  schema: ObjectSchema,
  value: Record<string, unknown>,
  path: string,
  state: State,
): unknown {
  let typeName = schema.typeName;
  let properties: Record<string, Property> = schema.properties;
  let readOnly: readonly string[] = schema.readOnly ?? [];
  let open = schema.open ?? false;
  const result: Record<string, unknown> = {};

  if (schema.discriminator) {
    const { property, variants } = schema.discriminator;
    const discriminatorPath = join(path, property);
    const chosen = value[property];
    const names = Object.entries(variants)
      .filter(([, candidate]) => !candidate.since || isAtLeast(state.apiVersion, candidate.since))
      .map(([name]) => name);
    if (chosen === undefined || chosen === null) {
      state.violations.push({
        path: discriminatorPath,
        message: `is required. Allowed values: ${names.join(', ')}.`,
      });
      return undefined;
    }
    if (typeof chosen !== 'string') {
      state.violations.push({
        path: discriminatorPath,
        message: `must be a string, not ${describe(chosen)}.`,
      });
      return undefined;
    }
    const picked = variants[chosen];
    if (!picked) {
      state.violations.push({
        path: discriminatorPath,
        message: `'${chosen}' is not a valid value. Allowed values: ${names.join(', ')}.`,
      });
      return undefined;
    }
    if (picked.since && !isAtLeast(state.apiVersion, picked.since)) {
      state.violations.push({
        path: discriminatorPath,
        message: `'${chosen}' is not supported at api-version ${state.apiVersion}; it is available from api-version ${picked.since}. Allowed values: ${names.join(', ')}.`,
      });
      return undefined;
    }
    typeName = picked.typeName;
    properties = { ...properties, ...picked.properties };
    readOnly = [...readOnly, ...(picked.readOnly ?? [])];
    open ||= picked.open ?? false;
    result[property] = chosen;
  }

  for (const [key, item] of Object.entries(value)) {
    if (schema.discriminator && key === schema.discriminator.property) continue;
    const propertyPath = join(path, key);
    const definition = properties[key];
    if (!definition) {
      if (open && !readOnly.includes(key)) result[key] = item;
      else if (!readOnly.includes(key)) {
        state.violations.push({ path: propertyPath, message: `is not a known property of ${typeName}.` });
      }
      continue;
    }
    if (definition.since && !isAtLeast(state.apiVersion, definition.since)) {
      if (item === null) continue;
      state.violations.push({
        path: propertyPath,
        message: `is not supported at api-version ${state.apiVersion}; ${typeName}.${key} is available from api-version ${definition.since}.`,
      });
      continue;
    }
    if (item === null) continue;
    const cleaned = check(definition.schema, item, propertyPath, state);
    if (cleaned !== undefined) result[key] = cleaned;
  }

  for (const [key, definition] of Object.entries(properties)) {
    if (!definition.required) continue;
    if (definition.since && !isAtLeast(state.apiVersion, definition.since)) continue;
    if (schema.discriminator && key === schema.discriminator.property) continue;
    if (value[key] === undefined || value[key] === null) {
      state.violations.push({ path: join(path, key), message: `is required by ${typeName}.` });
    }
  }
  return result;
}
