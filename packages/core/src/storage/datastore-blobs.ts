// Blobs of a workspace's Azure Blob datastores, addressed as `azureml://datastores/<ds>/paths/<p>`:
// parallel uploads with progress, downloads of a prefix, and the blob metadata Azure ML uses to
// mark an upload complete. Credentials come from the datastore itself (listSecrets: account key
// or SAS), the blob service URL from its account, endpoint and protocol (path-style for Azurite).

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isRestError } from '@azure/core-rest-pipeline';
import {
  BlobServiceClient,
  type ContainerClient,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { Datastore, DatastoreClient } from '../datastores/datastore-client';
import { AzureRequestError, ConfigurationError } from '../errors';
import type { WorkspaceRef } from '../workspace/arm-id';
import { parseAzureMlReference } from '../workspace/uri';
import { runPool } from './pool';

export interface DatastoreBlobsOptions {
  /** Storage client pipeline options (TLS, retries, transport in tests). */
  storageOptions?: StoragePipelineOptions;
  /** Parallel uploads when the call sets none; default 8. */
  defaultConcurrency?: number;
  /** When set, long-form URIs must name this workspace. */
  workspace?: WorkspaceRef;
}

export interface UploadFileEntry {
  /** Posix path under the prefix. */
  relativePath: string;
  absolutePath: string;
  size: number;
}

export interface UploadProgress {
  files: number;
  bytes: number;
  totalFiles: number;
  totalBytes: number;
}

export interface UploadFilesOptions {
  concurrency?: number;
  onProgress?: (progress: UploadProgress) => void;
  abortSignal?: AbortSignal;
  /** Metadata set on every uploaded blob. */
  metadata?: Record<string, string>;
  /**
   * Default true. When false, uploads are conditional (`If-None-Match: *`, as the Azure ML SDK
   * sends them) and a blob that already exists is left as it is and counted as skipped.
   */
  overwrite?: boolean;
}

export interface UploadFilesResult {
  /** Blob names written or found, in the order of `files`. */
  blobPaths: string[];
  uploadedFiles: number;
  uploadedBytes: number;
  /** Blobs left alone because they existed (`overwrite: false`). */
  skippedFiles: number;
}

export interface ListedBlob {
  /** Full blob name in the container. */
  name: string;
  /** Posix path relative to the listed folder (the bare file name when the URI names one blob). */
  relativePath: string;
  size: number;
  /** Content-MD5 as hex, when the blob has one. */
  md5?: string;
  etag?: string;
}

export interface BlobListing {
  datastore: string;
  /** The folder (ending in `/`) or the one blob the URI names. */
  blobPath: string;
  /** True when the URI names a single blob rather than a folder. */
  singleBlob: boolean;
  blobs: ListedBlob[];
}

export interface DownloadResult {
  /** Local paths written. */
  files: string[];
  bytes: number;
}

interface DatastoreContainer {
  datastore: Datastore;
  container: ContainerClient;
  /** Container URL without credentials. */
  containerUrl: string;
}

export class DatastoreBlobs {
  private readonly containers = new Map<string, Promise<DatastoreContainer>>();

  constructor(
    private readonly datastores: DatastoreClient,
    private readonly options: DatastoreBlobsOptions = {},
  ) {}

  /** Uploads `files` to `<prefix>/<relativePath>` in the datastore's container, in parallel. */
  async uploadFiles(
    datastoreName: string,
    prefix: string,
    files: readonly UploadFileEntry[],
    options: UploadFilesOptions = {},
  ): Promise<UploadFilesResult> {
    const { container } = await this.container(datastoreName);
    const base = prefix.replace(/^\/+|\/+$/g, '');
    const blobPaths = files.map((file) => joinBlobPath(base, file.relativePath));
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    const progress: UploadProgress = { files: 0, bytes: 0, totalFiles: files.length, totalBytes };
    const inFlight = new Map<number, number>();
    const report = () => {
      let bytes = progress.bytes;
      for (const loaded of inFlight.values()) bytes += loaded;
      options.onProgress?.({ ...progress, bytes });
    };
    const result: UploadFilesResult = { blobPaths, uploadedFiles: 0, uploadedBytes: 0, skippedFiles: 0 };
    const overwrite = options.overwrite ?? true;

    await runPool(
      files.length,
      options.concurrency ?? this.options.defaultConcurrency ?? 8,
      options.abortSignal,
      async (index) => {
        const file = files[index] as UploadFileEntry;
        const blobPath = blobPaths[index] as string;
        const blob = container.getBlockBlobClient(blobPath);
        let skipped = false;
        try {
          await blob.uploadFile(file.absolutePath, {
            abortSignal: options.abortSignal,
            blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
            ...(options.metadata ? { metadata: options.metadata } : {}),
            ...(overwrite ? {} : { conditions: { ifNoneMatch: '*' } }),
            onProgress: (event) => {
              inFlight.set(index, event.loadedBytes);
              report();
            },
          });
        } catch (error) {
          if (!overwrite && isRestError(error) && (error.statusCode === 409 || error.statusCode === 412)) {
            skipped = true;
          } else {
            throw storageError('PUT', blob.url, error, `upload '${file.relativePath}' to '${blobPath}'`);
          }
        }
        inFlight.delete(index);
        progress.files += 1;
        if (skipped) {
          result.skippedFiles += 1;
        } else {
          progress.bytes += file.size;
          result.uploadedFiles += 1;
          result.uploadedBytes += file.size;
        }
        report();
      },
    );
    return result;
  }

  /**
   * Downloads what `uri` names into `localDir`: every blob under the path (kept relative to it),
   * or the one blob the path names (as `localDir/<base name>`).
   */
  async download(
    uri: string,
    localDir: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<DownloadResult> {
    const { datastore, blobPath } = this.parseUri(uri);
    const { container } = await this.container(datastore);
    const target = path.resolve(localDir);
    const result: DownloadResult = { files: [], bytes: 0 };
    const folder = blobPath === '' || blobPath.endsWith('/') ? blobPath : `${blobPath}/`;

    const names: string[] = [];
    try {
      for await (const item of container.listBlobsFlat({
        ...(folder ? { prefix: folder } : {}),
        abortSignal: options.abortSignal,
      })) {
        if (!item.name.endsWith('/')) names.push(item.name);
      }
    } catch (error) {
      throw storageError('GET', container.url, error, `list the blobs under '${folder}'`);
    }
    const single = names.length === 0 && blobPath !== '' && !blobPath.endsWith('/');
    const downloads = single
      ? [{ name: blobPath, local: path.join(target, path.posix.basename(blobPath)) }]
      : names.map((name) => ({ name, local: path.join(target, ...name.slice(folder.length).split('/')) }));
    if ((single && !(await this.exists(datastore, blobPath))) || (!single && names.length === 0)) {
      throw new ConfigurationError(`Nothing is stored at '${uri}': no blob or folder of that name.`, {
        fix: `Check the path after /paths/ in datastore '${datastore}'.`,
      });
    }
    for (const { name, local } of downloads) {
      // A blob named with `..` must not write outside the target folder.
      if (!local.startsWith(target + path.sep)) continue;
      await mkdir(path.dirname(local), { recursive: true });
      const blob = container.getBlobClient(name);
      try {
        const response = await blob.downloadToFile(local, 0, undefined, { abortSignal: options.abortSignal });
        result.bytes += response.contentLength ?? 0;
      } catch (error) {
        throw storageError('GET', blob.url, error, `download '${name}'`);
      }
      result.files.push(local);
    }
    return result;
  }

  /**
   * What `uri` names: every blob under the folder, or the one blob of that name. An empty listing
   * means nothing is stored there (the caller decides whether that is an error).
   */
  async list(uri: string, options: { abortSignal?: AbortSignal } = {}): Promise<BlobListing> {
    const { datastore, blobPath } = this.parseUri(uri);
    const { container } = await this.container(datastore);
    const folder = blobPath === '' || blobPath.endsWith('/') ? blobPath : `${blobPath}/`;
    const blobs: ListedBlob[] = [];
    try {
      for await (const item of container.listBlobsFlat({
        ...(folder ? { prefix: folder } : {}),
        abortSignal: options.abortSignal,
      })) {
        if (item.name.endsWith('/')) continue;
        blobs.push(listedBlob(item.name, item.name.slice(folder.length), item.properties));
      }
    } catch (error) {
      throw storageError('GET', container.url, error, `list the blobs under '${folder}'`);
    }
    if (blobs.length > 0 || blobPath === '' || blobPath.endsWith('/')) {
      return { datastore, blobPath: folder, singleBlob: false, blobs };
    }
    const blob = container.getBlobClient(blobPath);
    try {
      const properties = await blob.getProperties({ abortSignal: options.abortSignal });
      const single = listedBlob(blobPath, path.posix.basename(blobPath), {
        contentLength: properties.contentLength,
        contentMD5: properties.contentMD5,
        etag: properties.etag,
      });
      return { datastore, blobPath, singleBlob: true, blobs: [single] };
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) {
        return { datastore, blobPath, singleBlob: true, blobs: [] };
      }
      throw storageError('HEAD', blob.url, error, `read the properties of '${blobPath}'`);
    }
  }

  /** The container client of a blob datastore, with the datastore's credentials. */
  async containerClient(datastoreName: string): Promise<ContainerClient> {
    return (await this.container(datastoreName)).container;
  }

  async exists(
    datastoreName: string,
    blobPath: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<boolean> {
    const { container } = await this.container(datastoreName);
    const blob = container.getBlobClient(blobPath);
    try {
      return await blob.exists({ abortSignal: options.abortSignal });
    } catch (error) {
      throw storageError('HEAD', blob.url, error, `check '${blobPath}'`);
    }
  }

  /** The blob's metadata, or undefined when the blob does not exist. */
  async getMetadata(
    datastoreName: string,
    blobPath: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<Record<string, string> | undefined> {
    const { container } = await this.container(datastoreName);
    const blob = container.getBlobClient(blobPath);
    try {
      const properties = await blob.getProperties({ abortSignal: options.abortSignal });
      return { ...(properties.metadata ?? {}) };
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return undefined;
      throw storageError('HEAD', blob.url, error, `read the metadata of '${blobPath}'`);
    }
  }

  async setMetadata(
    datastoreName: string,
    blobPath: string,
    metadata: Record<string, string>,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<void> {
    const { container } = await this.container(datastoreName);
    const blob = container.getBlobClient(blobPath);
    try {
      await blob.setMetadata(metadata, { abortSignal: options.abortSignal });
    } catch (error) {
      throw storageError('PUT', blob.url, error, `set the metadata of '${blobPath}'`);
    }
  }

  /** The blob's URL without credentials (what a code version's `codeUri` holds). */
  async blobUrl(datastoreName: string, blobPath: string): Promise<string> {
    const { containerUrl } = await this.container(datastoreName);
    const encoded = blobPath
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
    return `${containerUrl}/${encoded}`;
  }

  /** `azureml://datastores/<ds>/paths/<p>` (short or long form) → datastore and blob path. */
  parseUri(uri: string): { datastore: string; blobPath: string } {
    const ref = parseAzureMlReference(uri);
    if (ref.kind !== 'datastore') {
      throw new ConfigurationError(`'${uri}' is not a datastore URI.`, {
        fix: 'Write azureml://datastores/<datastore>/paths/<path>.',
      });
    }
    const expected = this.options.workspace;
    if (ref.form === 'long' && expected) {
      const same =
        ref.workspace.subscriptionId.toLowerCase() === expected.subscriptionId.toLowerCase() &&
        ref.workspace.resourceGroup.toLowerCase() === expected.resourceGroup.toLowerCase() &&
        ref.workspace.workspace.toLowerCase() === expected.workspace.toLowerCase();
      if (!same) {
        throw new ConfigurationError(
          `'${uri}' names workspace '${ref.workspace.workspace}' (resource group '${ref.workspace.resourceGroup}'), not '${expected.workspace}' (resource group '${expected.resourceGroup}').`,
          {
            fix: `Use a URI of workspace '${expected.workspace}', or azureml://datastores/${ref.datastore}/paths/${ref.path}.`,
          },
        );
      }
    }
    return { datastore: ref.datastore, blobPath: ref.path };
  }

  private container(datastoreName: string): Promise<DatastoreContainer> {
    let pending = this.containers.get(datastoreName);
    if (!pending) {
      pending = this.connect(datastoreName);
      // A failed lookup is not cached: the next call tries again.
      pending.catch(() => this.containers.delete(datastoreName));
      this.containers.set(datastoreName, pending);
    }
    return pending;
  }

  private async connect(datastoreName: string): Promise<DatastoreContainer> {
    let datastore: Datastore;
    try {
      datastore = await this.datastores.get(datastoreName);
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) {
        throw new ConfigurationError(`The workspace has no datastore '${datastoreName}'.`, {
          fix: 'Use an existing datastore name (the default one is workspaceblobstore).',
          cause: error,
        });
      }
      throw error;
    }
    const { blobServiceUrl, containerName, accountName } = datastore;
    if (!blobServiceUrl || !containerName || !accountName || datastore.type !== 'AzureBlob') {
      throw new ConfigurationError(
        `Datastore '${datastoreName}' is of type '${datastore.type}', not an Azure Blob container with an account.`,
        { fix: 'Use an AzureBlob datastore such as workspaceblobstore.' },
      );
    }
    const secrets = await this.datastores.listSecrets(datastoreName);
    const serviceUrl = blobServiceUrl.replace(/\/+$/, '');
    let service: BlobServiceClient;
    if (secrets.kind === 'AccountKey' && secrets.secret) {
      const credential = new StorageSharedKeyCredential(accountName, secrets.secret);
      service = new BlobServiceClient(serviceUrl, credential, this.options.storageOptions);
    } else if (secrets.kind === 'Sas' && secrets.secret) {
      const sas = secrets.secret.replace(/^\?/, '');
      service = new BlobServiceClient(`${serviceUrl}?${sas}`, undefined, this.options.storageOptions);
    } else {
      throw new ConfigurationError(
        `Datastore '${datastoreName}' has no account key or SAS token to upload with (credentials: ${secrets.kind}).`,
        { fix: 'Give the datastore account-key or SAS credentials, or use workspaceblobstore.' },
      );
    }
    return {
      datastore,
      container: service.getContainerClient(containerName),
      containerUrl: `${serviceUrl}/${containerName}`,
    };
  }
}

function listedBlob(
  name: string,
  relativePath: string,
  properties: {
    contentLength?: number | undefined;
    contentMD5?: Uint8Array | undefined;
    etag?: string | undefined;
  },
): ListedBlob {
  return {
    name,
    relativePath,
    size: properties.contentLength ?? 0,
    ...(properties.contentMD5 && properties.contentMD5.length > 0
      ? { md5: Buffer.from(properties.contentMD5).toString('hex') }
      : {}),
    ...(properties.etag ? { etag: properties.etag } : {}),
  };
}

function joinBlobPath(prefix: string, relativePath: string): string {
  const relative = relativePath.replace(/\\/g, '/').replace(/^\/+/, '');
  return prefix === '' ? relative : `${prefix}/${relative}`;
}

/** A storage failure as AzureRequestError, with the URL's query (the SAS) left out. */
function storageError(method: string, url: string, error: unknown, action: string): unknown {
  if (!isRestError(error)) return error;
  const code = (error.details as { errorCode?: string } | undefined)?.errorCode ?? error.code;
  return new AzureRequestError({
    method,
    url: url.split('?')[0] ?? url,
    status: error.statusCode ?? 0,
    code,
    serviceMessage: `could not ${action}: ${error.message.split('\n')[0]}`,
    requestId: error.response?.headers.get('x-ms-request-id'),
    cause: error,
  });
}
