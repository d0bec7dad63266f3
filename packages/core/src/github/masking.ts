// The runner masks only the exact strings it is told about, one log line at a time. A secret also
// leaks in the forms tools print it in (base64, URL- or JSON-escaped, the signature of a SAS URL),
// so those forms are registered too.

import * as core from '@actions/core';

/** Forms shorter than this would mask ordinary text all over the log. */
const MIN_FORM_LENGTH = 4;

/**
 * The values besides `value` itself that must be masked: encodings (base64 standard and URL-safe,
 * also of `value + '\n'`; URL and form encoding; JSON string escaping), the secret parts of a
 * storage connection string, SAS token or SAS URL, the signature of a JWT, and each line of a
 * multi-line value. Forms shorter than 4 characters or equal to `value` are left out.
 */
export function derivedSecretForms(value: string): string[] {
  if (value === '') return [];
  const forms = new Set<string>();
  const add = (form: string | undefined) => {
    if (form !== undefined && form.length >= MIN_FORM_LENGTH && form !== value) forms.add(form);
  };

  for (const text of [value, `${value}\n`]) {
    const bytes = Buffer.from(text, 'utf8');
    add(bytes.toString('base64'));
    add(bytes.toString('base64url'));
  }
  add(encodeURIComponent(value));
  add(formEncode(value));
  add(JSON.stringify(value).slice(1, -1));

  for (const part of connectionStringSecrets(value)) {
    add(part);
    for (const sasPart of sasSecrets(part)) add(sasPart);
  }
  for (const part of sasSecrets(value)) add(part);
  for (const part of urlSasSecrets(value)) add(part);
  add(jwtSignature(value));

  const lines = value.split(/\r?\n/);
  if (lines.length > 1) for (const line of lines) add(line.trim());

  return [...forms];
}

/** Registers `value` and its derived forms with the runner so they print as `***`. */
export function maskSecret(value: string, mask: (secret: string) => void = core.setSecret): void {
  if (value.trim() === '') return;
  mask(value);
  for (const form of derivedSecretForms(value)) mask(form);
}

/** `application/x-www-form-urlencoded` serialization: spaces as `+`. */
function formEncode(value: string): string {
  return new URLSearchParams([['v', value]]).toString().slice('v='.length);
}

/** `AccountKey` and `SharedAccessSignature` of an Azure Storage connection string. */
function connectionStringSecrets(value: string): string[] {
  if (!/(?:^|;)\s*(?:AccountKey|SharedAccessSignature)\s*=/i.test(value)) return [];
  const secrets: string[] = [];
  for (const segment of value.split(';')) {
    const equals = segment.indexOf('=');
    if (equals === -1) continue;
    const key = segment.slice(0, equals).trim().toLowerCase();
    // Values keep their own '=' (base64 padding of account keys).
    const secret = segment.slice(equals + 1).trim();
    if (key === 'accountkey' || key === 'sharedaccesssignature') secrets.push(secret);
  }
  return secrets;
}

/** The `sig` of a SAS token (`sv=…&sig=…`, optionally with a leading `?`), as written and decoded. */
function sasSecrets(query: string): string[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(query)) return [];
  const parameters = query.replace(/^\?/, '').split('&');
  const signatures: string[] = [];
  for (const parameter of parameters) {
    if (!parameter.startsWith('sig=')) continue;
    const raw = parameter.slice('sig='.length);
    signatures.push(raw);
    const decoded = safeDecode(raw);
    if (decoded !== undefined) signatures.push(decoded);
  }
  return signatures;
}

/** For a URL carrying a SAS: the whole query (without `?`) and its `sig`. */
function urlSasSecrets(value: string): string[] {
  if (!/^https?:\/\//i.test(value)) return [];
  const queryStart = value.indexOf('?');
  if (queryStart === -1) return [];
  const query = value.slice(queryStart + 1).replace(/#.*$/, '');
  const signatures = sasSecrets(query);
  return signatures.length === 0 ? [] : [query, ...signatures];
}

/** The signature (third part) of a JWT-like `header.payload.signature` value. */
function jwtSignature(value: string): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 3 || !parts[0]?.startsWith('eyJ')) return undefined;
  if (!parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  return parts[2];
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
