// Each side as an object store rooted at its prefix: Azure ML locations through the workspace
// (datastores, job outputs, a model version's files), blob URLs with a SAS, an account key or the
// signed-in identity, S3 and GCS with their clouds' credentials, local folders. A location that
// names one object is opened at its parent, with that object as the only key.
import path from 'node:path';
// The workspace side of core (ARM clients, identity) is imported when a location needs it: a
// copy between buckets and blob URLs does not load it (~23 MB of memory).
import type { ConnectionInputs, MlflowClient, WorkspaceSession } from '@aml-actions/core';
import { ConfigurationError } from '@aml-actions/core/errors';
import {
  AzureBlobObjectStore,
  LocalObjectStore,
  type ObjectStore,
  parseObjectUrl,
} from '@aml-actions/core/object-stores';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { awsCredentialsFor, gcpCredentialsFor } from './cloud-credentials';
import type { CopyInputs } from './inputs';

type Env = Readonly<Record<string, string | undefined>>;
export type Side = 'source' | 'destination';

export interface OpenedLocation {
  store: ObjectStore;
  /** Set when the location names one object: its key in `store`. */
  singleKey?: string | undefined;
  /** For messages: where it is, without credentials. */
  description: string;
}

export interface LocationDeps {
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  abortSignal: AbortSignal;
  /** The workspace session, connected on first use (only Azure ML locations need one). */
  session: () => Promise<WorkspaceSession>;
}

export function lazySession(
  connection: ConnectionInputs,
  env: Env,
  cwd: string,
  mask: (secret: string) => void,
  abortSignal: AbortSignal,
): () => Promise<WorkspaceSession> {
  let session: Promise<WorkspaceSession> | undefined;
  return () => {
    session ??= import('@aml-actions/core').then(({ connectWorkspace }) =>
      connectWorkspace({
        inputs: connection,
        env,
        cwd,
        onSecret: mask,
        abortSignal,
        abortClients: false,
      }),
    );
    return session;
  };
}

export async function openLocation(
  text: string,
  side: Side,
  inputs: CopyInputs,
  deps: LocationDeps,
): Promise<OpenedLocation> {
  const value = text.trim();
  if (value.startsWith('azureml:')) return openAzureMl(value, side, deps);
  const parsed = parseObjectUrl(value);
  switch (parsed.kind) {
    case 'local':
      return openLocal(path.resolve(deps.cwd, parsed.path), side);
    case 'azure-blob': {
      const container = await blobContainer(parsed, inputs, deps, side);
      const make = (prefix: string) => new AzureBlobObjectStore({ container, prefix });
      return openPrefix(make, parsed.prefix, `${parsed.serviceUrl}/${parsed.container}`, side, deps);
    }
    case 's3': {
      const region = inputs.aws.region ?? deps.env.AWS_REGION ?? deps.env.AWS_DEFAULT_REGION;
      if (!region) {
        throw new ConfigurationError(`the S3 ${side} needs a region`, {
          input: 'aws-region',
          fix: 'Set aws-region (e.g. eu-west-1), or AWS_REGION in the environment.',
        });
      }
      const signIn = await awsCredentialsFor(inputs, region, deps);
      // Loaded only when a side is in S3 (likewise GCS): each SDK costs ~16 MB of memory.
      const { S3ObjectStore } = await import('@aml-actions/core/object-stores/s3');
      const make = (prefix: string) =>
        new S3ObjectStore({
          bucket: parsed.bucket,
          region,
          prefix,
          ...(inputs.aws.endpoint
            ? { endpoint: inputs.aws.endpoint, forcePathStyle: true, checksums: 'when-required' as const }
            : {}),
          ...(signIn ? { credentials: signIn.credentials, credentialsScope: signIn.scope } : {}),
        });
      return openPrefix(make, parsed.prefix, `s3://${parsed.bucket}`, side, deps);
    }
    case 'gcs': {
      const auth = await gcpCredentialsFor(inputs, deps);
      const { GcsObjectStore } = await import('@aml-actions/core/object-stores/gcs');
      const make = (prefix: string) =>
        new GcsObjectStore({
          bucket: parsed.bucket,
          projectId: inputs.gcp.project ?? auth.projectId ?? deps.env.GOOGLE_CLOUD_PROJECT ?? 'default',
          prefix,
          ...(inputs.gcp.endpoint ? { apiEndpoint: inputs.gcp.endpoint } : {}),
          ...auth.storeOptions,
        });
      return openPrefix(make, parsed.prefix, `gs://${parsed.bucket}`, side, deps);
    }
  }
}

