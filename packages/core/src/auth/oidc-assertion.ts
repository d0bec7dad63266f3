// The client assertion for GitHub OIDC: the GitHub ID token, kept while it is valid and fetched
// anew shortly before it expires. GitHub's ID token lives about 5 minutes; MSAL calls the
// assertion callback twice per getToken (even on a cache hit), and jobs outlive the token, so a
// token fetched once at start-up (the classic azure/login failure) is not enough, and fetching on
// every call would hammer the runner's token service.

export type RequestIdToken = (audience: string) => Promise<string>;

export const DEFAULT_OIDC_AUDIENCE = 'api://AzureADTokenExchange';

export interface IdTokenProviderOptions {
  requestIdToken: RequestIdToken;
  /** Audience of the ID token; Entra federated credentials expect `api://AzureADTokenExchange`. */
  audience?: string | undefined;
  now?: () => number;
  /** Fetch a fresh token when the cached one expires within this window. */
  refreshBeforeExpiryInMs?: number;
}

export function createIdTokenProvider(options: IdTokenProviderOptions): () => Promise<string> {
  const { requestIdToken, now = Date.now, refreshBeforeExpiryInMs = 60_000 } = options;
  const audience = options.audience?.trim() || DEFAULT_OIDC_AUDIENCE;
  let cached: { token: string; refreshAtMs: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const token = await requestIdToken(audience);
    if (!token) throw new Error('The GitHub OIDC token service returned an empty ID token.');
    const expiresAtMs = jwtExpiryInMs(token);
    // A token without `exp` cannot be judged fresh later: hand it out once and fetch again next time.
    cached =
      expiresAtMs === undefined ? undefined : { token, refreshAtMs: expiresAtMs - refreshBeforeExpiryInMs };
    return token;
  };

  return () => {
    if (cached && now() < cached.refreshAtMs) return Promise.resolve(cached.token);
    // Concurrent callers share one request.
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/** The `exp` claim of a JWT in epoch milliseconds, or undefined when absent or unreadable. */
export function jwtExpiryInMs(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
