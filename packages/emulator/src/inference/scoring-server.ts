// A deployment's scoring script served by a local stand-in of the Azure ML inference server
// (python/inference/azureml_inference_server.py) in its own process group. The process never
// outlives the emulator: stop() ends it, an exit hook kills it when the emulator exits, and the
// server polls the emulator's pid so that even a SIGKILLed emulator takes it along.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { LogRing } from './log-ring';
import { buildServerCommand, lastErrorLine, readyUrl, specProblem, startFailure } from './server-command';

export interface ScoringServerSpec {
  /** For logs, e.g. "<endpoint>/<deployment>". */
  name: string;
  /** The deployment's code folder (already downloaded). */
  codeDir: string;
  /** Path relative to codeDir, e.g. "score.py". */
  scoringScript: string;
  /** AZUREML_MODEL_DIR. */
  modelDir: string;
  environmentVariables?: Record<string, string>;
  /** run() time limit (SCORING_TIMEOUT_MS; the server's default is 60000). */
  requestTimeoutInMs?: number;
  /** Default 60000. */
  startupTimeoutInMs?: number;
  /** Default "python3". */
  python?: string;
  /** Each line the server writes, prefixed with `[name]`. */
  log?: (line: string) => void;
  /** Aborting stops the server. */
  abortSignal?: AbortSignal;
}

export interface RunningScoringServer {
  /** http://127.0.0.1:<port>; known once `ready` resolved (reading it earlier throws). */
  readonly url: string;
  /** Resolves when init() returned and GET / answers 200; rejects with ScoringServerInitError (message: the exception line; .logs: the tail) when init() raises, the process exits, or startup times out. */
  readonly ready: Promise<void>;
  /** Last N lines of stdout+stderr (ring buffer, bounded); all kept lines without N. */
  logs(tail?: number): string;
  readonly exited: boolean;
  /** SIGTERM, then SIGKILL after a grace. */
  stop(): Promise<void>;
}

/** The server did not come up: `message` is the exception line, `logs` the tail of its output. */
export class ScoringServerInitError extends Error {
  override readonly name = 'ScoringServerInitError';
  readonly logs: string;

  constructor(message: string, logs: string) {
    super(message);
    this.logs = logs;
  }
}

export const SCORING_SERVER_SCRIPT = fileURLToPath(
  new URL('../../python/inference/azureml_inference_server.py', import.meta.url),
);

const DEFAULT_STARTUP_TIMEOUT_IN_MS = 60_000;
const STOP_GRACE_IN_MS = 5000;
const ERROR_LOG_TAIL_LINES = 60;

export function startScoringServer(spec: ScoringServerSpec): RunningScoringServer {
  return new ScoringServerProcess(spec);
}

class ScoringServerProcess implements RunningScoringServer {
  readonly ready: Promise<void>;
  readonly #spec: ScoringServerSpec;
  readonly #ring = new LogRing();
  #child: ChildProcess | undefined;
  #url: string | undefined;
  #exited = false;
  #settled = false;
  #failure: string | undefined;
  #exitStatus: string | undefined;
  #stopping: Promise<void> | undefined;
  #resolveReady!: () => void;
  #rejectReady!: (error: ScoringServerInitError) => void;
  readonly #exitedPromise: Promise<void>;
  #markExited!: () => void;
  #startupTimer: NodeJS.Timeout | undefined;

