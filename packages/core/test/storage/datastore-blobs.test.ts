import { describe, expect, it } from 'vitest';
import type { DatastoreClient } from '../../src/datastores/datastore-client';
import { ConfigurationError } from '../../src/errors';
import { DatastoreBlobs } from '../../src/storage/datastore-blobs';

// parseUri is pure; a DatastoreClient that fails loudly proves it is not called.
const unreachable = new Proxy({} as DatastoreClient, {
  get: () => () => {
    throw new Error('datastores must not be called');
  },
});
const workspace = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg',
  workspace: 'work1',
};
const blobs = new DatastoreBlobs(unreachable, { workspace });

describe('DatastoreBlobs.parseUri', () => {
  it.each([
    [
      'azureml://datastores/workspaceblobstore/paths/LocalUpload/abc/src/',
      'workspaceblobstore',
      'LocalUpload/abc/src/',
    ],
    ['azureml://datastores/ds/paths/a/b.csv', 'ds', 'a/b.csv'],
    [
      'azureml://subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/RG/workspaces/work1/datastores/ds/paths/x/',
      'ds',
      'x/',
    ],
  ])('%s', (uri, datastore, blobPath) => {
    expect(blobs.parseUri(uri)).toEqual({ datastore, blobPath });
  });

  it.each([
    ['azureml:model:1', /is not a datastore URI/],
    ['azureml://datastores/ds/a/b.csv', /the 'paths' segment is missing/],
    ['azureml://datastore/ds/paths/a', /must be plural/],
    [
      'azureml://subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/workspaces/other/datastores/ds/paths/x',
      /names workspace 'other'.*not 'work1'/,
    ],
  ])('refuses %s', (uri, message) => {
    const error = (() => {
      try {
        blobs.parseUri(uri);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
