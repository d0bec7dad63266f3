// The workspace's blob account (Azurite) as the executor uses it: download a code snapshot or an
// input prefix into a folder, upload a folder or a file. Blob names use `/` separators.
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { StorageAccount } from '../arm-context';

export interface BlobLocation {
  /** The account holding the blobs; absent means the workspace's account. */
  account?: StorageAccount;
  container: string;
  /** Blob name or name prefix, without a leading `/`; may end with `/`. */
  path: string;
}

export class BlobStore {
  /** One service client per account, by blob endpoint (the registry's account is a second one). */
  private readonly services = new Map<string, BlobServiceClient>();

  constructor(readonly account: StorageAccount) {}

  private containerClient(location: BlobLocation) {
    const account = location.account ?? this.account;
    let service = this.services.get(account.blobEndpoint);
    if (!service) {
      service = new BlobServiceClient(
        account.blobEndpoint,
        new StorageSharedKeyCredential(account.accountName, account.accountKey),
      );
      this.services.set(account.blobEndpoint, service);
    }
    return service.getContainerClient(location.container);
  }

  /** Blob names under a prefix. */
  async list(location: BlobLocation, abortSignal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    const container = this.containerClient(location);
    for await (const blob of container.listBlobsFlat({ prefix: location.path, abortSignal }))
      names.push(blob.name);
    return names;
  }

  async exists(location: BlobLocation, abortSignal?: AbortSignal): Promise<boolean> {
    return this.containerClient(location).getBlobClient(location.path).exists({ abortSignal });
  }

  async downloadFile(location: BlobLocation, file: string, abortSignal?: AbortSignal): Promise<number> {
    await mkdir(path.dirname(file), { recursive: true });
    const blob = this.containerClient(location).getBlobClient(location.path);
    const response = await blob.download(0, undefined, { abortSignal });
    if (!response.readableStreamBody)
      throw new Error(`Blob ${location.container}/${location.path} has no body.`);
    await pipeline(response.readableStreamBody, createWriteStream(file), { signal: abortSignal });
    return response.contentLength ?? 0;
  }

  /** Every blob under `<prefix>/` into dir, keeping relative paths. Returns the files written. */
  async downloadFolder(location: BlobLocation, dir: string, abortSignal?: AbortSignal): Promise<string[]> {
    const prefix = location.path === '' || location.path.endsWith('/') ? location.path : `${location.path}/`;
    const names = await this.list({ ...location, path: prefix }, abortSignal);
    const written: string[] = [];
    for (const name of names) {
      const relative = name.slice(prefix.length);
      if (!relative || relative.endsWith('/')) continue;
      const target = path.join(dir, ...relative.split('/'));
      if (!target.startsWith(path.resolve(dir) + path.sep)) continue; // never outside dir (`..` names)
      await this.downloadFile({ ...location, path: name }, target, abortSignal);
      written.push(target);
    }
    return written;
  }

  async uploadFile(location: BlobLocation, file: string, abortSignal?: AbortSignal): Promise<void> {
    await this.containerClient(location).getBlockBlobClient(location.path).uploadFile(file, { abortSignal });
  }

  /** Every file under dir to `<prefix>/<relative path>`. Returns the blob names written. */
  async uploadFolder(dir: string, location: BlobLocation, abortSignal?: AbortSignal): Promise<string[]> {
    const prefix = location.path.replace(/\/+$/, '');
    const written: string[] = [];
    for (const file of await filesUnder(dir)) {
      const relative = path.relative(dir, file).split(path.sep).join('/');
      const name = prefix ? `${prefix}/${relative}` : relative;
      await this.uploadFile({ ...location, path: name }, file, abortSignal);
      written.push(name);
    }
    return written;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const result: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full)).isFile())) result.push(full);
    }
  };
  await walk(dir);
  return result.sort();
}
