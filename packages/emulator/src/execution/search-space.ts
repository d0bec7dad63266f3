// Sweep search spaces in the REST (hyperdrive) form, e.g. `{"lr": ["uniform", [0.01, 0.1]],
// "epochs": ["choice", [[5, 10]]]}`, and the samplers that draw trials from them. Pure.

export class SearchSpaceError extends Error {
  override readonly name = 'SearchSpaceError';
}

export type SampledValue = string | number | boolean;

export interface Distribution {
  type: string;
  /** choice: the values; others: the numeric arguments. */
  args: SampledValue[];
}

const NUMERIC_ARITY: Record<string, number> = {
  uniform: 2,
  loguniform: 2,
  normal: 2,
  lognormal: 2,
  quniform: 3,
  qloguniform: 3,
  qnormal: 3,
  qlognormal: 3,
  randint: 1,
};

function parseDistribution(name: string, value: unknown): Distribution {
  if (!Array.isArray(value) || typeof value[0] !== 'string') {
    throw new SearchSpaceError(
      `search_space.${name} is not a distribution: expected e.g. ["uniform", [0.01, 0.1]] or ["choice", [[1, 2]]].`,
    );
  }
  const type = value[0].toLowerCase();
  const raw = value[1];
  if (type === 'choice') {
    // The service nests the values once more: ["choice", [[1, 2, 3]]].
    const values = Array.isArray(raw) && raw.length === 1 && Array.isArray(raw[0]) ? raw[0] : raw;
    if (!Array.isArray(values) || values.length === 0) {
      throw new SearchSpaceError(`search_space.${name}: choice needs at least one value.`);
    }
    return { type, args: values as SampledValue[] };
  }
  const arity = NUMERIC_ARITY[type];
  if (arity === undefined) {
    throw new SearchSpaceError(
      `search_space.${name}: unknown distribution '${value[0]}' (known: choice, ${Object.keys(NUMERIC_ARITY).join(', ')}).`,
    );
  }
  if (!Array.isArray(raw) || raw.length !== arity || raw.some((arg) => typeof arg !== 'number')) {
    throw new SearchSpaceError(
      `search_space.${name}: ${type} takes ${arity} numbers, got ${JSON.stringify(raw)}.`,
    );
  }
  return { type, args: raw as number[] };
}

export function parseSearchSpace(searchSpace: unknown): Map<string, Distribution> {
  if (typeof searchSpace !== 'object' || searchSpace === null || Array.isArray(searchSpace)) {
    throw new SearchSpaceError('searchSpace must be an object of parameter → distribution.');
  }
  const result = new Map<string, Distribution>();
  for (const [name, value] of Object.entries(searchSpace)) result.set(name, parseDistribution(name, value));
  if (result.size === 0) throw new SearchSpaceError('searchSpace has no parameters.');
  return result;
}

/** mulberry32: a small seeded PRNG, so a seeded random sweep draws the same trials every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number, mu: number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const quantize = (value: number, q: number) => Math.round(value / q) * q;

export function sampleDistribution(distribution: Distribution, random: () => number): SampledValue {
  const [a = 0, b = 0, q = 1] = distribution.args as number[];
  const uniform = () => a + (b - a) * random();
  switch (distribution.type) {
    case 'choice':
      return distribution.args[Math.floor(random() * distribution.args.length)] as SampledValue;
    case 'uniform':
      return uniform();
    case 'loguniform':
      return Math.exp(uniform());
    case 'normal':
      return gaussian(random, a, b);
    case 'lognormal':
      return Math.exp(gaussian(random, a, b));
    case 'quniform':
      return quantize(uniform(), q);
    case 'qloguniform':
      return quantize(Math.exp(uniform()), q);
    case 'qnormal':
      return quantize(gaussian(random, a, b), q);
    case 'qlognormal':
      return quantize(Math.exp(gaussian(random, a, b)), q);
    case 'randint':
      return Math.floor(random() * a);
    default:
      throw new SearchSpaceError(`Unknown distribution '${distribution.type}'.`);
  }
}

export type Sampler = () => Record<string, SampledValue> | undefined;

/** Random (and Bayesian, treated as random here) sampling; undefined seed → Math.random. */
export function randomSampler(space: Map<string, Distribution>, seed?: number): Sampler {
  const random = seed === undefined ? Math.random : seededRandom(seed);
  return () => Object.fromEntries([...space].map(([name, d]) => [name, sampleDistribution(d, random)]));
}

/** Grid sampling: every combination of the choices, in order; then undefined. Choice only, as the service requires. */
export function gridSampler(space: Map<string, Distribution>): { sampler: Sampler; size: number } {
  for (const [name, distribution] of space) {
    if (distribution.type !== 'choice') {
      throw new SearchSpaceError(
        `Grid sampling supports choice only, but search_space.${name} is ${distribution.type}.`,
      );
    }
  }
  const entries = [...space];
  const size = entries.reduce((product, [, d]) => product * d.args.length, 1);
  let index = 0;
  const sampler: Sampler = () => {
    if (index >= size) return undefined;
    let rest = index++;
    const combination: Record<string, SampledValue> = {};
    for (let i = entries.length - 1; i >= 0; i--) {
      const [name, distribution] = entries[i] as [string, Distribution];
      combination[name] = distribution.args[rest % distribution.args.length] as SampledValue;
      rest = Math.floor(rest / distribution.args.length);
    }
    return Object.fromEntries(entries.map(([name]) => [name, combination[name] as SampledValue]));
  };
  return { sampler, size };
}

/** How a sampled value is written into a command line and logged as a param. */
export const formatSampledValue = (value: SampledValue): string => String(value);
