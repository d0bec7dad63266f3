// The local inference server with real Python processes: the example scoring script on a trained
// model, the contract's headers and errors, run() timeouts, start failures, stop and the watchdog.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildServerCommand,
  type RunningScoringServer,
  SCORING_SERVER_SCRIPT,
  ScoringServerInitError,
  type ScoringServerSpec,
  startScoringServer,
} from '../../src/inference';

const EXAMPLES = fileURLToPath(new URL('../../../../examples', import.meta.url));
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EXEC_MS = /^\d+\.\d{3}$/;

/** Running (a zombie waiting for a reaper has ended too). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, timeoutInMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutInMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

let root: string;
const started: RunningScoringServer[] = [];

/** A code folder holding the given files. */
function codeFolder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

function start(spec: Partial<ScoringServerSpec> & Pick<ScoringServerSpec, 'codeDir'>): RunningScoringServer {
  const server = startScoringServer({
    name: 'test/blue',
    scoringScript: 'score.py',
    modelDir: path.join(root, 'model'),
    ...spec,
  });
  started.push(server);
  return server;
}

async function initError(server: RunningScoringServer): Promise<ScoringServerInitError> {
  const error = await server.ready.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScoringServerInitError);
  return error as ScoringServerInitError;
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'scoring-server-'));
  execFileSync('python3', [
    path.join(EXAMPLES, 'src/train.py'),
    '--data',
    path.join(EXAMPLES, 'data/machine_failures.csv'),
    '--model_dir',
    path.join(root, 'model'),
    '--epochs',
    '50',
  ]);
  const code = path.join(root, 'example-code');
  mkdirSync(code);
  for (const file of ['score.py', 'logreg.py'])
    copyFileSync(path.join(EXAMPLES, 'src', file), path.join(code, file));
});

afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe('the example scoring script', () => {
  let server: RunningScoringServer;
  const score = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/score`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  beforeAll(async () => {
    server = start({ codeDir: path.join(root, 'example-code') });
    await server.ready;
  });

  it('is ready on a loopback URL and answers GET / with Healthy', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.exited).toBe(false);
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('Healthy');
    expect(server.logs()).toContain('score: loaded a model of 4 features');
  });

  it('answers predictions with the contract headers, echoing x-request-id', async () => {
    const response = await score(
      JSON.stringify({
        data: [
          [61.3, 2.39, 5.96, 1184.46],
          [95, 9.5, 2, 4000],
        ],
      }),
      {
        'x-request-id': 'req-123',
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(response.headers.get('x-ms-run-function-failed')).toBe('False');
    expect(response.headers.get('x-ms-run-fn-exec-ms')).toMatch(EXEC_MS);
    const body = (await response.json()) as { predictions: number[]; probabilities: number[] };
    expect(body.predictions).toHaveLength(2);
    for (const p of body.predictions) expect([0, 1]).toContain(p);
    for (const p of body.probabilities) expect(p).toBeGreaterThanOrEqual(0);
    expect(body.probabilities[1]).toBeGreaterThan(body.probabilities[0] as number);
  });

  it('accepts rows keyed by feature name and generates a request id when none is sent', async () => {
    const row = { temperature_c: 61.3, vibration_mm_s: 2.39, pressure_bar: 5.96, age_days: 1184.46 };
    const response = await score(JSON.stringify({ data: [row] }));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(UUID_V4);
    expect(response.headers.get('x-ms-request-id')).toBe(response.headers.get('x-request-id'));
    expect(((await response.json()) as { predictions: number[] }).predictions).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'not json', 'the request body is not JSON'],
    ['no data key', '{"rows": []}', 'expected a JSON object'],
    ['a row lacking a feature', '{"data": [{"temperature_c": 1}]}', 'row 0 lacks'],
  ])('fails a raising run() (%s) with 500 and x-ms-run-function-failed', async (_, body, logged) => {
    const response = await score(body, { 'x-request-id': `bad-${logged.length}` });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-ms-run-function-failed')).toBe('True');
    expect(response.headers.get('x-ms-run-fn-exec-ms')).toMatch(EXEC_MS);
    expect(response.headers.get('x-request-id')).toBe(`bad-${logged.length}`);
    expect(await response.json()).toEqual({
      message: 'An unexpected error occurred in scoring script. Check the logs for more info.',
    });
    // The detail goes to the logs, as on Azure: the traceback and the exception the script raised.
    // (The log pipe and the socket are read independently: the lines may land just after the response.)
    const requestLine = /azmlinfsrv - POST \/score 500 \d+\.\d{3}ms \d+/;
    expect(await eventually(() => requestLine.test(server.logs(60)))).toBe(true);
    const logs = server.logs(60);
    expect(logs).toContain('Encountered Exception: Traceback (most recent call last):');
    expect(logs).toContain(`ScoringInputError: bad input: ${logged}`);
  });

  it('answers 400 to a body that is not UTF-8, without calling run()', async () => {
    const response = await score(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-run-function-failed')).toBe('False');
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Input cannot be decoded as UTF-8/,
    );
  });

  it.each([
    ['PUT /score', 'PUT', '/score', 405],
    ['GET /nowhere', 'GET', '/nowhere', 404],
    ['POST /swagger.json', 'POST', '/swagger.json', 405],
  ])('answers %s with a JSON error', async (_, method, route, status) => {
    const response = await fetch(`${server.url}${route}`, { method });
    expect(response.status).toBe(status);
    expect(Object.keys((await response.json()) as object)).toEqual(['message']);
  });

  it('refuses an x-request-id over 100 characters with 431', async () => {
    const response = await score('{}', { 'x-request-id': 'x'.repeat(101) });
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({ message: 'x-request-id must not exceed 100 characters' });
  });

  it.each([
    ['?version=4', '4'],
    ['?version=3.0a', '3.0a'],
  ])('answers swagger.json%s with 404', async (query, version) => {
    const response = await fetch(`${server.url}/swagger.json${query}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      message: `Swagger version [${version}] is not valid. Supported versions: [2, 3, 3.1].`,
    });
  });

  it.each([
    ['', 'swagger', '2.0'],
    ['?version=2.0', 'swagger', '2.0'],
    ['?version=3', 'openapi', '3.0.3'],
    ['?version=3.1', 'openapi', '3.1.0'],
  ])(
    'generates swagger.json%s for an undecorated run(), as the real server does',
    async (query, key, version) => {
      const response = await fetch(`${server.url}/swagger.json${query}`);
      expect(response.status).toBe(200);
      const spec = (await response.json()) as Record<string, unknown> & {
        definitions?: Record<string, unknown>;
        components?: { schemas: Record<string, unknown> };
      };
      expect(spec[key]).toBe(version);
      const schemas = spec.definitions ?? spec.components?.schemas;
      expect(schemas?.ServiceInput).toEqual({ type: 'object', example: {} });
      expect(schemas?.ServiceOutput).toEqual({ type: 'object', example: {} });
      expect(Object.keys(spec.paths as object)).toEqual(['/', '/score', '/swagger.json']);
    },
  );
});

