// The deployment's references, checked before anything is written: the model (workspace version,
// `@latest`, registry version or ARM id), the environment (registered, or inline → an anonymous
// version), the scoring code (folder and script must exist; uploaded once per content hash).
// Reads happen in `check`; the writes (code upload, anonymous environment) only in `materialize`.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ArmRestClient } from '@aml-actions/core';
import {
  type AssetVersions,
  type CodeAssets,
  ConfigurationError,
  type DeploymentSpec,
  findModelVersion,
  ModelStore,
  type PreparedCode,
  parseAzureMlReference,
  type RegistryRef,
  registryAssetArmId,
  suggestModel,
  type WorkspaceRef,
} from '@aml-actions/core';

export interface ResolvedModel {
  /** ARM id for the deployment's `model`. */
  id: string;
  /** `name:version`, for names and messages. */
  name: string;
  version: string;
  modelType?: string;
}

export interface CheckedDeployment {
  model: ResolvedModel;
  environment?: { id: string } | { inline: { image: string; condaFile?: string | undefined } } | undefined;
  code?: { prepared: PreparedCode; scoringScript: string } | undefined;
}

export interface ResolveDeps {
  rest: ArmRestClient;
  workspace: WorkspaceRef;
  assets: AssetVersions;
  codeAssets: CodeAssets;
  abortSignal?: AbortSignal | undefined;
}

export async function checkDeployment(spec: DeploymentSpec, deps: ResolveDeps): Promise<CheckedDeployment> {
  if (!spec.model) {
    throw new ConfigurationError('no model is given for the deployment', {
      input: 'model',
      fix: "Set model: azureml:<name>:<version> (register-model's model-id output), <name>@latest, or a registry model URI.",
    });
  }
  const model = await resolveModel(spec.model, deps);
  const environment = await resolveEnvironment(spec, deps);
  let code: CheckedDeployment['code'];
  if (spec.codePath || spec.scoringScript) {
    if (!spec.codePath || !spec.scoringScript) {
      throw new ConfigurationError('code and scoring-script go together', {
        input: spec.codePath ? 'scoring-script' : 'code',
        fix: 'Give the folder of the scoring code (code) and the script in it that defines init() and run() (scoring-script).',
      });
    }
    if (!existsSync(spec.codePath) || !statSync(spec.codePath).isDirectory()) {
      throw new ConfigurationError(`the code folder '${spec.codePath}' does not exist`, {
        input: 'code',
        fix: 'Point code at the folder that holds the scoring script.',
      });
    }
    const script = path.join(spec.codePath, spec.scoringScript);
    if (!existsSync(script)) {
      throw new ConfigurationError(
        `the scoring script '${spec.scoringScript}' is not in '${spec.codePath}'`,
        {
          input: 'scoring-script',
          fix: 'Give the script path relative to the code folder, e.g. score.py.',
        },
      );
    }
    code = {
      prepared: await deps.codeAssets.prepare(spec.codePath, { input: 'code' }),
      scoringScript: spec.scoringScript,
    };
  } else if (model.modelType !== 'mlflow_model') {
    throw new ConfigurationError(
      `model ${model.name}:${model.version} is a ${model.modelType ?? 'custom_model'}, which needs scoring code`,
      {
        input: 'scoring-script',
        fix: 'Give code and scoring-script (only mlflow_model models deploy without code).',
      },
    );
  }
  if (!environment && code) {
    throw new ConfigurationError('scoring code needs an environment to run in', {
      input: 'environment',
      fix: 'Set environment: azureml:<name>:<version> (or @latest), or an inline environment in the deployment file.',
    });
  }
  return { model, environment, code };
}

