import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown, markdown, SummaryBuilder, writeSummary } from '../../src/github/summary';

describe('escapeMarkdown', () => {
  it.each([
    ['plain text', 'plain text'],
    ['a*b*c', 'a\\*b\\*c'],
    ['snake_case_name', 'snake\\_case\\_name'],
    ['[link](x)', '\\[link\\](x)'],
    ['<script>', '\\<script\\>'],
    ['a | b', 'a \\| b'],
    ['`code`', '\\`code\\`'],
    ['~~gone~~', '\\~\\~gone\\~\\~'],
    ['back\\slash', 'back\\\\slash'],
    ['# not a heading', '\\# not a heading'],
    ['- not a list', '\\- not a list'],
    ['+ not a list', '\\+ not a list'],
    ['1. not a list', '1\\. not a list'],
    ['> not a quote', '\\> not a quote'],
    ['---', '\\---'],
    ['version 1.2.3-rc1', 'version 1.2.3-rc1'],
    ['model #3', 'model #3'],
    ['https://example.com/a-b?c=d', 'https://example.com/a-b?c=d'],
  ])('escapes %j as %j', (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
  });
});

describe('SummaryBuilder', () => {
  it('joins blocks with blank lines', () => {
    const text = new SummaryBuilder()
      .heading('Training job', 2)
      .paragraph('Job **submitted**')
      .paragraph(markdown('Job **submitted**'))
      .toMarkdown();
    expect(text).toBe('## Training job\n\nJob \\*\\*submitted\\*\\*\n\nJob **submitted**\n');
  });

  it('is empty without blocks', () => {
    expect(new SummaryBuilder().toMarkdown()).toBe('');
  });

  it.each([
    ['plain', 1, '# plain'],
    ['with *stars* and_underscores', 3, '### with \\*stars\\* and\\_underscores'],
    ['two\nlines', 2, '## two lines'],
    ['# hash first', 2, '## \\# hash first'],
    ['closing ##', 2, '## closing \\##'],
  ])('heading %j at level %d', (text, level, expected) => {
    expect(new SummaryBuilder().heading(text, level as 1 | 2 | 3).toMarkdown()).toBe(`${expected}\n`);
  });

  it('escapes pipes and line breaks in table cells, plain and markdown alike', () => {
    const text = new SummaryBuilder()
      .table(
        ['Metric', 'Value'],
        [
          ['a|b', 0.93],
          ['line1\nline2', markdown('`x|y`')],
          [markdown('[run](https://ml.azure.com/runs/1)'), 'ok'],
          ['padded'],
        ],
      )
      .toMarkdown();
    expect(text).toBe(
      [
        '| Metric | Value |',
        '| --- | --- |',
        '| a\\|b | 0.93 |',
        '| line1<br>line2 | `x\\|y` |',
        '| [run](https://ml.azure.com/runs/1) | ok |',
        '| padded |  |',
        '',
      ].join('\n'),
    );
  });

  it('rejects a row with more cells than columns', () => {
    expect(() => new SummaryBuilder().table(['one'], [['a', 'b']])).toThrow('2 cells');
    expect(() => new SummaryBuilder().table([], [])).toThrow('at least one column');
  });

  it('renders lists, keeping multi-line items together', () => {
    expect(new SummaryBuilder().list(['a_b', markdown('**c**'), 'two\nlines']).toMarkdown()).toBe(
      '- a\\_b\n- **c**\n- two\n  lines\n',
    );
    expect(new SummaryBuilder().list(['x', 'y'], { ordered: true }).toMarkdown()).toBe('1. x\n2. y\n');
    expect(new SummaryBuilder().list([]).toMarkdown()).toBe('');
  });

  it('fences code with a fence longer than any backtick run inside', () => {
    expect(new SummaryBuilder().code('print(1)\n', 'python').toMarkdown()).toBe('```python\nprint(1)\n```\n');
    expect(new SummaryBuilder().code('a ``` b').toMarkdown()).toBe('````\na ``` b\n````\n');
    expect(new SummaryBuilder().code('x', 'py thon`').toMarkdown()).toBe('```python\nx\n```\n');
  });

  it('renders details with an HTML-escaped summary', () => {
    expect(new SummaryBuilder().details('Logs <stdout> & more', '- line').toMarkdown()).toBe(
      '<details><summary>Logs &lt;stdout&gt; &amp; more</summary>\n\n- line\n\n</details>\n',
    );
  });

  it('inserts raw markdown as is', () => {
    expect(new SummaryBuilder().raw('**raw** | text').toMarkdown()).toBe('**raw** | text\n');
  });
});

describe('writeSummary', () => {
  let folder: string;
  let file: string;
  const saved = process.env.GITHUB_STEP_SUMMARY;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'summary-test-'));
    // @actions/core remembers the summary file after its first write, so one file serves all tests.
    file = join(folder, 'step-summary.md');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('does nothing when GITHUB_STEP_SUMMARY is unset', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(writeSummary('# hello\n')).resolves.toBe(false);
  });

  it('appends to the file GITHUB_STEP_SUMMARY names, each block apart', async () => {
    writeFileSync(file, 'earlier step\n\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    await expect(writeSummary(new SummaryBuilder().heading('Deploy', 2).toMarkdown())).resolves.toBe(true);
    await writeSummary('no trailing newline');
    expect(readFileSync(file, 'utf8')).toBe('earlier step\n\n## Deploy\n\nno trailing newline\n\n');
  });
});
