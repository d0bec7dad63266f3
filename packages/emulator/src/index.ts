// Programmatic entry: start the whole emulator (identity, TLS, Azurite, HTTPS) and get the
// connection details clients need. cli.ts is a thin wrapper around startEmulator.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  blobAssetFetcher,
  createArmRoutes,
  DEFAULT_REGISTRY,
  defaultBlobContainers,
  REGISTRY_UPLOAD_CONTAINER,
  registryStorageCredentials,
  ScoringHost,
} from './arm';
import type { ArmContext } from './arm-context';
import { type AzuriteHandle, startAzurite } from './azurite/azurite-process';
import { ensureContainer } from './azurite/containers';
import { LocalJobExecutor } from './execution/local-executor';
import { createAdminRoutes } from './faults/admin-routes';
import { FaultRegistry } from './faults/fault-registry';
import { RequestLog } from './faults/request-log';
import { Router } from './http/router';
import {
  DEFAULT_IDENTITY_SETTINGS,
  EmulatorIdentity,
  type IdentitySettings,
  loadOrCreateIdentity,
} from './identity';
import { startScoringServer } from './inference';
import { entraTokenVerifier, inferenceFrontDoorRoutes } from './inference-front-door';
import { MlflowStore, mlflowRoutes } from './mlflow';
import { withBearerCheck } from './run-history/bearer-routes';
import { discoveryRoute, runHistoryRoutes } from './run-history/routes';
import { createRequestListener, type EmulatorApp, type HttpsServerHandle, listenHttps } from './server';
import { StateStore } from './state/store';
import { generateTlsMaterial, writeCaCertificate } from './tls/certificates';

export {
  AWS_STS_AUDIENCE,
  type AwsStsRole,
  type AwsStsSession,
  type AwsStsStandIn,
  type AwsStsStandInOptions,
  type GcpIssuedToken,
  type GcpServiceAccount,
  type GcpStsStandIn,
  type GcpStsStandInOptions,
  type GcpWorkloadIdentityProvider,
  startAwsStsStandIn,
  startGcpStsStandIn,
  type TrustedIssuer,
} from './cloud-sts';
export {
  type CliCommand,
  type CliOptions,
  parseCliArgs,
  parseDurationInMs,
  USAGE,
  UsageError,
} from './config';
export { type GcsStandIn, type GcsStandInOptions, startGcsStandIn } from './gcs';
export { verifyArmToken } from './identity';

export interface StartEmulatorOptions {
  stateDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback address; default 127.0.0.1. */
  host?: string;
  tokenLifetimeInMs?: number;
  idTokenLifetimeInMs?: number;
  /** Federated credential subject pattern (`*` wildcards); default `repo:*`. */
  federatedSubject?: string;
  /** `sub` of issued ID tokens unless a request names one. */
  idTokenSubject?: string;
  resourceGroup?: string;
  workspace?: string;
  location?: string;
  /** Name of the seeded Azure ML registry (default `mlops-registry`), in the same resource group. */
  registry?: string;
  /** Diagnostic lines (default: stderr). */
  log?: (line: string) => void;
  abortSignal?: AbortSignal;
}

/** What the emulator prints as its ready line: everything a client needs to connect. */
export interface ReadyInfo {
  armEndpoint: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  location: string;
  caCertPath: string;
  adminUrl: string;
  blobEndpoint: string;
  /** The registries, each with its own storage account (in Azurite, beside the workspace's). */
  registries: { name: string; resourceGroup: string; storageAccountName: string; blobEndpoint: string }[];
  oidc: { requestUrl: string; requestToken: string };
  /** The action inputs that point an action at this emulator. */
  inputs: {
    'subscription-id': string;
    'resource-group': string;
    workspace: string;
    'client-id': string;
    'tenant-id': string;
    cloud: 'Custom';
    'arm-endpoint': string;
    'authority-host': string;
  };
}

