// Compact RS256 JWTs with node:crypto only: the emulator signs ID tokens and access tokens and
// verifies client assertions and bearer tokens with these few functions.
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [name: string]: unknown;
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export class MalformedJwtError extends Error {
  override readonly name = 'MalformedJwtError';
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(
  claims: JwtClaims,
  key: { privateKey: KeyObject; kid: string },
  extraHeader: Record<string, unknown> = {},
): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, ...extraHeader };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function parseSegment(segment: string, what: string): Record<string, unknown> {
  if (!BASE64URL.test(segment)) throw new MalformedJwtError(`The JWT ${what} is not base64url.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new MalformedJwtError(`The JWT ${what} is not JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedJwtError(`The JWT ${what} is not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** Splits and parses a compact JWT without checking its signature. Throws MalformedJwtError. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new MalformedJwtError('A JWT has three dot-separated parts.');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseSegment(headerPart, 'header');
  if (typeof header.alg !== 'string') throw new MalformedJwtError('The JWT header has no alg.');
  if (!BASE64URL.test(signaturePart)) throw new MalformedJwtError('The JWT signature is not base64url.');
  return {
    header: header as JwtHeader,
    claims: parseSegment(payloadPart, 'payload'),
    signingInput: `${headerPart}.${payloadPart}`,
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

/** True when the token is RS256 and signed by the key. `alg: none` and HMAC are refused. */
export function hasValidSignature(decoded: DecodedJwt, publicKey: KeyObject): boolean {
  if (decoded.header.alg !== 'RS256' || decoded.signature.length === 0) return false;
  return verify('sha256', Buffer.from(decoded.signingInput), publicKey, decoded.signature);
}

export type TimeValidity =
  | { valid: true }
  | { valid: false; reason: 'expired' | 'not-yet-valid' | 'no-expiry'; exp?: number; nbf?: number };

/** Checks `exp` (required) and `nbf` (optional) against now, in whole seconds like JWT. */
export function checkTimeClaims(claims: JwtClaims, now: Date, skewInSeconds = 0): TimeValidity {
  const nowSeconds = now.getTime() / 1000;
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (exp === undefined) return { valid: false, reason: 'no-expiry' };
  if (nowSeconds >= exp + skewInSeconds) return { valid: false, reason: 'expired', exp, nbf };
  if (nbf !== undefined && nowSeconds < nbf - skewInSeconds) {
    return { valid: false, reason: 'not-yet-valid', exp, nbf };
  }
  return { valid: true };
}

export interface RsaJwk {
  kty: 'RSA';
  use: 'sig';
  alg: 'RS256';
  kid: string;
  n: string;
  e: string;
}

/** RFC 7638 thumbprint, a stable key id derived from the public key alone. */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function publicJwk(publicKey: KeyObject, kid: string): RsaJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: String(jwk.n), e: String(jwk.e) };
}

/** A signing key as the emulator holds it: private key, derived public key and key id. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: jwkThumbprint(publicKey) };
}
