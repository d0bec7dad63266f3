// Protobuf JSON number forms, as MLflow clients send them: doubles may arrive as numbers, numeric
// strings or "NaN"/"Infinity"/"-Infinity"; int64 fields as numbers or digit strings. JSON itself
// cannot hold NaN, so non-finite doubles are spelled as those strings in responses and in state.

export type WireDouble = number | 'NaN' | 'Infinity' | '-Infinity';

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** The number a wire double stands for, or undefined when it is not one. */
export function parseDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const special = NON_FINITE[value.trim()];
  if (special !== undefined) return special;
  if (value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function encodeDouble(value: number): WireDouble {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

export function decodeDouble(value: WireDouble): number {
  return typeof value === 'number' ? value : (NON_FINITE[value] as number);
}

/** An int64 field (timestamps, steps, max_results), or undefined when it is not an integer. */
export function parseInt64(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}