describe('a scoring script with its own behaviour', () => {
  let server: RunningScoringServer;
  let code: string;

  beforeAll(async () => {
    code = codeFolder('echo-code', {
      'score.py': [
        'import json, time',
        'def init():',
        '    pass',
        'def run(data, request_headers):',
        '    if data == "slow":',
        '        time.sleep(5)',
        '    if data == "text":',
        '        return "plain text"',
        '    if data == "bytes":',
        '        return b"raw"',
        '    return {"got": data, "trace": request_headers.get("X-Trace")}',
        '',
      ].join('\n'),
      'swagger3.json': JSON.stringify({ openapi: '3.0.3', info: { title: 'mine' } }),
    });
    server = start({ codeDir: code, requestTimeoutInMs: 500 });
    await server.ready;
  });

  it('gives run() the raw body as a str and the request headers', async () => {
    const response = await fetch(`${server.url}/score`, {
      method: 'POST',
      body: '{"a": [1, 2]}',
      headers: { 'x-trace': 't-1' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ got: '{"a": [1, 2]}', trace: 't-1' });
  });

  it('gives run() the query of a GET /score as JSON text', async () => {
    const response = await fetch(`${server.url}/score?n=1&tag=a&tag=b`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { got: string }).got).toBe('{"n": 1, "tag": ["a", "b"]}');
  });

  it('JSON-encodes a str that run() returns, like the real server', async () => {
    const response = await fetch(`${server.url}/score`, { method: 'POST', body: 'text' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('"plain text"');
  });

  it('answers 500 without blaming run() when its output is not JSON-serialisable', async () => {
    const response = await fetch(`${server.url}/score`, { method: 'POST', body: 'bytes' });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-ms-run-function-failed')).toBe('False');
    expect(await response.json()).toEqual({
      message: 'An unexpected internal error occurred. Check the logs for more info.',
    });
  });

  it('fails a run() slower than the request timeout with 500, then serves the next request', async () => {
    const began = Date.now();
    const response = await fetch(`${server.url}/score`, { method: 'POST', body: 'slow' });
    expect(Date.now() - began).toBeLessThan(4000);
    expect(response.status).toBe(500);
    expect(response.headers.get('x-ms-run-function-failed')).toBe('True');
    expect(Number(response.headers.get('x-ms-run-fn-exec-ms'))).toBeGreaterThanOrEqual(450);
    expect(await response.json()).toEqual({ message: 'Scoring timeout after 500 ms' });
    expect(await eventually(() => server.logs(40).includes('TimeoutError'))).toBe(true);

    const next = await fetch(`${server.url}/score`, { method: 'POST', body: 'quick' });
    expect(next.status).toBe(200);
  });

  it("serves the user's own swagger file from the code folder", async () => {
    const response = await fetch(`${server.url}/swagger.json?version=3`);
    expect(await response.json()).toEqual({ openapi: '3.0.3', info: { title: 'mine' } });
    expect(server.logs()).toContain(`Loaded user's swagger file for version [3] from ${code}/swagger3.json`);
  });
});

describe('start failures', () => {
  it('rejects ready with the ImportError when the script imports a missing module', async () => {
    const server = start({
      codeDir: codeFolder('missing-import', {
        'score.py': 'import not_a_real_module_xyz\ndef init(): pass\ndef run(data): return data\n',
      }),
    });
    const error = await initError(server);
    expect(error.message).toBe("ModuleNotFoundError: No module named 'not_a_real_module_xyz'");
    expect(error.logs).toContain('Traceback (most recent call last):');
    expect(error.logs).toContain("ModuleNotFoundError: No module named 'not_a_real_module_xyz'");
    expect(server.exited).toBe(true);
    expect(server.logs()).toContain('scoring server exited (code 3, signal null)');
    expect(() => server.url).toThrow(/no URL yet/);
  });

  it('bounds logs(tail) to the lines asked for, the last ones', async () => {
    const server = start({
      codeDir: codeFolder('tail', { 'score.py': 'def init():\n    raise ValueError("x")\n' }),
    });
    await initError(server); // exited: its output is complete
    const all = server.logs().split('\n');
    expect(all.length).toBeGreaterThan(10);
    expect(server.logs(3).split('\n')).toEqual(all.slice(-3));
    expect(server.logs(3).split('\n')).toHaveLength(3);
    expect(server.logs(0)).toBe('');
  });

  it('rejects ready with the exception init() raised, listing the model folder', async () => {
    const server = start({
      codeDir: codeFolder('init-raises', {
        'score.py':
          'def init():\n    raise RuntimeError("model.pkl not found in\\nthe model dir")\ndef run(data): return data\n',
      }),
    });
    const error = await initError(server);
    expect(error.message).toBe('RuntimeError: model.pkl not found in the model dir');
    expect(error.logs).toContain("User's init function failed");
    expect(error.logs).toContain('Model Directory Contents:');
    expect(error.logs).toContain('model.json');
  });

  it.each([
    [
      'no run()',
      { 'score.py': 'def init(): pass\n' },
      'score.py',
      /does not have a run\(\) function defined/,
    ],
    [
      'run() without a data argument',
      { 'score.py': 'def init(): pass\ndef run(): pass\n' },
      'score.py',
      /run\(\) needs to accept an argument/,
    ],
    ['a missing script', { 'other.py': '' }, 'score.py', /^FileNotFoundError: /],
    ['a syntax error', { 'score.py': 'def init(:\n' }, 'score.py', /^SyntaxError: /],
    ['a script outside the code folder', { 'score.py': '' }, '../score.py', /outside the code folder/],
  ])('rejects ready for %s', async (name, files, scoringScript, message) => {
    const server = start({ codeDir: codeFolder(`bad-${name.replaceAll(' ', '-')}`, files), scoringScript });
    expect((await initError(server)).message).toMatch(message);
    expect(server.exited).toBe(true);
  });

  it('rejects ready when python cannot be run', async () => {
    const server = start({ codeDir: path.join(root, 'example-code'), python: '/no/such/python3' });
    expect((await initError(server)).message).toMatch(/cannot run \/no\/such\/python3: .*ENOENT/);
    expect(server.exited).toBe(true);
  });

  it('rejects ready and ends the process when init() outlasts the startup timeout', async () => {
    const code = codeFolder('slow-init', {
      'score.py':
        'import os, time\ndef init():\n    open("pid", "w").write(str(os.getpid()))\n    time.sleep(60)\ndef run(data): return data\n',
    });
    const server = start({ codeDir: code, startupTimeoutInMs: 1500 });
    const error = await initError(server);
    expect(error.message).toBe('the scoring server was not ready within 1500 ms');
    expect(error.logs).toContain("Invoking user's init function");
    const pid = Number(readFileSync(path.join(code, 'pid'), 'utf8'));
    expect(await eventually(() => !alive(pid))).toBe(true);
    expect(await eventually(() => server.exited)).toBe(true);
  });
});

describe('process lifetime', () => {
  const SPAWNING_SCRIPT = [
    'import os, subprocess',
    'def init():',
    '    child = subprocess.Popen(["sleep", "60"])',
    '    open("pids", "w").write(f"{os.getpid()} {child.pid}")',
    'def run(data): return data',
    '',
  ].join('\n');

  it('stop() leaves no process, not even one the script started', async () => {
    const code = codeFolder('spawning', { 'score.py': SPAWNING_SCRIPT });
    const server = start({ codeDir: code });
    await server.ready;
    const pids = readFileSync(path.join(code, 'pids'), 'utf8').split(' ').map(Number);
    for (const pid of pids) expect(alive(pid)).toBe(true);
    await server.stop();
    expect(server.exited).toBe(true);
    expect(await eventually(() => pids.every((pid) => !alive(pid)))).toBe(true);
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
    await server.stop(); // a second stop is harmless
  });

  it('stops through the abort signal', async () => {
    const controller = new AbortController();
    const server = start({ codeDir: path.join(root, 'example-code'), abortSignal: controller.signal });
    await server.ready;
    controller.abort();
    expect(await eventually(() => server.exited)).toBe(true);
  });

  it('exits by itself when the process that started it is killed', async () => {
    // A shell stands in for the emulator: it starts the server with its own pid as the parent, then
    // dies by SIGKILL, with no chance to stop the server.
    const command = buildServerCommand(
      {
        name: 'orphan',
        codeDir: path.join(root, 'example-code'),
        scoringScript: 'score.py',
        modelDir: path.join(root, 'model'),
      },
      { serverScript: SCORING_SERVER_SCRIPT, parentPid: 0, baseEnv: process.env },
    );
    const args = command.args
      .map((arg) => `'${arg}'`)
      .join(' ')
      .replace("'--parent_pid' '0'", () => "'--parent_pid' $$");
    const shell = spawn('bash', ['-c', `${command.command} ${args} & wait`], {
      cwd: command.cwd,
      env: command.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const serverPid = await new Promise<number>((resolve, reject) => {
      let output = '';
      shell.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /Listening at: \S+ \((\d+)\)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      shell.once('exit', () => reject(new Error(`the shell exited first:\n${output}`)));
    });
    try {
      expect(alive(serverPid)).toBe(true);
      shell.kill('SIGKILL');
      expect(await eventually(() => !alive(serverPid))).toBe(true);
    } finally {
      if (alive(serverPid)) process.kill(serverPid, 'SIGKILL'); // no orphan left when the check fails
    }
  });
});
