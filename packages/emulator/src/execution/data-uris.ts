// Where a job's data lives in blob storage: `azureml://datastores/...` (short and long form),
// `azureml://jobs/<job>/outputs/<o>`, data and model versions (ARM id or `azureml:name:version`),
// and plain blob URLs of the workspace's account.

import { DATASTORES_COLLECTION, type DatastoreRecord } from '../arm/datastores';
import { getJob } from '../arm/job-store';
import type { ArmContext } from '../arm-context';
import type { BlobLocation } from './blob-store';

export class DataUriError extends Error {
  override readonly name = 'DataUriError';
}

type Context = Pick<ArmContext, 'store' | 'storage'>;
type Json = Record<string, unknown>;

const DATASTORE_URI =
  /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)(?:\/(.*))?$/i;
const JOB_OUTPUT_URI = /^azureml:\/\/jobs\/([^/]+)\/outputs\/([^/]+)(?:\/paths\/(.*))?$/i;
const ASSET_ARM_ID = /\/(data|models)\/([^/]+)\/versions\/([^/]+)$/i;
const SHORT_ASSET = /^azureml:([^:/@]+):([^:/@]+)$/;

function datastoreLocation(ctx: Context, datastore: string, rest: string): BlobLocation {
  const record = ctx.store.get<DatastoreRecord>(DATASTORES_COLLECTION, datastore);
  const container = (record?.properties as Json | undefined)?.containerName;
  if (typeof container !== 'string') {
    throw new DataUriError(
      `Datastore '${datastore}' does not exist in the workspace or has no blob container.`,
    );
  }
  // `paths/` is how data URIs spell the path; the default output URI leaves it out.
  const blobPath = rest.replace(/^paths\//i, '');
  return { container, path: decodeURIComponent(blobPath) };
}

function joinPath(base: string, sub: string | undefined): string {
  if (!sub) return base;
  return `${base.replace(/\/+$/, '')}/${sub.replace(/^\/+/, '')}`;
}

function assetUri(ctx: Context, kind: string, name: string, version: string): string {
  const record = ctx.store.get<{ properties: Json }>(
    `arm.${kind.toLowerCase()}.versions`,
    `${name}/${version}`,
  );
  const uri = record?.properties[kind.toLowerCase() === 'models' ? 'modelUri' : 'dataUri'];
  if (typeof uri !== 'string') {
    throw new DataUriError(
      `${kind === 'models' ? 'Model' : 'Data'} version '${name}:${version}' does not exist in the workspace.`,
    );
  }
  return uri;
}

/** The blob location a job input or output URI names. Throws DataUriError when it names nothing. */
export function resolveDataUri(ctx: Context, uri: string, depth = 0): BlobLocation {
  if (depth > 5) throw new DataUriError(`'${uri}' refers to itself.`);
  const datastore = DATASTORE_URI.exec(uri);
  if (datastore) return datastoreLocation(ctx, datastore[1] as string, datastore[2] ?? '');
  const jobOutput = JOB_OUTPUT_URI.exec(uri);
  if (jobOutput) {
    const [, jobName = '', output = '', sub] = jobOutput;
    const job = getJob(ctx, jobName);
    if (!job) throw new DataUriError(`'${uri}' names job '${jobName}', which does not exist.`);
    const outputUri = ((job.properties.outputs as Json | undefined)?.[output] as Json | undefined)?.uri;
    if (typeof outputUri !== 'string') throw new DataUriError(`Job '${jobName}' has no output '${output}'.`);
    const location = resolveDataUri(ctx, outputUri, depth + 1);
    return { ...location, path: joinPath(location.path, sub) };
  }
  const asset = ASSET_ARM_ID.exec(uri);
  if (asset)
    return resolveDataUri(
      ctx,
      assetUri(ctx, asset[1] as string, asset[2] as string, asset[3] as string),
      depth + 1,
    );
  const short = SHORT_ASSET.exec(uri);
  if (short)
    return resolveDataUri(ctx, assetUri(ctx, 'data', short[1] as string, short[2] as string), depth + 1);
  if (/^https?:\/\//i.test(uri)) return blobUrlLocation(ctx, uri);
  throw new DataUriError(
    `'${uri}' is not a data location the emulator can read (azureml://datastores/<ds>/paths/<p>, azureml://jobs/<job>/outputs/<o>, a data or model version, or a blob URL).`,
  );
}

/** A blob URL of the workspace's account, path-style (Azurite) or host-style (`<account>.blob...`). */
export function blobUrlLocation(ctx: Pick<ArmContext, 'storage'>, url: string): BlobLocation {
  const parsed = new URL(url);
  const segments = parsed.pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map(decodeURIComponent);
  if (segments[0] === ctx.storage.accountName && !parsed.hostname.startsWith(`${ctx.storage.accountName}.`)) {
    segments.shift();
  }
  const [container, ...rest] = segments;
  if (!container) throw new DataUriError(`Blob URL '${url}' names no container.`);
  return { container, path: rest.join('/') + (parsed.pathname.endsWith('/') && rest.length > 0 ? '/' : '') };
}
