// Each action README's inputs/outputs tables must match its action.yml (`npm run docs` fixes them).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain .mjs script without type declarations.
import { actionDirs, inputsTable, renderReadme } from '../scripts/readme-tables.mjs';

describe.each((actionDirs() as string[]).map((dir) => [path.basename(dir), dir]))(
  '%s README',
  (_name, dir) => {
    it('has inputs and outputs tables that match action.yml (run npm run docs)', () => {
      const manifest = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8'));
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(renderReadme(readme, manifest)).toBe(readme);
    });
  },
);

describe('renderReadme', () => {
  const manifest = {
    inputs: {
      model: { description: 'The model | name\nover lines', required: true },
      wait: { default: 'true' },
    },
    outputs: { id: { description: 'The id.' } },
  };
  const template =
    '# x\n<!-- action-docs:inputs -->\nold\n<!-- action-docs:end -->\n<!-- action-docs:outputs -->\n<!-- action-docs:end -->\n';

  it('writes escaped one-line rows with required and default columns', () => {
    expect(inputsTable(manifest)).toContain('| `model` | yes |  | The model \\| name over lines |');
    expect(inputsTable(manifest)).toContain('| `wait` | no | `true` |  |');
    const out = renderReadme(template, manifest);
    expect(out).not.toContain('old');
    expect(out).toContain('| `id` | The id. |');
  });

  it('detects a stale table: a new input changes the rendering', () => {
    const fresh = renderReadme(template, manifest);
    const changed = { ...manifest, inputs: { ...manifest.inputs, extra: { description: 'New.' } } };
    expect(renderReadme(fresh, changed)).not.toBe(fresh);
  });

  it('refuses a README without the markers', () => {
    expect(() => renderReadme('# no markers\n', manifest)).toThrow(/action-docs:inputs/);
  });
});
