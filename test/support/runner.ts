// Runs a bundled JavaScript action the way the GitHub runner does: inputs and defaults from
// action.yml as INPUT_* (hyphens kept), the runner's env and file commands, stdout/stderr read for
// workflow commands and masks, cancellation as SIGINT then SIGTERM, and the post step with STATE_*.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseYaml } from 'yaml';
import {
  type Annotation,
  inputEnvName,
  type LogLine,
  type LogStream,
  parseKeyValueFile,
  parsePathFile,
  prependPath,
  readStepLog,
} from './runner-files';

/** What `${{ github.token }}` expands to unless `github.token` is given: shaped like a real one. */
export const FAKE_GITHUB_TOKEN = 'ghs_HarnessFakeToken00000000000000000000';

/** Parent variables a child keeps; everything else (INPUT_*, GITHUB_*, AZURE_*, VITEST...) is dropped. */
const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

const DEFAULT_STEP_TIMEOUT_IN_MS = 60_000;
/** The runner's gaps between SIGINT, SIGTERM and a hard kill on cancel. */
const DEFAULT_SIGTERM_AFTER_IN_MS = 7_500;
const DEFAULT_SIGKILL_AFTER_IN_MS = 2_500;

export interface GithubContextOptions {
  token: string;
  repository: string;
  sha: string;
  ref: string;
  actor: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  job: string;
  workflow: string;
  serverUrl: string;
  apiUrl: string;
}

/** A step still running, handed to `signal.after` so it can wait for a point in the run. */
export interface RunningStep {
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches; rejects if the step exits first. */
  waitForOutput(pattern: string | RegExp): Promise<void>;
}

export interface CancelPlan {
  /** When to cancel: after a delay, or once a condition (e.g. `step.waitForOutput(...)`) resolves. */
  after: number | ((step: RunningStep) => Promise<void>);
  kind?: 'SIGINT' | 'SIGTERM';
  /** SIGTERM follows SIGINT after this long if the process is still alive (runner: 7.5 s). */
  sigtermAfterInMs?: number;
  /** A hard kill follows SIGTERM after this long (runner: 2.5 s). */
  sigkillAfterInMs?: number;
}

export interface RunActionOptions {
  /** Folder with action.yml; its runs.main / runs.post are run. */
  actionDir?: string;
  /** Or a script to run as the main step without an action.yml (inputs are not checked). */
  script?: string;
  postScript?: string;
  /** `with:` values; names not declared in action.yml throw (the runner only warns). */
  inputs?: Record<string, string>;
  /** Step `env:`; wins over everything but INPUT_* and STATE_* (use `inputs` for those). */
  env?: Record<string, string>;
  event?: { name?: string; payload?: Record<string, unknown> };
  /** Sets ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, as `permissions: id-token: write` does. */
  oidc?: { requestUrl: string; requestToken: string };
  github?: Partial<GithubContextOptions>;
  /** GITHUB_WORKSPACE and the working directory; a temp folder by default. */
  cwd?: string;
  /** Per step; the child is killed and the run throws past it. */
  timeoutMs?: number;
  signal?: CancelPlan;
  /** Run the post step (default: when action.yml declares one and its post-if holds). */
  post?: boolean;
  abortSignal?: AbortSignal;
  /** Keep the temp folder (runner files, default workspace) for inspection. */
  keepTemp?: boolean;
}

export type StepConclusion = 'success' | 'failure' | 'cancelled';

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  conclusion: StepConclusion;
  /** Signals the harness sent, in order (empty unless cancelled). */
  signalsSent: NodeJS.Signals[];
  stdout: string;
  stderr: string;
  /** Both streams in arrival order as the runner's log shows them (masks applied). */
  log: LogLine[];
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  path: string[];
  summary: string;
  annotations: Annotation[];
  masks: string[];
  /** The environment the step's process got. */
  env: Record<string, string>;
  durationMs: number;
}

