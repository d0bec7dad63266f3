// The inputs, read strictly before anything is listed or copied: both locations, the key filters,
// the mode, the engine's limits and each cloud's sign-in.
import type { ConnectionInputs } from '@aml-actions/core';
import { ConfigurationError } from '@aml-actions/core/errors';
import { CONNECTION_SECRET_INPUTS, type InputReader, readConnectionInputs } from '@aml-actions/core/github';
import type { ChecksumMode, CopyMode } from '@aml-actions/core/object-stores';

export type LocationKind = 'azureml' | 'azure-blob' | 's3' | 'gcs' | 'local';

export interface CopyInputs {
  source: string;
  destination: string;
  include: string[];
  exclude: string[];
  mode: CopyMode;
  deleteExtraneous: boolean;
  concurrency: number;
  partSizeInBytes: number;
  checksum: ChecksumMode;
  manifestKey?: string | undefined;
  retries: number;
  aws: { region?: string | undefined; roleToAssume?: string | undefined; endpoint?: string | undefined };
  gcp: {
    workloadIdentityProvider?: string | undefined;
    serviceAccount?: string | undefined;
    credentialsJson?: string | undefined;
    project?: string | undefined;
    endpoint?: string | undefined;
  };
  azure: { sas?: string | undefined; accountKey?: string | undefined };
  connection: ConnectionInputs;
}

export const SECRET_INPUTS: ReadonlySet<string> = new Set([
  ...CONNECTION_SECRET_INPUTS,
  'gcp-credentials-json',
  'azure-sas',
  'azure-account-key',
]);

const MIB = 1024 * 1024;

export function readCopyInputs(reader: InputReader): CopyInputs {
  const source = reader.required('source');
  const destination = reader.required('destination');
  if (destination.startsWith('azureml://jobs/') || /^azureml:[^/]/.test(destination)) {
    throw new ConfigurationError('a job output or a registered model cannot be a destination', {
      input: 'destination',
      fix: 'Copy into a datastore path (azureml://datastores/<ds>/paths/<p>), a blob URL, s3://, gs:// or a local folder; register the result with register-model.',
    });
  }
  const mode = reader.choice('mode', ['copy', 'sync'] as const, 'copy');
  const deleteExtraneous = reader.boolean('delete-extraneous', false);
  if (deleteExtraneous && mode !== 'sync') {
    throw new ConfigurationError('delete-extraneous only applies to mode: sync', {
      input: 'delete-extraneous',
      fix: 'Set mode: sync, or remove delete-extraneous.',
    });
  }
  const gcpProvider = reader.optional('gcp-workload-identity-provider');
  if (
    gcpProvider &&
    !/^projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/.test(gcpProvider)
  ) {
    throw new ConfigurationError(`'${gcpProvider}' is not a workload identity provider resource name`, {
      input: 'gcp-workload-identity-provider',
      fix: 'Write projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider> (gcloud iam workload-identity-pools providers describe … --format="value(name)").',
    });
  }
  const serviceAccount = reader.optional('gcp-service-account');
  if (serviceAccount && !gcpProvider) {
    throw new ConfigurationError('gcp-service-account is given without gcp-workload-identity-provider', {
      input: 'gcp-service-account',
      fix: 'Give the workload identity provider too, or remove gcp-service-account.',
    });
  }
  const role = reader.optional('aws-role-to-assume');
  if (role && !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role)) {
    throw new ConfigurationError(`'${role}' is not an IAM role ARN`, {
      input: 'aws-role-to-assume',
      fix: 'Write arn:aws:iam::<12-digit account>:role/<role name>.',
    });
  }
  const manifestKey = reader.optional('manifest');
  if (manifestKey && (manifestKey.startsWith('/') || manifestKey.split('/').includes('..'))) {
    throw new ConfigurationError(`the manifest key '${manifestKey}' would leave the destination prefix`, {
      input: 'manifest',
      fix: 'Give a key relative to the destination, e.g. manifest.json.',
    });
  }
  return {
    source,
    destination,
    include: reader.list('include'),
    exclude: reader.list('exclude'),
    mode,
    deleteExtraneous,
    concurrency: reader.integer('concurrency', { default: 8, min: 1, max: 256 }),
    partSizeInBytes: readSize(reader.optional('part-size') ?? '8MiB'),
    checksum: reader.choice('checksum', ['auto', 'md5', 'crc32c', 'sha256', 'none'] as const, 'auto'),
    manifestKey,
    retries: reader.integer('retries', { default: 5, min: 1, max: 20 }),
    aws: {
      region: reader.optional('aws-region'),
      roleToAssume: role,
      endpoint: reader.optional('s3-endpoint'),
    },
    gcp: {
      workloadIdentityProvider: gcpProvider,
      serviceAccount,
      credentialsJson: reader.optional('gcp-credentials-json'),
      project: reader.optional('gcp-project'),
      endpoint: reader.optional('gcs-endpoint'),
    },
    azure: { sas: reader.optional('azure-sas'), accountKey: reader.optional('azure-account-key') },
    connection: readConnectionInputs(reader),
  };
}

export function locationKind(text: string): LocationKind {
  const value = text.trim();
  if (value.startsWith('azureml:')) return 'azureml';
  if (value.startsWith('s3://')) return 's3';
  if (value.startsWith('gs://')) return 'gcs';
  if (/^https?:\/\//i.test(value)) return 'azure-blob';
  return 'local';
}

/** `8MiB`, `64 MiB`, `5MB` (taken as MiB), `1048576`: 5 MiB (S3's minimum part) to 4000 MiB (a block's maximum). */
export function readSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kib|kb|mib|mb|gib|gb)?\s*$/i.exec(text);
  const units: Record<string, number> = {
    b: 1,
    kib: 1024,
    kb: 1024,
    mib: MIB,
    mb: MIB,
    gib: 1024 * MIB,
    gb: 1024 * MIB,
  };
  const bytes = match
    ? Math.round(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1))
    : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 5 * MIB || bytes > 4000 * MIB) {
    throw new ConfigurationError(`'${text}' is not a part size from 5 MiB to 4000 MiB`, {
      input: 'part-size',
      fix: 'Write e.g. 8MiB (default) or 64MiB; S3 needs at least 5 MiB per part.',
    });
  }
  return bytes;
}
