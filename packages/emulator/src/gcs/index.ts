// A local stand-in for Google Cloud Storage's JSON API, for tests of code that uses the real
// @google-cloud/storage client (point it at `url` with `apiEndpoint`). HTTP by default, HTTPS
// when given a key and certificate.

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { GcsApi } from './gcs-api';
import { GcsState } from './gcs-state';

export { crc32c, crc32cBase64 } from './crc32c';

export interface GcsStandInOptions {
  /** Loopback address; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keep objects in this folder (they survive a restart); in memory only when absent. */
  dir?: string;
  /** Serve HTTPS with this PEM key and certificate. */
  tls?: { key: string; cert: string };
  /** Buckets that exist from the start (others are created on first write or by `POST /storage/v1/b`). */
  buckets?: string[];
  /**
   * Require credentials: each request's `Authorization` header must satisfy this check, else a
   * 401 in GCS's error shape. Absent: every request is served, as before.
   */
  authorize?: (authorization: string | undefined) => boolean;
}

export interface GcsStandIn {
  /** e.g. `http://127.0.0.1:43121`: the client's `apiEndpoint`. */
  url: string;
  stop(): Promise<void>;
}

export async function startGcsStandIn(options: GcsStandInOptions = {}): Promise<GcsStandIn> {
  const host = options.host ?? '127.0.0.1';
  const state = new GcsState(options.dir ? path.resolve(options.dir) : undefined);
  for (const bucket of options.buckets ?? []) state.createBucket(bucket);
  let url = '';
  const api = new GcsApi(state, () => url);
  const { authorize } = options;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (authorize && !authorize(req.headers.authorization)) {
      unauthorized(req, res);
      return;
    }
    api.listener(req, res);
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

function unauthorized(req: IncomingMessage, res: ServerResponse): void {
  const message = 'Invalid Credentials';
  const body = JSON.stringify({
    error: {
      code: 401,
      message,
      errors: [
        { message, domain: 'global', reason: 'authError', locationType: 'header', location: 'Authorization' },
      ],
    },
  });
  // Drain the request so the connection stays usable, then answer.
  req.resume();
  req.once('end', () =>
    res
      .writeHead(401, {
        'Content-Type': 'application/json; charset=UTF-8',
        'Content-Length': String(Buffer.byteLength(body)),
        'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"',
      })
      .end(body),
  );
}
