import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tlsSettingsFor } from '../../src/auth/connection';
import { ConfigurationError } from '../../src/errors';

const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;

describe('tlsSettingsFor', () => {
  it('adds nothing when no CA is given, leaving Node defaults (and NODE_EXTRA_CA_CERTS) alone', () => {
    expect(tlsSettingsFor(undefined, {})).toBeUndefined();
    expect(tlsSettingsFor('  ', {})).toBeUndefined();
  });

  it('trusts the public roots plus every certificate of the PEM', () => {
    const settings = tlsSettingsFor(`${pem('AAAA')}\n${pem('BBBB')}\n`, {});
    const ca = settings?.ca as string[];
    expect(ca).toHaveLength(rootCertificates.length + 2);
    expect(ca.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(ca.slice(-2)).toEqual([pem('AAAA'), pem('BBBB')]);
  });

  it('keeps the NODE_EXTRA_CA_CERTS file, which an explicit ca would otherwise drop', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-')), 'extra.pem');
    writeFileSync(file, pem('EXTRA'));
    const ca = tlsSettingsFor(pem('AAAA'), { NODE_EXTRA_CA_CERTS: file })?.ca as string[];
    expect(ca.slice(-2)).toEqual([pem('EXTRA'), pem('AAAA')]);
    // An unreadable file is skipped, as Node does after warning.
    const withMissing = tlsSettingsFor(pem('AAAA'), { NODE_EXTRA_CA_CERTS: `${file}.missing` })
      ?.ca as string[];
    expect(withMissing).toHaveLength(rootCertificates.length + 1);
  });

  it('refuses text that holds no PEM certificate', () => {
    expect(() => tlsSettingsFor('/etc/ssl/emulator.pem', {})).toThrow(ConfigurationError);
    expect(() => tlsSettingsFor('/etc/ssl/emulator.pem', {})).toThrow(/not PEM certificates/);
  });
});
