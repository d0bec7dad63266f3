// Pure readers of what a JavaScript action leaves for the GitHub runner: the file commands
// (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH) and the `::command::` lines on stdout and
// stderr, parsed with the runner's own rules (actions/runner FileCommandManager.cs, ActionCommand.cs).

/** `INPUT_<NAME>` as the runner names it: upper-cased, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * A `name<<DELIMITER\nvalue\nDELIMITER` / `name=value` file, as the runner reads GITHUB_OUTPUT,
 * GITHUB_STATE and GITHUB_ENV. Later entries win. Throws where the runner fails the step: an
 * empty name or delimiter, a line with neither `=` nor `<<`, a heredoc without its closing line.
 */
export function parseKeyValueFile(text: string): Record<string, string> {
  const entries = new Map<string, string>();
  const lines = splitRunnerLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const equalsIndex = line.indexOf('=');
    const heredocIndex = line.indexOf('<<');
    if (equalsIndex >= 0 && (heredocIndex < 0 || equalsIndex < heredocIndex)) {
      const name = line.slice(0, equalsIndex);
      if (name === '') throw new Error(`Invalid format '${line}': the name must not be empty`);
      entries.set(name, line.slice(equalsIndex + 1));
    } else if (heredocIndex >= 0) {
      const name = line.slice(0, heredocIndex);
      const delimiter = line.slice(heredocIndex + 2);
      if (name === '' || delimiter === '') {
        throw new Error(`Invalid format '${line}': the name and the delimiter must not be empty`);
      }
      const value: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        value.push(lines[i] ?? '');
      }
      if (!closed) throw new Error(`Invalid value of '${name}': matching delimiter not found '${delimiter}'`);
      entries.set(name, value.join('\n'));
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return Object.fromEntries(entries);
}

/** GITHUB_PATH: one directory a line, in the order added; empty lines are skipped. */
export function parsePathFile(text: string): string[] {
  return splitRunnerLines(text).filter((line) => line !== '');
}

/**
 * PATH for later steps: the runner keeps added directories in a list (a re-added one moves to
 * the end) and puts the list, last added first, before the job's PATH.
 */
export function prependPath(added: readonly string[], basePath: string | undefined, separator = ':'): string {
  const list: string[] = [];
  for (const dir of added) {
    const existing = list.indexOf(dir);
    if (existing >= 0) list.splice(existing, 1);
    list.push(dir);
  }
  return [...list.reverse(), ...(basePath ? [basePath] : [])].join(separator);
}

// The lines the runner reads: split on LF only (Linux runner), keeping an empty last piece out.
function splitRunnerLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Commands the runner acts on; any other `::name::` line is plain output. */
export const RUNNER_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

export interface WorkflowCommand {
  command: string;
  /** Keys as written (the runner compares them case-insensitively), values unescaped. */
  properties: Record<string, string>;
  message: string;
}

/**
 * One `::command key=value,key=value::message` line, or undefined when the runner would print it
 * as plain output (no `::` prefix after leading spaces, no closing `::`, an unknown command).
 * `extraCommands` adds names the runner accepts for a while (a stop-commands resume token).
 */
export function parseWorkflowCommand(
  line: string,
  extraCommands: ReadonlySet<string> = new Set(),
): WorkflowCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const endIndex = message.indexOf('::', 2);
  if (endIndex < 0) return undefined;
  const info = message.slice(2, endIndex);
  const spaceIndex = info.indexOf(' ');
  const command = spaceIndex < 0 ? info : info.slice(0, spaceIndex);
  const known = [...RUNNER_COMMANDS, ...extraCommands].some((c) => c.toLowerCase() === command.toLowerCase());
  if (command === '' || !known) return undefined;
  const properties: Record<string, string> = {};
  if (spaceIndex > 0) {
    for (const pair of info
      .slice(spaceIndex + 1)
      .trim()
      .split(',')) {
      const equalsIndex = pair.indexOf('=');
      // The runner drops empty pieces and pairs without both a key and a value.
      if (equalsIndex <= 0 || equalsIndex === pair.length - 1) continue;
      properties[pair.slice(0, equalsIndex)] = unescapeProperty(pair.slice(equalsIndex + 1));
    }
  }
  return { command, properties, message: unescapeData(message.slice(endIndex + 2)) };
}

// The runner replaces each escape in turn, %25 last, so `%250A` reads as `%0A`, not a newline.
export function unescapeData(escaped: string): string {
  return escaped.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}

export function unescapeProperty(escaped: string): string {
  return escaped
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: LogStream;
  text: string;
}

export interface StepLog {
  annotations: Annotation[];
  /** Values registered with `::add-mask::`, in order. */
  masks: string[];
  /** Legacy `::set-output` and `::save-state` commands (the files win over these). */
  outputs: Record<string, string>;
  state: Record<string, string>;
  /**
   * The lines as the runner's log shows them: every registered secret (and `knownSecrets`)
   * replaced by `***` from the line it was registered on; `::add-mask::` lines hidden.
   */
  lines: LogLine[];
}

/**
 * Reads a step's output lines (stdout and stderr in the order they arrived) the way the runner
 * does: commands acted on, `stop-commands` honoured, masking applied to each later line.
 */
export function readStepLog(lines: readonly LogLine[], knownSecrets: readonly string[] = []): StepLog {
  const log: StepLog = { annotations: [], masks: [], outputs: {}, state: {}, lines: [] };
  const secrets = knownSecrets.filter((s) => s !== '');
  let stopToken: string | undefined;
  for (const { stream, text } of lines) {
    const command = parseWorkflowCommand(text, stopToken ? new Set([stopToken]) : undefined);
    if (stopToken !== undefined) {
      if (command !== undefined && command.command.toLowerCase() === stopToken.toLowerCase())
        stopToken = undefined;
      log.lines.push({ stream, text: mask(text, secrets) });
      continue;
    }
    if (command?.command === 'add-mask') {
      if (command.message.trim() !== '') {
        log.masks.push(command.message);
        secrets.push(command.message);
      }
      log.lines.push({ stream, text: '::add-mask::***' });
      continue;
    }
    if (command) applyCommand(log, command, (token) => (stopToken = token));
    log.lines.push({ stream, text: mask(text, secrets) });
  }
  return log;
}

function applyCommand(log: StepLog, command: WorkflowCommand, stop: (token: string) => void): void {
  const name = command.command.toLowerCase();
  switch (name) {
    case 'error':
    case 'warning':
    case 'notice':
      log.annotations.push(toAnnotation(name, command));
      return;
    case 'set-output':
    case 'save-state': {
      const key = property(command, 'name');
      if (key) (name === 'set-output' ? log.outputs : log.state)[key] = command.message;
      return;
    }
    case 'stop-commands':
      if (command.message !== '') stop(command.message);
      return;
    default:
      return;
  }
}

function toAnnotation(level: AnnotationLevel, command: WorkflowCommand): Annotation {
  const annotation: Annotation = { level, message: command.message };
  for (const key of ['title', 'file'] as const) {
    const value = property(command, key);
    if (value !== undefined) annotation[key] = value;
  }
  for (const key of ['line', 'endLine', 'col', 'endColumn'] as const) {
    const value = property(command, key);
    if (value !== undefined && /^\d+$/.test(value)) annotation[key] = Number(value);
  }
  return annotation;
}

function property(command: WorkflowCommand, key: string): string | undefined {
  const found = Object.keys(command.properties).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : command.properties[found];
}

/** Longest secrets first, so a secret that contains another is masked whole. */
export function mask(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') masked = masked.replaceAll(secret, '***');
  }
  return masked;
}
