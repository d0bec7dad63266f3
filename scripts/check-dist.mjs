// The dist check: rebuild every bundle from scratch and fail on any difference from the
// committed dist/, and on webpackMissingModule (a module ncc could not resolve, which only
// crashes at run time).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleAll, repoRoot } from './bundle.mjs';

function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

const fresh = await mkdtemp(path.join(os.tmpdir(), 'dist-check-'));
const problems = [];
try {
  await bundleAll(fresh);
  const committedDir = path.join(repoRoot, 'dist');
  const committed = new Set(listFiles(committedDir));
  const rebuilt = new Set(listFiles(fresh));
  for (const file of rebuilt) {
    const content = readFileSync(path.join(fresh, file));
    if (file.endsWith('.js') && content.includes('webpackMissingModule')) {
      problems.push(`${file}: contains webpackMissingModule (an import ncc could not resolve)`);
    }
    if (!committed.has(file)) problems.push(`dist/${file}: missing from the committed dist/`);
    else if (!content.equals(readFileSync(path.join(committedDir, file)))) {
      problems.push(`dist/${file}: differs from a fresh build`);
    }
  }
  for (const file of committed) {
    if (!rebuilt.has(file)) problems.push(`dist/${file}: not produced by a fresh build (stale file)`);
  }
} finally {
  await rm(fresh, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`dist check failed:\n  ${problems.join('\n  ')}\nRun 'npm run build' and commit dist/.`);
  process.exit(1);
}
console.log('dist/ matches a fresh build');