  constructor(spec: ScoringServerSpec) {
    this.#spec = spec;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // A caller that never awaits `ready` must not crash the emulator with an unhandled rejection.
    this.ready.catch(() => {});
    this.#exitedPromise = new Promise((resolve) => {
      this.#markExited = resolve;
    });

    const problem = specProblem(spec);
    if (problem) {
      this.#exited = true;
      this.#markExited();
      this.#fail(problem);
      return;
    }
    if (spec.abortSignal?.aborted) {
      this.#exited = true;
      this.#markExited();
      this.#fail('the scoring server start was aborted');
      return;
    }
    this.#spawn();
  }

  get url(): string {
    if (this.#url === undefined) {
      throw new Error(`scoring server ${this.#spec.name} has no URL yet: await its ready promise first`);
    }
    return this.#url;
  }

  get exited(): boolean {
    return this.#exited;
  }

  logs(tail?: number): string {
    return this.#ring.tail(tail);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  #spawn(): void {
    const spec = this.#spec;
    if (!existsSync(spec.codeDir)) {
      this.#failure = `the code folder ${spec.codeDir} does not exist`;
      this.#onExit();
      return;
    }
    const { command, args, cwd, env } = buildServerCommand(spec, {
      serverScript: SCORING_SERVER_SCRIPT,
      parentPid: process.pid,
      baseEnv: process.env,
    });
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true, // its own process group: stop() reaches whatever the scoring script started
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    trackLive(child);

    child.stdout?.on('data', (chunk: Buffer) => this.#onOutput(chunk.toString('utf8'), 'stdout'));
    child.stderr?.on('data', (chunk: Buffer) => this.#onOutput(chunk.toString('utf8'), 'stderr'));
    child.once('error', (error) => {
      // Spawning failed (e.g. no such python): there is no process to wait for.
      this.#onLine(`failed to start ${command}: ${error.message}`);
      this.#failure ??= `cannot run ${command}: ${error.message}`;
      this.#onExit();
    });
    child.once('exit', (code, signal) => {
      // What the script left running in the background ends with the server, as in a container.
      signalGroup(child, 'SIGKILL');
      this.#exitStatus = `code ${code}, signal ${signal}`;
    });
    // 'close' comes after the last output, so the error carries every line the server wrote.
    child.once('close', () => this.#onExit());

    const timeoutInMs = spec.startupTimeoutInMs ?? DEFAULT_STARTUP_TIMEOUT_IN_MS;
    this.#startupTimer = setTimeout(() => {
      this.#fail(`the scoring server was not ready within ${timeoutInMs} ms`);
      void this.stop();
    }, timeoutInMs);
    const onAbort = () => void this.stop();
    spec.abortSignal?.addEventListener('abort', onAbort, { once: true });
    void this.#exitedPromise.then(() => spec.abortSignal?.removeEventListener('abort', onAbort));
  }

  #onOutput(text: string, stream: string): void {
    for (const line of this.#ring.write(text, stream)) this.#inspect(line);
  }

  /** A line of our own (not the server's) in the same log. */
  #onLine(line: string): void {
    for (const kept of this.#ring.write(`${line}\n`, 'emulator'))
      this.#spec.log?.(`[${this.#spec.name}] ${kept}`);
  }

  #inspect(line: string): void {
    this.#spec.log?.(`[${this.#spec.name}] ${line}`);
    const failure = startFailure(line);
    if (failure !== undefined) this.#failure = failure;
    const url = readyUrl(line);
    if (url !== undefined && this.#url === undefined) {
      this.#url = url;
      void this.#confirmHealthy(url);
    }
  }

  async #confirmHealthy(url: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.#settled) return;
      const status = await probe(`${url}/`);
      if (status === 200) {
        this.#settle();
        this.#resolveReady();
        return;
      }
      if (Date.now() > deadline || this.#exited) {
        this.#fail(
          `the scoring server printed that it listens at ${url} but GET / answered ${status ?? 'nothing'}`,
        );
        void this.stop();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  #onExit(): void {
    if (this.#exited) return;
    for (const line of this.#ring.flush()) this.#inspect(line);
    this.#exited = true;
    if (this.#child) untrackLive(this.#child);
    const cause = lastErrorLine(this.#ring.lines(ERROR_LOG_TAIL_LINES));
    if (this.#exitStatus) this.#onLine(`scoring server exited (${this.#exitStatus})`);
    this.#fail(
      this.#failure ??
        `the scoring server exited (${this.#exitStatus ?? 'no status'}) before it was ready${cause ? `: ${cause}` : ''}`,
    );
    this.#markExited();
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#startupTimer);
  }

  #fail(message: string): void {
    if (this.#settled) return;
    this.#settle();
    this.#rejectReady(new ScoringServerInitError(message, this.#ring.tail(ERROR_LOG_TAIL_LINES)));
  }

  async #stop(): Promise<void> {
    const child = this.#child;
    if (!child || this.#exited) return;
    if (!this.#settled) this.#failure ??= 'the scoring server was stopped before it was ready';
    signalGroup(child, 'SIGTERM');
    const killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_IN_MS);
    await this.#exitedPromise;
    clearTimeout(killTimer);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** GET url: the status code, or undefined when nothing answered. */
function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
  });
}

// One exit hook for every live server (one listener each would trip MaxListenersExceededWarning).
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllLive(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
}

function trackLive(child: ChildProcess): void {
  live.add(child);
  if (!exitHookInstalled) {
    process.once('exit', killAllLive);
    exitHookInstalled = true;
  }
}

function untrackLive(child: ChildProcess): void {
  live.delete(child);
  if (live.size === 0 && exitHookInstalled) {
    process.removeListener('exit', killAllLive);
    exitHookInstalled = false;
  }
}
