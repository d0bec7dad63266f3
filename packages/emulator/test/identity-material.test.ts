import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateIdentity } from '../src/identity/material';

describe('loadOrCreateIdentity', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aml-emulator-id-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates identity.json (owner-only) once and reads the same ids and keys back', () => {
    const dir = tempDir();
    const first = loadOrCreateIdentity(dir);
    expect(statSync(path.join(dir, 'identity.json')).mode & 0o777).toBe(0o600);
    const second = loadOrCreateIdentity(dir);
    expect(second.tenantId).toBe(first.tenantId);
    expect(second.clientSecret).toBe(first.clientSecret);
    expect(second.oidcKey.kid).toBe(first.oidcKey.kid);
    expect(second.entraKey.kid).toBe(first.entraKey.kid);
    expect(first.oidcKey.kid).not.toBe(first.entraKey.kid);
  });

  it('gives another state dir other ids', () => {
    expect(loadOrCreateIdentity(tempDir()).tenantId).not.toBe(loadOrCreateIdentity(tempDir()).tenantId);
  });

  it('refuses a file that is not an identity file, saying how to recover', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'identity.json'), '{"version":1,"tenantId":"x"}');
    expect(() => loadOrCreateIdentity(dir)).toThrow(/not an emulator identity file; delete it/);
  });
});