async function openLocal(full: string, side: Side): Promise<OpenedLocation> {
  const { statSync } = await import('node:fs');
  let isFile = false;
  try {
    isFile = statSync(full).isFile();
  } catch {
    if (side === 'source') {
      throw new ConfigurationError(`the local source '${full}' does not exist`, {
        input: 'source',
        fix: 'Check the path (relative to the working directory).',
      });
    }
  }
  if (isFile && side === 'source')
    return {
      store: new LocalObjectStore({ directory: path.dirname(full) }),
      singleKey: path.basename(full),
      description: full,
    };
  if (isFile) {
    throw new ConfigurationError(`the local destination '${full}' is a file, not a folder`, {
      input: 'destination',
      fix: 'Give a folder to copy into (it is created if missing).',
    });
  }
  return { store: new LocalObjectStore({ directory: full }), description: full };
}

/** A bucket/container store rooted at `prefix`, or at its parent when `prefix` is one object. */
async function openPrefix(
  make: (prefix: string) => ObjectStore,
  prefix: string,
  base: string,
  side: Side,
  deps: LocationDeps,
): Promise<OpenedLocation> {
  const store = make(prefix);
  const description = `${base}/${prefix}`;
  if (side !== 'source' || prefix === '' || prefix.endsWith('/')) return { store, description };
  // A prefix with objects under it is a folder; else it may name one object.
  const call = { abortSignal: deps.abortSignal };
  for await (const _ of store.list('', call)) return { store, description };
  const parent = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  const name = prefix.slice(prefix.lastIndexOf('/') + 1);
  const parentStore = make(parent);
  if (await parentStore.stat(name, call)) return { store: parentStore, singleKey: name, description };
  return { store, description };
}

async function blobContainer(
  parsed: Extract<ReturnType<typeof parseObjectUrl>, { kind: 'azure-blob' }>,
  inputs: CopyInputs,
  deps: LocationDeps,
  side: Side,
): Promise<ContainerClient> {
  const containerUrl = `${parsed.serviceUrl}/${encodeURIComponent(parsed.container)}`;
  const sas = parsed.sasToken ?? inputs.azure.sas?.replace(/^\?/, '');
  if (sas) {
    deps.mask(sas);
    return new ContainerClient(`${containerUrl}?${sas}`);
  }
  if (inputs.azure.accountKey) {
    deps.mask(inputs.azure.accountKey);
    return new ContainerClient(
      containerUrl,
      new StorageSharedKeyCredential(parsed.account, inputs.azure.accountKey),
    );
  }
  const { connectCredential } = await import('@aml-actions/core');
  try {
    const { credential } = connectCredential({ inputs: inputs.connection, env: deps.env });
    return new ContainerClient(containerUrl, credential.credential);
  } catch (error) {
    throw new ConfigurationError(
      `no credential for the blob ${side} ${containerUrl}: ${(error as Error).message}`,
      {
        input: 'azure-sas',
        fix: 'Sign in to Azure (client-id and tenant-id with OIDC, and a Storage Blob Data role on the account), or pass azure-sas.',
      },
    );
  }
}

async function openAzureMl(value: string, side: Side, deps: LocationDeps): Promise<OpenedLocation> {
  const session = await deps.session();
  const { CodeAssets, connectDataPlane, DatastoreBlobs, ModelStore, parseModelSource, resolveModelContent } =
    await import('@aml-actions/core');
  const blobs = new DatastoreBlobs(session.datastores, { workspace: session.workspace });
  let uri = value;
  if (!value.startsWith('azureml://datastores/')) {
    // A job output or a model version: where its files are, as the workspace records it.
    let mlflow: Promise<MlflowClient> | undefined;
    const content = await resolveModelContent(parseModelSource({ path: value }), {
      jobs: session.jobs,
      blobs,
      codeAssets: new CodeAssets(session.clients.rest, session.workspace, blobs),
      mlflow: () => {
        mlflow ??= connectDataPlane(session, deps.abortSignal).then((plane) => plane.mlflow);
        return mlflow;
      },
      workspaceModels: new ModelStore(session.clients.rest, {
        kind: 'workspace',
        workspace: session.workspace,
      }),
      registryModels: () => {
        throw new ConfigurationError('registry models are not copied by this action', {
          input: side,
          fix: 'Copy from the registry model’s storage, or pull it into the workspace with register-model first.',
        });
      },
      listExternal: async () => ({ objects: [], singleObject: false }),
      cwd: deps.cwd,
      abortSignal: deps.abortSignal,
    });
    if (content.location.kind !== 'datastore') {
      throw new ConfigurationError(`'${value}' is not stored in a datastore of the workspace`, {
        input: side,
        fix: 'Copy from the location the model refers to directly.',
      });
    }
    uri = content.location.uri;
  }
  const { datastore, blobPath } = blobs.parseUri(uri);
  const container = await blobs.containerClient(datastore);
  const make = (prefix: string) => new AzureBlobObjectStore({ container, prefix });
  return openPrefix(
    make,
    blobPath.replace(/^\/+/, ''),
    `azureml://datastores/${datastore}/paths`,
    side,
    deps,
  );
}
