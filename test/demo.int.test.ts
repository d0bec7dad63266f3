// `npm start` as a new user runs it: the retrain workflow twice on a fresh emulator, every step's
// bundle as the runner starts it. The second run must gate against the first run's model, roll
// the new one out as a 10% canary beside it and promote it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'demo-state-'));

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

it('runs the retrain workflow end to end, twice, with readable summaries', async () => {
  const { code, output } = await runDemo(['--state-dir', stateDir]);
  expect(code, output).toBe(0);
  const steps = output.match(/^✓ \S+ \([a-z-]+\) success/gm) ?? [];
  expect(steps).toHaveLength(14);
  // Run 1: nothing in production, the model goes straight to all traffic.
  expect(output).toMatch(/Champion: none — online endpoint 'machine-failures' does not exist yet/);
  expect(output).toMatch(/Model machine-failure-model:1 — registered/);
  expect(output).toMatch(/Deploy machine-failures \/ blue: ✅ live at 100%/);
  // Run 2: gated against blue's model, 10% canary, promoted after the approval.
  expect(output).toMatch(
    /Champion: deployment blue \(100% of machine-failures\) → model machine-failure-model:1/,
  );
  expect(output).toMatch(/Model machine-failure-model:2 — registered/);
  expect(output).toMatch(/Traffic → blue 90%, green 10%/);
  expect(output).toMatch(/Deploy machine-failures \/ green: ✅ promoted/);
  expect(output).toMatch(/\| green \| 40 \| 0 \(0\.0%\)/);
  expect(output).not.toMatch(/<details>|```mermaid/);
  expect(output).toContain(`Emulator state: ${stateDir}`);
}, 300_000);
