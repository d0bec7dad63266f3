// Bundles a fixture action from test/fixtures/<name> with the same ncc settings as dist/ (through
// scripts/bundle.mjs), laid out like the repo so action.yml's `../../dist/<name>/` paths resolve:
//   <root>/package.json            {"type": "module"}, as the repo's root has (the bundles are ESM)
//   <root>/actions/<name>/action.yml
//   <root>/dist/<name>/index.js, post.js
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
const BUNDLE_SCRIPT = fileURLToPath(new URL('../../scripts/bundle.mjs', import.meta.url));

interface BundleModule {
  bundleEntryTo(entry: string, outDir: string, filename: string): Promise<string[]>;
}

export interface BuiltFixtureAction {
  /** Pass as `runAction({ actionDir })`. */
  actionDir: string;
  distDir: string;
  /** Removes the temp folder. */
  cleanup(): Promise<void>;
}

export async function buildFixtureAction(name: string): Promise<BuiltFixtureAction> {
  const source = path.join(FIXTURES_DIR, name);
  if (!existsSync(path.join(source, 'action.yml'))) throw new Error(`${source}: no action.yml`);
  // A plain .mjs without type declarations: imported by URL and typed here.
  const bundler = (await import(pathToFileURL(BUNDLE_SCRIPT).href)) as BundleModule;
  const root = await mkdtemp(path.join(os.tmpdir(), `fixture-${name}-`));
  try {
    const actionDir = path.join(root, 'actions', name);
    const distDir = path.join(root, 'dist', name);
    await mkdir(actionDir, { recursive: true });
    await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
    await copyFile(path.join(source, 'action.yml'), path.join(actionDir, 'action.yml'));
    // Sequential: ncc in parallel here took no less time (~15 s an entry, minified as dist/ is).
    for (const [entry, outName] of [
      ['main', 'index'],
      ['post', 'post'],
    ] as const) {
      const entryFile = path.join(source, 'src', `${entry}.ts`);
      if (existsSync(entryFile)) await bundler.bundleEntryTo(entryFile, distDir, outName);
    }
    return { actionDir, distDir, cleanup: () => rm(root, { recursive: true, force: true }) };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
