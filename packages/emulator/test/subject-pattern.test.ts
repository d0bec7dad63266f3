import { describe, expect, it } from 'vitest';
import { subjectMatches } from '../src/identity/subject-pattern';

describe('subjectMatches', () => {
  it.each([
    ['repo:o/r:ref:refs/heads/main', 'repo:o/r:ref:refs/heads/main', true],
    ['repo:o/r:ref:refs/heads/main', 'repo:o/r:ref:refs/heads/dev', false],
    ['repo:*', 'repo:octo-org/octo-repo:ref:refs/heads/main', true],
    ['repo:*', 'repo:', true],
    ['repo:*', 'pull_request:x', false],
    ['*', 'anything at all', true],
    ['*', '', true],
    ['repo:octo-org/*:environment:prod', 'repo:octo-org/app:environment:prod', true],
    ['repo:octo-org/*:environment:prod', 'repo:octo-org/app:environment:staging', false],
    ['repo:octo-org/*:environment:prod', 'repo:evil/octo-org/x:environment:prod', false],
    ['repo:*:ref:refs/heads/*', 'repo:a/b:ref:refs/heads/feature/x', true],
    ['repo:*:ref:refs/heads/*', 'repo:a/b:ref:refs/tags/v1', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'ac', false],
    ['a*bb*b', 'abbb', true],
    ['a*bb*b', 'abb', false],
    ['repo:Octo-Org/*', 'repo:octo-org/r', false],
    ['ab*ba', 'aba', false],
    ['exact.with[regex]chars?', 'exact.with[regex]chars?', true],
    ['exact.with[regex]chars?', 'exactXwith[regex]chars', false],
  ])('%s vs %s → %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});
