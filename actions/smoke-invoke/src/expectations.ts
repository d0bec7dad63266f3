// Checks one response against a case's expectations. Pure: the response is already normalised
// (double-encoded JSON unwrapped, `{"error": …}` bodies flagged) by the core invoke library.
import type { InvokeResponse } from '@aml-actions/core';
import type { Expectations, Matcher } from './cases';
import { valueAt } from './json-path';

export interface CheckResult {
  passed: boolean;
  /** One line per unmet expectation. */
  problems: string[];
}

export function checkResponse(expect: Expectations, response: InvokeResponse): CheckResult {
  const problems: string[] = [];
  if (!expect.status.includes(response.status)) {
    problems.push(
      `status ${response.status}, expected ${expect.status.join(' or ')}${response.problem ? ` (${response.problem})` : ''}`,
    );
  } else if (response.status >= 200 && response.status < 300 && !response.ok) {
    // A 2xx the server filled with an error payload is a failure whatever the status says.
    problems.push(response.problem ?? 'the body is an error payload');
  }
  if (expect.contentType) {
    const actual = response.headers['content-type'] ?? '';
    if (!actual.toLowerCase().startsWith(expect.contentType.toLowerCase()))
      problems.push(`content-type '${actual || 'none'}', expected ${expect.contentType}`);
  }
  if ((expect.json.length > 0 || expect.schema) && response.json === undefined) {
    problems.push(`the body is not JSON: ${preview(response.text)}`);
    return { passed: false, problems };
  }
  for (const check of expect.json) {
    const found = valueAt(response.json, check.parts);
    if (!found.found) {
      problems.push(`${check.path}: ${found.missing}`);
      continue;
    }
    const problem = matchProblem(check.matcher, found.value);
    if (problem) problems.push(`${check.path} ${problem}`);
  }
  if (expect.schema && !expect.schema.validate(response.json)) {
    const errors = (expect.schema.validate.errors ?? [])
      .slice(0, 3)
      .map((error) => `${error.instancePath || '$'} ${error.message ?? 'is invalid'}`);
    problems.push(`does not match the schema (${expect.schema.from}): ${errors.join('; ')}`);
  }
  return { passed: problems.length === 0, problems };
}

/** Why `value` fails the matcher, or undefined when it passes. */
export function matchProblem(matcher: Matcher, value: unknown): string | undefined {
  switch (matcher.kind) {
    case 'equals':
      return deepEqual(value, matcher.value)
        ? undefined
        : `is ${show(value)}, expected ${show(matcher.value)}`;
    case 'approx':
      if (typeof value !== 'number') return `is ${show(value)}, expected a number near ${matcher.value}`;
      return Math.abs(value - matcher.value) <= matcher.tolerance
        ? undefined
        : `is ${value}, expected ${matcher.value} ± ${matcher.tolerance}`;
    case 'regex':
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return `is ${show(value)}, expected text matching /${matcher.pattern.source}/`;
      return matcher.pattern.test(String(value))
        ? undefined
        : `is ${show(value)}, which does not match /${matcher.pattern.source}/`;
    case 'one-of':
      return matcher.values.some((candidate) => deepEqual(value, candidate))
        ? undefined
        : `is ${show(value)}, expected one of ${matcher.values.map(show).join(', ')}`;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => deepEqual(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]))
  );
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat || '(empty)';
}
