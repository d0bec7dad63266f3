// Which version a registration gets, decided from the versions that exist (pure): the existing
// version with the same content is returned instead of a duplicate; an explicit version that
// holds other content is a clash, never an overwrite; `auto` takes the next free number.

import { ConfigurationError } from '../errors';

export interface ExistingVersion {
  version: string;
  modelType?: string | undefined;
  /** `aml-actions.contentHash` recorded at registration. */
  contentHash?: string | undefined;
  /** `aml-actions.source` recorded at registration. */
  source?: string | undefined;
  createdAt?: string | undefined;
}

export interface ModelIdentity {
  modelType: string;
  contentHash: string;
  source: string;
  /** A completed job's output never changes: the same source is the same content. */
  sourceIsImmutable: boolean;
}

export type VersionPlan = { action: 'reuse'; version: string } | { action: 'create'; version: string };

export function sameContent(existing: ExistingVersion, identity: ModelIdentity): boolean {
  if (existing.modelType !== undefined && existing.modelType !== identity.modelType) return false;
  if (existing.contentHash !== undefined && existing.contentHash === identity.contentHash) return true;
  return identity.sourceIsImmutable && existing.source !== undefined && existing.source === identity.source;
}

export function planVersion(
  name: string,
  existing: readonly ExistingVersion[],
  identity: ModelIdentity,
  requested: string,
  input = 'version',
): VersionPlan {
  // Newest first by creation time, then by version number when the service gives no times.
  const newestFirst = [...existing].sort(
    (a, b) =>
      (b.createdAt ?? '').localeCompare(a.createdAt ?? '') ||
      b.version.localeCompare(a.version, 'en', { numeric: true }),
  );
  const match = newestFirst.find((version) => sameContent(version, identity));
  if (requested !== 'auto') {
    const taken = existing.find((version) => version.version === requested);
    if (!taken) return { action: 'create', version: requested };
    if (sameContent(taken, identity)) return { action: 'reuse', version: requested };
    const from = taken.source ? ` (registered from ${taken.source})` : '';
    const kind =
      taken.modelType !== undefined && taken.modelType !== identity.modelType
        ? `a ${taken.modelType}, not a ${identity.modelType}`
        : 'other content';
    throw new ConfigurationError(
      `version ${requested} of model '${name}' already exists and holds ${kind}${from}`,
      {
        input,
        fix: match
          ? `Version ${match.version} already holds this content: use version: ${match.version}, or version: auto.`
          : `A version is never overwritten: use version: auto (next is ${nextFreeVersion(existing)}) or a new version number.`,
      },
    );
  }
  if (match) return { action: 'reuse', version: match.version };
  return { action: 'create', version: nextFreeVersion(existing) };
}

/** One more than the highest integer version; 1 when there is none. */
export function nextFreeVersion(existing: readonly ExistingVersion[]): string {
  let highest = 0;
  for (const { version } of existing) {
    if (/^\d+$/.test(version)) highest = Math.max(highest, Number(version));
  }
  return String(highest + 1);
}