export interface RunningEmulator {
  info: ReadyInfo;
  stop(): Promise<void>;
}

export const DEFAULT_RESOURCE_GROUP = 'rg-aml-emulator';
export const DEFAULT_WORKSPACE = 'mlw-emulator';
export const DEFAULT_LOCATION = 'eastus';

/** Lifetime of the token a job's processes get: it must outlive the job, whatever client tokens live. */
const JOB_TOKEN_LIFETIME_IN_MS = 24 * 60 * 60 * 1000;

const defaultLog = (line: string) => process.stderr.write(`[aml-emulator] ${line}\n`);

function baseUrlFor(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const log = options.log ?? defaultLog;
  const host = options.host ?? '127.0.0.1';
  const stateDir = path.resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const material = loadOrCreateIdentity(stateDir);
  const settings: IdentitySettings = {
    ...DEFAULT_IDENTITY_SETTINGS,
    ...(options.tokenLifetimeInMs !== undefined && { tokenLifetimeInMs: options.tokenLifetimeInMs }),
    ...(options.idTokenLifetimeInMs !== undefined && { idTokenLifetimeInMs: options.idTokenLifetimeInMs }),
    ...(options.federatedSubject !== undefined && { federatedSubject: options.federatedSubject }),
    ...(options.idTokenSubject !== undefined && { subject: options.idTokenSubject }),
  };

  let azurite: AzuriteHandle | undefined;
  let https: HttpsServerHandle | undefined;
  let executor: LocalJobExecutor | undefined;
  let scoring: ScoringHost | undefined;
  const stopAll = async () => {
    // Jobs first: their processes and last uploads need Azurite.
    await executor?.shutdown();
    await scoring?.stopAll();
    await https?.close();
    await azurite?.stop();
  };

  const resourceGroup = options.resourceGroup ?? DEFAULT_RESOURCE_GROUP;
  const workspace = options.workspace ?? DEFAULT_WORKSPACE;
  const location = options.location ?? DEFAULT_LOCATION;
  const registryName = options.registry ?? DEFAULT_REGISTRY;
  const registryCredentials = registryStorageCredentials({
    subscriptionId: material.subscriptionId,
    resourceGroup,
    registry: registryName,
  });

  try {
    // Settled, not all(): if certificate generation fails, a started Azurite must still be stopped.
    const [tlsResult, azuriteResult] = await Promise.allSettled([
      generateTlsMaterial(),
      startAzurite({
        location: path.join(stateDir, 'azurite'),
        log,
        abortSignal: options.abortSignal,
        extraAccounts: [registryCredentials],
      }),
    ]);
    if (azuriteResult.status === 'fulfilled') azurite = azuriteResult.value;
    if (tlsResult.status === 'rejected') throw tlsResult.reason;
    if (azuriteResult.status === 'rejected') throw azuriteResult.reason;
    const tls = tlsResult.value;
    const blob = azuriteResult.value;
    const caCertPath = writeCaCertificate(stateDir, tls);
    const [registryStorage] = blob.extraAccounts;
    if (!registryStorage) throw new Error('Azurite did not serve the registry storage account.');
    // The containers the seeded datastores (workspaceblobstore, workspaceartifactstore) point at.
    const containers = defaultBlobContainers({
      subscriptionId: material.subscriptionId,
      resourceGroup,
      workspace,
    });
    for (const container of Object.values(containers)) await ensureContainer(blob.account, container);
    await ensureContainer(registryStorage, REGISTRY_UPLOAD_CONTAINER);

    // Routes need the base URL, which needs the port: bind first, serve once everything is wired.
    let serve: ReturnType<typeof createRequestListener> | undefined;
    https = await listenHttps({
      key: tls.serverKeyPem,
      cert: tls.serverCertPem,
      host,
      port: options.port ?? 0,
      listener: (req, res) => {
        if (serve) return serve(req, res);
        res.writeHead(503, { 'Retry-After': '1' }).end();
      },
    });
    const baseUrl = baseUrlFor(host, https.port);
    const now = () => new Date();
    const identity = new EmulatorIdentity({ material, baseUrl, settings, now });
    const faults = new FaultRegistry();
    const requestLog = new RequestLog(500);
    const armContext: ArmContext = {
      subscriptionId: material.subscriptionId,
      resourceGroup,
      workspace,
      location,
      tenantId: material.tenantId,
      baseUrl,
      store: new StateStore(stateDir),
      storage: blob.account,
      registry: { name: registryName, storage: registryStorage },
      now,
    };
    const verifyArmToken = (header: string | undefined, at: Date) => identity.verifyArmToken(header, at);
    const mlflow = new MlflowStore(armContext.store, now);
    executor = new LocalJobExecutor({
      ctx: armContext,
      tracking: mlflow,
      issueToken: () => identity.issueAccessToken({ lifetimeInMs: JOB_TOKEN_LIFETIME_IN_MS }),
      caCertPath,
      stateDir,
      log,
    });
    const interrupted = executor.failInterrupted();
    if (interrupted > 0)
      log(`${interrupted} job(s) left running by an earlier emulator process marked as ended`);
    scoring = new ScoringHost({
      workDir: path.join(stateDir, 'online-deployments'),
      startScoringServer: (spec) => startScoringServer({ ...spec, log }),
      fetchAssets: blobAssetFetcher(armContext),
      log,
    });
    const app: EmulatorApp = {
      adminRouter: new Router().add(...createAdminRoutes({ faults, requestLog, settings })),
      // MLflow and run history live under /mlflow and /history, outside the server's ARM gate,
      // so they carry the same bearer check themselves.
      publicRouter: new Router().add(
        ...identity.routes(),
        discoveryRoute(armContext),
        // The scoring front door checks endpoint keys and tokens itself, not ARM tokens.
        ...inferenceFrontDoorRoutes({
          ctx: armContext,
          host: scoring,
          verifyEntraToken: entraTokenVerifier({
            publicKey: material.entraKey.publicKey,
            tenantId: material.tenantId,
          }),
          log,
        }),
        ...withBearerCheck(
          [...mlflowRoutes(armContext, mlflow), ...runHistoryRoutes(armContext)],
          verifyArmToken,
          now,
        ),
      ),
      armRouter: new Router().add(
        ...createArmRoutes(armContext, executor, { onlineEndpoints: { host: scoring } }),
      ),
      verifyArmToken,
      faults,
      requestLog,
      now,
      log,
    };
    serve = createRequestListener(app);
    log(`listening on ${baseUrl} (state in ${stateDir}, blob storage at ${blob.account.blobEndpoint})`);

    const info: ReadyInfo = {
      armEndpoint: baseUrl,
      authorityHost: baseUrl,
      tenantId: material.tenantId,
      clientId: material.clientId,
      clientSecret: material.clientSecret,
      subscriptionId: material.subscriptionId,
      resourceGroup,
      workspace,
      location,
      caCertPath,
      adminUrl: `${baseUrl}/_emulator`,
      blobEndpoint: blob.account.blobEndpoint,
      registries: [
        {
          name: registryName,
          resourceGroup,
          storageAccountName: registryStorage.accountName,
          blobEndpoint: registryStorage.blobEndpoint,
        },
      ],
      oidc: { requestUrl: identity.oidcRequestUrl, requestToken: material.oidcRequestToken },
      inputs: {
        'subscription-id': material.subscriptionId,
        'resource-group': resourceGroup,
        workspace,
        'client-id': material.clientId,
        'tenant-id': material.tenantId,
        cloud: 'Custom',
        'arm-endpoint': baseUrl,
        'authority-host': baseUrl,
      },
    };
    let stopping: Promise<void> | undefined;
    return {
      info,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
