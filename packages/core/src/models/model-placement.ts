// Puts a model's files where the new version will point: a workspace version references files
// already in a datastore (job outputs, datastore paths), local files go up like code (content
// addressed, once), S3/GCS objects are copied into the default datastore; a registry version gets
// its own copy in the registry's storage through the SAS of startPendingUpload. Every copy is
// streamed, checked (size, and MD5 when the source has one) and only referenced once complete.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { type CodeAssets, DEFAULT_DATASTORE, UPLOAD_COMPLETED } from '../assets/code-assets';
import { AzureRequestError } from '../errors';
import type { DatastoreBlobs } from '../storage/datastore-blobs';
import { runPool } from '../storage/pool';
import type { ModelContent } from './model-content';
import type { ModelStore } from './model-store';

export const IMPORT_FOLDER = 'ImportedModels';

/** Opens an object of an external bucket (s3://, gs://) for reading; from the object-store layer. */
export type ExternalOpener = (url: string, key: string, abortSignal?: AbortSignal) => Promise<Readable>;

export interface PlacementDeps {
  blobs: DatastoreBlobs;
  codeAssets: CodeAssets;
  openExternal: ExternalOpener;
  storageOptions?: StoragePipelineOptions | undefined;
  /** Secrets (SAS URLs) are handed here before use. */
  onSecret: (secret: string) => void;
  onProgress?:
    | ((progress: { files: number; bytes: number; totalFiles: number; totalBytes: number }) => void)
    | undefined;
  concurrency?: number | undefined;
  abortSignal?: AbortSignal | undefined;
}

export interface Placement {
  modelUri: string;
  uploadedBytes: number;
}

/** Where a workspace model version's files are, uploading or copying them first when needed. */
export async function placeInWorkspace(content: ModelContent, deps: PlacementDeps): Promise<Placement> {
  const location = content.location;
  switch (location.kind) {
    case 'datastore':
      return { modelUri: location.uri, uploadedBytes: 0 };
    case 'registry-model':
      return { modelUri: location.uri, uploadedBytes: 0 };
    case 'local': {
      const result = await deps.codeAssets.uploadPreparedArtifact(location.prepared, {
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
        ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
      });
      return { modelUri: result.uri, uploadedBytes: result.uploadedBytes };
    }
    case 'external': {
      const baseName = lastSegment(location.url);
      const prefix = content.singleFile
        ? `${IMPORT_FOLDER}/${content.contentHash}`
        : `${IMPORT_FOLDER}/${content.contentHash}/${baseName}`;
      const container = await deps.blobs.containerClient(DEFAULT_DATASTORE);
      const first = `${prefix}/${content.files[0]?.relativePath ?? ''}`;
      const suffix = content.singleFile ? `/${content.files[0]?.relativePath ?? ''}` : '/';
      const modelUri = `azureml://datastores/${DEFAULT_DATASTORE}/paths/${prefix}${suffix}`;
      const metadata = await deps.blobs.getMetadata(DEFAULT_DATASTORE, first, signal(deps));
      if (metadata?.upload_status === UPLOAD_COMPLETED.upload_status) return { modelUri, uploadedBytes: 0 };
      const uploadedBytes = await copyInto(container, prefix, content, deps);
      // The mark goes on last: a copy that stopped half-way is never taken for a complete one.
      await deps.blobs.setMetadata(DEFAULT_DATASTORE, first, { ...UPLOAD_COMPLETED }, signal(deps));
      return { modelUri, uploadedBytes };
    }
  }
}

/** Copies the files into a fresh pending-upload folder of the registry; the folder becomes modelUri. */
export async function placeInRegistry(
  content: ModelContent,
  store: ModelStore,
  name: string,
  version: string,
  deps: PlacementDeps,
): Promise<Placement> {
  if (content.location.kind === 'registry-model') {
    throw new Error('A registry model is not copied into another registry here.');
  }
  const upload = await store.startPendingUpload(name, version, signal(deps));
  deps.onSecret(upload.sasUri);
  const sas = new URL(upload.sasUri);
  deps.onSecret(sas.search.slice(1));
  const { containerUrl, prefix } = splitContainerUrl(upload.blobUri);
  const container = new ContainerClient(`${containerUrl}${sas.search}`, undefined, deps.storageOptions);
  const uploadedBytes = await copyInto(container, prefix, content, deps);
  const folder = upload.blobUri.replace(/\/+$/, '');
  const modelUri = content.singleFile
    ? `${folder}/${encodePath(content.files[0]?.relativePath ?? '')}`
    : `${folder}/`;
  return { modelUri, uploadedBytes };
}