async function resolveModel(text: string, deps: ResolveDeps): Promise<ResolvedModel> {
  const ref = parseAzureMlReference(text, { input: 'model', allowBare: true });
  const call = deps.abortSignal ? { abortSignal: deps.abortSignal } : {};
  if (ref.kind === 'registry-asset' && ref.assetType === 'models' && 'version' in ref) {
    const registry: RegistryRef = {
      subscriptionId: deps.workspace.subscriptionId,
      resourceGroup: deps.workspace.resourceGroup,
      registry: ref.registry,
    };
    const store = new ModelStore(deps.rest, { kind: 'registry', registry });
    const version = await store.get(ref.name, ref.version, call);
    if (!version) {
      throw new ConfigurationError(
        `model ${ref.name}:${ref.version} does not exist in registry '${ref.registry}'`,
        {
          input: 'model',
          fix: 'Promote it there first (register-model with promote-to-registry), or check the name and version.',
        },
      );
    }
    return {
      id: registryAssetArmId(registry, 'models', ref.name, ref.version),
      name: ref.name,
      version: ref.version,
      modelType: String(version.properties.modelType ?? 'custom_model'),
    };
  }
  let name: string;
  let version: string | undefined;
  if (ref.kind === 'asset-version') ({ name, version } = ref);
  else if (ref.kind === 'asset-label' && ref.label === 'latest') name = ref.name;
  else if (ref.kind === 'name') name = ref.name;
  else if (ref.kind === 'arm' && ref.id.kind === 'asset' && ref.id.assetType === 'models') {
    name = ref.id.name;
    version = ref.id.version;
  } else {
    throw new ConfigurationError(`'${text}' is not a model reference`, {
      input: 'model',
      fix: 'Write azureml:<name>:<version>, azureml:<name>@latest, or azureml://registries/<registry>/models/<name>/versions/<version>.',
    });
  }
  const found = await findModelVersion(
    deps.assets,
    deps.rest,
    deps.workspace,
    { name, ...(version ? { version } : {}) },
    { input: 'model', ...call },
  );
  if (!found) {
    throw new ConfigurationError(`model '${name}' is not registered`, {
      input: 'model',
      fix: await suggestModel(deps.assets, name, call),
    });
  }
  return {
    id: found.id,
    name: found.name,
    version: found.version,
    modelType: String(found.properties.modelType ?? 'custom_model'),
  };
}

async function resolveEnvironment(
  spec: DeploymentSpec,
  deps: ResolveDeps,
): Promise<CheckedDeployment['environment']> {
  const environment = spec.environment;
  if (environment === undefined) return undefined;
  if (typeof environment !== 'string') return { inline: environment };
  const ref = parseAzureMlReference(environment, { input: 'environment', allowBare: true });
  const call = deps.abortSignal ? { abortSignal: deps.abortSignal } : {};
  if (ref.kind === 'registry-asset' && ref.assetType === 'environments') {
    const registry = {
      subscriptionId: deps.workspace.subscriptionId,
      resourceGroup: deps.workspace.resourceGroup,
      registry: ref.registry,
    };
    return {
      id: registryAssetArmId(registry, 'environments', ref.name, 'version' in ref ? ref.version : ''),
    };
  }
  if (ref.kind === 'arm') return { id: environment.replace(/^azureml:/, '') };
  const name =
    ref.kind === 'asset-version' || ref.kind === 'asset-label' || ref.kind === 'name' ? ref.name : undefined;
  if (!name) {
    throw new ConfigurationError(`'${environment}' is not an environment reference`, {
      input: 'environment',
      fix: 'Write azureml:<name>:<version> or azureml:<name>@latest.',
    });
  }
  const found =
    ref.kind === 'asset-version'
      ? await deps.assets.get('environments', name, ref.version, call)
      : await deps.assets.latest('environments', name, call);
  if (!found) {
    const names = await deps.assets.containerNames('environments', call);
    throw new ConfigurationError(
      `environment '${environment.replace(/^azureml:/, '')}' does not exist in the workspace`,
      {
        input: 'environment',
        fix:
          names.length > 0
            ? `Registered environments: ${names.slice(0, 10).join(', ')}.`
            : 'Register the environment first (az ml environment create).',
      },
    );
  }
  return { id: found.id };
}

/** The writes: code uploaded (once per hash), an inline environment registered. */
export async function materializeDeployment(
  checked: CheckedDeployment,
  deps: ResolveDeps,
): Promise<{ environmentId?: string; codeId?: string; scoringScript?: string; uploadedBytes: number }> {
  const call = deps.abortSignal ? { abortSignal: deps.abortSignal } : {};
  let environmentId: string | undefined;
  if (checked.environment && 'id' in checked.environment) environmentId = checked.environment.id;
  else if (checked.environment) {
    const { image, condaFile } = checked.environment.inline;
    const conda = condaFile ? (await import('node:fs/promises')).readFile(condaFile, 'utf8') : undefined;
    const created = await deps.assets.anonymousEnvironmentVersion(
      { image, ...(conda ? { condaFile: await conda } : {}) },
      call,
    );
    environmentId = created.id;
  }
  if (!checked.code) return { ...(environmentId ? { environmentId } : {}), uploadedBytes: 0 };
  const upload = await deps.codeAssets.upload(checked.code.prepared, call);
  return {
    ...(environmentId ? { environmentId } : {}),
    codeId: upload.armId,
    scoringScript: checked.code.scoringScript,
    uploadedBytes: upload.uploadedBytes,
  };
}
