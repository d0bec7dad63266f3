import { describe, expect, it } from 'vitest';
import { firstDifference } from '../../src/arm/json-diff';
import { checkComputeName, checkResourceName, checkVersion } from '../../src/arm/names';
import { decodeSkipToken, encodeSkipToken } from '../../src/arm/paging';
import { enumOf, int, object, optional, required, str, variant } from '../../src/arm/schema/dsl';
import { validate } from '../../src/arm/schema/validate';
import { actorOf } from '../../src/arm/system-data';
import { armTimestamp, stableUuid } from '../../src/arm/workspace-identity';

describe('names and versions', () => {
  it.each([
    ['models', '1', true],
    ['models', '12', true],
    ['models', '0', false],
    ['models', '01', false],
    ['models', '1.0', false],
    ['environments', '0.0.1-preview', true],
    ['environments', '2024_01', true],
    ['environments', '.hidden', false],
    ['codes', 'a b', false],
    ['data', '1'.repeat(30), true],
    ['data', '1'.repeat(31), false],
    ['components', '1'.repeat(200), true],
  ])('%s version %s valid: %s', (kind, version, valid) => {
    expect(checkVersion(kind, version) === undefined).toBe(valid);
  });

  it.each([
    ['cpu-cluster', true],
    ['testCompute', true],
    ['ab', false],
    ['1cluster', false],
    ['cluster-1', false],
    ['cluster-1a', true],
    ['a'.repeat(24), true],
    ['a'.repeat(25), false],
    ['my_cluster', false],
  ])('compute name %s valid: %s', (name, valid) => {
    expect(checkComputeName(name) === undefined).toBe(valid);
  });

  it.each([
    ['train-src', true],
    ['A_1', true],
    ['0000', true],
    ['-lead', false],
    ['with.dot', false],
    ['a'.repeat(255), true],
    ['a'.repeat(256), false],
  ])('resource name %s valid: %s', (name, valid) => {
    expect(checkResourceName(name, 'Asset') === undefined).toBe(valid);
  });
});

describe('validate', () => {
  const schema = object(
    'Thing',
    { size: optional(int({ minimum: 1 })), label: required(str({ pattern: '[a-zA-Z0-9_]' })) },
    {
      readOnly: ['state'],
      discriminator: {
        property: 'kind',
        variants: {
          Fixed: variant('FixedThing', {
            color: optional(enumOf('red', { value: 'blue', since: '2025-12-01' })),
          }),
          Open: variant('OpenThing', {}, { open: true }),
          New: variant('NewThing', {}, { since: '2025-12-01' }),
        },
      },
    },
  );

  it('drops read-only properties and nulls, keeps the rest', () => {
    const result = validate(
      schema,
      { kind: 'Fixed', label: 'x', state: 'on', size: null },
      'p',
      '2022-10-01',
    );
    expect(result.violations).toEqual([]);
    expect(result.value).toEqual({ kind: 'Fixed', label: 'x' });
  });

  it('passes unknown properties of open variants through unchecked', () => {
    const result = validate(schema, { kind: 'Open', label: 'x', extra: { deep: 1 } }, 'p', '2022-10-01');
    expect(result.violations).toEqual([]);
    expect(result.value).toEqual({ kind: 'Open', label: 'x', extra: { deep: 1 } });
  });

  it('applies unanchored spec patterns as the spec does: at least one word character', () => {
    expect(validate(schema, { kind: 'Fixed', label: '--x--' }, 'p', '2022-10-01').violations).toEqual([]);
    expect(validate(schema, { kind: 'Fixed', label: '---' }, 'p', '2022-10-01').violations[0]?.path).toBe(
      'p.label',
    );
  });

  it('gates enum values and variants by api-version', () => {
    const blue = { kind: 'Fixed', label: 'x', color: 'blue' };
    expect(validate(schema, blue, 'p', '2022-10-01').violations[0]?.message).toMatch(
      /available from api-version 2025-12-01/,
    );
    expect(validate(schema, blue, 'p', '2025-12-01').violations).toEqual([]);
    expect(validate(schema, { kind: 'New', label: 'x' }, 'p', '2022-10-01').violations[0]?.path).toBe(
      'p.kind',
    );
    expect(validate(schema, { kind: 'New', label: 'x' }, 'p', '2026-05-01').violations).toEqual([]);
  });

  it('checks integer minimums and reports paths of nested problems', () => {
    const result = validate(schema, { kind: 'Fixed', size: 0 }, 'p', '2022-10-01');
    expect(result.violations.map((v) => v.path).sort()).toEqual(['p.label', 'p.size']);
  });
});

describe('small helpers', () => {
  it('finds the first structural difference', () => {
    expect(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toBeUndefined();
    expect(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })).toBe('b[1]');
    expect(firstDifference({ a: { x: 1 } }, { a: { y: 1 } })).toBe('a.x');
    expect(firstDifference({ a: null }, {})).toBe('a');
  });

  it('round-trips skip tokens and rejects foreign ones', () => {
    expect(decodeSkipToken(encodeSkipToken(40))).toBe(40);
    expect(decodeSkipToken('bm9wZQ')).toBeUndefined();
  });

  it('formats ARM timestamps with seven fractional digits', () => {
    expect(armTimestamp(new Date('2022-09-07T21:24:05.596Z'))).toBe('2022-09-07T21:24:05.5960000+00:00');
  });

  it('derives stable, version-5-shaped UUIDs', () => {
    expect(stableUuid('a', 'b')).toBe(stableUuid('A', 'B'));
    expect(stableUuid('a', 'b')).not.toBe(stableUuid('a', 'c'));
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    [
      { oid: 'o1', appid: 'a1', idtyp: 'app' },
      { name: 'o1', type: 'Application' },
    ],
    [{ appid: 'a1' }, { name: 'a1', type: 'Application' }],
    [
      { oid: 'o2', name: 'Dana Scully', upn: 'dana@contoso.com' },
      { name: 'Dana Scully', type: 'User' },
    ],
    [{ upn: 'fox@contoso.com' }, { name: 'fox@contoso.com', type: 'User' }],
    [undefined, { name: 'aml-emulator', type: 'Application' }],
  ])('names the actor of claims %j', (principal, actor) => {
    expect(actorOf({ principal })).toEqual(actor);
  });
});
