// A GitHub-Actions-like OIDC issuer: what `ACTIONS_ID_TOKEN_REQUEST_URL` points at on a runner.
// Its ID tokens are the client assertions the Entra-like authority accepts.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Route } from '../http/types';
import { type JwtClaims, publicJwk, type SigningKey, signJwt } from './jwt';
import type { IdentitySettings } from './settings';

/** The audience Entra expects in federated credentials (and GitHub's Azure default). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export const OIDC_PATH = '/_oidc';

export interface OidcIssuerOptions {
  /** `<base>/_oidc`: the `iss` of every ID token. */
  issuer: string;
  key: SigningKey;
  requestToken: string;
  settings: IdentitySettings;
  now: () => Date;
  /** Constant for one emulator process, like a workflow run's id. */
  runId?: string;
}

const REPO_SUBJECT = /^repo:([^:]+\/[^:]+)(?::(.*))?$/;

/** The context claims GitHub adds, derived from the subject where it names repository and ref. */
function workflowClaims(subject: string, runId: string): JwtClaims {
  const match = REPO_SUBJECT.exec(subject);
  const repository = match?.[1] ?? 'octo-org/octo-repo';
  const rest = match?.[2] ?? '';
  const ref = rest.startsWith('ref:') ? rest.slice('ref:'.length) : 'refs/heads/main';
  const [owner] = repository.split('/');
  const sha = 'a'.repeat(40);
  const workflowRef = `${repository}/.github/workflows/mlops.yml@${ref}`;
  return {
    ref,
    sha,
    repository,
    repository_owner: owner,
    repository_owner_id: '1000001',
    repository_id: '2000002',
    repository_visibility: 'private',
    run_id: runId,
    run_number: '1',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '3000003',
    workflow: 'mlops',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    event_name: 'push',
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    head_ref: '',
    base_ref: '',
    runner_environment: 'github-hosted',
  };
}

export function issueIdToken(
  options: OidcIssuerOptions,
  request: { audience?: string; subject?: string },
): string {
  const nowMs = options.now().getTime();
  const iat = Math.floor(nowMs / 1000);
  const subject = request.subject ?? options.settings.subject;
  const claims: JwtClaims = {
    jti: randomUUID(),
    sub: subject,
    aud: request.audience ?? TOKEN_EXCHANGE_AUDIENCE,
    ...workflowClaims(subject, options.runId ?? '4000004'),
    iss: options.issuer,
    nbf: iat,
    iat,
    exp: Math.floor((nowMs + options.settings.idTokenLifetimeInMs) / 1000),
  };
  return signJwt(claims, options.key);
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const nonEmpty = (value: string | null): string | undefined => (value ? value : undefined);

export function createOidcIssuerRoutes(options: OidcIssuerOptions): Route[] {
  const runId = options.runId ?? String(Math.floor(Math.random() * 9e9) + 1e9);
  const issuing = { ...options, runId };
  return [
    {
      method: 'GET',
      pattern: `${OIDC_PATH}/token`,
      handler: (request) => {
        if (!bearerMatches(request.headers.authorization, options.requestToken)) {
          return {
            status: 401,
            body: {
              message: 'The ID token request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN) is missing or wrong.',
            },
          };
        }
        const value = issueIdToken(issuing, {
          audience: nonEmpty(request.query.get('audience')),
          subject: nonEmpty(request.query.get('subject')),
        });
        return { status: 200, body: { value } };
      },
    },
    {
      method: 'GET',
      pattern: `${OIDC_PATH}/.well-known/openid-configuration`,
      handler: () => ({
        status: 200,
        body: {
          issuer: options.issuer,
          jwks_uri: `${options.issuer}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'run_id'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
        },
      }),
    },
    {
      method: 'GET',
      pattern: `${OIDC_PATH}/.well-known/jwks`,
      handler: () => ({ status: 200, body: { keys: [publicJwk(options.key.publicKey, options.key.kid)] } }),
    },
  ];
}