export interface ActionRunResult extends StepResult {
  post?: StepResult;
  githubToken: string;
  workspace: string;
  /** The input values delivered (declared name → value, defaults applied). */
  inputs: Record<string, string>;
}

export async function runAction(options: RunActionOptions): Promise<ActionRunResult> {
  if ((options.actionDir === undefined) === (options.script === undefined)) {
    throw new Error('runAction needs exactly one of actionDir or script');
  }
  for (const name of Object.keys(options.env ?? {})) {
    if (/^(INPUT|STATE)_/i.test(name)) throw new Error(`env.${name}: pass inputs through options.inputs`);
  }
  const manifest = options.actionDir ? await readActionManifest(options.actionDir) : undefined;
  const mainScript = manifest ? manifest.main : path.resolve(options.script ?? '');
  const postScript = manifest ? manifest.post : options.postScript && path.resolve(options.postScript);
  if (options.post === true && postScript === undefined) {
    throw new Error('post: true, but the action declares no post step');
  }

  const root = await mkdtemp(path.join(os.tmpdir(), 'aml-runner-'));
  try {
    const workspace = path.resolve(options.cwd ?? path.join(root, 'workspace'));
    const runnerTemp = path.join(root, '_temp');
    await mkdir(workspace, { recursive: true });
    await mkdir(path.join(runnerTemp, '_github_workflow'), { recursive: true });
    const eventPath = path.join(runnerTemp, '_github_workflow', 'event.json');
    await writeFile(eventPath, JSON.stringify(options.event?.payload ?? {}, null, 2));

    const github = githubContext(options, workspace, eventPath, mainScript);
    const contexts: ExpressionContexts = {
      github: github.values,
      runner: { os: 'Linux', arch: 'X64', name: 'harness-runner', temp: runnerTemp },
    };
    const inputs = manifest
      ? resolveInputs(manifest, options.inputs ?? {}, contexts)
      : { ...(options.inputs ?? {}) };

    const baseEnv: Record<string, string> = { ...inheritedEnv(), ...github.env, RUNNER_TEMP: runnerTemp };
    if (options.oidc) {
      baseEnv.ACTIONS_ID_TOKEN_REQUEST_URL = options.oidc.requestUrl;
      baseEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN = options.oidc.requestToken;
    }
    for (const [name, value] of Object.entries(inputs)) baseEnv[inputEnvName(name)] = value;
    // The runner masks its own secrets from the first line on.
    const knownSecrets = [github.values.token ?? '', options.oidc?.requestToken ?? ''];
    const timeoutMs = options.timeoutMs ?? DEFAULT_STEP_TIMEOUT_IN_MS;
    const commandDir = path.join(root, '_runner_file_commands');

    const main = await runStep({
      script: mainScript,
      env: { ...baseEnv, ...options.env },
      cwd: workspace,
      commandDir,
      knownSecrets,
      timeoutMs,
      cancel: options.signal,
      abortSignal: options.abortSignal,
    });

    let post: StepResult | undefined;
    if (postScript !== undefined && options.post !== false && shouldRunPost(manifest?.postIf, main)) {
      const state = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
      const env = { ...baseEnv, ...main.exportedEnv, ...state, ...options.env };
      env.PATH = prependPath(main.path, env.PATH, path.delimiter);
      post = await runStep({
        script: postScript,
        env,
        cwd: workspace,
        commandDir,
        knownSecrets: [...knownSecrets, ...main.masks],
        timeoutMs,
        abortSignal: options.abortSignal,
      });
    }
    return { ...main, ...(post && { post }), githubToken: github.values.token ?? '', workspace, inputs };
  } finally {
    if (!options.keepTemp) await rm(root, { recursive: true, force: true });
  }
}

export interface SecretLeak {
  /** `stdout`, `stderr`, `summary`, `outputs.<name>`, and the same under `post.`. */
  where: string;
  /** Index into the `secrets` given, so a failing assertion does not print the secret. */
  secretIndex: number;
}

