// Each cloud's sign-in for its side of the copy, only when that side needs it: AWS by GitHub OIDC
// role assumption, environment keys or the SDK's default chain; GCP by Workload Identity
// Federation, a key JSON or application default credentials. Errors name the side's inputs.
import { awsCredentials, type GcsObjectStoreOptions, gcpCredentials } from '@aml-actions/core/object-stores';
import type { CopyInputs } from './inputs';

type Env = Readonly<Record<string, string | undefined>>;

interface Deps {
  env: Env;
  mask: (secret: string) => void;
  abortSignal: AbortSignal;
}

export async function awsCredentialsFor(
  inputs: CopyInputs,
  region: string,
  deps: Deps,
): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined> {
  const resolved = await awsCredentials({
    roleToAssume: inputs.aws.roleToAssume,
    region,
    env: deps.env,
    // The SDK's own variable for a service endpoint (private endpoints, local stand-ins).
    stsEndpoint: deps.env.AWS_ENDPOINT_URL_STS,
    onSecret: deps.mask,
    abortSignal: deps.abortSignal,
  });
  const keys = resolved.credentials;
  if (!keys) return undefined;
  return {
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
  };
}

export async function gcpCredentialsFor(
  inputs: CopyInputs,
  deps: Deps,
): Promise<{ projectId?: string | undefined; storeOptions: Partial<GcsObjectStoreOptions> }> {
  const resolved = await gcpCredentials({
    workloadIdentityProvider: inputs.gcp.workloadIdentityProvider,
    serviceAccount: inputs.gcp.serviceAccount,
    credentialsJson: inputs.gcp.credentialsJson,
    env: deps.env,
    stsEndpoint: deps.env.AML_ACTIONS_GCP_STS_ENDPOINT,
    iamEndpoint: deps.env.AML_ACTIONS_GCP_IAM_ENDPOINT,
    onSecret: deps.mask,
    abortSignal: deps.abortSignal,
  });
  return {
    projectId: resolved.projectId,
    storeOptions: {
      ...(resolved.credentials ? { credentials: resolved.credentials } : {}),
      ...(resolved.credentials && inputs.gcp.endpoint ? { useAuthWithCustomEndpoint: true } : {}),
    },
  };
}
