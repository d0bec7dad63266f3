// Where online deployments run: each one gets a folder with its code snapshot and model (what
// Azure's storage initializer does) and a local scoring server. An update starts the new server
// beside the old one and swaps only once the new one is ready, like a rolling update.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ArmContext } from '../arm-context';
import { BlobStore } from '../execution/blob-store';
import { codeUriOf } from '../execution/code-snapshot';
import { blobUrlLocation, DataUriError, resolveDataUri } from '../execution/data-uris';

/** What a scoring server needs to start (the contract of `../inference`'s startScoringServer). */
export interface ScoringServerSpec {
  name: string;
  codeDir: string;
  scoringScript: string;
  modelDir: string;
  environmentVariables?: Record<string, string>;
  requestTimeoutInMs?: number;
  startupTimeoutInMs?: number;
}

export interface ScoringServerHandle {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Resolves once the server answers; rejects (with `logs` when it has them) when init fails. */
  ready: Promise<void>;
  logs(tail?: number): string;
  readonly exited: boolean;
  stop(): Promise<void>;
}

export type StartScoringServer = (
  spec: ScoringServerSpec,
) => ScoringServerHandle | Promise<ScoringServerHandle>;

/** Fetches a deployment's code and model into local folders; returns storage-initializer log lines. */
export type DeploymentAssetFetcher = (request: AssetRequest) => Promise<string[]>;

export interface AssetRequest {
  codeId: string | undefined;
  model: string | undefined;
  codeDir: string;
  modelDir: string;
  abortSignal: AbortSignal;
}

export interface ProvisionRequest {
  endpoint: string;
  deployment: string;
  codeId: string | undefined;
  scoringScript: string;
  model: string | undefined;
  environmentVariables: Record<string, string>;
  requestTimeoutInMs: number | undefined;
}

export type ProvisionOutcome = { ok: true } | { ok: false; code: string; message: string };

export type LogContainer = 'InferenceServer' | 'StorageInitializer';

const SHORT_MODEL = /^azureml:([^:/@]+):([^:/@]+)$/;
const MODEL_NAME_VERSION = /\/models\/([^/]+)\/versions\/([^/]+)\/?$/i;

