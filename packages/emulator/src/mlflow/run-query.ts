// Filtering and ordering of search results over the parsed grammar, for runs and experiments alike:
// each searchable thing is seen through a lookup of (entity, key) → value.
import type { Entity, FilterClause, OrderTerm } from './search-grammar';

export type FieldValue = string | number | undefined;

export type FieldLookup<T> = (item: T, entity: Entity, key: string) => FieldValue;

function likePattern(pattern: string, ignoreCase: boolean): RegExp {
  const source = [...pattern]
    .map((char) => {
      if (char === '%') return '.*';
      if (char === '_') return '.';
      return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

function compare(
  actual: string | number,
  comparator: FilterClause['comparator'],
  wanted: FilterClause['value'],
) {
  switch (comparator) {
    case '=':
      return actual === wanted;
    case '!=':
      return actual !== wanted;
    case '<':
      return Number(actual) < (wanted as number);
    case '<=':
      return Number(actual) <= (wanted as number);
    case '>':
      return Number(actual) > (wanted as number);
    case '>=':
      return Number(actual) >= (wanted as number);
    case 'LIKE':
      return likePattern(String(wanted), false).test(String(actual));
    case 'ILIKE':
      return likePattern(String(wanted), true).test(String(actual));
    case 'IN':
      return (wanted as string[]).includes(String(actual));
    case 'NOT IN':
      return !(wanted as string[]).includes(String(actual));
  }
}

/** True when the item satisfies every clause; a missing key never matches (not even `!=`). */
export function matchesFilter<T>(item: T, clauses: FilterClause[], lookup: FieldLookup<T>): boolean {
  return clauses.every((clause) => {
    const actual = lookup(item, clause.entity, clause.key);
    if (actual === undefined) return false;
    // NaN equals nothing, so only `!=` holds for it, as in SQL stores.
    if (typeof actual === 'number' && Number.isNaN(actual)) return clause.comparator === '!=';
    return compare(actual, clause.comparator, clause.value);
  });
}

/** Rank of a value that sorts last whatever the direction: NaN, then missing. */
function lastRank(value: FieldValue): number {
  if (value === undefined) return 2;
  if (typeof value === 'number' && Number.isNaN(value)) return 1;
  return 0;
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Sorts by the order terms, then by the tie-breakers; NaN and missing values go last in either
 * direction, as MLflow's stores order them.
 */
export function sortBy<T>(
  items: T[],
  terms: OrderTerm[],
  lookup: FieldLookup<T>,
  tieBreakers: OrderTerm[],
): T[] {
  const all = [...terms, ...tieBreakers];
  return [...items].sort((a, b) => {
    for (const term of all) {
      const left = lookup(a, term.entity, term.key);
      const right = lookup(b, term.entity, term.key);
      const rank = lastRank(left) - lastRank(right);
      if (rank !== 0) return rank;
      if (lastRank(left) !== 0) continue;
      const order = compareValues(left as string | number, right as string | number);
      if (order !== 0) return term.ascending ? order : -order;
    }
    return 0;
  });
}
