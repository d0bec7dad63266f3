// Entry of the step: read the inputs, copy. Everything else is in run.ts.
import {
  abortOnSignals,
  actionsInputSource,
  actionsLogger,
  InputReader,
  maskSecret,
  runAction,
  setOutput,
  writeSummary,
} from '@aml-actions/core/github';
import { readCopyInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(async () => {
  const aborted = abortOnSignals((signal) => actionsLogger.info(`Received ${signal}: stopping the copy.`));
  try {
    const inputs = readCopyInputs(new InputReader(actionsInputSource, { secretInputs: SECRET_INPUTS }));
    await run(inputs, {
      logger: actionsLogger,
      env: process.env,
      cwd: process.cwd(),
      abortSignal: aborted.signal,
      mask: maskSecret,
      setOutput,
      writeSummary: async (text) => {
        await writeSummary(text);
      },
    });
  } finally {
    aborted.dispose();
  }
});
