import type { EmulatorResponse } from './types';

/** The ARM error envelope: `{ error: { code, message, details? } }`. */
export function armError(
  status: number,
  code: string,
  message: string,
  extra: { headers?: Record<string, string>; target?: string } = {},
): EmulatorResponse {
  const error: Record<string, unknown> = { code, message };
  if (extra.target) error.target = extra.target;
  return {
    status,
    headers: { 'x-ms-failure-cause': status >= 500 ? 'service' : 'gateway', ...extra.headers },
    body: { error },
  };
}

export const notFound = (resourceType: string, name: string): EmulatorResponse =>
  armError(404, 'ResourceNotFound', `The ${resourceType} '${name}' could not be found.`);

/** A 400 naming the bad property, as ARM's request validation does. */
export const invalidProperty = (property: string, message: string): EmulatorResponse =>
  armError(400, 'UserError', `${property}: ${message}`, { target: property });
