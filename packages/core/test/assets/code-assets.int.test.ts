// Code snapshots, local inputs and anonymous assets against the real emulator and its Azurite:
// what lands in blob storage, what the code version records, and that unchanged content is
// never uploaded twice.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient, type ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorConnection, oidcConnection } from '../../../../test/support/connection';
import { type EmulatorProcess, startEmulatorProcess } from '../../../../test/support/emulator';
import { AssetVersions } from '../../src/assets/asset-versions';
import { CodeAssets } from '../../src/assets/code-assets';
import { ConfigurationError } from '../../src/errors';
import type { UploadProgress } from '../../src/storage/datastore-blobs';
import { DatastoreBlobs } from '../../src/storage/datastore-blobs';

const IMAGE = 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest';

describe('code assets against the emulator', () => {
  let emulator: EmulatorProcess;
  let connection: EmulatorConnection;
  let blobs: DatastoreBlobs;
  let code: CodeAssets;
  let assets: AssetVersions;
  /** The workspace blob container, read with its own client (not through DatastoreBlobs). */
  let container: ContainerClient;
  let scratch: string;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    connection = oidcConnection(emulator.info);
    blobs = new DatastoreBlobs(connection.datastores, { workspace: connection.workspace });
    code = new CodeAssets(connection.clients.rest, connection.workspace, blobs);
    assets = new AssetVersions(connection.clients.rest, connection.workspace);
    const store = await connection.datastores.get('workspaceblobstore');
    const { secret } = await connection.datastores.listSecrets('workspaceblobstore');
    container = new BlobServiceClient(
      store.blobServiceUrl ?? '',
      new StorageSharedKeyCredential(store.accountName ?? '', secret ?? ''),
    ).getContainerClient(store.containerName ?? '');
    scratch = mkdtempSync(path.join(os.tmpdir(), 'code-assets-'));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  function tree(name: string, files: Record<string, string>): string {
    const root = path.join(mkdtempSync(path.join(scratch, 'tree-')), name);
    for (const [relative, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), content);
    }
    mkdirSync(root, { recursive: true });
    return root;
  }

  async function blobNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const item of container.listBlobsFlat({ prefix })) names.push(item.name);
    return names.sort();
  }

  it('uploads a snapshot once, reuses it unchanged, and uploads again when it changes', async () => {
    const src = tree('src', {
      '.amlignore': '*.log\nscratch/\n',
      'train.py': 'print("training")\n',
      'lib/util.py': 'def helper():\n    return 42\n',
      'debug.log': 'noise\n',
      'scratch/big.bin': 'x'.repeat(10_000),
    });
    const prepared = await code.prepare(src);
    expect(prepared.files.map((f) => f.relativePath)).toEqual(['.amlignore', 'lib/util.py', 'train.py']);
    expect(prepared).toMatchObject({ kind: 'folder', folderName: 'src', hashVersion: '202208' });
    expect(prepared.totalBytes).toBe(14 + 18 + 29);

    const progress: UploadProgress[] = [];
    const first = await code.upload(prepared, { concurrency: 2, onProgress: (p) => progress.push(p) });
    expect(first.reused).toBe(false);
    expect(first.uploadedBytes).toBe(prepared.totalBytes);
    expect(progress.at(-1)).toEqual({
      files: 3,
      bytes: prepared.totalBytes,
      totalFiles: 3,
      totalBytes: prepared.totalBytes,
    });

    // Blobs: exactly the kept files, under LocalUpload/<hash>/<folder>/, the ignored ones absent.
    const prefix = `LocalUpload/${prepared.hash}/src/`;
    expect(await blobNames(`LocalUpload/${prepared.hash}/`)).toEqual([
      `${prefix}.amlignore`,
      `${prefix}lib/util.py`,
      `${prefix}train.py`,
    ]);
    const trainBytes = await container.getBlobClient(`${prefix}train.py`).downloadToBuffer();
    expect(trainBytes.toString()).toBe('print("training")\n');
    // The completion mark sits on the first blob in hash order, with the code version's name and version.
    const marked = await container.getBlobClient(`${prefix}.amlignore`).getProperties();
    const codeName = /\/codes\/([^/]+)\/versions\/1$/.exec(first.armId)?.[1];
    expect(codeName).toBeDefined();
    expect(marked.metadata).toEqual({ upload_status: 'completed', name: codeName, version: '1' });

    // The code version records the hash and the folder's URL.
    const version = await assets.get('codes', codeName ?? '', '1');
    expect(version?.id).toBe(first.armId);
    expect(version?.properties).toMatchObject({
      properties: { hash_sha256: prepared.hash, hash_version: '202208' },
      isAnonymous: false,
      codeUri: `${container.url}/LocalUpload/${prepared.hash}/src`,
    });
    expect(await code.findByHash(prepared.hash)).toBe(first.armId);

    // Unchanged: nothing uploaded, same code version.
    const again = await code.upload(await code.prepare(src));
    expect(again).toEqual({ armId: first.armId, uploadedBytes: 0, reused: true });

    // A change in an ignored file changes nothing either.
    writeFileSync(path.join(src, 'debug.log'), 'more noise\n');
    expect((await code.prepare(src)).hash).toBe(prepared.hash);

    // One file changed: new hash, new upload, new code version.
    writeFileSync(path.join(src, 'train.py'), 'print("training v2")\n');
    const changed = await code.prepare(src);
    expect(changed.hash).not.toBe(prepared.hash);
    const second = await code.upload(changed);
    expect(second.reused).toBe(false);
    expect(second.uploadedBytes).toBe(changed.totalBytes);
    expect(second.armId).not.toBe(first.armId);

    // Download the new snapshot back (folder, then one file) and compare bytes.
    const back = path.join(scratch, 'back');
    const downloaded = await blobs.download(
      `azureml://datastores/workspaceblobstore/paths/LocalUpload/${changed.hash}/src/`,
      back,
    );
    expect(downloaded.files.map((f) => path.relative(back, f).split(path.sep).join('/')).sort()).toEqual([
      '.amlignore',
      'lib/util.py',
      'train.py',
    ]);
    expect(downloaded.bytes).toBe(changed.totalBytes);
    for (const file of changed.files) {
      expect(readFileSync(path.join(back, file.relativePath))).toEqual(readFileSync(file.absolutePath));
    }
    const { subscriptionId, resourceGroup, workspace } = connection.workspace;
    const one = await blobs.download(
      `azureml://subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/workspaces/${workspace}/datastores/workspaceblobstore/paths/LocalUpload/${changed.hash}/src/train.py`,
      path.join(scratch, 'one'),
    );
    expect(one.files).toEqual([path.join(scratch, 'one', 'train.py')]);
    expect(readFileSync(one.files[0] ?? '', 'utf8')).toBe('print("training v2")\n');
  });

  it('uploads a single-file snapshot as one blob named by the code URI', async () => {
    const folder = tree('single', { 'score.py': 'def run(data):\n    return data\n' });
    const prepared = await code.prepare(path.join(folder, 'score.py'));
    expect(prepared).toMatchObject({ kind: 'file', folderName: 'score.py' });
    const result = await code.upload(prepared);
    expect(await blobNames(`LocalUpload/${prepared.hash}/`)).toEqual([
      `LocalUpload/${prepared.hash}/score.py`,
    ]);
    const version = await assets.get('codes', /\/codes\/([^/]+)\//.exec(result.armId)?.[1] ?? '', '1');
    expect(version?.properties.codeUri).toBe(`${container.url}/LocalUpload/${prepared.hash}/score.py`);
  });

  it('uploads a local job input once per content', async () => {
    const data = tree('data', { 'train.csv': 'a,b\n1,2\n', 'test.csv': 'a,b\n3,4\n' });
    const first = await code.uploadLocalArtifact(data);
    expect(first.uri).toBe(`azureml://datastores/workspaceblobstore/paths/LocalUpload/${first.hash}/data/`);
    expect(first).toMatchObject({ uploadedBytes: 16, reused: false });
    expect(await blobNames(`LocalUpload/${first.hash}/`)).toEqual([
      `LocalUpload/${first.hash}/data/test.csv`,
      `LocalUpload/${first.hash}/data/train.csv`,
    ]);
    const again = await code.uploadLocalArtifact(data);
    expect(again).toEqual({ ...first, uploadedBytes: 0, reused: true });

    const file = await code.uploadLocalArtifact(path.join(data, 'train.csv'));
    expect(file.uri).toBe(`azureml://datastores/workspaceblobstore/paths/LocalUpload/${file.hash}/train.csv`);
  });

  it('creates an anonymous environment and component once for the same spec', async () => {
    const conda = 'channels:\n- conda-forge\ndependencies:\n- python=3.10\nname: train-env\n';
    const env = await assets.anonymousEnvironmentVersion({ image: IMAGE, condaFile: conda });
    expect(env).toMatchObject({
      name: 'CliV2AnonymousEnvironment',
      version: 'ba2d0e7eb02a4b8eec62ca6b4311df65',
      created: true,
    });
    const envAgain = await assets.anonymousEnvironmentVersion({ image: IMAGE, condaFile: conda });
    expect(envAgain).toMatchObject({ id: env.id, created: false });
    const stored = await assets.get('environments', 'CliV2AnonymousEnvironment', env.version);
    expect(stored?.properties).toMatchObject({ image: IMAGE, condaFile: conda, isAnonymous: true });
    // Created once: the second call did not write (systemData untouched).
    const listed = await connection.clients.rest.request<{
      value: { systemData: { lastModifiedAt: string; createdAt: string } }[];
    }>({
      method: 'GET',
      path: `${env.id.replace(/\/versions\/[^/]+$/, '')}/versions`,
      apiVersion: '2022-10-01',
    });
    expect(listed.body.value).toHaveLength(1);
    expect(listed.body.value[0]?.systemData.lastModifiedAt).toBe(listed.body.value[0]?.systemData.createdAt);

    const other = await assets.anonymousEnvironmentVersion({ image: `${IMAGE}-other` });
    expect(other.version).not.toBe(env.version);

    const spec = { type: 'command', command: 'python train.py', environment: `azureml:${env.id}` };
    const component = await assets.anonymousComponentVersion(spec);
    expect(component).toMatchObject({ name: 'azureml_anonymous', created: true });
    expect((await assets.anonymousComponentVersion({ ...spec })).created).toBe(false);
    const componentStored = await assets.get('components', 'azureml_anonymous', component.version);
    expect(componentStored?.properties).toMatchObject({
      isAnonymous: true,
      componentSpec: { name: 'azureml_anonymous', version: component.version, command: 'python train.py' },
    });
  });

  it('resolves @latest by creation time and lists container names', async () => {
    await assets.createOrGet('environments', 'trainer-env', '10', { image: IMAGE });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const newer = await assets.createOrGet('environments', 'trainer-env', '2', { image: `${IMAGE}-2` });
    expect(newer.created).toBe(true);
    // Newest by creation time, not the highest version number.
    expect((await assets.latest('environments', 'trainer-env'))?.version).toBe('2');
    expect(await assets.latest('environments', 'no-such-env')).toBeUndefined();
    expect(await assets.get('environments', 'trainer-env', '99')).toBeUndefined();
    const again = await assets.createOrGet('environments', 'trainer-env', '2', { image: `${IMAGE}-2` });
    expect(again.created).toBe(false);
    expect(await assets.containerNames('environments')).toEqual(
      expect.arrayContaining(['trainer-env', 'CliV2AnonymousEnvironment']),
    );
  });

  it('stops on abort without marking the upload complete', async () => {
    const src = tree('aborted', { 'a.py': 'a = 1\n', 'b.py': 'b = 2\n' });
    const prepared = await code.prepare(src);
    const controller = new AbortController();
    controller.abort();
    await expect(code.upload(prepared, { abortSignal: controller.signal })).rejects.toThrow();
    const metadata = await blobs.getMetadata(
      'workspaceblobstore',
      `LocalUpload/${prepared.hash}/aborted/a.py`,
    );
    expect(metadata?.upload_status).toBeUndefined();
    expect(await code.findByHash(prepared.hash)).toBeUndefined();
    // Run again without the abort: it completes.
    expect((await code.upload(prepared)).uploadedBytes).toBe(prepared.totalBytes);
  });

  it('gives clear errors for a wrong datastore, a missing path and an empty folder', async () => {
    const wrongStore = await blobs
      .download('azureml://datastores/nosuchstore/paths/x/', path.join(scratch, 'x'))
      .catch((e: unknown) => e);
    expect(wrongStore).toBeInstanceOf(ConfigurationError);
    expect((wrongStore as Error).message).toMatch(/no datastore 'nosuchstore'/);

    const missing = await blobs
      .download('azureml://datastores/workspaceblobstore/paths/does/not/exist.csv', path.join(scratch, 'y'))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigurationError);
    expect((missing as Error).message).toMatch(/Nothing is stored at/);

    const emptyFolder = await blobs
      .download('azureml://datastores/workspaceblobstore/paths/nothing/here/', path.join(scratch, 'z'))
      .catch((e: unknown) => e);
    expect(emptyFolder).toBeInstanceOf(ConfigurationError);
    expect((emptyFolder as Error).message).toMatch(/Nothing is stored at '.*nothing\/here\/'/);

    const empty = tree('empty', { '.amlignore': '*\n' });
    const emptyError = await code.upload(await code.prepare(empty)).catch((e: unknown) => e);
    expect(emptyError).toBeInstanceOf(ConfigurationError);
    expect((emptyError as Error).message).toMatch(/has no files to upload/);

    const malformed = await blobs
      .download('azureml://datastores/workspaceblobstore/x', scratch)
      .catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(ConfigurationError);
  });
});
