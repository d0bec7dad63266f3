// The object stores (S3, GCS, Azure Blob, local) as their own entry point, so an action that
// never reads a bucket does not bundle the AWS and Google SDKs.

export * from '../copy';
export * from './azure-blob-store';
export * from './cloud-credentials';
export * from './gcs-store';
export * from './local-store';
export * from './object-store';
export * from './s3-store';
