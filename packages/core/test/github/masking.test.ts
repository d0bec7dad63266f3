import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { derivedSecretForms, maskSecret } from '../../src/github/masking';

// Each expected form is computed here independently of the implementation.
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) =>
  Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function encodingForms(value: string): string[] {
  return [
    b64(value),
    b64url(value),
    b64(`${value}\n`),
    b64url(`${value}\n`),
    encodeURIComponent(value),
    new URLSearchParams({ x: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
  ];
}

const ACCOUNT_KEY = 'Zm9vYmFyYmF6cXV4+/secretkey==';
const SAS_SIG = 'k3y%2Fsig%2Bnature%3D';
const SAS_SIG_DECODED = 'k3y/sig+nature=';
const SAS = `sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=${SAS_SIG}`;
const JWT_SIGNATURE = 'c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';
const JWT = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWY6bWFpbiJ9.${JWT_SIGNATURE}`;

describe('derivedSecretForms', () => {
  it.each([
    ['a plain password', 'p@ss word/with+chars&more', []],
    ['a value with quotes and backslashes', 'he said "hi"\\there', []],
    ['a non-ASCII value', 'pässwörd-ü', []],
    [
      'a storage connection string',
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`,
      [ACCOUNT_KEY],
    ],
    [
      'a SAS connection string',
      `BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=${SAS}`,
      [SAS, SAS_SIG, SAS_SIG_DECODED],
    ],
    ['a bare SAS token', SAS, [SAS_SIG, SAS_SIG_DECODED]],
    ['a SAS token with a leading ?', `?${SAS}`, [SAS_SIG, SAS_SIG_DECODED]],
    [
      'a SAS URL',
      `https://acct.blob.core.windows.net/container/blob.bin?${SAS}`,
      [SAS, SAS_SIG, SAS_SIG_DECODED],
    ],
    ['a JWT', JWT, [JWT_SIGNATURE]],
  ])('derives the forms of %s', (_label, value, specific) => {
    const forms = derivedSecretForms(value);
    for (const expected of [...encodingForms(value), ...specific]) {
      if (expected !== value) expect(forms).toContain(expected);
    }
    expect(forms).not.toContain(value);
    expect(forms.every((form) => form.length >= 4)).toBe(true);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('leaves out forms equal to the value (plain alphanumerics do not change when URL-encoded)', () => {
    const forms = derivedSecretForms('abcdef123');
    expect(forms).not.toContain('abcdef123');
    expect(forms).toContain(b64('abcdef123'));
  });

  it('leaves out forms shorter than 4 characters', () => {
    const value = 'ab=de;AccountKey=xyz;SharedAccessSignature=sig=a';
    const forms = derivedSecretForms(value);
    expect(forms).not.toContain('xyz');
    expect(forms).not.toContain('a');
    expect(forms).toContain('sig=a');
  });

  it('masks each line of a multi-line value', () => {
    const pem = '-----BEGIN KEY-----\r\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n\n-----END KEY-----\n';
    const forms = derivedSecretForms(pem);
    for (const line of ['-----BEGIN KEY-----', 'MIIEvQIBADANBgkq', 'hkiG9w0BAQEFAASC', '-----END KEY-----']) {
      expect(forms).toContain(line);
    }
    expect(forms).not.toContain('');
  });

  it('does not treat a URL without a sig as a SAS URL', () => {
    const value = 'https://example.com/path?page=2&size=10';
    expect(derivedSecretForms(value)).not.toContain('page=2&size=10');
  });

  it('does not take the signature of a dotted value that is not a JWT', () => {
    expect(derivedSecretForms('abc.def.ghijkl')).not.toContain('ghijkl');
  });

  it('derives nothing from an empty value', () => {
    expect(derivedSecretForms('')).toEqual([]);
  });
});

describe('maskSecret', () => {
  it('registers the value and every derived form', () => {
    const masked: string[] = [];
    const value = `https://acct.blob.core.windows.net/c/b?${SAS}`;
    maskSecret(value, (secret) => masked.push(secret));
    expect(masked[0]).toBe(value);
    expect(masked.slice(1)).toEqual(derivedSecretForms(value));
    expect(masked).toContain(SAS_SIG);
  });

  it.each(['', '   ', '\n'])('registers nothing for %j', (value) => {
    const masked: string[] = [];
    maskSecret(value, (secret) => masked.push(secret));
    expect(masked).toEqual([]);
  });

  describe('through @actions/core', () => {
    let written: string[];
    beforeEach(() => {
      written = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('prints ::add-mask:: for the value and its base64 form', () => {
      maskSecret('my secret value');
      const output = written.join('');
      expect(output).toContain('::add-mask::my secret value\n');
      expect(output).toContain(`::add-mask::${b64('my secret value')}\n`);
      // Workflow commands escape '%' as %25; the runner unescapes it back to my%20secret%20value.
      expect(output).toContain('::add-mask::my%2520secret%2520value\n');
      expect(output).toContain('::add-mask::my+secret+value\n');
    });
  });
});
