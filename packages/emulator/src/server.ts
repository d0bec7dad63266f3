// The HTTPS front of the emulator: parses requests, stamps ARM's correlation headers, applies
// injected faults, enforces ARM bearer auth and dispatches to the routers.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Fault, FaultRegistry } from './faults/fault-registry';
import { faultError } from './faults/fault-registry';
import type { RequestLog } from './faults/request-log';
import { armError } from './http/arm-errors';
import type { Router } from './http/router';
import type { EmulatorRequest, EmulatorResponse } from './http/types';
import type { ArmAuthResult } from './identity/arm-auth';

export interface EmulatorApp {
  /** `/_emulator/*`: no auth, no faults, not logged. */
  adminRouter: Router;
  /** Identity and other non-ARM routes. */
  publicRouter: Router;
  /** ARM routes (paths under /subscriptions, /providers, /tenants), bearer-protected. */
  armRouter: Router;
  verifyArmToken(header: string | undefined, now: Date): ArmAuthResult;
  faults: FaultRegistry;
  requestLog: RequestLog;
  now(): Date;
  log(line: string): void;
}

const ADMIN_PREFIX = /^\/_emulator(\/|$)/;
const ARM_PREFIX = /^\/(subscriptions|providers|tenants)(\/|$)/i;
const ML_PROVIDER = 'providers/microsoft.machinelearningservices';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export const isArmPath = (path: string): boolean => ARM_PREFIX.test(path);

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

type ParsedBody = { ok: true; body: unknown } | { ok: false; problem: string };

/** JSON for JSON content types, an object of fields for forms, undefined otherwise. */
export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  if (raw.length === 0) return { ok: true, body: undefined };
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      return { ok: true, body: JSON.parse(raw.toString('utf8')) };
    } catch (error) {
      return { ok: false, problem: (error as Error).message };
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
  }
  return { ok: true, body: undefined };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** 404 for an ARM path no route knows, worded like ARM. */
export function armNotFound(path: string, apiVersion: string | null): EmulatorResponse {
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const lower = segments.map((segment) => segment.toLowerCase());
  const providerAt = lower.findIndex((segment, i) => `${segment}/${lower[i + 1]}` === ML_PROVIDER);
  if (providerAt >= 0) {
    const typeSegments = segments.slice(providerAt + 2).filter((_, i) => i % 2 === 0);
    return armError(
      404,
      'InvalidResourceType',
      `The resource type '${typeSegments.join('/')}' could not be found in the namespace 'Microsoft.MachineLearningServices' for api version '${apiVersion ?? ''}'.`,
    );
  }
  return armError(404, 'NotFound', `The requested path '${path}' was not found.`);
}

function faultResponse(fault: Fault): EmulatorResponse {
  const { code, message } = faultError(fault);
  const status = fault.status ?? 500;
  const retryAfter = fault.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  return armError(status, code, message, { headers });
}

