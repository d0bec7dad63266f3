// List paging as the service does it: `value` plus an absolute `nextLink` carrying an opaque
// continuation token in `$skip` (the catalog's name for it; `$skipToken` is accepted too).
import type { ArmContext } from '../arm-context';
import type { EmulatorResponse } from '../http/types';
import { invalidQuery } from './responses';
import type { ArmCall } from './scope';

export interface ListPage<T> {
  value: T[];
  nextLink?: string;
}

const TOKEN_PARAMS = ['$skip', '$skiptoken'];

export function queryValue(call: ArmCall, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of call.request.query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export const encodeSkipToken = (offset: number): string =>
  Buffer.from(`offset:${offset}`).toString('base64url');

export function decodeSkipToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

export type PagingCheck =
  | { ok: true; offset: number; pageSize: number }
  | { ok: false; response: EmulatorResponse };

/** Reads the continuation token and an optional page-size parameter (e.g. the datastores' `count`). */
export function readPaging(call: ArmCall, defaultPageSize: number, pageSizeParam?: string): PagingCheck {
  let offset = 0;
  for (const name of TOKEN_PARAMS) {
    const token = queryValue(call, name);
    if (token === undefined || token === '') continue;
    const decoded = decodeSkipToken(token);
    if (decoded === undefined) {
      return {
        ok: false,
        response: invalidQuery(
          name === '$skip' ? '$skip' : '$skipToken',
          `'${token}' is not a valid continuation token.`,
        ),
      };
    }
    offset = decoded;
  }
  let pageSize = defaultPageSize;
  if (pageSizeParam) {
    const raw = queryValue(call, pageSizeParam);
    if (raw !== undefined) {
      const parsed = parsePositiveInteger(raw);
      if (parsed === undefined)
        return { ok: false, response: invalidQuery(pageSizeParam, `'${raw}' is not a positive integer.`) };
      pageSize = parsed;
    }
  }
  return { ok: true, offset, pageSize };
}

export function parsePositiveInteger(raw: string): number | undefined {
  return /^[1-9][0-9]*$/.test(raw) ? Number(raw) : undefined;
}

function nextLinkFor(ctx: Pick<ArmContext, 'baseUrl'>, call: ArmCall, offset: number): string {
  const pairs: string[] = [];
  for (const [key, value] of call.request.query) {
    if (TOKEN_PARAMS.includes(key.toLowerCase())) continue;
    pairs.push(`${encodeURIComponent(key).replace(/^%24/, '$')}=${encodeURIComponent(value)}`);
  }
  pairs.push(`$skip=${encodeSkipToken(offset)}`);
  const path = call.request.path.split('/').map(encodeURIComponent).join('/');
  return `${ctx.baseUrl}${path}?${pairs.join('&')}`;
}

/** One page of `items` starting at the caller's continuation offset. */
export function pageOf<T>(
  ctx: Pick<ArmContext, 'baseUrl'>,
  call: ArmCall,
  items: readonly T[],
  paging: { offset: number; pageSize: number },
): ListPage<T> {
  const end = paging.offset + paging.pageSize;
  const value = items.slice(paging.offset, end);
  return end < items.length ? { value, nextLink: nextLinkFor(ctx, call, end) } : { value };
}
