// The multi-cloud-artifact-copy bundle run as the runner runs it, between real servers on
// loopback: a local folder, Azure Blob on Azurite (account key), S3 on s3rver (GitHub OIDC role
// assumption through an STS stand-in), GCS on its stand-in (Workload Identity Federation through a
// Google STS stand-in), and Azure ML datastores and registered models through the emulator.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../packages/core/src/storage/object-stores';
import { S3ObjectStore } from '../../packages/core/src/storage/object-stores/s3-store';
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type AzuriteHandle,
  startAzurite,
} from '../../packages/emulator/src/azurite/azurite-process';
import {
  type AwsStsStandIn,
  type GcpStsStandIn,
  type GcsStandIn,
  startAwsStsStandIn,
  startGcpStsStandIn,
  startGcsStandIn,
} from '../../packages/emulator/src/index';
import { combinedCaBundle, type EmulatorProcess, startEmulatorProcess } from '../support/emulator';
import {
  type ActionRunResult,
  errorMessages as errors,
  findSecretLeaks,
  stepLog as logOf,
  type RunActionOptions,
  runAction,
} from '../support/runner';
import { S3RVER_CREDENTIALS, type S3rverProcess, startS3rver } from '../support/s3rver';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const COPY_DIR = path.join(REPO, 'actions/multi-cloud-artifact-copy');
const REGISTER_DIR = path.join(REPO, 'actions/register-model');
const BUCKET = 'ml-artifacts';
const CONTAINER = 'exports';
const ROLE = 'arn:aws:iam::123456789012:role/artifact-copier';
const PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/actions';
const SERVICE_ACCOUNT = 'copier@ml-project.iam.gserviceaccount.com';
/** Lets the test itself read the GCS stand-in, which otherwise wants a token from the GCP STS stand-in. */
const TEST_GCS_TOKEN = 'test-reader-token';

/** Object names under `prefix` in the GCS stand-in, through its JSON API. */
async function gcsNames(prefix: string): Promise<string[]> {
  const response = await fetch(`${gcs.url}/storage/v1/b/${BUCKET}/o?prefix=${encodeURIComponent(prefix)}`, {
    headers: { authorization: `Bearer ${TEST_GCS_TOKEN}` },
  });
  const body = (await response.json()) as { items?: { name: string }[] };
  return (body.items ?? []).map((item) => item.name.slice(prefix.length)).sort();
}

/** Names with spaces and unicode, a 0-byte object, and one larger than the 5 MiB part size. */
const TREE: Record<string, Buffer> = {
  'model/MLmodel': Buffer.from('flavors:\n  python_function: {}\n'),
  'model/weights.bin': Buffer.alloc(6 * 1024 * 1024 + 123, 7),
  'model/empty.txt': Buffer.alloc(0),
  'données/été 1.csv': Buffer.from('a,b\n1,2\n'),
  'logs/train.log': Buffer.from('epoch 1\n'),
};

let emulator: EmulatorProcess;
let azurite: AzuriteHandle;
let s3rver: S3rverProcess;
let gcs: GcsStandIn;
let awsSts: AwsStsStandIn;
let gcpSts: GcpStsStandIn;
let work: string;
let caBundle: string;
let container: ContainerClient;

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const blobUrl = (prefix: string) => `${azurite.account.blobEndpoint}/${CONTAINER}/${prefix}`;

function copy(
  inputs: Record<string, string>,
  options: Partial<RunActionOptions> = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir: COPY_DIR,
    cwd: work,
    inputs: { ...emulator.info.inputs, 'part-size': '5MiB', ...inputs },
    env: {
      NODE_EXTRA_CA_CERTS: caBundle,
      AWS_ENDPOINT_URL_STS: awsSts.url,
      AML_ACTIONS_GCP_STS_ENDPOINT: gcpSts.url,
      AML_ACTIONS_GCP_IAM_ENDPOINT: gcpSts.url,
      AWS_CA_BUNDLE: '',
    },
    oidc: emulator.info.oidc,
    timeoutMs: 120_000,
    ...options,
  });
}

