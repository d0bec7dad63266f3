// Injected faults for tests: throttling, server errors, dropped connections and slow responses,
// each armed for a number of matching requests. Pure bookkeeping; the server acts on the result.

export type FaultKind = 'status' | 'drop' | 'delay';

export interface FaultSpec {
  /** HTTP method to match (any when absent), case-insensitive. */
  method?: string;
  /** Substring of the request path (or path?query), or `/regex/flags` (a regex when it uses regex syntax). */
  path: string;
  kind: FaultKind;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** How many matching requests it applies to (default 1). */
  count?: number;
  /** ARM error code of the injected body (a default per status otherwise). */
  armCode?: string;
}

export interface Fault extends Required<Pick<FaultSpec, 'path' | 'kind'>> {
  id: string;
  method?: string;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  armCode?: string;
  count: number;
  remaining: number;
  hits: number;
}

const KINDS: FaultKind[] = ['status', 'drop', 'delay'];
const KNOWN_FIELDS = new Set([
  'method',
  'path',
  'kind',
  'status',
  'retryAfterSeconds',
  'delayMs',
  'count',
  'armCode',
]);

const isNonNegativeNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Validates a fault request body; returns the problems, or the spec when it is valid. */
export function parseFaultSpec(body: unknown): { spec: FaultSpec } | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: ['The body must be a JSON object.'] };
  }
  const record = body as Record<string, unknown>;
  const problems = Object.keys(record)
    .filter((key) => !KNOWN_FIELDS.has(key))
    .map((key) => `Unknown field '${key}'.`);
  if (typeof record.path !== 'string' || record.path.length === 0) {
    problems.push("'path' must be a non-empty string (a substring or /regex/).");
  } else if (toMatcher(record.path) === undefined) {
    problems.push(`'path' ${record.path} is not a valid regular expression.`);
  }
  if (!KINDS.includes(record.kind as FaultKind)) problems.push(`'kind' must be one of ${KINDS.join(', ')}.`);
  if (record.method !== undefined && (typeof record.method !== 'string' || record.method.length === 0)) {
    problems.push("'method' must be an HTTP method.");
  }
  if (
    record.status !== undefined &&
    !(Number.isInteger(record.status) && (record.status as number) >= 400 && (record.status as number) <= 599)
  ) {
    problems.push("'status' must be an HTTP error status (400-599).");
  }
  if (record.kind === 'status' && record.status === undefined) problems.push("kind 'status' needs 'status'.");
  for (const field of ['retryAfterSeconds', 'delayMs'] as const) {
    if (record[field] !== undefined && !isNonNegativeNumber(record[field])) {
      problems.push(`'${field}' must be a non-negative number.`);
    }
  }
  if (record.count !== undefined && !(Number.isInteger(record.count) && (record.count as number) >= 1)) {
    problems.push("'count' must be a positive integer.");
  }
  if (record.armCode !== undefined && typeof record.armCode !== 'string')
    problems.push("'armCode' must be a string.");
  if (problems.length > 0) return { problems };
  return { spec: record as unknown as FaultSpec };
}

const REGEX_LITERAL = /^\/(.+)\/([dgimsuy]*)$/;
const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

/**
 * `/re/flags` is a regular expression when `re` uses regex syntax (`\/jobs\/[^/]+$/` is one);
 * anything else is a substring, so plain paths such as `/workspaces/ws` never turn into regexes.
 * Undefined for an invalid regex.
 */
function toMatcher(path: string): ((target: string) => boolean) | undefined {
  const literal = REGEX_LITERAL.exec(path);
  if (!literal || !REGEX_SYNTAX.test(literal[1] as string)) return (target) => target.includes(path);
  try {
    const compiled = new RegExp(literal[1] as string, literal[2]);
    return (target) => compiled.test(target);
  } catch {
    return undefined;
  }
}

export class FaultRegistry {
  private faults: Fault[] = [];
  private readonly matchers = new Map<string, (target: string) => boolean>();
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const count = spec.count ?? 1;
    const fault: Fault = {
      id: `fault-${this.nextId++}`,
      path: spec.path,
      kind: spec.kind,
      count,
      remaining: count,
      hits: 0,
    };
    if (spec.method !== undefined) fault.method = spec.method.toUpperCase();
    if (spec.status !== undefined) fault.status = spec.status;
    if (spec.retryAfterSeconds !== undefined) fault.retryAfterSeconds = spec.retryAfterSeconds;
    if (spec.delayMs !== undefined) fault.delayMs = spec.delayMs;
    if (spec.armCode !== undefined) fault.armCode = spec.armCode;
    const matcher = toMatcher(spec.path);
    if (!matcher) throw new Error(`Invalid fault path ${spec.path}`);
    this.matchers.set(fault.id, matcher);
    this.faults.push(fault);
    return { ...fault };
  }

  /**
   * The first armed fault for this request, consumed (remaining-1, hits+1); undefined when none.
   * Its path pattern is tried on the path alone (so `$` anchors at the path's end) and on path?query.
   */
  take(method: string, path: string, query = ''): Fault | undefined {
    const upper = method.toUpperCase();
    const targets = query ? [path, `${path}?${query}`] : [path];
    const fault = this.faults.find((candidate) => {
      if (candidate.remaining <= 0 || (candidate.method !== undefined && candidate.method !== upper))
        return false;
      const matches = this.matchers.get(candidate.id);
      return matches !== undefined && targets.some((target) => matches(target));
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): number {
    const removed = this.faults.length;
    this.faults = [];
    this.matchers.clear();
    return removed;
  }
}

const DEFAULT_CODES: Record<number, [string, string]> = {
  429: [
    'TooManyRequests',
    'The request is being throttled as the limit has been reached for operation type. Please try again after the time given in the Retry-After header.',
  ],
  500: ['InternalServerError', 'Encountered internal server error. Diagnostic information: injected fault.'],
  502: ['BadGateway', 'The gateway did not receive a response from the resource provider (injected fault).'],
  503: [
    'ServiceUnavailable',
    'The service is temporarily unavailable (injected fault). Please try again later.',
  ],
  504: [
    'GatewayTimeout',
    'The gateway did not receive a response within the specified time period (injected fault).',
  ],
};

/** ARM code and message of an injected status fault. */
export function faultError(fault: Fault): { code: string; message: string } {
  const status = fault.status ?? 500;
  const [defaultCode, message] = DEFAULT_CODES[status] ?? [
    'InjectedFault',
    `Injected fault with status ${status}.`,
  ];
  return { code: fault.armCode ?? defaultCode, message };
}
