import { ConfigurationError } from '@aml-actions/core';
import { InputReader, staticInputSource } from '@aml-actions/core/github';
import { describe, expect, it } from 'vitest';
import { readTrainInputs } from '../src/inputs';

const read = (values: Record<string, string>) =>
  readTrainInputs(new InputReader(staticInputSource(values), { secretInputs: new Set(['client-secret']) }));

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('readTrainInputs', () => {
  it('reads a submission with defaults', () => {
    const inputs = read({ job: 'jobs/train.yml' });
    expect(inputs).toMatchObject({
      jobFile: 'jobs/train.yml',
      wait: true,
      streamLogs: true,
      cancelOnAbort: true,
      dryRun: false,
      timeoutInMs: 6 * 3_600_000,
      downloadOutputs: [],
      downloadPath: 'outputs',
      uploadConcurrency: 8,
      tags: {},
    });
    expect(inputs.name).toBeUndefined();
    expect(inputs.attach).toBeUndefined();
  });

  it('reads every option', () => {
    const inputs = read({
      job: 'x.yml',
      name: 'my_job-1',
      'experiment-name': 'exp',
      'display-name': 'Nightly',
      description: 'why',
      tags: 'team=ml\nstage=dev',
      set: 'inputs.lr=0.1',
      wait: 'false',
      timeout: '90m',
      'stream-logs': 'false',
      'cancel-on-abort': 'false',
      'download-outputs': 'model, metrics',
      'download-path': 'out',
      'upload-concurrency': '4',
    });
    expect(inputs).toMatchObject({
      name: 'my_job-1',
      experimentName: 'exp',
      displayName: 'Nightly',
      description: 'why',
      tags: { team: 'ml', stage: 'dev' },
      set: 'inputs.lr=0.1',
      wait: false,
      timeoutInMs: 90 * 60_000,
      streamLogs: false,
      cancelOnAbort: false,
      downloadOutputs: ['model', 'metrics'],
      downloadPath: 'out',
      uploadConcurrency: 4,
    });
  });

  it.each([
    [{}, 'job', "neither 'job' nor 'attach' is set"],
    [{ job: 'a.yml', attach: 'j1' }, 'attach', "'job' and 'attach' are both set"],
    [{ attach: 'j1', 'dry-run': 'true' }, 'dry-run', 'nothing to translate'],
    [{ job: 'a.yml', name: 'bad name!' }, 'name', 'not a valid Azure ML job name'],
    [{ attach: '-x' }, 'attach', 'not a valid Azure ML job name'],
    [{ job: 'a.yml', wait: 'yes' }, 'wait', 'wait'],
    [{ job: 'a.yml', timeout: 'soon' }, 'timeout', 'not a valid duration'],
    [{ job: 'a.yml', tags: 'team: ml' }, 'tags', 'key=value'],
    [{ job: 'a.yml', 'upload-concurrency': '0' }, 'upload-concurrency', 'upload-concurrency'],
    [{ job: 'a.yml', 'auth-method': 'oidc2' }, 'auth-method', 'not an authentication method'],
  ])('rejects %j naming input %s', (values, input, message) => {
    const error = configurationError(() => read(values as Record<string, string>));
    expect(error.input).toBe(input);
    expect(error.message).toContain(message);
  });
});
