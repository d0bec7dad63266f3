// Entry of the main step: read the inputs, connect, run. Everything else is in run.ts.
import {
  abortOnSignals,
  actionsInputSource,
  actionsLogger,
  InputReader,
  maskSecret,
  runAction,
  saveState,
  setOutput,
  writeSummary,
} from '@aml-actions/core/github';
import { readTrainInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(async () => {
  const aborted = abortOnSignals((signal) => actionsLogger.info(`Received ${signal}: stopping.`));
  try {
    const inputs = readTrainInputs(new InputReader(actionsInputSource, { secretInputs: SECRET_INPUTS }));
    await run(inputs, {
      logger: actionsLogger,
      env: process.env,
      cwd: process.cwd(),
      abortSignal: aborted.signal,
      mask: maskSecret,
      setOutput,
      saveState,
      writeSummary: async (text) => {
        await writeSummary(text);
      },
    });
  } finally {
    aborted.dispose();
  }
});
