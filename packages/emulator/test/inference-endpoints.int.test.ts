// Online endpoints on the real emulator: the example model trained with examples/src/train.py,
// uploaded and registered through the emulator's ARM, served by the real scoring server behind
// the front door; routed by header, by traffic and mirrored; a broken script fails with its
// ImportError in getLogs; AMLToken endpoints take the token from the `token` action.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest, sleep } from '../../../test/support/https';
import { API, startTestEmulator, type TestEmulator } from './execution/emulator-client';

const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const ROWS = {
  data: [
    [61.3, 2.39, 5.96, 1184.46],
    [95.1, 7.8, 8.9, 3400.0],
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes.
type Loose = any;

function filesUnder(dir: string, prefix = ''): [string, string][] {
  return readdirSync(dir).flatMap((name): [string, string][] => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory()
      ? filesUnder(full, `${prefix}${name}/`)
      : [[`${prefix}${name}`, readFileSync(full, 'utf8')]];
  });
}

describe('online endpoints on the emulator', () => {
  let t: TestEmulator;
  let work: string;
  let endpointsPath: string;
  let modelId: string;
  let codeId: string;
  const mirrorLog = () => path.join(work, 'mirror.log');

  const poll = async (statusUrl: string, timeoutInMs = 90_000): Promise<Loose> => {
    const deadline = Date.now() + timeoutInMs;
    for (;;) {
      const status = await t.request('GET', statusUrl);
      if (['Succeeded', 'Failed', 'Canceled'].includes(status.json.status)) return status.json;
      if (Date.now() > deadline) throw new Error(`operation still ${status.json.status}`);
      await sleep(200);
    }
  };

  const putEndpoint = async (name: string, properties: Record<string, unknown>, api = API) => {
    const response = await t.request('PUT', `${endpointsPath}/${name}?${api}`, {
      location: t.emulator.info.location,
      properties,
    });
    expect(response.status, response.text).toBe(201);
    return poll(response.headers['azure-asyncoperation'] as string);
  };

  const putDeployment = async (endpoint: string, name: string, properties: Record<string, unknown> = {}) => {
    const response = await t.request('PUT', `${endpointsPath}/${endpoint}/deployments/${name}?${API}`, {
      location: t.emulator.info.location,
      properties: {
        endpointComputeType: 'Managed',
        codeConfiguration: { codeId, scoringScript: 'score.py' },
        model: modelId,
        instanceType: 'Standard_DS3_v2',
        ...properties,
      },
      sku: { name: 'Default', capacity: 1 },
    });
    expect(response.status, response.text).toBe(201);
    return poll(response.headers['azure-asyncoperation'] as string);
  };

  const score = (
    endpoint: string,
    bearer: string,
    headers: Record<string, string> = {},
    body: unknown = ROWS,
  ) =>
    httpsRequest(`${t.emulator.info.armEndpoint}/inference/${endpoint}/score`, {
      method: 'POST',
      ca: t.ca,
      headers: { Authorization: `Bearer ${bearer}`, ...headers },
      body,
    });

  const keyOf = async (endpoint: string) =>
    (await t.request('POST', `${endpointsPath}/${endpoint}/listKeys?${API}`)).json.primaryKey as string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'online-int-'));
    const modelDir = path.join(work, 'model');
    execFileSync('python3', [
      path.join(EXAMPLES, 'src/train.py'),
      '--data',
      path.join(EXAMPLES, 'data/machine_failures.csv'),
      '--model_dir',
      modelDir,
      '--epochs',
      '50',
    ]);
    t = await startTestEmulator();
    endpointsPath = `${t.workspacePath}/onlineEndpoints`;
    const container = t.containerClient(t.blobContainer);
    for (const [file, content] of filesUnder(modelDir)) {
      await container
        .getBlockBlobClient(`models/failures/model/${file}`)
        .upload(content, Buffer.byteLength(content));
    }
    const model = await t.request('PUT', `${t.workspacePath}/models/failures/versions/1?${API}`, {
      properties: {
        modelUri: 'azureml://datastores/workspaceblobstore/paths/models/failures/model/',
        modelType: 'custom_model',
      },
    });
    expect(model.status, model.text).toBe(201);
    modelId = model.json.id;
    const source = (name: string) => readFileSync(path.join(EXAMPLES, 'src', name), 'utf8');
    // score.py, plus a line per call in MIRROR_LOG when that is set (to see mirrored requests).
    const scoring = `${source('score.py')}\n\n_run = run\n\n\ndef run(raw_data):\n    target = os.environ.get("MIRROR_LOG")\n    if target:\n        with open(target, "a", encoding="utf-8") as handle:\n            handle.write("called\\n")\n    return _run(raw_data)\n`;
    codeId = await t.createCode('score-src', { 'score.py': scoring, 'logreg.py': source('logreg.py') });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('creates an endpoint and a deployment, then scores with the key', async () => {
    expect((await putEndpoint('failures', { authMode: 'Key' })).status).toBe('Succeeded');
    const blue = await putDeployment('failures', 'blue');
    expect(blue.status, JSON.stringify(blue)).toBe('Succeeded');
    await putEndpoint('failures', { authMode: 'Key', traffic: { blue: 100 } });
    const endpoint = await t.request('GET', `${endpointsPath}/failures?${API}`);
    expect(endpoint.json.properties.scoringUri).toBe(
      `${t.emulator.info.armEndpoint}/inference/failures/score`,
    );

    const scored = await score('failures', await keyOf('failures'));
    expect(scored.status, scored.text).toBe(200);
    expect(scored.headers['azureml-model-deployment']).toBe('blue');
    expect(scored.headers['x-ms-run-fn-exec-ms']).toBeDefined();
    expect(scored.json.predictions).toHaveLength(2);
    expect(scored.json.probabilities.every((p: number) => p >= 0 && p <= 1)).toBe(true);

    const denied = await score('failures', 'not-the-key');
    expect(denied.status).toBe(401);
    const anonymous = await httpsRequest(`${t.emulator.info.armEndpoint}/inference/failures/score`, {
      method: 'POST',
      ca: t.ca,
      body: ROWS,
    });
    expect(anonymous.status).toBe(401);
    const badInput = await score('failures', await keyOf('failures'), {}, { rows: [] });
    expect(badInput.status).toBeGreaterThanOrEqual(400);
    expect(badInput.headers['azureml-model-deployment']).toBe('blue');
  }, 180_000);

  it('routes by header (even at 0 %) and by traffic weights', async () => {
    expect((await putDeployment('failures', 'green')).status).toBe('Succeeded');
    const key = await keyOf('failures');
    const pinned = await score('failures', key, { 'azureml-model-deployment': 'green' });
    expect(pinned.status).toBe(200);
    expect(pinned.headers['azureml-model-deployment']).toBe('green');

    await putEndpoint('failures', { authMode: 'Key', traffic: { blue: 50, green: 50 } });
    const served = new Set<string>();
    for (let i = 0; i < 40; i++)
      served.add(String((await score('failures', key)).headers['azureml-model-deployment']));
    expect([...served].sort()).toEqual(['blue', 'green']);

    await putEndpoint('failures', { authMode: 'Key', traffic: { blue: 0, green: 0 } });
    const nowhere = await score('failures', key);
    expect(nowhere.status).toBe(404);
    expect(nowhere.text).toContain('No valid deployments to route to');
  }, 180_000);

  it('mirrors a share of the traffic to a shadow deployment whose answer is discarded', async () => {
    const shadow = await putDeployment('failures', 'shadow', {
      environmentVariables: { MIRROR_LOG: mirrorLog() },
    });
    expect(shadow.status).toBe('Succeeded');
    await putEndpoint('failures', { authMode: 'Key', traffic: { blue: 100 }, mirrorTraffic: { shadow: 50 } });
    const key = await keyOf('failures');
    for (let i = 0; i < 30; i++) {
      const response = await score('failures', key);
      expect(response.headers['azureml-model-deployment']).toBe('blue');
    }
    await sleep(500);
    const calls = existsSync(mirrorLog())
      ? readFileSync(mirrorLog(), 'utf8').split('\n').filter(Boolean).length
      : 0;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(30);
  }, 180_000);

  it('fails a deployment whose script cannot import, with the ImportError in getLogs', async () => {
    const brokenCode = await t.createCode('broken-src', {
      'score.py':
        'import no_such_module_here\n\n\ndef init():\n    pass\n\n\ndef run(data):\n    return data\n',
    });
    const failed = await putDeployment('failures', 'broken', {
      codeConfiguration: { codeId: brokenCode, scoringScript: 'score.py' },
    });
    expect(failed.status).toBe('Failed');
    expect(failed.error).toMatchObject({
      code: 'ResourceNotReady',
      message: expect.stringContaining('no_such_module_here'),
    });
    const deployment = await t.request('GET', `${endpointsPath}/failures/deployments/broken?${API}`);
    expect(deployment.json.properties.provisioningState).toBe('Failed');
    const logs = await t.request('POST', `${endpointsPath}/failures/deployments/broken/getLogs?${API}`, {
      containerType: 'InferenceServer',
      tail: 200,
    });
    expect(logs.json.content).toMatch(/(ModuleNotFoundError|ImportError).*no_such_module_here/);
  }, 180_000);

  it('serves an AMLToken endpoint with a token from the token action, and refuses keys there', async () => {
    await putEndpoint('tokened', { authMode: 'AMLToken' });
    expect((await putDeployment('tokened', 'blue')).status).toBe('Succeeded');
    await putEndpoint('tokened', { authMode: 'AMLToken', traffic: { blue: 100 } });
    const token = await t.request('POST', `${endpointsPath}/tokened/token?${API}`);
    expect(token.json.tokenType).toBe('Bearer');
    const scored = await score('tokened', token.json.accessToken);
    expect(scored.status, scored.text).toBe(200);
    expect((await score('tokened', await keyOf('failures'))).status).toBe(401);
    // A token of another endpoint does not open this one.
    const other = await t.request('POST', `${endpointsPath}/failures/token?${API}`);
    expect(other.status).toBe(400);
  }, 180_000);

  it('serves an AADToken endpoint with an Entra token for https://ml.azure.com, not one for ARM', async () => {
    await putEndpoint('entra', { authMode: 'AADToken' });
    expect((await putDeployment('entra', 'blue')).status).toBe('Succeeded');
    await putEndpoint('entra', { authMode: 'AADToken', traffic: { blue: 100 } });
    const { info } = t.emulator;
    const tokenFor = async (scope: string) =>
      (
        await httpsRequest(`${info.authorityHost}/${info.tenantId}/oauth2/v2.0/token`, {
          method: 'POST',
          ca: t.ca,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: info.clientId,
            client_secret: info.clientSecret,
            scope,
          }).toString(),
        })
      ).json.access_token as string;
    expect((await score('entra', await tokenFor('https://ml.azure.com/.default'))).status).toBe(200);
    expect((await score('entra', await tokenFor('https://management.azure.com/.default'))).status).toBe(401);
  }, 180_000);
});
