// The emulator's identities (tenant, app registration, subscription, signing keys) are created
// once and kept in `<state-dir>/identity.json`, so a restarted emulator issues tokens that the
// same clients, with the same ids, keep accepting.
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type SigningKey, signingKeyFrom } from './jwt';

interface PersistedIdentity {
  version: 1;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The service principal's object id (`oid` of its access tokens). */
  principalObjectId: string;
  subscriptionId: string;
  /** What `ACTIONS_ID_TOKEN_REQUEST_TOKEN` must be. */
  oidcRequestToken: string;
  /** PKCS#8 PEM of the GitHub-like OIDC issuer's key. */
  oidcSigningKeyPem: string;
  /** PKCS#8 PEM of the Entra-like authority's key (signs access tokens). */
  entraSigningKeyPem: string;
}

export interface IdentityMaterial {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  principalObjectId: string;
  subscriptionId: string;
  oidcRequestToken: string;
  oidcKey: SigningKey;
  entraKey: SigningKey;
}

export const IDENTITY_FILE = 'identity.json';

function newRsaKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Entra client secrets look like `abc8Q~…`; the shape does not matter, only that it is secret. */
const newClientSecret = (): string => `emu8Q~${randomBytes(27).toString('base64url')}`;

function createIdentity(): PersistedIdentity {
  return {
    version: 1,
    tenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: newClientSecret(),
    principalObjectId: randomUUID(),
    subscriptionId: randomUUID(),
    oidcRequestToken: randomBytes(32).toString('base64url'),
    oidcSigningKeyPem: newRsaKeyPem(),
    entraSigningKeyPem: newRsaKeyPem(),
  };
}

function isPersistedIdentity(value: unknown): value is PersistedIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const fields: (keyof PersistedIdentity)[] = [
    'tenantId',
    'clientId',
    'clientSecret',
    'principalObjectId',
    'subscriptionId',
    'oidcRequestToken',
    'oidcSigningKeyPem',
    'entraSigningKeyPem',
  ];
  return record.version === 1 && fields.every((field) => typeof record[field] === 'string');
}

/** Reads `<stateDir>/identity.json`, creating it (mode 0600) on first start. */
export function loadOrCreateIdentity(stateDir: string): IdentityMaterial {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, IDENTITY_FILE);
  let persisted: PersistedIdentity;
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isPersistedIdentity(parsed)) {
      throw new Error(`${file} is not an emulator identity file; delete it to start with new ids.`);
    }
    persisted = parsed;
  } else {
    persisted = createIdentity();
    writeFileSync(file, `${JSON.stringify(persisted, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    tenantId: persisted.tenantId,
    clientId: persisted.clientId,
    clientSecret: persisted.clientSecret,
    principalObjectId: persisted.principalObjectId,
    subscriptionId: persisted.subscriptionId,
    oidcRequestToken: persisted.oidcRequestToken,
    oidcKey: signingKeyFrom(createPrivateKey(persisted.oidcSigningKeyPem)),
    entraKey: signingKeyFrom(createPrivateKey(persisted.entraSigningKeyPem)),
  };
}
