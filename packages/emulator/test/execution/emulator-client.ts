// Drives a real in-process emulator like a client does: a token from its authority, code uploaded
// to Azurite with @azure/storage-blob and registered as a code version, jobs PUT and polled over HTTPS.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { httpsRequest, sleep } from '../../../../test/support/https';
import { defaultBlobContainers } from '../../src/arm/index';
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from '../../src/azurite/azurite-process';
import { type RunningEmulator, startEmulator } from '../../src/index';

export const API = 'api-version=2025-12-01';
const TERMINAL = ['Completed', 'Failed', 'Canceled'];

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes.
type Loose = any;

export interface TestEmulator {
  emulator: RunningEmulator;
  stateDir: string;
  ca: Buffer;
  workspacePath: string;
  blobContainer: string;
  containerClient(name: string): ReturnType<BlobServiceClient['getContainerClient']>;
  request(
    method: string,
    pathOrUrl: string,
    body?: unknown,
  ): Promise<{ status: number; json: Loose; text: string; headers: Record<string, string> }>;
  /** Uploads files as a code snapshot and creates a code version; returns its ARM id. */
  createCode(name: string, files: Record<string, string>): Promise<string>;
  uploadData(blobPath: string, content: string): Promise<string>;
  putJob(name: string, properties: Record<string, unknown>): Promise<Loose>;
  getJob(name: string): Promise<Loose>;
  waitForJob(name: string, timeoutInMs?: number, until?: (job: Loose) => boolean): Promise<Loose>;
  mlflow(op: string, body?: unknown, method?: string): Promise<Loose>;
  stop(): Promise<void>;
}

export async function startTestEmulator(): Promise<TestEmulator> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'aml-exec-'));
  const emulator = await startEmulator({ stateDir, log: () => {} });
  const { info } = emulator;
  const ca = readFileSync(info.caCertPath);
  const tokenResponse = await httpsRequest(`${info.authorityHost}/${info.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    ca,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: info.clientId,
      client_secret: info.clientSecret,
      scope: 'https://management.azure.com/.default',
    }).toString(),
  });
  const token = tokenResponse.json.access_token as string;
  const workspacePath = `/subscriptions/${info.subscriptionId}/resourceGroups/${info.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${info.workspace}`;
  const service = new BlobServiceClient(
    info.blobEndpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  );
  const blobContainer = defaultBlobContainers(info).blobStore;

  const request = async (method: string, pathOrUrl: string, body?: unknown) => {
    const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${info.armEndpoint}${pathOrUrl}`;
    const response = await httpsRequest(url, {
      method,
      ca,
      headers: { Authorization: `Bearer ${token}` },
      ...(body !== undefined && { body }),
    });
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
    );
    return { status: response.status, json: response.json, text: response.text, headers };
  };

  const getJob = async (name: string) => {
    const response = await request('GET', `${workspacePath}/jobs/${name}?${API}`);
    if (response.status !== 200) throw new Error(`GET job ${name}: ${response.status} ${response.text}`);
    return response.json;
  };

  return {
    emulator,
    stateDir,
    ca,
    workspacePath,
    blobContainer,
    containerClient: (name) => service.getContainerClient(name),
    request,
    async createCode(name, files) {
      const container = service.getContainerClient(blobContainer);
      const prefix = `LocalUpload/${name}-hash/src`;
      for (const [file, content] of Object.entries(files)) {
        await container.getBlockBlobClient(`${prefix}/${file}`).upload(content, Buffer.byteLength(content));
      }
      const response = await request('PUT', `${workspacePath}/codes/${name}/versions/1?${API}`, {
        properties: { codeUri: `${info.blobEndpoint}/${blobContainer}/${prefix}`, isAnonymous: true },
      });
      if (response.status >= 300) throw new Error(`PUT code: ${response.status} ${response.text}`);
      return response.json.id as string;
    },
    async uploadData(blobPath, content) {
      await service
        .getContainerClient(blobContainer)
        .getBlockBlobClient(blobPath)
        .upload(content, Buffer.byteLength(content));
      return `azureml://datastores/workspaceblobstore/paths/${blobPath}`;
    },
    async putJob(name, properties) {
      const response = await request('PUT', `${workspacePath}/jobs/${name}?${API}`, { properties });
      if (response.status !== 201) throw new Error(`PUT job ${name}: ${response.status} ${response.text}`);
      return response.json;
    },
    getJob,
    async waitForJob(name, timeoutInMs = 60_000, until = (job) => TERMINAL.includes(job.properties.status)) {
      const deadline = Date.now() + timeoutInMs;
      for (;;) {
        const job = await getJob(name);
        if (until(job)) return job;
        if (Date.now() > deadline)
          throw new Error(`Job ${name} still ${job.properties.status} after ${timeoutInMs} ms`);
        await sleep(100);
      }
    },
    async mlflow(op, body, method = 'POST') {
      const response = await request(
        method,
        `${info.armEndpoint}/mlflow/v1.0${workspacePath}/api/2.0/mlflow/${op}`,
        body,
      );
      return response.json;
    },
    async stop() {
      await emulator.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
