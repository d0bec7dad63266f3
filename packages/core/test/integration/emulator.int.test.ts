// The core clients with the real SDKs over HTTPS against the emulator, started here.
import { readFileSync } from 'node:fs';
import { ClientAssertionCredential, type ClientAssertionCredentialOptions } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcConnection } from '../../../../test/support/connection';
import { type EmulatorProcess, startEmulatorProcess } from '../../../../test/support/emulator';
import { httpsRequest } from '../../../../test/support/https';
import { AzureRequestError, computeArmId, isTerminalJobStatus } from '../../src/index';

const commandJob = (computeId: string) => ({
  jobType: 'Command',
  // Runs long enough to be cancelled: the emulator executes it.
  command: 'python -c "import time; time.sleep(60)"',
  environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
  computeId,
  experimentName: 'core-integration',
  inputs: {
    learning_rate: { jobInputType: 'literal', value: '0.05' },
    training_data: {
      jobInputType: 'uri_folder',
      uri: 'azureml://datastores/workspaceblobstore/paths/data/churn/',
      // Direct: the job gets the URI itself, so no data needs to exist at it.
      mode: 'Direct',
    },
  },
});

describe('core against the emulator', () => {
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('signs in with GitHub OIDC and reads the workspace through the SDK', async () => {
    const { clients, resolved, workspace } = oidcConnection(emulator.info);
    expect(resolved.kind).toBe('oidc');
    const ws = await clients.sdk.workspaces.get(workspace.resourceGroup, workspace.workspace);
    expect(ws.name).toBe(emulator.info.workspace);
  });

  it('reads the default datastore and its secret, handing the secret out for masking', async () => {
    const { datastores, secrets } = oidcConnection(emulator.info);
    const store = await datastores.get('workspaceblobstore');
    expect(store).toMatchObject({ type: 'AzureBlob', isDefault: true });
    expect(store.blobServiceUrl).toBe(emulator.info.blobEndpoint);
    const listed = await datastores.listSecrets('workspaceblobstore');
    expect(listed.kind).toBe('AccountKey');
    expect(listed.secret).toBeTruthy();
    expect(secrets).toEqual([listed.secret]);
  });

  it('creates, gets, lists and cancels a command job', async () => {
    const { jobs, workspace } = oidcConnection(emulator.info);
    const name = `core-int-${Date.now()}`;
    const body = commandJob(computeArmId(workspace, 'cpu-cluster'));
    const first = await jobs.create(name, body);
    expect(first.created).toBe(true);
    expect(first.job.properties.status).toBe('Starting');
    // Inputs survive the round trip (the SDK would have dropped uri and mode).
    expect(first.job.properties.inputs).toMatchObject({
      training_data: { uri: body.inputs.training_data.uri },
    });

    const again = await jobs.create(name, body);
    expect(again.created).toBe(false);

    expect((await jobs.get(name)).name).toBe(name);
    const names: string[] = [];
    for await (const job of jobs.list({ jobType: 'Command' })) names.push(job.name);
    expect(names).toContain(name);

    await jobs.cancel(name);
    let status = (await jobs.get(name)).properties.status;
    const deadline = Date.now() + 15_000;
    while (!isTerminalJobStatus(status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await jobs.get(name)).properties.status;
    }
    expect(status).toBe('Canceled');
  });

  it('reports a missing job as an AzureRequestError with the ARM code and request id', async () => {
    const { jobs } = oidcConnection(emulator.info);
    const error = await jobs.get('no-such-job').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error).toMatchObject({ status: 404 });
    expect((error as AzureRequestError).requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it('retries a job GET throttled with 429 + Retry-After and then succeeds', async () => {
    const { jobs, workspace } = oidcConnection(emulator.info);
    const name = `core-throttle-${Date.now()}`;
    await jobs.create(name, commandJob(computeArmId(workspace, 'cpu-cluster')));
    const ca = readFileSync(emulator.info.caCertPath);
    const fault = await httpsRequest(`${emulator.info.adminUrl}/faults`, {
      method: 'POST',
      ca,
      body: {
        method: 'GET',
        path: `/jobs/${name}`,
        kind: 'status',
        status: 429,
        retryAfterSeconds: 1,
        count: 2,
      },
    });
    expect(fault.status).toBeLessThan(300);
    const started = Date.now();
    const job = await jobs.get(name);
    expect(job.name).toBe(name);
    // Two throttled answers, each asking for one second before the retry.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const log = await httpsRequest(`${emulator.info.adminUrl}/requests`, { ca });
    const statuses = log.json.value
      .filter(
        (entry: { method: string; path: string }) =>
          entry.method === 'GET' && entry.path.endsWith(`/jobs/${name}`),
      )
      .map((entry: { status: number }) => entry.status);
    expect(statuses).toEqual([429, 429, 200]);
  });
});

describe('token refresh with short lifetimes', () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await startEmulatorProcess({ args: ['--token-lifetime', '2s', '--id-token-lifetime', '2s'] });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('keeps working over 10 seconds of ARM calls while access and ID tokens expire', async () => {
    const { jobs, workspace } = oidcConnection(emulator.info);
    const name = `core-refresh-${Date.now()}`;
    await jobs.create(name, commandJob(computeArmId(workspace, 'cpu-cluster')));
    const end = Date.now() + 10_000;
    let calls = 0;
    while (Date.now() < end) {
      expect((await jobs.get(name)).name).toBe(name);
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(calls).toBeGreaterThanOrEqual(10);
  });

  it('gives a clear error when an expired ID token is presented as the assertion', async () => {
    const ca = readFileSync(emulator.info.caCertPath, 'utf8');
    const issued = await httpsRequest(
      `${emulator.info.oidc.requestUrl}&audience=api://AzureADTokenExchange`,
      {
        ca,
        headers: { authorization: `Bearer ${emulator.info.oidc.requestToken}` },
      },
    );
    const idToken = issued.json.value as string;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // A credential that keeps handing out the same (now expired) token, as a naive callback would.
    const credential = new ClientAssertionCredential(
      emulator.info.tenantId,
      emulator.info.clientId,
      async () => idToken,
      {
        authorityHost: emulator.info.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca },
      } as ClientAssertionCredentialOptions,
    );
    const error = await credential.getToken(`${emulator.info.armEndpoint}/.default`).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/AADSTS700024/);
  });
});
