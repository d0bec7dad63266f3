// Reading MLflow request fields: JSON bodies for POST, query parameters for GET, with MLflow's
// messages for missing or mistyped values.
import type { EmulatorRequest } from '../http/types';
import { invalidParameter, MlflowError, type MlflowKeyValue } from './types';
import { parseDouble, parseInt64 } from './wire-values';

export type Fields = Record<string, unknown>;

/** The request's fields; a POST body that is not a JSON object is MALFORMED_REQUEST. */
export function requestFields(request: EmulatorRequest): Fields {
  if (request.method.toUpperCase() === 'GET') {
    const fields: Fields = {};
    for (const key of new Set(request.query.keys())) {
      const values = request.query.getAll(key);
      fields[key] = values.length === 1 ? values[0] : values;
    }
    return fields;
  }
  let body = request.body;
  if (body === undefined && request.rawBody.length > 0) {
    // Clients that omit the JSON content type still send JSON.
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch (error) {
      throw new MlflowError('MALFORMED_REQUEST', `Malformed request body: ${(error as Error).message}`);
    }
  }
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MlflowError('MALFORMED_REQUEST', 'The request body must be a JSON object.');
  }
  return body as Fields;
}

const missing = (name: string): MlflowError =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );

const mistyped = (name: string, value: unknown, expected: string): MlflowError =>
  invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected ${expected}.`,
  );

export function optionalString(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  // Numbers and booleans are what loosely typed clients send for string fields such as params.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw mistyped(name, value, 'a string');
}

export function requiredString(fields: Fields, name: string): string {
  const value = optionalString(fields, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

/** `run_id`, or the older `run_uuid`. */
export function runIdOf(fields: Fields): string {
  const value = optionalString(fields, 'run_id') || optionalString(fields, 'run_uuid');
  if (!value) throw missing('run_id');
  return value;
}

export function optionalInt64(fields: Fields, name: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = parseInt64(value);
  if (parsed === undefined) throw mistyped(name, value, 'an integer');
  return parsed;
}

export function requiredDouble(fields: Fields, name: string): number {
  const value = fields[name];
  if (value === undefined || value === null) throw missing(name);
  const parsed = parseDouble(value);
  if (parsed === undefined) throw mistyped(name, value, 'a number, "NaN", "Infinity" or "-Infinity"');
  return parsed;
}

export function stringList(fields: Fields, name: string): string[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === 'string' || typeof item === 'number') return String(item);
    throw mistyped(name, value, 'a list of strings');
  });
}

/** A list of objects, e.g. log-batch `metrics`. */
export function objectList(fields: Fields, name: string): Fields[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))
  ) {
    throw mistyped(name, value, 'a list of objects');
  }
  return value as Fields[];
}

/** A key and a value (which may be empty but must be present), as params and tags carry. */
export function keyValue(fields: Fields): MlflowKeyValue {
  const key = requiredString(fields, 'key');
  const value = optionalString(fields, 'value');
  if (value === undefined) throw missing('value');
  return { key, value };
}

/** `[{key, value}]` lists (log-batch params and tags, run and experiment tags). */
export function keyValueList(fields: Fields, name: string): MlflowKeyValue[] {
  return objectList(fields, name).map(keyValue);
}
