// The api-versions the emulated resource provider accepts, and ARM's answers when a request
// names none or another one. 2022-10-01 is what @azure/arm-machinelearning 2.1.1 sends;
// 2025-12-01 and 2026-05-01 are the newest stable contracts (identical schemas).

import { armError } from '../http/arm-errors';
import type { EmulatorRequest, EmulatorResponse } from '../http/types';

export const SUPPORTED_API_VERSIONS = ['2022-10-01', '2025-12-01', '2026-05-01'] as const;
export type ApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

/** The first api-version of the newer contract (queueSettings, OneLake, provisioningState on assets…). */
export const NEWER_CONTRACT: ApiVersion = '2025-12-01';

/** api-versions are ISO dates, so string order is chronological order. */
export function isAtLeast(version: ApiVersion, minimum: ApiVersion): boolean {
  return version >= minimum;
}

export type ApiVersionCheck = { ok: true; version: ApiVersion } | { ok: false; response: EmulatorResponse };

/** Reads `api-version` (case-insensitive name, exact value) the way the ARM front door does. */
export function checkApiVersion(request: EmulatorRequest): ApiVersionCheck {
  let value: string | undefined;
  for (const [name, candidate] of request.query) {
    if (name.toLowerCase() === 'api-version') {
      value = candidate;
      break;
    }
  }
  if (value === undefined || value === '') {
    return {
      ok: false,
      response: armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      ),
    };
  }
  const supported = SUPPORTED_API_VERSIONS.find((version) => version === value);
  if (!supported) {
    const list = [...SUPPORTED_API_VERSIONS].reverse().join(',');
    return {
      ok: false,
      response: armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${value}' is invalid. The supported versions are '${list}'.`,
      ),
    };
  }
  return { ok: true, version: supported };
}

/**
 * Like checkApiVersion, for a resource type the provider only has from `since` on (registries):
 * ARM refuses an older, otherwise valid api-version with 400 NoRegisteredProviderFound.
 */
export function checkApiVersionForType(
  request: EmulatorRequest,
  type: { name: string; since: ApiVersion; location: string },
): ApiVersionCheck {
  const check = checkApiVersion(request);
  if (!check.ok || isAtLeast(check.version, type.since)) return check;
  const supported = SUPPORTED_API_VERSIONS.filter((version) => isAtLeast(version, type.since)).join(', ');
  return {
    ok: false,
    response: armError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${type.location}' and API version '${check.version}' for type '${type.name}'. The supported api-versions are '${supported}'. The supported locations are '${type.location}'.`,
    ),
  };
}
