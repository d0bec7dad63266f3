// Drives the MLflow routes in memory (a Router over mlflowRoutes with a fake workspace and a
// controllable clock), or over a loopback node:http server for out-of-process clients.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ArmContext } from '../../src/arm-context';
import { Router } from '../../src/http/router';
import type { EmulatorRequest, EmulatorResponse } from '../../src/http/types';
import { MlflowStore, mlflowRoutes } from '../../src/mlflow';
import { parseBody } from '../../src/server';
import { StateStore } from '../../src/state/store';

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary JSON
export type Loose = any;

export interface MlflowHarnessOptions {
  stateDir?: string;
  startAt?: string;
}

export function createMlflowHarness(options: MlflowHarnessOptions = {}) {
  let now = new Date(options.startAt ?? '2026-01-15T10:00:00.000Z');
  const clock = () => now;
  const store = new StateStore(options.stateDir);
  const ctx: ArmContext = {
    subscriptionId: '00000000-1111-2222-3333-444444444444',
    resourceGroup: 'rg-emulator',
    workspace: 'ws-emulator',
    location: 'eastus2',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    baseUrl: 'https://127.0.0.1:8443',
    storage: {
      accountName: 'devstoreaccount1',
      accountKey: 'RW11bGF0b3JBY2NvdW50S2V5',
      blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1',
    },
    registry: {
      name: 'mlops-registry',
      storage: {
        accountName: 'mlopsregistry0123456789',
        accountKey: 'UmVnaXN0cnlBY2NvdW50S2V5',
        blobEndpoint: 'http://127.0.0.1:10000/mlopsregistry0123456789',
      },
    },
    store,
    now: clock,
  };
  const mlflow = new MlflowStore(store, clock);
  const router = new Router().add(...mlflowRoutes(ctx, mlflow));
  const trackingPath = `/mlflow/v1.0/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ctx.workspace}`;

  /** Calls `op` (e.g. `runs/create`): GET sends `payload` as query, POST as a JSON body. */
  async function call(
    method: 'GET' | 'POST',
    op: string,
    payload: Record<string, unknown> = {},
    opts: { base?: string; rawBody?: string; contentType?: string } = {},
  ): Promise<{ status: number; body: Loose }> {
    const url = new URL(`https://127.0.0.1${opts.base ?? trackingPath}/api/2.0/mlflow/${op}`);
    let raw = Buffer.alloc(0);
    if (method === 'GET') {
      for (const [key, value] of Object.entries(payload)) {
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
    } else {
      raw = Buffer.from(opts.rawBody ?? JSON.stringify(payload));
    }
    const parsed = parseBody(opts.contentType ?? 'application/json', raw);
    const request: EmulatorRequest = {
      method,
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: {},
      body: parsed.ok ? parsed.body : undefined,
      rawBody: raw,
      principal: { oid: 'user-oid-1' },
    };
    const found = router.lookup(method, request.path);
    if (!found.match) return { status: found.pathExists ? 405 : 404, body: undefined };
    const response = await found.match.route.handler(request, found.match.params);
    // Through JSON, as the server sends it: NaN must already be spelled as a string.
    return { status: response.status, body: JSON.parse(JSON.stringify(response.body ?? null)) };
  }

  return {
    ctx,
    store,
    mlflow,
    router,
    trackingPath,
    call,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

export type MlflowHarness = ReturnType<typeof createMlflowHarness>;

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ServeOptions {
  /** Serve https with this key and certificate instead of http. */
  tls?: { key: string; cert: string };
  /** Sees every request first; a response it returns is sent instead of routing. */
  intercept?: (request: EmulatorRequest) => EmulatorResponse | undefined;
}

/** Serves a router on 127.0.0.1, parsing bodies as the emulator's server does. */
export async function serveRouter(
  router: Router,
  options: ServeOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const raw = await readAll(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const path = decodeURIComponent(url.pathname);
      const parsed = parseBody(req.headers['content-type'], raw);
      const request: EmulatorRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body: parsed.ok ? parsed.body : undefined,
        rawBody: raw,
      };
      const found = router.lookup(method, path);
      const response =
        options.intercept?.(request) ??
        (found.match
          ? await found.match.route.handler(request, found.match.params)
          : { status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: path } });
      res.writeHead(response.status, { 'Content-Type': 'application/json', ...response.headers });
      res.end(JSON.stringify(response.body ?? {}));
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: String(error) }));
    });
  };
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
