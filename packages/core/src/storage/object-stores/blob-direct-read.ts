// One plain GET per small blob, for the many small objects of a prefix copy. The SDK's download
// builds a BlobClient and its pipeline per blob, runs a dozen policies and tracing, and wraps the
// body in a resuming stream; for a blob of a few MiB that costs more CPU than the bytes do. Here
// the request is authorised as the container client is: through its SAS, a read-only container
// SAS made from its account key (renewed long before it expires), or a bearer token of its
// identity. Larger blobs keep the SDK's download, which resumes a broken stream where it stopped.

import http from 'node:http';
import https from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import {
  AnonymousCredential,
  type ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { destroyOnAbort, responseText, singleHeader, xmlElementText } from './object-store';

/** Blobs up to this size are read with one GET; a failure then costs a restart of one small blob. */
export const DIRECT_READ_LIMIT_IN_BYTES = 32 * 1024 * 1024;
/** A Blob service version every current endpoint and Azurite serve, sent with each GET. */
const BLOB_SERVICE_VERSION = '2025-05-05';
const STORAGE_SCOPE = 'https://storage.azure.com/.default';
const SAS_LIFETIME_IN_MS = 6 * 3600_000;
/** A made SAS is replaced once it has less than this left, so no read starts near its end. */
const SAS_RENEW_BEFORE_IN_MS = 3600_000;
const TOKEN_RENEW_BEFORE_IN_MS = 5 * 60_000;

/** The service's answer to a failed GET, with the fields describeBlobFailure reads. */
export class BlobReadError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(message || `The Blob service answered ${statusCode}.`);
    this.name = 'BlobReadError';
  }
}

type Authorisation =
  | { kind: 'sas'; query: string; renewAt?: number }
  | { kind: 'bearer'; token: string; renewAt: number }
  | { kind: 'none' };

export class BlobDirectReader {
  private readonly base: URL;
  private authorisation: Authorisation | undefined;
  private pending: Promise<Authorisation> | undefined;
  private readonly agent: http.Agent;

  private constructor(
    private readonly container: ContainerClient,
    private readonly credential: StorageSharedKeyCredential | TokenCredential | undefined,
  ) {
    this.base = new URL(container.url);
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 50 })
        : new http.Agent({ keepAlive: true, maxSockets: 50 });
  }

  /**
   * A reader for the container, or undefined when plain requests cannot stand in for the SDK's:
   * a proxy is configured (the SDK honours HTTPS_PROXY, node:http does not), or the URL or
   * credential is of a kind not handled here.
   */
  static for(container: ContainerClient, env: NodeJS.ProcessEnv = process.env): BlobDirectReader | undefined {
    if (['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'ALL_PROXY'].some((name) => env[name])) {
      return undefined;
    }
    const url = new URL(container.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const credential: unknown = container.credential;
    if (url.searchParams.has('sig') || credential instanceof AnonymousCredential) {
      return new BlobDirectReader(container, undefined);
    }
    if (credential instanceof StorageSharedKeyCredential || isTokenCredential(credential)) {
      return new BlobDirectReader(container, credential);
    }
    return undefined;
  }

  /** The blob's body: the response itself, or a BlobReadError naming the service's code. */
  async read(blobName: string, abortSignal: AbortSignal | undefined): Promise<http.IncomingMessage> {
    const auth = await this.currentAuthorisation(abortSignal);
    const path = `${this.base.pathname.replace(/\/+$/, '')}/${blobName.split('/').map(encodeURIComponent).join('/')}`;
    const query = auth.kind === 'sas' ? `?${auth.query}` : '';
    const transport = this.base.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request({
        method: 'GET',
        hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
        ...(this.base.port && { port: Number(this.base.port) }),
        path: `${path}${query}`,
        headers: {
          'x-ms-version': BLOB_SERVICE_VERSION,
          ...(auth.kind === 'bearer' && { authorization: `Bearer ${auth.token}` }),
        },
        agent: this.agent,
      });
      const dispose = destroyOnAbort(request, abortSignal);
      const fail = (error: unknown) => {
        dispose();
        reject(error);
      };
      request.once('error', fail);
      request.once('response', (response) => {
        // An abort while the body streams destroys it too.
        response.once('close', dispose);
        const status = response.statusCode ?? 0;
        if (status === 200) {
          resolve(response);
          return;
        }
        responseText(response).then((xml) => {
          reject(
            new BlobReadError(
              status,
              xmlElementText(xml, 'Code') ?? singleHeader(response.headers, 'x-ms-error-code'),
              xmlElementText(xml, 'Message')?.split('\n')[0] ?? '',
              singleHeader(response.headers, 'x-ms-request-id'),
            ),
          );
        }, reject);
      });
      request.end();
    });
  }

  destroy(): void {
    this.agent.destroy();
  }

  private async currentAuthorisation(abortSignal: AbortSignal | undefined): Promise<Authorisation> {
    const current = this.authorisation;
    if (
      current &&
      (current.kind === 'none' || current.renewAt === undefined || Date.now() < current.renewAt)
    ) {
      return current;
    }
    // Concurrent reads share one renewal.
    this.pending ??= this.authorise(abortSignal).finally(() => {
      this.pending = undefined;
    });
    this.authorisation = await this.pending;
    return this.authorisation;
  }

  private async authorise(abortSignal: AbortSignal | undefined): Promise<Authorisation> {
    const credential = this.credential;
    if (credential === undefined) {
      const query = this.base.search.slice(1);
      return query ? { kind: 'sas', query } : { kind: 'none' };
    }
    if (credential instanceof StorageSharedKeyCredential) {
      const now = Date.now();
      const url = await this.container.generateSasUrl({
        permissions: ContainerSASPermissions.parse('r'),
        startsOn: new Date(now - 5 * 60_000),
        expiresOn: new Date(now + SAS_LIFETIME_IN_MS),
      });
      return {
        kind: 'sas',
        query: new URL(url).search.slice(1),
        renewAt: now + SAS_LIFETIME_IN_MS - SAS_RENEW_BEFORE_IN_MS,
      };
    }
    const token = await credential.getToken(STORAGE_SCOPE, { ...(abortSignal && { abortSignal }) });
    if (!token)
      throw new BlobReadError(401, 'NoToken', `No token for ${STORAGE_SCOPE} was issued.`, undefined);
    return {
      kind: 'bearer',
      token: token.token,
      renewAt: token.refreshAfterTimestamp ?? token.expiresOnTimestamp - TOKEN_RENEW_BEFORE_IN_MS,
    };
  }
}

/** Whether a container client's credential is a token credential (an identity), not a key. */
export function isTokenCredential(credential: unknown): credential is TokenCredential {
  return typeof (credential as { getToken?: unknown } | null)?.getToken === 'function';
}
