// Connects the real core clients to a running emulator the way an action does: Custom cloud,
// GitHub OIDC from the emulator's issuer, and the emulator CA trusted through caCertificates.
import { readFileSync } from 'node:fs';
import {
  type ArmClients,
  createArmClients,
  DatastoreClient,
  JobClient,
  type ResolvedCredential,
  resolveCloud,
  resolveCredential,
  type WorkspaceRef,
} from '../../packages/core/src/index';
import type { ReadyInfo } from './emulator';

export interface EmulatorConnection {
  workspace: WorkspaceRef;
  resolved: ResolvedCredential;
  clients: ArmClients;
  jobs: JobClient;
  datastores: DatastoreClient;
  /** Every secret the clients handed out for masking. */
  secrets: string[];
}

export function oidcConnection(info: ReadyInfo, options: { now?: () => number } = {}): EmulatorConnection {
  const caCertificates = readFileSync(info.caCertPath, 'utf8');
  const cloud = resolveCloud({
    cloud: 'Custom',
    armEndpoint: info.armEndpoint,
    authorityHost: info.authorityHost,
  });
  const resolved = resolveCredential({
    clientId: info.clientId,
    tenantId: info.tenantId,
    cloud,
    caCertificates,
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: info.oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: info.oidc.requestToken,
    },
    ...(options.now ? { now: options.now } : {}),
  });
  const workspace = {
    subscriptionId: info.subscriptionId,
    resourceGroup: info.resourceGroup,
    workspace: info.workspace,
  };
  const clients = createArmClients({
    credential: resolved.credential,
    cloud,
    subscriptionId: info.subscriptionId,
    caCertificates,
    // Short retry delays keep fault-injection tests quick; the policy still honours Retry-After.
    retryOptions: { maxRetries: 3, retryDelayInMs: 50, maxRetryDelayInMs: 2000 },
  });
  const secrets: string[] = [];
  return {
    workspace,
    resolved,
    clients,
    jobs: new JobClient(clients.rest, workspace),
    datastores: new DatastoreClient(clients.sdk, workspace, (secret) => secrets.push(secret)),
    secrets,
  };
}