function expectSuccess(result: ActionRunResult): void {
  expect(result.conclusion, `${logOf(result)}\n${errors(result)}`).toBe('success');
}

function writeTree(dir: string, tree: Record<string, Buffer>): void {
  for (const [key, data] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    writeFileSync(path.join(dir, key), data);
  }
}

function readTree(dir: string, prefix = ''): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(found, readTree(full, `${prefix}${name}/`));
    else found[`${prefix}${name}`] = md5(readFileSync(full));
  }
  return found;
}

async function storeTree(store: ObjectStore): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for await (const object of store.list('')) {
    const chunks: Buffer[] = [];
    for await (const chunk of (await store.openRead(object.key)) as AsyncIterable<Buffer>) chunks.push(chunk);
    found[object.key] = md5(Buffer.concat(chunks));
  }
  return found;
}

const expected = (tree: Record<string, Buffer>) =>
  Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, md5(v)]));
const s3Store = (prefix: string) =>
  new S3ObjectStore({
    bucket: BUCKET,
    region: 'us-east-1',
    prefix,
    endpoint: `http://127.0.0.1:${s3rver.port}`,
    forcePathStyle: true,
    checksums: 'when-required',
    credentials: S3RVER_CREDENTIALS,
  });

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'artifact-copy-'));
  emulator = await startEmulatorProcess();
  const ca = readFileSync(emulator.info.caCertPath, 'utf8');
  const issuer = emulator.info.oidc.requestUrl.replace(/\/token\?.*$/, '');
  [azurite, s3rver, awsSts, gcpSts] = await Promise.all([
    startAzurite({ location: path.join(work, '.azurite') }),
    startS3rver(path.join(work, '.s3rver'), [BUCKET]),
    startAwsStsStandIn({ oidc: { issuer, ca }, roles: [{ arn: ROLE }], credentials: S3RVER_CREDENTIALS }),
    startGcpStsStandIn({
      oidc: { issuer, ca },
      providers: [{ name: PROVIDER }],
      serviceAccounts: [{ email: SERVICE_ACCOUNT }],
    }),
  ]);
  gcs = await startGcsStandIn({
    buckets: [BUCKET],
    authorize: (authorization) =>
      authorization === `Bearer ${TEST_GCS_TOKEN}` || gcpSts.verifyAccessToken(authorization) !== undefined,
  });
  caBundle = path.join(work, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(emulator.info.caCertPath));
  container = new ContainerClient(
    `${azurite.account.blobEndpoint}/${CONTAINER}`,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  );
  await container.createIfNotExists();
  writeTree(path.join(work, 'artifacts'), TREE);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([
    gcs?.stop(),
    gcpSts?.stop(),
    awsSts?.stop(),
    s3rver?.stop(),
    azurite?.stop(),
    emulator?.stop(),
  ]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('multi-cloud-artifact-copy between clouds', () => {
  it('copies a local folder to Azure Blob with an account key, then a sync copies nothing', async () => {
    const inputs = {
      source: 'artifacts',
      destination: blobUrl('run-1/'),
      'azure-account-key': AZURITE_ACCOUNT_KEY,
    };
    // keepTemp: the manifest is in RUNNER_TEMP, which the harness removes after the step otherwise.
    const first = await copy(inputs, { keepTemp: true });
    expectSuccess(first);
    expect(first.outputs).toMatchObject({ objects: '5', skipped: '0', deleted: '0' });
    expect(Number(first.outputs.bytes)).toBe(Object.values(TREE).reduce((sum, b) => sum + b.length, 0));
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: 'run-1/' })) names.push(blob.name);
    expect(names.sort()).toEqual(
      Object.keys(TREE)
        .map((k) => `run-1/${k}`)
        .sort(),
    );
    const manifest = JSON.parse(readFileSync(first.outputs['manifest-file'] ?? '', 'utf8'));
    expect(manifest.objects.find((o: { key: string }) => o.key === 'model/weights.bin')).toMatchObject({
      size: TREE['model/weights.bin']?.length,
      md5: md5(TREE['model/weights.bin'] as Buffer),
    });
    rmSync(path.resolve(first.outputs['manifest-file'] ?? '', '../..'), { recursive: true, force: true });
    expect(logOf(first)).toMatch(/\d+\/5 objects, [\d.]+\/[\d.]+ MiB, [\d.]+ MiB\/s/);
    expect(first.summary).toMatch(/Artifact copy: ✅ done \(5 copied, 0 skipped\)/);
    expect(findSecretLeaks(first, [AZURITE_ACCOUNT_KEY])).toEqual([]);

    const again = await copy({ ...inputs, mode: 'sync' });
    expectSuccess(again);
    expect(again.outputs).toMatchObject({ objects: '0', skipped: '5' });
  });

  it('copies Blob to S3 with a role assumed by GitHub OIDC, with include and exclude globs', async () => {
    const result = await copy({
      source: blobUrl('run-1/'),
      destination: `s3://${BUCKET}/from-blob/`,
      'azure-account-key': AZURITE_ACCOUNT_KEY,
      'aws-role-to-assume': ROLE,
      'aws-region': 'us-east-1',
      's3-endpoint': `http://127.0.0.1:${s3rver.port}`,
      include: 'model/**, données/*',
      exclude: '*.txt',
    });
    expectSuccess(result);
    expect(result.outputs.objects).toBe('3');
    expect(await storeTree(s3Store('from-blob'))).toEqual(
      expected({
        'model/MLmodel': TREE['model/MLmodel'] as Buffer,
        'model/weights.bin': TREE['model/weights.bin'] as Buffer,
        'données/été 1.csv': TREE['données/été 1.csv'] as Buffer,
      }),
    );
    expect(awsSts.sessions.length).toBeGreaterThan(0);
  });

  it('copies S3 to GCS with Workload Identity Federation and writes the manifest at the destination', async () => {
    const result = await copy({
      source: `s3://${BUCKET}/from-blob/`,
      destination: `gs://${BUCKET}/from-s3/`,
      'aws-role-to-assume': ROLE,
      'aws-region': 'us-east-1',
      's3-endpoint': `http://127.0.0.1:${s3rver.port}`,
      'gcp-workload-identity-provider': PROVIDER,
      'gcp-service-account': SERVICE_ACCOUNT,
      'gcp-project': 'ml-project',
      'gcs-endpoint': gcs.url,
      manifest: 'manifest.json',
    });
    expectSuccess(result);
    expect(await gcsNames('from-s3/')).toEqual(
      ['manifest.json', 'model/MLmodel', 'model/weights.bin', 'données/été 1.csv'].sort(),
    );
  });

  it('syncs GCS to a local folder, deleting what the source does not have', async () => {
    const target = path.join(work, 'from-gcs');
    writeTree(target, { 'stale.bin': Buffer.from('old') });
    const result = await copy({
      source: `gs://${BUCKET}/from-s3/`,
      destination: 'from-gcs',
      mode: 'sync',
      'delete-extraneous': 'true',
      exclude: 'manifest.json',
      'gcp-workload-identity-provider': PROVIDER,
      'gcp-service-account': SERVICE_ACCOUNT,
      'gcp-project': 'ml-project',
      'gcs-endpoint': gcs.url,
    });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ objects: '3', deleted: '1' });
    expect(existsSync(path.join(target, 'stale.bin'))).toBe(false);
    expect(readTree(target)).toEqual(
      expected({
        'model/MLmodel': TREE['model/MLmodel'] as Buffer,
        'model/weights.bin': TREE['model/weights.bin'] as Buffer,
        'données/été 1.csv': TREE['données/été 1.csv'] as Buffer,
      }),
    );
  });
});

