// The runner harness, checked against a real bundle: the probe fixture action, built with the
// same ncc settings as dist/, run through every part of the runner protocol.
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltFixtureAction, buildFixtureAction } from './support/build-fixture';
import { FAKE_GITHUB_TOKEN, findSecretLeaks, type RunActionOptions, runAction } from './support/runner';

let probe: BuiltFixtureAction;

beforeAll(async () => {
  probe = await buildFixtureAction('probe-action');
}, 180_000);
afterAll(() => probe?.cleanup());

const run = (options: Omit<RunActionOptions, 'actionDir'> = {}) =>
  runAction({
    actionDir: probe.actionDir,
    ...options,
    inputs: { 'resource-group': 'rg-ml', ...options.inputs },
  });

describe('inputs', () => {
  it('delivers hyphenated inputs as INPUT_<NAME> and applies defaults, expanding github expressions', async () => {
    const result = await run();
    expect(result.conclusion).toBe('success');
    expect(result.exitCode).toBe(0);
    expect(result.env['INPUT_RESOURCE-GROUP']).toBe('rg-ml');
    expect(result.outputs).toMatchObject({
      'resource-group': 'rg-ml',
      message: 'hello',
      token: FAKE_GITHUB_TOKEN,
      'workspace-dir': result.workspace,
      cwd: result.workspace,
    });
    expect(result.inputs).toMatchObject({ secret: '', mode: 'ok', 'dump-env': 'false' });
  });

  it('matches input names case-insensitively and expands github.token from the options', async () => {
    const result = await run({ inputs: { Message: 'hi there' }, github: { token: 'ghs_customToken' } });
    expect(result.outputs).toMatchObject({ message: 'hi there', token: 'ghs_customToken' });
    expect(result.githubToken).toBe('ghs_customToken');
  });

  it('throws on an input that action.yml does not declare, naming the valid ones', async () => {
    await expect(run({ inputs: { 'resource-grop': 'rg' } })).rejects.toThrow(
      /Unexpected input\(s\) 'resource-grop', valid inputs are \['resource-group', 'message'/,
    );
  });

  it.each([
    ['both actionDir and script', { actionDir: '.', script: 'x.js' }, /exactly one of actionDir or script/],
    ['neither actionDir nor script', {}, /exactly one of actionDir or script/],
    ['INPUT_ in env', { script: 'x.js', env: { INPUT_MESSAGE: 'x' } }, /env\.INPUT_MESSAGE: pass inputs/],
    ['post: true with no post step', { script: 'x.js', post: true }, /declares no post step/],
    ['a folder without action.yml', { actionDir: '/nonexistent-action' }, /no action\.yml/],
  ] as const)('rejects %s', async (_, options, message) => {
    await expect(runAction(options)).rejects.toThrow(message);
  });
});

describe('file commands and the post step', () => {
  it('parses outputs, state, exported env, path and summary', async () => {
    const result = await run({ inputs: { message: 'ciao' } });
    expect(result.state).toEqual({ 'resource-group': 'rg-ml' });
    expect(result.exportedEnv).toEqual({
      PROBE_EXPORTED: 'exported ciao',
      PROBE_MULTILINE: 'line one\nline two',
    });
    expect(result.path).toEqual([path.join(result.workspace, 'probe-bin')]);
    expect(result.summary).toContain('<h2>Probe</h2>');
    expect(result.summary).toContain('message: ciao');
  });

  it('runs the post step with STATE_*, the same inputs, and the env and path the main step added', async () => {
    const result = await run({ inputs: { message: 'ciao' } });
    expect(result.post?.conclusion).toBe('success');
    expect(result.post?.env['STATE_resource-group']).toBe('rg-ml');
    expect(result.post?.stdout).toContain('post: resource-group from state is rg-ml');
    expect(result.post?.outputs).toEqual({
      'state-resource-group': 'rg-ml',
      'state-got-sigint': '',
      'input-message': 'ciao',
      exported: 'exported ciao',
      'exported-multiline': 'line one\nline two',
      'path-first': path.join(result.workspace, 'probe-bin'),
    });
  });

  it('skips the post step when asked', async () => {
    const result = await run({ post: false });
    expect(result.post).toBeUndefined();
  });
});

describe('masks and leaks', () => {
  const secret = 's3cr3t-value-for-the-probe';
  const leak = 'l3aked-value-for-the-probe';

  it('captures add-mask values and masks them in the log from then on', async () => {
    const result = await run({ inputs: { secret } });
    expect(result.masks).toEqual([secret]);
    expect(result.stdout).toContain(`the secret is ${secret}`);
    expect(result.log).toContainEqual({ stream: 'stdout', text: 'probe: the secret is ***' });
    expect(result.log).toContainEqual({ stream: 'stdout', text: '::add-mask::***' });
    expect(findSecretLeaks(result, [secret])).toEqual([]);
  });

  it('finds a secret printed in clear, and one written to an output', async () => {
    const result = await run({ inputs: { secret, leak } });
    expect(findSecretLeaks(result, [secret, leak])).toEqual([{ where: 'stderr', secretIndex: 1 }]);
    // The probe echoes its token input to an output: masked in the log, but still a leak.
    expect(findSecretLeaks(result, [result.githubToken])).toEqual([
      { where: 'outputs.token', secretIndex: 0 },
    ]);
  });

  it('refuses an empty secret, which would match everywhere', async () => {
    const result = await run();
    expect(() => findSecretLeaks(result, [''])).toThrow(/secret #0 is empty/);
  });
});

describe('failure', () => {
  it('reports the exit code and parses annotations with their file, lines, column and title', async () => {
    const result = await run({ inputs: { mode: 'fail' } });
    expect(result.exitCode).toBe(1);
    expect(result.conclusion).toBe('failure');
    expect(result.annotations).toEqual([
      { level: 'warning', message: '50% done\nthen stopped' },
      {
        level: 'error',
        message: 'bad value: use a, b or c',
        title: 'Probe, failed: on purpose',
        file: 'config/job.yml',
        line: 7,
        endLine: 9,
        col: 3,
      },
    ]);
    // post-if defaults to always(): the post step runs after a failure.
    expect(result.post?.conclusion).toBe('success');
  });
});

describe('cancellation', () => {
  it('delivers SIGINT mid-run and the action handler runs; the post step still runs', async () => {
    const result = await run({
      inputs: { mode: 'wait-for-sigint' },
      signal: { after: (step) => step.waitForOutput('probe: waiting for SIGINT'), kind: 'SIGINT' },
    });
    expect(result.signalsSent).toEqual(['SIGINT']);
    expect(result.conclusion).toBe('cancelled');
    expect(result).toMatchObject({ exitCode: 1, signal: null });
    expect(result.stdout).toContain('probe: got SIGINT, cleaning up');
    expect(result.outputs.cancelled).toBe('true');
    expect(result.state['got-sigint']).toBe('true');
    expect(result.post?.outputs['state-got-sigint']).toBe('true');
  });

  it('follows an ignored SIGINT with SIGTERM after the configured delay', async () => {
    const result = await run({
      inputs: { mode: 'ignore-sigint' },
      signal: { after: (step) => step.waitForOutput(/waiting for SIGINT/), sigtermAfterInMs: 300 },
      post: false,
    });
    expect(result.signalsSent).toEqual(['SIGINT', 'SIGTERM']);
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', conclusion: 'cancelled' });
    expect(result.stdout).toContain('probe: ignoring SIGINT');
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('throws when the step ends before the cancel point', async () => {
    await expect(
      run({ signal: { after: (step) => step.waitForOutput('never printed') }, post: false }),
    ).rejects.toThrow(/ended \(exit code 0\) before it could be cancelled/);
  });

  it('kills a step that outlives timeoutMs and throws with its output', async () => {
    await expect(run({ inputs: { mode: 'ignore-sigint' }, timeoutMs: 1_000, post: false })).rejects.toThrow(
      /did not finish within 1000 ms[\s\S]*probe: waiting for SIGINT/,
    );
  });
});

describe('OIDC', () => {
  const idToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9jdG8tb3JnL21sLXJlcG8ifQ.c2lnbmF0dXJl';
  const requestToken = 'runner-request-token-123';
  let server: Server;
  let requestUrl: string;
  const seen: { audience: string | null; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      seen.push({ audience: url.searchParams.get('audience'), authorization: request.headers.authorization });
      const ok =
        url.pathname.endsWith('/idtoken') &&
        url.searchParams.get('api-version') === '2.0' &&
        url.searchParams.get('audience') === 'api://AzureADTokenExchange' &&
        request.headers.authorization === `Bearer ${requestToken}`;
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify(ok ? { value: idToken } : { message: 'bad token request' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    requestUrl = `http://127.0.0.1:${port}/_apis/distributedtask/hubs/Actions/plans/p/jobs/j/idtoken?api-version=2.0`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves getIDToken through ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, and the token is masked', async () => {
    seen.length = 0;
    const result = await run({ inputs: { mode: 'oidc' }, oidc: { requestUrl, requestToken } });
    expect(result.conclusion).toBe('success');
    expect(seen).toEqual([
      { audience: 'api://AzureADTokenExchange', authorization: `Bearer ${requestToken}` },
    ]);
    expect(result.outputs['id-token']).toBe(idToken);
    expect(result.masks).toContain(idToken);
  });

  it('fails the step when the runner token is wrong', async () => {
    seen.length = 0;
    const result = await run({ inputs: { mode: 'oidc' }, oidc: { requestUrl, requestToken: 'wrong' } });
    expect(seen).toHaveLength(1);
    expect(result.exitCode).toBe(1);
    expect(result.annotations[0]?.message).toMatch(/Failed to get ID Token/);
  });

  it('sets no ACTIONS_ID_TOKEN_* without the oidc option, so getIDToken fails as without id-token: write', async () => {
    const result = await run({ inputs: { mode: 'oidc' } });
    expect(result.env.ACTIONS_ID_TOKEN_REQUEST_URL).toBeUndefined();
    expect(result.annotations[0]?.message).toMatch(/Unable to get ACTIONS_ID_TOKEN_REQUEST_URL/);
  });
});

describe('environment', () => {
  it('gives the runner variables and drops the parent INPUT_*, STATE_*, GITHUB_*, ACTIONS_* and the rest', async () => {
    const parent = {
      'INPUT_RESOURCE-GROUP': 'from-parent',
      INPUT_LEAKED_FROM_PARENT: 'from-parent',
      STATE_leaked: 'from-parent',
      GITHUB_SHA: 'parent-sha',
      ACTIONS_RUNTIME_TOKEN: 'parent-runtime-token',
      AML_HARNESS_PARENT_ONLY: 'from-parent',
    };
    Object.assign(process.env, parent);
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run({
        inputs: { 'dump-env': 'true' },
        event: { name: 'push', payload: { ref: 'refs/heads/main', after: 'abc' } },
        env: { STEP_LEVEL: 'from-step-env' },
        keepTemp: true,
      });
    } finally {
      for (const name of Object.keys(parent)) delete process.env[name];
    }
    const env = JSON.parse(result.outputs.env ?? '{}') as Record<string, string>;
    try {
      expect(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8'))).toEqual({
        ref: 'refs/heads/main',
        after: 'abc',
      });
    } finally {
      rmSync(path.dirname(env.RUNNER_TEMP ?? ''), { recursive: true, force: true });
    }
    expect(env['INPUT_RESOURCE-GROUP']).toBe('rg-ml');
    for (const name of [
      'INPUT_LEAKED_FROM_PARENT',
      'STATE_leaked',
      'ACTIONS_RUNTIME_TOKEN',
      'AML_HARNESS_PARENT_ONLY',
    ]) {
      expect(env[name], name).toBeUndefined();
    }
    expect(Object.keys(env).filter((name) => name.startsWith('ACTIONS_'))).toEqual([]);
    expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/);
    expect(env).toMatchObject({
      PATH: process.env.PATH,
      STEP_LEVEL: 'from-step-env',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_WORKSPACE: result.workspace,
      GITHUB_REPOSITORY: 'octo-org/ml-repo',
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
    });
    for (const name of [
      'GITHUB_OUTPUT',
      'GITHUB_STATE',
      'GITHUB_ENV',
      'GITHUB_PATH',
      'GITHUB_STEP_SUMMARY',
      'GITHUB_RUN_ID',
      'GITHUB_RUN_NUMBER',
      'GITHUB_RUN_ATTEMPT',
      'GITHUB_JOB',
      'GITHUB_WORKFLOW',
      'GITHUB_ACTOR',
      'GITHUB_ACTION',
      'RUNNER_TEMP',
    ]) {
      expect(env[name], name).toMatch(/./);
    }
  });
});
