// Query parameters shared by the asset and job lists: listViewType, $orderBy, $top.
import type { EmulatorResponse } from '../http/types';
import { pageOf, parsePositiveInteger, queryValue, readPaging } from './paging';
import { invalidQuery, ok } from './responses';
import type { RouteContext } from './route-context';
import type { ArmCall } from './scope';

const LIST_VIEW_TYPES = ['ActiveOnly', 'ArchivedOnly', 'All'] as const;
export type ListViewType = (typeof LIST_VIEW_TYPES)[number];

type Check<T> = { ok: true; value: T } | { ok: false; response: EmulatorResponse };

export function readListViewType(call: ArmCall): Check<ListViewType> {
  const raw = queryValue(call, 'listViewType');
  if (raw === undefined) return { ok: true, value: 'ActiveOnly' };
  const match = LIST_VIEW_TYPES.find((type) => type.toLowerCase() === raw.toLowerCase());
  if (match) return { ok: true, value: match };
  return {
    ok: false,
    response: invalidQuery(
      'listViewType',
      `'${raw}' is not a valid value. Allowed values: ${LIST_VIEW_TYPES.join(', ')}.`,
    ),
  };
}

export function matchesListView(view: ListViewType, isArchived: unknown): boolean {
  if (view === 'All') return true;
  return view === 'ArchivedOnly' ? isArchived === true : isArchived !== true;
}

export interface OrderBy {
  field: 'createdtime' | 'version';
  descending: boolean;
}

export function readOrderBy(call: ArmCall, fallback: OrderBy): Check<OrderBy> {
  const raw = queryValue(call, '$orderBy');
  if (raw === undefined || raw.trim() === '') return { ok: true, value: fallback };
  const match = /^\s*(createdtime|createdat|version)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  if (!match) {
    return {
      ok: false,
      response: invalidQuery(
        '$orderBy',
        `'${raw}' is not supported. Use 'createdtime' or 'version', then 'asc' or 'desc'.`,
      ),
    };
  }
  const field = match[1]?.toLowerCase() === 'version' ? 'version' : 'createdtime';
  return { ok: true, value: { field, descending: match[2]?.toLowerCase() === 'desc' } };
}

export function readTop(call: ArmCall): Check<number | undefined> {
  const raw = queryValue(call, '$top');
  if (raw === undefined) return { ok: true, value: undefined };
  const top = parsePositiveInteger(raw);
  return top === undefined
    ? { ok: false, response: invalidQuery('$top', `'${raw}' is not a positive integer.`) }
    : { ok: true, value: top };
}

/** Pages `items` (already filtered and ordered) for the caller, honouring $top and $skip. */
export function listResponse<T>(
  routeContext: RouteContext,
  call: ArmCall,
  items: readonly T[],
  pageSizeParam?: string,
): EmulatorResponse {
  const top = readTop(call);
  if (!top.ok) return top.response;
  const paging = readPaging(call, routeContext.pageSize, pageSizeParam);
  if (!paging.ok) return paging.response;
  const limited = top.value === undefined ? items : items.slice(0, top.value);
  return ok(pageOf(routeContext.ctx, call, limited, paging));
}
