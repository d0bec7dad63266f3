// The default job name: deterministic from where the step runs, so a re-run of the same attempt
// (a runner restart, a retried step) finds and re-attaches to its job instead of submitting twice,
// while a new attempt or another step of the workflow gets a job of its own.
import { createHash } from 'node:crypto';

type Env = Readonly<Record<string, string | undefined>>;

export function defaultJobName(env: Env, jobFile: string): string {
  const repository = env.GITHUB_REPOSITORY ?? 'local';
  const runId = env.GITHUB_RUN_ID ?? '0';
  const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
  // The step: workflow file, job id and the step's id (GITHUB_ACTION), plus the YAML it submits.
  const step = [
    repository,
    env.GITHUB_WORKFLOW_REF ?? env.GITHUB_WORKFLOW ?? '',
    env.GITHUB_JOB ?? '',
    env.GITHUB_ACTION ?? '',
    jobFile,
  ];
  const digest = createHash('sha256').update(step.join('\n')).digest('hex').slice(0, 8);
  const repo = (repository.split('/').pop() ?? 'job')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '');
  return `${(repo || 'job').slice(0, 60)}-${runId}-${attempt}-${digest}`;
}
