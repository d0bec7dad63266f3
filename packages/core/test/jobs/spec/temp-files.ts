// Throwaway job folders for tests: a YAML file plus the files it names.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → text) into a new temporary folder; returns the path of `main`. */
export function writeYaml(main: string, text: string, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'job-spec-'));
  for (const [path, content] of Object.entries({ ...files, [main]: text })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return join(root, main);
}
