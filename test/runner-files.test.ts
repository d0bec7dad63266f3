// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub `${{ }}` expressions are test data, written literally.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import { expandExpressions } from './support/runner';
import {
  inputEnvName,
  type LogLine,
  mask,
  parseKeyValueFile,
  parsePathFile,
  parseWorkflowCommand,
  prependPath,
  readStepLog,
} from './support/runner-files';

describe('inputEnvName', () => {
  it.each([
    ['resource-group', 'INPUT_RESOURCE-GROUP'],
    ['my input', 'INPUT_MY_INPUT'],
    ['snake_case', 'INPUT_SNAKE_CASE'],
    ['Mixed-Case name', 'INPUT_MIXED-CASE_NAME'],
  ])('%s -> %s', (name, expected) => {
    expect(inputEnvName(name)).toBe(expected);
  });
});

describe('parseKeyValueFile', () => {
  it.each([
    ['a heredoc', 'name<<EOF\nvalue\nEOF\n', { name: 'value' }],
    ['a multi-line heredoc with blank lines', 'n<<D\na\n\nb\nD\n', { n: 'a\n\nb' }],
    ['an empty heredoc', 'n<<D\nD\n', { n: '' }],
    ['a legacy name=value line', 'a=b\n', { a: 'b' }],
    ['= in a legacy value', 'a=b=c\n', { a: 'b=c' }],
    ['= before <<: a legacy line', 'a=x<<y\n', { a: 'x<<y' }],
    ['<< before =: a heredoc whose delimiter has =', 'a<<D=x\nv\nD=x\n', { a: 'v' }],
    ['empty lines between entries', '\na=1\n\nb<<D\n2\nD\n\n', { a: '1', b: '2' }],
    ['no final newline', 'a<<D\n1\nD', { a: '1' }],
    ['the later of two entries', 'a=1\na=2\n', { a: '2' }],
    ['an empty file', '', {}],
  ])('reads %s', (_, text, expected) => {
    expect(parseKeyValueFile(text)).toEqual(expected);
  });

  it.each([
    ['an empty name', '=value\n', /name must not be empty/],
    ['an empty heredoc name', '<<EOF\nv\nEOF\n', /name and the delimiter must not be empty/],
    ['an empty delimiter', 'name<<\nv\n', /name and the delimiter must not be empty/],
    ['a line with neither = nor <<', 'just text\n', /Invalid format 'just text'/],
    ['an unclosed heredoc', 'name<<EOF\nvalue\n', /matching delimiter not found 'EOF'/],
    ['a delimiter that only starts a line', 'n<<EOF\nv\nEOF2\n', /matching delimiter not found/],
  ])('throws on %s', (_, text, message) => {
    expect(() => parseKeyValueFile(text)).toThrow(message);
  });

  it('reads exactly what @actions/core writes to GITHUB_OUTPUT and GITHUB_STATE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'runner-files-'));
    const saved = { output: process.env.GITHUB_OUTPUT, state: process.env.GITHUB_STATE };
    try {
      process.env.GITHUB_OUTPUT = path.join(dir, 'output');
      process.env.GITHUB_STATE = path.join(dir, 'state');
      writeFileSync(process.env.GITHUB_OUTPUT, '');
      writeFileSync(process.env.GITHUB_STATE, '');
      core.setOutput('multi', 'line 1\nline 2\n');
      core.setOutput('json', { x: 1 });
      core.setOutput('empty', '');
      core.setOutput('tricky', 'a=b<<c');
      core.saveState('id', 'job-42');
      expect(parseKeyValueFile(readFileSync(process.env.GITHUB_OUTPUT, 'utf8'))).toEqual({
        multi: 'line 1\nline 2\n',
        json: '{"x":1}',
        empty: '',
        tricky: 'a=b<<c',
      });
      expect(parseKeyValueFile(readFileSync(process.env.GITHUB_STATE, 'utf8'))).toEqual({ id: 'job-42' });
    } finally {
      for (const [name, value] of [
        ['GITHUB_OUTPUT', saved.output],
        ['GITHUB_STATE', saved.state],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parsePathFile and prependPath', () => {
  it('reads one directory a line, skipping empty lines', () => {
    expect(parsePathFile('/a\n\n/b\n')).toEqual(['/a', '/b']);
    expect(parsePathFile('')).toEqual([]);
  });

  it.each([
    [['/a', '/b'], '/usr/bin', '/b:/a:/usr/bin'],
    [['/a', '/b', '/a'], '/usr/bin', '/a:/b:/usr/bin'],
    [[], '/usr/bin', '/usr/bin'],
    [['/a'], undefined, '/a'],
  ])('%j before %s gives %s', (added, base, expected) => {
    expect(prependPath(added, base)).toBe(expected);
  });
});

describe('parseWorkflowCommand', () => {
  it.each([
    ['::error::boom', { command: 'error', properties: {}, message: 'boom' }],
    [
      '::error file=a.yml,line=3::bad',
      { command: 'error', properties: { file: 'a.yml', line: '3' }, message: 'bad' },
    ],
    [
      '::warning title=a%2Cb%3Ac%0Ad%25::x%0Ay%25z%0D',
      { command: 'warning', properties: { title: 'a,b:c\nd%' }, message: 'x\ny%z\r' },
    ],
    ['   ::debug::indented', { command: 'debug', properties: {}, message: 'indented' }],
    ['::error::a::b', { command: 'error', properties: {}, message: 'a::b' }],
    ['::ERROR::upper', { command: 'ERROR', properties: {}, message: 'upper' }],
    ['::error key=,=v,ok=1::m', { command: 'error', properties: { ok: '1' }, message: 'm' }],
    ['::error key==v::m', { command: 'error', properties: { key: '=v' }, message: 'm' }],
    ['::notice::%250A', { command: 'notice', properties: {}, message: '%0A' }],
    ['::add-mask::', { command: 'add-mask', properties: {}, message: '' }],
    ['::group::Build', { command: 'group', properties: {}, message: 'Build' }],
  ])('parses %s', (line, expected) => {
    expect(parseWorkflowCommand(line)).toEqual(expected);
  });

  it.each([
    ['plain text', 'hello'],
    ['text before the command', 'x ::error::m'],
    ['no closing ::', '::error'],
    ['an unknown command', '::frobnicate::m'],
    ['an empty command', '::::m'],
  ])('leaves %s as plain output', (_, line) => {
    expect(parseWorkflowCommand(line)).toBeUndefined();
  });

  it('accepts an extra command name (a stop-commands token)', () => {
    expect(parseWorkflowCommand('::tok123::', new Set(['tok123']))).toEqual({
      command: 'tok123',
      properties: {},
      message: '',
    });
  });
});

const out = (...texts: string[]): LogLine[] => texts.map((text) => ({ stream: 'stdout', text }));

describe('readStepLog', () => {
  it('collects masks and hides each secret from the line it was registered on', () => {
    const log = readStepLog(out('early s3cret', '::add-mask::s3cret', 'late s3cret', '::add-mask::  '));
    expect(log.masks).toEqual(['s3cret']);
    expect(log.lines.map((l) => l.text)).toEqual([
      'early s3cret',
      '::add-mask::***',
      'late ***',
      '::add-mask::***',
    ]);
  });

  it('masks the known secrets from the first line, on both streams', () => {
    const log = readStepLog(
      [
        { stream: 'stdout', text: 'token ghs_x' },
        { stream: 'stderr', text: 'again ghs_x' },
      ],
      ['ghs_x', ''],
    );
    expect(log.lines).toEqual([
      { stream: 'stdout', text: 'token ***' },
      { stream: 'stderr', text: 'again ***' },
    ]);
  });

  it('parses annotations, keeping only numeric positions', () => {
    const log = readStepLog(
      out(
        '::error file=f.yml,line=4,endLine=5,col=2,endColumn=9,title=T::m',
        '::warning line=x::w',
        '::notice::n',
      ),
    );
    expect(log.annotations).toEqual([
      { level: 'error', message: 'm', file: 'f.yml', line: 4, endLine: 5, col: 2, endColumn: 9, title: 'T' },
      { level: 'warning', message: 'w' },
      { level: 'notice', message: 'n' },
    ]);
  });

  it('reads annotation properties case-insensitively, as the runner does', () => {
    const log = readStepLog(out('::error FILE=f.yml,Line=4::m'));
    expect(log.annotations).toEqual([{ level: 'error', message: 'm', file: 'f.yml', line: 4 }]);
  });

  it('takes legacy set-output and save-state commands', () => {
    const log = readStepLog(out('::set-output name=a::1', '::save-state name=s::2', '::set-output::no-name'));
    expect(log.outputs).toEqual({ a: '1' });
    expect(log.state).toEqual({ s: '2' });
  });

  it('ignores commands between stop-commands and its token', () => {
    const log = readStepLog(
      out(
        '::stop-commands::pause1',
        '::add-mask::hidden',
        '::error::not an annotation',
        '::pause1::',
        '::error::real',
      ),
    );
    expect(log.masks).toEqual([]);
    expect(log.annotations).toEqual([{ level: 'error', message: 'real' }]);
    expect(log.lines.map((l) => l.text)).toContain('::add-mask::hidden');
  });
});

describe('mask', () => {
  it('masks the longer of two overlapping secrets whole', () => {
    expect(mask('abcdef and abc', ['abc', 'abcdef'])).toBe('*** and ***');
  });
});

describe('expandExpressions', () => {
  const contexts = { github: { token: 'ghs_t', workspace: '/w' }, runner: { temp: '/t' } };

  it.each([
    ['${{ github.token }}', 'ghs_t'],
    ['${{github.workspace}}/out', '/w/out'],
    ['${{ runner.temp }}-${{ GITHUB.TOKEN }}', '/t-ghs_t'],
    ['plain', 'plain'],
  ])('%s -> %s', (template, expected) => {
    expect(expandExpressions(template, contexts)).toBe(expected);
  });

  it.each([
    ['an unknown property', '${{ github.nope }}'],
    ['an unknown context', '${{ secrets.X }}'],
    ['a function call', "${{ format('{0}', github.token) }}"],
  ])('throws on %s', (_, template) => {
    expect(() => expandExpressions(template, contexts)).toThrow(/cannot evaluate/);
  });
});
