// One logging interface for the whole library: the actions log through `@actions/core`, unit
// tests through a memory logger that records what was said.

import * as core from '@actions/core';

/** Where a warning or error annotation points, and its title. */
export interface Annotation {
  file?: string;
  startLine?: number;
  endLine?: number;
  title?: string;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  /** Runs `fn` inside a collapsible group; the group is closed even when `fn` throws. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Prints `lines` as one collapsible group at once (streamed log lines of one pipeline step). */
  groupLines(title: string, lines: readonly string[]): void;
}

/**
 * The runner's log. The runner cannot nest groups (an inner `::endgroup::` would close the outer
 * one), so a group opened inside another prints its title as a line instead.
 */
export function createActionsLogger(): Logger {
  let depth = 0;
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message, annotation) => core.warning(message, annotation ?? {}),
    error: (message, annotation) => core.error(message, annotation ?? {}),
    async group(title, fn) {
      const outermost = depth === 0;
      if (outermost) core.startGroup(title);
      else core.info(title);
      depth++;
      try {
        return await fn();
      } finally {
        depth--;
        if (outermost) core.endGroup();
      }
    },
    groupLines(title, lines) {
      if (depth > 0) {
        core.info(title);
        for (const line of lines) core.info(line);
        return;
      }
      core.startGroup(title);
      for (const line of lines) core.info(line);
      core.endGroup();
    },
  };
}

/** The logger the actions use. */
export const actionsLogger: Logger = createActionsLogger();

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export type LogEntry =
  | { kind: LogLevel; message: string; annotation?: Annotation; groups: readonly string[] }
  | { kind: 'group-start' | 'group-end'; message: string; groups: readonly string[] };

export interface MemoryLogger extends Logger {
  /** Everything logged, in order; `groups` holds the titles of the groups open at the time. */
  readonly entries: readonly LogEntry[];
  /** Messages of one level (or of all levels), in order. */
  messages(level?: LogLevel): string[];
  /** Titles of groups opened but not (yet) closed. */
  readonly openGroups: readonly string[];
}

/** A logger that records entries, for tests. */
export function memoryLogger(): MemoryLogger {
  const entries: LogEntry[] = [];
  const open: string[] = [];
  const record = (kind: LogLevel, message: string, annotation?: Annotation) => {
    entries.push(
      annotation === undefined
        ? { kind, message, groups: [...open] }
        : { kind, message, annotation, groups: [...open] },
    );
  };
  return {
    entries,
    get openGroups() {
      return [...open];
    },
    messages: (level) =>
      entries
        .filter((entry) => (level === undefined ? isLevel(entry.kind) : entry.kind === level))
        .map((entry) => entry.message),
    debug: (message) => record('debug', message),
    info: (message) => record('info', message),
    warning: (message, annotation) => record('warning', message, annotation),
    error: (message, annotation) => record('error', message, annotation),
    async group(title, fn) {
      entries.push({ kind: 'group-start', message: title, groups: [...open] });
      open.push(title);
      try {
        return await fn();
      } finally {
        open.pop();
        entries.push({ kind: 'group-end', message: title, groups: [...open] });
      }
    },
    groupLines(title, lines) {
      entries.push({ kind: 'group-start', message: title, groups: [...open] });
      for (const line of lines) entries.push({ kind: 'info', message: line, groups: [...open, title] });
      entries.push({ kind: 'group-end', message: title, groups: [...open] });
    },
  };
}

function isLevel(kind: LogEntry['kind']): kind is LogLevel {
  return kind !== 'group-start' && kind !== 'group-end';
}
