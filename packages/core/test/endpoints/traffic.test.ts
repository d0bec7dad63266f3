import { describe, expect, it } from 'vitest';
import {
  checkTraffic,
  formatTraffic,
  normalizeTraffic,
  parseCanarySteps,
  sameTraffic,
  shiftTraffic,
  topDeployment,
} from '../../src/endpoints/traffic';
import { ConfigurationError } from '../../src/errors';

describe('shiftTraffic', () => {
  it.each([
    [{ blue: 100 }, 'green', 10, { blue: 90, green: 10 }],
    [{ blue: 100 }, 'green', 100, { green: 100 }],
    [{ blue: 50, red: 50 }, 'green', 10, { blue: 45, green: 10, red: 45 }],
    // 91 shared 66:34 is 60.06 and 30.94: the point lost to rounding goes to the larger remainder.
    [{ blue: 66, red: 34 }, 'green', 9, { blue: 60, green: 9, red: 31 }],
    [{ blue: 90, green: 10 }, 'green', 50, { blue: 50, green: 50 }],
    [{ blue: 90, green: 10 }, 'green', 0, { blue: 100 }],
    // Nothing else serves: the new deployment takes everything, whatever the step says.
    [{}, 'green', 10, { green: 100 }],
  ])('%j with %s at %i% → %j', (before, name, percent, after) => {
    const result = shiftTraffic(before, name, percent);
    expect(result).toEqual(after);
    expect(Object.values(result).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it.each([-1, 101, 2.5])('refuses a share of %s', (percent) => {
    expect(() => shiftTraffic({ blue: 100 }, 'green', percent)).toThrow(RangeError);
  });
});

describe('parseCanarySteps', () => {
  it.each([
    ['10,50,100', [10, 50, 100]],
    ['10% 50% 100%', [10, 50, 100]],
    ['100', [100]],
    // Stops at 10% for a later promote.
    ['10', [10]],
  ])('%s → %j', (text, steps) => {
    expect(parseCanarySteps(text)).toEqual(steps);
  });

  it.each([
    ['', /no canary steps/],
    ['10,abc,100', /'abc' is not a percentage/],
    ['0,100', /'0' is not a percentage/],
    ['50,10,100', /must increase, but 10 follows 50/],
  ])('rejects %j', (text, message) => {
    const error = (() => {
      try {
        parseCanarySteps(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(message);
    expect((error as ConfigurationError).input).toBe('canary-steps');
  });
});

describe('checkTraffic', () => {
  it('accepts a map over known deployments summing to 100, or nothing serving', () => {
    expect(() => checkTraffic({ blue: 90, green: 10 }, ['blue', 'green'])).not.toThrow();
    expect(() => checkTraffic({ blue: 0 }, ['blue'])).not.toThrow();
  });

  it.each([
    [{ purple: 100 }, /does not have/],
    [{ blue: 50 }, /sums to 50/],
    [{ blue: 101 }, /not a whole percentage/],
  ])('rejects %j', (traffic, message) => {
    expect(() => checkTraffic(traffic, ['blue', 'green'])).toThrow(message);
  });
});

describe('traffic map helpers', () => {
  it('drops zero shares and sorts, so equal traffic compares equal', () => {
    expect(normalizeTraffic({ green: 0, blue: 100 })).toEqual({ blue: 100 });
    expect(sameTraffic({ blue: 100, green: 0 }, { blue: 100 })).toBe(true);
    expect(sameTraffic({ blue: 90, green: 10 }, { blue: 100 })).toBe(false);
  });

  it('formats and finds the top deployment', () => {
    expect(formatTraffic({ green: 10, blue: 90 })).toBe('blue=90 green=10');
    expect(formatTraffic({})).toBe('none');
    expect(topDeployment({ green: 10, blue: 90 })).toBe('blue');
    expect(topDeployment({ blue: 50, green: 50 })).toBe('blue');
    expect(topDeployment({})).toBeUndefined();
  });
});
