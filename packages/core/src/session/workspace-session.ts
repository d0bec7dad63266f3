// Everything an action needs to talk to one workspace, built once from the connection inputs:
// the workspace coordinates, the credential chain, both ARM clients and the typed clients on top.
// Every secret a client reads is handed to `onSecret` first, so the caller can mask it.

import type { PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { type ArmClients, createArmClients } from '../arm/clients';
import type { Env } from '../auth/connection';
import { type AuthMethod, type ResolvedCredential, resolveCredential } from '../auth/resolve-credential';
import { type ResolvedCloud, resolveCloud } from '../cloud';
import { DatastoreClient } from '../datastores/datastore-client';
import { JobClient } from '../jobs/job-client';
import { DataPlaneClients } from '../jobs/run-history';
import type { WorkspaceRef } from '../workspace/arm-id';
import { type ResolvedWorkspace, resolveWorkspace } from '../workspace/resolve';

/** The workspace and auth inputs every action shares (names as in action.yml). */
export interface ConnectionInputs {
  subscriptionId?: string | undefined;
  resourceGroup?: string | undefined;
  workspace?: string | undefined;
  configFile?: string | undefined;
  clientId?: string | undefined;
  tenantId?: string | undefined;
  clientSecret?: string | undefined;
  credsJson?: string | undefined;
  authMethod?: AuthMethod | undefined;
  audience?: string | undefined;
  cloud?: string | undefined;
  armEndpoint?: string | undefined;
  authorityHost?: string | undefined;
}

export interface WorkspaceSessionOptions {
  inputs: ConnectionInputs;
  env?: Env;
  cwd?: string;
  /** Called with every secret the moment it exists (mask it). */
  onSecret: (secret: string) => void;
  abortSignal?: AbortSignal;
  /**
   * false: `abortSignal` bounds connecting only, and the clients' requests take their own signals,
   * so clean-up (a rollback) can still run after a cancel or timeout. Default true.
   */
  abortClients?: boolean;
  retryOptions?: PipelineRetryOptions;
  /** Extra CA certificates (PEM) besides the public roots and NODE_EXTRA_CA_CERTS. */
  caCertificates?: string;
}

export interface WorkspaceSession {
  workspace: WorkspaceRef;
  resolvedWorkspace: ResolvedWorkspace;
  cloud: ResolvedCloud;
  credential: ResolvedCredential;
  clients: ArmClients;
  jobs: JobClient;
  datastores: DatastoreClient;
  /** Clients for the workspace's data-plane hosts (run history, MLflow), same credential and scope as ARM. */
  dataPlane: DataPlaneClients;
  /** The extra CA certificates the session trusts (storage and log clients need them too). */
  caCertificates?: string | undefined;
  env: Env;
  onSecret: (secret: string) => void;
}

/**
 * The cloud and the signed-in credential alone, for callers that need a token but no workspace
 * (e.g. an Entra token for a scoring URI).
 */
export function connectCredential(
  options: Pick<WorkspaceSessionOptions, 'inputs' | 'env' | 'caCertificates'>,
): { cloud: ResolvedCloud; credential: ResolvedCredential } {
  const env = options.env ?? process.env;
  const { inputs } = options;
  const cloud = resolveCloud({
    cloud: inputs.cloud,
    armEndpoint: inputs.armEndpoint,
    authorityHost: inputs.authorityHost,
  });
  const credential = resolveCredential({
    clientId: inputs.clientId,
    tenantId: inputs.tenantId,
    clientSecret: inputs.clientSecret,
    credsJson: inputs.credsJson,
    authMethod: inputs.authMethod,
    audience: inputs.audience,
    cloud,
    env,
    caCertificates: options.caCertificates,
  });
  return { cloud, credential };
}

export async function connectWorkspace(options: WorkspaceSessionOptions): Promise<WorkspaceSession> {
  const env = options.env ?? process.env;
  const { inputs } = options;
  const { cloud, credential } = connectCredential(options);
  const resolvedWorkspace = await resolveWorkspace({
    inputs: {
      // The creds JSON may carry the subscription, as azure/login's AZURE_CREDENTIALS does.
      subscriptionId: inputs.subscriptionId || credential.subscriptionId,
      resourceGroup: inputs.resourceGroup,
      workspace: inputs.workspace,
      configFile: inputs.configFile,
    },
    env,
    cwd: options.cwd ?? process.cwd(),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  const workspace = resolvedWorkspace.workspace;
  const clientSignal = options.abortClients === false ? undefined : options.abortSignal;
  const clients = createArmClients({
    credential: credential.credential,
    cloud,
    subscriptionId: workspace.subscriptionId,
    caCertificates: options.caCertificates,
    abortSignal: clientSignal,
    retryOptions: options.retryOptions,
    env,
  });
  return {
    workspace,
    resolvedWorkspace,
    cloud,
    credential,
    clients,
    jobs: new JobClient(clients.rest, workspace),
    datastores: new DatastoreClient(clients.sdk, workspace, options.onSecret),
    dataPlane: new DataPlaneClients({
      credential: credential.credential,
      scope: cloud.armScope,
      caCertificates: options.caCertificates,
      abortSignal: clientSignal,
      retryOptions: options.retryOptions,
      env,
    }),
    caCertificates: options.caCertificates,
    env,
    onSecret: options.onSecret,
  };
}
