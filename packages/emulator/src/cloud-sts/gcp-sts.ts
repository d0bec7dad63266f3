// A local stand-in for the two Google endpoints of Workload Identity Federation:
// - Security Token Service `POST /v1/token` (RFC 8693 token exchange, form or JSON body): a GitHub
//   ID token from the trusted issuer, with a verified signature, `aud` the provider's default
//   audience (`https://iam.googleapis.com/<provider>`) and not expired, becomes a federated token;
// - IAM Credentials `POST /v1/projects/-/serviceAccounts/<email>:generateAccessToken`: a federated
//   token becomes a service account's access token, when the account lets that principal in.
// `verifyAccessToken` checks the tokens it issued, so the GCS stand-in can require them.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subjectMatches } from '../identity/subject-pattern';
import { IssuerKeys, readBody, type TrustedIssuer } from './oidc-trust';

export interface GcpWorkloadIdentityProvider {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` */
  name: string;
  /** The provider's attribute condition on `sub` (`*` wildcards); default any. */
  subject?: string;
}

export interface GcpServiceAccount {
  email: string;
  /** Federated subjects granted roles/iam.workloadIdentityUser (`*` wildcards); default any. */
  subject?: string;
}

export interface GcpStsStandInOptions {
  oidc: TrustedIssuer;
  providers: GcpWorkloadIdentityProvider[];
  serviceAccounts?: GcpServiceAccount[];
  /** Lifetime of issued federated and service account tokens; default one hour. */
  tokenLifetimeInSeconds?: number;
  host?: string;
  port?: number;
  now?: () => Date;
}

export interface GcpIssuedToken {
  kind: 'federated' | 'service-account';
  /** `principal://iam.googleapis.com/<pool>/subject/<sub>` or the service account's email. */
  principal: string;
  expiresAt: Date;
}

export interface GcpStsStandIn {
  /** e.g. `http://127.0.0.1:43121`: both the STS and the IAM Credentials endpoint. */
  url: string;
  /** The principal of a valid `Authorization: Bearer <token>` it issued, else undefined. */
  verifyAccessToken(authorization: string | undefined): GcpIssuedToken | undefined;
  readonly requests: readonly { endpoint: 'sts' | 'iam'; outcome: string }[];
  stop(): Promise<void>;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPES = ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token'];
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const GENERATE_PATH = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

class Failure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly outcome: string,
  ) {
    super(outcome);
  }
}

const oauthError = (status: number, error: string, description: string) =>
  new Failure(status, { error, error_description: description }, error);
const googleError = (status: number, code: string, message: string) =>
  new Failure(status, { error: { code: status, message, status: code } }, code);

export async function startGcpStsStandIn(options: GcpStsStandInOptions): Promise<GcpStsStandIn> {
  const keys = new IssuerKeys(options.oidc);
  const now = options.now ?? (() => new Date());
  const lifetimeInSeconds = options.tokenLifetimeInSeconds ?? 3600;
  const tokens = new Map<string, GcpIssuedToken & { subject: string }>();
  const requests: { endpoint: 'sts' | 'iam'; outcome: string }[] = [];

  const issue = (kind: GcpIssuedToken['kind'], principal: string, subject: string) => {
    const token = `ya29.${kind === 'federated' ? 'fed' : 'sa'}-${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now().getTime() + lifetimeInSeconds * 1000);
    tokens.set(token, { kind, principal, expiresAt, subject });
    return { token, expiresAt };
  };
  const lookup = (authorization: string | undefined) => {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const issued = token ? tokens.get(token) : undefined;
    return issued && now() < issued.expiresAt ? issued : undefined;
  };

  const exchange = async (params: Record<string, unknown>) => {
    if (params.grant_type !== TOKEN_EXCHANGE) {
      throw oauthError(
        400,
        'unsupported_grant_type',
        `Unsupported grant_type '${String(params.grant_type)}'.`,
      );
    }
    if (!JWT_TYPES.includes(String(params.subject_token_type))) {
      throw oauthError(
        400,
        'invalid_request',
        `Unsupported subject_token_type '${String(params.subject_token_type)}'.`,
      );
    }
    if (params.requested_token_type !== ACCESS_TOKEN_TYPE) {
      throw oauthError(400, 'invalid_request', 'requested_token_type must be an access token.');
    }
    const audience = String(params.audience ?? '');
    const provider = options.providers.find((p) => audience === `//iam.googleapis.com/${p.name}`);
    if (!provider) {
      throw oauthError(
        400,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      );
    }
    const checked = await keys.check(String(params.subject_token ?? ''), [`https:${audience}`], now());
    if (!checked.ok) {
      const description =
        checked.reason === 'audience'
          ? `The audience in ID Token does not match the expected audience https:${audience}. ${checked.message}`
          : checked.message;
      throw oauthError(400, 'invalid_grant', description);
    }
    const subject = String(checked.claims.sub ?? '');
    if (provider.subject !== undefined && !subjectMatches(provider.subject, subject)) {
      throw oauthError(
        400,
        'unauthorized_client',
        'The given credential is rejected by the attribute condition.',
      );
    }
    const pool = provider.name.replace(/\/providers\/[^/]+$/, '');
    const { token, expiresAt } = issue(
      'federated',
      `principal://iam.googleapis.com/${pool}/subject/${subject}`,
      subject,
    );
    return {
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: Math.round((expiresAt.getTime() - now().getTime()) / 1000),
    };
  };

  const generateAccessToken = (email: string, authorization: string | undefined) => {
    const caller = lookup(authorization);
    if (!caller) {
      throw googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    const account = options.serviceAccounts?.find((candidate) => candidate.email === email);
    if (
      caller.kind !== 'federated' ||
      !account ||
      (account.subject !== undefined && !subjectMatches(account.subject, caller.subject))
    ) {
      throw googleError(
        403,
        'PERMISSION_DENIED',
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      );
    }
    const { token, expiresAt } = issue('service-account', email, caller.subject);
    return { accessToken: token, expireTime: expiresAt.toISOString() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const endpoint = path === '/v1/token' ? 'sts' : 'iam';
    try {
      if (req.method !== 'POST')
        throw googleError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported.`);
      let answer: unknown;
      if (path === '/v1/token') {
        answer = await exchange(parseBody(text, req.headers['content-type']));
      } else {
        const match = GENERATE_PATH.exec(path);
        if (!match) throw googleError(404, 'NOT_FOUND', `No route for POST ${path}.`);
        answer = generateAccessToken(decodeURIComponent(match[1] as string), req.headers.authorization);
      }
      requests.push({ endpoint, outcome: 'ok' });
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
    } catch (error) {
      const failure =
        error instanceof Failure
          ? error
          : googleError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
      requests.push({ endpoint, outcome: failure.outcome });
      res
        .writeHead(failure.status, { 'Content-Type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(failure.body));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(error instanceof Error ? error.message : String(error));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    verifyAccessToken: (authorization) => {
      const issued = lookup(authorization);
      return issued && { kind: issued.kind, principal: issued.principal, expiresAt: issued.expiresAt };
    },
    requests,
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** STS takes form-encoded bodies (what google-auth-library sends) and JSON alike. */
function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
    } catch {
      // Falls through to the error below.
    }
    throw oauthError(400, 'invalid_request', 'The request body is not a JSON object.');
  }
  return Object.fromEntries(new URLSearchParams(text));
}
