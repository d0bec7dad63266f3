// The TLS seam shared by the credentials, the ARM SDK client and the ARM REST pipeline.
// core-rest-pipeline applies `tlsOptions` to the https agent of every request it sends, and
// @azure/identity builds its token client on the same pipeline (TokenCredentialOptions extends
// CommonClientOptions), so one TlsSettings object covers Entra and ARM alike.

import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { TlsSettings } from '@azure/core-rest-pipeline';
import { ConfigurationError } from '../errors';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConnectionOptions {
  /**
   * Extra CA certificates (PEM, one or more) to trust besides the public roots, e.g. the local
   * emulator's. `NODE_EXTRA_CA_CERTS` needs nothing here: Node trusts that file by itself.
   */
  caCertificates?: string | undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * TLS settings that trust the public roots plus `caCertificates`, or undefined when there is
 * nothing to add (so Node's defaults, NODE_EXTRA_CA_CERTS included, stay in force).
 */
export function tlsSettingsFor(
  caCertificates: string | undefined,
  env: Env = process.env,
): TlsSettings | undefined {
  if (caCertificates === undefined || caCertificates.trim() === '') return undefined;
  const certificates = caCertificates.match(PEM_CERTIFICATE);
  if (!certificates) {
    throw new ConfigurationError('the CA certificates are not PEM certificates', {
      fix: 'Pass the PEM text itself (-----BEGIN CERTIFICATE----- …), not a file path or a DER file.',
    });
  }
  // An explicit `ca` replaces Node's whole trust store, NODE_EXTRA_CA_CERTS included, so add
  // both back: the public roots and the extra file.
  return { ca: [...rootCertificates, ...extraCaCertificates(env), ...certificates] };
}

function extraCaCertificates(env: Env): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').match(PEM_CERTIFICATE) ?? [];
  } catch {
    // Node already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    return [];
  }
}
