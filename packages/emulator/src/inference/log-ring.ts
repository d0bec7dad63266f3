// The last lines a scoring server wrote, stdout and stderr interleaved in arrival order, with
// bounded memory: at most `maxLines` lines of at most `maxLineLength` characters each.

export interface LogRingOptions {
  /** Lines kept (default 2000). */
  maxLines?: number;
  /** Longer lines are cut and marked (default 16384). */
  maxLineLength?: number;
}

export class LogRing {
  readonly #maxLines: number;
  readonly #maxLineLength: number;
  readonly #lines: string[] = [];
  /** Per stream: the text after its last newline, waiting for the rest of the line. */
  readonly #partial = new Map<string, string>();

  constructor(options: LogRingOptions = {}) {
    this.#maxLines = options.maxLines ?? 2000;
    this.#maxLineLength = options.maxLineLength ?? 16_384;
    if (!Number.isInteger(this.#maxLines) || this.#maxLines < 1) {
      throw new RangeError(`maxLines must be a positive integer, not ${this.#maxLines}`);
    }
    if (!Number.isInteger(this.#maxLineLength) || this.#maxLineLength < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, not ${this.#maxLineLength}`);
    }
  }

  /** Adds a chunk of a stream's output; returns the lines it completed. */
  write(chunk: string, stream = 'stdout'): string[] {
    const text = (this.#partial.get(stream) ?? '') + chunk;
    const parts = text.split(/\r?\n/);
    const rest = parts.pop() ?? '';
    // An unterminated line cannot grow without bound either: past the limit it is cut and kept.
    if (rest.length > this.#maxLineLength) {
      parts.push(rest);
      this.#partial.delete(stream);
    } else {
      this.#partial.set(stream, rest);
    }
    const completed = parts.map((line) => this.#push(line));
    return completed;
  }

  /** Ends every stream: an unterminated last line becomes a line. */
  flush(): string[] {
    const completed: string[] = [];
    for (const [stream, rest] of this.#partial) {
      if (rest) completed.push(this.#push(rest));
      this.#partial.delete(stream);
    }
    return completed;
  }

  /** The last `count` lines (all kept lines when omitted), joined with newlines. */
  tail(count?: number): string {
    return this.lines(count).join('\n');
  }

  lines(count?: number): string[] {
    if (count === undefined) return [...this.#lines];
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`tail must be a whole number, not ${count}`);
    return count === 0 ? [] : this.#lines.slice(-count);
  }

  get size(): number {
    return this.#lines.length;
  }

  #push(line: string): string {
    const kept =
      line.length > this.#maxLineLength
        ? `${line.slice(0, this.#maxLineLength)}… [${line.length - this.#maxLineLength} characters cut]`
        : line;
    this.#lines.push(kept);
    if (this.#lines.length > this.#maxLines) this.#lines.splice(0, this.#lines.length - this.#maxLines);
    return kept;
  }
}
