// The GCS JSON API subset the @google-cloud/storage client speaks: buckets (create, get),
// objects (list with pages, get, media download with ranges, patch, delete), uploads (media,
// multipart, resumable with chunks), and rewrite/copy. Errors use GCS's JSON error shape.

import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32cBase64 } from './crc32c';
import type { GcsObject, GcsState } from './gcs-state';
import { boundaryOf, parseMultipart } from './multipart';

interface UploadSession {
  bucket: string;
  name: string;
  contentType?: string | undefined;
  metadata?: Record<string, string> | undefined;
  chunks: Buffer[];
  received: number;
  done?: GcsObject;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: Buffer;
}

const DEFAULT_PAGE_SIZE = 1000;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (message: string) => new HttpFailure(404, 'notFound', message);
const badRequest = (message: string) => new HttpFailure(400, 'invalid', message);

function errorReply(failure: HttpFailure): Reply {
  return {
    status: failure.status,
    json: {
      error: {
        code: failure.status,
        message: failure.message,
        errors: [{ message: failure.message, domain: 'global', reason: failure.reason }],
      },
    },
  };
}

export class GcsApi {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly state: GcsState,
    /** Base URL clients reach the stand-in at (for session URIs and links). */
    private readonly baseUrl: () => string,
  ) {}

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    readBody(req)
      .then((body) => this.handle(req, body))
      .catch((error: unknown) =>
        error instanceof HttpFailure
          ? errorReply(error)
          : errorReply(
              new HttpFailure(500, 'backendError', error instanceof Error ? error.message : String(error)),
            ),
      )
      .then((reply) => send(res, reply));
  };

  private handle(req: IncomingMessage, body: Buffer): Reply {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    // Object names are one percent-encoded segment; split before decoding.
    const segments = url.pathname.split('/').filter(Boolean).map(decodeSegment);
    // Media links point at /download/storage/v1/…: the same routes.
    if (segments[0] === 'download') segments.shift();
    const [root, version, b, bucket, o, name, verb, b2, bucket2, o2, name2] = segments;

    if (
      root === 'upload' &&
      version === 'storage' &&
      segments[2] === 'v1' &&
      segments[3] === 'b' &&
      segments[5] === 'o'
    ) {
      const uploadBucket = segments[4] as string;
      if (method === 'POST') return this.startUpload(uploadBucket, req, body, q);
      if (method === 'PUT' && q.get('upload_id'))
        return this.continueUpload(q.get('upload_id') as string, req, body);
    }
    if (root === 'storage' && version === 'v1' && b === 'b') {
      if (bucket === undefined) {
        if (method === 'POST') return this.createBucket(body);
        throw new HttpFailure(405, 'methodNotAllowed', `${method} is not supported on buckets.`);
      }
      if (o === undefined) {
        if (method === 'GET') return { status: 200, json: this.bucketResource(this.requireBucket(bucket)) };
        throw new HttpFailure(405, 'methodNotAllowed', `${method} is not supported on a bucket.`);
      }
      if (o === 'o' && name === undefined && method === 'GET') return this.list(bucket, q);
      if (o === 'o' && name !== undefined && verb === undefined) {
        if (method === 'GET') return this.getObject(bucket, name, q, req);
        if (method === 'DELETE') return this.deleteObject(bucket, name, q);
        if (method === 'PATCH' || method === 'PUT') return this.patchObject(bucket, name, body);
      }
      if (
        o === 'o' &&
        name !== undefined &&
        (verb === 'rewriteTo' || verb === 'copyTo') &&
        b2 === 'b' &&
        bucket2 !== undefined &&
        o2 === 'o' &&
        name2 !== undefined &&
        method === 'POST'
      ) {
        return this.copy(bucket, name, bucket2, name2, verb, body, q);
      }
    }
    throw notFound(`No route for ${method} ${url.pathname}.`);
  }

  private createBucket(body: Buffer): Reply {
    const { name } = parseJson(body) as { name?: unknown };
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(name)) {
      throw badRequest('Invalid bucket name.');
    }
    if (!this.state.createBucket(name)) {
      throw new HttpFailure(
        409,
        'conflict',
        'Your previous request to create the named bucket succeeded and you already own it.',
      );
    }
    return { status: 200, json: this.bucketResource(name) };
  }

  private requireBucket(bucket: string): string {
    if (!this.state.hasBucket(bucket)) throw notFound('The specified bucket does not exist.');
    return bucket;
  }

  private list(bucket: string, q: URLSearchParams): Reply {
    this.requireBucket(bucket);
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const pageSize = Math.min(
      DEFAULT_PAGE_SIZE,
      Math.max(1, Number(q.get('maxResults') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE),
    );
    const token = q.get('pageToken');
    const after = token ? Buffer.from(token, 'base64url').toString('utf8') : undefined;
    const items: unknown[] = [];
    const prefixes = new Set<string>();
    let last: string | undefined;
    let more = false;
    for (const name of this.state.names(bucket)) {
      if (!name.startsWith(prefix)) continue;
      if (after !== undefined && Buffer.compare(Buffer.from(name), Buffer.from(after)) <= 0) continue;
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      const collapsed = cut === -1 ? undefined : name.slice(0, cut + delimiter.length);
      // Names are sorted, so a prefix's names are contiguous: consume them all in this page.
      if (collapsed !== undefined && prefixes.has(collapsed)) {
        last = name;
        continue;
      }
      if (items.length + prefixes.size >= pageSize) {
        more = true;
        break;
      }
      if (collapsed !== undefined) prefixes.add(collapsed);
      else items.push(this.objectResource(this.state.get(bucket, name) as GcsObject));
      last = name;
    }
    return {
      status: 200,
      json: {
        kind: 'storage#objects',
        ...(items.length > 0 && { items }),
        ...(prefixes.size > 0 && { prefixes: [...prefixes] }),
        ...(more && last !== undefined && { nextPageToken: Buffer.from(last, 'utf8').toString('base64url') }),
      },
    };
  }

  private requireObject(bucket: string, name: string): GcsObject {
    this.requireBucket(bucket);
    const object = this.state.get(bucket, name);
    if (!object) throw notFound(`No such object: ${bucket}/${name}`);
    return object;
  }

  private getObject(bucket: string, name: string, q: URLSearchParams, req: IncomingMessage): Reply {
    const object = this.requireObject(bucket, name);
    checkGeneration(object, q);
    if (q.get('alt') !== 'media') return { status: 200, json: this.objectResource(object) };
    const headers: Record<string, string> = {
      'Content-Type': object.contentType,
      'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-stored-content-length': String(object.data.length),
      'x-goog-generation': object.generation,
      'x-goog-metageneration': String(object.metageneration),
      ETag: etagOf(object),
      'Accept-Ranges': 'bytes',
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && (range[1] || range[2])) {
      const size = object.data.length;
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
      if (start >= size) {
        return {
          status: 416,
          headers: { 'Content-Range': `bytes */${size}` },
          json: { error: { code: 416, message: 'Requested range not satisfiable' } },
        };
      }
      return {
        status: 206,
        headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` },
        body: object.data.subarray(start, end + 1),
      };
    }
    return { status: 200, headers, body: object.data };
  }

  private deleteObject(bucket: string, name: string, q: URLSearchParams): Reply {
    checkGeneration(this.requireObject(bucket, name), q);
    this.state.delete(bucket, name);
    return { status: 204 };
  }

  private patchObject(bucket: string, name: string, body: Buffer): Reply {
    this.requireObject(bucket, name);
    const patch = parseJson(body) as { contentType?: string; metadata?: Record<string, string | null> };
    const updated = this.state.updateMetadata(bucket, name, patch) as GcsObject;
    return { status: 200, json: this.objectResource(updated) };
  }

  private copy(
    bucket: string,
    name: string,
    toBucket: string,
    toName: string,
    verb: string,
    body: Buffer,
    q: URLSearchParams,
  ): Reply {
    const source = this.requireObject(bucket, name);
    const overrides =
      body.length > 0 ? (parseJson(body) as { contentType?: string; metadata?: Record<string, string> }) : {};
    this.checkPrecondition(toBucket, toName, q);
    const copied = this.state.put({
      bucket: toBucket,
      name: toName,
      data: Buffer.from(source.data),
      contentType: overrides.contentType ?? source.contentType,
      metadata: overrides.metadata ?? { ...source.metadata },
    });
    const resource = this.objectResource(copied);
    if (verb === 'copyTo') return { status: 200, json: resource };
    const size = String(copied.data.length);
    return {
      status: 200,
      json: {
        kind: 'storage#rewriteResponse',
        totalBytesRewritten: size,
        objectSize: size,
        done: true,
        resource,
      },
    };
  }

  private startUpload(bucket: string, req: IncomingMessage, body: Buffer, q: URLSearchParams): Reply {
    const uploadType = q.get('uploadType') ?? 'media';
    if (uploadType === 'media') {
      const name = requireName(q.get('name'));
      this.checkPrecondition(bucket, name, q);
      return this.finish(bucket, name, body, headerOf(req, 'content-type'), undefined, req);
    }
    if (uploadType === 'multipart') {
      const boundary = boundaryOf(headerOf(req, 'content-type'));
      const parts = boundary ? parseMultipart(body, boundary) : undefined;
      const [metaPart, mediaPart] = parts ?? [];
      if (!metaPart || !mediaPart)
        throw badRequest('Expected a multipart/related body with metadata and media parts.');
      const meta = parseJson(metaPart.body) as {
        name?: string;
        contentType?: string;
        metadata?: Record<string, string>;
      };
      const name = requireName(q.get('name') ?? meta.name);
      this.checkPrecondition(bucket, name, q);
      return this.finish(
        bucket,
        name,
        mediaPart.body,
        meta.contentType ?? mediaPart.headers['content-type'],
        meta.metadata,
        req,
      );
    }
    if (uploadType === 'resumable') {
      const meta =
        body.length > 0
          ? (parseJson(body) as { name?: string; contentType?: string; metadata?: Record<string, string> })
          : {};
      const name = requireName(q.get('name') ?? meta.name);
      this.checkPrecondition(bucket, name, q);
      const id = randomUUID();
      this.sessions.set(id, {
        bucket,
        name,
        contentType: meta.contentType ?? headerOf(req, 'x-upload-content-type'),
        metadata: meta.metadata,
        chunks: [],
        received: 0,
      });
      const location = `${this.baseUrl()}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      return { status: 200, headers: { Location: location, 'X-GUploader-UploadID': id } };
    }
    throw badRequest(`Unsupported uploadType '${uploadType}'.`);
  }

  /** One PUT of a resumable session: a chunk, the last chunk, or a status query (`bytes *\/…`). */
  private continueUpload(id: string, req: IncomingMessage, body: Buffer): Reply {
    const session = this.sessions.get(id);
    if (!session) throw notFound('No such upload session.');
    if (session.done) return { status: 200, json: this.objectResource(session.done) };
    const header = headerOf(req, 'content-range') ?? `bytes 0-*/${body.length}`;
    const query = /^bytes \*\/(\d+|\*)$/.exec(header);
    const chunk = /^bytes (\d+)-(-?\d+|\*)\/(\d+|\*)$/.exec(header);
    let total: number | undefined;
    let openEnded = false;
    if (query) {
      total = query[1] === '*' ? undefined : Number(query[1]);
    } else if (chunk) {
      const start = Number(chunk[1]);
      if (start > session.received)
        throw badRequest(`Chunk starts at ${start}; ${session.received} bytes received.`);
      // A resent overlap is dropped: the server keeps what it has.
      const fresh = body.subarray(session.received - start);
      session.chunks.push(Buffer.from(fresh));
      session.received += fresh.length;
      total = chunk[3] === '*' ? undefined : Number(chunk[3]);
      openEnded = chunk[2] === '*';
    } else {
      throw badRequest(`Invalid Content-Range '${header}'.`);
    }
    if (total !== undefined && session.received > total)
      throw badRequest('More bytes received than the declared size.');
    if ((total !== undefined && session.received === total) || (openEnded && total === undefined)) {
      const reply = this.finish(
        session.bucket,
        session.name,
        Buffer.concat(session.chunks),
        session.contentType,
        session.metadata,
        req,
      );
      session.chunks = [];
      session.done = this.state.get(session.bucket, session.name);
      return reply;
    }
    return {
      status: 308,
      headers: session.received > 0 ? { Range: `bytes=0-${session.received - 1}` } : {},
    };
  }

  private finish(
    bucket: string,
    name: string,
    data: Buffer,
    contentType: string | undefined,
    metadata: Record<string, string> | undefined,
    req: IncomingMessage,
  ): Reply {
    verifyHashes(headerOf(req, 'x-goog-hash'), data);
    const object = this.state.put({ bucket, name, data, contentType, metadata });
    return { status: 200, json: this.objectResource(object) };
  }

  private checkPrecondition(bucket: string, name: string, q: URLSearchParams): void {
    const expected = q.get('ifGenerationMatch');
    if (expected === null) return;
    const current = this.state.get(bucket, name)?.generation ?? '0';
    if (current !== expected)
      throw new HttpFailure(
        412,
        'conditionNotMet',
        'At least one of the pre-conditions you specified did not hold.',
      );
  }

  private bucketResource(bucket: string): unknown {
    return {
      kind: 'storage#bucket',
      id: bucket,
      name: bucket,
      selfLink: `${this.baseUrl()}/storage/v1/b/${encodeURIComponent(bucket)}`,
      location: 'US',
      storageClass: 'STANDARD',
      timeCreated: this.state.bucketTimeCreated(bucket),
    };
  }

  private objectResource(object: GcsObject): Record<string, unknown> {
    const path = `b/${encodeURIComponent(object.bucket)}/o/${encodeURIComponent(object.name)}`;
    return {
      kind: 'storage#object',
      id: `${object.bucket}/${object.name}/${object.generation}`,
      selfLink: `${this.baseUrl()}/storage/v1/${path}`,
      mediaLink: `${this.baseUrl()}/download/storage/v1/${path}?generation=${object.generation}&alt=media`,
      name: object.name,
      bucket: object.bucket,
      generation: object.generation,
      metageneration: String(object.metageneration),
      contentType: object.contentType,
      storageClass: 'STANDARD',
      size: String(object.data.length),
      md5Hash: object.md5Hash,
      crc32c: object.crc32c,
      etag: etagOf(object),
      timeCreated: object.timeCreated,
      updated: object.updated,
      ...(Object.keys(object.metadata).length > 0 && { metadata: object.metadata }),
    };
  }
}

function etagOf(object: GcsObject): string {
  return Buffer.from(`${object.generation}/${object.metageneration}`).toString('base64');
}

function checkGeneration(object: GcsObject, q: URLSearchParams): void {
  const generation = q.get('generation') ?? q.get('ifGenerationMatch');
  if (generation !== null && generation !== object.generation) {
    throw q.get('generation') !== null
      ? notFound(`No such object: ${object.bucket}/${object.name}#${generation}`)
      : new HttpFailure(
          412,
          'conditionNotMet',
          'At least one of the pre-conditions you specified did not hold.',
        );
  }
}

/** Rejects an upload whose declared `x-goog-hash` does not match the bytes received. */
function verifyHashes(header: string | undefined, data: Buffer): void {
  if (!header) return;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const kind = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const actual =
      kind === 'crc32c'
        ? crc32cBase64(data)
        : kind === 'md5'
          ? createHash('md5').update(data).digest('base64')
          : value;
    if (actual !== value)
      throw badRequest(`Provided ${kind} "${value}" doesn't match calculated ${kind} "${actual}".`);
  }
}

function requireName(name: string | null | undefined): string {
  if (!name) throw badRequest('Required parameter: name');
  return name;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Invalid percent-encoding in '${segment}'.`);
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer | undefined = reply.body;
  if (reply.json !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.json));
    headers['Content-Type'] = 'application/json; charset=UTF-8';
  }
  if (payload) headers['Content-Length'] = String(payload.length);
  res.writeHead(reply.status, headers).end(payload);
}
