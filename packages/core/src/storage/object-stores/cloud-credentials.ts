// AWS and Google Cloud credentials for the S3 and GCS object stores, from what a workflow step
// has: the GitHub OIDC ID token (AWS STS AssumeRoleWithWebIdentity; Google Workload Identity
// Federation), static keys or a key file, or the cloud SDK's own default chain.
//
// Both token exchanges are plain HTTPS calls (no AWS STS client is installed, and Google's token
// exchange is two small REST calls), done up front so a wrong role, provider, audience or a
// missing `id-token: write` fails before any copy starts, with an error naming the cloud and the
// input. Secrets reach `onSecret` (for masking) as soon as they exist.

import type { Env } from '../../auth/connection';
import {
  createGitHubIdTokenRequester,
  isGitHubOidcAvailable,
  missingIdTokenPermissionError,
} from '../../auth/github-oidc';
import { ConfigurationError } from '../../errors';

/** `audience` → a GitHub OIDC ID token (JWT) with that audience. */
export type GetIdToken = (audience: string) => Promise<string>;

interface CommonOptions {
  /** Default: process.env. Read for ACTIONS_ID_TOKEN_REQUEST_*, AWS_* and GOOGLE_* variables. */
  env?: Env;
  /** Default: the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN in `env`). */
  getIdToken?: GetIdToken;
  /** Extra CA certificates (PEM) for the default ID token requester. */
  caCertificates?: string;
  /** Called with every secret (ID tokens, secret keys, session and access tokens, private keys). */
  onSecret?: (secret: string) => void;
  abortSignal?: AbortSignal;
  /** Clock for refresh decisions (ms since the epoch). */
  now?: () => number;
}

/** A token service call that failed for reasons the user cannot fix in the workflow (5xx, network). */
export class CloudAuthError extends Error {
  override readonly name = 'CloudAuthError';
  readonly cloud: 'aws' | 'gcp';
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly serviceMessage: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    message: string,
    details: {
      cloud: 'aws' | 'gcp';
      status?: number | undefined;
      code?: string | undefined;
      serviceMessage?: string | undefined;
      requestId?: string | undefined;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
    this.cloud = details.cloud;
    this.status = details.status;
    this.code = details.code;
    this.serviceMessage = details.serviceMessage;
    this.requestId = details.requestId;
  }

