import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureRequestError, ConfigurationError } from '../../src/errors';
import {
  describeFailure,
  exportVariable,
  getIdToken,
  getState,
  runAction,
  saveState,
  setFailed,
  setOutput,
} from '../../src/github/runtime';

/** Reads `name<<delimiter\nvalue\ndelimiter` records as the runner does. */
function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const pattern = /^(.+?)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) result[match[1] ?? ''] = match[3] ?? '';
  return result;
}

let folder: string;
let stdout: string;
const savedEnv = { ...process.env };

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'runtime-test-'));
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
  process.exitCode = undefined;
  rmSync(folder, { recursive: true, force: true });
});

function commandFile(variable: string): string {
  const file = join(folder, variable.toLowerCase());
  writeFileSync(file, '');
  process.env[variable] = file;
  return file;
}

describe('outputs, state and variables', () => {
  it('setOutput writes to the file GITHUB_OUTPUT names, multi-line values intact', () => {
    const file = commandFile('GITHUB_OUTPUT');
    setOutput('job-name', 'quiet_lamp_123');
    setOutput('metrics', '{"auc": 0.91}\nsecond line');
    setOutput('passed', true);
    setOutput('count', 3);
    expect(parseFileCommands(readFileSync(file, 'utf8'))).toEqual({
      'job-name': 'quiet_lamp_123',
      metrics: '{"auc": 0.91}\nsecond line',
      passed: 'true',
      count: '3',
    });
  });

  it('saveState writes to GITHUB_STATE; getState reads STATE_<name>', () => {
    const file = commandFile('GITHUB_STATE');
    saveState('job-name', 'quiet_lamp_123');
    expect(parseFileCommands(readFileSync(file, 'utf8'))).toEqual({ 'job-name': 'quiet_lamp_123' });
    process.env['STATE_job-name'] = 'quiet_lamp_123';
    expect(getState('job-name')).toBe('quiet_lamp_123');
    expect(getState('never-saved')).toBeUndefined();
  });

  it('exportVariable writes to GITHUB_ENV and sets process.env', () => {
    const file = commandFile('GITHUB_ENV');
    exportVariable('AML_JOB', 'job-1');
    expect(parseFileCommands(readFileSync(file, 'utf8'))).toEqual({ AML_JOB: 'job-1' });
    expect(process.env.AML_JOB).toBe('job-1');
  });
});

describe('getIdToken', () => {
  it('fails clearly when the job has no id-token permission (request variables unset)', async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    await expect(getIdToken('api://AzureADTokenExchange')).rejects.toThrow('ACTIONS_ID_TOKEN_REQUEST');
  });
});

describe('describeFailure', () => {
  it('points a ConfigurationError at its file and line, with its fix', () => {
    const error = new ConfigurationError("unknown key 'comand'", {
      file: 'jobs/train.yml',
      line: 7,
      column: 3,
      fix: "Rename it to 'command'.",
    });
    expect(describeFailure(error)).toEqual({
      message: "jobs/train.yml:7:3: unknown key 'comand'\nFix: Rename it to 'command'.",
      annotation: { title: 'Configuration error', file: 'jobs/train.yml', startLine: 7, startColumn: 3 },
    });
  });

  it('does not give an input error a line (its line is inside the value, not a file)', () => {
    const error = new ConfigurationError('is not valid JSON', { input: 'creds', line: 2, fix: 'Fix it.' });
    expect(describeFailure(error).annotation).toEqual({ title: 'Configuration error' });
  });

  it('reports an AzureRequestError with status, code and request id', () => {
    const error = new AzureRequestError({
      method: 'PUT',
      url: 'https://management.azure.com/subscriptions/s/jobs/j',
      status: 409,
      code: 'Conflict',
      serviceMessage: 'Job already exists',
      requestId: 'req-123',
      correlationId: 'corr-456',
    });
    const report = describeFailure(error);
    expect(report.annotation).toEqual({ title: 'Azure request failed (409 Conflict)' });
    expect(report.message).toContain('failed with 409 Conflict: Job already exists');
    expect(report.message).toContain(
      'status 409, code Conflict, request id req-123, correlation id corr-456',
    );
    expect(report.message).not.toContain('transient');
  });

  it('says when an Azure failure is transient', () => {
    const error = new AzureRequestError({ method: 'GET', url: 'https://x/y', status: 503 });
    const report = describeFailure(error);
    expect(report.message).toContain('status 503, request id (none returned)');
    expect(report.message).toContain('transient');
  });

  it('follows the cause chain, stopping at cycles', () => {
    const root = new Error('ECONNRESET');
    const middle = new Error('upload failed', { cause: root });
    const top = new Error('code asset not created', { cause: middle });
    expect(describeFailure(top).message).toBe(
      'code asset not created\nCaused by: upload failed\nCaused by: ECONNRESET',
    );
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(describeFailure(a).message).toBe('a\nCaused by: b');
  });

  it('lists the errors of an AggregateError and handles thrown non-errors', () => {
    const aggregate = new AggregateError([new Error('first'), 'second'], 'all failed');
    expect(describeFailure(aggregate).message).toBe('all failed\n  1. first\n  2. second');
    expect(describeFailure('a string').message).toBe('a string');
    expect(describeFailure({ code: 42 }).message).toBe('{"code":42}');
  });
});

describe('setFailed and runAction', () => {
  it('prints an error annotation and sets exit code 1', () => {
    setFailed(new ConfigurationError('bad value', { file: 'deploy.yml', line: 2, fix: 'Use a number.' }));
    expect(stdout).toBe(
      '::error title=Configuration error,file=deploy.yml,line=2::deploy.yml:2: bad value%0AFix: Use a number.\n',
    );
    expect(process.exitCode).toBe(1);
  });

  it('prints the stack of an unexpected error as debug output', () => {
    setFailed(new TypeError('x is undefined'));
    expect(stdout).toMatch(/^::error::x is undefined\n::debug::TypeError: x is undefined%0A\s+at /);
    expect(process.exitCode).toBe(1);
  });

  it('runAction reports a rejection and resolves', async () => {
    await expect(
      runAction(async () => {
        throw new Error('step broke', { cause: new Error('because') });
      }),
    ).resolves.toBeUndefined();
    expect(stdout).toContain('::error::step broke%0ACaused by: because\n');
    expect(process.exitCode).toBe(1);
  });

  it('runAction leaves a successful run alone', async () => {
    let ran = false;
    await runAction(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(stdout).toBe('');
    expect(process.exitCode).toBeUndefined();
  });
});
