// The emulator as users run it: the bin as a child process, its ready line, TLS trust, state that
// survives a restart, and a clean stop that takes Azurite down too.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_BIN, type EmulatorProcess, startEmulatorProcess } from '../../../test/support/emulator';
import { httpsRequest } from '../../../test/support/https';
import { defaultBlobContainers } from '../src/arm';
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from '../src/azurite/azurite-process';
import { ensureContainer } from '../src/azurite/containers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const portAccepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('aml-emulator process', () => {
  let emulator: EmulatorProcess;
  let ca: Buffer;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    ca = readFileSync(emulator.info.caCertPath);
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('prints one ready line with every connection detail', () => {
    const { info } = emulator;
    const base = info.armEndpoint;
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(info).sort()).toEqual(
      [
        'armEndpoint',
        'authorityHost',
        'tenantId',
        'clientId',
        'clientSecret',
        'subscriptionId',
        'resourceGroup',
        'workspace',
        'location',
        'caCertPath',
        'adminUrl',
        'blobEndpoint',
        'registries',
        'oidc',
        'inputs',
      ].sort(),
    );
    expect(info.tenantId).toMatch(UUID);
    expect(info.clientId).toMatch(UUID);
    expect(info.subscriptionId).toMatch(UUID);
    expect(info.clientSecret.length).toBeGreaterThan(20);
    expect(info.authorityHost).toBe(base);
    expect(info.adminUrl).toBe(`${base}/_emulator`);
    expect(info.caCertPath).toBe(path.join(emulator.stateDir, 'ca.pem'));
    expect(info.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    const azuritePort = new URL(info.blobEndpoint).port;
    expect(info.registries).toEqual([
      {
        name: 'mlops-registry',
        resourceGroup: info.resourceGroup,
        storageAccountName: expect.stringMatching(/^mlopsregistry[0-9a-f]{11}$/),
        blobEndpoint: expect.stringMatching(
          new RegExp(`^http://127\\.0\\.0\\.1:${azuritePort}/mlopsregistry[0-9a-f]{11}$`),
        ),
      },
    ]);
    expect(info.oidc.requestUrl).toBe(`${base}/_oidc/token?api-version=2.0`);
    expect(info.oidc.requestToken.length).toBeGreaterThan(20);
    expect(info.inputs).toEqual({
      'subscription-id': info.subscriptionId,
      'resource-group': info.resourceGroup,
      workspace: info.workspace,
      'client-id': info.clientId,
      'tenant-id': info.tenantId,
      cloud: 'Custom',
      'arm-endpoint': base,
      'authority-host': base,
    });
  });

  it('answers health over HTTPS with ARM correlation headers', async () => {
    const response = await httpsRequest(`${emulator.info.adminUrl}/health`, {
      ca,
      headers: { 'x-ms-client-request-id': 'abc-123' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-ms-request-id']).toMatch(UUID);
    expect(response.headers['x-ms-correlation-request-id']).toBe('abc-123');
    expect(response.headers['x-ms-client-request-id']).toBe('abc-123');
    const without = await httpsRequest(`${emulator.info.adminUrl}/health`, { ca });
    expect(without.headers['x-ms-correlation-request-id']).toMatch(UUID);
    expect(without.headers['x-ms-client-request-id']).toBeUndefined();
  });

  it('is trusted only by clients that trust its CA (also as localhost)', async () => {
    await expect(httpsRequest(`${emulator.info.adminUrl}/health`)).rejects.toMatchObject({
      code: expect.stringMatching(
        /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/,
      ),
    });
    const viaLocalhost = emulator.info.adminUrl.replace('127.0.0.1', 'localhost');
    const response = await httpsRequest(`${viaLocalhost}/health`, { ca });
    expect(response.status).toBe(200);
  });

  it('childEnv() makes child processes trust the CA, keeping the existing bundle', async () => {
    const env = emulator.childEnv();
    const bundle = readFileSync(env.NODE_EXTRA_CA_CERTS as string, 'utf8');
    expect(bundle).toContain(readFileSync(emulator.info.caCertPath, 'utf8').trim());
    if (process.env.NODE_EXTRA_CA_CERTS) {
      expect(bundle.startsWith(readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8').trimEnd())).toBe(true);
    }
    const script = `require('node:https').get(process.argv[1], (res) => { console.log(res.statusCode); res.resume(); }).on('error', (e) => { console.log(e.code); });`;
    const url = `${emulator.info.adminUrl}/health`;
    const trusted = await runNode(['-e', script, url], { ...process.env, ...env });
    expect(trusted.stdout.trim()).toBe('200');
    const untrusted = await runNode(['-e', script, url], { ...process.env, NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.stdout.trim()).toMatch(/CERT|SIGNATURE/);
  });

  it('creates the default datastore containers in Azurite', async () => {
    const { info } = emulator;
    const account = {
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
      blobEndpoint: info.blobEndpoint,
    };
    const containers = defaultBlobContainers(info);
    expect(containers.blobStore).toMatch(/^azureml-blobstore-[0-9a-f-]{36}$/);
    expect(await ensureContainer(account, containers.blobStore)).toBe('exists');
    expect(await ensureContainer(account, containers.artifactStore)).toBe('exists');
  });
});

describe('aml-emulator lifecycle', () => {
  it.each([
    [['--state-dir', 'x', '--port', 'nope'], /--port 'nope' is not a port/],
    [['--port', '0'], /--state-dir is required/],
    [['--state-dir', 'x', '--token-lifetime', 'forever'], /--token-lifetime 'forever' is not a duration/],
    [['--state-dir', 'x', '--what'], /Unknown option '--what'/],
  ])('exits 2 with the problem and usage for %j', async (args, message) => {
    const result = await runNode([EMULATOR_BIN, ...args], process.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: aml-emulator --state-dir DIR');
    expect(result.stdout).toBe('');
  });

  it('keeps ids and signing keys across a restart with the same state dir, and SIGTERM stops Azurite', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'aml-emulator-restart-'));
    try {
      const first = await startEmulatorProcess({ stateDir });
      const ca = readFileSync(first.info.caCertPath);
      const secretForm = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: first.info.clientId,
        client_secret: first.info.clientSecret,
        scope: 'https://management.azure.com/.default',
      }).toString();
      const tokenResponse = await httpsRequest(
        `${first.info.authorityHost}/${first.info.tenantId}/oauth2/v2.0/token`,
        {
          method: 'POST',
          ca,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: secretForm,
        },
      );
      expect(tokenResponse.status).toBe(200);
      const accessToken = tokenResponse.json.access_token as string;
      const firstBlobPort = Number(new URL(first.info.blobEndpoint).port);
      expect(await portAccepts(firstBlobPort)).toBe(true);

      expect(await first.stop()).toBe(0);
      expect(await portAccepts(firstBlobPort)).toBe(false);
      expect(first.stderr()).toContain('SIGTERM received; stopping');

      const second = await startEmulatorProcess({ stateDir });
      try {
        const keep = [
          'tenantId',
          'clientId',
          'clientSecret',
          'subscriptionId',
          'resourceGroup',
          'workspace',
        ] as const;
        for (const key of keep) expect(second.info[key]).toBe(first.info[key]);
        expect(second.info.oidc.requestToken).toBe(first.info.oidc.requestToken);
        // A token issued before the restart still passes ARM auth: the Entra key was kept.
        const secondCa = readFileSync(second.info.caCertPath);
        const arm = await httpsRequest(
          `${second.info.armEndpoint}/subscriptions/${second.info.subscriptionId}/resourceGroups/${second.info.resourceGroup}/providers/Microsoft.MachineLearningServices/noSuchType/x?api-version=2022-10-01`,
          { ca: secondCa, headers: { Authorization: `Bearer ${accessToken}` } },
        );
        expect(arm.status).toBe(404);
        expect(arm.json.error.code).toBe('InvalidResourceType');
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('takes Azurite down even when the emulator is killed outright', async () => {
    const killed = await startEmulatorProcess();
    const blobPort = Number(new URL(killed.info.blobEndpoint).port);
    expect(await portAccepts(blobPort)).toBe(true);
    killed.child.kill('SIGKILL');
    await killed.stop();
    let open = true;
    for (let attempt = 0; attempt < 50 && open; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await portAccepts(blobPort);
    }
    expect(open).toBe(false);
  });
});
