// One pull request comment per key, created once and edited in place on later runs (a "sticky"
// comment). The comment is found again by a hidden HTML marker on its first line.
//
// Proxies: @actions/github picks its proxy dispatcher once, at import, for GITHUB_API_URL (or
// api.github.com), not per `baseUrl`. On a runner GITHUB_API_URL is set, so `baseUrl` and the
// dispatcher agree; a caller passing a different `baseUrl` gets the dispatcher of the former.

import { getOctokit } from '@actions/github';
import { ConfigurationError } from '../errors';

export interface StickyCommentOptions {
  token: string;
  owner: string;
  repo: string;
  /** The pull request number. */
  issueNumber: number;
  /** Identifies the comment among others; e.g. 'evaluate-gate' or 'evaluate-gate:models/fraud'. */
  key: string;
  /** Markdown body without the marker (the marker is added as a hidden HTML comment on the first line). */
  body: string;
  /** GITHUB_API_URL (default https://api.github.com). */
  baseUrl?: string;
  /**
   * Login the token writes as, preferred when several comments carry the marker. Defaults to
   * `github-actions[bot]`, the author of comments made with the workflow's GITHUB_TOKEN.
   */
  author?: string;
  abortSignal?: AbortSignal;
}

export type StickyCommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; commentId: number; url: string }
  | { action: 'skipped'; reason: string };

/** GitHub refuses comment bodies longer than this (in characters). */
export const MAX_COMMENT_LENGTH = 65536;

const DEFAULT_BASE_URL = 'https://api.github.com';
const DEFAULT_AUTHOR = 'github-actions[bot]';
const PER_PAGE = 100;
const MARKER_PREFIX = '<!-- aml-actions:sticky:';
const MARKER_SUFFIX = ' -->';

// Characters kept as they are in a marker key; everything else is percent-encoded, so distinct
// keys stay distinct and nothing in a key can end the HTML comment.
const KEY_SAFE = /^[A-Za-z0-9._:/@+=~-]$/;

function encodeKey(key: string): string {
  let encoded = '';
  for (const char of key) {
    if (KEY_SAFE.test(char)) {
      encoded += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8'))
        encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  // '--' may not appear inside an HTML comment (and '-->' would end it).
  return encoded.replace(/-(?=-)/g, '%2D');
}

export function stickyMarker(key: string): string {
  if (key.trim() === '') {
    throw new ConfigurationError('The sticky comment key is empty.', {
      fix: "Pass a key that names the comment, e.g. 'evaluate-gate'.",
    });
  }
  return `${MARKER_PREFIX}${encodeKey(key)}${MARKER_SUFFIX}`;
}

/** The full comment text: marker line, then the body, cut to GitHub's limit with a visible note. */
export function stickyCommentBody(key: string, body: string): string {
  const head = `${stickyMarker(key)}\n`;
  const full = head + body;
  if (full.length <= MAX_COMMENT_LENGTH) return full;
  const note = `\n\n---\n> **Note**\n> This comment was truncated: it was ${full.length} characters, over GitHub's limit of ${MAX_COMMENT_LENGTH}. The full report is in the workflow run's job summary and logs.\n`;
  let kept = body.slice(0, MAX_COMMENT_LENGTH - head.length - note.length);
  // Do not leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return head + kept + note;
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

interface ListedComment {
  id: number;
  body?: string | null | undefined;
  html_url: string;
  user?: { login?: string } | null | undefined;
}

/** Among the comments (in GitHub's ascending-id order), the one to update, or undefined. */
async function findMarkedComment(
  pages: AsyncIterable<ListedComment[]>,
  marker: string,
  author: string,
): Promise<ListedComment | undefined> {
  let firstMarked: ListedComment | undefined;
  for await (const page of pages) {
    for (const comment of page) {
      if (!(comment.body ?? '').includes(marker)) continue;
      // Ascending ids: the first marked comment by our author is the oldest one; stop there.
      if (comment.user?.login === author) return comment;
      firstMarked ??= comment;
    }
  }
  return firstMarked;
}

function nextLink(link: string | undefined): string | undefined {
  return link?.match(/<([^<>]+)>;\s*rel="next"/)?.[1];
}

interface RequestFailure {
  status: number;
  message: string;
  requestId: string | undefined;
}

function asRequestFailure(error: unknown): RequestFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response, message } = error as {
    status?: unknown;
    response?: { data?: unknown; headers?: Record<string, unknown> };
    message?: unknown;
  };
  if (typeof status !== 'number') return undefined;
  const data = response?.data as { message?: unknown } | undefined;
  const serviceMessage = typeof data?.message === 'string' ? data.message : String(message ?? '');
  const requestId = response?.headers?.['x-github-request-id'];
  return {
    status,
    message: serviceMessage,
    requestId: typeof requestId === 'string' ? requestId : undefined,
  };
}

function redact(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}

function skippedReason(step: string, failure: RequestFailure, token: string): string {
  return (
    `Could not ${step}: GitHub answered ${failure.status} "${redact(failure.message, token)}". ` +
    'The token cannot write pull request comments: give the job `permissions: pull-requests: write` ' +
    '(or `issues: write`). Pull requests from forks get a read-only GITHUB_TOKEN, so the comment is skipped there.'
  );
}

function requestError(step: string, failure: RequestFailure, token: string, cause: unknown): Error {
  const id = failure.requestId ? ` (request id ${failure.requestId})` : '';
  const hint =
    failure.status === 401
      ? ' The GitHub token is invalid or expired: pass a valid token (e.g. secrets.GITHUB_TOKEN).'
      : '';
  return new Error(
    `Could not ${step}: GitHub answered ${failure.status} "${redact(failure.message, token)}"${id}.${hint}`,
    { cause },
  );
}

/** Runs one GitHub call; permission refusals become `skipped`, other failures a clear Error. */
async function attempt<T>(
  step: string,
  token: string,
  call: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; skipped: string }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const failure = asRequestFailure(error);
    if (!failure) throw error;
    if (failure.status === 403 || failure.status === 404) {
      return { ok: false, skipped: skippedReason(step, failure, token) };
    }
    throw requestError(step, failure, token, error);
  }
}

