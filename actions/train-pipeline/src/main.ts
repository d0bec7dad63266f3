// Entry of the main step: read the inputs, connect, run. Everything else is in run.ts.
import { runAction, stepDeps, stepInputs, untilCancelled } from '@aml-actions/core/github';
import { readTrainInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(() =>
  untilCancelled('stopping', (abortSignal) =>
    run(readTrainInputs(stepInputs(SECRET_INPUTS)), { ...stepDeps(), abortSignal }),
  ),
);
