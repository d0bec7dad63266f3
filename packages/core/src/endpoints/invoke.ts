// Calling a scoring URI the way clients of an online endpoint do: `Authorization: Bearer <key or
// token>`, optionally pinned to one deployment (`azureml-model-deployment`), timed from request to
// last byte. Responses are normalised the way users read them: JSON decoded, a JSON string that
// holds JSON (what `az ml online-endpoint invoke` prints) unwrapped, and a 200 whose body is
// `{"error": …}` counted as a failure. Used by deploy-endpoint's health gate and smoke-invoke.

import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface InvokeTarget {
  scoringUri: string;
  /** Key or token; sent as `Authorization: Bearer …`. Never logged. */
  credential?: string | undefined;
  /** Pins the request to this deployment. */
  deployment?: string | undefined;
  /** Extra PEM CA certificates (the emulator's); NODE_EXTRA_CA_CERTS applies too. */
  ca?: string | undefined;
}

export interface InvokeRequest {
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutInMs?: number;
  abortSignal?: AbortSignal | undefined;
}

export interface InvokeResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  text: string;
  /** The normalised JSON body; undefined when the body is not JSON. */
  json?: unknown;
  /** The deployment that answered (`azureml-model-deployment`). */
  servedBy?: string;
  latencyInMs: number;
  /** A 2xx whose normalised body is not an error payload. */
  ok: boolean;
  /** Why `ok` is false, for messages. */
  problem?: string;
}

/** Failed without an HTTP answer (connection refused, timeout, TLS). */
export class InvokeError extends Error {
  override readonly name = 'InvokeError';
  constructor(
    message: string,
    readonly latencyInMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const agents = new Map<string, http.Agent>();

function agentFor(url: URL, ca: string | undefined): http.Agent {
  const key = `${url.protocol}|${ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    agent =
      url.protocol === 'https:'
        ? // A `ca` replaces the default roots: keep the public ones beside the extra certificate.
          new https.Agent({
            keepAlive: true,
            maxSockets: 64,
            ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}),
          })
        : new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(key, agent);
  }
  return agent;
}

export function invokeEndpoint(target: InvokeTarget, request: InvokeRequest): Promise<InvokeResponse> {
  const url = new URL(target.scoringUri);
  const headers: Record<string, string> = {
    'content-type': request.contentType ?? 'application/json',
    'content-length': String(Buffer.byteLength(request.body)),
    ...(request.headers ?? {}),
  };
  if (target.credential) headers.authorization = `Bearer ${target.credential}`;
  if (target.deployment) headers['azureml-model-deployment'] = target.deployment;
  const client = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise<InvokeResponse>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers,
        agent: agentFor(url, target.ca),
        timeout: request.timeoutInMs ?? 90_000,
        ...(request.abortSignal ? { signal: request.abortSignal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) =>
          reject(new InvokeError(error.message, performance.now() - started, { cause: error })),
        );
        res.on('end', () => {
          const latencyInMs = performance.now() - started;
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve(
            toResponse(
              res.statusCode ?? 0,
              responseHeaders,
              Buffer.concat(chunks).toString('utf8'),
              latencyInMs,
            ),
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutInMs ?? 90_000} ms`)));
    req.on('error', (error) =>
      reject(
        new InvokeError(`${url.origin}${url.pathname}: ${error.message}`, performance.now() - started, {
          cause: error,
        }),
      ),
    );
    req.end(request.body);
  });
}

/** Builds the normalised response (pure; exported for tests). */
export function toResponse(
  status: number,
  headers: Record<string, string>,
  text: string,
  latencyInMs: number,
): InvokeResponse {
  const json = normalizeJson(text);
  const servedBy = headers['azureml-model-deployment'];
  let problem: string | undefined;
  if (status < 200 || status >= 300) problem = `HTTP ${status}${shortBody(text)}`;
  else if (isErrorPayload(json)) problem = `HTTP ${status} with an error payload${shortBody(text)}`;
  return {
    status,
    headers,
    text,
    ...(json !== undefined ? { json } : {}),
    ...(servedBy ? { servedBy } : {}),
    latencyInMs,
    ok: problem === undefined,
    ...(problem ? { problem } : {}),
  };
}

/** JSON of the body, with JSON held in a JSON string unwrapped (up to a few levels). */
export function normalizeJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (let depth = 0; depth < 3 && typeof value === 'string'; depth += 1) {
    const inner = value.trim();
    if (!/^[[{"]/.test(inner)) break;
    try {
      value = JSON.parse(inner);
    } catch {
      break;
    }
  }
  return value;
}

/** `{"error": …}` (or `{"errors": […]}`) and nothing that looks like a result. */
export function isErrorPayload(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every((key) => ['error', 'errors', 'message', 'code', 'details'].includes(key)) &&
    ('error' in value || 'errors' in value)
  );
}

function shortBody(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line ? `: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}` : '';
}

/** Latency percentiles (nearest rank) of `samples` in ms. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}
