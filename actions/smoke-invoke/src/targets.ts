// Where to send requests and with which credential: the endpoint's scoring URI (through ARM) or
// the scoring URI given, one target per deployment named (pinned with azureml-model-deployment),
// and a key (given, or listKeys), an AML token or a Microsoft Entra token, masked at once.
import {
  ConfigurationError,
  connectCredential,
  connectWorkspace,
  type OnlineEndpoint,
  OnlineEndpoints,
  scoringAuthOf,
  scoringCredential,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from '@aml-actions/core';
import type { AuthChoice, SmokeInputs } from './inputs';
import type { Target } from './load';

type Env = Readonly<Record<string, string | undefined>>;

export interface TargetDeps {
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  abortSignal: AbortSignal;
  connect?: (options: WorkspaceSessionOptions) => Promise<WorkspaceSession>;
}

export interface ResolvedTargets {
  targets: Target[];
  /** A target for a deployment a case pins itself to. */
  pinned: (deployment: string) => Target;
  auth: string;
  endpoint?: OnlineEndpoint | undefined;
  endpoints?: OnlineEndpoints | undefined;
  signedInAs?: string | undefined;
}

export async function resolveTargets(inputs: SmokeInputs, deps: TargetDeps): Promise<ResolvedTargets> {
  let endpoint: OnlineEndpoint | undefined;
  let endpoints: OnlineEndpoints | undefined;
  let session: WorkspaceSession | undefined;
  if (inputs.endpointName) {
    session = await (deps.connect ?? connectWorkspace)({
      inputs: inputs.connection,
      env: deps.env,
      cwd: deps.cwd,
      onSecret: deps.mask,
      abortSignal: deps.abortSignal,
      abortClients: false,
    });
    endpoints = new OnlineEndpoints(session.clients.rest, session.workspace, deps.mask);
    endpoint = await endpoints.get(inputs.endpointName, { abortSignal: deps.abortSignal });
    if (!endpoint) {
      throw new ConfigurationError(
        `online endpoint '${inputs.endpointName}' does not exist in workspace ${session.workspace.workspace}`,
        {
          input: 'endpoint',
          fix: 'Check the name (deploy-endpoint outputs it as endpoint-name) and the workspace inputs.',
        },
      );
    }
    const existing = (
      await endpoints.listDeployments(inputs.endpointName, { abortSignal: deps.abortSignal })
    ).map((d) => d.name);
    const wanted = [
      ...inputs.deployments,
      ...inputs.cases.flatMap((c) => (c.deployment ? [c.deployment] : [])),
    ];
    const unknown = wanted.filter((name) => !existing.includes(name));
    if (unknown.length > 0) {
      throw new ConfigurationError(
        `endpoint '${inputs.endpointName}' has no deployment ${unknown.join(', ')}`,
        {
          input: 'deployment',
          fix: `Its deployments: ${existing.join(', ') || 'none'}.`,
        },
      );
    }
  }
  const scoringUri = inputs.scoringUri ?? String(endpoint?.properties.scoringUri ?? '');
  if (!scoringUri) {
    throw new ConfigurationError(`endpoint '${inputs.endpointName}' has no scoring URI yet`, {
      input: 'endpoint',
      fix: 'Wait until the endpoint is provisioned, or pass scoring-uri.',
    });
  }
  const { auth, credential } = await credentialFor(inputs, endpoint, endpoints, session, deps);
  const ca = session?.caCertificates;
  const make = (deployment: string | undefined): Target => ({
    label: deployment ?? (inputs.endpointName ? `${inputs.endpointName} (by traffic)` : 'scoring URI'),
    invoke: {
      scoringUri,
      ...(credential ? { credential } : {}),
      ...(deployment ? { deployment } : {}),
      ...(ca ? { ca } : {}),
    },
  });
  const targets = inputs.deployments.length > 0 ? inputs.deployments.map(make) : [make(undefined)];
  return {
    targets,
    pinned: (deployment) => targets.find((t) => t.invoke.deployment === deployment) ?? make(deployment),
    auth,
    endpoint,
    endpoints,
    signedInAs: session?.credential.description,
  };
}

async function credentialFor(
  inputs: SmokeInputs,
  endpoint: OnlineEndpoint | undefined,
  endpoints: OnlineEndpoints | undefined,
  session: WorkspaceSession | undefined,
  deps: TargetDeps,
): Promise<{ auth: string; credential?: string | undefined }> {
  const mode: AuthChoice =
    inputs.auth !== 'auto'
      ? inputs.auth
      : inputs.key
        ? 'key'
        : endpoint
          ? scoringAuthOf(endpoint.properties.authMode)
          : 'auto';
  if (mode === 'auto') return { auth: 'none (no key or endpoint given)' };
  if (mode === 'key' && inputs.key) {
    deps.mask(inputs.key);
    return { auth: 'key (given)', credential: inputs.key };
  }
  const { credential, description } = await scoringCredential(mode, {
    endpoints,
    endpointName: inputs.endpointName,
    tokenCredential: () =>
      session?.credential.credential ??
      connectCredential({ inputs: inputs.connection, env: deps.env }).credential.credential,
    mask: deps.mask,
    abortSignal: deps.abortSignal,
    input: 'auth',
  });
  return { auth: description, credential };
}
