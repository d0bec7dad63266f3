import { lineageTags, mergeTags } from '@aml-actions/core/github';
import { describe, expect, it } from 'vitest';
import { checkJobName } from '../src/inputs';
import { defaultJobName } from '../src/naming';

const env = {
  GITHUB_REPOSITORY: 'contoso/Fraud.Model',
  GITHUB_RUN_ID: '123456',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_WORKFLOW_REF: 'contoso/Fraud.Model/.github/workflows/retrain.yml@refs/heads/main',
  GITHUB_JOB: 'train',
  GITHUB_ACTION: 'submit',
};

describe('defaultJobName', () => {
  it('is stable for the same step and attempt, and a valid job name', () => {
    const name = defaultJobName(env, 'jobs/train.yml');
    expect(name).toBe(defaultJobName({ ...env }, 'jobs/train.yml'));
    expect(name).toMatch(/^fraud-model-123456-2-[0-9a-f]{8}$/);
    expect(checkJobName(name, 'name')).toBe(name);
  });

  it.each([
    ['another attempt', { GITHUB_RUN_ATTEMPT: '3' }, 'jobs/train.yml'],
    ['another step', { GITHUB_ACTION: 'submit2' }, 'jobs/train.yml'],
    ['another job of the workflow', { GITHUB_JOB: 'evaluate' }, 'jobs/train.yml'],
    ['another YAML', {}, 'jobs/sweep.yml'],
  ])('differs for %s', (_label, change, file) => {
    expect(defaultJobName({ ...env, ...change }, file)).not.toBe(defaultJobName(env, 'jobs/train.yml'));
  });

  it('works outside GitHub', () => {
    expect(checkJobName(defaultJobName({}, 'a.yml'), 'name')).toMatch(/^local-0-1-/);
  });
});

describe('lineageTags', () => {
  it('records the repository, commit, ref, workflow, actor and run URL', () => {
    const tags = lineageTags({
      ...env,
      GITHUB_SHA: 'abc123',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_WORKFLOW: 'retrain',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.example.com',
    });
    expect(tags).toEqual({
      'github.repository': 'contoso/Fraud.Model',
      'github.sha': 'abc123',
      'github.ref': 'refs/heads/main',
      'github.workflow': 'retrain',
      'github.actor': 'octocat',
      'github.run_url': 'https://github.example.com/contoso/Fraud.Model/actions/runs/123456/attempts/2',
    });
  });

  it('lets user tags win', () => {
    expect(mergeTags({ a: '1', b: '2' }, { b: 'mine' })).toEqual({ a: '1', b: 'mine' });
  });
});
