import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  type AzureMlReference,
  formatAzureMlReference,
  type ParseAzureMlReferenceOptions,
  parseAzureMlReference,
} from '../../src/workspace';

// Ids as the service writes them in recorded traffic (sanitised subscription and group names).
const SUB = '00000000-0000-0000-0000-000000000';
const WS = { subscriptionId: SUB, resourceGroup: '00000', workspace: '00000' };
const WS_ID = `/subscriptions/${SUB}/resourceGroups/00000/providers/Microsoft.MachineLearningServices/workspaces/00000`;

const external: ParseAzureMlReferenceOptions = { allowExternal: true };

interface ValidCase {
  text: string;
  expected: AzureMlReference;
  options?: ParseAzureMlReferenceOptions;
  /** What formatAzureMlReference writes back, when it differs from `text` (canonical casing). */
  canonical?: string;
}

const valid: ValidCase[] = [
  // azureml:<name>:<version>, @<label>, bare names
  {
    text: 'azureml:mir_test_model:1',
    expected: { kind: 'asset-version', name: 'mir_test_model', version: '1', prefixed: true },
  },
  {
    text: 'azureml:AzureML-sklearn-0.24-ubuntu18.04-py37-cpu:1',
    expected: {
      kind: 'asset-version',
      name: 'AzureML-sklearn-0.24-ubuntu18.04-py37-cpu',
      version: '1',
      prefixed: true,
    },
  },
  {
    text: 'azureml:online-endpoint-mir-test:3',
    expected: { kind: 'asset-version', name: 'online-endpoint-mir-test', version: '3', prefixed: true },
  },
  {
    text: 'azureml:38b4fd9c-442f-42f8-8b87-601e5c35a88e:1',
    expected: {
      kind: 'asset-version',
      name: '38b4fd9c-442f-42f8-8b87-601e5c35a88e',
      version: '1',
      prefixed: true,
    },
  },
  {
    text: 'azureml:list_data_v2_test:2023.01.15-rc_1',
    expected: {
      kind: 'asset-version',
      name: 'list_data_v2_test',
      version: '2023.01.15-rc_1',
      prefixed: true,
    },
  },
  {
    text: 'azureml:sklearn-env@latest',
    expected: { kind: 'asset-label', name: 'sklearn-env', label: 'latest' },
  },
  {
    text: 'azureml:credit_model@production',
    expected: { kind: 'asset-label', name: 'credit_model', label: 'production' },
  },
  { text: 'azureml:cpu-cluster', expected: { kind: 'name', name: 'cpu-cluster' } },
  { text: 'azureml:testCompute', expected: { kind: 'name', name: 'testCompute' } },
  {
    text: '  azureml:cpu-cluster  ',
    expected: { kind: 'name', name: 'cpu-cluster' },
    canonical: 'azureml:cpu-cluster',
  },
  {
    text: 'mir_test_model:1',
    options: { allowBare: true },
    expected: { kind: 'asset-version', name: 'mir_test_model', version: '1', prefixed: false },
  },
  {
    text: 'm:2',
    options: { allowBare: true },
    expected: { kind: 'asset-version', name: 'm', version: '2', prefixed: false },
  },
  // ARM ids, with and without the prefix
  {
    text: `azureml:${WS_ID}/environments/online-endpoint-mir-test/versions/3`,
    expected: {
      kind: 'arm',
      prefixed: true,
      id: {
        kind: 'asset',
        workspace: WS,
        assetType: 'environments',
        name: 'online-endpoint-mir-test',
        version: '3',
      },
    },
  },
  {
    text: `${WS_ID}/models/mir_test_model/versions/1`,
    expected: {
      kind: 'arm',
      prefixed: false,
      id: { kind: 'asset', workspace: WS, assetType: 'models', name: 'mir_test_model', version: '1' },
    },
  },
  {
    text: `${WS_ID}/codes/test_868708958851/versions/2`,
    expected: {
      kind: 'arm',
      prefixed: false,
      id: { kind: 'asset', workspace: WS, assetType: 'codes', name: 'test_868708958851', version: '2' },
    },
  },
  {
    text: `${WS_ID}/computes/testCompute`,
    expected: { kind: 'arm', prefixed: false, id: { kind: 'compute', workspace: WS, name: 'testCompute' } },
  },
  {
    text: `azureml:${WS_ID}/computes/testCompute`,
    expected: { kind: 'arm', prefixed: true, id: { kind: 'compute', workspace: WS, name: 'testCompute' } },
  },
  {
    text: `/subscriptions/${SUB}/resourcegroups/00000/providers/microsoft.machinelearningservices/workspaces/00000/onlineendpoints/online-ept-10cd4ed17147449`,
    expected: {
      kind: 'arm',
      prefixed: false,
      id: { kind: 'online-endpoint', workspace: WS, name: 'online-ept-10cd4ed17147449' },
    },
    canonical: `${WS_ID}/onlineEndpoints/online-ept-10cd4ed17147449`,
  },
  // datastore URIs
  {
    text: 'azureml://datastores/workspaceblobstore/paths/python/data.csv',
    expected: { kind: 'datastore', form: 'short', datastore: 'workspaceblobstore', path: 'python/data.csv' },
  },
  {
    text: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/000000000000000000000/data/',
    expected: {
      kind: 'datastore',
      form: 'short',
      datastore: 'workspaceblobstore',
      path: 'LocalUpload/000000000000000000000/data/',
    },
  },
  {
    text: 'azureml://datastores/workspaceblobstore/paths/',
    expected: { kind: 'datastore', form: 'short', datastore: 'workspaceblobstore', path: '' },
  },
  {
    text: `azureml://subscriptions/${SUB}/resourcegroups/00000/workspaces/00000/datastores/workspaceblobstore/paths/LocalUpload/00000000000000000000000000000000/sklearn_regression_model.pkl`,
    expected: {
      kind: 'datastore',
      form: 'long',
      workspace: WS,
      datastore: 'workspaceblobstore',
      path: 'LocalUpload/00000000000000000000000000000000/sklearn_regression_model.pkl',
    },
  },
  {
    text: `azureml://subscriptions/${SUB}/resourceGroups/00000/workspaces/00000/datastores/workspaceblobstore/paths/LocalUpload/00000000000000000000000000000000/sklearn_regression_model.pkl`,
    expected: {
      kind: 'datastore',
      form: 'long',
      workspace: WS,
      datastore: 'workspaceblobstore',
      path: 'LocalUpload/00000000000000000000000000000000/sklearn_regression_model.pkl',
    },
    canonical: `azureml://subscriptions/${SUB}/resourcegroups/00000/workspaces/00000/datastores/workspaceblobstore/paths/LocalUpload/00000000000000000000000000000000/sklearn_regression_model.pkl`,
  },
  {
    text: `azureml://subscriptions/${SUB}/RESOURCEGROUPS/00000/providers/Microsoft.MachineLearningServices/workspaces/00000/datastores/ds1/paths/a/b`,
    expected: { kind: 'datastore', form: 'long', workspace: WS, datastore: 'ds1', path: 'a/b' },
    canonical: `azureml://subscriptions/${SUB}/resourcegroups/00000/workspaces/00000/datastores/ds1/paths/a/b`,
  },
  {
    text: 'azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.000000000000000000000',
    expected: {
      kind: 'datastore',
      form: 'run-artifacts',
      datastore: 'workspaceartifactstore',
      path: 'ExperimentRun/dcid.000000000000000000000',
    },
  },
  // job outputs
  {
    text: 'azureml://jobs/sweet_ant_123/outputs/model_output',
    expected: { kind: 'job-output', job: 'sweet_ant_123', output: 'model_output' },
  },
  {
    text: 'azureml://jobs/sweet_ant_123/outputs/model_output/paths/model.pkl',
    expected: { kind: 'job-output', job: 'sweet_ant_123', output: 'model_output', path: 'model.pkl' },
  },
  {
    text: 'azureml://jobs/000000000000000000000/outputs/artifacts/paths/outputs/mlflow-model',
    expected: {
      kind: 'job-output',
      job: '000000000000000000000',
      output: 'artifacts',
      path: 'outputs/mlflow-model',
    },
  },
  // registries
  {
    text: 'azureml://registries/azureml/environments/sklearn-1.5/versions/14',
    expected: {
      kind: 'registry-asset',
      registry: 'azureml',
      assetType: 'environments',
      name: 'sklearn-1.5',
      version: '14',
    },
  },
  {
    text: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
    expected: {
      kind: 'registry-asset',
      registry: 'azureml',
      assetType: 'environments',
      name: 'sklearn-1.5',
      label: 'latest',
    },
  },
  {
    text: 'azureml://registries/shared-ml/models/credit_model/versions/3',
    expected: {
      kind: 'registry-asset',
      registry: 'shared-ml',
      assetType: 'models',
      name: 'credit_model',
      version: '3',
    },
  },
  {
    text: 'azureml://registries/shared-ml/components/train_step/versions/0.0.2',
    expected: {
      kind: 'registry-asset',
      registry: 'shared-ml',
      assetType: 'components',
      name: 'train_step',
      version: '0.0.2',
    },
  },
  {
    text: 'azureml://registries/shared-ml/data/titanic/versions/1',
    expected: {
      kind: 'registry-asset',
      registry: 'shared-ml',
      assetType: 'data',
      name: 'titanic',
      version: '1',
    },
  },
  {
    text: 'azureml://registries/shared-ml/codes/c1/versions/1',
    expected: { kind: 'registry-asset', registry: 'shared-ml', assetType: 'codes', name: 'c1', version: '1' },
  },
  // MLflow
  {
    text: 'runs:/000000000000000000000/model',
    expected: { kind: 'mlflow-run', runId: '000000000000000000000', path: 'model' },
  },
  {
    text: 'runs:/sweet_ant_123/outputs/model/MLmodel',
    expected: { kind: 'mlflow-run', runId: 'sweet_ant_123', path: 'outputs/model/MLmodel' },
  },
  { text: 'runs:/sweet_ant_123', expected: { kind: 'mlflow-run', runId: 'sweet_ant_123', path: '' } },
  { text: 'models:/credit_model/7', expected: { kind: 'mlflow-model', name: 'credit_model', version: '7' } },
  // external storage and local paths
  {
    text: 'https://sasrhiv4idewaau.blob.core.windows.net/azureml-blobstore-0000/LocalUpload/abc/data.csv',
    options: external,
    expected: {
      kind: 'blob',
      url: 'https://sasrhiv4idewaau.blob.core.windows.net/azureml-blobstore-0000/LocalUpload/abc/data.csv',
      account: 'sasrhiv4idewaau',
      container: 'azureml-blobstore-0000',
      path: 'LocalUpload/abc/data.csv',
    },
  },
  {
    text: 'https://acct.blob.core.chinacloudapi.cn/data/my%20file.csv',
    options: external,
    expected: {
      kind: 'blob',
      url: 'https://acct.blob.core.chinacloudapi.cn/data/my%20file.csv',
      account: 'acct',
      container: 'data',
      path: 'my file.csv',
    },
  },
  {
    text: 'http://127.0.0.1:10000/devstoreaccount1/azureml/folder/x.txt',
    options: external,
    expected: {
      kind: 'blob',
      url: 'http://127.0.0.1:10000/devstoreaccount1/azureml/folder/x.txt',
      account: 'devstoreaccount1',
      container: 'azureml',
      path: 'folder/x.txt',
    },
  },
  {
    text: 's3://ml-artifacts/models/credit/model.pkl',
    options: external,
    expected: { kind: 's3', bucket: 'ml-artifacts', key: 'models/credit/model.pkl' },
  },
  {
    text: 's3://ml-artifacts',
    options: external,
    expected: { kind: 's3', bucket: 'ml-artifacts', key: '' },
    canonical: 's3://ml-artifacts/',
  },
  {
    text: 'gs://ml_artifacts.example.com/exports/',
    options: external,
    expected: { kind: 'gs', bucket: 'ml_artifacts.example.com', key: 'exports/' },
  },
  { text: './data/train.csv', options: external, expected: { kind: 'local', path: './data/train.csv' } },
  { text: 'data', options: external, expected: { kind: 'local', path: 'data' } },
  {
    text: '/home/runner/work/model',
    options: external,
    expected: { kind: 'local', path: '/home/runner/work/model' },
  },
  { text: 'file:./src', options: external, expected: { kind: 'local', path: './src' }, canonical: './src' },
  {
    text: 'file:///tmp/model',
    options: external,
    expected: { kind: 'local', path: '/tmp/model' },
    canonical: '/tmp/model',
  },
];

