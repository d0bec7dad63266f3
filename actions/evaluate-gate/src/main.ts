// Entry of the step: read the inputs, run the gate. Everything else is in run.ts.
import { readFileSync } from 'node:fs';
import { runAction, stepDeps, stepInputs } from '@aml-actions/core/github';
import { readGateInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

function readEvent(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

void runAction(() =>
  run(readGateInputs(stepInputs(SECRET_INPUTS)), {
    ...stepDeps(),
    event: readEvent(process.env.GITHUB_EVENT_PATH),
  }),
);
