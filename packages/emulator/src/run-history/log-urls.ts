// Read-only SAS URLs of a run's log blobs, which clients GET with `Range` straight from storage.
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { ArmContext } from '../arm-context';
import { artifactContainer, runArtifactPrefix } from '../execution/artifact-store';

/** How long a log URL stays valid; clients fetch details again for fresh ones. */
const SAS_LIFETIME_IN_MS = 60 * 60 * 1000;

export function blobSasUrl(
  ctx: Pick<ArmContext, 'storage' | 'now'>,
  container: string,
  blobName: string,
): string {
  const credential = new StorageSharedKeyCredential(ctx.storage.accountName, ctx.storage.accountKey);
  const now = ctx.now();
  const sas = generateBlobSASQueryParameters(
    {
      containerName: container,
      blobName,
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(now.getTime() - 5 * 60 * 1000), // tolerate clock skew, as the service does
      expiresOn: new Date(now.getTime() + SAS_LIFETIME_IN_MS),
    },
    credential,
  ).toString();
  const encodedName = blobName.split('/').map(encodeURIComponent).join('/');
  return `${ctx.storage.blobEndpoint}/${container}/${encodedName}?${sas}`;
}

/** `<log path> → SAS URL` for each log the run has in the artifact store (`user_logs/...`, `logs/...`). */
export async function runLogUrls(ctx: ArmContext, runId: string): Promise<Record<string, string>> {
  const container = artifactContainer(ctx);
  const prefix = runArtifactPrefix(runId);
  const service = new BlobServiceClient(
    ctx.storage.blobEndpoint,
    new StorageSharedKeyCredential(ctx.storage.accountName, ctx.storage.accountKey),
  );
  const names: string[] = [];
  for await (const blob of service.getContainerClient(container).listBlobsFlat({ prefix })) {
    const relative = blob.name.slice(prefix.length);
    if (/^(user_logs|system_logs|logs|azureml-logs)\//.test(relative)) names.push(relative);
  }
  // std_log.txt first: clients stream the files in this order.
  names.sort(
    (a, b) => Number(b.endsWith('std_log.txt')) - Number(a.endsWith('std_log.txt')) || a.localeCompare(b),
  );
  return Object.fromEntries(names.map((name) => [name, blobSasUrl(ctx, container, `${prefix}${name}`)]));
}
