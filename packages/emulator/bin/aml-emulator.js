#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: the emulator is a dev tool, never bundled.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exit(await main(process.argv.slice(2)));