function writeResponse(
  res: ServerResponse,
  method: string,
  response: EmulatorResponse,
  standardHeaders: Record<string, string>,
): void {
  const headers: Record<string, string> = { ...standardHeaders, ...response.headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let payload: Buffer | undefined;
  const { body } = response;
  if (body === undefined || body === null) {
    payload = undefined;
  } else if (Buffer.isBuffer(body)) {
    payload = body;
    if (!hasContentType) headers['Content-Type'] = 'application/octet-stream';
  } else if (typeof body === 'string') {
    payload = Buffer.from(body, 'utf8');
    if (!hasContentType) headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(body), 'utf8');
    if (!hasContentType) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  const noBody = method === 'HEAD' || response.status === 204 || response.status === 304;
  headers['Content-Length'] = String(noBody ? 0 : (payload?.length ?? 0));
  res.writeHead(response.status, headers);
  res.end(noBody ? undefined : payload);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createRequestListener(app: EmulatorApp): (req: IncomingMessage, res: ServerResponse) => void {
  async function dispatch(request: EmulatorRequest, router: Router): Promise<EmulatorResponse | undefined> {
    const { match } = router.lookup(request.method, request.path);
    if (!match) return undefined;
    return match.route.handler(request, match.params);
  }

  async function route(request: EmulatorRequest, bodyProblem: string | undefined): Promise<EmulatorResponse> {
    if (isArmPath(request.path)) {
      const auth = app.verifyArmToken(headerValue(request.headers, 'authorization'), app.now());
      if (!auth.ok) return auth.response;
      request.principal = auth.claims;
      if (bodyProblem !== undefined) {
        return armError(
          400,
          'InvalidRequestContent',
          `The request content was invalid and could not be deserialized: '${bodyProblem}'.`,
        );
      }
      const answered = await dispatch(request, app.armRouter);
      if (answered) return answered;
      if (app.armRouter.lookup(request.method, request.path).pathExists) {
        return methodNotAllowed(request.method);
      }
      return armNotFound(request.path, request.query.get('api-version'));
    }
    const answered = await dispatch(request, app.publicRouter);
    if (answered) return answered;
    if (app.publicRouter.lookup(request.method, request.path).pathExists) {
      return methodNotAllowed(request.method);
    }
    return armError(404, 'NotFound', `The requested path '${request.path}' was not found.`);
  }

  return (req, res) => {
    const startedAt = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    let path = url.pathname;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      // Keep the raw path; routing will answer 404.
    }
    const clientRequestId = headerValue(req.headers, 'x-ms-client-request-id');
    const standardHeaders: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': clientRequestId ?? randomUUID(),
    };
    if (clientRequestId) standardHeaders['x-ms-client-request-id'] = clientRequestId;
    const isAdmin = ADMIN_PREFIX.test(path);
    const logEntry = (status: number, faultId?: string) => {
      if (isAdmin) return;
      app.requestLog.record({
        method,
        path,
        query: url.search.replace(/^\?/, ''),
        status,
        time: new Date(startedAt).toISOString(),
        durationMs: Date.now() - startedAt,
        ...(faultId ? { faultId } : {}),
      });
    };

    const handle = async (): Promise<void> => {
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          writeResponse(
            res,
            method,
            armError(413, 'RequestEntityTooLarge', 'The request body is too large.'),
            standardHeaders,
          );
          logEntry(413);
          return;
        }
        throw error;
      }
      const parsed = parseBody(headerValue(req.headers, 'content-type'), raw);
      const request: EmulatorRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body: parsed.ok ? parsed.body : undefined,
        rawBody: raw,
      };

      if (isAdmin) {
        const response = parsed.ok
          ? ((await dispatch(request, app.adminRouter)) ??
            armError(404, 'NotFound', `The requested path '${path}' was not found.`))
          : armError(400, 'InvalidRequestContent', `The body is not JSON: ${parsed.problem}`);
        writeResponse(res, method, response, standardHeaders);
        return;
      }

      const fault = app.faults.take(method, path, url.search.replace(/^\?/, ''));
      if (fault?.kind === 'drop') {
        app.log(`fault ${fault.id}: dropping ${method} ${path}`);
        logEntry(0, fault.id);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        const response = faultResponse(fault);
        writeResponse(res, method, response, standardHeaders);
        logEntry(response.status, fault.id);
        return;
      }
      if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 1000);

      const response = await route(request, parsed.ok ? undefined : parsed.problem);
      writeResponse(res, method, response, standardHeaders);
      logEntry(response.status, fault?.id);
    };

    handle().catch((error: unknown) => {
      app.log(`500 for ${method} ${path}: ${(error as Error)?.stack ?? String(error)}`);
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const response = armError(
        500,
        'InternalServerError',
        'The server encountered an internal error. Please retry the request.',
      );
      writeResponse(res, method, response, standardHeaders);
      logEntry(500);
    });
  };
}

export interface HttpsServerHandle {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function listenHttps(options: {
  key: string;
  cert: string;
  host: string;
  port: number;
  listener: (req: IncomingMessage, res: ServerResponse) => void;
}): Promise<HttpsServerHandle> {
  const server = createServer({ key: options.key, cert: options.cert }, options.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets (and in-flight slow requests) would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** 405 for a path that exists under another method, on ARM and public routes alike. */
function methodNotAllowed(method: string): EmulatorResponse {
  return armError(
    405,
    'HttpMethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
  );
}
