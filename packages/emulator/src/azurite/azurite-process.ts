// Azurite's blob service as a child process: the blob store behind the workspace's datastores.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorageAccount } from '../arm-context';

/** Azurite's development account and its published, well-known key. */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Where Azurite keeps its data (`<state-dir>/azurite`). */
  location: string;
  host?: string;
  startTimeoutInMs?: number;
  log?: (line: string) => void;
  abortSignal?: AbortSignal;
  /** More accounts beside the development one (e.g. the registry's), served by the same Azurite. */
  extraAccounts?: readonly { accountName: string; accountKey: string }[];
}

export interface AzuriteHandle {
  pid: number;
  port: number;
  /** The development account (the workspace's). */
  account: StorageAccount;
  /** The extra accounts, in the order asked for. */
  extraAccounts: StorageAccount[];
  stop(): Promise<void>;
}

/**
 * Azurite's `AZURITE_ACCOUNTS` value (`name:key;name:key`). Setting it replaces the development
 * account, so that one is listed first.
 */
export function azuriteAccountsEnv(extra: readonly { accountName: string; accountKey: string }[]): string {
  return [{ accountName: AZURITE_ACCOUNT_NAME, accountKey: AZURITE_ACCOUNT_KEY }, ...extra]
    .map(({ accountName, accountKey }) => `${accountName}:${accountKey}`)
    .join(';');
}

const LISTENING = /successfully listens on (https?:\/\/\S+)/;

function azuriteBlobMain(): string {
  const packageJson = createRequire(import.meta.url).resolve('azurite/package.json');
  return path.join(path.dirname(packageJson), 'dist', 'src', 'blob', 'main.js');
}

const watchdogPath = (): string => fileURLToPath(new URL('./parent-watchdog.cjs', import.meta.url));

/** Resolves once a TCP connection to host:port succeeds (retrying until the deadline). */
async function waitForPort(host: string, port: number, deadline: number): Promise<void> {
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`Azurite did not accept connections on ${host}:${port}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function waitForExit(child: ChildProcess, timeoutInMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutInMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startAzurite(options: AzuriteOptions): Promise<AzuriteHandle> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  mkdirSync(options.location, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      '--require',
      watchdogPath(),
      azuriteBlobMain(),
      '--blobHost',
      host,
      // Port 0: Azurite binds a free port itself and prints it, so no port can be taken in between.
      '--blobPort',
      '0',
      '--skipApiVersionCheck',
      '--loose',
      '--silent',
      '--disableTelemetry',
      '--location',
      options.location,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        AML_EMULATOR_PARENT_PID: String(process.pid),
        ...(options.extraAccounts?.length && { AZURITE_ACCOUNTS: azuriteAccountsEnv(options.extraAccounts) }),
      },
    },
  );
  // If the emulator exits abruptly, take Azurite with it (the watchdog covers SIGKILL).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  child.once('exit', (code, signal) => log(`[azurite] exited (code ${code}, signal ${signal})`));
  let output = '';
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 2000);
    }
  };

  try {
    const url = await new Promise<URL>((resolve, reject) => {
      const timeout = setTimeout(
        () =>
          reject(
            new Error(`Azurite did not start within ${options.startTimeoutInMs ?? 30_000} ms:\n${output}`),
          ),
        options.startTimeoutInMs ?? 30_000,
      );
      const onAbort = () => reject(new Error('Azurite start was aborted.'));
      options.abortSignal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timeout);
        options.abortSignal?.removeEventListener('abort', onAbort);
      };
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        for (const line of text.split('\n')) if (line.trim()) log(`[azurite] ${line.trim()}`);
        const match = LISTENING.exec(output);
        if (match) {
          settle();
          resolve(new URL(match[1] as string));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`Azurite exited during start (code ${code}, signal ${signal}):\n${output}`)),
      );
    });
    const port = Number(url.port);
    await waitForPort(host, port, Date.now() + 10_000);
    const hostInUrl = host.includes(':') ? `[${host}]` : host;
    const served = (account: { accountName: string; accountKey: string }): StorageAccount => ({
      accountName: account.accountName,
      accountKey: account.accountKey,
      blobEndpoint: `http://${hostInUrl}:${port}/${account.accountName}`,
    });
    return {
      pid: child.pid ?? -1,
      port,
      account: served({ accountName: AZURITE_ACCOUNT_NAME, accountKey: AZURITE_ACCOUNT_KEY }),
      extraAccounts: (options.extraAccounts ?? []).map(served),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
