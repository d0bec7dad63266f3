// Where to send requests and with which credential: the endpoint's scoring URI (through ARM) or
// the scoring URI given, one target per deployment named (pinned with azureml-model-deployment),
// and a key (given, or listKeys), an AML token or a Microsoft Entra token, masked at once.
import {
  ConfigurationError,
  connectCredential,
  connectWorkspace,
  type OnlineEndpoint,
  OnlineEndpoints,
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

const ENTRA_SCORING_SCOPE = 'https://ml.azure.com/.default';

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
          ? (({ Key: 'key', AMLToken: 'aml_token', AADToken: 'aad_token' } as const)[
              (endpoint.properties.authMode ?? 'Key') as 'Key' | 'AMLToken' | 'AADToken'
            ] ?? 'key')
          : 'auto';
  switch (mode) {
    case 'key': {
      if (inputs.key) {
        deps.mask(inputs.key);
        return { auth: 'key (given)', credential: inputs.key };
      }
      const keys = await (endpoints as OnlineEndpoints).listKeys(inputs.endpointName as string, {
        abortSignal: deps.abortSignal,
      });
      return { auth: 'endpoint key (listKeys)', credential: keys.primaryKey };
    }
    case 'aml_token': {
      const token = await (endpoints as OnlineEndpoints).token(inputs.endpointName as string, {
        abortSignal: deps.abortSignal,
      });
      return { auth: 'AML token', credential: token.accessToken };
    }
    case 'aad_token': {
      const credential =
        session?.credential.credential ??
        connectCredential({ inputs: inputs.connection, env: deps.env }).credential.credential;
      const token = await credential.getToken(ENTRA_SCORING_SCOPE, { abortSignal: deps.abortSignal });
      if (!token?.token) {
        throw new ConfigurationError('no Microsoft Entra token for the scoring endpoint could be obtained', {
          input: 'auth',
          fix: 'Check the sign-in inputs (client-id, tenant-id, OIDC permissions), or use auth: key.',
        });
      }
      deps.mask(token.token);
      return { auth: 'Microsoft Entra token', credential: token.token };
    }
    default:
      return { auth: 'none (no key or endpoint given)' };
  }
}
