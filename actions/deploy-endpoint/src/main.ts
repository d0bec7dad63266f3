// Entry of the step: read the inputs, deploy / promote / reject. Everything else is in run.ts.
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
import { readDeployInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(async () => {
  // A cancelled workflow still gets its traffic put back: run() rolls back on abort.
  const aborted = abortOnSignals((signal) => actionsLogger.info(`Received ${signal}: rolling back.`));
  try {
    const inputs = readDeployInputs(
      new InputReader(actionsInputSource, { secretInputs: SECRET_INPUTS }),
      process.cwd(),
    );
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
