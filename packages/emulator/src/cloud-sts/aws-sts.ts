// A local stand-in for AWS STS AssumeRoleWithWebIdentity (the Query API: form-encoded POST,
// XML answers), for tests of GitHub OIDC role assumption. Like a role whose trust policy names
// the GitHub OIDC provider, it accepts only ID tokens from the trusted issuer whose signature
// verifies, whose `aud` is `sts.amazonaws.com` and which have not expired, and (optionally) whose
// `sub` matches the role's subject pattern. The credentials it hands out are the ones it is given
// (e.g. s3rver's fixed key), with a fresh session token per call.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subjectMatches } from '../identity/subject-pattern';
import { IssuerKeys, readBody, type TrustedIssuer } from './oidc-trust';

export const AWS_STS_AUDIENCE = 'sts.amazonaws.com';

export interface AwsStsRole {
  /** `arn:aws:iam::<account>:role/<name>` */
  arn: string;
  /** The trust policy's `token.actions.githubusercontent.com:sub` condition (`*` wildcards); default any. */
  subject?: string;
}

export interface AwsStsStandInOptions {
  /** The OIDC issuer whose ID tokens are trusted (its keys are fetched from its discovery document). */
  oidc: TrustedIssuer;
  /** Roles that can be assumed. */
  roles: AwsStsRole[];
  /** The key pair every session gets (s3rver accepts only its own). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Accepted audiences; default `sts.amazonaws.com`. */
  audiences?: string[];
  host?: string;
  port?: number;
  /** The stand-in's clock (tests move it to expire tokens). */
  now?: () => Date;
}

export interface AwsStsSession {
  roleArn: string;
  sessionName: string;
  subject: string;
  sessionToken: string;
  expiration: Date;
}

export interface AwsStsStandIn {
  /** e.g. `http://127.0.0.1:43121/`: the STS endpoint. */
  url: string;
  /** Sessions issued so far. */
  readonly sessions: readonly AwsStsSession[];
  /** Every request's Action and outcome (`ok` or the error code). */
  readonly requests: readonly { action: string; outcome: string }[];
  stop(): Promise<void>;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

class StsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function startAwsStsStandIn(options: AwsStsStandInOptions): Promise<AwsStsStandIn> {
  const keys = new IssuerKeys(options.oidc);
  const audiences = options.audiences ?? [AWS_STS_AUDIENCE];
  const now = options.now ?? (() => new Date());
  const sessions: AwsStsSession[] = [];
  const requests: { action: string; outcome: string }[] = [];

  const assumeRole = async (form: URLSearchParams): Promise<string> => {
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const token = form.get('WebIdentityToken') ?? '';
    const duration = Number(form.get('DurationSeconds') ?? '3600');
    const match = ROLE_ARN.exec(roleArn);
    if (!match) throw new StsFailure(400, 'ValidationError', `Invalid RoleArn '${roleArn}'.`);
    if (!SESSION_NAME.test(sessionName)) {
      throw new StsFailure(
        400,
        'ValidationError',
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    }
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      throw new StsFailure(400, 'ValidationError', 'DurationSeconds must be between 900 and 43200.');
    }
    if (!token) throw new StsFailure(400, 'ValidationError', 'WebIdentityToken is required.');
    const at = now();
    const checked = await keys.check(token, audiences, at);
    if (!checked.ok) {
      throw new StsFailure(
        400,
        checked.reason === 'expired' ? 'ExpiredTokenException' : 'InvalidIdentityToken',
        checked.message,
      );
    }
    const subject = String(checked.claims.sub ?? '');
    const role = options.roles.find((candidate) => candidate.arn === roleArn);
    if (!role || (role.subject !== undefined && !subjectMatches(role.subject, subject))) {
      throw new StsFailure(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const expiration = new Date(at.getTime() + duration * 1000);
    expiration.setUTCMilliseconds(0);
    const sessionToken = `FwoGZXIvYXdzE${randomBytes(48).toString('base64')}`;
    sessions.push({ roleArn, sessionName, subject, sessionToken, expiration });
    const [, account, roleName] = match as unknown as [string, string, string];
    return [
      `<AssumeRoleWithWebIdentityResponse xmlns="${XMLNS}">`,
      '<AssumeRoleWithWebIdentityResult>',
      `<SubjectFromWebIdentityToken>${escapeXml(subject)}</SubjectFromWebIdentityToken>`,
      `<Audience>${escapeXml(String(checked.claims.aud))}</Audience>`,
      '<AssumedRoleUser>',
      `<Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName)}/${escapeXml(sessionName)}</Arn>`,
      `<AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${escapeXml(sessionName)}</AssumedRoleId>`,
      '</AssumedRoleUser>',
      '<Credentials>',
      `<SessionToken>${escapeXml(sessionToken)}</SessionToken>`,
      `<SecretAccessKey>${escapeXml(options.credentials.secretAccessKey)}</SecretAccessKey>`,
      `<Expiration>${expiration.toISOString().replace('.000Z', 'Z')}</Expiration>`,
      `<AccessKeyId>${escapeXml(options.credentials.accessKeyId)}</AccessKeyId>`,
      '</Credentials>',
      `<Provider>${escapeXml(keys.issuer)}</Provider>`,
      '</AssumeRoleWithWebIdentityResult>',
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`,
      '</AssumeRoleWithWebIdentityResponse>',
    ].join('');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const form = new URLSearchParams(req.method === 'POST' ? body : url.search);
    const action = form.get('Action') ?? '';
    const requestId = randomUUID();
    try {
      if (action !== 'AssumeRoleWithWebIdentity') {
        throw new StsFailure(
          400,
          'InvalidAction',
          `Could not find operation ${action || '(none)'} for version.`,
        );
      }
      if (form.get('Version') !== '2011-06-15') {
        throw new StsFailure(400, 'InvalidAction', `Unsupported Version '${form.get('Version') ?? ''}'.`);
      }
      const xml = await assumeRole(form);
      requests.push({ action, outcome: 'ok' });
      res.writeHead(200, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }).end(xml);
    } catch (error) {
      const failure =
        error instanceof StsFailure
          ? error
          : new StsFailure(500, 'InternalFailure', error instanceof Error ? error.message : String(error));
      requests.push({ action, outcome: failure.code });
      const type = failure.status >= 500 ? 'Receiver' : 'Sender';
      res
        .writeHead(failure.status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId })
        .end(
          `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${failure.code}</Code>` +
            `<Message>${escapeXml(failure.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
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
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    sessions,
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