  get transient(): boolean {
    return this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

// ---------------------------------------------------------------------------------------------
// AWS

export const AWS_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface AwsCredentialsOptions extends CommonOptions {
  /** `aws-role-to-assume`: a role ARN; with it, GitHub OIDC through AssumeRoleWithWebIdentity. */
  roleToAssume?: string | undefined;
  /** `aws-region`; default AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string | undefined;
  /** Default `aml-actions-<GITHUB_RUN_ID>`. */
  sessionName?: string | undefined;
  /** Role session length, 900 to 43200; default 3600. */
  durationInSeconds?: number;
  /** Default `https://sts.<region>.amazonaws.com/`. */
  stsEndpoint?: string | undefined;
  /** Fetch new role credentials this long before they expire; default 5 minutes. */
  refreshBeforeExpiryInMs?: number;
}

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Role credentials only. */
  expiration?: Date;
}

export interface AwsCredentials {
  source: 'web-identity' | 'environment' | 'default-chain';
  region: string;
  /** For S3ObjectStore's `credentials`; undefined means the SDK's default chain (AWS_PROFILE, …). */
  credentials: AwsKeys | undefined;
  /**
   * The same credentials as an AWS SDK credential provider: role credentials are assumed anew
   * (with a fresh ID token) shortly before they expire. Undefined with the default chain.
   */
  provider: (() => Promise<AwsKeys>) | undefined;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` after a role assumption. */
  assumedRoleArn?: string;
  /** AWS_PROFILE, when the default chain will use a named profile. */
  profile?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_INPUT = 'aws-role-to-assume';
const REGION_INPUT = 'aws-region';

export async function awsCredentials(options: AwsCredentialsOptions): Promise<AwsCredentials> {
  const env = options.env ?? process.env;
  const region = resolveAwsRegion(options.region, env);
  const onSecret = options.onSecret ?? (() => {});
  const role = options.roleToAssume?.trim();

  if (!role) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
    if (accessKeyId || secretAccessKey) {
      if (!accessKeyId || !secretAccessKey) {
        throw new ConfigurationError(
          `AWS: ${accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not set, but ${accessKeyId ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is`,
          {
            input: ROLE_INPUT,
            fix: 'Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (from repository secrets), or neither and set aws-role-to-assume to use GitHub OIDC instead of long-lived keys.',
          },
        );
      }
      onSecret(secretAccessKey);
      const sessionToken = env.AWS_SESSION_TOKEN?.trim();
      if (sessionToken) onSecret(sessionToken);
      const keys: AwsKeys = { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
      return { source: 'environment', region, credentials: keys, provider: () => Promise.resolve(keys) };
    }
    const profile = env.AWS_PROFILE?.trim();
    return {
      source: 'default-chain',
      region,
      credentials: undefined,
      provider: undefined,
      ...(profile && { profile }),
    };
  }

  if (!ROLE_ARN.test(role)) {
    throw new ConfigurationError(`AWS: '${role}' is not an IAM role ARN`, {
      input: ROLE_INPUT,
      fix: 'Write the full role ARN, e.g. arn:aws:iam::123456789012:role/github-artifact-copy.',
    });
  }
  const durationInSeconds = options.durationInSeconds ?? 3600;
  if (!Number.isInteger(durationInSeconds) || durationInSeconds < 900 || durationInSeconds > 43_200) {
    throw new ConfigurationError(`AWS: a role session of ${durationInSeconds} s is not allowed`, {
      input: ROLE_INPUT,
      fix: 'Use a session duration between 900 and 43200 seconds (and within the role’s maximum).',
    });
  }
  const sessionName = sanitizeSessionName(
    options.sessionName ?? `aml-actions-${env.GITHUB_RUN_ID ?? Date.now()}`,
  );
  const stsEndpoint = options.stsEndpoint ?? defaultStsEndpoint(region);
  const getIdToken = idTokenGetter('AWS', ROLE_INPUT, options, env);

  const assume = () =>
    assumeRoleWithWebIdentity({
      role,
      sessionName,
      durationInSeconds,
      stsEndpoint,
      getIdToken,
      onSecret,
      abortSignal: options.abortSignal,
      repository: env.GITHUB_REPOSITORY,
    });
  const first = await assume();
  const now = options.now ?? Date.now;
  const refreshWindow = options.refreshBeforeExpiryInMs ?? 5 * 60_000;
  let current = first.keys;
  let inFlight: Promise<AwsKeys> | undefined;
  const provider = (): Promise<AwsKeys> => {
    const expiresAt = current.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    if (now() < expiresAt - refreshWindow) return Promise.resolve(current);
    inFlight ??= assume()
      .then((next) => {
        current = next.keys;
        return current;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  return {
    source: 'web-identity',
    region,
    credentials: first.keys,
    provider,
    ...(first.assumedRoleArn && { assumedRoleArn: first.assumedRoleArn }),
  };
}

function resolveAwsRegion(explicit: string | undefined, env: Env): string {
  const region = explicit?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new ConfigurationError('AWS: no region is known', {
      input: REGION_INPUT,
      fix: "Set aws-region to the bucket's region (e.g. us-east-1), or AWS_REGION in the job environment.",
    });
  }
  if (!AWS_REGION_PATTERN.test(region)) {
    throw new ConfigurationError(`AWS: '${region}' is not an AWS region name`, {
      input: REGION_INPUT,
      fix: 'Write a region code such as us-east-1 or eu-west-2.',
    });
  }
  return region;
}

function defaultStsEndpoint(region: string): string {
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;
}

function sanitizeSessionName(name: string): string {
  const cleaned = name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

interface AssumeRoleRequest {
  role: string;
  sessionName: string;
  durationInSeconds: number;
  stsEndpoint: string;
  getIdToken: () => Promise<string>;
  onSecret: (secret: string) => void;
  abortSignal: AbortSignal | undefined;
  repository: string | undefined;
}

async function assumeRoleWithWebIdentity(
  request: AssumeRoleRequest,
): Promise<{ keys: AwsKeys; assumedRoleArn: string | undefined }> {
  const idToken = await request.getIdToken();
  const body = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: request.role,
    RoleSessionName: request.sessionName,
    WebIdentityToken: idToken,
    DurationSeconds: String(request.durationInSeconds),
  });
  const response = await postWithRetry(
    'aws',
    `AWS STS at ${hostOf(request.stsEndpoint)}`,
    request.abortSignal,
    () =>
      fetch(request.stsEndpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'text/xml' },
        body,
        signal: request.abortSignal ?? null,
      }),
  );
  const text = response.text;
  if (response.status !== 200) {
    const code = xmlValue(text, 'Code');
    const message = xmlValue(text, 'Message') ?? text.slice(0, 300);
    const requestId = xmlValue(text, 'RequestId') ?? response.requestId;
    throw awsStsError(response.status, code, message, requestId, request, idToken);
  }
  const accessKeyId = xmlValue(text, 'AccessKeyId');
  const secretAccessKey = xmlValue(text, 'SecretAccessKey');
  const sessionToken = xmlValue(text, 'SessionToken');
  const expiration = xmlValue(text, 'Expiration');
  if (secretAccessKey) request.onSecret(secretAccessKey);
  if (sessionToken) request.onSecret(sessionToken);
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new CloudAuthError(`AWS: STS answered AssumeRoleWithWebIdentity without credentials`, {
      cloud: 'aws',
      status: response.status,
    });
  }
  return {
    keys: {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      ...(expiration && !Number.isNaN(Date.parse(expiration)) && { expiration: new Date(expiration) }),
    },
    assumedRoleArn: xmlValue(text, 'Arn'),
  };
}

function awsStsError(
  status: number,
  code: string | undefined,
  message: string,
  requestId: string | undefined,
  request: AssumeRoleRequest,
  idToken: string,
): Error {
  const claims = jwtClaims(idToken);
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  const issuerHost =
    typeof claims.iss === 'string' ? hostOf(claims.iss) : 'token.actions.githubusercontent.com';
  const account = /::(\d{12}):/.exec(request.role)?.[1] ?? '<account>';
  const exampleSubject = `repo:${request.repository ?? '<owner>/<repo>'}:ref:refs/heads/main`;
  const trustPolicy =
    `The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the federated principal ` +
    `arn:aws:iam::${account}:oidc-provider/${issuerHost}, with the conditions ` +
    `${issuerHost}:aud = ${AWS_OIDC_AUDIENCE} and ${issuerHost}:sub matching ` +
    `${subject ? `this job's subject '${subject}'` : `the job's subject`} (e.g. ${exampleSubject}, or repo:${request.repository ?? '<owner>/<repo>'}:* for any ref).`;
  const problem = `AWS: STS refused to let this job assume ${request.role} (${status} ${code ?? 'error'}: ${message})`;
  const configuration = (fix: string) =>
    new ConfigurationError(problem, {
      input: ROLE_INPUT,
      fix,
      cause: new CloudAuthError(message, { cloud: 'aws', status, code, serviceMessage: message, requestId }),
    });
  switch (code) {
    case 'AccessDenied':
      return configuration(`${trustPolicy} Check also that ${ROLE_INPUT} names the role you meant.`);
    case 'InvalidIdentityToken':
      if (/audience/i.test(message)) {
        return configuration(
          `Request the GitHub ID token with the audience ${AWS_OIDC_AUDIENCE} (the OIDC provider's client ID list in IAM must contain it). ${trustPolicy}`,
        );
      }
      if (/provider/i.test(message)) {
        return configuration(
          `Add the identity provider https://${issuerHost} (audience ${AWS_OIDC_AUDIENCE}) under IAM → Identity providers in account ${account}. ${trustPolicy}`,
        );
      }
      return configuration(
        `Check the IAM OIDC identity provider for ${issuerHost} and the role's trust policy. ${trustPolicy}`,
      );
    case 'ExpiredTokenException':
      return configuration(
        "The GitHub ID token had expired when STS checked it: check the runner's clock, and that the token is requested right before the role assumption (rerun the job).",
      );
    case 'IDPRejectedClaim':
      return configuration(trustPolicy);
    case 'ValidationError':
      return configuration(
        'Check the role ARN, the session name (2–64 characters of [\\w+=,.@-]) and the session duration (900–43200 s, within the role’s maximum).',
      );
    default:
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        return configuration(`Check ${ROLE_INPUT} and aws-region. ${trustPolicy}`);
      }
      return new CloudAuthError(problem, { cloud: 'aws', status, code, serviceMessage: message, requestId });
  }
}

