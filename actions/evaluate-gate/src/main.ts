// Entry of the step: read the inputs, run the gate. Everything else is in run.ts.
import { readFileSync } from 'node:fs';
import {
  actionsInputSource,
  actionsLogger,
  InputReader,
  maskSecret,
  runAction,
  setOutput,
  writeSummary,
} from '@aml-actions/core/github';
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

void runAction(async () => {
  const inputs = readGateInputs(new InputReader(actionsInputSource, { secretInputs: SECRET_INPUTS }));
  await run(inputs, {
    logger: actionsLogger,
    env: process.env,
    cwd: process.cwd(),
    mask: maskSecret,
    setOutput,
    writeSummary: async (text) => {
      await writeSummary(text);
    },
    event: readEvent(process.env.GITHUB_EVENT_PATH),
  });
});
