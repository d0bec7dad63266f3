// A stand-in of the GitHub REST API's issue-comment routes, plain HTTP on 127.0.0.1, for tests of
// every action that comments on pull requests. Shapes, status codes, error bodies and the `Link`
// pagination header follow GitHub's REST documentation.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInComment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface GithubApiStandIn {
  /** Base URL to pass as baseUrl / GITHUB_API_URL. */
  url: string;
  /** Comments of every issue, in creation order; tests may seed or inspect them directly. */
  comments: StandInComment[];
  requests: { method: string; path: string; authorization?: string }[];
  /** Make writes answer 403 "Resource not accessible by integration" (a fork's token). */
  readOnly: boolean;
  stop(): Promise<void>;
}

export interface GithubApiOptions {
  token: string;
  owner: string;
  repo: string;
  /** Login that comments made with the token are attributed to (default `github-actions[bot]`). */
  user?: string;
}

const DOCS = 'https://docs.github.com/rest';
const MAX_BODY_LENGTH = 65536;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

function githubError(status: number, message: string, documentation = DOCS, extra: object = {}): HttpError {
  return new HttpError(status, {
    message,
    documentation_url: documentation,
    status: String(status),
    ...extra,
  });
}

/** GitHub's timestamps: ISO 8601 in UTC, to the second. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}${id}`).toString('base64');
}

function tokenOf(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^(?:token|bearer)\s+(.+)$/i);
  return match?.[1]?.trim();
}

function positiveInt(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  request.setEncoding('utf8');
  for await (const chunk of request) text += chunk;
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to GitHub's answer for unparsable bodies
  }
  throw githubError(400, 'Problems parsing JSON');
}

export async function startGithubApi(options: GithubApiOptions): Promise<GithubApiStandIn> {
  const login = options.user ?? 'github-actions[bot]';
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  let url = '';

  function user(name: string) {
    const id = [...name].reduce((sum, char) => (sum * 31 + (char.codePointAt(0) ?? 0)) % 1_000_000_007, 7);
    return {
      login: name,
      id,
      node_id: nodeId('User', id),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      url: `${url}/users/${encodeURIComponent(name)}`,
      html_url: `https://github.com/${encodeURIComponent(name)}`,
      type: name.endsWith('[bot]') ? 'Bot' : 'User',
      site_admin: false,
    };
  }

  function render(comment: StandInComment) {
    return {
      id: comment.id,
      node_id: nodeId('IssueComment', comment.id),
      url: `${url}${repoPath}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${options.owner}/${options.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${url}${repoPath}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: user(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: 'NONE',
      performed_via_github_app: null,
    };
  }

  function validBody(payload: Record<string, unknown>, documentation: string): string {
    const body = payload.body;
    if (typeof body !== 'string') {
      throw githubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', documentation);
    }
    if (body.length > MAX_BODY_LENGTH) {
      throw githubError(422, 'Validation Failed', documentation, {
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${MAX_BODY_LENGTH} characters)`,
          },
        ],
      });
    }
    return body;
  }

  function findComment(id: number): StandInComment {
    const comment = standIn.comments.find((candidate) => candidate.id === id);
    if (!comment) throw githubError(404, 'Not Found', `${DOCS}/issues/comments#get-an-issue-comment`);
    return comment;
  }

  function refuseWrites(documentation: string): void {
    if (standIn.readOnly) throw githubError(403, 'Resource not accessible by integration', documentation);
  }

  function listPage(issueNumber: number, query: URLSearchParams, response: ServerResponse): unknown[] {
    const perPage = Math.min(positiveInt(query.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE);
    const page = positiveInt(query.get('page'), 1);
    const all = standIn.comments
      .filter((comment) => comment.issueNumber === issueNumber)
      .sort((a, b) => a.id - b.id);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    // Like GitHub: the header is omitted when everything fits on one page.
    if (lastPage > 1) {
      const link = (target: number, rel: string) =>
        `<${url}${repoPath}/issues/${issueNumber}/comments?per_page=${perPage}&page=${target}>; rel="${rel}"`;
      const links: string[] = [];
      if (page > 1) links.push(link(Math.min(page - 1, lastPage), 'prev'));
      if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
      if (page > 1) links.push(link(1, 'first'));
      response.setHeader('link', links.join(', '));
    }
    return all.slice((page - 1) * perPage, page * perPage).map(render);
  }

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ status: number; body: unknown }> {
    if (tokenOf(request.headers.authorization) !== options.token) throw githubError(401, 'Bad credentials');
    const target = new URL(request.url ?? '/', url);
    const method = request.method ?? 'GET';
    const issueComments = target.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/);
    const oneComment = target.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/);
    const sameRepo = (owner?: string, repo?: string) =>
      owner?.toLowerCase() === options.owner.toLowerCase() &&
      repo?.toLowerCase() === options.repo.toLowerCase();

    if (issueComments && sameRepo(issueComments[1], issueComments[2])) {
      const issueNumber = Number(issueComments[3]);
      if (method === 'GET')
        return { status: 200, body: listPage(issueNumber, target.searchParams, response) };
      if (method === 'POST') {
        const documentation = `${DOCS}/issues/comments#create-an-issue-comment`;
        refuseWrites(documentation);
        const body = validBody(await readJson(request), documentation);
        const now = timestamp();
        const id = standIn.comments.reduce((max, comment) => Math.max(max, comment.id), 1000) + 1;
        const comment: StandInComment = {
          id,
          issueNumber,
          body,
          user: login,
          createdAt: now,
          updatedAt: now,
        };
        standIn.comments.push(comment);
        const rendered = render(comment);
        response.setHeader('location', rendered.url);
        return { status: 201, body: rendered };
      }
    }
    if (oneComment && sameRepo(oneComment[1], oneComment[2])) {
      const id = Number(oneComment[3]);
      if (method === 'GET') return { status: 200, body: render(findComment(id)) };
      if (method === 'PATCH') {
        const documentation = `${DOCS}/issues/comments#update-an-issue-comment`;
        const comment = findComment(id);
        refuseWrites(documentation);
        comment.body = validBody(await readJson(request), documentation);
        comment.updatedAt = timestamp();
        return { status: 200, body: render(comment) };
      }
    }
    throw githubError(404, 'Not Found');
  }

  const server = createServer((request, response) => {
    standIn.requests.push({
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      ...(request.headers.authorization !== undefined && { authorization: request.headers.authorization }),
    });
    response.setHeader('x-github-request-id', randomUUID().toUpperCase());
    response.setHeader('x-github-media-type', 'github.v3; format=json');
    route(request, response)
      .catch((error: unknown) => {
        if (error instanceof HttpError) return { status: error.status, body: error.body };
        return { status: 500, body: { message: 'Server Error', status: '500' } };
      })
      .then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(body));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standIn: GithubApiStandIn = {
    url,
    comments: [],
    requests: [],
    readOnly: false,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; close them so `close` completes.
        server.closeAllConnections();
      }),
  };
  return standIn;
}
