import { describe, expect, it } from 'vitest';
import { blobServiceUrl } from '../../src/datastores/datastore-client';

describe('blobServiceUrl', () => {
  it.each([
    ['mystore', undefined, undefined, 'https://mystore.blob.core.windows.net'],
    ['mystore', 'core.usgovcloudapi.net', 'https', 'https://mystore.blob.core.usgovcloudapi.net'],
    ['mystore', 'core.chinacloudapi.cn', 'https', 'https://mystore.blob.core.chinacloudapi.cn'],
    // Azurite and other local accounts are path-style: the account is the first path segment.
    ['devstoreaccount1', '127.0.0.1:10000', 'http', 'http://127.0.0.1:10000/devstoreaccount1'],
    ['devstoreaccount1', 'localhost:10000', 'http', 'http://localhost:10000/devstoreaccount1'],
    ['devstoreaccount1', '[::1]:10000', 'http', 'http://[::1]:10000/devstoreaccount1'],
    // A storage suffix that merely starts with digits is still a suffix, not an address.
    ['acct', '1core.example.net', 'https', 'https://acct.blob.1core.example.net'],
  ])('%s at %s over %s → %s', (account, endpoint, protocol, expected) => {
    expect(blobServiceUrl(account, endpoint, protocol)).toBe(expected);
  });
});
