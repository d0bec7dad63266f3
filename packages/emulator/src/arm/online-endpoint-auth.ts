// Data-plane credentials of online endpoints: the two keys (Key mode) and AML tokens (AMLToken
// mode). Tokens are HS256 JWTs shaped like the recorded ones (iss/aud `azureml`, the endpoint
// name, a score action), signed with a secret the emulator keeps in its state, valid for 24 h and
// to be refreshed after 12 h as the recorded expiryTimeUtc/refreshAfterTimeUtc are.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ArmContext } from '../arm-context';
import { workspaceGuid } from './workspace-identity';

export interface EndpointKeys {
  primaryKey: string;
  secondaryKey: string;
}

export interface EndpointAuthToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiryTimeUtc: number;
  refreshAfterTimeUtc: number;
}

const SECRET_COLLECTION = 'arm.onlineEndpoints.secrets';
const TOKEN_LIFETIME_IN_SECONDS = 24 * 60 * 60;
const TOKEN_REFRESH_AFTER_IN_SECONDS = 12 * 60 * 60;
const SCORE_ACTION = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action';

export const newEndpointKey = (): string => randomBytes(24).toString('base64url');

export const newEndpointKeys = (): EndpointKeys => ({
  primaryKey: newEndpointKey(),
  secondaryKey: newEndpointKey(),
});

/** Constant-time string comparison, so key checks do not leak through timing. */
export function secretEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function tokenSecret(ctx: Pick<ArmContext, 'store'>): Buffer {
  const stored = ctx.store.get<{ secret: string }>(SECRET_COLLECTION, 'aml-token');
  if (stored) return Buffer.from(stored.secret, 'base64');
  const secret = randomBytes(32).toString('base64');
  ctx.store.put(SECRET_COLLECTION, 'aml-token', { secret });
  return Buffer.from(secret, 'base64');
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

function sign(secret: Buffer, signingInput: string): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

export function issueAmlToken(
  ctx: Pick<ArmContext, 'store' | 'now' | 'subscriptionId' | 'resourceGroup' | 'workspace' | 'tenantId'>,
  endpoint: string,
  principalId: string,
): EndpointAuthToken {
  const nowInSeconds = Math.floor(ctx.now().getTime() / 1000);
  const exp = nowInSeconds + TOKEN_LIFETIME_IN_SECONDS;
  const claims = {
    canRefresh: 'False',
    workspaceId: workspaceGuid(ctx),
    tid: ctx.tenantId,
    oid: principalId,
    actions: JSON.stringify([SCORE_ACTION]),
    endpointName: endpoint,
    serviceId: endpoint,
    exp,
    iss: 'azureml',
    aud: 'azureml',
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return {
    accessToken: `${signingInput}.${sign(tokenSecret(ctx), signingInput)}`,
    tokenType: 'Bearer',
    expiryTimeUtc: exp,
    refreshAfterTimeUtc: nowInSeconds + TOKEN_REFRESH_AFTER_IN_SECONDS,
  };
}

export type AmlTokenCheck = { ok: true } | { ok: false; reason: string };

/** Whether a bearer token is an unexpired AML token of this emulator for `endpoint`. */
export function verifyAmlToken(
  ctx: Pick<ArmContext, 'store' | 'now'>,
  token: string,
  endpoint: string,
): AmlTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [header = '', payload = '', signature = ''] = parts;
  if (!secretEquals(sign(tokenSecret(ctx), `${header}.${payload}`), signature)) {
    return { ok: false, reason: 'bad signature' };
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'unreadable claims' };
  }
  if (claims.aud !== 'azureml' || claims.iss !== 'azureml') return { ok: false, reason: 'wrong audience' };
  if (typeof claims.endpointName !== 'string' || claims.endpointName.toLowerCase() !== endpoint.toLowerCase())
    return { ok: false, reason: 'issued for another endpoint' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.now().getTime())
    return { ok: false, reason: 'expired' };
  return { ok: true };
}
