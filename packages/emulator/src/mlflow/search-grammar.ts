// The subset of MLflow's search grammar the emulator understands, parsed into clauses:
//   filter   := clause (AND clause)*
//   clause   := identifier comparator value
//   identifier := [prefix '.'] (name | `quoted` | "quoted")   prefix: metrics, params, tags, attributes …
//   order_by := identifier [ASC | DESC]
// A bare key after a prefix keeps its dots (`tags.mlflow.parentRunId`), as MLflow does.
import { invalidParameter } from './types';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export interface FilterClause {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: string | number | string[];
}

export interface OrderTerm {
  entity: Entity;
  key: string;
  ascending: boolean;
}

/** What may be searched: which entities, and which attributes are numbers or strings. */
export interface SearchScheme {
  entities: readonly Entity[];
  numericAttributes: readonly string[];
  stringAttributes: readonly string[];
  /** Other spellings of attributes, e.g. `created` for `start_time`. */
  attributeAliases?: Record<string, string>;
}

const PREFIXES: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const TEXT_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const ATTRIBUTE_TEXT_COMPARATORS: readonly Comparator[] = [...TEXT_COMPARATORS, 'IN', 'NOT IN'];

class ParseFailure extends Error {}

/** A cursor over the expression text; every read skips leading whitespace. */
class Cursor {
  private at = 0;

  constructor(private readonly text: string) {}

  get done(): boolean {
    this.skipSpace();
    return this.at >= this.text.length;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] as string)) this.at++;
  }

  /** Consumes and returns what `pattern` (sticky) matches here, if anything. */
  take(pattern: RegExp): string | undefined {
    this.skipSpace();
    const sticky = new RegExp(pattern.source, `${pattern.flags.replace('y', '')}y`);
    sticky.lastIndex = this.at;
    const match = sticky.exec(this.text);
    if (!match) return undefined;
    this.at += match[0].length;
    return match[0];
  }

  peekChar(): string | undefined {
    this.skipSpace();
    return this.text[this.at];
  }

  /** A quoted string starting here; a doubled quote stands for itself. */
  quoted(): string | undefined {
    const quote = this.peekChar();
    if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
    let value = '';
    let i = this.at + 1;
    while (i < this.text.length) {
      const char = this.text[i] as string;
      if (char === quote) {
        if (this.text[i + 1] === quote) {
          value += quote;
          i += 2;
          continue;
        }
        this.at = i + 1;
        return value;
      }
      value += char;
      i++;
    }
    throw new ParseFailure(`unterminated quote at position ${this.at + 1}`);
  }

  rest(): string {
    this.skipSpace();
    return this.text.slice(this.at);
  }
}

function resolveAttribute(scheme: SearchScheme, key: string): { key: string; numeric: boolean } {
  const name = scheme.attributeAliases?.[key] ?? key;
  if (scheme.numericAttributes.includes(name)) return { key: name, numeric: true };
  if (scheme.stringAttributes.includes(name)) return { key: name, numeric: false };
  const known = [...scheme.stringAttributes, ...scheme.numericAttributes].join(', ');
  throw new ParseFailure(`unknown attribute '${key}' (expected one of ${known})`);
}

function readIdentifier(cursor: Cursor, scheme: SearchScheme): { entity: Entity; key: string } {
  const quotedWhole = cursor.quoted();
  if (quotedWhole !== undefined)
    return { entity: 'attribute', key: resolveAttribute(scheme, quotedWhole).key };
  const word = cursor.take(/[A-Za-z_][A-Za-z0-9_]*/);
  if (word === undefined) throw new ParseFailure(`expected an identifier at '${cursor.rest()}'`);
  const entity = PREFIXES[word.toLowerCase()];
  if (entity === undefined || cursor.peekChar() !== '.') {
    // No prefix: a bare attribute name, as MLflow allows.
    return { entity: 'attribute', key: resolveAttribute(scheme, word).key };
  }
  cursor.take(/\./);
  const key = cursor.quoted() ?? cursor.take(/[A-Za-z0-9_][A-Za-z0-9_.:/-]*/);
  if (key === undefined || key === '') throw new ParseFailure(`expected a key after '${word}.'`);
  if (!scheme.entities.includes(entity)) throw new ParseFailure(`'${word}.${key}' cannot be searched here`);
  if (entity === 'attribute') return { entity, key: resolveAttribute(scheme, key).key };
  return { entity, key };
}