/** Streams every file of `content` to `<prefix>/<relativePath>` in `container`, verified. */
async function copyInto(
  container: ContainerClient,
  prefix: string,
  content: ModelContent,
  deps: PlacementDeps,
): Promise<number> {
  const files = content.files;
  const totalBytes = content.totalBytes;
  let done = 0;
  let bytes = 0;
  await runPool(files.length, deps.concurrency ?? 8, deps.abortSignal, async (index) => {
    const file = files[index] as ModelContent['files'][number];
    const blobName = prefix === '' ? file.relativePath : `${prefix.replace(/\/+$/, '')}/${file.relativePath}`;
    const source = await openSource(content, index, deps);
    const md5 = createHash('md5');
    let size = 0;
    const counted = new PassThrough();
    counted.on('data', (chunk: Buffer) => {
      md5.update(chunk);
      size += chunk.length;
    });
    const blob = container.getBlockBlobClient(blobName);
    try {
      await Promise.all([
        pipeline(source as NodeJS.ReadableStream, counted),
        blob.uploadStream(counted, 4 * 1024 * 1024, 4, {
          blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
          ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
        }),
      ]);
      const digest = md5.digest();
      const expectedMd5 = file.checksum.startsWith('md5:') ? file.checksum.slice(4) : undefined;
      if (size !== file.size || (expectedMd5 && expectedMd5 !== digest.toString('hex'))) {
        await blob.deleteIfExists();
        throw new Error(
          `copying '${file.relativePath}' read ${size} bytes (MD5 ${digest.toString('hex')}), but the source lists ${file.size} bytes${expectedMd5 ? ` (MD5 ${expectedMd5})` : ''}; the copy was removed`,
        );
      }
      await blob.setHTTPHeaders({ blobContentType: 'application/octet-stream', blobContentMD5: digest });
    } catch (error) {
      throw storageFailure(error, blob.url, file.relativePath);
    }
    done += 1;
    bytes += file.size;
    deps.onProgress?.({ files: done, bytes, totalFiles: files.length, totalBytes });
  });
  return bytes;
}

async function openSource(content: ModelContent, index: number, deps: PlacementDeps): Promise<Readable> {
  const location = content.location;
  switch (location.kind) {
    case 'local': {
      const file = location.prepared.files[index];
      if (!file) throw new Error(`No local file ${index}.`);
      return createReadStream(file.absolutePath);
    }
    case 'datastore': {
      const blob = location.listing.blobs[index];
      if (!blob) throw new Error(`No blob ${index}.`);
      const container = await deps.blobs.containerClient(location.listing.datastore);
      const response = await container.getBlobClient(blob.name).download(0, undefined, signal(deps));
      const body = response.readableStreamBody;
      if (!body) throw new Error(`Downloading '${blob.name}' returned no body.`);
      return body as Readable;
    }
    case 'external': {
      const object = location.objects[index];
      if (!object) throw new Error(`No object ${index}.`);
      return deps.openExternal(location.url, object.key, deps.abortSignal);
    }
    case 'registry-model':
      throw new Error('A registry model reference has no files to open.');
  }
}

/** `https://acct.blob…/container/a/b` or path-style `http://127.0.0.1:1/acct/container/a/b` → container URL and `a/b`. */
export function splitContainerUrl(blobUri: string): { containerUrl: string; prefix: string } {
  const url = new URL(blobUri);
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  // The hosts @azure/storage-blob itself treats as path-style (isIpEndpointStyle), so the container
  // URL given to ContainerClient is read the same way.
  const pathStyle = /^(localhost|host\.docker\.internal|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i.test(
    url.hostname,
  );
  const head = pathStyle ? 2 : 1;
  if (segments.length < head) throw new Error(`'${url.origin}${url.pathname}' names no blob container.`);
  return {
    containerUrl: `${url.origin}/${segments.slice(0, head).join('/')}`,
    prefix: segments.slice(head).map(decodeURIComponent).join('/'),
  };
}

function storageFailure(error: unknown, url: string, file: string): unknown {
  if (error instanceof AzureRequestError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  return new AzureRequestError({
    method: 'PUT',
    url: url.split('?')[0] ?? url,
    status: status ?? 0,
    code: (error as { code?: string }).code,
    serviceMessage: `could not copy '${file}': ${(error as Error).message.split('\n')[0]}`,
    cause: error,
  });
}

function lastSegment(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || 'model';
}

function encodePath(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

const signal = (deps: { abortSignal?: AbortSignal | undefined }) =>
  deps.abortSignal ? { abortSignal: deps.abortSignal } : {};
