// The register-model bundle run as the runner runs it, against the emulator: models from the
// example training job's output (command and pipeline step), the run's artifacts, datastore paths
// and local folders; idempotent re-runs; version clashes; stages; registries and promotion.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSIONS, assetArmId, registryAssetArmId } from '../../packages/core/src/index';
import type { ObjectStore } from '../../packages/core/src/storage/object-stores';
import { GcsObjectStore } from '../../packages/core/src/storage/object-stores/gcs-store';
import { S3ObjectStore } from '../../packages/core/src/storage/object-stores/s3-store';
import { type GcsStandIn, startGcsStandIn } from '../../packages/emulator/src/index';
import { type EmulatorConnection, oidcConnection } from '../support/connection';
import { combinedCaBundle, type EmulatorProcess, startEmulatorProcess } from '../support/emulator';
import { registerExampleEnvironment } from '../support/examples';
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
const REGISTER_DIR = path.join(REPO, 'actions/register-model');
const TRAIN_DIR = path.join(REPO, 'actions/train-pipeline');
const REGISTRY = 'mlops-registry';

let emulator: EmulatorProcess;
let connection: EmulatorConnection;
let project: string;
let caBundle: string;
let trainedJob = '';
let pipelineJob = '';
let s3rver: S3rverProcess;
let gcs: GcsStandIn;
const BUCKET = 'ml-exports';

const json = <T>(text: string | undefined): T => JSON.parse(text ?? 'null') as T;

interface VersionBody {
  name: string;
  properties: {
    modelUri: string;
    modelType: string;
    jobName?: string;
    stage?: string;
    tags?: Record<string, string>;
    properties?: Record<string, string>;
  };
  systemData?: { lastModifiedAt?: string };
}

function register(
  inputs: Record<string, string>,
  options: Partial<RunActionOptions> = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir: REGISTER_DIR,
    cwd: project,
    inputs: { ...emulator.info.inputs, ...inputs },
    env: { NODE_EXTRA_CA_CERTS: caBundle },
    oidc: emulator.info.oidc,
    github: {
      repository: 'contoso/fraud-model',
      runId: '4242',
      sha: 'c0ffee1234567890c0ffee1234567890c0ffee12',
    },
    timeoutMs: 90_000,
    ...options,
  });
}

async function versions(name: string, registry?: string): Promise<VersionBody[]> {
  const base = registry
    ? registryAssetArmId({ ...connection.workspace, registry }, 'models', name)
    : assetArmId(connection.workspace, 'models', name);
  const found: VersionBody[] = [];
  try {
    for await (const item of connection.clients.rest.list<VersionBody>(
      `${base}/versions`,
      API_VERSIONS.registries,
    )) {
      found.push(item);
    }
  } catch (error) {
    if ((error as { status?: number }).status === 404) return [];
    throw error;
  }
  return found.sort((a, b) => Number(a.name) - Number(b.name));
}

function writeMlflowModel(folder: string, weights: string): string {
  const dir = path.join(project, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'MLmodel'), 'flavors:\n  python_function:\n    loader_module: model\n');
  writeFileSync(path.join(dir, 'model.json'), weights);
  return folder;
}

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'register-model-'));
  [emulator, s3rver, gcs] = await Promise.all([
    startEmulatorProcess(),
    startS3rver(path.join(project, '.s3rver'), [BUCKET]),
    startGcsStandIn({ buckets: [BUCKET] }),
  ]);
  connection = oidcConnection(emulator.info);
  cpSync(path.join(REPO, 'examples'), project, { recursive: true });
  caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(emulator.info.caCertPath));
  await registerExampleEnvironment(connection);
  const train = (job: string, runId: string) =>
    runAction({
      actionDir: TRAIN_DIR,
      cwd: project,
      inputs: { ...emulator.info.inputs, job, 'stream-logs': 'false' },
      env: { NODE_EXTRA_CA_CERTS: caBundle },
      oidc: emulator.info.oidc,
      github: { runId, repository: 'contoso/fraud-model' },
      timeoutMs: 120_000,
    });
  const [command, pipeline] = await Promise.all([
    train('jobs/train-command.yml', '5001'),
    train('jobs/pipeline.yml', '5002'),
  ]);
  if (command.conclusion !== 'success') throw new Error(`training failed:\n${logOf(command)}`);
  if (pipeline.conclusion !== 'success') throw new Error(`pipeline failed:\n${logOf(pipeline)}`);
  trainedJob = command.outputs['job-name'] ?? '';
  pipelineJob = pipeline.outputs['job-name'] ?? '';
}, 240_000);