export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const { token, owner, repo, issueNumber, key, abortSignal } = options;
  if (!token) {
    throw new ConfigurationError('No GitHub token was given for the pull request comment.', {
      fix: 'Pass the workflow token (secrets.GITHUB_TOKEN) and give the job `permissions: pull-requests: write`.',
    });
  }
  if (!Number.isInteger(issueNumber) || issueNumber <= 0) {
    throw new ConfigurationError(`The pull request number ${issueNumber} is not a positive integer.`, {
      fix: 'Run the step on a pull_request event or pass the pull request number.',
    });
  }
  const marker = stickyMarker(key);
  const body = stickyCommentBody(key, options.body);
  const author = options.author ?? DEFAULT_AUTHOR;
  // `request` is passed per call: a `request` in the constructor would replace the library's
  // default one, which carries its proxy-aware fetch.
  const request = abortSignal ? { signal: abortSignal } : {};
  const octokit = getOctokit(token, { baseUrl: options.baseUrl ?? DEFAULT_BASE_URL });
  const where = `${owner}/${repo}#${issueNumber}`;

  // Page 1 through the typed route, then GitHub's `Link: <…>; rel="next"` URLs as given.
  async function* pages(): AsyncGenerator<ListedComment[]> {
    const first = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: issueNumber,
      per_page: PER_PAGE,
      request,
    });
    yield first.data;
    let next = nextLink(first.headers.link);
    while (next) {
      const page = await octokit.request({ method: 'GET', url: next, request });
      yield page.data as ListedComment[];
      next = nextLink(page.headers.link);
    }
  }

  const found = await attempt(`list the comments of ${where}`, token, () =>
    findMarkedComment(pages(), marker, author),
  );
  if (!found.ok) return { action: 'skipped', reason: found.skipped };
  const existing = found.value;

  if (existing) {
    if (normaliseNewlines(existing.body ?? '') === normaliseNewlines(body)) {
      return { action: 'unchanged', commentId: existing.id, url: existing.html_url };
    }
    const updated = await attempt(`update comment ${existing.id} on ${where}`, token, () =>
      octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body, request }),
    );
    if (!updated.ok) return { action: 'skipped', reason: updated.skipped };
    return { action: 'updated', commentId: updated.value.data.id, url: updated.value.data.html_url };
  }

  const created = await attempt(`comment on ${where}`, token, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body, request }),
  );
  if (!created.ok) return { action: 'skipped', reason: created.skipped };
  return { action: 'created', commentId: created.value.data.id, url: created.value.data.html_url };
}

interface RepoFields {
  id?: unknown;
  full_name?: unknown;
}

function asRepo(value: unknown): RepoFields | undefined {
  return typeof value === 'object' && value !== null ? (value as RepoFields) : undefined;
}

/** True when the pull_request event payload comes from a fork (head repo differs from base repo). */
export function isForkPullRequest(payload: unknown): boolean {
  const pullRequest = asRepo(payload) && (payload as { pull_request?: unknown }).pull_request;
  if (typeof pullRequest !== 'object' || pullRequest === null) return false;
  const { head, base } = pullRequest as {
    head?: { repo?: unknown } | null;
    base?: { repo?: unknown } | null;
  };
  const baseRepo = asRepo(base?.repo);
  if (!baseRepo || typeof head !== 'object' || head === null || !('repo' in head)) return false;
  // A deleted fork leaves `head.repo` null: the pull request still came from a fork.
  if (head.repo === null) return true;
  const headRepo = asRepo(head.repo);
  if (!headRepo) return false;
  if (typeof headRepo.id === 'number' && typeof baseRepo.id === 'number') return headRepo.id !== baseRepo.id;
  if (typeof headRepo.full_name === 'string' && typeof baseRepo.full_name === 'string') {
    return headRepo.full_name.toLowerCase() !== baseRepo.full_name.toLowerCase();
  }
  return false;
}