describe('multi-cloud-artifact-copy with Azure ML locations', () => {
  it('copies into a datastore path and back out, and exports a registered model', async () => {
    const into = await copy({
      source: 'artifacts/model',
      destination: 'azureml://datastores/workspaceblobstore/paths/exports/model-a/',
    });
    expectSuccess(into);
    expect(into.outputs.objects).toBe('3');
    const out = await copy({
      source: 'azureml://datastores/workspaceblobstore/paths/exports/model-a/',
      destination: 'from-datastore',
    });
    expectSuccess(out);
    expect(readTree(path.join(work, 'from-datastore'))).toEqual(
      expected({
        MLmodel: TREE['model/MLmodel'] as Buffer,
        'weights.bin': TREE['model/weights.bin'] as Buffer,
        'empty.txt': TREE['model/empty.txt'] as Buffer,
      }),
    );

    const registered = await runAction({
      actionDir: REGISTER_DIR,
      cwd: work,
      inputs: { ...emulator.info.inputs, path: 'artifacts/model', name: 'exported-model' },
      env: { NODE_EXTRA_CA_CERTS: caBundle },
      oidc: emulator.info.oidc,
      timeoutMs: 90_000,
    });
    expect(registered.conclusion, logOf(registered)).toBe('success');
    const exported = await copy({
      source: 'azureml:exported-model:1',
      destination: `s3://${BUCKET}/models/exported-model/1/`,
      'aws-role-to-assume': ROLE,
      'aws-region': 'us-east-1',
      's3-endpoint': `http://127.0.0.1:${s3rver.port}`,
    });
    expectSuccess(exported);
    expect(Object.keys(await storeTree(s3Store('models/exported-model/1'))).sort()).toEqual([
      'MLmodel',
      'empty.txt',
      'weights.bin',
    ]);
  });

  it('copies a single object, keeping its name', async () => {
    const result = await copy({
      source: 'artifacts/logs/train.log',
      destination: blobUrl('single/'),
      'azure-account-key': AZURITE_ACCOUNT_KEY,
    });
    expectSuccess(result);
    expect(result.outputs.objects).toBe('1');
    expect(await container.getBlobClient('single/train.log').exists()).toBe(true);
  });
});

