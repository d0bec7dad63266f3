// Every action's action.yml against its sources: the file parses as YAML (a bare `: ` in a
// description breaks it), its entry points are bundles in dist/, every input the code reads is
// declared, and every declared input is read somewhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const actions = readdirSync(path.join(REPO, 'actions')).filter((name) =>
  existsSync(path.join(REPO, 'actions', name, 'action.yml')),
);
const INPUT_READ =
  /(?:reader|\w+Reader)\.(?:required|optional|boolean|choice|integer|number|duration|list|json|keyValueMap)\(\s*'([a-z0-9-]+)'/g;

function inputsRead(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(INPUT_READ)) names.add(match[1] as string);
  }
  return names;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

const connectionInputs = inputsRead([path.join(REPO, 'packages/core/src/github/connection-inputs.ts')]);

describe.each(actions)('actions/%s/action.yml', (name) => {
  const dir = path.join(REPO, 'actions', name);
  const document = parseDocument(readFileSync(path.join(dir, 'action.yml'), 'utf8'));
  const manifest = document.toJS() as {
    inputs?: Record<string, { description?: string }>;
    outputs?: Record<string, { description?: string }>;
    runs?: { using?: string; main?: string; post?: string };
  };

  it('parses as YAML', () => {
    expect(document.errors.map((error) => error.message)).toEqual([]);
  });

  it('runs its dist bundles on node24', () => {
    expect(manifest.runs?.using).toBe('node24');
    for (const entry of [manifest.runs?.main, manifest.runs?.post]) {
      if (entry === undefined) continue;
      expect(existsSync(path.resolve(dir, entry)), entry).toBe(true);
    }
  });

  it('declares and documents every input the code reads, and reads every input it declares', () => {
    const declared = Object.keys(manifest.inputs ?? {}).sort();
    const usesConnection = sources(path.join(dir, 'src')).some((file) =>
      readFileSync(file, 'utf8').includes('readConnectionInputs('),
    );
    const read = inputsRead(sources(path.join(dir, 'src')));
    if (usesConnection) for (const input of connectionInputs) read.add(input);
    expect([...read].filter((input) => !declared.includes(input)).sort()).toEqual([]);
    expect(declared.filter((input) => !read.has(input))).toEqual([]);
    for (const input of declared) expect(manifest.inputs?.[input]?.description, input).toBeTruthy();
    for (const output of Object.keys(manifest.outputs ?? {}))
      expect(manifest.outputs?.[output]?.description, output).toBeTruthy();
  });
});
