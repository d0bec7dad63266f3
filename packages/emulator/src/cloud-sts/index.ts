// Stand-ins for the clouds' token services that GitHub OIDC federation talks to: AWS STS
// AssumeRoleWithWebIdentity, and Google STS with IAM Credentials (Workload Identity Federation).
export {
  AWS_STS_AUDIENCE,
  type AwsStsRole,
  type AwsStsSession,
  type AwsStsStandIn,
  type AwsStsStandInOptions,
  startAwsStsStandIn,
} from './aws-sts';
export {
  type GcpIssuedToken,
  type GcpServiceAccount,
  type GcpStsStandIn,
  type GcpStsStandInOptions,
  type GcpWorkloadIdentityProvider,
  startGcpStsStandIn,
} from './gcp-sts';
export type { TrustedIssuer } from './oidc-trust';