// ---------------------------------------------------------------------------------------------
// Google Cloud

export interface GcpCredentialsOptions extends CommonOptions {
  /** `gcp-workload-identity-provider`: `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
  workloadIdentityProvider?: string | undefined;
  /** `gcp-service-account`: the email of the service account to impersonate (with WIF). */
  serviceAccount?: string | undefined;
  /** `gcp-credentials-json`: a service account key (or other credential configuration) as JSON. */
  credentialsJson?: string | undefined;
  /** Default `https://sts.googleapis.com`. */
  stsEndpoint?: string | undefined;
  /** Default `https://iamcredentials.googleapis.com`. */
  iamEndpoint?: string | undefined;
  /** Lifetime of impersonated access tokens; default 3600 s. */
  tokenLifetimeInSeconds?: number;
  /** Fetch a new access token this long before the current one expires; default 5 minutes. */
  refreshBeforeExpiryInMs?: number;
}

export interface GcpAccessToken {
  token: string;
  expiresAt: Date;
}

export interface GcpCredentials {
  source: 'workload-identity-federation' | 'service-account-key' | 'application-default';
  /**
   * For GcsObjectStore's `credentials` (google-auth-library's credential JSON); undefined means
   * application default credentials. With WIF, an `external_account` configuration whose
   * subject token supplier fetches a fresh GitHub ID token, so the client refreshes by itself.
   */
  credentials: Record<string, unknown> | undefined;
  /** From the key file, the service account's email, or GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT. */
  projectId: string | undefined;
  serviceAccount: string | undefined;
  /** WIF: an access token from the exchange (cached, renewed before it expires). */
  getAccessToken: (() => Promise<GcpAccessToken>) | undefined;
}

