// Entry of the step: read the inputs, copy. Everything else is in run.ts.
import { runAction, stepDeps, stepInputs, untilCancelled } from '@aml-actions/core/github';
import { readCopyInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(() =>
  untilCancelled('stopping the copy', (abortSignal) =>
    run(readCopyInputs(stepInputs(SECRET_INPUTS)), { ...stepDeps(), abortSignal }),
  ),
);
