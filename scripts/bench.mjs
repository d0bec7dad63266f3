// Runs every bench/*.ts in its own process (under tsx), one after another; each prints one figure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './bundle.mjs';

const benchDir = path.join(repoRoot, 'bench');
let failed = false;
for (const file of readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`${file} failed (exit ${result.status})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
