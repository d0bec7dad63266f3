// Pure parts of running a scoring server: the command line and environment of the Python process,
// and reading its start-up lines (python/inference/azureml_inference_server.py prints them).
import path from 'node:path';
import type { ScoringServerSpec } from './scoring-server';

export interface ServerCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface ServerCommandContext {
  /** Absolute path of azureml_inference_server.py. */
  serverScript: string;
  /** The emulator's pid: the server exits when that process is gone. */
  parentPid: number;
  /** The environment the emulator runs in (process.env). */
  baseEnv: Record<string, string | undefined>;
  host?: string;
  port?: number;
}

/** Variables the server sets up itself: a deployment's environment variables cannot replace them. */
const RESERVED = ['AZUREML_MODEL_DIR', 'AML_APP_ROOT', 'AZUREML_ENTRY_SCRIPT'] as const;

/**
 * Why the spec cannot be served, or undefined. The scoring script must stay inside the code folder,
 * as it does in a deployment's code configuration.
 */
export function specProblem(spec: ScoringServerSpec): string | undefined {
  if (!spec.codeDir) return 'codeDir is empty: it must name the deployment code folder';
  if (!spec.scoringScript) return 'scoringScript is empty: it must name the scoring script inside codeDir';
  if (path.isAbsolute(spec.scoringScript)) {
    return `scoringScript "${spec.scoringScript}" must be a path relative to the code folder`;
  }
  const relative = path.relative(spec.codeDir, path.resolve(spec.codeDir, spec.scoringScript));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return `scoringScript "${spec.scoringScript}" is outside the code folder ${spec.codeDir}`;
  }
  if (!spec.modelDir) return 'modelDir is empty: it must name the folder AZUREML_MODEL_DIR points at';
  for (const [name, value] of [
    ['requestTimeoutInMs', spec.requestTimeoutInMs],
    ['startupTimeoutInMs', spec.startupTimeoutInMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      return `${name} must be a positive whole number of milliseconds, not ${value}`;
    }
  }
  return undefined;
}

export function buildServerCommand(spec: ScoringServerSpec, context: ServerCommandContext): ServerCommand {
  const codeDir = path.resolve(spec.codeDir);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.baseEnv)) if (value !== undefined) env[name] = value;
  // The emulator's own settings for a scoring timeout must not leak into a deployment's server.
  delete env.SCORING_TIMEOUT_MS;
  for (const [name, value] of Object.entries(spec.environmentVariables ?? {})) {
    if (!(RESERVED as readonly string[]).includes(name)) env[name] = value;
  }
  env.AZUREML_MODEL_DIR = path.resolve(spec.modelDir);
  env.AML_APP_ROOT = codeDir;
  env.AZUREML_ENTRY_SCRIPT = path.resolve(codeDir, spec.scoringScript);
  if (spec.requestTimeoutInMs !== undefined) env.SCORING_TIMEOUT_MS = String(spec.requestTimeoutInMs);
  env.PYTHONUNBUFFERED = '1';
  // The code folder is the deployment's snapshot: no __pycache__ written into it.
  env.PYTHONDONTWRITEBYTECODE = '1';
  return {
    command: spec.python ?? 'python3',
    args: [
      '-u',
      context.serverScript,
      '--entry_script',
      env.AZUREML_ENTRY_SCRIPT,
      '--app_root',
      codeDir,
      '--host',
      context.host ?? '127.0.0.1',
      '--port',
      String(context.port ?? 0),
      '--parent_pid',
      String(context.parentPid),
    ],
    cwd: codeDir,
    env,
  };
}

const READY = /azmlinfsrv - Listening at: (http:\/\/\S+) \(\d+\)\s*$/;
const FAILED = /azmlinfsrv - Server failed to start: (.*)$/;

/** The server's URL when the line says it is serving. */
export function readyUrl(line: string): string | undefined {
  return READY.exec(line)?.[1];
}

/** The exception line when the line says the start failed (import error, init() raising, …). */
export function startFailure(line: string): string | undefined {
  return FAILED.exec(line)?.[1]?.trim();
}

/**
 * The best one-line account of a start that ended without the server's own verdict: the last line
 * that looks like a Python exception, else the last line written.
 */
export function lastErrorLine(lines: readonly string[]): string | undefined {
  const exception = [...lines]
    .reverse()
    .find((line) => /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(line));
  return exception ?? [...lines].reverse().find((line) => line.trim() !== '');
}