/** A deployment's `model` as a reference resolveDataUri reads: `azureml:n:v` means a workspace model. */
export function modelReference(
  ctx: Pick<ArmContext, 'subscriptionId' | 'resourceGroup' | 'workspace'>,
  model: string,
): string {
  const short = SHORT_MODEL.exec(model);
  if (!short) return model.replace(/^azureml:(?=\/)/, '');
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ctx.workspace}/models/${short[1]}/versions/${short[2]}`;
}

/** Where the model's files go: `<models>/<name>/<version>`, the folder AZUREML_MODEL_DIR names on Azure. */
function modelFolder(root: string, model: string): string {
  const match = MODEL_NAME_VERSION.exec(model);
  return match ? path.join(root, match[1] ?? 'model', match[2] ?? '1') : path.join(root, 'model', '1');
}

/** The default fetcher: code and model blobs from the workspace's (or registry's) storage account. */
export function blobAssetFetcher(ctx: ArmContext): DeploymentAssetFetcher {
  const blobs = new BlobStore(ctx.storage);
  return async ({ codeId, model, codeDir, modelDir, abortSignal }) => {
    const lines: string[] = [];
    mkdirSync(codeDir, { recursive: true });
    mkdirSync(modelDir, { recursive: true });
    if (codeId) {
      const uri = codeUriOf(ctx, codeId);
      const location = /^https?:/i.test(uri) ? blobUrlLocation(ctx, uri) : resolveDataUri(ctx, uri);
      lines.push(`Downloading code ${codeId} from ${uri}`);
      const files = await blobs.downloadFolder(location, codeDir, abortSignal);
      if (files.length === 0)
        throw new DataUriError(`The code snapshot at '${uri}' is empty: no blobs under it.`);
      lines.push(`Code downloaded: ${files.length} file(s)`);
    }
    if (model) {
      const reference = modelReference(ctx, model);
      const location = resolveDataUri(ctx, reference);
      const trimmed = location.path.replace(/\/+$/, '');
      lines.push(`Downloading model ${model}`);
      const single =
        trimmed !== '' &&
        !location.path.endsWith('/') &&
        (await blobs.exists({ ...location, path: trimmed }, abortSignal));
      if (single) {
        await blobs.downloadFile(
          { ...location, path: trimmed },
          path.join(modelDir, path.posix.basename(trimmed)),
          abortSignal,
        );
        lines.push('Model downloaded: 1 file');
      } else {
        // A folder model keeps its folder name under the model directory, as on Azure.
        const folder = path.join(modelDir, path.posix.basename(trimmed) || 'model');
        const files = await blobs.downloadFolder(location, folder, abortSignal);
        if (files.length === 0) throw new DataUriError(`Model '${model}' has no files at its modelUri.`);
        lines.push(`Model downloaded: ${files.length} file(s)`);
      }
    }
    return lines;
  };
}

export interface ScoringHostOptions {
  /** Folder for the deployments' code and model copies. */
  workDir: string;
  startScoringServer: StartScoringServer;
  fetchAssets: DeploymentAssetFetcher;
  startupTimeoutInMs?: number;
  log?: (line: string) => void;
}

interface Slot {
  server?: ScoringServerHandle;
  /** Logs of the last attempt, kept after a failed start. */
  inferenceLogs: string;
  storageLogs: string[];
  generation: number;
  abort?: AbortController;
}

const slotKey = (endpoint: string, deployment: string) => `${endpoint}/${deployment}`.toLowerCase();

export class ScoringHost {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly options: ScoringHostOptions) {}

  private slot(endpoint: string, deployment: string): Slot {
    const key = slotKey(endpoint, deployment);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { inferenceLogs: '', storageLogs: [], generation: 0 };
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** Downloads code and model, starts a server and waits for it; the old server stops once the new one is ready. */
  async provision(request: ProvisionRequest): Promise<ProvisionOutcome> {
    const slot = this.slot(request.endpoint, request.deployment);
    slot.abort?.abort();
    const abort = new AbortController();
    slot.abort = abort;
    slot.generation += 1;
    const generation = slot.generation;
    const root = path.join(
      this.options.workDir,
      request.endpoint.toLowerCase(),
      request.deployment.toLowerCase(),
      String(generation),
    );
    const codeDir = path.join(root, 'code');
    const modelDir = modelFolder(path.join(root, 'azureml-models'), request.model ?? '');
    slot.storageLogs = [];
    try {
      slot.storageLogs = await this.options.fetchAssets({
        codeId: request.codeId,
        model: request.model,
        codeDir,
        modelDir,
        abortSignal: abort.signal,
      });
    } catch (error) {
      const message = (error as Error).message;
      slot.storageLogs.push(`Storage initialization failed: ${message}`);
      return {
        ok: false,
        code: 'ResourceNotReady',
        message: `The deployment's code or model could not be downloaded: ${message}`,
      };
    }
    let server: ScoringServerHandle;
    try {
      server = await this.options.startScoringServer({
        name: `${request.endpoint}/${request.deployment}`,
        codeDir,
        scoringScript: request.scoringScript,
        modelDir,
        environmentVariables: request.environmentVariables,
        ...(request.requestTimeoutInMs !== undefined && { requestTimeoutInMs: request.requestTimeoutInMs }),
        ...(this.options.startupTimeoutInMs !== undefined && {
          startupTimeoutInMs: this.options.startupTimeoutInMs,
        }),
      });
    } catch (error) {
      slot.inferenceLogs = (error as { logs?: string }).logs ?? '';
      return {
        ok: false,
        code: 'ResourceNotReady',
        message: `The scoring server could not start: ${(error as Error).message}`,
      };
    }
    try {
      await server.ready;
    } catch (error) {
      const logs = (error as { logs?: unknown }).logs;
      slot.inferenceLogs = typeof logs === 'string' && logs !== '' ? logs : server.logs();
      await server.stop().catch(() => undefined);
      return {
        ok: false,
        code: 'ResourceNotReady',
        message: `User container has crashed or terminated: the scoring script's init() failed: ${(error as Error).message}. Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-resourcenotready`,
      };
    }
    if (slot.generation !== generation || abort.signal.aborted) {
      // A newer request (or a delete) superseded this one while it started.
      await server.stop().catch(() => undefined);
      return {
        ok: false,
        code: 'Canceled',
        message: 'The deployment was changed or deleted while it started.',
      };
    }
    const previous = slot.server;
    slot.server = server;
    slot.inferenceLogs = '';
    if (previous) await previous.stop().catch(() => undefined);
    this.options.log?.(
      `online deployment ${request.endpoint}/${request.deployment} serving at ${server.url}`,
    );
    return { ok: true };
  }

  /** The running server of a deployment, if it serves. */
  serverUrl(endpoint: string, deployment: string): string | undefined {
    const server = this.slots.get(slotKey(endpoint, deployment))?.server;
    return server && !server.exited ? server.url : undefined;
  }

  logs(endpoint: string, deployment: string, container: LogContainer, tail?: number): string {
    const slot = this.slots.get(slotKey(endpoint, deployment));
    if (!slot) return '';
    const lines =
      container === 'StorageInitializer'
        ? slot.storageLogs
        : (slot.server && slot.inferenceLogs === '' ? slot.server.logs() : slot.inferenceLogs).split('\n');
    const trimmed = lines.at(-1) === '' ? lines.slice(0, -1) : lines;
    return (
      tail !== undefined && tail >= 0 ? trimmed.slice(Math.max(0, trimmed.length - tail)) : trimmed
    ).join('\n');
  }

  /** Stops a deployment's server and forgets it (its folders go too). */
  async stop(endpoint: string, deployment: string): Promise<void> {
    const key = slotKey(endpoint, deployment);
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    slot.abort?.abort();
    await slot.server?.stop().catch(() => undefined);
    rmSync(path.join(this.options.workDir, endpoint.toLowerCase(), deployment.toLowerCase()), {
      recursive: true,
      force: true,
    });
  }

  async stopAll(): Promise<void> {
    const all = [...this.slots.keys()].map((key) => {
      const [endpoint = '', deployment = ''] = key.split('/');
      return this.stop(endpoint, deployment);
    });
    await Promise.all(all);
  }
}
