// Entry of the step: read the inputs, register. Everything else is in run.ts.
import { runAction, stepDeps, stepInputs } from '@aml-actions/core/github';
import { readRegisterInputs, SECRET_INPUTS } from './inputs';
import { run } from './run';

void runAction(() => run(readRegisterInputs(stepInputs(SECRET_INPUTS)), stepDeps()));
