// The registration: connect, build the stores (workspace, registries), register, then outputs
// and the job summary. The core's registerModel does the work; this file wires it to the step.
import {
  CodeAssets,
  ConfigurationError,
  connectDataPlane,
  connectWorkspace,
  DatastoreBlobs,
  type MlflowClient,
  ModelStore,
  parseArmId,
  type RegisterModelResult,
  type RegistryRef,
  registerModel,
  type WorkspaceRef,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import { externalStorage } from './external';
import type { RegisterInputs } from './inputs';
import { buildSummary } from './summary';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunDeps {
  logger: Logger;
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  connect?: (options: WorkspaceSessionOptions) => Promise<WorkspaceSession>;
  abortSignal?: AbortSignal;
}

export async function run(inputs: RegisterInputs, deps: RunDeps): Promise<RegisterModelResult> {
  if (inputs.external.gcpCredentialsJson) deps.mask(inputs.external.gcpCredentialsJson);
  const session = await (deps.connect ?? connectWorkspace)({
    inputs: inputs.connection,
    env: deps.env,
    cwd: deps.cwd,
    onSecret: deps.mask,
    ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
  });
  deps.logger.info(
    `Workspace ${session.workspace.workspace}, signed in with ${session.credential.description}.`,
  );
  const rest = session.clients.rest;
  const blobs = new DatastoreBlobs(session.datastores, { workspace: session.workspace });
  const workspaceModels = new ModelStore(rest, { kind: 'workspace', workspace: session.workspace });
  const registryStore = (text: string, input: string) =>
    new ModelStore(rest, {
      kind: 'registry',
      registry: registryRef(text, session.workspace, inputs.registryResourceGroup, input),
    });
  const target = inputs.registry ? registryStore(inputs.registry, 'registry') : workspaceModels;
  const promoteTo = inputs.promoteToRegistry
    ? registryStore(inputs.promoteToRegistry, 'promote-to-registry')
    : undefined;
  let mlflow: Promise<MlflowClient> | undefined;
  const external = externalStorage(inputs.external, deps.env, deps.mask);

  const result = await registerModel(
    {
      source: inputs.source,
      name: inputs.name,
      type: inputs.type,
      version: inputs.version,
      description: inputs.description,
      tags: inputs.tags,
      properties: inputs.properties,
      stage: inputs.stage,
      unsetStageOnPrevious: inputs.unsetStageOnPrevious,
      target,
      promoteTo,
      env: deps.env,
    },
    {
      jobs: session.jobs,
      blobs,
      codeAssets: new CodeAssets(rest, session.workspace, blobs),
      mlflow: () => {
        mlflow ??= connectDataPlane(session, deps.abortSignal).then((plane) => plane.mlflow);
        return mlflow;
      },
      workspaceModels,
      registryModels: (registry, source) =>
        new ModelStore(rest, {
          kind: 'registry',
          registry: {
            subscriptionId: source.subscriptionId ?? session.workspace.subscriptionId,
            resourceGroup:
              source.resourceGroup ?? inputs.registryResourceGroup ?? session.workspace.resourceGroup,
            registry,
          },
        }),
      listExternal: external.list,
      openExternal: external.open,
      cwd: deps.cwd,
      onSecret: deps.mask,
      logger: deps.logger,
      onProgress: progressLogger(deps.logger),
      abortSignal: deps.abortSignal,
    },
  );

  const { registration, promotion } = result;
  deps.setOutput('model-id', `azureml:${registration.name}:${registration.version}`);
  deps.setOutput('model-name', registration.name);
  deps.setOutput('model-version', registration.version);
  deps.setOutput('model-uri', registration.uri);
  deps.setOutput('model-arm-id', registration.armId);
  deps.setOutput('created', String(registration.created));
  deps.setOutput('lineage', JSON.stringify({ tags: registration.tags, properties: registration.properties }));
  if (promotion) {
    deps.setOutput('registry-model-uri', promotion.uri);
    deps.setOutput('registry-model-version', promotion.version);
    deps.setOutput('registry-created', String(promotion.created));
  }
  await deps.writeSummary(buildSummary(result));
  const verb = registration.created ? 'Registered' : 'Already registered:';
  deps.logger.info(`${verb} ${registration.uri} (${registration.scope}).`);
  if (promotion) {
    deps.logger.info(
      `${promotion.created ? 'Promoted to' : 'Already in'} ${promotion.uri} (${promotion.scope}).`,
    );
  }
  return result;
}

/** A registry name (in the workspace's, or registry-resource-group's, resource group) or a full ARM id. */
export function registryRef(
  text: string,
  workspace: WorkspaceRef,
  resourceGroup: string | undefined,
  input: string,
): RegistryRef {
  const value = text.trim();
  if (value.startsWith('/')) {
    const id = parseArmId(value, { input });
    if (id.kind !== 'registry') {
      throw new ConfigurationError(`'${value}' is not the ARM id of an Azure ML registry`, {
        input,
        fix: 'Give the registry name, or its id /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/registries/<name>.',
      });
    }
    return id.registry;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$/.test(value)) {
    throw new ConfigurationError(`'${value}' is not a registry name`, {
      input,
      fix: 'A registry name is 3–33 letters, digits, hyphens or underscores, starting with a letter or digit.',
    });
  }
  return {
    subscriptionId: workspace.subscriptionId,
    resourceGroup: resourceGroup ?? workspace.resourceGroup,
    registry: value,
  };
}

/** One progress line per ~10% of the bytes, so a large upload is visibly moving. */
function progressLogger(logger: Logger) {
  let lastShown = -1;
  return (progress: { files: number; bytes: number; totalFiles: number; totalBytes: number }) => {
    if (progress.totalFiles === 0) return;
    const share =
      progress.totalBytes > 0 ? progress.bytes / progress.totalBytes : progress.files / progress.totalFiles;
    const decile = Math.floor(share * 10);
    if (decile === lastShown && progress.files !== progress.totalFiles) return;
    lastShown = decile;
    logger.info(
      `  uploaded ${progress.files}/${progress.totalFiles} files, ${progress.bytes}/${progress.totalBytes} bytes`,
    );
  };
}
