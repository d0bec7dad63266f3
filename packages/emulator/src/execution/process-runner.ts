// One job process: `bash -c <command>` in its own process group, stdout and stderr appended to
// one log file (in the order written), stopped by timeout or abort (SIGTERM, SIGKILL after a grace).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ProcessRunOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  timeoutInMs?: number;
  /** Aborting stops the process: the outcome is then `canceled`. */
  abortSignal: AbortSignal;
  /** Between SIGTERM and SIGKILL (default 2000). */
  killGraceInMs?: number;
  /** The process id, once started (tests check the process is gone). */
  onStart?: (pid: number) => void;
}

export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'signaled'; signal: string }
  | { kind: 'timed-out'; timeoutInMs: number }
  | { kind: 'canceled' }
  | { kind: 'spawn-failed'; message: string };

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function runProcess(options: ProcessRunOptions): Promise<ProcessOutcome> {
  if (options.abortSignal.aborted) return Promise.resolve({ kind: 'canceled' });
  const log = openSync(options.logFile, 'a');
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('bash', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true, // its own process group, so a stop reaches every process it started
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  return new Promise<ProcessOutcome>((resolve) => {
    let stopReason: ProcessOutcome | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: ProcessOutcome) => {
      if (stopReason || child.pid === undefined) return;
      stopReason = reason;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(
        () => signalGroup(child.pid as number, 'SIGKILL'),
        options.killGraceInMs ?? 2000,
      );
    };
    const onAbort = () => stop({ kind: 'canceled' });
    options.abortSignal.addEventListener('abort', onAbort, { once: true });
    const timeoutTimer =
      options.timeoutInMs !== undefined
        ? setTimeout(
            () => stop({ kind: 'timed-out', timeoutInMs: options.timeoutInMs as number }),
            options.timeoutInMs,
          )
        : undefined;
    const finish = (outcome: ProcessOutcome) => {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      options.abortSignal.removeEventListener('abort', onAbort);
      // Whatever the command left running in the background ends with the job, as in a container.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      resolve(outcome);
    };
    child.once('spawn', () => {
      if (child.pid !== undefined) options.onStart?.(child.pid);
    });
    child.once('error', (error) => finish({ kind: 'spawn-failed', message: error.message }));
    child.once('exit', (code, signal) => {
      if (stopReason) finish(stopReason);
      else if (code !== null) finish({ kind: 'exited', exitCode: code });
      else finish({ kind: 'signaled', signal: signal ?? 'unknown' });
    });
  });
}
