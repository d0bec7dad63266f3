// Naming rules of Azure ML and ARM, as pure checks. Each check returns why a value is invalid
// (phrased to follow "… is not a valid <what>: "), or undefined when it is fine.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Describes a character for a message: `' ' (a space)` reads better than `' '`. */
export function describeCharacter(char: string): string {
  if (char === ' ') return "' ' (a space)";
  if (char === '\t') return 'a tab';
  if (char === '\n' || char === '\r') return 'a line break';
  return `'${char}'`;
}

function firstInvalidCharacter(value: string, allowed: RegExp): string | undefined {
  for (const char of value) {
    if (!allowed.test(char)) return char;
  }
  return undefined;
}

interface NameRule {
  allowed: RegExp;
  allowedText: string;
  maxLength: number;
  minLength?: number;
}

function checkName(value: string, rule: NameRule): string | undefined {
  if (value.length === 0) return 'it is empty';
  const bad = firstInvalidCharacter(value, rule.allowed);
  if (bad !== undefined) return `it contains ${describeCharacter(bad)}; only ${rule.allowedText} are allowed`;
  if (!/^[A-Za-z0-9]/.test(value)) return 'it must start with a letter or a digit';
  if (value.length > rule.maxLength)
    return `it is ${value.length} characters long; the limit is ${rule.maxLength}`;
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    return `it is ${value.length} characters long; the minimum is ${rule.minLength}`;
  }
  return undefined;
}

const NAME_RULE: NameRule = {
  allowed: /[A-Za-z0-9._-]/,
  allowedText: "letters, digits, '-', '_' and '.'",
  maxLength: 255,
};

/** Asset, job, compute, datastore, endpoint and registry names: letters, digits, `-`, `_`, `.`; max 255. */
export function checkResourceName(value: string): string | undefined {
  return checkName(value, NAME_RULE);
}

/** Asset versions and labels share the name alphabet. `latest` is a label, never a version. */
export function checkVersion(value: string): string | undefined {
  const problem = checkName(value, NAME_RULE);
  if (problem) return problem;
  if (value.toLowerCase() === 'latest') return "'latest' is a label, not a version";
  return undefined;
}

export function checkLabel(value: string): string | undefined {
  return checkName(value, NAME_RULE);
}

/** Workspace names: 3–33 letters, digits, `-` and `_`, starting with a letter or digit. */
export function checkWorkspaceName(value: string): string | undefined {
  return checkName(value, {
    allowed: /[A-Za-z0-9_-]/,
    allowedText: "letters, digits, '-' and '_'",
    maxLength: 33,
    minLength: 3,
  });
}

/** Resource group names (ARM rule): up to 90 letters, digits, `_ - . ( )`, not ending with a period. */
export function checkResourceGroupName(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  const bad = firstInvalidCharacter(value, /[\p{L}\p{N}_.()-]/u);
  if (bad !== undefined) {
    return `it contains ${describeCharacter(bad)}; only letters, digits, '_', '-', '.', '(' and ')' are allowed`;
  }
  if (value.length > 90) return `it is ${value.length} characters long; the limit is 90`;
  if (value.endsWith('.')) return 'it must not end with a period';
  return undefined;
}

/** Subscription ids are GUIDs, e.g. 00000000-1111-2222-3333-444444444444. */
export function checkSubscriptionId(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (!GUID.test(value)) return 'it is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)';
  return undefined;
}

/**
 * Subscription segment inside an ARM id. Looser than checkSubscriptionId on purpose: ids that the
 * service or its sanitised recordings hand back (e.g. `00000000-0000-0000-0000-000000000`) must parse.
 */
export function checkSubscriptionSegment(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  const bad = firstInvalidCharacter(value, /[A-Za-z0-9_-]/);
  if (bad !== undefined) return `it contains ${describeCharacter(bad)}; a subscription id is a GUID`;
  return undefined;
}
