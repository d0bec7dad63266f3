// Code versions from local folders, as azure-ai-ml creates them (recorded in
// reference/recordings/python-azure-ai-ml/code_asset__* and command_job__test_command_job_builder):
// hash the snapshot (202208); reuse any code version with that hash (`?hash=&hashVersion=202208`,
// which may live under another name); otherwise upload to `LocalUpload/<hash>/<folder>/…` of the
// default datastore without overwriting (`If-None-Match: *`), mark the first blob with
// `upload_status: completed` + name + version, and PUT the code version.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { API_VERSIONS } from '../arm/api-versions';
import type { ArmRestClient } from '../arm/rest';
import { AzureRequestError, ConfigurationError } from '../errors';
import type { DatastoreBlobs, UploadProgress } from '../storage/datastore-blobs';
import { assetArmId, type WorkspaceRef, workspaceArmId } from '../workspace/arm-id';
import { uuidFromHex } from './anonymous-names';
import { listSnapshotFiles, SNAPSHOT_HASH_VERSION, type SnapshotFile, snapshotHash } from './snapshot';

export const DEFAULT_DATASTORE = 'workspaceblobstore';
export const LOCAL_UPLOAD_FOLDER = 'LocalUpload';

/** The metadata that marks a finished upload (set on the first blob, in hash order). */
export const UPLOAD_COMPLETED = { upload_status: 'completed' } as const;

export interface PreparedCode {
  /** Absolute path of the folder or file. */
  localPath: string;
  kind: 'folder' | 'file';
  hash: string;
  hashVersion: typeof SNAPSHOT_HASH_VERSION;
  /** In hash order. */
  files: SnapshotFile[];
  totalBytes: number;
  /** Base name of the folder (or file): the last segment of the upload path. */
  folderName: string;
}

export interface CodeAssetsOptions {
  /** Where uploads go; default workspaceblobstore (the workspace's default datastore). */
  datastoreName?: string;
  /** Default API_VERSIONS.sdk. */
  apiVersion?: string;
}

export interface CodeUploadOptions {
  concurrency?: number;
  onProgress?: (progress: UploadProgress) => void;
  abortSignal?: AbortSignal;
}

export interface CodeUploadResult {
  /** Code version ARM id, for `codeId`. */
  armId: string;
  uploadedBytes: number;
  /** True when a code version with the same hash existed: nothing was uploaded or created. */
  reused: boolean;
}

export interface LocalArtifactResult {
  /** `azureml://datastores/<ds>/paths/LocalUpload/<hash>/<name>` (a trailing `/` for folders, as recorded). */
  uri: string;
  uploadedBytes: number;
  hash: string;
  /** True when the completion metadata showed an earlier upload of the same content. */
  reused: boolean;
}

interface RestCodeVersion {
  id?: string;
  properties?: { properties?: Record<string, unknown>; codeUri?: string };
}

export class CodeAssets {
  private readonly datastoreName: string;
  private readonly apiVersion: string;

  constructor(
    private readonly rest: ArmRestClient,
    private readonly workspace: WorkspaceRef,
    private readonly blobs: DatastoreBlobs,
    options: CodeAssetsOptions = {},
  ) {
    this.datastoreName = options.datastoreName ?? DEFAULT_DATASTORE;
    this.apiVersion = options.apiVersion ?? API_VERSIONS.sdk;
  }

  /** Lists and hashes the snapshot of `localPath` (a folder or one file). */
  async prepare(
    localPath: string,
    options: { abortSignal?: AbortSignal; input?: string; file?: string } = {},
  ): Promise<PreparedCode> {
    const absolute = path.resolve(localPath);
    const files = await listSnapshotFiles(absolute, {
      ...(options.input ? { input: options.input } : {}),
      ...(options.file ? { file: options.file } : {}),
    });
    const hash = await snapshotHash(files, options.abortSignal ? { abortSignal: options.abortSignal } : {});
    const isFile = (await stat(absolute)).isFile();
    return {
      localPath: absolute,
      kind: isFile ? 'file' : 'folder',
      hash,
      hashVersion: SNAPSHOT_HASH_VERSION,
      files,
      totalBytes: files.reduce((sum, file) => sum + file.size, 0),
      folderName: path.basename(absolute),
    };
  }

  /** The ARM id of a code version whose content hash is `hash`, or undefined. */
  async findByHash(hash: string, options: { abortSignal?: AbortSignal } = {}): Promise<string | undefined> {
    // The lookup searches every code asset; the name in the path is the one we would create.
    const path = `${workspaceArmId(this.workspace)}/codes/${codeNameFor(hash)}/versions`;
    try {
      for await (const item of this.rest.list<RestCodeVersion>(path, API_VERSIONS.codeHashLookup, {
        query: { hash, hashVersion: SNAPSHOT_HASH_VERSION },
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      })) {
        const bag = item.properties?.properties ?? {};
        // Checked again: a service that ignored the filter must not hand back unrelated code.
        if (
          item.id &&
          String(bag.hash_sha256 ?? '').toLowerCase() === hash.toLowerCase() &&
          String(bag.hash_version ?? '') === SNAPSHOT_HASH_VERSION
        ) {
          return item.id;
        }
      }
    } catch (error) {
      if (error instanceof AzureRequestError && error.status === 404) return undefined;
      throw error;
    }
    return undefined;
  }