describe('multi-cloud-artifact-copy refuses bad input and names the side', () => {
  it('refuses a job output as destination, delete-extraneous without sync, and a bad part size', async () => {
    expect(
      errors(await copy({ source: 'artifacts', destination: 'azureml://jobs/j1/outputs/model' })),
    ).toMatch(/cannot be a destination/);
    expect(
      errors(await copy({ source: 'artifacts', destination: 'out', 'delete-extraneous': 'true' })),
    ).toMatch(/only applies to mode: sync/);
    expect(errors(await copy({ source: 'artifacts', destination: 'out', 'part-size': '1MiB' }))).toMatch(
      /part size from 5 MiB/,
    );
    expect(existsSync(path.join(work, 'out'))).toBe(false);
  });

  it('names the AWS side when the role cannot be assumed without an OIDC token', async () => {
    const result = await copy(
      {
        source: 'artifacts',
        destination: `s3://${BUCKET}/never/`,
        'aws-role-to-assume': ROLE,
        'aws-region': 'us-east-1',
        's3-endpoint': `http://127.0.0.1:${s3rver.port}`,
      },
      { oidc: undefined as never },
    );
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/AWS/);
    expect(errors(result)).toMatch(/id-token: write/);
  });

  it('names the GCP side when the provider refuses the token', async () => {
    const result = await copy({
      source: 'artifacts',
      destination: `gs://${BUCKET}/never/`,
      'gcp-workload-identity-provider':
        'projects/999/locations/global/workloadIdentityPools/other/providers/x',
      'gcp-project': 'ml-project',
      'gcs-endpoint': gcs.url,
    });
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/GCP/);
    expect(await gcsNames('never/')).toEqual([]);
  });
});
