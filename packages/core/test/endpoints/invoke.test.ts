import { describe, expect, it } from 'vitest';
import { isErrorPayload, normalizeJson, percentile, toResponse } from '../../src/endpoints/invoke';

describe('normalizeJson', () => {
  it.each([
    ['{"predictions": [1]}', { predictions: [1] }],
    // What `az ml online-endpoint invoke` prints: JSON in a JSON string, sometimes twice.
    ['"{\\"predictions\\": [1]}"', { predictions: [1] }],
    [JSON.stringify(JSON.stringify(JSON.stringify({ a: 1 }))), { a: 1 }],
    ['"plain text"', 'plain text'],
    ['[1, 2]', [1, 2]],
  ])('%s → %j', (text, value) => {
    expect(normalizeJson(text)).toEqual(value);
  });

  it('is undefined for a body that is not JSON', () => {
    expect(normalizeJson('Healthy')).toBeUndefined();
    expect(normalizeJson('')).toBeUndefined();
  });
});

describe('isErrorPayload', () => {
  it.each([
    [{ error: 'bad input' }, true],
    [{ error: { code: 'x', message: 'y' } }, true],
    [{ errors: ['a'], message: 'm' }, true],
    [{ message: 'only a message' }, false],
    [{ predictions: [1], error: null }, false],
    [[{ error: 'x' }], false],
    ['error', false],
  ])('%j → %s', (value, expected) => {
    expect(isErrorPayload(value)).toBe(expected);
  });
});

describe('toResponse', () => {
  it('is ok for a 2xx result and names the deployment that served it', () => {
    const response = toResponse(200, { 'azureml-model-deployment': 'blue' }, '"{\\"p\\": 1}"', 12);
    expect(response).toMatchObject({ ok: true, servedBy: 'blue', json: { p: 1 }, latencyInMs: 12 });
  });

  it('fails a 200 whose body is an error payload, and any non-2xx', () => {
    expect(toResponse(200, {}, '{"error": "model not loaded"}', 5)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/error payload/),
    });
    expect(toResponse(500, {}, 'boom', 5)).toMatchObject({ ok: false, problem: 'HTTP 500: boom' });
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
