// The example workflows users copy: every `uses:` is an action of this repository (or checkout),
// every `with:` key is an input of that action (required ones given), and every
// `${{ steps.<id>.outputs.<name> }}` / `${{ needs.<job>.outputs.<name> }}` names an output that exists.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOWS = path.join(REPO, 'examples/workflows');
const OUR_ACTION = /^your-org\/aml-actions\/actions\/([a-z0-9-]+)@v1$/;
const ALLOWED_OTHERS = new Set(['actions/checkout@v4']);

interface Manifest {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  outputs?: Record<string, unknown>;
}
interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps: Step[];
}

const manifest = (action: string): Manifest =>
  parse(readFileSync(path.join(REPO, 'actions', action, 'action.yml'), 'utf8')) as Manifest;

/** `steps.x.outputs.y` and `needs.j.outputs.k` references in a text. */
function references(text: string): { kind: 'steps' | 'needs'; owner: string; output: string }[] {
  return [...text.matchAll(/\$\{\{\s*(steps|needs)\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g)].map((m) => ({
    kind: m[1] as 'steps' | 'needs',
    owner: m[2] as string,
    output: m[3] as string,
  }));
}

const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));

describe.each(files)('examples/workflows/%s', (file) => {
  const workflow = parse(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as { jobs: Record<string, Job> };

  it('uses only this repository’s actions with inputs they declare', () => {
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps) {
        if (!step.uses) continue;
        const ours = OUR_ACTION.exec(step.uses);
        if (!ours) {
          expect(ALLOWED_OTHERS.has(step.uses), `${jobName}: ${step.uses}`).toBe(true);
          continue;
        }
        const action = ours[1] as string;
        const inputs = manifest(action).inputs ?? {};
        for (const key of Object.keys(step.with ?? {}))
          expect(Object.keys(inputs), `${jobName}/${step.id}: ${action} has no input '${key}'`).toContain(
            key,
          );
        for (const [name, spec] of Object.entries(inputs))
          if (spec.required)
            expect(Object.keys(step.with ?? {}), `${jobName}/${step.id}: ${name}`).toContain(name);
      }
    }
  });

  it('chains only outputs that exist, from earlier steps and needed jobs', () => {
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      const needs = [job.needs ?? []].flat();
      const seen = new Map<string, string>();
      const check = (text: string, where: string) => {
        for (const ref of references(text)) {
          if (ref.kind === 'steps') {
            const action = seen.get(ref.owner);
            expect(action, `${where}: no earlier step '${ref.owner}'`).toBeDefined();
            expect(
              Object.keys(manifest(action as string).outputs ?? {}),
              `${where}: ${action} output`,
            ).toContain(ref.output);
          } else {
            expect(needs, `${where}: job does not need '${ref.owner}'`).toContain(ref.owner);
            expect(Object.keys(workflow.jobs[ref.owner]?.outputs ?? {}), `${where}`).toContain(ref.output);
          }
        }
      };
      for (const step of job.steps) {
        check(JSON.stringify(step.with ?? {}), `${jobName}/${step.id ?? step.uses}`);
        const ours = step.uses ? OUR_ACTION.exec(step.uses) : null;
        if (step.id && ours) seen.set(step.id, ours[1] as string);
      }
      check(JSON.stringify(job.outputs ?? {}), `${jobName} outputs`);
    }
  });
});

it('ships the pr-gate, retrain and promote workflows', () => {
  expect(files).toEqual(expect.arrayContaining(['pr-gate.yml', 'retrain.yml', 'promote.yml']));
});