/**
 * Where a secret shows in clear: in the log as the runner shows it (so a value masked before it
 * was printed is not a leak, one printed before its mask is), and anywhere in outputs and the
 * summary (a later step or the job page would read those whatever the masks).
 */
export function findSecretLeaks(result: ActionRunResult, secrets: readonly string[]): SecretLeak[] {
  secrets.forEach((secret, index) => {
    if (secret === '')
      throw new Error(`findSecretLeaks: secret #${index} is empty (it would match anywhere)`);
  });
  const leaks: SecretLeak[] = [];
  const scan = (step: StepResult, prefix: string) => {
    const places: [string, string][] = [
      ['stdout', logText(step.log, 'stdout')],
      ['stderr', logText(step.log, 'stderr')],
      ['summary', step.summary],
      ...Object.entries(step.outputs).map(([name, value]): [string, string] => [`outputs.${name}`, value]),
    ];
    for (const [where, text] of places) {
      secrets.forEach((secret, secretIndex) => {
        if (text.includes(secret)) leaks.push({ where: prefix + where, secretIndex });
      });
    }
  };
  scan(result, '');
  if (result.post) scan(result.post, 'post.');
  return leaks;
}

function logText(log: readonly LogLine[], stream: LogStream): string {
  return log
    .filter((line) => line.stream === stream)
    .map((line) => line.text)
    .join('\n');
}

// --- action.yml ---

interface DeclaredInput {
  name: string;
  default?: string;
}

interface ActionManifest {
  inputs: DeclaredInput[];
  main: string;
  post?: string;
  postIf?: string;
}

export async function readActionManifest(actionDir: string): Promise<ActionManifest> {
  const file = ['action.yml', 'action.yaml'].map((f) => path.join(actionDir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${actionDir}: no action.yml`);
  const doc: unknown = parseYaml(await readFile(file, 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.runs)) throw new Error(`${file}: no runs: section`);
  const { runs } = doc;
  if (typeof runs.using !== 'string' || !/^node\d+$/.test(runs.using)) {
    throw new Error(`${file}: runs.using is ${String(runs.using)}; the harness runs JavaScript actions only`);
  }
  if (typeof runs.main !== 'string') throw new Error(`${file}: runs.main is missing`);
  if (runs.pre !== undefined) throw new Error(`${file}: runs.pre is not supported by the harness`);
  const inputs: DeclaredInput[] = [];
  if (doc.inputs !== undefined && doc.inputs !== null) {
    if (!isRecord(doc.inputs)) throw new Error(`${file}: inputs must be a mapping`);
    for (const [name, spec] of Object.entries(doc.inputs)) {
      const value = isRecord(spec) ? spec.default : undefined;
      inputs.push(value === undefined || value === null ? { name } : { name, default: String(value) });
    }
  }
  const resolve = (script: string) => path.resolve(actionDir, script);
  return {
    inputs,
    main: resolve(runs.main),
    ...(typeof runs.post === 'string' && { post: resolve(runs.post) }),
    ...(typeof runs['post-if'] === 'string' && { postIf: runs['post-if'] }),
  };
}

type ExpressionContexts = Record<string, Record<string, string>>;

/** Every declared input gets a value (its default, expanded, or ''), as the runner does. */
function resolveInputs(
  manifest: ActionManifest,
  given: Record<string, string>,
  contexts: ExpressionContexts,
): Record<string, string> {
  const declared = new Map(manifest.inputs.map((input) => [input.name.toLowerCase(), input]));
  const unexpected = Object.keys(given).filter((name) => !declared.has(name.toLowerCase()));
  if (unexpected.length > 0) {
    const valid = manifest.inputs.map((i) => i.name).join("', '");
    throw new Error(`Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${valid}']`);
  }
  const values: Record<string, string> = {};
  for (const input of manifest.inputs) {
    const provided = Object.entries(given).find(([name]) => name.toLowerCase() === input.name.toLowerCase());
    values[input.name] = provided ? provided[1] : expandExpressions(input.default ?? '', contexts);
  }
  return values;
}

/** `${{ github.token }}`-style property lookups; anything richer throws rather than guess. */
export function expandExpressions(template: string, contexts: ExpressionContexts): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const match = /^\s*([a-z_]+)\.([a-z_]+)\s*$/i.exec(expression);
    const value = match
      ? contexts[match[1]?.toLowerCase() ?? '']?.[match[2]?.toLowerCase() ?? '']
      : undefined;
    if (value === undefined) throw new Error(`the harness cannot evaluate \${{${expression}}}`);
    return value;
  });
}

