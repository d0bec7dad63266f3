import path from 'node:path';
import { bundleAll, repoRoot } from './bundle.mjs';

const built = await bundleAll(path.join(repoRoot, 'dist'));
for (const { name, files } of built) console.log(`dist/${name}: ${files.join(', ')}`);
if (built.length === 0) console.log('no actions with src/main.ts found under actions/');