const PROVIDER_INPUT = 'gcp-workload-identity-provider';
const SERVICE_ACCOUNT_INPUT = 'gcp-service-account';
const CREDENTIALS_JSON_INPUT = 'gcp-credentials-json';
const PROVIDER_NAME =
  /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+\/providers\/[a-z0-9-]+$/;
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export async function gcpCredentials(options: GcpCredentialsOptions): Promise<GcpCredentials> {
  const env = options.env ?? process.env;
  const onSecret = options.onSecret ?? (() => {});
  const provider = options.workloadIdentityProvider?.trim();
  const serviceAccount = options.serviceAccount?.trim() || undefined;
  const json = options.credentialsJson?.trim();
  const envProject = env.GOOGLE_CLOUD_PROJECT?.trim() || env.GCLOUD_PROJECT?.trim() || undefined;

  if (provider && json) {
    throw new ConfigurationError(`GCP: both ${PROVIDER_INPUT} and ${CREDENTIALS_JSON_INPUT} are set`, {
      input: PROVIDER_INPUT,
      fix: `Use one: ${PROVIDER_INPUT} (GitHub OIDC, no long-lived key) or ${CREDENTIALS_JSON_INPUT}.`,
    });
  }
  if (json) return keyCredentials(json, onSecret, envProject);
  if (!provider) {
    if (serviceAccount) {
      throw new ConfigurationError(`GCP: ${SERVICE_ACCOUNT_INPUT} is set without ${PROVIDER_INPUT}`, {
        input: SERVICE_ACCOUNT_INPUT,
        fix: `Set ${PROVIDER_INPUT} too (the service account is impersonated through Workload Identity Federation), or remove ${SERVICE_ACCOUNT_INPUT}.`,
      });
    }
    return {
      source: 'application-default',
      credentials: undefined,
      projectId: envProject,
      serviceAccount: undefined,
      getAccessToken: undefined,
    };
  }

  if (!PROVIDER_NAME.test(provider)) {
    throw new ConfigurationError(`GCP: '${provider}' is not a workload identity provider resource name`, {
      input: PROVIDER_INPUT,
      fix: 'Write the full name: projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider> (gcloud iam workload-identity-pools providers describe … --format="value(name)").',
    });
  }
  if (serviceAccount !== undefined && !/^[^@\s]+@[^@\s]+$/.test(serviceAccount)) {
    throw new ConfigurationError(`GCP: '${serviceAccount}' is not a service account email`, {
      input: SERVICE_ACCOUNT_INPUT,
      fix: 'Write the email, e.g. artifact-copy@my-project.iam.gserviceaccount.com.',
    });
  }
  const lifetime = options.tokenLifetimeInSeconds ?? 3600;
  const stsEndpoint = (options.stsEndpoint ?? 'https://sts.googleapis.com').replace(/\/+$/, '');
  const iamEndpoint = (options.iamEndpoint ?? 'https://iamcredentials.googleapis.com').replace(/\/+$/, '');
  const tokenUrl = `${stsEndpoint}/v1/token`;
  const impersonationUrl = serviceAccount
    ? `${iamEndpoint}/v1/projects/-/serviceAccounts/${encodeURIComponent(serviceAccount).replace(/%40/g, '@')}:generateAccessToken`
    : undefined;
  const stsAudience = `//iam.googleapis.com/${provider}`;
  const idTokenAudience = `https://iam.googleapis.com/${provider}`;
  const getIdToken = idTokenGetter('GCP', PROVIDER_INPUT, options, env, idTokenAudience);

  const exchange = async (): Promise<GcpAccessToken> => {
    const subjectToken = await getIdToken();
    const federated = await stsExchange({
      tokenUrl,
      audience: stsAudience,
      subjectToken,
      provider,
      repository: env.GITHUB_REPOSITORY,
      abortSignal: options.abortSignal,
    });
    onSecret(federated.token);
    if (!impersonationUrl || !serviceAccount) return federated;
    const impersonated = await generateAccessToken({
      url: impersonationUrl,
      federatedToken: federated.token,
      serviceAccount,
      provider,
      lifetime,
      repository: env.GITHUB_REPOSITORY,
      abortSignal: options.abortSignal,
    });
    onSecret(impersonated.token);
    return impersonated;
  };

  let current = await exchange();
  const now = options.now ?? Date.now;
  const refreshWindow = options.refreshBeforeExpiryInMs ?? 5 * 60_000;
  let inFlight: Promise<GcpAccessToken> | undefined;
  const getAccessToken = (): Promise<GcpAccessToken> => {
    if (now() < current.expiresAt.getTime() - refreshWindow) return Promise.resolve(current);
    inFlight ??= exchange()
      .then((next) => {
        current = next;
        return next;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  // google-auth-library's own external account client, with the same endpoints, so the GCS client
  // refreshes its token by itself (each time with a fresh GitHub ID token).
  const credentials: Record<string, unknown> = {
    type: 'external_account',
    audience: stsAudience,
    subject_token_type: JWT_TOKEN_TYPE,
    token_url: tokenUrl,
    subject_token_supplier: { getSubjectToken: () => getIdToken() },
    ...(impersonationUrl && {
      service_account_impersonation_url: impersonationUrl,
      service_account_impersonation: { token_lifetime_seconds: lifetime },
    }),
  };
  return {
    source: 'workload-identity-federation',
    credentials,
    projectId: envProject ?? projectOfServiceAccount(serviceAccount),
    serviceAccount,
    getAccessToken,
  };
}

function keyCredentials(
  json: string,
  onSecret: (secret: string) => void,
  envProject: string | undefined,
): GcpCredentials {
  // The whole text first: a key that fails to parse must not reach a log unmasked either.
  onSecret(json);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigurationError(`GCP: ${CREDENTIALS_JSON_INPUT} is not valid JSON`, {
      input: CREDENTIALS_JSON_INPUT,
      fix: 'Paste the whole service account key file (a JSON object), e.g. from a repository secret, or use gcp-workload-identity-provider instead of a key.',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(`GCP: ${CREDENTIALS_JSON_INPUT} is not a JSON object`, {
      input: CREDENTIALS_JSON_INPUT,
      fix: 'Paste the whole service account key file (a JSON object with type, client_email and private_key).',
    });
  }
  const key = parsed as Record<string, unknown>;
  for (const field of ['private_key', 'client_secret', 'refresh_token']) {
    const value = key[field];
    if (typeof value === 'string' && value !== '') onSecret(value);
  }
  const type = key.type;
  if (
    type === 'service_account' &&
    (typeof key.client_email !== 'string' || typeof key.private_key !== 'string')
  ) {
    throw new ConfigurationError(
      `GCP: the service account key in ${CREDENTIALS_JSON_INPUT} lacks client_email or private_key`,
      {
        input: CREDENTIALS_JSON_INPUT,
        fix: 'Create a new key (IAM → Service accounts → Keys → Add key → JSON) and paste the whole file.',
      },
    );
  }
  if (type !== 'service_account' && type !== 'external_account' && type !== 'authorized_user') {
    throw new ConfigurationError(
      `GCP: ${CREDENTIALS_JSON_INPUT} has type '${String(type)}', not a credential google-auth-library can use`,
      {
        input: CREDENTIALS_JSON_INPUT,
        fix: 'Paste a service account key file ("type": "service_account").',
      },
    );
  }
  const email = typeof key.client_email === 'string' ? key.client_email : undefined;
  return {
    source: 'service-account-key',
    credentials: key,
    projectId: (typeof key.project_id === 'string' ? key.project_id : undefined) ?? envProject,
    serviceAccount: email,
    getAccessToken: undefined,
  };
}

function projectOfServiceAccount(email: string | undefined): string | undefined {
  return email?.match(/@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/)?.[1];
}

interface StsExchangeRequest {
  tokenUrl: string;
  audience: string;
  subjectToken: string;
  provider: string;
  repository: string | undefined;
  abortSignal: AbortSignal | undefined;
}

async function stsExchange(request: StsExchangeRequest): Promise<GcpAccessToken> {
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience: request.audience,
    scope: CLOUD_PLATFORM_SCOPE,
    requested_token_type: ACCESS_TOKEN_TYPE,
    subject_token: request.subjectToken,
    subject_token_type: JWT_TOKEN_TYPE,
  });
  const where = `Google STS at ${hostOf(request.tokenUrl)}`;
  const response = await postWithRetry('gcp', where, request.abortSignal, () =>
    fetch(request.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
      signal: request.abortSignal ?? null,
    }),
  );
  const answer = parseJsonObject(response.text);
  if (response.status !== 200) {
    const code = typeof answer.error === 'string' ? answer.error : undefined;
    const message =
      typeof answer.error_description === 'string' ? answer.error_description : response.text.slice(0, 300);
    const claims = jwtClaims(request.subjectToken);
    const subject = typeof claims.sub === 'string' ? claims.sub : '<the job subject>';
    const problem = `GCP: the Security Token Service refused the GitHub ID token for ${request.provider} (${response.status} ${code ?? 'error'}: ${message})`;
    const cause = new CloudAuthError(message, {
      cloud: 'gcp',
      status: response.status,
      code,
      serviceMessage: message,
    });
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 408 &&
      response.status !== 429
    ) {
      const fix =
        code === 'invalid_target'
          ? `Check ${PROVIDER_INPUT}: the pool and provider must exist and be enabled (gcloud iam workload-identity-pools providers describe).`
          : code === 'unauthorized_client'
            ? `The provider's attribute condition rejects this job (subject '${subject}'): allow it, e.g. assertion.repository == '${request.repository ?? '<owner>/<repo>'}'.`
            : `Check that the provider's issuer is https://token.actions.githubusercontent.com and its allowed audiences are empty (the default, https://iam.googleapis.com/${request.provider}) or contain that audience, and that the ID token is requested with it.`;
      throw new ConfigurationError(problem, { input: PROVIDER_INPUT, fix, cause });
    }
    throw new CloudAuthError(problem, {
      cloud: 'gcp',
      status: response.status,
      code,
      serviceMessage: message,
    });
  }
  const token = answer.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new CloudAuthError(`GCP: the ${where} answered without an access token`, {
      cloud: 'gcp',
      status: 200,
    });
  }
  const expiresIn = typeof answer.expires_in === 'number' ? answer.expires_in : 3600;
  return { token, expiresAt: new Date(Date.now() + expiresIn * 1000) };
}

