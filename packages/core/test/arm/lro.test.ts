import { describe, expect, it } from 'vitest';
import { classifyState, parseRetryAfter, retryAfterInMs } from '../../src/arm/lro';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['5', 5000],
    ['0', 0],
    [' 1.5 ', 1500],
    ['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('retryAfterInMs', () => {
  it('prefers the millisecond headers', () => {
    expect(retryAfterInMs({ 'retry-after-ms': '250', 'retry-after': '10' }, NOW)).toBe(250);
    expect(retryAfterInMs({ 'x-ms-retry-after-ms': '40' }, NOW)).toBe(40);
    expect(retryAfterInMs({ 'retry-after': '2' }, NOW)).toBe(2000);
    expect(retryAfterInMs({ 'retry-after-ms': 'x', 'retry-after': '2' }, NOW)).toBe(2000);
    expect(retryAfterInMs({}, NOW)).toBeUndefined();
  });
});

describe('classifyState', () => {
  it.each([
    ['Succeeded', 'succeeded'],
    ['succeeded', 'succeeded'],
    ['Failed', 'failed'],
    ['Canceled', 'failed'],
    ['Cancelled', 'failed'],
    ['InProgress', 'running'],
    ['Updating', 'running'],
    ['Creating', 'running'],
    ['Deleting', 'running'],
  ])('%s is %s', (status, state) => {
    expect(classifyState(status).state).toBe(state);
  });
});