interface InvalidCase {
  text: string;
  explains: RegExp;
  /** Expected part of the fix (the correct form). */
  fix?: RegExp;
  options?: ParseAzureMlReferenceOptions;
}

const invalid: InvalidCase[] = [
  {
    text: 'azureml:/environments/x/versions/1',
    explains: /looks like an ARM path but is missing \/subscriptions\//,
    fix: /azureml:x:1.*azureml:\/\/registries\/<registry>\/environments\/x\/versions\/1/,
  },
  { text: 'azureml:environments/x/versions/1', explains: /cannot contain '\/'/, fix: /azureml:x:1/ },
  {
    text: 'azureml:subscriptions/s/resourceGroups/rg',
    explains: /ARM id starts with a slash/,
    fix: /azureml:\/subscriptions/,
  },
  {
    text: 'azureml://datastore/x/paths/y',
    explains: /'datastore' must be plural: 'datastores'/,
    fix: /azureml:\/\/datastores\//,
  },
  {
    text: 'azureml://datastores/x/y',
    explains: /'paths' segment is missing/,
    fix: /azureml:\/\/datastores\/x\/paths\/y/,
  },
  {
    text: 'azureml://datastores/x',
    explains: /'\/paths\/<path>' part is missing/,
    fix: /azureml:\/\/datastores\/x\/paths\/<path>/,
  },
  {
    text: 'azureml://datastores/x/path/y',
    explains: /'path' must be plural/,
    fix: /datastores\/x\/paths\/y/,
  },
  { text: 'azureml://datastores//paths/y', explains: /datastore name is empty/ },
  {
    text: 'azureml:name:',
    explains: /version after ':' is empty/,
    fix: /azureml:name:<version>.*azureml:name@latest/,
  },
  { text: 'azureml:name@', explains: /label after '@' is empty/, fix: /azureml:name@latest/ },
  { text: 'azureml::1', explains: /asset name before ':' is empty/, fix: /azureml:<name>:1/ },
  { text: 'azureml:name:1:2', explains: /2 ':' separators/, fix: /azureml:name:1/ },
  { text: 'azureml:name@latest:1', explains: /either one @<label> or one :<version>/ },
  { text: 'azureml:name:latest', explains: /'latest' is a label, not a version/, fix: /azureml:name@latest/ },
  { text: 'azureml:', explains: /nothing follows azureml:/ },
  { text: 'azureml:my model:1', explains: /asset name 'my model' is not valid: it contains ' ' \(a space\)/ },
  { text: 'azureml:my$model:1', explains: /contains '\$'/ },
  { text: 'azureml:_model:1', explains: /must start with a letter or a digit/ },
  { text: `azureml:${'a'.repeat(256)}:1`, explains: /256 characters long; the limit is 255/ },
  { text: 'azureml:model:1 2', explains: /version '1 2' is not valid/ },
  { text: 'azureml:model:-1', explains: /version '-1' is not valid: it must start with a letter or a digit/ },
  { text: 'azureml:model:v1!', explains: /version 'v1!' is not valid: it contains '!'/ },
  { text: 'azureml://jobs//outputs/x', explains: /job name is empty/ },
  { text: 'azureml://jobs/j1', explains: /'\/outputs\/<output>' part is missing/ },
  {
    text: 'azureml://jobs/j1/output/model',
    explains: /'output' must be plural/,
    fix: /azureml:\/\/jobs\/j1\/outputs\/model/,
  },
  { text: 'azureml://jobs/j1/outputs/', explains: /output name is empty/ },
  {
    text: 'azureml://jobs/j1/outputs/model/model.pkl',
    explains: /'paths' segment is missing/,
    fix: /outputs\/model\/paths\/model\.pkl/,
  },
  { text: 'azureml://job/j1/outputs/model', explains: /'job' must be plural: 'jobs'/ },
  {
    text: 'azureml://registry/azureml/models/m/versions/1',
    explains: /'registry' must be plural: 'registries'/,
  },
  {
    text: 'azureml://registries/azureml/model/m/versions/1',
    explains: /'model' is not a registry asset type/,
    fix: /registries\/azureml\/models\/m\/versions\/1/,
  },
  {
    text: 'azureml://registries/azureml/pipelines/m/versions/1',
    explains: /'pipelines' is not a registry asset type/,
  },
  {
    text: 'azureml://registries/azureml/models/m',
    explains: /needs a version or a label/,
    fix: /\/labels\/latest/,
  },
  {
    text: 'azureml://registries/azureml/models/m/version/1',
    explains: /'version' is where 'versions' or 'labels'/,
  },
  {
    text: 'azureml://registries/azureml/models/m/versions/latest',
    explains: /'latest' is a label/,
    fix: /\/labels\/latest/,
  },
  { text: 'azureml://registries/azureml/models/m/versions/1/extra', explains: /unexpected '\/extra'/ },
  { text: 'azureml://registries//models/m/versions/1', explains: /registry name is empty/ },
  {
    text: 'azureml://subscriptions/s/resourcegroup/rg/workspaces/ws1/datastores/d/paths/p',
    explains: /'resourcegroup' is where 'resourcegroups' should be/,
  },
  {
    text: 'azureml://subscriptions/s/resourcegroups/rg/workspaces/ws1/models/m/versions/1',
    explains: /only datastore paths have a long/,
  },
  {
    text: 'azureml://subscriptions/s/resourcegroups/rg/workspaces/ws1/datastores/d/p',
    explains: /'paths' segment is missing/,
  },
  {
    text: 'azureml://subscriptions/s/resourcegroups/rg/workspaces/w!/datastores/d/paths/p',
    explains: /workspace name 'w!'/,
  },
  { text: 'azureml:///subscriptions/s', explains: /three slashes/ },
  { text: 'azureml://', explains: /nothing follows 'azureml:\/\/'/ },
  {
    text: 'azureml://locations/eastus/workspaces/w/data/d/versions/1',
    explains: /'azureml:\/\/locations\/…' is not a known form/,
  },
  {
    text: 'azureml://eastus2.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w',
    explains: /MLflow tracking URI/,
  },
  { text: 'runs:/', explains: /run id is missing/ },
  { text: 'runs://abc/model', explains: /single slash/ },
  { text: 'runs:abc/model', explains: /'runs:' must be followed by '\/'/ },
  {
    text: 'models:/credit_model',
    explains: /model version is missing/,
    fix: /models:\/credit_model\/<version>/,
  },
  { text: 'models:/credit_model/1/extra', explains: /unexpected '\/extra'/ },
  { text: 'models:/credit_model@champion', explains: /aliases are not supported/ },
  { text: '', explains: /it is empty/ },
  { text: 'mir_test_model:1', explains: /needs the azureml: prefix/, fix: /azureml:mir_test_model:1/ },
  { text: './data', explains: /not an Azure ML reference/ },
  {
    text: 'https://acct.blob.core.windows.net/data/x.csv',
    explains: /https:\/\/ URLs are not accepted here/,
  },
  { text: 's3://bucket/key', explains: /s3:\/\/ URLs are not accepted here/ },
  {
    text: 'https://example.com/data.csv',
    options: external,
    explains: /'example.com' is not an Azure Blob Storage host/,
  },
  { text: 'http://acct.blob.core.windows.net/data/x', options: external, explains: /must use https/ },
  { text: 'https://acct.blob.core.windows.net/', options: external, explains: /container name is missing/ },
  {
    text: 'https://acct.blob.core.windows.net/Data/x',
    options: external,
    explains: /container name 'Data' is not valid/,
  },
  { text: 's3://My_Bucket/x', options: external, explains: /bucket name 'My_Bucket' is not valid/ },
  { text: 'gs:///x', options: external, explains: /bucket name is missing/ },
  {
    text: 'wasbs://c@acct.blob.core.windows.net/x',
    options: external,
    explains: /'wasbs:\/\/' scheme is not supported/,
    fix: /https:\/\/<account>\.blob/,
  },
  { text: 'ftp://host/x', options: external, explains: /'ftp:\/\/' scheme is not supported/ },
];