interface GenerateAccessTokenRequest {
  url: string;
  federatedToken: string;
  serviceAccount: string;
  provider: string;
  lifetime: number;
  repository: string | undefined;
  abortSignal: AbortSignal | undefined;
}

async function generateAccessToken(request: GenerateAccessTokenRequest): Promise<GcpAccessToken> {
  const where = `Google IAM Credentials at ${hostOf(request.url)}`;
  const response = await postWithRetry('gcp', where, request.abortSignal, () =>
    fetch(request.url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${request.federatedToken}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: `${request.lifetime}s` }),
      signal: request.abortSignal ?? null,
    }),
  );
  const answer = parseJsonObject(response.text);
  if (response.status !== 200) {
    const error = (answer.error ?? {}) as { message?: unknown; status?: unknown };
    const message = typeof error.message === 'string' ? error.message : response.text.slice(0, 300);
    const code = typeof error.status === 'string' ? error.status : undefined;
    const problem = `GCP: this job may not impersonate ${request.serviceAccount} (${response.status} ${code ?? 'error'}: ${message})`;
    const cause = new CloudAuthError(message, {
      cloud: 'gcp',
      status: response.status,
      code,
      serviceMessage: message,
    });
    if (
      response.status === 401 ||
      response.status === 403 ||
      response.status === 404 ||
      response.status === 400
    ) {
      const pool = request.provider.replace(/\/providers\/[^/]+$/, '');
      throw new ConfigurationError(problem, {
        input: SERVICE_ACCOUNT_INPUT,
        fix:
          `Check that ${SERVICE_ACCOUNT_INPUT} exists, and grant the workflow's identity roles/iam.workloadIdentityUser on it: ` +
          `gcloud iam service-accounts add-iam-policy-binding ${request.serviceAccount} --role=roles/iam.workloadIdentityUser ` +
          `--member="principalSet://iam.googleapis.com/${pool}/attribute.repository/${request.repository ?? '<owner>/<repo>'}". ` +
          'Enable the IAM Service Account Credentials API in its project too.',
        cause,
      });
    }
    throw new CloudAuthError(problem, {
      cloud: 'gcp',
      status: response.status,
      code,
      serviceMessage: message,
    });
  }
  const token = answer.accessToken;
  const expireTime = typeof answer.expireTime === 'string' ? Date.parse(answer.expireTime) : Number.NaN;
  if (typeof token !== 'string' || token === '') {
    throw new CloudAuthError(`GCP: the ${where} answered without an access token`, {
      cloud: 'gcp',
      status: 200,
    });
  }
  return {
    token,
    expiresAt: new Date(Number.isNaN(expireTime) ? Date.now() + request.lifetime * 1000 : expireTime),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared

/** The ID token for one side, with the missing-permission error naming that side and its input. */
function idTokenGetter(
  side: 'AWS' | 'GCP',
  input: string,
  options: CommonOptions,
  env: Env,
  audience = AWS_OIDC_AUDIENCE,
): () => Promise<string> {
  const onSecret = options.onSecret ?? (() => {});
  const request =
    options.getIdToken ??
    createGitHubIdTokenRequester({
      env,
      ...(options.caCertificates !== undefined && { caCertificates: options.caCertificates }),
      ...(options.abortSignal && { abortSignal: options.abortSignal }),
    });
  return async () => {
    if (!options.getIdToken && !isGitHubOidcAvailable(env)) throw missingPermission(side, input);
    let token: string;
    try {
      token = await request(audience);
    } catch (error) {
      if (error instanceof ConfigurationError && !error.input) throw missingPermission(side, input, error);
      throw error;
    }
    onSecret(token);
    return token;
  };
}

function missingPermission(side: 'AWS' | 'GCP', input: string, cause?: unknown): ConfigurationError {
  const base = missingIdTokenPermissionError();
  return new ConfigurationError(`${side}: ${input} needs the GitHub OIDC ID token, but ${base.problem}`, {
    input,
    fix: `${base.fix} Or leave ${input} empty and give ${side === 'AWS' ? 'AWS keys in the environment' : 'gcp-credentials-json'} instead.`,
    cause: cause ?? base,
  });
}

interface TextResponse {
  status: number;
  text: string;
  requestId: string | undefined;
}

/** POSTs, retrying network errors, 429 and 5xx (three attempts, 0.5 s then 1 s apart). */
async function postWithRetry(
  cloud: 'aws' | 'gcp',
  where: string,
  abortSignal: AbortSignal | undefined,
  send: () => Promise<Response>,
): Promise<TextResponse> {
  const side = cloud === 'aws' ? 'AWS' : 'GCP';
  let delayInMs = 500;
  for (let attempt = 1; ; attempt++) {
    let result: TextResponse | undefined;
    let failure: unknown;
    try {
      const response = await send();
      result = {
        status: response.status,
        text: await response.text(),
        requestId:
          response.headers.get('x-amzn-requestid') ??
          response.headers.get('x-guploader-uploadid') ??
          undefined,
      };
    } catch (error) {
      if (abortSignal?.aborted) throw abortSignal.reason;
      failure = error;
    }
    const retriable = result === undefined || result.status === 429 || result.status >= 500;
    if (!retriable || attempt >= 3) {
      if (result) return result;
      const reason =
        failure instanceof Error
          ? failure.cause instanceof Error
            ? failure.cause.message
            : failure.message
          : String(failure);
      throw new CloudAuthError(`${side}: requesting credentials from the ${where} failed: ${reason}`, {
        cloud,
        cause: failure,
      });
    }
    await new Promise<void>((resolve) => setTimeout(resolve, delayInMs));
    abortSignal?.throwIfAborted();
    delayInMs *= 2;
  }
}

function xmlValue(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!match) return undefined;
  return (match[1] as string)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The claims of a JWT, unverified: only to explain an error (which subject was presented). */
function jwtClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1];
    return payload ? parseJsonObject(Buffer.from(payload, 'base64url').toString('utf8')) : {};
  } catch {
    return {};
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
