// Drives the ARM routes in memory: a Router over createArmRoutes with a fake ArmContext and a
// controllable clock, and an invoke() that builds EmulatorRequests as the server would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ArmRouteOptions, createArmRoutes, type JobExecutor } from '../../src/arm/index';
import type { ArmContext } from '../../src/arm-context';
import { Router } from '../../src/http/router';
import type { EmulatorRequest, EmulatorResponse } from '../../src/http/types';
import { StateStore } from '../../src/state/store';

/** /work/shared/reference, resolved from this file (repo root is three levels up from test/arm). */
export const REFERENCE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/reference',
);

export function readReference<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(path.join(REFERENCE_DIR, relativePath), 'utf8')) as T;
}

export interface HarnessOptions {
  executor?: JobExecutor;
  arm?: ArmRouteOptions;
  context?: Partial<Omit<ArmContext, 'store' | 'now'>>;
}

export interface InvokeOptions {
  /** api-version to add when the path has none; null sends none. */
  apiVersion?: string | null;
  headers?: Record<string, string>;
  /** Raw body bytes, for malformed-body tests (then `body` is what the server parsed, if anything). */
  rawBody?: string;
  principal?: Record<string, unknown>;
}

/** Response and recorded bodies are inspected structurally in tests. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary JSON
export type Loose = any;

export type Response = EmulatorResponse & { body: Loose; headers: Record<string, string> };

/** An Azure ML binding such as `${{inputs.x}}`, written without tripping template-string lints. */
export const binding = (path: string): string => `\${{${path}}}`;

export const APP_PRINCIPAL = {
  oid: '5019366a-3f7a-4d18-adae-d2483c23e1ee',
  appid: 'b0b1c2d3-0000-4000-8000-000000000001',
  idtyp: 'app',
};

export function createHarness(options: HarnessOptions = {}) {
  let now = new Date('2026-01-15T10:00:00.000Z');
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
    ...options.context,
    store: new StateStore(),
    now: () => now,
  };
  const router = new Router().add(...createArmRoutes(ctx, options.executor, options.arm));
  const workspacePath = `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ctx.workspace}`;

  async function invoke(
    method: string,
    target: string,
    body?: unknown,
    opts: InvokeOptions = {},
  ): Promise<Response> {
    const url = new URL(target.startsWith('http') ? target : `${ctx.baseUrl}${target}`);
    const apiVersion = opts.apiVersion === undefined ? '2022-10-01' : opts.apiVersion;
    if (apiVersion !== null && !url.searchParams.has('api-version'))
      url.searchParams.set('api-version', apiVersion);
    const rawBody =
      opts.rawBody !== undefined
        ? Buffer.from(opts.rawBody)
        : Buffer.from(body === undefined ? '' : JSON.stringify(body));
    const headers: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
    const request: EmulatorRequest = {
      method,
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: { ...headers, ...opts.headers },
      body,
      rawBody,
      principal: opts.principal ?? APP_PRINCIPAL,
    };
    const found = router.lookup(method, request.path);
    if (!found.match) return { status: found.pathExists ? 405 : 404, headers: {}, body: undefined };
    const response = await found.match.route.handler(request, found.match.params);
    return { ...response, headers: response.headers ?? {}, body: response.body as Loose };
  }

  return {
    ctx,
    invoke,
    workspacePath,
    /** Moves the fake clock forward. */
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    computeId: (name: string) => `${workspacePath}/computes/${name}`,
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** A minimal valid command job body. */
export function commandJob(harness: Harness, overrides: Record<string, unknown> = {}) {
  return {
    properties: {
      jobType: 'Command',
      command: `python train.py --epochs ${binding('inputs.epochs')}`,
      environmentId: `${harness.workspacePath}/environments/sklearn/versions/1`,
      computeId: harness.computeId('cpu-cluster'),
      inputs: {
        epochs: { jobInputType: 'literal', value: '3' },
        training: { jobInputType: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/data/' },
      },
      ...overrides,
    },
  };
}

/** Follows nextLinks from a first list URL and returns every item. */
export async function listAll(harness: Harness, first: string, opts: InvokeOptions = {}) {
  const items: Loose[] = [];
  const pages: number[] = [];
  let next: string | undefined = first;
  while (next) {
    const response = await harness.invoke('GET', next, undefined, opts);
    if (response.status !== 200)
      throw new Error(`list failed: ${response.status} ${JSON.stringify(response.body)}`);
    items.push(...response.body.value);
    pages.push(response.body.value.length);
    next = response.body.nextLink;
  }
  return { items, pages };
}