function shouldRunPost(postIf: string | undefined, main: StepResult): boolean {
  const condition = (postIf ?? 'always()').replace(/^\s*\$\{\{(.*)\}\}\s*$/, '$1').trim();
  switch (condition) {
    case 'always()':
      return true;
    case 'success()':
      return main.conclusion === 'success';
    case 'failure()':
      return main.conclusion === 'failure';
    case 'cancelled()':
      return main.conclusion === 'cancelled';
    case '!cancelled()':
      return main.conclusion !== 'cancelled';
    default:
      throw new Error(`the harness cannot evaluate post-if: ${postIf}`);
  }
}

// --- environment ---

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (INHERITED_ENV.includes(name) || name.startsWith('LC_'))) env[name] = value;
  }
  return env;
}

function githubContext(options: RunActionOptions, workspace: string, eventPath: string, mainScript: string) {
  const g: GithubContextOptions = {
    token: FAKE_GITHUB_TOKEN,
    repository: 'octo-org/ml-repo',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    actor: 'octocat',
    runId: '1234567890',
    runNumber: '42',
    runAttempt: '1',
    job: 'test',
    workflow: 'CI',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    ...options.github,
  };
  const eventName = options.event?.name ?? 'workflow_dispatch';
  const refName = g.ref.replace(/^refs\/(heads|tags|pull)\//, '');
  const action = `__${path.basename(options.actionDir ?? path.dirname(mainScript))}`;
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'harness-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: g.repository,
    GITHUB_REPOSITORY_OWNER: g.repository.split('/')[0] ?? '',
    GITHUB_SHA: g.sha,
    GITHUB_REF: g.ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: g.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_RUN_ID: g.runId,
    GITHUB_RUN_NUMBER: g.runNumber,
    GITHUB_RUN_ATTEMPT: g.runAttempt,
    GITHUB_JOB: g.job,
    GITHUB_WORKFLOW: g.workflow,
    GITHUB_ACTOR: g.actor,
    GITHUB_TRIGGERING_ACTOR: g.actor,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SERVER_URL: g.serverUrl,
    GITHUB_API_URL: g.apiUrl,
    GITHUB_GRAPHQL_URL: `${g.apiUrl}/graphql`,
    GITHUB_ACTION: action,
    ...(options.actionDir && { GITHUB_ACTION_PATH: path.resolve(options.actionDir) }),
  };
  const values: Record<string, string> = {
    token: g.token,
    repository: g.repository,
    repository_owner: env.GITHUB_REPOSITORY_OWNER ?? '',
    sha: g.sha,
    ref: g.ref,
    ref_name: refName,
    workspace,
    run_id: g.runId,
    run_number: g.runNumber,
    run_attempt: g.runAttempt,
    job: g.job,
    workflow: g.workflow,
    actor: g.actor,
    event_name: eventName,
    event_path: eventPath,
    server_url: g.serverUrl,
    api_url: g.apiUrl,
    action,
  };
  return { env, values };
}

// --- one step ---

interface StepOptions {
  script: string;
  env: Record<string, string>;
  cwd: string;
  commandDir: string;
  knownSecrets: string[];
  timeoutMs: number;
  cancel?: CancelPlan | undefined;
  abortSignal?: AbortSignal | undefined;
}

