// The emulator's HTTP model: handlers are plain functions from a parsed request to a response,
// so route logic stays testable without sockets.
import type { IncomingHttpHeaders } from 'node:http';

export interface EmulatorRequest {
  method: string;
  /** Decoded pathname, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: Buffer;
  /** Claims of the verified bearer token, set by the ARM auth check. */
  principal?: Record<string, unknown>;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string or Buffer. */
  body?: unknown;
}

export type RouteParams = Record<string, string>;

export type Handler = (
  request: EmulatorRequest,
  params: RouteParams,
) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route {
  method: string;
  /** Path with `{name}` placeholders; literal segments match case-insensitively, like ARM. */
  pattern: string;
  handler: Handler;
}
