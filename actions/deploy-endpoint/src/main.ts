// Entry of the step: read the inputs, deploy / promote / reject. Everything else is in run.ts.
import { runAction, stepDeps, stepInputs, untilCancelled } from '@aml-actions/core/github';
import { readDeployInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

// A cancelled workflow still gets its traffic put back: run() rolls back on abort.
void runAction(() =>
  untilCancelled('rolling back', (abortSignal) =>
    run(readDeployInputs(stepInputs(SECRET_INPUTS), process.cwd()), { ...stepDeps(), abortSignal }),
  ),
);
