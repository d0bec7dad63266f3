// Tags that tie a job to the commit and the workflow run that submitted it.
type Env = Readonly<Record<string, string | undefined>>;

export function lineageTags(env: Env): Record<string, string> {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const tags: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value) tags[key] = value;
  };
  set('github.repository', env.GITHUB_REPOSITORY);
  set('github.sha', env.GITHUB_SHA);
  set('github.ref', env.GITHUB_REF);
  set('github.workflow', env.GITHUB_WORKFLOW);
  set('github.actor', env.GITHUB_ACTOR);
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    tags['github.run_url'] = `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
  }
  return tags;
}

/** Lineage first, the user's tags win on a clash. */
export function mergeTags(
  lineage: Record<string, string>,
  user: Record<string, string>,
): Record<string, string> {
  return { ...lineage, ...user };
}