const FILE_COMMANDS = [
  ['GITHUB_OUTPUT', 'set_output_'],
  ['GITHUB_STATE', 'save_state_'],
  ['GITHUB_ENV', 'set_env_'],
  ['GITHUB_PATH', 'add_path_'],
  ['GITHUB_STEP_SUMMARY', 'step_summary_'],
] as const;

type FileCommandName = (typeof FILE_COMMANDS)[number][0];

async function runStep(options: StepOptions): Promise<StepResult> {
  if (!existsSync(options.script))
    throw new Error(`${options.script}: no such script (is the bundle built?)`);
  // Fresh, empty command files for every step, as the runner makes them.
  await mkdir(options.commandDir, { recursive: true });
  const suffix = randomUUID();
  const files = {} as Record<FileCommandName, string>;
  for (const [variable, prefix] of FILE_COMMANDS) {
    files[variable] = path.join(options.commandDir, prefix + suffix);
    await writeFile(files[variable], '');
  }
  const env = { ...options.env, ...files };
  const started = Date.now();
  const run = await spawnAndCollect(options, env);

  const fileErrors: string[] = [];
  const read = async <T>(variable: FileCommandName, parse: (text: string) => T, empty: T): Promise<T> => {
    try {
      return parse(await readFile(files[variable], 'utf8'));
    } catch (error) {
      fileErrors.push(
        `Unable to process file command '${variable}' successfully: ${(error as Error).message}`,
      );
      return empty;
    }
  };
  const fileOutputs = await read('GITHUB_OUTPUT', parseKeyValueFile, {});
  const fileState = await read('GITHUB_STATE', parseKeyValueFile, {});
  const exportedEnv = await read('GITHUB_ENV', parseKeyValueFile, {});
  const addedPath = await read('GITHUB_PATH', parsePathFile, []);
  const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8');

  const log = readStepLog(run.lines, options.knownSecrets);
  const annotations = [
    ...log.annotations,
    ...fileErrors.map((message) => ({ level: 'error' as const, message })),
  ];
  let conclusion: StepConclusion = 'failure';
  if (run.signalsSent.length > 0) conclusion = 'cancelled';
  else if (run.exitCode === 0 && fileErrors.length === 0) conclusion = 'success';
  return {
    exitCode: run.exitCode,
    signal: run.signal,
    conclusion,
    signalsSent: run.signalsSent,
    stdout: run.stdout,
    stderr: run.stderr,
    log: log.lines,
    outputs: { ...log.outputs, ...fileOutputs },
    state: { ...log.state, ...fileState },
    exportedEnv,
    path: addedPath,
    summary,
    annotations,
    masks: log.masks,
    env,
    durationMs: Date.now() - started,
  };
}

interface CollectedRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  signalsSent: NodeJS.Signals[];
  stdout: string;
  stderr: string;
  lines: LogLine[];
}