  /** Reuses a code version with the same hash, or uploads the snapshot and creates one. */
  async upload(prepared: PreparedCode, options: CodeUploadOptions = {}): Promise<CodeUploadResult> {
    const { abortSignal } = options;
    const existing = await this.findByHash(prepared.hash, abortSignal ? { abortSignal } : {});
    if (existing) {
      options.onProgress?.({ files: 0, bytes: 0, totalFiles: 0, totalBytes: 0 });
      return { armId: existing, uploadedBytes: 0, reused: true };
    }
    if (prepared.files.length === 0) {
      throw new ConfigurationError(`The code folder '${prepared.localPath}' has no files to upload.`, {
        fix: 'Add the scripts to the folder, or check that .amlignore/.gitignore does not exclude everything.',
      });
    }
    let name = codeNameFor(prepared.hash);
    let version = '1';
    const stored = await this.uploadSnapshot(prepared, name, version, options);
    name = stored.name;
    version = stored.version;

    const codeUri = await this.blobs.blobUrl(this.datastoreName, codeUriPath(prepared));
    const response = await this.rest.request<RestCodeVersion>({
      method: 'PUT',
      path: assetArmId(this.workspace, 'codes', name, version),
      apiVersion: this.apiVersion,
      body: {
        properties: {
          properties: { hash_sha256: prepared.hash, hash_version: SNAPSHOT_HASH_VERSION },
          isAnonymous: false,
          isArchived: false,
          codeUri,
        },
      },
      ...(abortSignal ? { abortSignal } : {}),
    });
    return {
      armId: response.body?.id ?? assetArmId(this.workspace, 'codes', name, version),
      uploadedBytes: stored.uploadedBytes,
      reused: false,
    };
  }

  /**
   * Uploads a local job input (file or folder) to the default datastore, once per content:
   * when the completion metadata is already there, nothing is sent.
   */
  async uploadLocalArtifact(
    localPath: string,
    options: CodeUploadOptions = {},
  ): Promise<LocalArtifactResult> {
    const prepared = await this.prepare(
      localPath,
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return this.uploadPreparedArtifact(prepared, options);
  }

  /** uploadLocalArtifact for a snapshot already listed and hashed (no second pass over the files). */
  async uploadPreparedArtifact(
    prepared: PreparedCode,
    options: CodeUploadOptions = {},
  ): Promise<LocalArtifactResult> {
    const stored =
      prepared.files.length === 0
        ? { uploadedBytes: 0, reused: false }
        : await this.uploadSnapshot(prepared, codeNameFor(prepared.hash), '1', options);
    const suffix = prepared.kind === 'folder' ? '/' : '';
    return {
      uri: `azureml://datastores/${this.datastoreName}/paths/${codeUriPath(prepared)}${suffix}`,
      uploadedBytes: stored.uploadedBytes,
      hash: prepared.hash,
      reused: stored.reused,
    };
  }

  /**
   * Uploads the files unless the first blob carries the completion mark; returns the name and
   * version the mark records (an earlier upload's, when reused).
   */
  private async uploadSnapshot(
    prepared: PreparedCode,
    name: string,
    version: string,
    options: CodeUploadOptions,
  ): Promise<{ name: string; version: string; uploadedBytes: number; reused: boolean }> {
    const { abortSignal } = options;
    const signal = abortSignal ? { abortSignal } : {};
    const prefix = blobPrefix(prepared);
    const first = prepared.files[0] as SnapshotFile;
    const indicator = `${prefix}/${first.relativePath}`;
    const metadata = await this.blobs.getMetadata(this.datastoreName, indicator, signal);
    if (metadata?.upload_status === UPLOAD_COMPLETED.upload_status) {
      options.onProgress?.({ files: 0, bytes: 0, totalFiles: 0, totalBytes: 0 });
      return {
        name: metadata.name ?? name,
        version: metadata.version ?? version,
        uploadedBytes: 0,
        reused: true,
      };
    }
    const result = await this.blobs.uploadFiles(this.datastoreName, prefix, prepared.files, {
      overwrite: false,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...signal,
    });
    // Only once every blob is there: the mark is what later runs trust.
    await this.blobs.setMetadata(
      this.datastoreName,
      indicator,
      { ...UPLOAD_COMPLETED, name, version },
      signal,
    );
    return { name, version, uploadedBytes: result.uploadedBytes, reused: false };
  }
}

/** The code version name used for a hash: a UUID, like the SDK's names, derived from the hash. */
export function codeNameFor(hash: string): string {
  return uuidFromHex(hash);
}

/** Where the snapshot's blobs go: `LocalUpload/<hash>/<folder>` for a folder, `LocalUpload/<hash>` for a file. */
export function blobPrefix(prepared: Pick<PreparedCode, 'hash' | 'kind' | 'folderName'>): string {
  return prepared.kind === 'folder'
    ? `${LOCAL_UPLOAD_FOLDER}/${prepared.hash}/${prepared.folderName}`
    : `${LOCAL_UPLOAD_FOLDER}/${prepared.hash}`;
}

/** What `codeUri` and local-input URIs name: the folder, or the one file's blob. */
export function codeUriPath(prepared: Pick<PreparedCode, 'hash' | 'folderName'>): string {
  return `${LOCAL_UPLOAD_FOLDER}/${prepared.hash}/${prepared.folderName}`;
}