describe('parseAzureMlReference: valid forms', () => {
  it.each(valid)('$text', ({ text, expected, options }) => {
    expect(parseAzureMlReference(text, options)).toEqual(expected);
  });

  it.each(valid)('formats $text back', ({ text, expected, options, canonical }) => {
    const formatted = formatAzureMlReference(expected);
    expect(formatted).toBe(canonical ?? text);
    expect(parseAzureMlReference(formatted, options)).toEqual(expected);
  });

  it('covers every reference kind', () => {
    const kinds = new Set(valid.map((c) => c.expected.kind));
    expect([...kinds].sort()).toEqual(
      [
        'arm',
        'asset-label',
        'asset-version',
        'blob',
        'datastore',
        'gs',
        'job-output',
        'local',
        'mlflow-model',
        'mlflow-run',
        'name',
        'registry-asset',
        's3',
      ].sort(),
    );
  });
});

describe('parseAzureMlReference: malformed forms', () => {
  it.each(invalid)('$text', ({ text, explains, fix, options }) => {
    let caught: unknown;
    try {
      parseAzureMlReference(text, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const error = caught as ConfigurationError;
    expect(error.problem).toMatch(explains);
    expect(error.fix.length).toBeGreaterThan(0);
    if (fix) expect(error.fix).toMatch(fix);
  });

  it('has at least 15 malformed cases and 40 forms in all', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(15);
    expect(valid.length + invalid.length).toBeGreaterThanOrEqual(40);
  });
});

describe('parseAzureMlReference: options', () => {
  it('puts the input, file and line of the reference on the error', () => {
    const error = (() => {
      try {
        parseAzureMlReference('azureml:model:', { input: 'model', file: 'jobs/train.yml', line: 12 });
      } catch (e) {
        return e as ConfigurationError;
      }
      throw new Error('expected a ConfigurationError');
    })();
    expect(error.input).toBe('model');
    expect(error.file).toBe('jobs/train.yml');
    expect(error.line).toBe(12);
    expect(error.message).toMatch(
      /^input 'model', jobs\/train\.yml:12: 'azureml:model:' is not a valid reference/,
    );
  });

  it('carries the location into ARM id errors too', () => {
    expect(() =>
      parseAzureMlReference('azureml:/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/x/y', {
        file: 'deploy.yml',
        line: 3,
      }),
    ).toThrow(/^deploy\.yml:3: .*not an Azure ML resource/);
  });

  it('accepts bare name:version only when allowed', () => {
    expect(parseAzureMlReference('model:1', { allowBare: true }).kind).toBe('asset-version');
    expect(() => parseAzureMlReference('model:1')).toThrow(ConfigurationError);
    expect(() => parseAzureMlReference('model:1', { allowExternal: true })).toThrow(
      /needs the azureml: prefix/,
    );
  });

  it('never treats an azureml: reference as a local path', () => {
    expect(parseAzureMlReference('azureml:data', external)).toEqual({ kind: 'name', name: 'data' });
    expect(() => parseAzureMlReference('azureml:./data', external)).toThrow(/cannot contain '\/'/);
  });

  it('accepts the scheme in any case', () => {
    expect(parseAzureMlReference('AzureML:model:1')).toEqual({
      kind: 'asset-version',
      name: 'model',
      version: '1',
      prefixed: true,
    });
    expect(parseAzureMlReference('AZUREML://datastores/ds/paths/x')).toEqual({
      kind: 'datastore',
      form: 'short',
      datastore: 'ds',
      path: 'x',
    });
  });
});
