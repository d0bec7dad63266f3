// gitignore pattern rules, as Azure ML applies them to a code snapshot: the `.amlignore` at the
// folder's root, or its `.gitignore` when there is no `.amlignore` (only the root file is read).
// Pure: the caller reads the file and walks the tree.

export const IGNORE_FILE_NAMES = ['.amlignore', '.gitignore'] as const;

export interface IgnoreRule {
  /** The line as written (trimmed of its line ending). */
  source: string;
  /** 1-based line in the ignore file. */
  line: number;
  /** `!pattern`: re-includes what an earlier rule excluded. */
  negated: boolean;
  /** `pattern/`: matches directories only. */
  directoryOnly: boolean;
  /** Matches a whole relative posix path. */
  regex: RegExp;
}

/** Parses an ignore file's text into rules, in order (later rules win). */
export function parseIgnoreRules(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const rule = parseLine(raw, index + 1);
    if (rule) rules.push(rule);
  });
  return rules;
}

function parseLine(raw: string, line: number): IgnoreRule | undefined {
  let pattern = trimTrailingSpaces(raw);
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  let negated = false;
  if (pattern.startsWith('!')) {
    negated = true;
    pattern = pattern.slice(1);
  }
  let directoryOnly = false;
  // A trailing slash (not an escaped one) restricts the rule to directories.
  while (pattern.endsWith('/') && !pattern.endsWith('\\/')) {
    directoryOnly = true;
    pattern = pattern.slice(0, -1);
  }
  if (pattern === '') return undefined;
  // A slash at the start or in the middle anchors the pattern at the root.
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  if (pattern === '') return undefined;
  const body = translatePath(pattern);
  const regex = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`);
  return { source: raw, line, negated, directoryOnly, regex };
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function trimTrailingSpaces(raw: string): string {
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === ' ' || raw[end - 1] === '\t')) {
    let backslashes = 0;
    for (let i = end - 2; i >= 0 && raw[i] === '\\'; i--) backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return raw.slice(0, end);
}

function translatePath(pattern: string): string {
  const segments = pattern.split('/');
  let out = '';
  segments.forEach((segment, i) => {
    const first = i === 0;
    const last = i === segments.length - 1;
    if (segment === '**') {
      // Leading `**/`: in any directory; trailing `/**`: everything inside; `/**/`: zero or more directories.
      if (last) out += first ? '.*' : '/.+';
      else out += first ? '(?:.*/)?' : '(?:/.*)?/';
      return;
    }
    if (!first && segments[i - 1] !== '**') out += '/';
    out += translateSegment(segment);
  });
  return out;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const escapeRegex = (text: string) => text.replace(REGEX_SPECIAL, '\\$&');

/** One path segment: `*`, `?`, `[...]` and backslash escapes; never matches `/`. */
function translateSegment(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? '';
    if (char === '\\' && i + 1 < segment.length) {
      out += escapeRegex(segment[++i] ?? '');
    } else if (char === '*') {
      while (segment[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const bracket = readBracket(segment, i);
      if (bracket) {
        out += bracket.regex;
        i = bracket.end;
      } else {
        out += '\\[';
      }
    } else {
      out += escapeRegex(char);
    }
  }
  return out;
}

/** `[abc]`, `[a-z]`, `[!abc]` / `[^abc]`; undefined when there is no closing `]`. */
function readBracket(segment: string, start: number): { regex: string; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (segment[i] === '!' || segment[i] === '^') {
    negated = true;
    i++;
  }
  let body = '';
  let firstChar = true;
  for (; i < segment.length; i++) {
    const char = segment[i] ?? '';
    if (char === ']' && !firstChar) {
      return { regex: negated ? `[^/${body}]` : `[${body}]`, end: i };
    }
    firstChar = false;
    if (char === '\\' && i + 1 < segment.length) {
      body += `\\${segment[++i]}`;
    } else if (char === '-' && body !== '' && segment[i + 1] !== ']') {
      body += '-';
    } else {
      body += char.replace(/[\\\]^[-]/g, '\\$&');
    }
  }
  return undefined;
}

/** The verdict of the last rule matching `path` alone (ancestors not considered). */
function lastVerdict(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean | undefined {
  let verdict: boolean | undefined;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.regex.test(path)) verdict = !rule.negated;
  }
  return verdict;
}

export class IgnoreMatcher {
  readonly rules: readonly IgnoreRule[];

  constructor(rules: readonly IgnoreRule[] | string) {
    this.rules = typeof rules === 'string' ? parseIgnoreRules(rules) : rules;
  }

  /**
   * Whether `relativePath` (posix, relative to the snapshot root) is left out. As in git, a file
   * inside an excluded directory stays excluded whatever later rules say.
   */
  isIgnored(relativePath: string, isDirectory: boolean): boolean {
    const parts = relativePath.split('/').filter((part) => part !== '');
    for (let depth = 1; depth < parts.length; depth++) {
      if (lastVerdict(this.rules, parts.slice(0, depth).join('/'), true) === true) return true;
    }
    return lastVerdict(this.rules, parts.join('/'), isDirectory) === true;
  }

  /** Only the entry itself, for walkers that already skip excluded directories. */
  isEntryIgnored(relativePath: string, isDirectory: boolean): boolean {
    return lastVerdict(this.rules, relativePath, isDirectory) === true;
  }
}
