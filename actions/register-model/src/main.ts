// Entry of the step: read the inputs, register. Everything else is in run.ts.
import {
  actionsInputSource,
  actionsLogger,
  InputReader,
  maskSecret,
  runAction,
  setOutput,
  writeSummary,
} from '@aml-actions/core/github';
import { readRegisterInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(async () => {
  const inputs = readRegisterInputs(new InputReader(actionsInputSource, { secretInputs: SECRET_INPUTS }));
  await run(inputs, {
    logger: actionsLogger,
    env: process.env,
    cwd: process.cwd(),
    mask: maskSecret,
    setOutput,
    writeSummary: async (text) => {
      await writeSummary(text);
    },
  });
});
