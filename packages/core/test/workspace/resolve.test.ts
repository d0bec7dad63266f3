import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { describeSource, type ResolveWorkspaceOptions, resolveWorkspace } from '../../src/workspace';

const SUB_A = '11111111-2222-3333-4444-555555555555';
const SUB_B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SUB_C = '0f0f0f0f-1e1e-2d2d-3c3c-4b4b4b4b4b4b';

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'aml-resolve-'));
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

function configJson(subscription: string, group: string, workspace: string): string {
  return `${JSON.stringify({ subscription_id: subscription, resource_group: group, workspace_name: workspace }, null, 2)}\n`;
}

async function failure(options: ResolveWorkspaceOptions): Promise<ConfigurationError> {
  try {
    await resolveWorkspace(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected resolveWorkspace to fail');
}

describe('resolveWorkspace: precedence', () => {
  it('takes all three values from the inputs and reads no file', async () => {
    await writeFile(join(cwd, 'config.json'), '{ not json');
    const result = await resolveWorkspace({
      inputs: { subscriptionId: SUB_A, resourceGroup: 'rg-in', workspace: 'ws-in' },
      env: {
        AZUREML_ARM_SUBSCRIPTION: SUB_B,
        AZUREML_ARM_RESOURCEGROUP: 'rg-env',
        AZUREML_ARM_WORKSPACE_NAME: 'ws-env',
      },
      cwd,
    });
    expect(result).toEqual({
      workspace: { subscriptionId: SUB_A, resourceGroup: 'rg-in', workspace: 'ws-in' },
      sources: {
        subscriptionId: { from: 'input', input: 'subscription-id' },
        resourceGroup: { from: 'input', input: 'resource-group' },
        workspace: { from: 'input', input: 'workspace' },
      },
    });
  });

  it('prefers the environment over config.json, and config.json fills the rest', async () => {
    await writeFile(join(cwd, 'config.json'), configJson(SUB_C, 'rg-file', 'ws-file'));
    const result = await resolveWorkspace({
      inputs: { workspace: '  ws-in  ', resourceGroup: '' },
      env: { AZUREML_ARM_RESOURCEGROUP: 'rg-env' },
      cwd,
    });
    expect(result.workspace).toEqual({ subscriptionId: SUB_C, resourceGroup: 'rg-env', workspace: 'ws-in' });
    expect(result.sources).toEqual({
      subscriptionId: { from: 'config', file: 'config.json', key: 'subscription_id' },
      resourceGroup: { from: 'env', variable: 'AZUREML_ARM_RESOURCEGROUP' },
      workspace: { from: 'input', input: 'workspace' },
    });
    expect(result.configFile).toBe('config.json');
    expect(describeSource(result.sources.subscriptionId)).toBe('config.json (subscription_id)');
    expect(describeSource(result.sources.resourceGroup)).toBe(
      'environment variable AZUREML_ARM_RESOURCEGROUP',
    );
    expect(describeSource(result.sources.workspace)).toBe("input 'workspace'");
  });

  it('uses AZURE_SUBSCRIPTION_ID only when AZUREML_ARM_SUBSCRIPTION is unset', async () => {
    const base = { inputs: { resourceGroup: 'rg', workspace: 'ws1' }, cwd };
    const both = await resolveWorkspace({
      ...base,
      env: { AZUREML_ARM_SUBSCRIPTION: SUB_A, AZURE_SUBSCRIPTION_ID: SUB_B },
    });
    expect(both.workspace.subscriptionId).toBe(SUB_A);
    const fallback = await resolveWorkspace({
      ...base,
      env: { AZUREML_ARM_SUBSCRIPTION: '', AZURE_SUBSCRIPTION_ID: SUB_B },
    });
    expect(fallback.workspace.subscriptionId).toBe(SUB_B);
    expect(fallback.sources.subscriptionId).toEqual({ from: 'env', variable: 'AZURE_SUBSCRIPTION_ID' });
  });

  it('prefers AZURE_SUBSCRIPTION_ID over config.json', async () => {
    await writeFile(join(cwd, 'config.json'), configJson(SUB_C, 'rg-file', 'ws-file'));
    const result = await resolveWorkspace({ inputs: {}, env: { AZURE_SUBSCRIPTION_ID: SUB_B }, cwd });
    expect(result.workspace).toEqual({
      subscriptionId: SUB_B,
      resourceGroup: 'rg-file',
      workspace: 'ws-file',
    });
  });

  it('finds .azureml/config.json when there is no ./config.json', async () => {
    await mkdir(join(cwd, '.azureml'));
    await writeFile(join(cwd, '.azureml', 'config.json'), configJson(SUB_C, 'rg-hidden', 'ws-hidden'));
    const result = await resolveWorkspace({ inputs: {}, env: {}, cwd });
    expect(result.workspace).toEqual({
      subscriptionId: SUB_C,
      resourceGroup: 'rg-hidden',
      workspace: 'ws-hidden',
    });
    expect(result.configFile).toBe(join('.azureml', 'config.json'));
  });

  it('prefers ./config.json over .azureml/config.json', async () => {
    await mkdir(join(cwd, '.azureml'));
    await writeFile(join(cwd, '.azureml', 'config.json'), configJson(SUB_B, 'rg-hidden', 'ws-hidden'));
    await writeFile(join(cwd, 'config.json'), configJson(SUB_C, 'rg-top', 'ws-top'));
    const result = await resolveWorkspace({ inputs: {}, env: {}, cwd });
    expect(result.workspace.resourceGroup).toBe('rg-top');
  });

  it('reads the config-file input relative to cwd, instead of the default places', async () => {
    await writeFile(join(cwd, 'config.json'), configJson(SUB_B, 'rg-top', 'ws-top'));
    await mkdir(join(cwd, 'ml'));
    await writeFile(join(cwd, 'ml', 'workspace.json'), `\uFEFF${configJson(SUB_C, 'rg-given', 'ws-given')}`);
    const result = await resolveWorkspace({ inputs: { configFile: 'ml/workspace.json' }, env: {}, cwd });
    expect(result.workspace).toEqual({
      subscriptionId: SUB_C,
      resourceGroup: 'rg-given',
      workspace: 'ws-given',
    });
    expect(result.configFile).toBe(join('ml', 'workspace.json'));
  });

  it('reads through an injected readFile', async () => {
    const read: string[] = [];
    const result = await resolveWorkspace({
      inputs: { subscriptionId: SUB_A },
      env: {},
      cwd: '/repo',
      readFile: async (path) => {
        read.push(path);
        if (path === '/repo/.azureml/config.json') return configJson(SUB_B, 'rg', 'ws1');
        throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      },
    });
    expect(read).toEqual(['/repo/config.json', '/repo/.azureml/config.json']);
    expect(result.workspace).toEqual({ subscriptionId: SUB_A, resourceGroup: 'rg', workspace: 'ws1' });
  });

  it('passes on the abort signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      resolveWorkspace({ inputs: {}, env: {}, cwd, abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('passes on I/O errors other than a missing file', async () => {
    const denied = Object.assign(new Error('permission denied'), { code: 'EACCES' });
    const promise = resolveWorkspace({
      inputs: {},
      env: {},
      cwd,
      readFile: async () => {
        throw denied;
      },
    });
    await expect(promise).rejects.toBe(denied);
  });
});

describe('resolveWorkspace: errors', () => {
  it('names every missing input, variable and config key in one error', async () => {
    const error = await failure({ inputs: {}, env: {}, cwd });
    expect(error.problem).toMatch(/subscription id, resource group and workspace name are not set/);
    expect(error.problem).toMatch(
      /no config\.json was found \(looked for config\.json and \.azureml\/config\.json\)/,
    );
    expect(error.fix).toMatch(/inputs 'subscription-id', 'resource-group' and 'workspace'/);
    expect(error.fix).toMatch(
      /AZUREML_ARM_SUBSCRIPTION or AZURE_SUBSCRIPTION_ID, AZUREML_ARM_RESOURCEGROUP and AZUREML_ARM_WORKSPACE_NAME/,
    );
    expect(error.fix).toMatch(/"subscription_id", "resource_group" and "workspace_name"/);
    expect(error.input).toBeUndefined();
  });

  it('names the one missing value as the input, and the config.json that lacks it', async () => {
    await writeFile(
      join(cwd, 'config.json'),
      JSON.stringify({ subscription_id: SUB_A, resource_group: 'rg' }),
    );
    const error = await failure({ inputs: {}, env: {}, cwd });
    expect(error.input).toBe('workspace');
    expect(error.problem).toMatch(/workspace name is not set; config\.json has no "workspace_name"/);
    expect(error.fix).toMatch(/AZUREML_ARM_WORKSPACE_NAME/);
    expect(error.message).toMatch(/^input 'workspace': /);
  });

  it('reports bad JSON with file, line and column', async () => {
    await writeFile(
      join(cwd, 'config.json'),
      '{\n  "subscription_id": "11111111-2222-3333-4444-555555555555",\n  "resource_group": "rg",\n}\n',
    );
    const error = await failure({ inputs: {}, env: {}, cwd });
    expect(error.file).toBe('config.json');
    expect(error.line).toBe(4);
    expect(error.column).toBe(1);
    expect(error.message).toMatch(/^config\.json:4:1: config\.json is not valid JSON/);
    expect(error.fix).toMatch(/"subscription_id": "<guid>"/);
  });

  it('locates errors that Node reports without a position', async () => {
    await writeFile(join(cwd, 'config.json'), '{\n  "subscription_id": [1,]\n}');
    const error = await failure({ inputs: {}, env: {}, cwd });
    expect([error.line, error.column]).toEqual([2, 25]);
    expect(error.problem).toBe("config.json is not valid JSON: Unexpected token ']'");
  });

  it('locates a truncated file at its end', async () => {
    await writeFile(join(cwd, 'config.json'), '{\n  "subscription_id": "x"');
    const error = await failure({ inputs: {}, env: {}, cwd });
    expect([error.line, error.column]).toEqual([2, 25]);
  });

  it('rejects a config.json that is not an object', async () => {
    await writeFile(join(cwd, 'config.json'), '["a"]');
    const error = await failure({ inputs: {}, env: {}, cwd });
    expect(error.problem).toMatch(/must contain a JSON object/);
  });

  it('rejects a non-string value and points at its key', async () => {
    await writeFile(
      join(cwd, 'config.json'),
      `{\n  "subscription_id": "${SUB_A}",\n  "resource_group": 42\n}`,
    );
    const error = await failure({ inputs: { workspace: 'ws1' }, env: {}, cwd });
    expect(error.problem).toMatch(/"resource_group" in config\.json must be a string, not number/);
    expect([error.file, error.line, error.column]).toEqual(['config.json', 3, 3]);
  });

  it('fails when the config-file input names a missing file', async () => {
    const error = await failure({ inputs: { configFile: 'nope/config.json' }, env: {}, cwd });
    expect(error.input).toBe('config-file');
    expect(error.problem).toMatch(/'nope\/config\.json' does not exist/);
  });

  it('rejects a subscription id that is not a GUID, naming where it came from', async () => {
    const fromInput = await failure({
      inputs: { subscriptionId: 'my-subscription', resourceGroup: 'rg', workspace: 'ws1' },
      env: {},
      cwd,
    });
    expect(fromInput.input).toBe('subscription-id');
    expect(fromInput.problem).toMatch(
      /subscription id 'my-subscription' from input 'subscription-id' is not valid: it is not a GUID/,
    );

    const fromEnv = await failure({
      inputs: { resourceGroup: 'rg', workspace: 'ws1' },
      env: { AZURE_SUBSCRIPTION_ID: '1234' },
      cwd,
    });
    expect(fromEnv.problem).toMatch(/from environment variable AZURE_SUBSCRIPTION_ID/);
    expect(fromEnv.fix).toMatch(/Set AZURE_SUBSCRIPTION_ID .*or set the input 'subscription-id'/);

    await writeFile(join(cwd, 'config.json'), configJson('00000000-0000-0000-0000-000000000', 'rg', 'ws1'));
    const fromFile = await failure({ inputs: {}, env: {}, cwd });
    expect([fromFile.file, fromFile.line]).toEqual(['config.json', 2]);
    expect(fromFile.fix).toMatch(/Correct "subscription_id" in config\.json/);
  });

  it('rejects invalid resource group and workspace names', async () => {
    const group = await failure({
      inputs: { subscriptionId: SUB_A, resourceGroup: 'rg.', workspace: 'ws1' },
      env: {},
      cwd,
    });
    expect(group.problem).toMatch(/resource group 'rg\.'.*must not end with a period/);
    const workspace = await failure({
      inputs: { subscriptionId: SUB_A, resourceGroup: 'rg', workspace: 'my workspace' },
      env: {},
      cwd,
    });
    expect(workspace.input).toBe('workspace');
    expect(workspace.problem).toMatch(/workspace name 'my workspace'.*a space/);
  });
});
