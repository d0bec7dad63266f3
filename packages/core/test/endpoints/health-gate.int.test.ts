// The rollout health gate against a real HTTP scoring server on loopback: what it sends, how it
// counts failures (non-2xx, 200 with an error payload, the wrong deployment, no answer), the
// latency limit, and cancellation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHealthGate } from '../../src/endpoints/health-gate';
import type { InvokeTarget } from '../../src/endpoints/invoke';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (index: number, req: http.IncomingMessage, res: http.ServerResponse) => void;

const KEY = 'endpoint-key-0123456789';
const REQUEST = { body: JSON.stringify({ data: [[1, 2, 3]] }) };

let server: http.Server;
let scoringUri: string;
let seen: Seen[];
let handler: Handler;

/** Answers with `status` and a JSON body, naming `deployment` like the endpoint's front door does. */
function answer(res: http.ServerResponse, status: number, body: unknown, deployment = 'green'): void {
  res.writeHead(status, { 'content-type': 'application/json', 'azureml-model-deployment': deployment });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      handler(seen.length - 1, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scoringUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  handler = (_, __, res) => answer(res, 200, { predictions: [0.2] });
});

const target = (overrides: Partial<InvokeTarget> = {}): InvokeTarget => ({
  scoringUri,
  credential: KEY,
  deployment: 'green',
  ...overrides,
});

