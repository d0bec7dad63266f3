// A loopback HTTPS "data plane" for the job runtime tests: an ArmRestClient factory with a fake
// credential whose token the tests can look for in what the server received.
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DataPlaneClients } from '../../../src/jobs/run-history';
import type { LocalHttpsServer } from '../../arm/support/local-https';

export const ARM_TOKEN = 'arm-token-for-tests';
export const ARM_SCOPE = 'https://management.example/.default';

export class FakeCredential implements TokenCredential {
  scopes: (string | string[])[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(scopes);
    return { token: ARM_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

export function dataPlaneFor(server: LocalHttpsServer, credential = new FakeCredential()): DataPlaneClients {
  return new DataPlaneClients({
    credential,
    scope: ARM_SCOPE,
    caCertificates: server.ca,
    retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    env: {},
  });
}

/** The path of a recorded request URL, without its query. */
export const pathOf = (url: string): string => url.split('?')[0] ?? url;

export const queryOf = (url: string): URLSearchParams => new URL(url, 'https://x').searchParams;
