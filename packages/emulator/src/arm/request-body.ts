// A PUT body as ARM accepts it: JSON media type, non-empty, parseable, a JSON object, and valid
// against the resource's schema.
import { armError } from '../http/arm-errors';
import type { EmulatorRequest, EmulatorResponse } from '../http/types';
import type { ApiVersion } from './api-version';
import { validationError } from './responses';
import type { Schema } from './schema/dsl';
import { type Violation, validate } from './schema/validate';

export type BodyCheck =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; response: EmulatorResponse };

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const invalidContent = (reason: string): EmulatorResponse =>
  armError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${reason}'.`,
  );

export function readJsonObjectBody(request: EmulatorRequest): BodyCheck {
  const contentType = header(request, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    return {
      ok: false,
      response: armError(
        415,
        'UnsupportedMediaType',
        `The content media type '${mediaType}' is not supported. Only 'application/json' is supported.`,
      ),
    };
  }
  if (request.rawBody.length === 0 && request.body === undefined) {
    return { ok: false, response: invalidContent('The request content is empty; a JSON object is required') };
  }
  let body = request.body;
  if (body === undefined) {
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch (error) {
      return { ok: false, response: invalidContent((error as Error).message) };
    }
  }
  if (!isJsonObject(body)) {
    const kind = Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`;
    return { ok: false, response: invalidContent(`Expected a JSON object but found ${kind}`) };
  }
  return { ok: true, body };
}

/** Reads a PUT body and checks it against its schema for the call's api-version. */
export function readValidatedBody(
  request: EmulatorRequest,
  schema: Schema,
  apiVersion: ApiVersion,
  pathViolations: readonly (Violation | undefined)[] = [],
): { ok: true; body: Record<string, unknown> } | { ok: false; response: EmulatorResponse } {
  const parsed = readJsonObjectBody(request);
  if (!parsed.ok) return parsed;
  const result = validate(schema, parsed.body, '', apiVersion);
  const violations = [...pathViolations.filter((v): v is Violation => v !== undefined), ...result.violations];
  if (violations.length > 0) return { ok: false, response: validationError(violations) };
  return { ok: true, body: result.value as Record<string, unknown> };
}
