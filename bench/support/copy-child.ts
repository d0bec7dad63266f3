// The "ours" side of bench/artifact-copy.ts: one copyObjects run Azure Blob → S3 in its own
// process, so its peak RSS is the copy's alone. Reads its job as JSON from argv[2] and prints one
// JSON line: the engine's totals and this process's VmHWM.
import { readFileSync } from 'node:fs';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import {
  AzureBlobObjectStore,
  copyObjects,
  listForPlan,
  planCopy,
  S3ObjectStore,
} from '../../packages/core/src/storage/object-stores';

export interface CopyChildJob {
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
  container: string;
  sourcePrefix: string;
  s3Endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  destinationPrefix: string;
  concurrency: number;
  partSizeInBytes: number;
}

export interface CopyChildResult {
  objects: number;
  bytes: number;
  engineSeconds: number;
  vmHwmKiB: number;
}

function vmHwmKiB(): number {
  const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : Math.round(process.memoryUsage().rss / 1024);
}

const job = JSON.parse(process.argv[2] ?? '{}') as CopyChildJob;
const source = new AzureBlobObjectStore({
  container: new ContainerClient(
    `${job.blobEndpoint}/${job.container}`,
    new StorageSharedKeyCredential(job.accountName, job.accountKey),
  ),
  prefix: job.sourcePrefix,
});
const destination = new S3ObjectStore({
  bucket: job.bucket,
  region: 'us-east-1',
  prefix: job.destinationPrefix,
  endpoint: job.s3Endpoint,
  forcePathStyle: true,
  checksums: 'when-required',
  credentials: job.credentials,
});
const plan = planCopy(await listForPlan(source), [], { mode: 'copy' });
const { totals } = await copyObjects({
  source,
  destination,
  plan,
  concurrency: job.concurrency,
  partSizeInBytes: job.partSizeInBytes,
});
const result: CopyChildResult = {
  objects: totals.objects,
  bytes: totals.bytes,
  engineSeconds: totals.seconds,
  vmHwmKiB: vmHwmKiB(),
};
console.log(JSON.stringify(result));
