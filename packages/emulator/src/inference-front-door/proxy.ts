// Forwards a scoring request to a deployment's local server and brings its answer back whole:
// status, body and end-to-end headers (hop-by-hop ones and Content-Length are the emulator's own).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface ProxyRequest {
  method: string;
  /** http://127.0.0.1:port */
  baseUrl: string;
  /** Path and query, e.g. /score?x=1 */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  timeoutInMs: number;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'host',
]);

/** Headers the front door does not pass on: hop-by-hop ones and the caller's credentials. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'authorization']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name.toLowerCase())) continue;
    result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

export function proxy(options: ProxyRequest): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(options.target, options.baseUrl);
    const outgoing = httpRequest(
      url,
      {
        method: options.method,
        headers: { ...forwardable(options.headers), 'content-length': String(options.body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
            headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    outgoing.setTimeout(options.timeoutInMs, () => {
      outgoing.destroy(new UpstreamTimeoutError(`No answer within ${options.timeoutInMs} ms.`));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
