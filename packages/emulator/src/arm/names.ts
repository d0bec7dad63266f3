// Name and version rules the service applies to path segments, beyond the body schema.
import type { Violation } from './schema/validate';

/** Asset, datastore and job names (the spec's name pattern for workspace child resources). */
export const RESOURCE_NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$';
/** Compute names: 3-24 letters, digits or hyphens, starting with a letter, not ending in '-<digits>'. */
export const COMPUTE_NAME_PATTERN = '^[a-zA-Z](?![a-zA-Z0-9-]*-\\d+$)[a-zA-Z0-9\\-]{2,23}$';
/** Version strings: letters, digits, '.', '-' and '_', starting with a letter or digit. */
export const VERSION_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9._\\-]*$';
/** The service stores data versions in a dataset id limited to 30 characters. */
export const DATA_VERSION_MAX_LENGTH = 30;
export const VERSION_MAX_LENGTH = 255;

export function checkResourceName(name: string, what: string): Violation | undefined {
  if (new RegExp(RESOURCE_NAME_PATTERN).test(name)) return undefined;
  return {
    path: 'name',
    message: `${what} name '${name}' is invalid: it must match '${RESOURCE_NAME_PATTERN}' (letters, digits, '-' and '_', starting with a letter or digit, at most 255 characters).`,
  };
}

export function checkComputeName(name: string): Violation | undefined {
  if (new RegExp(COMPUTE_NAME_PATTERN).test(name)) return undefined;
  return {
    path: 'name',
    message: `Compute name '${name}' is invalid: it must match '${COMPUTE_NAME_PATTERN}' (3 to 24 letters, digits or hyphens, starting with a letter, not ending with a hyphen followed by digits).`,
  };
}

/** Workspace model versions are positive integers; other assets take version strings. */
export function checkVersion(kind: string, version: string): Violation | undefined {
  const fail = (message: string): Violation => ({ path: 'version', message });
  if (kind === 'models') {
    return /^[1-9][0-9]*$/.test(version)
      ? undefined
      : fail(
          `Model version '${version}' is invalid: model versions must be positive integers (1, 2, 3, ...).`,
        );
  }
  if (!new RegExp(VERSION_PATTERN).test(version)) {
    return fail(`Version '${version}' is invalid: it must match '${VERSION_PATTERN}'.`);
  }
  const max = kind === 'data' ? DATA_VERSION_MAX_LENGTH : VERSION_MAX_LENGTH;
  if (version.length > max) return fail(`Version '${version}' is longer than ${max} characters.`);
  return undefined;
}
