import { describe, expect, it } from 'vitest';
import { createIdTokenProvider, DEFAULT_OIDC_AUDIENCE, jwtExpiryInMs } from '../../src/auth/oidc-assertion';

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

/** A fake token service: each call returns a token expiring `lifetimeInS` after the fake clock. */
function fakeService(clock: { now: number }, lifetimeInS: number | null = 300) {
  const calls: string[] = [];
  const requestIdToken = async (audience: string) => {
    calls.push(audience);
    const claims: Record<string, unknown> = { n: calls.length, aud: audience };
    if (lifetimeInS !== null) claims.exp = Math.floor(clock.now / 1000) + lifetimeInS;
    return jwt(claims);
  };
  return { calls, requestIdToken };
}

const serial = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { n: number }).n;

describe('createIdTokenProvider', () => {
  it('fetches on the first call and reuses the token while it is fresh', async () => {
    const clock = { now: 1_700_000_000_000 };
    const service = fakeService(clock);
    const provider = createIdTokenProvider({ requestIdToken: service.requestIdToken, now: () => clock.now });
    const first = await provider();
    clock.now += 200_000; // 100 s left, outside the 60 s window
    const second = await provider();
    expect(serial(first)).toBe(1);
    expect(second).toBe(first);
    expect(service.calls).toEqual([DEFAULT_OIDC_AUDIENCE]);
  });

  it('fetches a fresh token inside the refresh window', async () => {
    const clock = { now: 1_700_000_000_000 };
    const service = fakeService(clock);
    const provider = createIdTokenProvider({ requestIdToken: service.requestIdToken, now: () => clock.now });
    await provider();
    clock.now += 241_000; // 59 s before exp
    expect(serial(await provider())).toBe(2);
    expect(serial(await provider())).toBe(2);
    expect(service.calls).toHaveLength(2);
  });

  it('honours a custom window and audience', async () => {
    const clock = { now: 1_700_000_000_000 };
    const service = fakeService(clock);
    const provider = createIdTokenProvider({
      requestIdToken: service.requestIdToken,
      now: () => clock.now,
      audience: 'api://custom',
      refreshBeforeExpiryInMs: 10_000,
    });
    await provider();
    clock.now += 280_000; // 20 s left: fresh with a 10 s window
    await provider();
    expect(service.calls).toEqual(['api://custom']);
  });

  it('never hands out an expired token even with no refresh window', async () => {
    const clock = { now: 1_700_000_000_000 };
    const service = fakeService(clock);
    const provider = createIdTokenProvider({
      requestIdToken: service.requestIdToken,
      now: () => clock.now,
      refreshBeforeExpiryInMs: 0,
    });
    const first = await provider();
    clock.now += 299_999;
    expect(await provider()).toBe(first);
    clock.now += 1; // exactly at exp
    expect(serial(await provider())).toBe(2);
  });

  it('uses a token without exp once', async () => {
    const clock = { now: 0 };
    const service = fakeService(clock, null);
    const provider = createIdTokenProvider({ requestIdToken: service.requestIdToken, now: () => clock.now });
    expect(serial(await provider())).toBe(1);
    expect(serial(await provider())).toBe(2);
  });

  it('shares one fetch between concurrent callers', async () => {
    const clock = { now: 1_700_000_000_000 };
    let calls = 0;
    let resolveFetch: ((token: string) => void) | undefined;
    const provider = createIdTokenProvider({
      requestIdToken: () => {
        calls++;
        return new Promise<string>((resolve) => {
          resolveFetch = resolve;
        });
      },
      now: () => clock.now,
    });
    const pending = [provider(), provider(), provider()];
    expect(calls).toBe(1);
    resolveFetch?.(jwt({ exp: clock.now / 1000 + 300 }));
    const tokens = await Promise.all(pending);
    expect(new Set(tokens).size).toBe(1);
    await provider();
    expect(calls).toBe(1);
  });

  it('does not cache a failure: the next call fetches again', async () => {
    let calls = 0;
    const provider = createIdTokenProvider({
      requestIdToken: async () => {
        calls++;
        if (calls === 1) throw new Error('token service down');
        return jwt({ exp: Date.now() / 1000 + 300 });
      },
    });
    await expect(provider()).rejects.toThrow('token service down');
    await expect(provider()).resolves.toMatch(/\./);
    expect(calls).toBe(2);
  });

  it('rejects an empty token', async () => {
    const provider = createIdTokenProvider({ requestIdToken: async () => '' });
    await expect(provider()).rejects.toThrow(/empty ID token/);
  });
});

describe('jwtExpiryInMs', () => {
  it.each([
    [jwt({ exp: 1_700_000_300 }), 1_700_000_300_000],
    [jwt({ sub: 'repo:x' }), undefined],
    [jwt({ exp: 'soon' }), undefined],
    ['not-a-jwt', undefined],
    ['a.%%%.c', undefined],
    [`a.${Buffer.from('[1]').toString('base64url')}.c`, undefined],
  ])('%s → %s', (token, expected) => {
    expect(jwtExpiryInMs(token)).toBe(expected);
  });
});
