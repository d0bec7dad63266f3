// A job's code: the code version its codeId names (ARM id, maybe `azureml:`-prefixed, or
// `azureml:name:version`), whose codeUri is a blob folder, downloaded into the job folder.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ArmContext } from '../arm-context';
import type { ExecutionContext } from './context';
import { blobUrlLocation, DataUriError, resolveDataUri } from './data-uris';

const CODE_ARM_ID = /\/codes\/([^/]+)\/versions\/([^/]+)\/?$/i;
const SHORT_CODE = /^azureml:([^:/@]+):([^:/@]+)$/;

/** The codeUri of the code version a codeId names. Throws DataUriError when there is none. */
export function codeUriOf(ctx: Pick<ArmContext, 'store'>, codeId: string): string {
  const match = CODE_ARM_ID.exec(codeId) ?? SHORT_CODE.exec(codeId);
  if (!match) throw new DataUriError(`codeId '${codeId}' is not a code version ARM id.`);
  const [, name = '', version = ''] = match;
  const record = ctx.store.get<{ properties: Record<string, unknown> }>(
    'arm.codes.versions',
    `${name}/${version}`,
  );
  if (!record)
    throw new DataUriError(`Code version '${name}:${version}' (codeId '${codeId}') does not exist.`);
  const uri = record.properties.codeUri;
  if (typeof uri !== 'string' || uri === '') {
    throw new DataUriError(`Code version '${name}:${version}' has no codeUri.`);
  }
  return uri;
}

/** Downloads the snapshot into `folder`; returns the number of files. */
export async function downloadCode(
  exec: ExecutionContext,
  codeId: string,
  folder: string,
  abortSignal: AbortSignal,
): Promise<number> {
  const uri = codeUriOf(exec.ctx, codeId);
  const location = /^https?:/i.test(uri) ? blobUrlLocation(exec.ctx, uri) : resolveDataUri(exec.ctx, uri);
  mkdirSync(folder, { recursive: true });
  const files = await exec.blobs.downloadFolder(location, folder, abortSignal);
  if (files.length > 0) return files.length;
  // A single-file snapshot: the uri names the blob itself.
  const name = location.path.replace(/\/+$/, '');
  if (name && (await exec.blobs.exists({ ...location, path: name }, abortSignal))) {
    await exec.blobs.downloadFile(
      { ...location, path: name },
      path.join(folder, path.posix.basename(name)),
      abortSignal,
    );
    return 1;
  }
  throw new DataUriError(`The code snapshot at '${uri}' is empty: no blobs under it.`);
}
