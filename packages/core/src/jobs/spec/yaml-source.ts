// A parsed YAML file that remembers where each value was written, so every problem found later
// can name the file, line and column (or the `set` override line that put the value there).
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigurationError } from '../../errors';
import type { JobOverride, SourceLocation } from './types';

export type YamlPath = readonly (string | number)[];

export interface ProblemOptions {
  /** Point at the key rather than its value (unknown or mis-cased keys). */
  atKey?: boolean;
}

export class YamlSource {
  readonly file: string;
  readonly text: string;
  /** The document as plain data, overrides applied. */
  readonly data: unknown;
  readonly #contents: Node | null;
  readonly #lines: LineCounter;
  readonly #overrides: readonly JobOverride[];

  constructor(file: string, text: string, overrides: readonly JobOverride[] = []) {
    this.file = file;
    this.text = text;
    this.#lines = new LineCounter();
    this.#overrides = overrides;
    const document = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    const [error] = document.errors;
    if (error) {
      const { line, col } = this.#lines.linePos(error.pos[0]);
      const message = error.message.replace(/ at line \d+, column \d+.*$/s, '');
      throw new ConfigurationError(`is not valid YAML: ${message}`, {
        file,
        line,
        column: col,
        fix: 'Correct the YAML syntax at that line: indent nested keys consistently with spaces, close every bracket and quote, and write each key once.',
      });
    }
    this.#contents = document.contents;
    const data = document.toJS({ maxAliasCount: 100 }) ?? {};
    this.data = applyOverrides(data, overrides);
  }

  /** The override that wrote the value at `path` (or one of its parents), if any. */
  overrideAt(path: YamlPath): JobOverride | undefined {
    let found: JobOverride | undefined;
    for (const override of this.#overrides) {
      if (override.path.length <= path.length && override.path.every((key, index) => key === path[index])) {
        found = override;
      }
    }
    return found;
  }

  /** Where the value at `path` is written (the nearest written parent when it is absent). */
  locate(path: YamlPath, options: ProblemOptions = {}): SourceLocation {
    let node: unknown = this.#contents;
    let position: number | undefined = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        node = pair.value;
        // A whole mapping or list is best shown by its key; a scalar by the value itself.
        const showKey = options.atKey || isMap(node) || isSeq(node);
        position = (showKey ? undefined : rangeStart(node)) ?? rangeStart(pair.key);
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) break;
        position = rangeStart(node) ?? position;
      } else {
        break;
      }
    }
    const { line, col } = this.#lines.linePos(position ?? 0);
    return { file: this.file, line, column: col };
  }

  /** A ConfigurationError located at `path`: the file position, or the `set` line that wrote it. */
  problem(path: YamlPath, problem: string, fix: string, options: ProblemOptions = {}): ConfigurationError {
    const override = this.overrideAt(path);
    if (override) {
      return new ConfigurationError(`line ${override.line} (\`${override.text}\`): ${problem}`, {
        input: 'set',
        line: override.line,
        fix,
      });
    }
    const { line, column } = this.locate(path, options);
    return new ConfigurationError(problem, { file: this.file, line, column, fix });
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document with each override written in, creating missing parent maps. */
function applyOverrides(data: unknown, overrides: readonly JobOverride[]): unknown {
  if (overrides.length === 0) return data;
  const root: Record<string, unknown> = isRecord(data) ? data : {};
  for (const override of overrides) {
    let target = root;
    override.path.forEach((key, index) => {
      if (index === override.path.length - 1) {
        target[key] = override.value;
        return;
      }
      const next = target[key];
      if (next === undefined || next === null) {
        target[key] = {};
      } else if (!isRecord(next)) {
        const parent = override.path.slice(0, index + 1).join('.');
        throw new ConfigurationError(
          `line ${override.line} (\`${override.text}\`): '${parent}' is ${JSON.stringify(next)}, not a mapping, so it has no key '${override.path[index + 1]}'`,
          {
            input: 'set',
            line: override.line,
            fix: `Override '${parent}' itself (\`${parent}=<value>\`), or check the path against the job YAML.`,
          },
        );
      }
      target = target[key] as Record<string, unknown>;
    });
  }
  return root;
}
