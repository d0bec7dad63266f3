// Job summaries built as plain markdown (pure, so summaries are unit-tested as text), written
// once at the end through `@actions/core`. Strings are plain text and get escaped; pass
// `markdown('…')` where formatting is intended.

import * as core from '@actions/core';

/** Text already in markdown, inserted as written. */
export interface Markdown {
  readonly markdown: string;
}

/** Plain text (escaped) or markdown (as written). */
export type Inline = string | Markdown;

/** A table cell: plain text, a number, or markdown. */
export type Cell = Inline | number;

export function markdown(text: string): Markdown {
  return { markdown: text };
}

/**
 * Escapes plain text so it renders literally in markdown: inline markup characters everywhere,
 * and characters that would start a block (heading, list, quote) at the start of a line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`)
    .replace(/^(\s*)([#+-])(?=\s|$)/gm, '$1\\$2')
    .replace(/^(\s*)([-=])(?=[-=\s]*$)/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, '$1\\$2');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(value: Inline): string {
  return typeof value === 'string' ? escapeMarkdown(value) : value.markdown;
}

/** A cell on one line: pipes escaped, line breaks as `<br>`. */
function cell(value: Cell): string {
  if (typeof value === 'number') return String(value);
  const text =
    typeof value === 'string' ? escapeMarkdown(value) : value.markdown.replace(/(?<!\\)\|/g, '\\|');
  return text.replace(/\r?\n/g, '<br>');
}

export class SummaryBuilder {
  readonly #blocks: string[] = [];

  heading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6 = 2): this {
    const title = escapeMarkdown(text.replace(/\s*\r?\n\s*/g, ' ')).replace(/(^|\s)(#+\s*)$/, '$1\\$2');
    return this.raw(`${'#'.repeat(level)} ${title}`);
  }

  paragraph(text: Inline): this {
    return this.raw(inline(text));
  }

  /** A table; rows shorter than the header are padded with empty cells. */
  table(headers: readonly Cell[], rows: readonly (readonly Cell[])[]): this {
    if (headers.length === 0) throw new Error('A summary table needs at least one column');
    const line = (cells: readonly Cell[]) => `| ${cells.map(cell).join(' | ')} |`;
    const body = rows.map((row) => {
      if (row.length > headers.length) {
        throw new Error(
          `A summary table row has ${row.length} cells; the table has ${headers.length} columns`,
        );
      }
      return line([...row, ...Array<Cell>(headers.length - row.length).fill('')]);
    });
    return this.raw([line(headers), `|${' --- |'.repeat(headers.length)}`, ...body].join('\n'));
  }

  list(items: readonly Inline[], options: { ordered?: boolean } = {}): this {
    if (items.length === 0) return this;
    const lines = items.map((item, index) => {
      const marker = options.ordered ? `${index + 1}.` : '-';
      // Continuation lines are indented so a multi-line item stays one item.
      return `${marker} ${inline(item).replace(/\r?\n/g, `\n${' '.repeat(marker.length + 1)}`)}`;
    });
    return this.raw(lines.join('\n'));
  }

  /** A fenced code block; the fence is longer than any run of backticks in `text`. */
  code(text: string, lang?: string): this {
    const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    const info = (lang ?? '').replace(/[^\w+#.-]/g, '');
    return this.raw(`${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`);
  }

  /** A collapsed section: `summary` is plain text, `content` markdown. */
  details(summary: string, content: string): this {
    return this.raw(`<details><summary>${escapeHtml(summary)}</summary>\n\n${content}\n\n</details>`);
  }

  raw(text: string): this {
    this.#blocks.push(text);
    return this;
  }

  toMarkdown(): string {
    return this.#blocks.length === 0 ? '' : `${this.#blocks.join('\n\n')}\n`;
  }
}

/**
 * Appends `text` to the job summary (the file `GITHUB_STEP_SUMMARY` names). Does nothing and
 * returns false when that variable is unset, as outside the runner.
 */
export async function writeSummary(text: string): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false;
  if (text === '') return true;
  // A blank line keeps this block apart from what earlier steps wrote.
  await core.summary.addRaw(text.endsWith('\n') ? `${text}\n` : `${text}\n\n`).write();
  return true;
}
