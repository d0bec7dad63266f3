import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GithubApiStandIn, startGithubApi } from '../../../../test/support/github-api';
import {
  isForkPullRequest,
  MAX_COMMENT_LENGTH,
  type StickyCommentOptions,
  stickyMarker,
  upsertStickyComment,
} from '../../src/github/sticky-comment';

// @actions/github chooses its proxy dispatcher at import, for api.github.com: with HTTPS_PROXY
// set, even requests to 127.0.0.1 go to the proxy (NO_PROXY does not help, the decision is not
// made per URL). Clear the proxy variables before the module is imported.
vi.hoisted(() => {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[name];
});

const TOKEN = 'ghs_stickyCommentTestToken0123456789';
const OWNER = 'contoso';
const REPO = 'ml-models';
const PR = 42;
const BOT = 'github-actions[bot]';

let api: GithubApiStandIn;

beforeAll(async () => {
  api = await startGithubApi({ token: TOKEN, owner: OWNER, repo: REPO });
});

afterAll(async () => {
  await api.stop();
});

beforeEach(() => {
  api.comments.length = 0;
  api.requests.length = 0;
  api.readOnly = false;
});

function options(overrides: Partial<StickyCommentOptions> = {}): StickyCommentOptions {
  return {
    token: TOKEN,
    owner: OWNER,
    repo: REPO,
    issueNumber: PR,
    key: 'evaluate-gate',
    body: '## Gate\nPassed',
    baseUrl: api.url,
    ...overrides,
  };
}

function seed(count: number, issueNumber = PR, user = 'octocat'): void {
  for (let index = 0; index < count; index += 1) {
    const id = api.comments.length + 1;
    api.comments.push({
      id,
      issueNumber,
      body: `comment ${id}`,
      user,
      createdAt: '2024-01-15T11:00:00Z',
      updatedAt: '2024-01-15T11:00:00Z',
    });
  }
}

function writes() {
  return api.requests.filter((request) => request.method !== 'GET');
}

