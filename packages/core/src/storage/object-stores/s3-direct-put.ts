// A single-request PutObject sent straight over node:http(s), for the many small objects of a
// prefix copy. The SDK's stack (endpoint rules, schema serde, a dozen middlewares) costs more CPU
// per request than moving a MiB through the socket; here the request is the SDK's own, learnt
// once: the first PutObject to a bucket goes through the client, which records where it went and
// how it was signed, and later ones reuse that URL with the client's own SigV4 signer and
// credentials provider (so renewals still apply). Anything unusual (S3 Express, SigV4a, a path
// that does not end in the key) stays on the SDK.

import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { destroyOnAbort, responseText, singleHeader, xmlElementText } from './object-store';

export interface DirectPutParams {
  Key: string;
  ContentLength: number;
  ContentType?: string;
  ContentMD5?: string;
  Metadata?: Record<string, string>;
}

export interface DirectPutResult {
  ETag?: string;
  ServerSideEncryption?: string;
  SSECustomerAlgorithm?: string;
}

/** Where a bucket's objects are and how requests to it are signed, as the SDK resolved them. */
interface BucketRoute {
  protocol: 'http:' | 'https:';
  hostname: string;
  port?: number;
  /** The path before the key: `/bucket/` (path style) or `/` (virtual-hosted). */
  pathPrefix: string;
  signer: SignatureV4;
}

/** S3's error as thrown: the fields describeS3Failure and isDigestRejection read, as the SDK sets them. */
export class S3DirectPutError extends Error {
  readonly Code: string;
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  constructor(status: number, code: string, message: string, requestId: string | undefined) {
    super(message || `S3 answered ${status}`);
    this.name = code || `Http${status}`;
    this.Code = code;
    this.$metadata = { httpStatusCode: status, ...(requestId && { requestId }) };
  }
}

export class S3DirectPut {
  /** 'sdk': the SDK's request had something not copied here, so every PutObject stays on it. */
  private route: BucketRoute | 'sdk' | undefined;
  /** One PutObject at a time learns the route; the others meanwhile go through the SDK. */
  private learning = false;
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 50 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 50 }),
  };

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(params: DirectPutParams, body: Readable, abortSignal: AbortSignal): Promise<DirectPutResult> {
    if (this.route && this.route !== 'sdk') return this.send(this.route, params, body, abortSignal);
    const command = new PutObjectCommand({ Bucket: this.bucket, ...params, Body: body });
    if (this.route === 'sdk' || this.learning) return this.client.send(command, { abortSignal });
    this.learning = true;
    this.learnRoute(command, params.Key);
    try {
      return await this.client.send(command, { abortSignal });
    } finally {
      this.learning = false;
    }
  }

  destroy(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  /** Records the URL and signing scope of the request the SDK builds for `command`. */
  private learnRoute(command: PutObjectCommand, key: string): void {
    command.middlewareStack.add(
      (next, context) => async (args) => {
        const request = args.request as {
          protocol?: string;
          hostname?: string;
          port?: number;
          path?: string;
          query?: Record<string, unknown>;
        };
        const scheme = (context.endpointV2?.properties?.authSchemes as AuthScheme[] | undefined)?.[0];
        const encodedKey = encodeKey(key);
        if (
          (request.protocol === 'http:' || request.protocol === 'https:') &&
          request.hostname &&
          request.path?.endsWith(encodedKey) &&
          // The SDK adds `x-id=PutObject`, which S3 ignores; any other query is a feature not copied here.
          Object.keys(request.query ?? {}).every((name) => name === 'x-id') &&
          (!scheme || (scheme.name === 'sigv4' && (scheme.signingName ?? 's3') === 's3'))
        ) {
          const result = await next(args);
          const region = scheme?.signingRegion ?? (await this.client.config.region());
          this.route = {
            protocol: request.protocol,
            hostname: request.hostname,
            ...(request.port && { port: request.port }),
            pathPrefix: request.path.slice(0, request.path.length - encodedKey.length),
            signer: new SignatureV4({
              credentials: this.client.config.credentials,
              region,
              service: 's3',
              sha256: this.client.config.sha256,
              uriEscapePath: false,
              applyChecksum: false,
            }),
          };
          return result;
        }
        this.route = 'sdk';
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'learnDirectPutRoute' },
    );
  }

  private async send(
    route: BucketRoute,
    params: DirectPutParams,
    body: Readable,
    abortSignal: AbortSignal,
  ): Promise<DirectPutResult> {
    const headers: Record<string, string> = {
      host: route.port ? `${route.hostname}:${route.port}` : route.hostname,
      'content-length': String(params.ContentLength),
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      ...(params.ContentType && { 'content-type': params.ContentType }),
      ...(params.ContentMD5 && { 'content-md5': params.ContentMD5 }),
    };
    for (const [name, value] of Object.entries(params.Metadata ?? {})) {
      headers[`x-amz-meta-${name.toLowerCase()}`] = value;
    }
    const path = route.pathPrefix + encodeKey(params.Key);
    const signed = await route.signer.sign(
      {
        method: 'PUT',
        protocol: route.protocol,
        hostname: route.hostname,
        ...(route.port && { port: route.port }),
        path,
        query: {},
        headers,
      },
      // The SDK's correction for a skewed clock, learnt from S3's answers.
      { signingDate: new Date(Date.now() + (this.client.config.systemClockOffset ?? 0)) },
    );
    abortSignal.throwIfAborted();
    const transport = route.protocol === 'https:' ? https : http;
    return new Promise<DirectPutResult>((resolve, reject) => {
      const request = transport.request({
        method: 'PUT',
        hostname: route.hostname,
        ...(route.port && { port: route.port }),
        path,
        headers: signed.headers,
        agent: this.agents[route.protocol],
      });
      const dispose = destroyOnAbort(request, abortSignal);
      const fail = (error: unknown) => {
        dispose();
        reject(error);
      };
      request.once('error', fail);
      body.once('error', (error) => request.destroy(error));
      request.once('response', (response) => {
        dispose();
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          response.resume();
          response.once('end', () =>
            resolve(
              withoutUndefined({
                ETag: singleHeader(response.headers, 'etag'),
                ServerSideEncryption: singleHeader(response.headers, 'x-amz-server-side-encryption'),
                SSECustomerAlgorithm: singleHeader(
                  response.headers,
                  'x-amz-server-side-encryption-customer-algorithm',
                ),
              }),
            ),
          );
          response.once('error', reject);
          return;
        }
        responseText(response).then((xml) => {
          reject(
            new S3DirectPutError(
              status,
              xmlElementText(xml, 'Code') ?? '',
              xmlElementText(xml, 'Message') ?? '',
              singleHeader(response.headers, 'x-amz-request-id'),
            ),
          );
        }, reject);
      });
      body.pipe(request);
    });
  }
}

interface AuthScheme {
  name?: string;
  signingName?: string;
  signingRegion?: string;
}

/** How the SDK puts a key in the path: each segment URI-encoded, slashes kept. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/** The result without the headers that did not come. */
function withoutUndefined(result: Record<keyof DirectPutResult, string | undefined>): DirectPutResult {
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined));
}
