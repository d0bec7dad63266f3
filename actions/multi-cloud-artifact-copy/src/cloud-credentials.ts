// Each cloud's sign-in for its side of the copy, only when that side needs it: AWS by GitHub OIDC
// role assumption, environment keys or the SDK's default chain; GCP by Workload Identity
// Federation, a key JSON or application default credentials. Errors name the side's inputs.
import { awsCredentials, type GcsObjectStoreOptions, gcpCredentials } from '@aml-actions/core/object-stores';
import type { S3Keys } from '@aml-actions/core/object-stores/s3';
import type { CopyInputs } from './inputs';

type Env = Readonly<Record<string, string | undefined>>;

interface Deps {
  env: Env;
  mask: (secret: string) => void;
  abortSignal: AbortSignal;
}

/**
 * What the S3 store signs with: role credentials as a provider that assumes the role again
 * before the session ends (a copy may outlast it), environment keys as they are; undefined for
 * the SDK's default chain. `scope` says who they are, for server-side copies between two sides.
 */
export async function awsCredentialsFor(
  inputs: CopyInputs,
  region: string,
  deps: Deps,
): Promise<{ credentials: S3Keys | (() => Promise<S3Keys>); scope: string } | undefined> {
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
  if (resolved.source === 'web-identity' && resolved.provider) {
    return {
      credentials: resolved.provider,
      scope: resolved.assumedRoleArn ?? inputs.aws.roleToAssume ?? '',
    };
  }
  return {
    credentials: {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
    },
    scope: keys.accessKeyId,
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
