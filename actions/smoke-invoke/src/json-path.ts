// The small JSONPath subset cases use to point into a response: `$.predictions[0]`,
// `probabilities[1]`, `$["model version"]`, `$.items[-1]` (from the end). Pure.

export type PathPart = string | number;

/** Parses a path; throws an Error naming the position of the first thing it cannot read. */
export function parseJsonPath(text: string): PathPart[] {
  const parts: PathPart[] = [];
  let rest = text.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  else if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  while (rest !== '') {
    const dotted = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
    const indexed = /^\[(-?\d+)\]/.exec(rest);
    const quoted = /^\[(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\]/.exec(rest);
    if (dotted) {
      parts.push(dotted[1] as string);
      rest = rest.slice(dotted[0].length);
    } else if (indexed) {
      parts.push(Number(indexed[1]));
      rest = rest.slice(indexed[0].length);
    } else if (quoted) {
      parts.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'));
      rest = rest.slice(quoted[0].length);
    } else {
      throw new Error(
        `cannot read '${rest}' (at character ${text.length - rest.length + 1}); write $.name, [0] or ["a key"]`,
      );
    }
  }
  return parts;
}

export type Lookup = { found: true; value: unknown } | { found: false; missing: string };

/** The value at `parts`, or which part is missing. */
export function valueAt(root: unknown, parts: readonly PathPart[]): Lookup {
  let value = root;
  let walked = '$';
  for (const part of parts) {
    if (typeof part === 'number') {
      if (!Array.isArray(value)) return { found: false, missing: `${walked} is not a list` };
      const index = part < 0 ? value.length + part : part;
      if (index < 0 || index >= value.length)
        return { found: false, missing: `${walked} has ${value.length} items, no [${part}]` };
      value = value[index];
      walked += `[${part}]`;
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { found: false, missing: `${walked} is not an object` };
      if (!Object.hasOwn(value, part)) return { found: false, missing: `${walked} has no key '${part}'` };
      value = (value as Record<string, unknown>)[part];
      walked += /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `["${part}"]`;
    }
  }
  return { found: true, value };
}
