// What both cloud STS stand-ins do with a GitHub ID token, as AWS and Google do with a registered
// OIDC provider: fetch the issuer's keys (discovery document, then JWKS) and check the token's
// signature, issuer, audience and time claims. Keys are fetched on first use and again when a
// token names a key id the cache does not hold (key rotation).
import { createPublicKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  checkTimeClaims,
  decodeJwt,
  hasValidSignature,
  type JwtClaims,
  MalformedJwtError,
} from '../identity/jwt';

export interface TrustedIssuer {
  /** The `iss` tokens carry, e.g. `https://127.0.0.1:4443/_oidc` (the emulator's issuer). */
  issuer: string;
  /** PEM CA certificates to trust for the issuer's HTTPS endpoints (the emulator's CA). */
  ca?: string;
}

export type TokenCheck =
  | { ok: true; claims: JwtClaims }
  | {
      ok: false;
      reason: 'malformed' | 'unknown-issuer' | 'bad-signature' | 'audience' | 'expired' | 'not-yet-valid';
      message: string;
    };

export class IssuerKeys {
  private keys = new Map<string, KeyObject>();
  private loading: Promise<void> | undefined;

  constructor(private readonly trusted: TrustedIssuer) {}

  get issuer(): string {
    return this.trusted.issuer;
  }

  /** Checks signature, `iss`, `aud` (one of `audiences`), `exp` and `nbf` at `now`. */
  async check(token: string, audiences: readonly string[], now: Date): Promise<TokenCheck> {
    let decoded: ReturnType<typeof decodeJwt>;
    try {
      decoded = decodeJwt(token);
    } catch (error) {
      if (error instanceof MalformedJwtError)
        return { ok: false, reason: 'malformed', message: error.message };
      throw error;
    }
    const { claims } = decoded;
    if (claims.iss !== this.trusted.issuer) {
      return {
        ok: false,
        reason: 'unknown-issuer',
        message: `No OpenIDConnect provider is registered for ${String(claims.iss)}.`,
      };
    }
    const kid = decoded.header.kid ?? '';
    let key = this.keys.get(kid);
    if (!key) {
      await this.refresh();
      key = this.keys.get(kid);
    }
    if (!key || !hasValidSignature(decoded, key)) {
      return { ok: false, reason: 'bad-signature', message: 'The token signature does not verify.' };
    }
    const tokenAudiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!tokenAudiences.some((aud) => typeof aud === 'string' && audiences.includes(aud))) {
      return {
        ok: false,
        reason: 'audience',
        message: `Incorrect token audience '${tokenAudiences.join(', ')}'; expected ${audiences.join(' or ')}.`,
      };
    }
    const time = checkTimeClaims(claims, now);
    if (!time.valid) {
      const reason = time.reason === 'not-yet-valid' ? 'not-yet-valid' : 'expired';
      return {
        ok: false,
        reason,
        message:
          reason === 'expired'
            ? `Token expired: current date/time ${now.toISOString()} must be before the expiration date/time ${time.exp !== undefined ? new Date(time.exp * 1000).toISOString() : '(none)'}.`
            : 'The token is not valid yet (nbf).',
      };
    }
    return { ok: true, claims };
  }

  private refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const base = this.trusted.issuer.replace(/\/+$/, '');
        const discovery = (await getJson(`${base}/.well-known/openid-configuration`, this.trusted.ca)) as {
          jwks_uri?: unknown;
        };
        const jwksUri =
          typeof discovery.jwks_uri === 'string' ? discovery.jwks_uri : `${base}/.well-known/jwks`;
        const jwks = (await getJson(jwksUri, this.trusted.ca)) as { keys?: unknown };
        const keys = new Map<string, KeyObject>();
        for (const jwk of Array.isArray(jwks.keys) ? jwks.keys : []) {
          const record = jwk as { kid?: unknown; kty?: unknown };
          if (record.kty !== 'RSA' || typeof record.kid !== 'string') continue;
          keys.set(
            record.kid,
            createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }),
          );
        }
        this.keys = keys;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

function getJson(url: string, ca: string | undefined): Promise<unknown> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const request = send(target, { ...(ca && target.protocol === 'https:' ? { ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((response.statusCode ?? 0) !== 200) {
          reject(new Error(`GET ${url} answered ${response.statusCode}: ${text.slice(0, 200)}`));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
  });
}

/** Reads a request body whole (STS requests are small). */
export async function readBody(req: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