describe('upsertStickyComment against the GitHub stand-in', () => {
  it('creates the comment, then updates it in place without a duplicate', async () => {
    const first = await upsertStickyComment(options());
    expect(first).toMatchObject({ action: 'created' });
    expect(api.comments).toHaveLength(1);
    const created = api.comments[0];
    expect(created?.body).toBe(`${stickyMarker('evaluate-gate')}\n## Gate\nPassed`);
    expect(created?.user).toBe(BOT);
    if (first.action !== 'created') throw new Error('expected a created comment');
    expect(first.commentId).toBe(created?.id);
    expect(first.url).toBe(`https://github.com/${OWNER}/${REPO}/pull/${PR}#issuecomment-${created?.id}`);

    const second = await upsertStickyComment(options({ body: '## Gate\nFailed' }));
    expect(second).toEqual({ action: 'updated', commentId: first.commentId, url: first.url });
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]?.body).toBe(`${stickyMarker('evaluate-gate')}\n## Gate\nFailed`);
    expect(writes().map((request) => request.method)).toEqual(['POST', 'PATCH']);
    expect(api.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('leaves the comment alone when the body is the same', async () => {
    const first = await upsertStickyComment(options());
    api.requests.length = 0;
    const again = await upsertStickyComment(options());
    expect(again).toMatchObject({ action: 'unchanged' });
    if (first.action === 'skipped' || again.action === 'skipped') throw new Error('not expected to skip');
    expect(again.commentId).toBe(first.commentId);
    expect(writes()).toEqual([]);
    expect(api.comments).toHaveLength(1);
  });

  it('follows the Link header to find the marker on page 3 among 250 other comments', async () => {
    seed(250);
    api.comments.push({
      id: 251,
      issueNumber: PR,
      body: `${stickyMarker('evaluate-gate')}\nold report`,
      user: BOT,
      createdAt: '2024-01-16T09:00:00Z',
      updatedAt: '2024-01-16T09:00:00Z',
    });
    seed(3);

    const result = await upsertStickyComment(options());
    expect(result).toMatchObject({ action: 'updated', commentId: 251 });
    expect(api.comments).toHaveLength(254);
    expect(api.comments.find((comment) => comment.id === 251)?.body).toContain('Passed');
    const listed = api.requests.filter((request) => request.method === 'GET').map((request) => request.path);
    expect(listed).toEqual([
      `/repos/${OWNER}/${REPO}/issues/${PR}/comments?per_page=100`,
      `/repos/${OWNER}/${REPO}/issues/${PR}/comments?per_page=100&page=2`,
      `/repos/${OWNER}/${REPO}/issues/${PR}/comments?per_page=100&page=3`,
    ]);
  });

  it('creates when no comment carries the marker, across several pages', async () => {
    seed(150);
    seed(5, PR + 1, BOT);
    const result = await upsertStickyComment(options());
    expect(result).toMatchObject({ action: 'created' });
    expect(api.comments.filter((comment) => comment.issueNumber === PR)).toHaveLength(151);
  });

  it('keeps one comment per key', async () => {
    await upsertStickyComment(options({ key: 'evaluate-gate:models/fraud', body: 'fraud' }));
    await upsertStickyComment(options({ key: 'evaluate-gate:models/churn', body: 'churn' }));
    await upsertStickyComment(options({ key: 'evaluate-gate:models/fraud', body: 'fraud v2' }));
    expect(api.comments.map((comment) => comment.body)).toEqual([
      `${stickyMarker('evaluate-gate:models/fraud')}\nfraud v2`,
      `${stickyMarker('evaluate-gate:models/churn')}\nchurn`,
    ]);
  });

  it('prefers the oldest marked comment by its own author when several carry the marker', async () => {
    const marked = `${stickyMarker('evaluate-gate')}\nstale`;
    const at = '2024-01-15T11:00:00Z';
    api.comments.push(
      { id: 10, issueNumber: PR, body: `quoting: ${marked}`, user: 'octocat', createdAt: at, updatedAt: at },
      { id: 11, issueNumber: PR, body: marked, user: BOT, createdAt: at, updatedAt: at },
      { id: 12, issueNumber: PR, body: marked, user: BOT, createdAt: at, updatedAt: at },
    );
    const result = await upsertStickyComment(options());
    expect(result).toMatchObject({ action: 'updated', commentId: 11 });
    expect(api.comments.map((comment) => comment.body.endsWith('Passed'))).toEqual([false, true, false]);
  });

  it('updates the only marked comment even when another login wrote it', async () => {
    const at = '2024-01-15T11:00:00Z';
    api.comments.push({
      id: 7,
      issueNumber: PR,
      body: `${stickyMarker('evaluate-gate')}\nstale`,
      user: 'release-bot[bot]',
      createdAt: at,
      updatedAt: at,
    });
    await expect(upsertStickyComment(options())).resolves.toMatchObject({ action: 'updated', commentId: 7 });
    expect(api.comments).toHaveLength(1);
  });

  it('skips with a reason naming the permission when the token is read-only', async () => {
    api.readOnly = true;
    const created = await upsertStickyComment(options());
    expect(created.action).toBe('skipped');
    if (created.action !== 'skipped') throw new Error('expected a skip');
    expect(created.reason).toContain('403');
    expect(created.reason).toContain('Resource not accessible by integration');
    expect(created.reason).toContain('pull-requests: write');
    expect(created.reason).toContain('issues: write');
    expect(created.reason).toMatch(/fork/i);
    expect(api.comments).toEqual([]);

    api.readOnly = false;
    await upsertStickyComment(options());
    api.readOnly = true;
    const updated = await upsertStickyComment(options({ body: 'changed' }));
    expect(updated).toMatchObject({ action: 'skipped' });
    expect(api.comments[0]?.body).toContain('Passed');
  });

  it('skips when the repository is not visible to the token (404)', async () => {
    const result = await upsertStickyComment(options({ repo: 'someone-elses-repo' }));
    expect(result).toMatchObject({ action: 'skipped' });
    if (result.action === 'skipped') expect(result.reason).toContain('404');
  });

  it('throws on a bad token without putting the token in the message', async () => {
    const badToken = 'ghp_notTheRightToken987654321';
    const failure = await upsertStickyComment(options({ token: badToken })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toContain('401');
    expect(message).toContain('Bad credentials');
    expect(message).not.toContain(badToken);
    expect(message).not.toContain(TOKEN);
    expect(api.comments).toEqual([]);
  });

  it('refuses an empty token or a bad pull request number before any request', async () => {
    await expect(upsertStickyComment(options({ token: '' }))).rejects.toThrow(/No GitHub token/);
    await expect(upsertStickyComment(options({ issueNumber: 0 }))).rejects.toThrow(/not a positive integer/);
    await expect(upsertStickyComment(options({ issueNumber: 1.5 }))).rejects.toThrow(
      /not a positive integer/,
    );
    expect(api.requests).toEqual([]);
  });

  it('truncates a body over 65536 characters with a visible note, which GitHub then accepts', async () => {
    const body = `# Report\n${'x'.repeat(70_000)}`;
    const result = await upsertStickyComment(options({ body }));
    expect(result).toMatchObject({ action: 'created' });
    const stored = api.comments[0]?.body ?? '';
    expect(stored.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(stored.startsWith(`${stickyMarker('evaluate-gate')}\n# Report\nxxx`)).toBe(true);
    expect(stored).toMatch(/truncated/);
    expect(stored).toContain(String(MAX_COMMENT_LENGTH));
    // Same long body again: same truncation, so nothing to write.
    await expect(upsertStickyComment(options({ body }))).resolves.toMatchObject({ action: 'unchanged' });
  });

  it('does not split a surrogate pair at the cut', async () => {
    const body = '😀'.repeat(40_000);
    await upsertStickyComment(options({ body }));
    const stored = api.comments[0]?.body ?? '';
    expect(stored.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(stored).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('keeps a body of exactly the limit as it is', async () => {
    const marker = `${stickyMarker('evaluate-gate')}\n`;
    const body = 'y'.repeat(MAX_COMMENT_LENGTH - marker.length);
    await upsertStickyComment(options({ body }));
    expect(api.comments[0]?.body).toBe(marker + body);
  });
});

describe('the GitHub stand-in', () => {
  it('answers 401 Bad credentials without a token and 404 Not Found on unknown routes', async () => {
    const missing = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/${PR}/comments`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: 'Bad credentials' });
    const unknown = await fetch(`${api.url}/repos/${OWNER}/${REPO}/pulls`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: 'Not Found' });
  });

  it('pages like GitHub, with next/last and prev/first links', async () => {
    seed(5);
    const headers = { authorization: `token ${TOKEN}` };
    const page2 = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/${PR}/comments?per_page=2&page=2`, {
      headers,
    });
    const base = `${api.url}/repos/${OWNER}/${REPO}/issues/${PR}/comments`;
    expect(page2.headers.get('link')).toBe(
      `<${base}?per_page=2&page=1>; rel="prev", <${base}?per_page=2&page=3>; rel="next", ` +
        `<${base}?per_page=2&page=3>; rel="last", <${base}?per_page=2&page=1>; rel="first"`,
    );
    const comments = (await page2.json()) as { id: number; node_id: string; user: { login: string } }[];
    expect(comments.map((comment) => comment.id)).toEqual([3, 4]);
    expect(comments[0]).toMatchObject({ node_id: expect.any(String), user: { login: 'octocat' } });
    const single = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/${PR}/comments`, { headers });
    expect(single.headers.get('link')).toBeNull();
  });

  it('gets one comment by id, 404 for an unknown one, and 422 for a body over the limit', async () => {
    seed(1);
    const headers = { authorization: `token ${TOKEN}`, 'content-type': 'application/json' };
    const one = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/comments/1`, { headers });
    expect(await one.json()).toMatchObject({ id: 1, body: 'comment 1', created_at: '2024-01-15T11:00:00Z' });
    const none = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/comments/999`, { headers });
    expect(none.status).toBe(404);
    const tooLong = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/${PR}/comments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ body: 'z'.repeat(MAX_COMMENT_LENGTH + 1) }),
    });
    expect(tooLong.status).toBe(422);
    expect(api.comments).toHaveLength(1);
  });
});

describe('stickyMarker', () => {
  it.each([
    ['evaluate-gate', '<!-- aml-actions:sticky:evaluate-gate -->'],
    ['evaluate-gate:models/fraud', '<!-- aml-actions:sticky:evaluate-gate:models/fraud -->'],
    ['a-->b', '<!-- aml-actions:sticky:a%2D-%3Eb -->'],
    ['x --!> y', '<!-- aml-actions:sticky:x%20%2D-%21%3E%20y -->'],
    ['line\nbreak', '<!-- aml-actions:sticky:line%0Abreak -->'],
    ['100%', '<!-- aml-actions:sticky:100%25 -->'],
  ])('marks %j as %s', (key, marker) => {
    expect(stickyMarker(key)).toBe(marker);
  });

  it('never lets a key end the comment or contain "--"', () => {
    for (const key of ['-->', '--', '---', '<!--', 'a--->', '- - >']) {
      const inner = stickyMarker(key).slice('<!-- '.length, -' -->'.length);
      expect(inner).not.toContain('--');
      expect(inner).not.toContain('>');
    }
  });

  it('keeps distinct keys distinct', () => {
    expect(stickyMarker('a>b')).not.toBe(stickyMarker('a<b'));
    expect(stickyMarker('a%3Eb')).not.toBe(stickyMarker('a>b'));
  });

  it.each(['', '   '])('refuses the empty key %j', (key) => {
    expect(() => stickyMarker(key)).toThrow(/key is empty/);
  });
});

describe('isForkPullRequest', () => {
  const repo = (id: number, fullName: string) => ({ id, full_name: fullName });
  it.each<[string, unknown, boolean]>([
    [
      'a fork',
      {
        pull_request: {
          head: { repo: repo(2, 'someone/ml-models') },
          base: { repo: repo(1, 'contoso/ml-models') },
        },
      },
      true,
    ],
    [
      'a branch of the same repository',
      {
        pull_request: {
          head: { repo: repo(1, 'contoso/ml-models') },
          base: { repo: repo(1, 'contoso/ml-models') },
        },
      },
      false,
    ],
    [
      'names only, differing in case',
      {
        pull_request: {
          head: { repo: { full_name: 'Contoso/ML-Models' } },
          base: { repo: { full_name: 'contoso/ml-models' } },
        },
      },
      false,
    ],
    [
      'names only, a fork',
      {
        pull_request: {
          head: { repo: { full_name: 'someone/ml-models' } },
          base: { repo: { full_name: 'contoso/ml-models' } },
        },
      },
      true,
    ],
    [
      'a deleted fork (head.repo null)',
      { pull_request: { head: { repo: null }, base: { repo: repo(1, 'contoso/ml-models') } } },
      true,
    ],
    ['a push event', { ref: 'refs/heads/main', commits: [] }, false],
    ['null', null, false],
    ['a string', 'pull_request', false],
    ['pull_request without head', { pull_request: { base: { repo: repo(1, 'contoso/ml-models') } } }, false],
    [
      'head.repo of the wrong type',
      { pull_request: { head: { repo: 'x' }, base: { repo: repo(1, 'c/m') } } },
      false,
    ],
    ['pull_request null', { pull_request: null }, false],
  ])('%s → %s', (_name, payload, expected) => {
    expect(isForkPullRequest(payload)).toBe(expected);
  });
});
