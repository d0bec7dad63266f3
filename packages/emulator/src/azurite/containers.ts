// Creates blob containers over plain HTTP with SharedKey auth (idempotent: 409 means it exists).
import { request } from 'node:http';
import type { StorageAccount } from '../arm-context';
import { sharedKeyAuthorization } from './shared-key';

const STORAGE_API_VERSION = '2021-12-02';

export async function ensureContainer(
  account: StorageAccount,
  container: string,
): Promise<'created' | 'exists'> {
  const url = new URL(`${account.blobEndpoint}/${container}?restype=container`);
  const headers: Record<string, string> = {
    'x-ms-date': new Date().toUTCString(),
    'x-ms-version': STORAGE_API_VERSION,
    'Content-Length': '0',
  };
  headers.Authorization = sharedKeyAuthorization(account.accountName, account.accountKey, {
    method: 'PUT',
    url,
    headers,
  });
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    // No keep-alive: a lingering socket would hold Azurite's shutdown open.
    const req = request(url, { method: 'PUT', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', reject);
    req.end();
  });
  if (status === 201) return 'created';
  if (status === 409 && body.includes('ContainerAlreadyExists')) return 'exists';
  throw new Error(`Creating container '${container}' in Azurite failed with HTTP ${status}: ${body}`);
}