function spawnAndCollect(options: StepOptions, env: Record<string, string>): Promise<CollectedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.script], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const text: Record<LogStream, string> = { stdout: '', stderr: '' };
    const lines: LogLine[] = [];
    const signalsSent: NodeJS.Signals[] = [];
    const timers: NodeJS.Timeout[] = [];
    const waiters = new Set<{ matches: () => boolean; resolve: () => void; reject: (e: Error) => void }>();
    let exited = false;
    let cancelStarted = false;
    let failure: Error | undefined;
    // Timers never outlive the child, and never hold the test process open on their own.
    const later = (fn: () => void, ms: number) => {
      if (!exited) timers.push(setTimeout(fn, ms).unref());
    };

    const checkWaiters = () => {
      for (const waiter of waiters) {
        if (waiter.matches()) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      let partial = '';
      const take = (chunk: string, final: boolean) => {
        text[stream] += chunk;
        const pieces = (partial + chunk).split('\n');
        partial = final ? '' : (pieces.pop() ?? '');
        if (final && pieces[pieces.length - 1] === '') pieces.pop();
        for (const piece of pieces) lines.push({ stream, text: piece.replace(/\r$/, '') });
        checkWaiters();
      };
      child[stream].on('data', (chunk: Buffer) => take(decoder.write(chunk), false));
      child[stream].on('end', () => take(decoder.end(), true));
    }

    const kill = (signal: NodeJS.Signals, reason?: Error) => {
      if (exited) return;
      if (reason && !failure) failure = reason;
      if (child.kill(signal) && !reason) signalsSent.push(signal);
    };
    const tail = () =>
      `\n--- stdout ---\n${text.stdout.slice(-4000)}\n--- stderr ---\n${text.stderr.slice(-4000)}`;

    later(
      () =>
        kill(
          'SIGKILL',
          new Error(`${options.script} did not finish within ${options.timeoutMs} ms${tail()}`),
        ),
      options.timeoutMs,
    );
    const onAbort = () => kill('SIGKILL', new Error(`aborted: ${String(options.abortSignal?.reason)}`));
    if (options.abortSignal?.aborted) onAbort();
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });

    if (options.cancel) {
      const step: RunningStep = {
        stdout: () => text.stdout,
        stderr: () => text.stderr,
        waitForOutput: (pattern) =>
          new Promise<void>((resolveWait, rejectWait) => {
            const matcher =
              typeof pattern === 'string'
                ? undefined
                : new RegExp(pattern.source, pattern.flags.replace('g', ''));
            const matches = () => {
              const all = `${text.stdout}\n${text.stderr}`;
              return matcher ? matcher.test(all) : all.includes(pattern as string);
            };
            if (matches()) return resolveWait();
            if (exited) return rejectWait(new Error(`the step exited before printing ${String(pattern)}`));
            waiters.add({ matches, resolve: resolveWait, reject: rejectWait });
          }),
      };
      scheduleCancel(options.cancel, step, later, (signal) => {
        cancelStarted = true;
        kill(signal);
      }).catch((error: Error) =>
        kill('SIGKILL', new Error(`signal.after failed: ${error.message}${tail()}`)),
      );
    }

    child.on('error', (error) => {
      failure ??= error;
    });
    child.on('exit', () => {
      exited = true;
    });
    child.on('close', (exitCode, signal) => {
      exited = true;
      for (const timer of timers) clearTimeout(timer);
      options.abortSignal?.removeEventListener('abort', onAbort);
      for (const waiter of waiters) waiter.reject(new Error('the step exited before the awaited output'));
      waiters.clear();
      if (failure) return reject(failure);
      if (options.cancel && !cancelStarted) {
        const how = signal ?? `exit code ${exitCode}`;
        return reject(new Error(`${options.script} ended (${how}) before it could be cancelled${tail()}`));
      }
      resolve({ exitCode, signal, signalsSent, stdout: text.stdout, stderr: text.stderr, lines });
    });
  });
}

async function scheduleCancel(
  plan: CancelPlan,
  step: RunningStep,
  later: (fn: () => void, ms: number) => void,
  send: (signal: NodeJS.Signals) => void,
): Promise<void> {
  if (typeof plan.after === 'number') {
    const delay = plan.after;
    await new Promise<void>((done) => later(done, delay));
  } else {
    await plan.after(step);
  }
  const kind = plan.kind ?? 'SIGINT';
  send(kind);
  const sigkill = () => later(() => send('SIGKILL'), plan.sigkillAfterInMs ?? DEFAULT_SIGKILL_AFTER_IN_MS);
  if (kind === 'SIGINT') {
    later(() => {
      send('SIGTERM');
      sigkill();
    }, plan.sigtermAfterInMs ?? DEFAULT_SIGTERM_AFTER_IN_MS);
  } else {
    sigkill();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The step's log as one text (both streams, masks applied), for assertions and failure messages. */
export function stepLog(result: StepResult): string {
  return result.log.map((line) => line.text).join('\n');
}

/** The messages of the step's error annotations, one per line. */
export function errorMessages(result: StepResult): string {
  return result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
}
