import { describe, expect, it } from 'vitest';
import { FaultRegistry, faultError, parseFaultSpec } from '../src/faults/fault-registry';
import { RequestLog } from '../src/faults/request-log';

describe('parseFaultSpec', () => {
  it('accepts a full spec', () => {
    const body = {
      method: 'get',
      path: '/jobs/',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
      count: 3,
      armCode: 'X',
    };
    expect(parseFaultSpec(body)).toEqual({ spec: body });
  });

  it.each([
    [null, /JSON object/],
    [{ kind: 'drop' }, /'path' must be a non-empty string/],
    [{ path: '/x', kind: 'explode' }, /'kind' must be one of status, drop, delay/],
    [{ path: '/x', kind: 'status' }, /kind 'status' needs 'status'/],
    [{ path: '/x', kind: 'status', status: 200 }, /HTTP error status/],
    [{ path: '/x', kind: 'delay', delayMs: -5 }, /'delayMs' must be a non-negative number/],
    [{ path: '/x', kind: 'drop', count: 0 }, /'count' must be a positive integer/],
    [{ path: '/x', kind: 'drop', count: 1.5 }, /'count' must be a positive integer/],
    [{ path: '/(unclosed)[/', kind: 'drop' }, /not a valid regular expression/],
    [{ path: '/x', kind: 'drop', extra: 1 }, /Unknown field 'extra'/],
  ])('rejects %j', (body, message) => {
    const parsed = parseFaultSpec(body);
    expect('problems' in parsed && parsed.problems.join(' ')).toMatch(message);
  });
});

describe('FaultRegistry', () => {
  it('applies a fault count times, then lets requests through, counting hits', () => {
    const faults = new FaultRegistry();
    const { id } = faults.add({ path: '/jobs', kind: 'status', status: 503, count: 2 });
    expect(faults.take('GET', '/subscriptions/s/jobs/a')?.id).toBe(id);
    expect(faults.take('GET', '/subscriptions/s/jobs/a')?.remaining).toBe(0);
    expect(faults.take('GET', '/subscriptions/s/jobs/a')).toBeUndefined();
    expect(faults.list()).toMatchObject([{ id, count: 2, remaining: 0, hits: 2 }]);
  });

  it('matches method case-insensitively, and only that method', () => {
    const faults = new FaultRegistry();
    faults.add({ method: 'put', path: '/x', kind: 'drop' });
    expect(faults.take('GET', '/x')).toBeUndefined();
    expect(faults.take('PUT', '/x')?.kind).toBe('drop');
  });

  it('treats /…/flags as a regular expression and anything else as a substring', () => {
    const faults = new FaultRegistry();
    faults.add({ path: '/\\/JOBS\\/[^/]+$/i', kind: 'drop' });
    faults.add({ path: 'api-version=2022', kind: 'delay', delayMs: 10 });
    expect(faults.take('GET', '/a/jobs/b/outputs')).toBeUndefined();
    expect(faults.take('GET', '/a/jobs/b')?.kind).toBe('drop');
    expect(faults.take('GET', '/a', 'api-version=2022-10-01')?.kind).toBe('delay');
  });

  it('uses the first armed fault in insertion order, and clear removes all', () => {
    const faults = new FaultRegistry();
    const first = faults.add({ path: '/a', kind: 'drop' });
    const second = faults.add({ path: '/a', kind: 'delay' });
    expect(faults.take('GET', '/a')?.id).toBe(first.id);
    expect(faults.take('GET', '/a')?.id).toBe(second.id);
    expect(faults.clear()).toBe(2);
    expect(faults.list()).toEqual([]);
  });
});

describe('faultError', () => {
  it.each([
    [429, undefined, 'TooManyRequests'],
    [500, undefined, 'InternalServerError'],
    [503, undefined, 'ServiceUnavailable'],
    [418, undefined, 'InjectedFault'],
    [503, 'Custom', 'Custom'],
  ])('status %i (armCode %s) → %s', (status, armCode, code) => {
    const faults = new FaultRegistry();
    const fault = faults.add({ path: '/', kind: 'status', status, ...(armCode ? { armCode } : {}) });
    expect(faultError(fault).code).toBe(code);
  });
});

describe('RequestLog', () => {
  it('keeps only the newest entries up to its capacity', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++) {
      log.record({ method: 'GET', path: `/${i}`, query: '', status: 200, time: '', durationMs: 0 });
    }
    expect(log.list().map((entry) => entry.path)).toEqual(['/2', '/3', '/4']);
  });
});

describe('fault paths', () => {
  it.each([
    ['/workspaces/throttled', '/x/workspaces/throttled?api-version=1', true],
    ['/workspaces/throttled', '/x/workspaces/other', false],
    ['/jobs/my', '/x/jobs/my', true],
    ['/jobs/my', '/x/jobs/other', false],
    ['/\\/jobs\\/[^/]+$/', '/x/jobs/a', true],
    ['/\\/jobs\\/[^/]+$/', '/x/jobs/a?api-version=1', true],
    ['/\\/jobs\\/[^/]+$/', '/x/jobs/a/cancel', false],
    ['/JOBS.*/i', '/x/jobs/a', true],
  ])('%s matching %s → %s', (pattern, target, expected) => {
    const faults = new FaultRegistry();
    faults.add({ path: pattern, kind: 'drop' });
    const [path, query] = target.split('?') as [string, string | undefined];
    expect(faults.take('GET', path, query) !== undefined).toBe(expected);
  });
});