describe('runHealthGate', () => {
  it('passes when every request answers 2xx, and reports p50 and p95', async () => {
    // The last answer is slow: with 5 samples the nearest-rank p95 is the slowest, p50 is not.
    handler = (index, _, res) => {
      if (index === 4) setTimeout(() => answer(res, 200, { predictions: [1] }), 150);
      else answer(res, index === 0 ? 201 : 200, { predictions: [1] });
    };
    const result = await runHealthGate(target(), REQUEST, { requests: 5, maxP95InMs: 10_000 });
    expect(result).toMatchObject({ passed: true, requests: 5, failures: 0, problems: [] });
    expect(result.reason).toBeUndefined();
    expect(seen).toHaveLength(5);
    expect(result.p95InMs).toBeGreaterThanOrEqual(145);
    expect(result.p50InMs).toBeLessThan(145);
    expect(result.p50InMs).toBeGreaterThan(0);
  });

  it('sends the body as a POST with the bearer credential and the deployment header', async () => {
    await runHealthGate(target(), { ...REQUEST, headers: { 'x-request-id': 'gate-1' } }, { requests: 2 });
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request).toMatchObject({ method: 'POST', url: '/score', body: REQUEST.body });
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request.headers['azureml-model-deployment']).toBe('green');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-request-id']).toBe('gate-1');
    }
  });

  it('sends neither header when there is no credential and no deployment', async () => {
    const result = await runHealthGate(
      { scoringUri },
      { body: 'a,b\n1,2\n', contentType: 'text/csv' },
      { requests: 1 },
    );
    expect(result.passed).toBe(true);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.headers['azureml-model-deployment']).toBeUndefined();
    expect(seen[0]?.headers['content-type']).toBe('text/csv');
  });

  it('counts a 200 whose body is {"error": …} as a failure', async () => {
    handler = (_, __, res) => answer(res, 200, { error: 'model not loaded' });
    const result = await runHealthGate(target(), REQUEST, { requests: 3 });
    expect(result).toMatchObject({ passed: false, failures: 3 });
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/HTTP 200 with an error payload: \{"error":"model not loaded"\}/);
    expect(result.reason).toMatch(/^3 of 3 health requests failed \(HTTP 200 with an error payload/);
  });

  it('also sees an error payload wrapped in a JSON string', async () => {
    handler = (_, __, res) => answer(res, 200, JSON.stringify({ error: 'bad input' }));
    const result = await runHealthGate(target(), REQUEST, { requests: 1 });
    expect(result.passed).toBe(false);
    expect(result.reason).toMatch(/error payload/);
  });

  it('fails on 500s with the status and body in the reason', async () => {
    handler = (index, _, res) => {
      if (index === 1) {
        res.writeHead(500, { 'x-ms-run-function-failed': 'True' });
        res.end('run() raised ValueError');
      } else answer(res, 200, { predictions: [1] });
    };
    const result = await runHealthGate(target(), REQUEST, { requests: 4 });
    expect(result).toMatchObject({ passed: false, requests: 4, failures: 1 });
    expect(result.problems).toEqual(['HTTP 500: run() raised ValueError']);
    expect(result.reason).toBe('1 of 4 health requests failed (HTTP 500: run() raised ValueError)');
    // The gate does not stop at the first failure: every request is made.
    expect(seen).toHaveLength(4);
  });

  it('keeps only the first three problems for the log', async () => {
    handler = (index, _, res) => {
      res.writeHead(503);
      res.end(`busy ${index}`);
    };
    const result = await runHealthGate(target(), REQUEST, { requests: 5 });
    expect(result.failures).toBe(5);
    expect(result.problems).toEqual(['HTTP 503: busy 0', 'HTTP 503: busy 1', 'HTTP 503: busy 2']);
  });

  it('tolerates failures up to maxErrorRate', async () => {
    handler = (index, _, res) => answer(res, index === 0 ? 500 : 200, { predictions: [1] });
    const tolerated = await runHealthGate(target(), REQUEST, { requests: 4, maxErrorRate: 0.25 });
    expect(tolerated).toMatchObject({ passed: true, failures: 1 });
    expect(tolerated.problems).toEqual(['HTTP 500: {"predictions":[1]}']);
    seen = [];
    const strict = await runHealthGate(target(), REQUEST, { requests: 4, maxErrorRate: 0.2 });
    expect(strict).toMatchObject({ passed: false, failures: 1 });
  });

  it('fails when another deployment answers than the one pinned', async () => {
    handler = (_, __, res) => answer(res, 200, { predictions: [1] }, 'blue');
    const result = await runHealthGate(target(), REQUEST, { requests: 2 });
    expect(result).toMatchObject({ passed: false, failures: 2 });
    expect(result.problems[0]).toBe("answered by 'blue', not 'green'");
  });

  it('fails when the p95 latency is over maxP95InMs', async () => {
    handler = (_, __, res) => setTimeout(() => answer(res, 200, { predictions: [1] }), 60);
    const result = await runHealthGate(target(), REQUEST, { requests: 3, maxP95InMs: 20 });
    expect(result).toMatchObject({ passed: false, failures: 0 });
    expect(result.p95InMs).toBeGreaterThanOrEqual(55);
    expect(result.reason).toMatch(/^p95 latency \d+ ms is over the 20 ms limit$/);
  });

  it('reports failed requests before a slow p95', async () => {
    handler = (_, __, res) => setTimeout(() => answer(res, 500, { message: 'x' }), 30);
    const result = await runHealthGate(target(), REQUEST, { requests: 2, maxP95InMs: 5 });
    expect(result.reason).toMatch(/^2 of 2 health requests failed/);
  });

  it('counts a request without an HTTP answer as a failure', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runHealthGate(target({ scoringUri: `http://127.0.0.1:${port}/score` }), REQUEST, {
      requests: 2,
    });
    expect(result).toMatchObject({ passed: false, failures: 2 });
    expect(result.problems[0]).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/score: .*ECONNREFUSED`));
  });

  it('counts a request that times out as a failure', async () => {
    handler = () => {
      // Never answers; the client gives up after timeoutInMs.
    };
    const result = await runHealthGate(target(), { ...REQUEST, timeoutInMs: 100 }, { requests: 1 });
    expect(result).toMatchObject({ passed: false, failures: 1 });
    expect(result.problems[0]).toMatch(/no answer within 100 ms/);
  });

  it('makes no request when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runHealthGate(target(), REQUEST, { requests: 3, abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(0);
  });

  it('stops when the signal is aborted during a request', async () => {
    const controller = new AbortController();
    // The second request is held; the run is cancelled while it waits.
    handler = (index, _, res) => {
      if (index === 1) controller.abort();
      else answer(res, 200, { predictions: [1] });
    };
    await expect(
      runHealthGate(target(), REQUEST, { requests: 10, abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(2);
  });

  it('rejects rather than failing the gate when the last request is aborted', async () => {
    const controller = new AbortController();
    handler = (index, _, res) => {
      if (index === 1) controller.abort();
      else answer(res, 200, { predictions: [1] });
    };
    await expect(
      runHealthGate(target(), REQUEST, { requests: 2, abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
