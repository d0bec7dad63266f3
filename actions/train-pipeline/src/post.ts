// Entry of the post step: if the main step was stopped before its job ended (killed by the
// runner, or it crashed), cancel the job it left running.
import { getState, readConnectionInputs, runAction, stepDeps, stepInputs } from '@aml-actions/core/github';
import { cancelLeftoverJob } from './cleanup';
import { SECRET_INPUTS } from './inputs';

void runAction(async () => {
  const reader = stepInputs(SECRET_INPUTS);
  await cancelLeftoverJob(
    {
      jobName: getState('job-name'),
      finished: getState('job-finished') === 'true',
      cancelOnAbort: reader.boolean('cancel-on-abort', true),
      connection: readConnectionInputs(reader),
    },
    stepDeps(),
  );
});
