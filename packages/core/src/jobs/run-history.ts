// The workspace's data-plane services (run history, MLflow tracking) and the run-history client.
// ARM names them on the workspace resource: `discoveryUrl` answers `{history, …}` base URLs, and
// `mlFlowTrackingUri` is an `azureml://<host>/mlflow/…` URI that is HTTPS underneath. Both
// services accept the ARM token, so each of their origins gets its own ArmRestClient (which keeps
// the token on that one origin).

import { API_VERSIONS } from '../arm/api-versions';
import { withAzureErrors } from '../arm/errors';
import { ArmRestClient, type ArmRestClientOptions } from '../arm/rest';
import { type WorkspaceRef, workspaceArmId } from '../workspace/arm-id';

/** What discovery needs of the Azure ML SDK client (`sdk.workspaces.get`). */
export interface WorkspaceGetter {
  workspaces: {
    get(
      resourceGroupName: string,
      workspaceName: string,
      options?: { abortSignal?: AbortSignal },
    ): Promise<{ discoveryUrl?: string; mlFlowTrackingUri?: string }>;
  };
}

export interface WorkspaceServices {
  discoveryUrl: string;
  /** Base URL of run history (`…/history/v1.0/…` lives under it), without a trailing slash. */
  historyEndpoint: string;
  /** The MLflow tracking URI as HTTPS (`https://<host>/mlflow/v1.0/subscriptions/…`), no `/api/…`. */
  mlflowTrackingUri: string;
}

/** One ArmRestClient per data-plane origin, with the ARM credential and scope. */
export class DataPlaneClients {
  private readonly clients = new Map<string, ArmRestClient>();

  constructor(private readonly options: Omit<ArmRestClientOptions, 'endpoint'>) {}

  /** The client for the origin of `url` (which must be HTTPS: it carries a bearer token). */
  forUrl(url: string): ArmRestClient {
    const origin = httpsOrigin(url);
    let client = this.clients.get(origin);
    if (!client) {
      client = new ArmRestClient({ ...this.options, endpoint: origin });
      this.clients.set(origin, client);
    }
    return client;
  }
}

export interface DiscoverOptions {
  /** Clients for the discovery host. */
  dataPlane: DataPlaneClients;
  abortSignal?: AbortSignal | undefined;
}

export async function discoverWorkspaceServices(
  sdkOrRest: WorkspaceGetter | ArmRestClient,
  workspace: WorkspaceRef,
  options: DiscoverOptions,
): Promise<WorkspaceServices> {
  const properties = await workspaceServiceUris(sdkOrRest, workspace, options.abortSignal);
  const where = `workspace '${workspace.workspace}'`;
  if (!properties.discoveryUrl) throw new Error(`The ${where} has no discoveryUrl.`);
  if (!properties.mlFlowTrackingUri) throw new Error(`The ${where} has no mlFlowTrackingUri.`);
  const discoveryUrl = properties.discoveryUrl;
  const discovery = await options.dataPlane.forUrl(discoveryUrl).request<Record<string, unknown> | string>({
    method: 'GET',
    path: discoveryUrl,
    abortSignal: options.abortSignal,
  });
  const history = typeof discovery.body === 'object' ? discovery.body?.history : undefined;
  if (typeof history !== 'string' || history === '') {
    throw new Error(`The discovery document of the ${where} (${discoveryUrl}) has no "history" URL.`);
  }
  httpsOrigin(history);
  return {
    discoveryUrl,
    historyEndpoint: history.replace(/\/+$/, ''),
    mlflowTrackingUri: mlflowTrackingUriToHttps(properties.mlFlowTrackingUri),
  };
}

async function workspaceServiceUris(
  source: WorkspaceGetter | ArmRestClient,
  workspace: WorkspaceRef,
  abortSignal: AbortSignal | undefined,
): Promise<{ discoveryUrl?: string | undefined; mlFlowTrackingUri?: string | undefined }> {
  if (source instanceof ArmRestClient) {
    const response = await source.request<{
      properties?: { discoveryUrl?: string; mlFlowTrackingUri?: string };
    }>({
      method: 'GET',
      path: workspaceArmId(workspace),
      apiVersion: API_VERSIONS.sdk,
      abortSignal,
    });
    return response.body?.properties ?? {};
  }
  return withAzureErrors(() =>
    source.workspaces.get(workspace.resourceGroup, workspace.workspace, abortSignal ? { abortSignal } : {}),
  );
}

/** `azureml://<host>/mlflow/v1.0/…` → `https://<host>/mlflow/v1.0/…` (an https URI is kept). */
export function mlflowTrackingUriToHttps(uri: string): string {
  const trimmed = uri.trim().replace(/\?$/, '');
  const match = /^(azureml|https):\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(trimmed);
  if (!match) {
    throw new Error(`The MLflow tracking URI '${uri}' is neither azureml://<host>/mlflow/… nor https://….`);
  }
  const path = (match[3] ?? '').replace(/\/+$/, '');
  return `https://${match[2]}${path}`;
}

export interface RunDetails {
  runId: string;
  /** The run's Azure ML status (Running, Completed, …). */
  status: string;
  /** Log path (`user_logs/std_log.txt`, …) → read-only URL of its blob (SAS). */
  logFiles: Record<string, string>;
  parentRunId?: string | undefined;
  startTimeUtc?: string | undefined;
  endTimeUtc?: string | undefined;
}

interface RunDetailsBody {
  runId?: unknown;
  status?: unknown;
  logFiles?: unknown;
  parentRunId?: unknown;
  startTimeUtc?: unknown;
  endTimeUtc?: unknown;
}

export class RunHistoryClient {
  private readonly base: string;

  /** `rest` must be the data-plane client for `historyEndpoint`'s origin (DataPlaneClients.forUrl). */
  constructor(
    private readonly rest: ArmRestClient,
    historyEndpoint: string,
    workspace: WorkspaceRef,
  ) {
    const root = historyEndpoint.replace(/\/+$/, '');
    this.base = `${root}/history/v1.0${workspaceArmId(workspace)}`;
  }

  async details(runId: string, options: { abortSignal?: AbortSignal } = {}): Promise<RunDetails> {
    const response = await this.rest.request<RunDetailsBody | undefined>({
      method: 'GET',
      path: `${this.base}/runs/${encodeURIComponent(runId)}/details`,
      abortSignal: options.abortSignal,
    });
    return parseRunDetails(runId, response.body);
  }
}

function parseRunDetails(runId: string, body: RunDetailsBody | undefined): RunDetails {
  if (typeof body !== 'object' || body === null) {
    throw new Error(`Run history answered no JSON object for run '${runId}'.`);
  }
  const logFiles: Record<string, string> = {};
  if (typeof body.logFiles === 'object' && body.logFiles !== null) {
    for (const [file, url] of Object.entries(body.logFiles)) {
      if (typeof url === 'string' && url !== '') logFiles[file] = url;
    }
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    runId: text(body.runId) ?? runId,
    status: text(body.status) ?? 'Unknown',
    logFiles,
    parentRunId: text(body.parentRunId),
    startTimeUtc: text(body.startTimeUtc),
    endTimeUtc: text(body.endTimeUtc),
  };
}

function httpsOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`'${url}' is not a URL.`);
  }
  if (parsed.protocol !== 'https:') {
    throw new Error(`Refusing to send an ARM token over ${parsed.protocol} to ${parsed.origin}: HTTPS only.`);
  }
  return parsed.origin;
}
