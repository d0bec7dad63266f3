// The scoring server's command line and environment, spec checks, and reading its start-up lines.
import { describe, expect, it } from 'vitest';
import type { ScoringServerSpec } from '../../src/inference';
import {
  buildServerCommand,
  lastErrorLine,
  readyUrl,
  specProblem,
  startFailure,
} from '../../src/inference/server-command';

const spec: ScoringServerSpec = {
  name: 'ep/blue',
  codeDir: '/deployments/blue/code',
  scoringScript: 'src/score.py',
  modelDir: '/deployments/blue/model',
};
const context = {
  serverScript: '/srv/azureml_inference_server.py',
  parentPid: 4242,
  baseEnv: { PATH: '/bin' },
};

describe('buildServerCommand', () => {
  it('runs the server script on the entry script with a free port and the parent pid', () => {
    const command = buildServerCommand(spec, context);
    expect(command.command).toBe('python3');
    expect(command.args).toEqual([
      '-u',
      '/srv/azureml_inference_server.py',
      '--entry_script',
      '/deployments/blue/code/src/score.py',
      '--app_root',
      '/deployments/blue/code',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--parent_pid',
      '4242',
    ]);
    expect(command.cwd).toBe('/deployments/blue/code');
    expect(command.env).toEqual({
      PATH: '/bin',
      AZUREML_MODEL_DIR: '/deployments/blue/model',
      AML_APP_ROOT: '/deployments/blue/code',
      AZUREML_ENTRY_SCRIPT: '/deployments/blue/code/src/score.py',
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    });
  });

  it('honours python, host, port and the request timeout', () => {
    const command = buildServerCommand(
      { ...spec, python: '/opt/py/bin/python3.11', requestTimeoutInMs: 1500 },
      { ...context, host: '::1', port: 5001 },
    );
    expect(command.command).toBe('/opt/py/bin/python3.11');
    expect(command.args.slice(6, 10)).toEqual(['--host', '::1', '--port', '5001']);
    expect(command.env.SCORING_TIMEOUT_MS).toBe('1500');
  });

  it('passes deployment variables but not over the model dir, app root or entry script', () => {
    const command = buildServerCommand(
      {
        ...spec,
        environmentVariables: {
          WORKER_COUNT: '2',
          AZUREML_MODEL_DIR: '/elsewhere',
          AML_APP_ROOT: '/elsewhere',
          AZUREML_ENTRY_SCRIPT: '/elsewhere/x.py',
          PATH: '/custom/bin',
        },
      },
      context,
    );
    expect(command.env).toMatchObject({
      WORKER_COUNT: '2',
      PATH: '/custom/bin',
      AZUREML_MODEL_DIR: '/deployments/blue/model',
      AML_APP_ROOT: '/deployments/blue/code',
      AZUREML_ENTRY_SCRIPT: '/deployments/blue/code/src/score.py',
    });
  });

  it.each([
    [{}, { SCORING_TIMEOUT_MS: '9' }, undefined],
    [{ SCORING_TIMEOUT_MS: '700' }, { SCORING_TIMEOUT_MS: '9' }, '700'],
    [{ SCORING_TIMEOUT_MS: '700' }, {}, '700'],
  ])('scoring timeout: deployment %j over emulator %j gives %s', (deploymentEnv, emulatorEnv, expected) => {
    const command = buildServerCommand(
      { ...spec, environmentVariables: deploymentEnv },
      { ...context, baseEnv: { ...emulatorEnv } },
    );
    expect(command.env.SCORING_TIMEOUT_MS).toBe(expected);
  });

  it('lets requestTimeoutInMs win over a deployment variable', () => {
    const command = buildServerCommand(
      { ...spec, environmentVariables: { SCORING_TIMEOUT_MS: '700' }, requestTimeoutInMs: 90 },
      context,
    );
    expect(command.env.SCORING_TIMEOUT_MS).toBe('90');
  });
});

describe('specProblem', () => {
  it.each([
    [{}, undefined],
    [{ scoringScript: 'score.py' }, undefined],
    [{ scoringScript: './onlinescoring/score.py' }, undefined],
    [{ codeDir: '' }, /codeDir is empty/],
    [{ scoringScript: '' }, /scoringScript is empty/],
    [{ scoringScript: '/etc/score.py' }, /must be a path relative/],
    [{ scoringScript: '../other/score.py' }, /outside the code folder/],
    [{ scoringScript: 'src/../../score.py' }, /outside the code folder/],
    [{ scoringScript: '.' }, /outside the code folder/],
    [{ modelDir: '' }, /modelDir is empty/],
    [{ requestTimeoutInMs: 0 }, /requestTimeoutInMs must be a positive/],
    [{ startupTimeoutInMs: 2.5 }, /startupTimeoutInMs must be a positive/],
  ])('%j', (change, expected) => {
    const problem = specProblem({ ...spec, ...change });
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('start-up lines', () => {
  it.each([
    [
      '2026-01-01 10:00:00,000 I [123] azmlinfsrv - Listening at: http://127.0.0.1:40123 (123)',
      'http://127.0.0.1:40123',
    ],
    [
      '2026-01-01 10:00:00,000 I [123] azmlinfsrv - Listening at: http://[::1]:5001 (123)',
      'http://[::1]:5001',
    ],
    ['print("Listening at: http://127.0.0.1:1 (1)") from a user script', undefined],
    ['Score:          POST  127.0.0.1:40123/score', undefined],
  ])('readyUrl(%j)', (line, expected) => {
    expect(readyUrl(line)).toBe(expected);
  });

  it.each([
    [
      "2026-01-01 10:00:00,000 E [9] azmlinfsrv - Server failed to start: ModuleNotFoundError: No module named 'sklearn'",
      "ModuleNotFoundError: No module named 'sklearn'",
    ],
    ["2026-01-01 10:00:00,000 E [9] azmlinfsrv - User's init function failed", undefined],
  ])('startFailure(%j)', (line, expected) => {
    expect(startFailure(line)).toBe(expected);
  });

  it.each([
    [
      ['Traceback (most recent call last):', '  File "x.py", line 1', 'ValueError: bad', ''],
      'ValueError: bad',
    ],
    [
      ['Fatal Python error: Segmentation fault', '', 'Current thread 0x1 (most recent call first):'],
      'Current thread 0x1 (most recent call first):',
    ],
    [['KeyboardInterrupt', 'done'], 'KeyboardInterrupt'],
    [['', ''], undefined],
    [[], undefined],
  ])('lastErrorLine(%j)', (lines, expected) => {
    expect(lastErrorLine(lines)).toBe(expected);
  });
});
