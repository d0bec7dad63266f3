import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTlsMaterial, writeCaCertificate } from '../src/tls/certificates';

describe('generateTlsMaterial', () => {
  it('makes a CA and a loopback server certificate it signs', async () => {
    const material = await generateTlsMaterial(new Date('2025-06-01T00:00:00Z'));
    const ca = new X509Certificate(material.caCertPem);
    const server = new X509Certificate(material.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(new Date(server.validFrom).getTime()).toBeLessThan(Date.parse('2025-06-01T00:00:00Z'));
    expect(server.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1']));

    const dir = mkdtempSync(path.join(os.tmpdir(), 'aml-emulator-tls-'));
    try {
      const file = writeCaCertificate(dir, material);
      expect(file).toBe(path.join(dir, 'ca.pem'));
      expect(readFileSync(file, 'utf8')).toBe(material.caCertPem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes new keys at every start', async () => {
    const [a, b] = await Promise.all([generateTlsMaterial(), generateTlsMaterial()]);
    expect(a.caCertPem).not.toBe(b.caCertPem);
  });
});
