// Identity settings that tests change while the emulator runs (POST /_emulator/config), e.g.
// two-second token lifetimes to exercise refresh.

export interface IdentitySettings {
  /** Lifetime of access tokens from the Entra-like token endpoint. */
  tokenLifetimeInMs: number;
  /** Lifetime of GitHub-like OIDC ID tokens. */
  idTokenLifetimeInMs: number;
  /** `sub` of issued ID tokens unless the request names one (`?subject=`). */
  subject: string;
  /** The federated identity credential's subject pattern (`*` wildcards) assertions must match. */
  federatedSubject: string;
}

export const DEFAULT_ID_TOKEN_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  tokenLifetimeInMs: 3_600_000,
  idTokenLifetimeInMs: 300_000,
  subject: DEFAULT_ID_TOKEN_SUBJECT,
  federatedSubject: 'repo:*',
};

const DURATION_FIELDS = ['tokenLifetimeInMs', 'idTokenLifetimeInMs'] as const;
const STRING_FIELDS = ['subject', 'federatedSubject'] as const;

/**
 * Validates a settings patch. Returns the problems (empty when valid); applies nothing on error,
 * so a bad request never half-changes the settings.
 */
export function applySettingsPatch(settings: IdentitySettings, patch: unknown): string[] {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return ['The body must be a JSON object.'];
  }
  const record = patch as Record<string, unknown>;
  const known = new Set<string>([...DURATION_FIELDS, ...STRING_FIELDS]);
  const problems = Object.keys(record)
    .filter((key) => !known.has(key))
    .map((key) => `Unknown setting '${key}'; known: ${[...known].join(', ')}.`);
  for (const field of DURATION_FIELDS) {
    const value = record[field];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) {
      problems.push(`${field} must be a positive integer (milliseconds).`);
    }
  }
  for (const field of STRING_FIELDS) {
    const value = record[field];
    if (value !== undefined && !(typeof value === 'string' && value.length > 0)) {
      problems.push(`${field} must be a non-empty string.`);
    }
  }
  if (problems.length > 0) return problems;
  for (const field of DURATION_FIELDS)
    if (record[field] !== undefined) settings[field] = record[field] as number;
  for (const field of STRING_FIELDS)
    if (record[field] !== undefined) settings[field] = record[field] as string;
  return [];
}
