// Which workspace an action works on. Each of the three values comes from the first place that
// has it: the action input, then the environment (what `az ml` and Azure ML jobs set), then an
// Azure ML `config.json` (what the Studio's "download config.json" gives).

import { readFile as readFileFromDisk } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigurationError } from '../errors';
import type { WorkspaceRef } from './arm-id';
import { locateJsonSyntaxError, positionAt } from './json-error';
import { checkResourceGroupName, checkSubscriptionId, checkWorkspaceName } from './names';

export interface WorkspaceInputs {
  subscriptionId?: string | undefined;
  resourceGroup?: string | undefined;
  workspace?: string | undefined;
  /** Path of a config.json, relative to `cwd`. */
  configFile?: string | undefined;
}

export interface ResolveWorkspaceOptions {
  inputs: WorkspaceInputs;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Reads a UTF-8 file; rejects with `code: 'ENOENT'` when it does not exist. */
  readFile?: (path: string, options: { abortSignal?: AbortSignal }) => Promise<string>;
  abortSignal?: AbortSignal;
}

export type ValueSource =
  | { from: 'input'; input: string }
  | { from: 'env'; variable: string }
  | { from: 'config'; file: string; key: string };

export interface ResolvedWorkspace {
  workspace: WorkspaceRef;
  sources: Record<keyof WorkspaceRef, ValueSource>;
  /** The config.json that was read (as shown in messages), if one was. */
  configFile?: string;
}

type Field = keyof WorkspaceRef;

interface FieldSpec {
  label: string;
  input: string;
  env: string[];
  configKey: string;
  check: (value: string) => string | undefined;
}

export const WORKSPACE_INPUT_NAMES = {
  subscriptionId: 'subscription-id',
  resourceGroup: 'resource-group',
  workspace: 'workspace',
  configFile: 'config-file',
} as const;

const FIELDS: Record<Field, FieldSpec> = {
  subscriptionId: {
    label: 'subscription id',
    input: WORKSPACE_INPUT_NAMES.subscriptionId,
    env: ['AZUREML_ARM_SUBSCRIPTION', 'AZURE_SUBSCRIPTION_ID'],
    configKey: 'subscription_id',
    check: checkSubscriptionId,
  },
  resourceGroup: {
    label: 'resource group',
    input: WORKSPACE_INPUT_NAMES.resourceGroup,
    env: ['AZUREML_ARM_RESOURCEGROUP'],
    configKey: 'resource_group',
    check: checkResourceGroupName,
  },
  workspace: {
    label: 'workspace name',
    input: WORKSPACE_INPUT_NAMES.workspace,
    env: ['AZUREML_ARM_WORKSPACE_NAME'],
    configKey: 'workspace_name',
    check: checkWorkspaceName,
  },
};

const FIELD_ORDER: Field[] = ['subscriptionId', 'resourceGroup', 'workspace'];

/** Where config.json is looked for when no `config-file` input is given, relative to cwd. */
export const DEFAULT_CONFIG_FILES = ['config.json', '.azureml/config.json'];

/** Names a value's origin for logs, e.g. `input 'workspace'` or `config.json (workspace_name)`. */
export function describeSource(source: ValueSource): string {
  switch (source.from) {
    case 'input':
      return `input '${source.input}'`;
    case 'env':
      return `environment variable ${source.variable}`;
    case 'config':
      return `${source.file} (${source.key})`;
  }
}

interface ConfigFile {
  file: string;
  text: string;
  values: Record<string, unknown>;
}

interface Found {
  value: string;
  source: ValueSource;
}

