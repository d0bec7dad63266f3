import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkTimeClaims,
  decodeJwt,
  hasValidSignature,
  jwkThumbprint,
  MalformedJwtError,
  publicJwk,
  signingKeyFrom,
  signJwt,
} from '../src/identity/jwt';

const newKey = () => signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const key = newKey();
const otherKey = newKey();

describe('signJwt / decodeJwt / hasValidSignature', () => {
  it('round-trips claims and header with an RS256 signature', () => {
    const token = signJwt({ sub: 'repo:o/r:ref:refs/heads/main', n: 1 }, key);
    const decoded = decodeJwt(token);
    expect(decoded.header).toEqual({ typ: 'JWT', alg: 'RS256', kid: key.kid });
    expect(decoded.claims).toEqual({ sub: 'repo:o/r:ref:refs/heads/main', n: 1 });
    expect(hasValidSignature(decoded, key.publicKey)).toBe(true);
  });

  it('rejects a signature from another key', () => {
    expect(hasValidSignature(decodeJwt(signJwt({ a: 1 }, otherKey)), key.publicKey)).toBe(false);
  });

  it('rejects a token whose payload was changed after signing', () => {
    const [header, , signature] = signJwt({ admin: false }, key).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ admin: true })).toString('base64url')}.${signature}`;
    expect(hasValidSignature(decodeJwt(forged), key.publicKey)).toBe(false);
  });

  it.each([
    ['none', { alg: 'none', typ: 'JWT' }],
    ['HS256', { alg: 'HS256', typ: 'JWT' }],
  ])('refuses alg %s even with a valid-looking body', (_name, header) => {
    const good = signJwt({ a: 1 }, key).split('.');
    const token = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${good[1]}.${good[2]}`;
    expect(hasValidSignature(decodeJwt(token), key.publicKey)).toBe(false);
  });

  it.each([
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['non-base64url header', '***.e30.sig'],
    ['header not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`],
    ['header an array', `${Buffer.from('[1]').toString('base64url')}.e30.sig`],
    ['header without alg', `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.e30.sig`],
    ['payload not JSON', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.bm9wZQ.sig`],
    ['signature with padding chars', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.a+b=`],
  ])('decodeJwt throws MalformedJwtError for %s', (_name, token) => {
    expect(() => decodeJwt(token)).toThrow(MalformedJwtError);
  });
});

describe('checkTimeClaims', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const t = now.getTime() / 1000;
  it.each([
    ['valid window', { nbf: t - 10, exp: t + 10 }, { valid: true }],
    ['exp exactly now is expired', { exp: t }, { valid: false, reason: 'expired', exp: t, nbf: undefined }],
    ['expired', { nbf: t - 20, exp: t - 1 }, { valid: false, reason: 'expired', exp: t - 1, nbf: t - 20 }],
    [
      'not yet valid',
      { nbf: t + 5, exp: t + 60 },
      { valid: false, reason: 'not-yet-valid', exp: t + 60, nbf: t + 5 },
    ],
    ['no exp', { nbf: t }, { valid: false, reason: 'no-expiry' }],
    ['exp not a number', { exp: String(t + 10) }, { valid: false, reason: 'no-expiry' }],
  ])('%s', (_name, claims, expected) => {
    expect(checkTimeClaims(claims, now)).toEqual(expected);
  });

  it('allows the given clock skew', () => {
    expect(checkTimeClaims({ exp: t - 1 }, now, 5)).toEqual({ valid: true });
  });
});

describe('JWK', () => {
  it('publishes n/e with the thumbprint as kid, and the key verifies tokens', () => {
    const jwk = publicJwk(key.publicKey, key.kid);
    expect(jwk).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: key.kid, e: 'AQAB' });
    expect(jwkThumbprint(key.publicKey)).toBe(key.kid);
    expect(key.kid).not.toBe(otherKey.kid);
  });
});
