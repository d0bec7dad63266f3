// AWS and GCP credentials from GitHub OIDC, end to end on loopback: the emulator's OIDC issuer
// signs the ID tokens, the AWS and Google STS stand-ins verify them against its published keys,
// and the object stores then reach s3rver and the GCS stand-in (which here requires a token the
// Google stand-in issued) with what came back.

import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../../../../test/support/emulator';
import { S3RVER_CREDENTIALS, type S3rverProcess, startS3rver } from '../../../../test/support/s3rver';
import {
  type AwsStsStandIn,
  type GcpStsStandIn,
  type GcsStandIn,
  startAwsStsStandIn,
  startGcpStsStandIn,
  startGcsStandIn,
} from '../../../emulator/src/index';
import { requestGitHubIdToken } from '../../src/auth/github-oidc';
import { ConfigurationError } from '../../src/errors';
import {
  type AwsCredentials,
  awsCredentials,
  type GcpCredentials,
  gcpCredentials,
} from '../../src/storage/object-stores/cloud-credentials';
import { GcsObjectStore } from '../../src/storage/object-stores/gcs-store';
import type { StoredObject } from '../../src/storage/object-stores/object-store';
import { S3ObjectStore } from '../../src/storage/object-stores/s3-store';

const BUCKET = 'artifacts';
const ROLE = 'arn:aws:iam::123456789012:role/github-artifact-copy';
const PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/octo-repo';
const SERVICE_ACCOUNT = 'artifact-copy@ml-project.iam.gserviceaccount.com';
const MAIN_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';

let emulator: EmulatorProcess;
let ca: string;
let issuer: string;
let s3rver: S3rverProcess;
let s3Dir: string;
let awsSts: AwsStsStandIn;
let gcpSts: GcpStsStandIn;
let gcs: GcsStandIn;
/** Added to the STS stand-ins' clocks. */
let clockOffsetInMs = 0;
/** Principals the GCS stand-in let in. */
let gcsPrincipals: string[] = [];
let secrets: string[] = [];

/** The job environment a runner gives a job with `permissions: id-token: write`. */
const oidcEnv = (subject?: string): Record<string, string> => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: `${emulator.info.oidc.requestUrl}${subject ? `&subject=${encodeURIComponent(subject)}` : ''}`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.info.oidc.requestToken,
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_RUN_ID: '4242',
});
const idToken = (audience: string) => requestGitHubIdToken(audience, { env: oidcEnv(), caCertificates: ca });
const onSecret = (secret: string) => secrets.push(secret);

async function collect(iterable: AsyncIterable<StoredObject>): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of iterable) keys.push(item.key);
  return keys.sort();
}