afterAll(async () => {
  await Promise.all([emulator?.stop(), s3rver?.stop(), gcs?.stop()]);
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('register-model from a job output', () => {
  it('registers the training job output with its lineage and metrics, then returns it again on a re-run', async () => {
    const inputs = {
      'job-name': trainedJob,
      'output-name': 'model',
      name: 'failure-model',
      type: 'mlflow_model',
    };
    const first = await register({ ...inputs, tags: 'team=ml' });
    expect(first.conclusion, logOf(first)).toBe('success');
    expect(first.outputs).toMatchObject({
      'model-id': 'azureml:failure-model:1',
      'model-name': 'failure-model',
      'model-version': '1',
      'model-uri': 'azureml:failure-model:1',
      created: 'true',
    });
    const [version] = await versions('failure-model');
    expect(version?.properties.modelType).toBe('mlflow_model');
    expect(version?.properties.jobName).toBe(trainedJob);
    expect(version?.properties.modelUri).toMatch(
      new RegExp(`^azureml://datastores/workspaceblobstore/paths/azureml/${trainedJob}/model/?$`),
    );
    expect(version?.properties.tags).toMatchObject({
      team: 'ml',
      'github.repository': 'contoso/fraud-model',
      'github.sha': 'c0ffee1234567890c0ffee1234567890c0ffee12',
      'github.run_url': expect.stringMatching(/\/contoso\/fraud-model\/actions\/runs\/4242/),
      training_job: trainedJob,
    });
    const properties = version?.properties.properties ?? {};
    expect(properties['aml-actions.source']).toBe(`azureml://jobs/${trainedJob}/outputs/model`);
    expect(properties['inputs.training_data']).toMatch(
      /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\//,
    );
    expect(properties['params.learning_rate']).toBe('0.3');
    expect(Number(properties['metrics.accuracy'])).toBeGreaterThan(0.5);
    expect(first.summary).toContain('failure-model:1');
    expect(first.summary).toContain('Training metrics');
    expect(
      json<{ properties: Record<string, string> }>(first.outputs.lineage).properties['metrics.accuracy'],
    ).toBe(properties['metrics.accuracy']);

    const again = await register(inputs);
    expect(again.conclusion, logOf(again)).toBe('success');
    expect(again.outputs['model-version']).toBe('1');
    expect(again.outputs.created).toBe('false');
    expect(logOf(again)).toMatch(/already registered/);
    const after = await versions('failure-model');
    expect(after).toHaveLength(1);
    expect(after[0]?.systemData?.lastModifiedAt).toBe(version?.systemData?.lastModifiedAt);
    expect(findSecretLeaks(first, connection.secrets)).toEqual([]);
  });

  it('registers a pipeline step output, recording the pipeline inputs as lineage', async () => {
    const result = await register({
      'job-name': pipelineJob,
      step: 'train',
      'output-name': 'model',
      name: 'pipeline-model',
      type: 'mlflow_model',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    const [version] = await versions('pipeline-model');
    expect(version?.properties.jobName).not.toBe(pipelineJob);
    expect(version?.properties.tags?.training_job).toBe(version?.properties.jobName);
    expect(version?.properties.properties?.['inputs.raw_data']).toMatch(/^azureml:\/\/datastores\//);
  });

  it('names the outputs that exist for an unknown output, and the steps for an unknown step', async () => {
    const output = await register({ 'job-name': trainedJob, 'output-name': 'modle', name: 'typo-model' });
    expect(output.conclusion).toBe('failure');
    expect(errors(output)).toMatch(/no output 'modle'/);
    expect(errors(output)).toMatch(/model/);
    const step = await register({
      'job-name': pipelineJob,
      step: 'trian',
      'output-name': 'model',
      name: 'typo-model',
    });
    expect(errors(step)).toMatch(/no step 'trian'.*prep.*train/s);
    const missing = await register({ 'job-name': 'no-such-job', 'output-name': 'model', name: 'typo-model' });
    expect(errors(missing)).toMatch(/job 'no-such-job' does not exist/);
    expect(await versions('typo-model')).toEqual([]);
  });

  it('registers files of the run artifacts (runs:/) and a datastore path', async () => {
    const run = await register({ path: `runs:/${trainedJob}/user_logs`, name: 'run-logs' });
    expect(run.conclusion, logOf(run)).toBe('success');
    const [fromRun] = await versions('run-logs');
    expect(fromRun?.properties.properties?.['aml-actions.source']).toBe(
      `azureml://jobs/${trainedJob}/outputs/artifacts/paths/user_logs`,
    );
    const datastore = await register({
      path: `azureml://datastores/workspaceblobstore/paths/azureml/${trainedJob}/model/`,
      name: 'datastore-model',
      type: 'mlflow_model',
    });
    expect(datastore.conclusion, logOf(datastore)).toBe('success');
    const [fromDatastore] = await versions('datastore-model');
    expect(fromDatastore?.properties.modelUri).toBe(
      `azureml://datastores/workspaceblobstore/paths/azureml/${trainedJob}/model/`,
    );
  });
});

describe('register-model from local files', () => {
  it('uploads once per content, reuses it on a re-run and takes the next version for new content', async () => {
    const folder = writeMlflowModel('local-model', '{"weights": [1, 2, 3]}');
    const first = await register({ path: folder, name: 'local-model', type: 'mlflow_model' });
    expect(first.conclusion, logOf(first)).toBe('success');
    expect(first.outputs['model-version']).toBe('1');
    expect(first.summary).toMatch(/uploaded/);
    const again = await register({ path: folder, name: 'local-model', type: 'mlflow_model' });
    expect(again.outputs).toMatchObject({ 'model-version': '1', created: 'false' });
    writeMlflowModel('local-model', '{"weights": [1, 2, 4]}');
    const changed = await register({ path: folder, name: 'local-model', type: 'mlflow_model' });
    expect(changed.outputs).toMatchObject({ 'model-version': '2', created: 'true' });
    expect((await versions('local-model')).map((v) => v.name)).toEqual(['1', '2']);
  });

  it('refuses an explicit version that holds other content, changing nothing', async () => {
    const folder = writeMlflowModel('clash-model', '{"weights": [9]}');
    expect(
      (await register({ path: folder, name: 'clash-model', version: '7' })).outputs['model-version'],
    ).toBe('7');
    writeMlflowModel('clash-model', '{"weights": [10]}');
    const clash = await register({ path: folder, name: 'clash-model', version: '7' });
    expect(clash.conclusion).toBe('failure');
    expect(errors(clash)).toMatch(/version 7 of model 'clash-model' already exists/);
    expect(errors(clash)).toMatch(/version/);
    expect((await versions('clash-model')).map((v) => v.name)).toEqual(['7']);
  });

  it('checks the layout of mlflow and triton models before anything is written', async () => {
    mkdirSync(path.join(project, 'not-mlflow'), { recursive: true });
    writeFileSync(path.join(project, 'not-mlflow', 'model.pkl'), 'x');
    const mlflow = await register({ path: 'not-mlflow', name: 'bad-layout', type: 'mlflow_model' });
    expect(mlflow.conclusion).toBe('failure');
    expect(errors(mlflow)).toMatch(/no MLmodel file/);
    const triton = await register({ path: 'not-mlflow', name: 'bad-layout', type: 'triton_model' });
    expect(errors(triton)).toMatch(/not a Triton model repository/);
    expect(await versions('bad-layout')).toEqual([]);

    mkdirSync(path.join(project, 'triton', 'densenet', '1'), { recursive: true });
    writeFileSync(path.join(project, 'triton', 'densenet', 'config.pbtxt'), 'name: "densenet"\n');
    writeFileSync(path.join(project, 'triton', 'densenet', '1', 'model.onnx'), 'onnx');
    const good = await register({ path: 'triton', name: 'triton-model', type: 'triton_model' });
    expect(good.conclusion, logOf(good)).toBe('success');
    expect((await versions('triton-model'))[0]?.properties.modelType).toBe('triton_model');
  });

  it('moves a stage from the version that held it to the new one', async () => {
    writeMlflowModel('staged', '{"v": 1}');
    const v1 = await register({ path: 'staged', name: 'staged-model', stage: 'Production' });
    expect(v1.conclusion, logOf(v1)).toBe('success');
    writeMlflowModel('staged', '{"v": 2}');
    const v2 = await register({
      path: 'staged',
      name: 'staged-model',
      stage: 'Production',
      'unset-stage-on-previous': 'true',
    });
    expect(v2.conclusion, logOf(v2)).toBe('success');
    const [first, second] = await versions('staged-model');
    expect(second?.properties.stage).toBe('Production');
    expect(second?.properties.tags?.stage).toBe('Production');
    expect(first?.properties.stage).toBeUndefined();
    expect(first?.properties.tags?.stage).toBeUndefined();
    expect(v2.summary).toMatch(/taken from version 1/);
  });

  it('rejects bad inputs naming the input', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ name: 'x' }, /no model source/],
      [{ path: 'local-model', 'job-name': trainedJob, name: 'x' }, /job-name and path/],
      [{ path: 'local-model', name: 'x', type: 'onnx' }, /type/],
      [{ path: 'local-model', name: 'bad name!' }, /name/],
      [{ path: 'missing-folder', name: 'x' }, /does not exist/],
      [{ path: 'local-model', name: 'x', 'unset-stage-on-previous': 'true' }, /no stage/],
      [
        { path: 'local-model', name: 'x', registry: 'no-such-registry' },
        /registry 'no-such-registry' does not exist/,
      ],
    ];
    for (const [inputs, message] of cases) {
      const result = await register(inputs);
      expect(result.conclusion, JSON.stringify(inputs)).toBe('failure');
      expect(errors(result), JSON.stringify(inputs)).toMatch(message);
    }
    expect(await versions('x')).toEqual([]);
  });
});

describe('register-model with a registry', () => {
  it('registers straight into a registry, copying the files into its storage', async () => {
    const folder = writeMlflowModel('registry-model', '{"weights": [5]}');
    const result = await register({
      path: folder,
      name: 'shared-model',
      type: 'mlflow_model',
      registry: REGISTRY,
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs['model-uri']).toBe(
      `azureml://registries/${REGISTRY}/models/shared-model/versions/1`,
    );
    const [version] = await versions('shared-model', REGISTRY);
    expect(version?.properties.modelUri).toMatch(/^http:\/\/.+\/$/);
    const again = await register({
      path: folder,
      name: 'shared-model',
      type: 'mlflow_model',
      registry: REGISTRY,
    });
    expect(again.outputs).toMatchObject({ 'model-version': '1', created: 'false' });
    expect(findSecretLeaks(result, connection.secrets)).toEqual([]);
    expect(logOf(result)).not.toMatch(/sig=/);
  });

  it('promotes a workspace version into the registry with the same number and lineage, idempotently', async () => {
    const inputs = {
      'job-name': trainedJob,
      'output-name': 'model',
      name: 'promoted-model',
      type: 'mlflow_model',
      'promote-to-registry': REGISTRY,
    };
    const result = await register(inputs);
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs).toMatchObject({
      'model-uri': 'azureml:promoted-model:1',
      'registry-model-uri': `azureml://registries/${REGISTRY}/models/promoted-model/versions/1`,
      'registry-created': 'true',
    });
    const [promoted] = await versions('promoted-model', REGISTRY);
    expect(promoted?.properties.jobName).toBe(trainedJob);
    expect(promoted?.properties.tags?.training_job).toBe(trainedJob);
    expect(Number(promoted?.properties.properties?.['metrics.accuracy'])).toBeGreaterThan(0.5);
    const again = await register(inputs);
    expect(again.outputs).toMatchObject({ created: 'false', 'registry-created': 'false' });
    expect(await versions('promoted-model', REGISTRY)).toHaveLength(1);
  });

  it('pulls a registry model into the workspace', async () => {
    const result = await register({
      path: `azureml://registries/${REGISTRY}/models/shared-model/versions/1`,
      name: 'pulled-model',
    });
    expect(result.conclusion, logOf(result)).toBe('success');
    const [version] = await versions('pulled-model');
    expect(version?.properties.modelType).toBe('mlflow_model');
    expect(version?.properties.modelUri).toBe(
      `azureml://registries/${REGISTRY}/models/shared-model/versions/1`,
    );
  });
});

describe('register-model from S3 and GCS', () => {
  const files = {
    MLmodel: 'flavors:\n  python_function:\n    loader_module: model\n',
    'model.json': '{"w": [0.5]}',
    'data/vocab.txt': 'a b c',
  };
  async function upload(store: ObjectStore, prefix: string) {
    for (const [name, text] of Object.entries(files)) {
      await store.write(`${prefix}/${name}`, Readable.from([Buffer.from(text)]), {
        size: Buffer.byteLength(text),
      });
    }
  }
  const s3Endpoint = () => `http://127.0.0.1:${s3rver.port}`;

  it.each(['s3', 'gs'] as const)(
    'copies a %s prefix into the workspace datastore, verified, once',
    async (scheme) => {
      const url = () => `${scheme}://${BUCKET}/exports/churn`;
      const extra = (): Record<string, string> =>
        scheme === 's3'
          ? { 'aws-region': 'us-east-1', 's3-endpoint': s3Endpoint() }
          : { 'gcs-endpoint': gcs.url, 'gcp-project': 'ml-project' };
      const store =
        scheme === 's3'
          ? new S3ObjectStore({
              bucket: BUCKET,
              region: 'us-east-1',
              endpoint: s3Endpoint(),
              forcePathStyle: true,
              checksums: 'when-required',
              credentials: S3RVER_CREDENTIALS,
            })
          : new GcsObjectStore({ bucket: BUCKET, projectId: 'ml-project', apiEndpoint: gcs.url });
      await upload(store, 'exports/churn');
      const env = {
        NODE_EXTRA_CA_CERTS: caBundle,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      };
      const inputs = { path: url(), name: `${scheme}-model`, type: 'mlflow_model', ...extra() };
      const first = await register(inputs, { env });
      expect(first.conclusion, logOf(first)).toBe('success');
      expect(first.outputs.created).toBe('true');
      const [version] = await versions(`${scheme}-model`);
      expect(version?.properties.modelUri).toMatch(
        /^azureml:\/\/datastores\/workspaceblobstore\/paths\/ImportedModels\/[0-9a-f]{64}\/churn\/$/,
      );
      expect(version?.properties.properties?.['aml-actions.source']).toBe(url());
      // The copy is in the workspace: a second model registered from that datastore path sees all three files.
      const copied = await register({
        path: version?.properties.modelUri ?? '',
        name: `${scheme}-copy`,
        type: 'mlflow_model',
      });
      expect(copied.conclusion, logOf(copied)).toBe('success');
      expect(copied.summary).toMatch(/\| Files \| 3 \(/);
      const again = await register(inputs, { env });
      expect(again.outputs).toMatchObject({ created: 'false', 'model-version': '1' });
      expect(again.summary).toMatch(/0 bytes uploaded/);
    },
  );

  it('copies an S3 prefix straight into a registry', async () => {
    const env = {
      NODE_EXTRA_CA_CERTS: caBundle,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    };
    const result = await register(
      {
        path: `s3://${BUCKET}/exports/churn`,
        name: 's3-shared',
        type: 'mlflow_model',
        registry: REGISTRY,
        'aws-region': 'us-east-1',
        's3-endpoint': s3Endpoint(),
      },
      { env },
    );
    expect(result.conclusion, logOf(result)).toBe('success');
    expect(result.outputs['model-uri']).toBe(`azureml://registries/${REGISTRY}/models/s3-shared/versions/1`);
    expect(result.summary).toMatch(/\| Files \| 3 \(/);
    const [version] = await versions('s3-shared', REGISTRY);
    expect(version?.properties.modelUri).toMatch(/^http:\/\/.+\/$/);
  });

  it('names the side whose credentials or region are missing', async () => {
    const noRegion = await register(
      { path: `s3://${BUCKET}/exports/churn`, name: 's3-none', 's3-endpoint': s3Endpoint() },
      { env: { NODE_EXTRA_CA_CERTS: caBundle, AWS_REGION: '', AWS_DEFAULT_REGION: '' } },
    );
    expect(noRegion.conclusion).toBe('failure');
    expect(errors(noRegion)).toMatch(/no AWS region/);
    const empty = await register({
      path: `gs://${BUCKET}/nothing-here`,
      name: 'gs-none',
      'gcs-endpoint': gcs.url,
      'gcp-project': 'ml-project',
    });
    expect(errors(empty)).toMatch(/nothing is stored at 'gs:\/\/ml-exports\/nothing-here'/);
    expect(await versions('gs-none')).toEqual([]);
  });
});
