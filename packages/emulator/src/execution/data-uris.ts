// Where a job's data lives in blob storage: `azureml://datastores/...` (short and long form),
// `azureml://jobs/<job>/outputs/<o>` (and `.../outputs/artifacts/...`, the run's artifact folder),
// data and model versions (ARM id or `azureml:name:version`), registry model versions
// (`azureml://registries/<r>/models/<n>/versions/<v>` or ARM id), and plain blob URLs of the
// workspace's or the registry's account.

import { DATASTORES_COLLECTION, type DatastoreRecord } from '../arm/datastores';
import { getJob } from '../arm/job-store';
import { registryCollectionPrefix } from '../arm/registry-identity';
import type { ArmContext } from '../arm-context';
import { artifactContainer, runArtifactPrefix } from './artifact-store';
import type { BlobLocation } from './blob-store';

export class DataUriError extends Error {
  override readonly name = 'DataUriError';
}

type Context = Pick<
  ArmContext,
  'store' | 'storage' | 'registry' | 'subscriptionId' | 'resourceGroup' | 'workspace'
>;
type Json = Record<string, unknown>;

const DATASTORE_URI =
  /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)(?:\/(.*))?$/i;
const JOB_OUTPUT_URI = /^azureml:\/\/jobs\/([^/]+)\/outputs\/([^/]+)(?:\/paths\/(.*))?$/i;
const REGISTRY_MODEL = /\/registries\/([^/]+)\/models\/([^/]+)\/versions\/([^/]+)$/i;
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

function registryModelUri(ctx: Context, registry: string, name: string, version: string): string {
  if (registry.toLowerCase() !== ctx.registry.name.toLowerCase()) {
    throw new DataUriError(
      `Registry '${registry}' does not exist (the emulator has '${ctx.registry.name}').`,
    );
  }
  const record = ctx.store.get<{ properties: Json }>(
    `${registryCollectionPrefix(registry)}.models.versions`,
    `${name}/${version}`,
  );
  const uri = record?.properties.modelUri;
  if (typeof uri !== 'string') {
    throw new DataUriError(`Model version '${name}:${version}' does not exist in registry '${registry}'.`);
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
    const outputs = (job.properties.outputs as Json | undefined) ?? {};
    // `artifacts` is the run's artifact folder (MLflow's runs:/<job>/<path>), unless the job
    // declares an output of that name.
    if (output.toLowerCase() === 'artifacts' && !(output in outputs)) {
      return {
        container: artifactContainer(ctx),
        path: joinPath(runArtifactPrefix(job.name), sub ? decodeURIComponent(sub) : undefined),
      };
    }
    const outputUri = (outputs[output] as Json | undefined)?.uri;
    if (typeof outputUri !== 'string') throw new DataUriError(`Job '${jobName}' has no output '${output}'.`);
    const location = resolveDataUri(ctx, outputUri, depth + 1);
    return { ...location, path: joinPath(location.path, sub) };
  }
  const registryModel = REGISTRY_MODEL.exec(uri);
  if (registryModel) {
    const [, registry = '', name = '', version = ''] = registryModel;
    return resolveDataUri(ctx, registryModelUri(ctx, registry, name, version), depth + 1);
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
    `'${uri}' is not a data location the emulator can read (azureml://datastores/<ds>/paths/<p>, azureml://jobs/<job>/outputs/<o>, a data or model version, a registry model version, or a blob URL).`,
  );
}

function urlSegments(parsed: URL): string[] {
  return parsed.pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map(decodeURIComponent);
}

/** The account a blob URL names: path-style (Azurite, `/<account>/...`) or host-style (`<account>.blob...`). */
function namesAccount(parsed: URL, accountName: string): 'path' | 'host' | undefined {
  if (parsed.hostname.toLowerCase().startsWith(`${accountName.toLowerCase()}.`)) return 'host';
  return urlSegments(parsed)[0] === accountName ? 'path' : undefined;
}

/** Whether a URL is a blob URL of the registry's storage account. */
export function isRegistryBlobUrl(ctx: Pick<ArmContext, 'registry'>, url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  return namesAccount(new URL(url), ctx.registry.storage.accountName) !== undefined;
}

/**
 * A blob URL of the workspace's or the registry's account, path-style (Azurite) or host-style
 * (`<account>.blob...`). Registry blobs carry their account in the location.
 */
export function blobUrlLocation(ctx: Pick<ArmContext, 'storage' | 'registry'>, url: string): BlobLocation {
  const parsed = new URL(url);
  const segments = urlSegments(parsed);
  const registryStyle = namesAccount(parsed, ctx.registry.storage.accountName);
  if (registryStyle === 'path' || namesAccount(parsed, ctx.storage.accountName) === 'path') segments.shift();
  const [container, ...rest] = segments;
  if (!container) throw new DataUriError(`Blob URL '${url}' names no container.`);
  const path = rest.join('/') + (parsed.pathname.endsWith('/') && rest.length > 0 ? '/' : '');
  return registryStyle ? { account: ctx.registry.storage, container, path } : { container, path };
}