export async function resolveWorkspace(options: ResolveWorkspaceOptions): Promise<ResolvedWorkspace> {
  const { inputs, env, cwd } = options;
  const found: Partial<Record<Field, Found>> = {};
  for (const field of FIELD_ORDER) {
    const spec = FIELDS[field];
    const fromInput = nonEmpty(inputs[field]);
    if (fromInput !== undefined) {
      found[field] = { value: fromInput, source: { from: 'input', input: spec.input } };
      continue;
    }
    for (const variable of spec.env) {
      const fromEnv = nonEmpty(env[variable]);
      if (fromEnv !== undefined) {
        found[field] = { value: fromEnv, source: { from: 'env', variable } };
        break;
      }
    }
  }

  const explicitConfig = nonEmpty(inputs.configFile);
  const needsConfig = FIELD_ORDER.some((field) => found[field] === undefined);
  const searched: string[] = [];
  let config: ConfigFile | undefined;
  if (explicitConfig !== undefined) {
    config = await loadConfigFile(options, resolve(cwd, explicitConfig), true);
  } else if (needsConfig) {
    for (const candidate of DEFAULT_CONFIG_FILES) {
      const path = resolve(cwd, candidate);
      searched.push(displayPath(cwd, path));
      config = await loadConfigFile(options, path, false);
      if (config) break;
    }
  }
  if (config) {
    for (const field of FIELD_ORDER) {
      if (found[field] !== undefined) continue;
      const value = configValue(config, FIELDS[field].configKey);
      if (value !== undefined) {
        found[field] = { value, source: { from: 'config', file: config.file, key: FIELDS[field].configKey } };
      }
    }
  }

  const missing = FIELD_ORDER.filter((field) => found[field] === undefined);
  if (missing.length > 0) throw missingValuesError(missing, config?.file ?? searched);

  const workspace = {} as WorkspaceRef;
  const sources = {} as Record<Field, ValueSource>;
  for (const field of FIELD_ORDER) {
    const { value, source } = found[field] as Found;
    checkValue(field, value, source, config);
    workspace[field] = value;
    sources[field] = source;
  }
  return config ? { workspace, sources, configFile: config.file } : { workspace, sources };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function loadConfigFile(
  options: ResolveWorkspaceOptions,
  path: string,
  required: boolean,
): Promise<ConfigFile | undefined> {
  const file = displayPath(options.cwd, path);
  const read = options.readFile ?? defaultReadFile;
  let text: string;
  try {
    text = await read(path, { abortSignal: options.abortSignal });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' && !required) return undefined;
    if (code === 'ENOENT' || code === 'EISDIR') {
      throw new ConfigurationError(
        `the Azure ML config file '${file}' ${code === 'EISDIR' ? 'is a folder' : 'does not exist'}`,
        {
          input: WORKSPACE_INPUT_NAMES.configFile,
          fix: 'Point config-file at the config.json downloaded from Azure ML Studio, relative to the repository root, or leave it empty.',
          cause: error,
        },
      );
    }
    throw error;
  }
  // Editors on Windows often save a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const { line, column } = locateJsonSyntaxError(text, error);
    throw new ConfigurationError(
      `${file} is not valid JSON: ${error instanceof Error ? error.message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '') : String(error)}`,
      {
        file,
        line,
        column,
        fix: `Fix the JSON syntax at line ${line}, column ${column}; the file should look like {"subscription_id": "<guid>", "resource_group": "<group>", "workspace_name": "<workspace>"}.`,
        cause: error,
      },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`${file} must contain a JSON object`, {
      file,
      line: 1,
      fix: 'Write {"subscription_id": "<guid>", "resource_group": "<group>", "workspace_name": "<workspace>"}.',
    });
  }
  return { file, text, values: parsed as Record<string, unknown> };
}

async function defaultReadFile(path: string, options: { abortSignal?: AbortSignal }): Promise<string> {
  return readFileFromDisk(path, { encoding: 'utf8', signal: options.abortSignal });
}

function configValue(config: ConfigFile, key: string): string | undefined {
  const value = config.values[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ConfigurationError(`"${key}" in ${config.file} must be a string, not ${typeof value}`, {
      file: config.file,
      ...keyPosition(config, key),
      fix: `Write "${key}": "<value>" in ${config.file}.`,
    });
  }
  return nonEmpty(value);
}

/** Line and column of `"key"` in the file, for pointing at a bad value. */
function keyPosition(config: ConfigFile, key: string): { line?: number; column?: number } {
  const offset = config.text.indexOf(`"${key}"`);
  if (offset === -1) return {};
  const { line, column } = positionAt(config.text, offset);
  return { line, column };
}

function checkValue(field: Field, value: string, source: ValueSource, config: ConfigFile | undefined): void {
  const spec = FIELDS[field];
  const problem = spec.check(value);
  if (!problem) return;
  const message = `the ${spec.label} '${value}' from ${describeSource(source)} is not valid: ${problem}`;
  const example = field === 'subscriptionId' ? ' (a GUID such as 00000000-1111-2222-3333-444444444444)' : '';
  switch (source.from) {
    case 'input':
      throw new ConfigurationError(message, {
        input: source.input,
        fix: `Set the input '${source.input}' to the workspace's ${spec.label}${example}.`,
      });
    case 'env':
      throw new ConfigurationError(message, {
        fix: `Set ${source.variable} to the workspace's ${spec.label}${example}, or set the input '${spec.input}', which takes precedence.`,
      });
    case 'config':
      throw new ConfigurationError(message, {
        file: source.file,
        ...(config ? keyPosition(config, source.key) : {}),
        fix: `Correct "${source.key}" in ${source.file}${example}, or set the input '${spec.input}', which takes precedence.`,
      });
  }
}

function missingValuesError(missing: Field[], config: string | string[]): ConfigurationError {
  const specs = missing.map((field) => FIELDS[field]);
  const list = (items: string[]) =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  const inputs = list(specs.map((s) => `'${s.input}'`));
  const variables = list(specs.map((s) => s.env.join(' or ')));
  const keys = list(specs.map((s) => `"${s.configKey}"`));
  const where =
    typeof config === 'string'
      ? `${config} has no ${keys}`
      : `no config.json was found (looked for ${config.join(' and ')})`;
  return new ConfigurationError(
    `the workspace's ${list(specs.map((s) => s.label))} ${specs.length > 1 ? 'are' : 'is'} not set; ${where}`,
    {
      input: specs.length === 1 ? specs[0]?.input : undefined,
      fix: `Set the input${specs.length > 1 ? 's' : ''} ${inputs}, or the environment variable${specs.length > 1 ? 's' : ''} ${variables}, or add ${keys} to ${typeof config === 'string' ? config : "a config.json (pass its path as 'config-file')"}.`,
    },
  );
}
