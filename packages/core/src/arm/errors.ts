// One error type for every ARM call: the SDK's RestError and our own REST client's non-2xx answers
// both become AzureRequestError with the ARM error code, message and request ids.

import { isRestError } from '@azure/core-rest-pipeline';
import { AzureRequestError } from '../errors';

/** What the conversion needs of an HTTP answer; PipelineResponse fits. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | undefined };
  bodyAsText?: string | null | undefined;
}

export interface ArmErrorBody {
  code?: string;
  message?: string;
}

/** `{"error": {"code", "message", "details"}}` (ARM), or a bare `{"code", "message"}` (some RPs). */
export function parseArmErrorBody(text: string | null | undefined): ArmErrorBody {
  if (!text?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML from a gateway, or plain text: keep a bounded excerpt as the message.
    return { message: truncate(text.trim(), 300) };
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const envelope = parsed as { error?: unknown };
  const error = (typeof envelope.error === 'object' && envelope.error !== null ? envelope.error : parsed) as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
  };
  const result: ArmErrorBody = {};
  if (typeof error.code === 'string') result.code = error.code;
  let message = typeof error.message === 'string' ? error.message : undefined;
  // Validation errors put the specifics (which property) in details.
  const details = Array.isArray(error.details) ? error.details : [];
  const extra = details
    .map((detail: { code?: unknown; message?: unknown }) =>
      typeof detail?.message === 'string'
        ? `${typeof detail.code === 'string' ? `${detail.code}: ` : ''}${detail.message}`
        : undefined,
    )
    .filter((text): text is string => text !== undefined && text !== message);
  if (extra.length > 0) message = [message, ...extra].filter(Boolean).join('; ');
  if (message !== undefined) result.message = message;
  return result;
}

export function azureRequestErrorFromResponse(
  method: string,
  url: string,
  response: ResponseLike,
  cause?: unknown,
): AzureRequestError {
  const body = parseArmErrorBody(response.bodyAsText);
  return new AzureRequestError({
    method,
    url: redactUrl(url),
    status: response.status,
    code: body.code,
    serviceMessage: body.message,
    requestId: response.headers.get('x-ms-request-id') ?? response.headers.get('x-request-id'),
    correlationId: response.headers.get('x-ms-correlation-request-id'),
    cause,
  });
}

/**
 * The SDK's RestError (or anything else) as AzureRequestError when it carries an HTTP answer;
 * other errors (network, abort) are returned unchanged. Use as `catch (e) { throw toAzureRequestError(e) }`.
 */
export function toAzureRequestError(error: unknown): unknown {
  if (error instanceof AzureRequestError || !isRestError(error)) return error;
  const method = error.request?.method ?? 'REQUEST';
  const url = error.request?.url ?? '';
  if (error.response) return azureRequestErrorFromResponse(method, url, error.response, error);
  if (error.statusCode === undefined) return error;
  return new AzureRequestError({
    method,
    url: redactUrl(url),
    status: error.statusCode,
    code: error.code,
    serviceMessage: error.message,
    cause: error,
  });
}

/** Runs `operation`, converting what it throws with toAzureRequestError. */
export async function withAzureErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toAzureRequestError(error);
  }
}

/** The URL with every query value but `api-version` hidden (nextLinks and SAS-like URLs carry tokens). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.split('?')[0] ?? url;
  }
  const names = [...new Set(parsed.searchParams.keys())];
  for (const name of names) {
    if (name.toLowerCase() !== 'api-version') parsed.searchParams.set(name, 'REDACTED');
  }
  return parsed.toString();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
