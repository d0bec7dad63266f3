// Starts the Azure ML emulator as a child process (exactly as `npx aml-emulator` runs) for tests,
// and gives child processes the environment that makes them trust its CA.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import type { ReadyInfo } from '../../packages/emulator/src/index';

export type { ReadyInfo } from '../../packages/emulator/src/index';

export const EMULATOR_BIN = fileURLToPath(
  new URL('../../packages/emulator/bin/aml-emulator.js', import.meta.url),
);

export interface StartEmulatorProcessOptions {
  /** Reuse a state dir (e.g. to test a restart); a fresh temp dir otherwise, removed on stop. */
  stateDir?: string;
  /** Extra CLI flags, e.g. ['--token-lifetime', '2s']. */
  args?: string[];
  readyTimeoutInMs?: number;
}

export interface EmulatorProcess {
  info: ReadyInfo;
  stateDir: string;
  child: ChildProcess;
  /** Everything the emulator wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the process to exit; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Env vars for child processes: NODE_EXTRA_CA_CERTS = existing bundle + the emulator CA. */
  childEnv(): Record<string, string>;
}

/** The existing NODE_EXTRA_CA_CERTS bundle (if any) followed by the emulator's CA. */
export function combinedCaBundle(caCertPath: string, existing = process.env.NODE_EXTRA_CA_CERTS): string {
  const parts: string[] = [];
  if (existing && existsSync(existing)) parts.push(readFileSync(existing, 'utf8').trimEnd());
  parts.push(readFileSync(caCertPath, 'utf8').trimEnd());
  return `${parts.join('\n')}\n`;
}

export async function startEmulatorProcess(
  options: StartEmulatorProcessOptions = {},
): Promise<EmulatorProcess> {
  const ownsStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'aml-emulator-'));
  const child = spawn(
    process.execPath,
    [EMULATOR_BIN, '--state-dir', stateDir, '--port', '0', ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const timeoutInMs = options.readyTimeoutInMs ?? 60_000;
  let info: ReadyInfo;
  try {
    info = await new Promise<ReadyInfo>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`The emulator was not ready within ${timeoutInMs} ms. stderr:\n${stderr}`)),
        timeoutInMs,
      );
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, newline)) as ReadyInfo);
        } catch (error) {
          reject(new Error(`The emulator's ready line is not JSON (${(error as Error).message}): ${stdout}`));
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`The emulator exited with code ${code} before it was ready. stderr:\n${stderr}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }

  let bundlePath: string | undefined;
  let stopping: Promise<number | null> | undefined;
  return {
    info,
    stateDir,
    child,
    stderr: () => stderr,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const code = await exited;
        if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
        return code;
      })();
      return stopping;
    },
    childEnv: () => {
      if (!bundlePath) {
        bundlePath = path.join(stateDir, 'ca-bundle.pem');
        writeFileSync(bundlePath, combinedCaBundle(info.caCertPath));
      }
      return { NODE_EXTRA_CA_CERTS: bundlePath };
    },
  };
}

/**
 * An Azure SDK HttpClient that trusts the emulator's CA, for in-process SDK clients
 * (`new ClientSecretCredential(…, { httpClient })`, `new AzureMachineLearningWorkspaces(…, { httpClient })`).
 * NODE_EXTRA_CA_CERTS only works for processes started with it; this is its in-process equivalent.
 */
export function trustingHttpClient(caCertPath: string): HttpClient {
  const agent = new Agent({ ca: combinedCaBundle(caCertPath), keepAlive: false });
  const inner = createDefaultHttpClient();
  return {
    sendRequest: (request) => {
      request.agent = agent;
      return inner.sendRequest(request);
    },
  };
}