const s3Store = (credentials: AwsCredentials['credentials'] | AwsCredentials['provider']) =>
  new S3ObjectStore({
    bucket: BUCKET,
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${s3rver.port}`,
    forcePathStyle: true,
    checksums: 'when-required',
    maxAttempts: 1,
    ...(credentials && { credentials }),
  });

const gcsStore = (credentials: GcpCredentials['credentials']) =>
  new GcsObjectStore({
    bucket: BUCKET,
    projectId: 'ml-project',
    apiEndpoint: gcs.url,
    ...(credentials && { credentials, useAuthWithCustomEndpoint: true }),
  });

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  ca = readFileSync(emulator.info.caCertPath, 'utf8');
  issuer = emulator.info.oidc.requestUrl.replace(/\/token\?.*$/, '');
  s3Dir = mkdtempSync(path.join(os.tmpdir(), 'cloud-auth-s3-'));
  s3rver = await startS3rver(s3Dir, [BUCKET]);
  const now = () => new Date(Date.now() + clockOffsetInMs);
  awsSts = await startAwsStsStandIn({
    oidc: { issuer, ca },
    roles: [{ arn: ROLE, subject: 'repo:octo-org/octo-repo:*' }],
    credentials: S3RVER_CREDENTIALS,
    now,
  });
  gcpSts = await startGcpStsStandIn({
    oidc: { issuer, ca },
    providers: [{ name: PROVIDER, subject: 'repo:octo-org/*' }],
    serviceAccounts: [{ email: SERVICE_ACCOUNT, subject: 'repo:octo-org/octo-repo:*' }],
    now,
  });
  gcs = await startGcsStandIn({
    buckets: [BUCKET],
    authorize: (authorization) => {
      const issued = gcpSts.verifyAccessToken(authorization);
      if (issued) gcsPrincipals.push(issued.principal);
      return issued !== undefined;
    },
  });
  // The object the stores list: written with s3rver's own key.
  await s3Store(S3RVER_CREDENTIALS).write('model/weights.bin', Readable.from([Buffer.from('weights')]), {
    size: 7,
  });
});

afterAll(async () => {
  await Promise.allSettled([gcs?.stop(), gcpSts?.stop(), awsSts?.stop(), s3rver?.stop(), emulator?.stop()]);
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
});

beforeEach(() => {
  clockOffsetInMs = 0;
  gcsPrincipals = [];
  secrets = [];
});

async function configurationError(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('awsCredentials', () => {
  const base = () => ({
    roleToAssume: ROLE,
    region: 'us-east-1',
    env: oidcEnv(),
    caCertificates: ca,
    stsEndpoint: awsSts.url,
    onSecret,
  });

  it('assumes the role with the GitHub ID token, and S3ObjectStore lists the bucket with the session', async () => {
    const sessionsBefore = awsSts.sessions.length;
    const aws = await awsCredentials(base());

    expect(aws.source).toBe('web-identity');
    expect(awsSts.sessions).toHaveLength(sessionsBefore + 1);
    const session = awsSts.sessions.at(-1);
    expect(session).toMatchObject({ roleArn: ROLE, sessionName: 'aml-actions-4242', subject: MAIN_SUBJECT });
    expect(aws.credentials).toMatchObject({
      accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
      secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
      sessionToken: session?.sessionToken,
    });
    expect(aws.credentials?.expiration?.getTime()).toBe(session?.expiration.getTime());
    expect(aws.assumedRoleArn).toBe(
      'arn:aws:sts::123456789012:assumed-role/github-artifact-copy/aml-actions-4242',
    );
    // The ID token, the secret key and the session token were all handed out for masking.
    expect(secrets).toContain(S3RVER_CREDENTIALS.secretAccessKey);
    expect(secrets).toContain(session?.sessionToken);
    expect(secrets.some((secret) => secret.split('.').length === 3)).toBe(true);

    expect(await collect(s3Store(aws.credentials).list(''))).toEqual(['model/weights.bin']);
    // s3rver checks the signature: other keys do not list the bucket, so the listing above
    // depended on the keys STS handed out.
    await expect(
      collect(s3Store({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'other' }).list('')),
    ).rejects.toThrow();
  });

  it('renews the role session through the provider shortly before it expires', async () => {
    let nowMs = Date.now();
    const aws = await awsCredentials({ ...base(), durationInSeconds: 900, now: () => nowMs });
    const first = await aws.provider?.();
    expect(first).toBe(aws.credentials);
    expect(await aws.provider?.()).toBe(first);
    const sessionsBefore = awsSts.sessions.length;
    nowMs += 11 * 60_000;
    const renewed = await aws.provider?.();
    expect(awsSts.sessions).toHaveLength(sessionsBefore + 1);
    expect(renewed?.sessionToken).toBe(awsSts.sessions.at(-1)?.sessionToken);
    expect(renewed?.sessionToken).not.toBe(first?.sessionToken);
  });

  it('S3ObjectStore signs with the renewing provider itself, not a copy of its first keys', async () => {
    const aws = await awsCredentials(base());
    let asked = 0;
    const provider = async () => {
      asked++;
      return (await aws.provider?.()) as NonNullable<AwsCredentials['credentials']>;
    };
    expect(await collect(s3Store(provider).list(''))).toEqual(['model/weights.bin']);
    expect(asked).toBeGreaterThan(0);
  });

  it('names aws-role-to-assume when the ID token has the wrong audience', async () => {
    const error = await configurationError(
      awsCredentials({ ...base(), getIdToken: () => idToken('api://AzureADTokenExchange') }),
    );
    expect(error.input).toBe('aws-role-to-assume');
    expect(error.message).toMatch(/^input 'aws-role-to-assume': AWS: STS refused/);
    expect(error.message).toContain('InvalidIdentityToken');
    expect(error.fix).toContain('sts.amazonaws.com');
    expect(awsSts.requests.at(-1)?.outcome).toBe('InvalidIdentityToken');
  });

  it('names aws-role-to-assume when the ID token has expired', async () => {
    const error = await configurationError(
      awsCredentials({
        ...base(),
        getIdToken: async (audience) => {
          const token = await idToken(audience);
          clockOffsetInMs = 10 * 60_000; // STS sees it after its 5-minute life.
          return token;
        },
      }),
    );
    expect(error.input).toBe('aws-role-to-assume');
    expect(error.message).toContain('ExpiredTokenException');
  });

  it('refuses a token with the right claims that the issuer did not sign', async () => {
    const genuine = await idToken('sts.amazonaws.com');
    const [header, payload] = genuine.split('.') as [string, string];
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    const error = await configurationError(awsCredentials({ ...base(), getIdToken: async () => forged }));
    expect(error.input).toBe('aws-role-to-assume');
    expect(error.message).toContain('InvalidIdentityToken');
  });

  it("explains the trust policy when the job's subject is not allowed", async () => {
    const error = await configurationError(
      awsCredentials({ ...base(), env: oidcEnv('repo:someone/fork:pull_request') }),
    );
    expect(error.input).toBe('aws-role-to-assume');
    expect(error.message).toContain('AccessDenied');
    expect(error.fix).toContain("this job's subject 'repo:someone/fork:pull_request'");
    expect(error.fix).toContain('repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(error.fix).toContain('oidc-provider/');
  });

  it('says the job lacks id-token: write when the runner gave it no ID token', async () => {
    const requestsBefore = awsSts.requests.length;
    const error = await configurationError(
      awsCredentials({ ...base(), env: { GITHUB_REPOSITORY: 'octo-org/octo-repo' } }),
    );
    expect(error.input).toBe('aws-role-to-assume');
    expect(error.message).toMatch(/AWS: aws-role-to-assume needs the GitHub OIDC ID token/);
    expect(error.fix).toContain('id-token: write');
    expect(awsSts.requests).toHaveLength(requestsBefore);
  });

  it('uses static keys from the environment without a role, masking the secret parts', async () => {
    const aws = await awsCredentials({
      region: 'us-east-1',
      env: {
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: 'static-session',
      },
      onSecret,
    });
    expect(aws.source).toBe('environment');
    expect(secrets).toEqual([S3RVER_CREDENTIALS.secretAccessKey, 'static-session']);
    expect(await collect(s3Store(aws.credentials).list('model/'))).toEqual(['model/weights.bin']);
  });

  it('leaves a profile to the SDK default chain', async () => {
    const aws = await awsCredentials({ env: { AWS_PROFILE: 'ml', AWS_REGION: 'eu-west-1' } });
    expect(aws).toMatchObject({
      source: 'default-chain',
      region: 'eu-west-1',
      profile: 'ml',
      credentials: undefined,
    });
  });

  it.each([
    [{ env: {} }, 'aws-region', /no region/],
    [{ region: 'US East', env: {} }, 'aws-region', /not an AWS region/],
    [
      { region: 'us-east-1', env: { AWS_ACCESS_KEY_ID: 'AKIA' } },
      'aws-role-to-assume',
      /AWS_SECRET_ACCESS_KEY is not set/,
    ],
    [
      { region: 'us-east-1', roleToAssume: 'github-role', env: {} },
      'aws-role-to-assume',
      /not an IAM role ARN/,
    ],
  ])('rejects %j naming %s', async (options, input, message) => {
    const error = await configurationError(awsCredentials(options));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });
});

describe('gcpCredentials', () => {
  const base = () => ({
    workloadIdentityProvider: PROVIDER,
    serviceAccount: SERVICE_ACCOUNT,
    env: oidcEnv(),
    caCertificates: ca,
    stsEndpoint: gcpSts.url,
    iamEndpoint: gcpSts.url,
    onSecret,
  });

  it('federates the GitHub ID token, impersonates the service account, and GcsObjectStore uses it', async () => {
    const gcp = await gcpCredentials(base());
    expect(gcp.source).toBe('workload-identity-federation');
    expect(gcp.projectId).toBe('ml-project');
    const token = await gcp.getAccessToken?.();
    expect(gcpSts.verifyAccessToken(`Bearer ${token?.token}`)).toMatchObject({
      kind: 'service-account',
      principal: SERVICE_ACCOUNT,
    });
    // ID token, federated token and service account token, all for masking.
    expect(secrets).toHaveLength(3);
    expect(secrets).toContain(token?.token);

    const store = gcsStore(gcp.credentials);
    await store.write('model/weights.bin', Readable.from([Buffer.from('weights')]), { size: 7 });
    expect(await collect(store.list(''))).toEqual(['model/weights.bin']);
    // The client did the exchange itself (with a fresh ID token) and called as the service account.
    expect(gcsPrincipals.length).toBeGreaterThanOrEqual(2);
    expect(new Set(gcsPrincipals)).toEqual(new Set([SERVICE_ACCOUNT]));
    // Without a token the stand-in refuses, so the calls above depended on the exchange.
    await expect(collect(gcsStore(undefined).list(''))).rejects.toThrow(/Invalid Credentials|401/);
  });

  it('uses the federated token directly without a service account', async () => {
    const gcp = await gcpCredentials({ ...base(), serviceAccount: undefined });
    const token = await gcp.getAccessToken?.();
    expect(gcpSts.verifyAccessToken(`Bearer ${token?.token}`)).toMatchObject({
      kind: 'federated',
      principal: `principal://iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/subject/${MAIN_SUBJECT}`,
    });
    await collect(gcsStore(gcp.credentials).list(''));
    expect(gcsPrincipals[0]).toMatch(/^principal:\/\//);
  });

  it('names gcp-workload-identity-provider when the ID token has the wrong audience', async () => {
    const error = await configurationError(
      gcpCredentials({ ...base(), getIdToken: () => idToken('sts.amazonaws.com') }),
    );
    expect(error.input).toBe('gcp-workload-identity-provider');
    expect(error.message).toMatch(/GCP: the Security Token Service refused/);
    expect(error.message).toContain('invalid_grant');
  });

  it('names gcp-workload-identity-provider for a provider that does not exist', async () => {
    const error = await configurationError(
      gcpCredentials({
        ...base(),
        workloadIdentityProvider:
          'projects/123456789/locations/global/workloadIdentityPools/github/providers/other',
      }),
    );
    expect(error.input).toBe('gcp-workload-identity-provider');
    expect(error.message).toContain('invalid_target');
  });

  it('names gcp-service-account when the job may not impersonate it', async () => {
    const error = await configurationError(
      gcpCredentials({ ...base(), env: oidcEnv('repo:octo-org/other-repo:ref:refs/heads/main') }),
    );
    expect(error.input).toBe('gcp-service-account');
    expect(error.message).toContain('PERMISSION_DENIED');
    expect(error.fix).toContain('roles/iam.workloadIdentityUser');
    expect(error.fix).toContain('attribute.repository/octo-org/octo-repo');
  });

  it('says the job lacks id-token: write when the runner gave it no ID token', async () => {
    const requestsBefore = gcpSts.requests.length;
    const error = await configurationError(gcpCredentials({ ...base(), env: {} }));
    expect(error.input).toBe('gcp-workload-identity-provider');
    expect(error.message).toMatch(/GCP: gcp-workload-identity-provider needs the GitHub OIDC ID token/);
    expect(error.fix).toContain('id-token: write');
    expect(gcpSts.requests).toHaveLength(requestsBefore);
  });

  it('takes a service account key JSON, masking it and its private key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const json = JSON.stringify({
      type: 'service_account',
      project_id: 'key-project',
      client_email: 'key-sa@key-project.iam.gserviceaccount.com',
      private_key: pem,
    });
    const gcp = await gcpCredentials({ credentialsJson: json, env: {}, onSecret });
    expect(gcp).toMatchObject({
      source: 'service-account-key',
      projectId: 'key-project',
      serviceAccount: 'key-sa@key-project.iam.gserviceaccount.com',
      credentials: { private_key: pem },
    });
    expect(secrets).toEqual([json, pem]);
  });

  it('masks and rejects key JSON that does not parse, naming gcp-credentials-json', async () => {
    const error = await configurationError(
      gcpCredentials({ credentialsJson: '{"private_key": "abc', onSecret }),
    );
    expect(error.input).toBe('gcp-credentials-json');
    expect(error.message).toMatch(/GCP: gcp-credentials-json is not valid JSON/);
    expect(secrets).toEqual(['{"private_key": "abc']);
  });

  it('falls back to application default credentials with no inputs', async () => {
    const gcp = await gcpCredentials({ env: { GOOGLE_CLOUD_PROJECT: 'adc-project' } });
    expect(gcp).toMatchObject({
      source: 'application-default',
      credentials: undefined,
      projectId: 'adc-project',
    });
  });

  it.each([
    [
      { workloadIdentityProvider: 'github/octo-repo' },
      'gcp-workload-identity-provider',
      /not a workload identity provider/,
    ],
    [{ serviceAccount: SERVICE_ACCOUNT }, 'gcp-service-account', /without gcp-workload-identity-provider/],
    [{ workloadIdentityProvider: PROVIDER, credentialsJson: '{}' }, 'gcp-workload-identity-provider', /both/],
  ])('rejects %j naming %s', async (options, input, message) => {
    const error = await configurationError(gcpCredentials({ ...options, env: {} }));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });
});
