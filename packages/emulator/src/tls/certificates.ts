// A fresh certificate authority and loopback server certificate at every start. Clients trust the
// CA (`<state-dir>/ca.pem`) through `NODE_EXTRA_CA_CERTS` or `tlsOptions.ca`, never by disabling checks.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export const CA_FILE = 'ca.pem';

const DAY_IN_MS = 86_400_000;

export async function generateTlsMaterial(now = new Date()): Promise<TlsMaterial> {
  // Backdated a little so a client clock slightly behind still accepts the certificates.
  const notBeforeDate = new Date(now.getTime() - DAY_IN_MS);
  const notAfterDate = new Date(now.getTime() + 365 * DAY_IN_MS);
  const ca = await generate([{ name: 'commonName', value: 'Azure ML Emulator Local CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caCertPem: ca.cert, serverCertPem: server.cert, serverKeyPem: server.private };
}

/** Writes the CA certificate into the state dir and returns its path. */
export function writeCaCertificate(stateDir: string, material: TlsMaterial): string {
  const file = path.join(stateDir, CA_FILE);
  writeFileSync(file, material.caCertPem);
  return file;
}
