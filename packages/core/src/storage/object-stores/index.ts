// The object stores (Azure Blob, local) and the copy engine as their own entry point, so an
// action that never reads a bucket does not bundle the AWS and Google SDKs. S3 and GCS are
// their own entries again (`object-stores/s3`, `object-stores/gcs`): a copy step imports only
// the SDK of the cloud it touches, each about 16 MB of resident memory once loaded.

export * from '../copy';
export * from './azure-blob-store';
export * from './cloud-credentials';
export type { GcsObjectStoreOptions } from './gcs-store';
export * from './local-store';
export * from './object-store';
export type { S3ObjectStoreOptions } from './s3-store';
