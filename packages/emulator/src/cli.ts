// `aml-emulator`: parse flags, start, print the ready line on stdout, stop on SIGTERM/SIGINT.
import { parseCliArgs, USAGE, UsageError } from './config';
import { startEmulator } from './index';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs until a stop signal; resolves with the process exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`aml-emulator: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  const log = (line: string) => io.stderr(`[aml-emulator] ${line}\n`);
  const aborted = new AbortController();
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (aborted.signal.aborted) {
        // A second signal while stopping: give up on a clean stop (Azurite dies with us).
        log(`${signal} again; exiting now`);
        process.exit(1);
      }
      aborted.abort();
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({ ...command.options, log, abortSignal: aborted.signal });
  } catch (error) {
    log(`failed to start: ${(error as Error)?.stack ?? String(error)}`);
    return 1;
  }
  if (aborted.signal.aborted) {
    await emulator.stop();
    return 0;
  }
  io.stdout(`${JSON.stringify(emulator.info)}\n`);
  const signal = await signalled;
  log(`${signal} received; stopping`);
  await emulator.stop();
  log('stopped');
  return 0;
}
