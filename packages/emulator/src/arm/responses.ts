// Small builders for the responses the routes return.
import { armError, invalidProperty } from '../http/arm-errors';
import type { EmulatorResponse } from '../http/types';
import type { Violation } from './schema/validate';

export const ok = (body: unknown, headers?: Record<string, string>): EmulatorResponse => ({
  status: 200,
  body,
  headers,
});

export const noContent = (): EmulatorResponse => ({ status: 204 });

/**
 * Request validation failures as the service reports them: 400 `UserError`; the message names the
 * first offending property path, `target` is that path and `details` lists every violation.
 */
export function validationError(violations: readonly Violation[]): EmulatorResponse {
  const [first] = violations;
  if (!first) throw new Error('validationError needs at least one violation');
  const response = invalidProperty(first.path, first.message);
  const envelope = response.body as { error: Record<string, unknown> };
  envelope.error.details = violations.map((violation) => ({
    code: 'UserError',
    target: violation.path,
    message: `${violation.path}: ${violation.message}`,
  }));
  return response;
}

/** A query parameter the service cannot use. */
export const invalidQuery = (name: string, message: string): EmulatorResponse =>
  validationError([{ path: name, message }]);

export const userError = (message: string, status = 400): EmulatorResponse =>
  armError(status, 'UserError', message);
