// ARM's bearer-token check: what Azure Resource Manager answers before any resource provider
// sees the request. Codes, messages and the WWW-Authenticate challenge follow ARM's.
import type { KeyObject } from 'node:crypto';
import { armError } from '../http/arm-errors';
import type { EmulatorResponse } from '../http/types';
import { checkTimeClaims, decodeJwt, hasValidSignature, type JwtClaims, MalformedJwtError } from './jwt';

export interface ArmTokenTrust {
  /** Public key of the Entra-like authority that signs access tokens. */
  publicKey: KeyObject;
  tenantId: string;
  /** `iss` accepted in access tokens: https://sts.windows.net/<tenant>/ */
  issuer: string;
  /** The emulator's own base URL (also an accepted audience). */
  baseUrl: string;
  /** Where clients should get a token, for the challenge header (authorityHost/<tenant>). */
  authorizationUri: string;
}

export type ArmAuthResult = { ok: true; claims: JwtClaims } | { ok: false; response: EmulatorResponse };

export function acceptedArmAudiences(baseUrl: string): string[] {
  const bare = baseUrl.replace(/\/+$/, '');
  return [
    'https://management.core.windows.net/',
    'https://management.core.windows.net',
    'https://management.azure.com/',
    'https://management.azure.com',
    `${bare}/`,
    bare,
  ];
}

/** .NET's invariant `M/d/yyyy h:mm:ss tt`, the way ARM prints UTC times in its messages. */
export function formatArmUtc(date: Date): string {
  const hours = date.getUTCHours();
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${twelve}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

function rejection(trust: ArmTokenTrust, code: string, message: string, description: string): ArmAuthResult {
  const challenge = `Bearer authorization_uri="${trust.authorizationUri}", error="invalid_token", error_description="${description}"`;
  return {
    ok: false,
    response: armError(401, code, message, { headers: { 'WWW-Authenticate': challenge } }),
  };
}

/** Checks an `Authorization` header value the way ARM does. */
export function verifyArmToken(header: string | undefined, now: Date, trust: ArmTokenTrust): ArmAuthResult {
  if (!header) {
    return rejection(
      trust,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      "The authentication failed because of missing 'Authorization' header.",
    );
  }
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) {
    return rejection(
      trust,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      "The authentication failed because of an invalid 'Authorization' header format.",
    );
  }
  const invalid = () =>
    rejection(
      trust,
      'InvalidAuthenticationToken',
      'The access token is invalid.',
      'The access token is invalid.',
    );
  let decoded: ReturnType<typeof decodeJwt>;
  try {
    decoded = decodeJwt(token);
  } catch (error) {
    if (error instanceof MalformedJwtError) return invalid();
    throw error;
  }
  if (!hasValidSignature(decoded, trust.publicKey)) return invalid();
  const { claims } = decoded;

  const time = checkTimeClaims(claims, now);
  if (!time.valid) {
    if (time.reason !== 'expired' || time.exp === undefined) return invalid();
    return rejection(
      trust,
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${formatArmUtc(new Date(time.exp * 1000))}' is earlier than current UTC time '${formatArmUtc(now)}'.`,
      'The access token has expired.',
    );
  }
  const audiences = acceptedArmAudiences(trust.baseUrl);
  if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) {
    return rejection(
      trust,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${String(claims.aud)}'. It should exactly match with one of the allowed audiences ${audiences.map((aud) => `'${aud}'`).join(',')}.`,
      'The access token audience is invalid.',
    );
  }
  if (claims.iss !== trust.issuer) {
    return rejection(
      trust,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${String(claims.iss)}'. It must match the tenant '${trust.issuer}' associated with this subscription. Please use the authority (URL) '${trust.authorizationUri}' to get the token.`,
      'The access token is from the wrong issuer.',
    );
  }
  return { ok: true, claims };
}