function readComparator(cursor: Cursor): Comparator {
  const symbol = cursor.take(/!=|<=|>=|=|<|>/);
  if (symbol !== undefined) return symbol as Comparator;
  const word = cursor.take(/NOT\s+IN\b|I?LIKE\b|IN\b/i);
  if (word !== undefined) return word.toUpperCase().replace(/\s+/, ' ') as Comparator;
  throw new ParseFailure(`expected a comparator at '${cursor.rest()}'`);
}

function readNumber(cursor: Cursor): number | undefined {
  const text = cursor.take(/[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/);
  return text === undefined ? undefined : Number(text);
}

function readString(cursor: Cursor): string | undefined {
  const char = cursor.peekChar();
  return char === "'" || char === '"' ? cursor.quoted() : undefined;
}

function readList(cursor: Cursor): string[] {
  if (cursor.take(/\(/) === undefined) throw new ParseFailure(`expected '(' at '${cursor.rest()}'`);
  const items: string[] = [];
  do {
    const item = readString(cursor);
    if (item === undefined) throw new ParseFailure(`expected a quoted string at '${cursor.rest()}'`);
    items.push(item);
  } while (cursor.take(/,/) !== undefined);
  if (cursor.take(/\)/) === undefined) throw new ParseFailure(`expected ')' at '${cursor.rest()}'`);
  return items;
}

function readClause(cursor: Cursor, scheme: SearchScheme): FilterClause {
  const { entity, key } = readIdentifier(cursor, scheme);
  const comparator = readComparator(cursor);
  const numeric = entity === 'metric' || (entity === 'attribute' && scheme.numericAttributes.includes(key));
  const name = `${entity === 'attribute' ? 'attributes' : `${entity}s`}.${key}`;
  const allowed = numeric
    ? NUMERIC_COMPARATORS
    : entity === 'attribute'
      ? ATTRIBUTE_TEXT_COMPARATORS
      : TEXT_COMPARATORS;
  if (!allowed.includes(comparator)) {
    throw new ParseFailure(
      `comparator '${comparator}' is not supported for ${name} (use ${allowed.join(', ')})`,
    );
  }
  if (comparator === 'IN' || comparator === 'NOT IN') {
    return { entity, key, comparator, value: readList(cursor) };
  }
  if (numeric) {
    const value = readNumber(cursor);
    if (value === undefined) throw new ParseFailure(`expected a number for ${name} at '${cursor.rest()}'`);
    return { entity, key, comparator, value };
  }
  const value = readString(cursor);
  if (value === undefined)
    throw new ParseFailure(`expected a quoted string for ${name} at '${cursor.rest()}'`);
  return { entity, key, comparator, value };
}

/** Parses a search filter; an empty filter matches everything. Throws INVALID_PARAMETER_VALUE. */
export function parseFilter(filter: string | undefined, scheme: SearchScheme): FilterClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const cursor = new Cursor(filter);
  const clauses: FilterClause[] = [];
  try {
    do {
      clauses.push(readClause(cursor, scheme));
    } while (cursor.take(/AND\b/i) !== undefined);
    if (!cursor.done) throw new ParseFailure(`unexpected '${cursor.rest()}' (only AND joins clauses)`);
  } catch (error) {
    if (error instanceof ParseFailure)
      throw invalidParameter(`Invalid filter '${filter}': ${error.message}.`);
    throw error;
  }
  return clauses;
}

/** Parses one `order_by` entry such as `metrics.acc DESC`. Throws INVALID_PARAMETER_VALUE. */
export function parseOrderBy(term: string, scheme: SearchScheme): OrderTerm {
  const cursor = new Cursor(term);
  try {
    const { entity, key } = readIdentifier(cursor, scheme);
    const direction = cursor.take(/ASC\b|DESC\b/i)?.toUpperCase();
    if (!cursor.done) throw new ParseFailure(`unexpected '${cursor.rest()}' (expected ASC or DESC)`);
    return { entity, key, ascending: direction !== 'DESC' };
  } catch (error) {
    if (error instanceof ParseFailure)
      throw invalidParameter(`Invalid order_by clause '${term}': ${error.message}.`);
    throw error;
  }
}
