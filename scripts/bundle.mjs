// Bundles every action with ncc: actions/<name>/src/main.ts -> <out>/<name>/index.js,
// and src/post.ts (where present) -> <out>/<name>/post.js. Shared by build and check-dist.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ncc from '@vercel/ncc';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every action folder with a src/main.ts; new folders are picked up without a list. */
export function findActions(root = repoRoot) {
  const actionsDir = path.join(root, 'actions');
  if (!existsSync(actionsDir)) return [];
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(actionsDir, d.name, 'src', 'main.ts')))
    .map((d) => d.name)
    .sort();
}

// Stack traces only need the mappings; the embedded sources would triple dist/ in every commit.
function withoutSourcesContent(map) {
  const parsed = JSON.parse(String(map));
  delete parsed.sourcesContent;
  return JSON.stringify(parsed);
}

async function bundleEntry(entry, filename) {
  const { code, map, assets } = await ncc(entry, {
    esm: true,
    filename: `${filename}.js`,
    sourceMap: true,
    sourceMapRegister: true,
    license: `${filename}-licenses.txt`,
    target: 'es2022',
    minify: true,
    cache: false,
    quiet: true,
  });
  const files = new Map([[`${filename}.js`, code]]);
  if (map) files.set(`${filename}.js.map`, withoutSourcesContent(map));
  for (const [name, asset] of Object.entries(assets)) {
    files.set(name, name.endsWith('.js.map') ? withoutSourcesContent(asset.source) : asset.source);
  }
  return files;
}

/**
 * Bundles one entry exactly as bundleAll does, into outDir as `<filename>.js` (+ map, licenses,
 * assets). For fixtures outside actions/; returns the names of the files written.
 */
export async function bundleEntryTo(entry, outDir, filename) {
  const files = await bundleEntry(entry, filename);
  for (const [file, source] of files) {
    const target = path.join(outDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, source);
  }
  return [...files.keys()].sort();
}

/** Builds one action into outDir/<name> (in this process); returns the names of the files written. */
export async function bundleAction(name, outDir, root = repoRoot) {
  const files = new Map();
  for (const [entryName, outName] of [
    ['main', 'index'],
    ['post', 'post'],
  ]) {
    const entry = path.join(root, 'actions', name, 'src', `${entryName}.ts`);
    if (!existsSync(entry)) continue;
    for (const [file, source] of await bundleEntry(entry, outName)) {
      const previous = files.get(file);
      if (previous !== undefined && Buffer.compare(Buffer.from(previous), Buffer.from(source)) !== 0) {
        throw new Error(`${name}: main and post bundles both write ${file} with different content`);
      }
      files.set(file, source);
    }
  }
  for (const [file, source] of files) {
    const target = path.join(outDir, name, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, source);
  }
  return [...files.keys()].sort();
}

/**
 * Builds all actions into outDir (wiped first, so deleted actions leave nothing behind). Each
 * action is bundled in its own process: ncc keeps every TypeScript program it compiled, and six
 * actions in one process ran out of heap. Two at a time, for the two cores CI has.
 */
export async function bundleAll(outDir, root = repoRoot, parallel = 2) {
  await rm(outDir, { recursive: true, force: true });
  const names = findActions(root);
  const built = new Array(names.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= names.length) return;
      const name = names[index];
      const output = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--one', name, outDir, root], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let text = '';
        child.stdout.on('data', (chunk) => {
          text += chunk;
        });
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve(text) : reject(new Error(`bundling ${name} failed (exit ${code})`)),
        );
      });
      built[index] = { name, files: JSON.parse(output.trim().split('\n').at(-1)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, names.length) }, worker));
  return built;
}

if (process.argv[2] === '--one' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const [, , , name, outDir, root] = process.argv;
  console.log(JSON.stringify(await bundleAction(name, outDir, root)));
}
