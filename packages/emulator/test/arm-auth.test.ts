import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ArmTokenTrust, formatArmUtc, verifyArmToken } from '../src/identity/arm-auth';
import { signingKeyFrom, signJwt } from '../src/identity/jwt';

const newKey = () => signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const key = newKey();
const tenantId = '11111111-2222-3333-4444-555555555555';
const trust: ArmTokenTrust = {
  publicKey: key.publicKey,
  tenantId,
  issuer: `https://sts.windows.net/${tenantId}/`,
  baseUrl: 'https://127.0.0.1:8443',
  authorizationUri: `https://127.0.0.1:8443/${tenantId}`,
};
const now = new Date('2025-06-01T15:04:05Z');
const t = now.getTime() / 1000;
const claims = (extra: Record<string, unknown> = {}) => ({
  aud: 'https://management.azure.com',
  iss: trust.issuer,
  iat: t - 60,
  nbf: t - 60,
  exp: t + 3600,
  ...extra,
});
const bearer = (token: string) => `Bearer ${token}`;

describe('verifyArmToken', () => {
  it.each([
    'https://management.azure.com',
    'https://management.azure.com/',
    'https://management.core.windows.net/',
    'https://127.0.0.1:8443',
    'https://127.0.0.1:8443/',
  ])('accepts audience %s', (aud) => {
    const result = verifyArmToken(bearer(signJwt(claims({ aud }), key)), now, trust);
    expect(result).toEqual({ ok: true, claims: claims({ aud }) });
  });

  it('accepts a lower-case bearer scheme', () => {
    expect(verifyArmToken(`bearer ${signJwt(claims(), key)}`, now, trust).ok).toBe(true);
  });

  const otherKey = newKey();
  it.each([
    [
      'missing header',
      undefined,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
    ],
    ['wrong scheme', 'Basic dXNlcjpwYXNz', 'AuthenticationFailed', /invalid format/],
    ['not a JWT', 'Bearer not-a-token', 'InvalidAuthenticationToken', 'The access token is invalid.'],
    [
      'bad signature',
      bearer(signJwt(claims(), otherKey)),
      'InvalidAuthenticationToken',
      'The access token is invalid.',
    ],
    [
      'expired',
      bearer(signJwt(claims({ exp: t - 3600 }), key)),
      'ExpiredAuthenticationToken',
      "The access token expiry UTC time '6/1/2025 2:04:05 PM' is earlier than current UTC time '6/1/2025 3:04:05 PM'.",
    ],
    ['no exp', bearer(signJwt(claims({ exp: undefined }), key)), 'InvalidAuthenticationToken', /invalid/],
    [
      'wrong audience',
      bearer(signJwt(claims({ aud: 'https://storage.azure.com' }), key)),
      'InvalidAuthenticationTokenAudience',
      /wrong audience or resource 'https:\/\/storage.azure.com'/,
    ],
    [
      'wrong issuer',
      bearer(signJwt(claims({ iss: 'https://sts.windows.net/other/' }), key)),
      'InvalidAuthenticationTokenTenant',
      /wrong issuer 'https:\/\/sts.windows.net\/other\/'/,
    ],
  ])('%s → 401 %s', (_name, header, code, message) => {
    const result = verifyArmToken(header, now, trust);
    if (result.ok) throw new Error('expected a rejection');
    expect(result.response.status).toBe(401);
    const body = result.response.body as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(result.response.headers?.['WWW-Authenticate']).toMatch(
      new RegExp(`^Bearer authorization_uri="https://127.0.0.1:8443/${tenantId}", error="invalid_token"`),
    );
  });
});

describe('formatArmUtc', () => {
  it.each([
    ['2025-12-07T00:05:09Z', '12/7/2025 12:05:09 AM'],
    ['2025-01-31T12:00:00Z', '1/31/2025 12:00:00 PM'],
    ['2025-06-01T23:59:59Z', '6/1/2025 11:59:59 PM'],
  ])('%s → %s', (iso, expected) => {
    expect(formatArmUtc(new Date(iso))).toBe(expected);
  });
});
