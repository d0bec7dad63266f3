// MLflow page tokens: opaque to clients; here base64 JSON of the offset into the ordered results.
import { invalidParameter } from './types';

export const DEFAULT_MAX_RESULTS = 1000;
export const MAX_RESULTS_LIMIT = 50_000;

function decodeOffset(pageToken: string | undefined): number {
  if (pageToken === undefined || pageToken === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(pageToken, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) {
      return parsed.offset;
    }
  } catch {
    // Reported below.
  }
  throw invalidParameter(`Invalid page token '${pageToken}'.`);
}

export function checkMaxResults(maxResults: number | undefined, limit = MAX_RESULTS_LIMIT): number {
  if (maxResults === undefined) return Math.min(DEFAULT_MAX_RESULTS, limit);
  if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > limit) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results': it must be between 1 and ${limit}.`,
    );
  }
  return maxResults;
}

/** One page of `items`, with the token of the next page when more remain. */
export function paginate<T>(
  items: T[],
  maxResults: number | undefined,
  pageToken: string | undefined,
  limit = MAX_RESULTS_LIMIT,
): { page: T[]; nextPageToken?: string } {
  const size = checkMaxResults(maxResults, limit);
  const offset = decodeOffset(pageToken);
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  if (next >= items.length) return { page };
  return { page, nextPageToken: Buffer.from(JSON.stringify({ offset: next })).toString('base64') };
}
