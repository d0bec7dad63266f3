// The deterministic name and version azure-ai-ml (the CLI v2's engine) gives anonymous assets, so
// the same inline environment or component maps to the same version instead of a new one per run.
// - Environment (`Environment._generate_anonymous_name_version`): name `CliV2AnonymousEnvironment`,
//   version = md5 of a string built with Python's `str.join` (kept as written there: the separator
//   is the hash so far and the iterable is the next md5's characters).
// - Component (`Component._get_anonymous_hash` → `hash_dict`): name `azureml_anonymous`, version =
//   md5 of `json.dumps(spec without name/id/version, sort_keys=True)`, formatted as a UUID.
// Pure functions.

import { createHash } from 'node:crypto';

export const ANONYMOUS_ENVIRONMENT_NAME = 'CliV2AnonymousEnvironment';
export const ANONYMOUS_COMPONENT_NAME = 'azureml_anonymous';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Python's `separator.join(text)`: the characters of `text` with `separator` between them. */
export function pythonJoin(separator: string, text: string): string {
  return [...text].join(separator);
}

export interface AnonymousEnvironmentInput {
  image?: string;
  /** The conda file's text, exactly as sent as `condaFile`. */
  condaFile?: string;
  /** Inference config object (dumped as YAML by the SDK; hashed here as sorted JSON). */
  inferenceConfig?: Record<string, unknown>;
  /** For `build`: the content hash of the uploaded build context, and the Dockerfile path. */
  build?: { contextHash: string; dockerfilePath?: string };
}

/** The version azure-ai-ml computes for an inline environment (`image` or `build` source). */
export function anonymousEnvironmentVersionOf(input: AnonymousEnvironmentInput): string {
  let hashText = '';
  if (input.build) {
    hashText = pythonJoin(hashText, md5Hex(input.build.contextHash));
    if (input.build.dockerfilePath) hashText = pythonJoin(hashText, md5Hex(input.build.dockerfilePath));
  } else if (input.image !== undefined) {
    hashText = pythonJoin(hashText, md5Hex(input.image));
    if (input.inferenceConfig)
      hashText = pythonJoin(hashText, md5Hex(pythonJsonDumps(input.inferenceConfig)));
    if (input.condaFile) hashText = pythonJoin(hashText, md5Hex(input.condaFile));
  }
  return md5Hex(hashText);
}

/** The version azure-ai-ml computes for an anonymous component from its spec (YAML form). */
export function anonymousComponentVersionOf(componentSpec: Record<string, unknown>): string {
  const { name: _name, id: _id, version: _version, ...rest } = componentSpec;
  return uuidFromHex(md5Hex(pythonJsonDumps(rest)));
}

/** `str(UUID(hex))`: 8-4-4-4-12 lower-case groups. */
export function uuidFromHex(hex: string): string {
  const h = hex.toLowerCase().slice(0, 32).padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Python's `json.dumps(value, sort_keys=True)`: `", "` and `": "` separators, ASCII-only output
 * (`\uXXXX` escapes), keys sorted by code point, floats as Python's repr. A number that is an
 * integer in JavaScript prints as a Python int (YAML `1.0` becomes `1` once parsed here).
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  return pythonString(String(value));
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function pythonString(text: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters as Python does; Python
  // also escapes every non-ASCII UTF-16 unit (ensure_ascii).
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
  // Python's float repr: shortest digits, fixed notation when -4 <= exponent < 16.
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) out = `0.${'0'.repeat(-exponent - 1)}${digits}`;
    else if (digits.length > exponent + 1)
      out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
    else out = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  } else {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const sign = exponent < 0 ? '-' : '+';
    out = `${head}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return negative ? `-${out}` : out;
}
