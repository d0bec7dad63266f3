// What every action's main.ts hands its run(): the runner's logger, environment, working
// directory, masking, outputs, state and summary, the inputs reader, and the cancel signal. One
// shape for all actions, so a main.ts is only its own inputs and run().

import { abortOnSignals } from './abort';
import { actionsInputSource, InputReader } from './inputs';
import { actionsLogger, type Logger } from './logger';
import { maskSecret } from './masking';
import { saveState, setOutput } from './runtime';
import { writeSummary } from './summary';

export interface StepDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string | number | boolean) => void;
  /** For the action's post step. */
  saveState: (name: string, value: string) => void;
  writeSummary: (text: string) => Promise<void>;
}

/** The runner's side of a step, as run() functions take it. */
export function stepDeps(): StepDeps {
  return {
    logger: actionsLogger,
    env: process.env,
    cwd: process.cwd(),
    mask: maskSecret,
    setOutput,
    saveState,
    writeSummary: async (text) => {
      await writeSummary(text);
    },
  };
}

/** The step's inputs, `secretInputs` masked as they are read. */
export function stepInputs(secretInputs: ReadonlySet<string>): InputReader {
  return new InputReader(actionsInputSource, { secretInputs });
}

/**
 * Runs `body` with a signal that aborts when the workflow is cancelled (the runner's SIGINT, then
 * SIGTERM), logging `Received SIGINT: <onCancel>.` so the log says what the step does about it.
 */
export async function untilCancelled<T>(
  onCancel: string,
  body: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const aborted = abortOnSignals((signal) => actionsLogger.info(`Received ${signal}: ${onCancel}.`));
  try {
    return await body(aborted.signal);
  } finally {
    aborted.dispose();
  }
}
