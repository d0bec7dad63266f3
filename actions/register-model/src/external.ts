// S3 and GCS model sources: the bucket store for a URL, built from the step's inputs and the
// cloud's usual environment (AWS keys or profile, Google application default credentials), and
// the two operations registration needs of it: list a prefix (or find one object), open an object.
import { ConfigurationError, type ExternalLister, type ExternalOpener } from '@aml-actions/core';
import { type ObjectStore, parseObjectUrl, type StoredObject } from '@aml-actions/core/object-stores';
import { GcsObjectStore } from '@aml-actions/core/object-stores/gcs';
import { S3ObjectStore } from '@aml-actions/core/object-stores/s3';
import type { ExternalStorageInputs } from './inputs';

type Env = Readonly<Record<string, string | undefined>>;

export function externalStorage(
  inputs: ExternalStorageInputs,
  env: Env,
  mask: (secret: string) => void,
): { list: ExternalLister; open: ExternalOpener } {
  // One client per bucket; the prefix is the URL's own.
  const stores = new Map<string, ObjectStore>();
  const storeFor = (url: string) => {
    const parsed = parseObjectUrl(url);
    const key = parsed.kind === 's3' || parsed.kind === 'gcs' ? `${parsed.kind}:${parsed.bucket}` : url;
    let store = stores.get(key);
    if (!store) {
      store = createStore(url, inputs, env, mask);
      stores.set(key, store);
    }
    return { store, prefix: 'prefix' in parsed ? parsed.prefix : '' };
  };

  const list: ExternalLister = async (url, abortSignal) => {
    const { store, prefix } = storeFor(url);
    const call = abortSignal ? { abortSignal } : {};
    const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const objects: { key: string; relativePath: string; size: number; checksum: string }[] = [];
    for await (const object of store.list(folder, call)) {
      if (object.key.endsWith('/')) continue;
      objects.push({
        key: object.key,
        relativePath: object.key.slice(folder.length),
        size: object.size,
        checksum: checksumOf(object),
      });
    }
    if (objects.length > 0 || folder === prefix) return { objects, singleObject: false };
    const single = await store.stat(prefix, call);
    if (!single) return { objects: [], singleObject: true };
    const name = prefix.slice(prefix.lastIndexOf('/') + 1);
    return {
      objects: [{ key: single.key, relativePath: name, size: single.size, checksum: checksumOf(single) }],
      singleObject: true,
    };
  };

  const open: ExternalOpener = async (url, key, abortSignal) => {
    const { store } = storeFor(url);
    return (await store.openRead(key, abortSignal ? { abortSignal } : {})) as import('node:stream').Readable;
  };
  return { list, open };
}

function checksumOf(object: StoredObject): string {
  if (object.md5) return `md5:${object.md5}`;
  if (object.crc32c) return `crc32c:${object.crc32c}`;
  return `etag:${object.etag ?? ''}`;
}

function createStore(
  url: string,
  inputs: ExternalStorageInputs,
  env: Env,
  mask: (secret: string) => void,
): ObjectStore {
  const parsed = parseObjectUrl(url);
  if (parsed.kind === 's3') {
    const region = inputs.awsRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) {
      throw new ConfigurationError(`no AWS region is known for ${url}`, {
        input: 'aws-region',
        fix: "Set aws-region (the bucket's region), or AWS_REGION in the job environment (aws-actions/configure-aws-credentials sets it).",
      });
    }
    return new S3ObjectStore({
      bucket: parsed.bucket,
      region,
      ...(inputs.s3Endpoint
        ? { endpoint: inputs.s3Endpoint, forcePathStyle: true, checksums: 'when-required' as const }
        : {}),
    });
  }
  if (parsed.kind === 'gcs') {
    let credentials: Record<string, unknown> | undefined;
    if (inputs.gcpCredentialsJson) {
      try {
        credentials = JSON.parse(inputs.gcpCredentialsJson) as Record<string, unknown>;
      } catch {
        throw new ConfigurationError('gcp-credentials-json is not valid JSON', {
          input: 'gcp-credentials-json',
          fix: 'Paste the whole service account key file (a JSON object), e.g. from a repository secret.',
        });
      }
      if (typeof credentials.private_key === 'string') mask(credentials.private_key);
    }
    const projectId =
      inputs.gcpProject ??
      env.GOOGLE_CLOUD_PROJECT ??
      env.GCLOUD_PROJECT ??
      (typeof credentials?.project_id === 'string' ? credentials.project_id : undefined);
    if (!projectId) {
      throw new ConfigurationError(`no Google Cloud project is known for ${url}`, {
        input: 'gcp-project',
        fix: 'Set gcp-project, or GOOGLE_CLOUD_PROJECT in the job environment (google-github-actions/auth sets it).',
      });
    }
    return new GcsObjectStore({
      bucket: parsed.bucket,
      projectId,
      ...(inputs.gcsEndpoint ? { apiEndpoint: inputs.gcsEndpoint } : {}),
      ...(credentials ? { credentials } : {}),
    });
  }
  throw new ConfigurationError(`'${url}' is not an S3 or GCS location`, {
    input: 'path',
    fix: 'Write s3://<bucket>/<prefix> or gs://<bucket>/<prefix>.',
  });
}
