// Entry of the step: read the inputs, run the smoke test. Everything else is in run.ts.
import { runAction, stepDeps, stepInputs, untilCancelled } from '@aml-actions/core/github';
import { readSmokeInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(() =>
  untilCancelled('stopping', (abortSignal) =>
    run(readSmokeInputs(stepInputs(SECRET_INPUTS), process.cwd()), { ...stepDeps(), abortSignal }),
  ),
);
