export const id = 776;
export const ids = [776];
export const modules = {

/***/ 15776:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S3ObjectStore: () => (/* binding */ S3ObjectStore)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(53711);
// EXTERNAL MODULE: ./packages/core/src/storage/object-stores/object-store.ts
var object_store = __webpack_require__(29717);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(75118);
;// CONCATENATED MODULE: ./packages/core/src/storage/object-stores/s3-direct-put.ts
// A single-request PutObject sent straight over node:http(s), for the many small objects of a
// prefix copy. The SDK's stack (endpoint rules, schema serde, a dozen middlewares) costs more CPU
// per request than moving a MiB through the socket; here the request is the SDK's own, learnt
// once: the first PutObject to a bucket goes through the client, which records where it went and
// how it was signed, and later ones reuse that URL with the client's own SigV4 signer and
// credentials provider (so renewals still apply). Anything unusual (S3 Express, SigV4a, a path
// that does not end in the key) stays on the SDK.





/** S3's error as thrown: the fields describeS3Failure and isDigestRejection read, as the SDK sets them. */
class S3DirectPutError extends Error {
    Code;
    $metadata;
    constructor(status, code, message, requestId) {
        super(message || `S3 answered ${status}`);
        this.name = code || `Http${status}`;
        this.Code = code;
        this.$metadata = { httpStatusCode: status, ...(requestId && { requestId }) };
    }
}
class S3DirectPut {
    client;
    bucket;
    /** 'sdk': the SDK's request had something not copied here, so every PutObject stays on it. */
    route;
    /** One PutObject at a time learns the route; the others meanwhile go through the SDK. */
    learning = false;
    agents = {
        'http:': new (external_node_http_default()).Agent({ keepAlive: true, maxSockets: 50 }),
        'https:': new (external_node_https_default()).Agent({ keepAlive: true, maxSockets: 50 }),
    };
    constructor(client, bucket) {
        this.client = client;
        this.bucket = bucket;
    }
    async put(params, body, abortSignal) {
        if (this.route && this.route !== 'sdk')
            return this.send(this.route, params, body, abortSignal);
        const command = new dist_cjs/* PutObjectCommand */.wKZ({ Bucket: this.bucket, ...params, Body: body });
        if (this.route === 'sdk' || this.learning)
            return this.client.send(command, { abortSignal });
        this.learning = true;
        this.learnRoute(command, params.Key);
        try {
            return await this.client.send(command, { abortSignal });
        }
        finally {
            this.learning = false;
        }
    }
    destroy() {
        this.agents['http:'].destroy();
        this.agents['https:'].destroy();
    }
    /** Records the URL and signing scope of the request the SDK builds for `command`. */
    learnRoute(command, key) {
        command.middlewareStack.add((next, context) => async (args) => {
            const request = args.request;
            const scheme = context.endpointV2?.properties?.authSchemes?.[0];
            const encodedKey = encodeKey(key);
            if ((request.protocol === 'http:' || request.protocol === 'https:') &&
                request.hostname &&
                request.path?.endsWith(encodedKey) &&
                // The SDK adds `x-id=PutObject`, which S3 ignores; any other query is a feature not copied here.
                Object.keys(request.query ?? {}).every((name) => name === 'x-id') &&
                (!scheme || (scheme.name === 'sigv4' && (scheme.signingName ?? 's3') === 's3'))) {
                const result = await next(args);
                const region = scheme?.signingRegion ?? (await this.client.config.region());
                this.route = {
                    protocol: request.protocol,
                    hostname: request.hostname,
                    ...(request.port && { port: request.port }),
                    pathPrefix: request.path.slice(0, request.path.length - encodedKey.length),
                    signer: new signature_v4_dist_cjs.SignatureV4({
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
        }, { step: 'finalizeRequest', priority: 'low', name: 'learnDirectPutRoute' });
    }
    async send(route, params, body, abortSignal) {
        const headers = {
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
        const signed = await route.signer.sign({
            method: 'PUT',
            protocol: route.protocol,
            hostname: route.hostname,
            ...(route.port && { port: route.port }),
            path,
            query: {},
            headers,
        }, 
        // The SDK's correction for a skewed clock, learnt from S3's answers.
        { signingDate: new Date(Date.now() + (this.client.config.systemClockOffset ?? 0)) });
        abortSignal.throwIfAborted();
        const transport = route.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        return new Promise((resolve, reject) => {
            const request = transport.request({
                method: 'PUT',
                hostname: route.hostname,
                ...(route.port && { port: route.port }),
                path,
                headers: signed.headers,
                agent: this.agents[route.protocol],
            });
            const dispose = (0,object_store/* destroyOnAbort */.kQ)(request, abortSignal);
            const fail = (error) => {
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
                    response.once('end', () => resolve(withoutUndefined({
                        ETag: (0,object_store/* singleHeader */.uy)(response.headers, 'etag'),
                        ServerSideEncryption: (0,object_store/* singleHeader */.uy)(response.headers, 'x-amz-server-side-encryption'),
                        SSECustomerAlgorithm: (0,object_store/* singleHeader */.uy)(response.headers, 'x-amz-server-side-encryption-customer-algorithm'),
                    })));
                    response.once('error', reject);
                    return;
                }
                (0,object_store/* responseText */.x)(response).then((xml) => {
                    reject(new S3DirectPutError(status, (0,object_store/* xmlElementText */.D$)(xml, 'Code') ?? '', (0,object_store/* xmlElementText */.D$)(xml, 'Message') ?? '', (0,object_store/* singleHeader */.uy)(response.headers, 'x-amz-request-id')));
                }, reject);
            });
            body.pipe(request);
        });
    }
}
/** How the SDK puts a key in the path: each segment URI-encoded, slashes kept. */
function encodeKey(key) {
    return key
        .split('/')
        .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
        .join('/');
}
/** The result without the headers that did not come. */
function withoutUndefined(result) {
    return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined));
}

;// CONCATENATED MODULE: ./packages/core/src/storage/object-stores/s3-multipart.ts
// S3 multi-part upload from a stream through a fixed set of reusable part buffers: memory is
// (queueSize + 1) × partSize whatever the object size, and no part-sized garbage is left for the GC
// (lib-storage concatenates a new buffer per part, which peaked at about 3× that).

/**
 * Uploads `body` in parts of `partSize`; a body shorter than one part goes as one PutObject.
 * On any failure the upload is aborted, so no parts are left behind and nothing is visible.
 */
async function uploadInParts(client, target, body, options) {
    const { partSize, abortSignal } = options;
    const call = { abortSignal };
    // queueSize parts in flight while the next one fills (with queueSize buffers, one of them was
    // always filling, so only queueSize - 1 parts uploaded at once).
    const buffers = new PartBuffers(partSize, Math.max(1, options.queueSize) + 1);
    let uploadId;
    const parts = [];
    const inFlight = new Set();
    let failure;
    let size = 0;
    let nextPartNumber = 1;
    const send = (buffer, length) => {
        const partNumber = nextPartNumber++;
        const sending = client
            .send(new dist_cjs/* UploadPartCommand */.iVK({
            Bucket: target.Bucket,
            Key: target.Key,
            UploadId: uploadId,
            PartNumber: partNumber,
            Body: buffer.subarray(0, length),
            ContentLength: length,
        }), call)
            .then((response) => {
            parts.push({ PartNumber: partNumber, ETag: response.ETag });
        })
            .catch((error) => {
            failure ??= error;
        })
            .finally(() => {
            inFlight.delete(sending);
            buffers.release(buffer);
        });
        inFlight.add(sending);
    };
    // A body that stops sending must not hold the upload past an abort: end the read with it.
    // (Not a Promise.race per chunk against one abort promise: every race would stay attached
    // to that promise, holding its chunk, until the upload ends.)
    const onAbort = () => body.destroy(abortSignal.reason instanceof Error ? abortSignal.reason : new Error('aborted'));
    if (abortSignal.aborted)
        onAbort();
    else
        abortSignal.addEventListener('abort', onAbort, { once: true });
    try {
        let current = await buffers.take(inFlight);
        let filled = 0;
        for await (const chunk of body) {
            let offset = 0;
            while (offset < chunk.length) {
                const count = Math.min(partSize - filled, chunk.length - offset);
                current.set(chunk.subarray(offset, offset + count), filled);
                filled += count;
                offset += count;
                size += count;
                if (filled === partSize) {
                    uploadId ??= (await client.send(new dist_cjs/* CreateMultipartUploadCommand */.nG4(target), call)).UploadId;
                    if (failure)
                        throw failure;
                    send(current, filled);
                    current = await buffers.take(inFlight);
                    filled = 0;
                    if (failure)
                        throw failure;
                }
            }
        }
        if (uploadId === undefined) {
            const put = await client.send(new dist_cjs/* PutObjectCommand */.wKZ({ ...target, Body: current.subarray(0, filled), ContentLength: filled }), call);
            return { etag: put.ETag, size };
        }
        if (filled > 0)
            send(current, filled);
        await Promise.all(inFlight);
        if (failure)
            throw failure;
        return { etag: await completeUpload(client, target, uploadId, parts, abortSignal), size };
    }
    catch (error) {
        await Promise.allSettled(inFlight);
        if (uploadId !== undefined) {
            // Not with the caller's signal: it may be what ended the upload.
            await client
                .send(new dist_cjs/* AbortMultipartUploadCommand */.tfP({ Bucket: target.Bucket, Key: target.Key, UploadId: uploadId }))
                .catch(() => undefined);
        }
        throw error;
    }
    finally {
        abortSignal.removeEventListener('abort', onAbort);
    }
}
/** Completes a multi-part upload with its parts (in any order: sorted here); its ETag. */
async function completeUpload(client, target, uploadId, parts, abortSignal) {
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    const done = await client.send(new dist_cjs/* CompleteMultipartUploadCommand */.Gym({
        Bucket: target.Bucket,
        Key: target.Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
    }), { abortSignal });
    return done.ETag;
}
/** At most `count` buffers of `size`, allocated on first use and handed out again when released. */
class PartBuffers {
    size;
    count;
    free = [];
    allocated = 0;
    constructor(size, count) {
        this.size = size;
        this.count = count;
    }
    /** A free buffer, waiting for an upload in flight to finish when all are taken. */
    async take(inFlight) {
        for (;;) {
            const free = this.free.pop();
            if (free)
                return free;
            if (this.allocated < this.count) {
                this.allocated++;
                return Buffer.allocUnsafe(this.size);
            }
            await Promise.race(inFlight);
        }
    }
    release(buffer) {
        this.free.push(buffer);
    }
}

;// CONCATENATED MODULE: ./packages/core/src/storage/object-stores/s3-part-copy.ts
// A server-side copy of an S3 object too large for one CopyObject (over 5 GiB): a multi-part
// upload whose parts S3 copies from byte ranges of the source (UploadPartCopy), so no byte
// passes through this process. Aborted on any failure, so nothing partial becomes visible.


/** S3's limits: at most 10,000 parts, each of 5 MiB to 5 GiB. */
const MAX_PARTS = 10_000;
const MIN_COPY_PART = 5 * 1024 * 1024;
const MAX_COPY_PART = 5 * 1024 * 1024 * 1024;
/** The `x-amz-copy-source` of an object: bucket and key, each key segment URI-encoded. */
function copySourceOf(bucket, key) {
    return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
/** The inclusive byte ranges of the parts: as few as the part size allows, within S3's limits. */
function copyPartRanges(size, wantedPartSize) {
    const partSize = Math.min(MAX_COPY_PART, Math.max(MIN_COPY_PART, wantedPartSize, Math.ceil(size / MAX_PARTS)));
    const ranges = [];
    for (let start = 0; start < size; start += partSize) {
        ranges.push({ start, end: Math.min(size, start + partSize) - 1 });
    }
    return ranges;
}
/** Copies `source` (of `size` bytes) to `target`; on any failure the upload is aborted first. */
async function copyInParts(client, target, source, size, options) {
    const call = { abortSignal: options.abortSignal };
    const created = await client.send(new dist_cjs/* CreateMultipartUploadCommand */.nG4(target), call);
    const uploadId = created.UploadId;
    const ranges = copyPartRanges(size, options.partSize);
    const parts = [];
    let next = 0;
    let failure;
    try {
        const worker = async () => {
            while (next < ranges.length && failure === undefined) {
                const partNumber = next + 1;
                const range = ranges[next++];
                try {
                    const copied = await client.send(new dist_cjs/* UploadPartCopyCommand */.Xp2({
                        Bucket: target.Bucket,
                        Key: target.Key,
                        UploadId: uploadId,
                        PartNumber: partNumber,
                        CopySource: copySourceOf(source.bucket, source.key),
                        CopySourceRange: `bytes=${range.start}-${range.end}`,
                    }), call);
                    parts.push({ PartNumber: partNumber, ETag: copied.CopyPartResult?.ETag });
                }
                catch (error) {
                    // The first failure stops every worker at its next part.
                    failure ??= error;
                }
            }
        };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, ranges.length)) }, worker));
        if (failure !== undefined)
            throw failure;
        return { etag: await completeUpload(client, target, uploadId, parts, options.abortSignal) };
    }
    catch (error) {
        // Not with the caller's signal: it may be what ended the copy.
        await client
            .send(new dist_cjs/* AbortMultipartUploadCommand */.tfP({ Bucket: target.Bucket, Key: target.Key, UploadId: uploadId }))
            .catch(() => undefined);
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/storage/object-stores/s3-store.ts
// Amazon S3 (or an S3-compatible endpoint) as an object store, with @aws-sdk/client-s3: paged
// ListObjectsV2, HeadObject, streaming GetObject, one streamed PutObject for bodies of up to a
// part, and multi-part uploads through queueSize reusable part buffers (s3-multipart.ts).





let providerScopes = 0;
/** S3's smallest part size (except the last). */
const MIN_PART_SIZE = 5 * 1024 * 1024;
/** The largest object one CopyObject call copies. */
const MAX_COPY_OBJECT_SIZE = 5 * 1024 * 1024 * 1024;
const DEFAULT_COPY_PART_SIZE = 512 * 1024 * 1024;
class S3ObjectStore {
    kind = 's3';
    description;
    client;
    directPut;
    bucket;
    root;
    listPageSize;
    queueSize;
    copyObjectLimit;
    copyPartSize;
    /** Stores with the same scope (endpoint, region, access key) can CopyObject between them. */
    copyScope;
    constructor(options) {
        this.bucket = options.bucket;
        this.root = options.prefix ? (0,object_store/* safeRelativeKey */.pv)('', options.prefix.replace(/\/+$/, '')) : '';
        this.description = `s3://${options.bucket}${this.root ? `/${this.root}` : ''}`;
        this.listPageSize = options.listPageSize ?? 1000;
        this.queueSize = options.queueSize ?? 4;
        this.copyObjectLimit = Math.min(MAX_COPY_OBJECT_SIZE, options.copyObjectLimitInBytes ?? MAX_COPY_OBJECT_SIZE);
        this.copyPartSize = options.copyPartSizeInBytes ?? DEFAULT_COPY_PART_SIZE;
        const credentialsScope = options.credentialsScope ??
            (typeof options.credentials === 'function'
                ? `provider-${++providerScopes}`
                : (options.credentials?.accessKeyId ?? ''));
        this.copyScope = [options.endpoint ?? 'aws', options.region, credentialsScope].join('|');
        const checksums = options.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
        const config = {
            region: options.region,
            requestChecksumCalculation: checksums,
            // With `Expect: 100-continue` (the SDK's default above 2 MB) the SDK sends each request on a
            // new connection of its own, so every part of a large upload paid a TCP (and TLS) handshake,
            // and the server a connection; an error answer is rare and costs one part's bytes.
            expectContinueHeader: false,
            responseChecksumValidation: checksums,
            ...(options.endpoint && { endpoint: options.endpoint }),
            ...(options.forcePathStyle !== undefined && { forcePathStyle: options.forcePathStyle }),
            ...(options.credentials && { credentials: options.credentials }),
            ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
        };
        this.client = new dist_cjs/* S3Client */.YxF(config);
        this.directPut = new S3DirectPut(this.client, this.bucket);
    }
    async *list(prefix, options = {}) {
        const fullPrefix = (0,object_store/* safeListPrefix */.aw)(this.root, prefix);
        let continuationToken;
        do {
            const page = await this.call('list', prefix, () => this.client.send(new dist_cjs/* ListObjectsV2Command */.u6x({
                Bucket: this.bucket,
                Prefix: fullPrefix || undefined,
                MaxKeys: this.listPageSize,
                ContinuationToken: continuationToken,
            }), { abortSignal: options.abortSignal }), options.abortSignal);
            for (const item of page.Contents ?? []) {
                if (item.Key === undefined)
                    continue;
                yield {
                    key: (0,object_store/* relativeKey */.AB)(this.root, item.Key),
                    size: item.Size ?? 0,
                    ...withEtag(item.ETag),
                };
            }
            continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (continuationToken);
    }
    async stat(key, options = {}) {
        const fullKey = (0,object_store/* safeRelativeKey */.pv)(this.root, key);
        try {
            const head = await this.client.send(new dist_cjs/* HeadObjectCommand */.l81({ Bucket: this.bucket, Key: fullKey }), {
                abortSignal: options.abortSignal,
            });
            return {
                key,
                size: head.ContentLength ?? 0,
                ...withEtag(head.ETag),
                ...(head.ContentType && { contentType: head.ContentType }),
                ...(head.Metadata && Object.keys(head.Metadata).length > 0 && { metadata: head.Metadata }),
            };
        }
        catch (error) {
            if (statusOf(error) === 404)
                return undefined;
            throw this.failure('stat', key, error, options.abortSignal);
        }
    }
    async openRead(key, options = {}) {
        const fullKey = (0,object_store/* safeRelativeKey */.pv)(this.root, key);
        const object = await this.call('read', key, () => this.client.send(new dist_cjs/* GetObjectCommand */.jLs({ Bucket: this.bucket, Key: fullKey }), {
            abortSignal: options.abortSignal,
        }), options.abortSignal);
        // In Node the body is an IncomingMessage (a Readable).
        return object.Body;
    }
    /** Up to one part: a single PutObject, whose Content-MD5 S3 checks and whose ETag is the MD5. */
    checksMd5OnWrite(size, partSizeInBytes) {
        return size <= partSizeOf(partSizeInBytes);
    }
    async write(key, body, options = {}) {
        const fullKey = (0,object_store/* safeRelativeKey */.pv)(this.root, key);
        const partSize = partSizeOf(options.partSizeInBytes);
        const upload = (0,object_store/* uploadAbortController */.Sb)(body, options.abortSignal);
        const params = {
            Bucket: this.bucket,
            Key: fullKey,
            ...(options.contentType && { ContentType: options.contentType }),
            ...(options.metadata && { Metadata: options.metadata }),
        };
        try {
            if (options.size !== undefined && options.size <= partSize) {
                const put = await this.directPut.put({
                    Key: fullKey,
                    ContentLength: options.size,
                    ...(options.contentType && { ContentType: options.contentType }),
                    ...(options.metadata && { Metadata: options.metadata }),
                    ...(options.md5 && { ContentMD5: Buffer.from(options.md5, 'hex').toString('base64') }),
                }, body, upload.controller.signal);
                const md5 = etagMd5(put) ?? options.md5;
                return { ...(0,object_store/* writtenObject */.lN)(key, options.size, put.ETag, options), ...(md5 && { md5 }) };
            }
            const result = await uploadInParts(this.client, params, body, {
                partSize,
                queueSize: this.queueSize,
                abortSignal: upload.controller.signal,
            });
            return (0,object_store/* writtenObject */.lN)(key, result.size, result.etag, options);
        }
        catch (error) {
            throw this.failure('write', key, error, options.abortSignal);
        }
        finally {
            upload.dispose();
        }
    }
    async delete(key, options = {}) {
        const fullKey = (0,object_store/* safeRelativeKey */.pv)(this.root, key);
        await this.call('delete', key, () => this.client.send(new dist_cjs/* DeleteObjectCommand */.k4j({ Bucket: this.bucket, Key: fullKey }), {
            abortSignal: options.abortSignal,
        }), options.abortSignal);
    }
    /**
     * When `source` is an S3 store on the same endpoint, region and credentials: CopyObject
     * (metadata, content type and the other headers kept) up to 5 GiB, and beyond that a
     * multi-part upload whose parts S3 copies from the source (UploadPartCopy; content type and
     * metadata carried over). Undefined when the endpoint lacks UploadPartCopy, so the caller streams.
     */
    async copyFrom(source, key, destinationKey, options = {}) {
        if (!(source instanceof S3ObjectStore) || source.copyScope !== this.copyScope)
            return undefined;
        const sourceKey = (0,object_store/* safeRelativeKey */.pv)(source.root, key);
        const fullKey = (0,object_store/* safeRelativeKey */.pv)(this.root, destinationKey);
        const size = options.size ?? (await source.stat(key, options))?.size;
        if (size === undefined)
            return undefined;
        if (size > this.copyObjectLimit) {
            const head = await source.stat(key, options);
            if (!head)
                return undefined;
            const copied = await this.call('write', destinationKey, () => 
            // An S3-compatible endpoint without UploadPartCopy answers 501: the caller streams.
            copyInParts(this.client, {
                Bucket: this.bucket,
                Key: fullKey,
                ...(head.contentType && { ContentType: head.contentType }),
                ...(head.metadata && { Metadata: head.metadata }),
            }, { bucket: source.bucket, key: sourceKey }, head.size, { partSize: this.copyPartSize, concurrency: this.queueSize, abortSignal: options.abortSignal }), options.abortSignal).catch((error) => {
                if (error instanceof object_store/* ObjectStoreError */.RT && error.status === 501)
                    return undefined;
                throw error;
            });
            return copied && this.stat(destinationKey, options);
        }
        await this.call('write', destinationKey, () => this.client.send(new dist_cjs/* CopyObjectCommand */.s9Z({
            Bucket: this.bucket,
            Key: fullKey,
            CopySource: copySourceOf(source.bucket, sourceKey),
            MetadataDirective: 'COPY',
        }), { abortSignal: options.abortSignal }), options.abortSignal);
        return this.stat(destinationKey, options);
    }
    /** Releases the client's sockets. */
    destroy() {
        this.client.destroy();
        this.directPut.destroy();
    }
    call(operation, key, run, abortSignal) {
        return (0,object_store/* storeCall */.ES)(this.description, operation, key, run, describeS3Failure, abortSignal);
    }
    failure(operation, key, error, abortSignal) {
        return (0,object_store/* toStoreError */.D5)(this.description, operation, key, error, describeS3Failure, abortSignal);
    }
}
function statusOf(error) {
    return error?.$metadata?.httpStatusCode;
}
function partSizeOf(partSizeInBytes) {
    return Math.max(MIN_PART_SIZE, partSizeInBytes ?? MIN_PART_SIZE);
}
/**
 * The MD5 a single-part upload's ETag is: S3 computes it of the bytes it received, except under
 * SSE-KMS or SSE-C, where the ETag is something else.
 */
function etagMd5(put) {
    if (put.SSECustomerAlgorithm || put.ServerSideEncryption?.startsWith('aws:kms'))
        return undefined;
    const etag = put.ETag?.replace(/"/g, '').toLowerCase();
    return etag && /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}
function withEtag(etag) {
    return etag ? { etag } : {};
}
function describeS3Failure(error) {
    const e = error;
    return {
        status: statusOf(error) ?? 0,
        code: (0,object_store/* networkErrorCode */.a0)(error) ?? e.Code ?? e.name,
        serviceMessage: (0,object_store/* errorMessage */.gJ)(error),
        requestId: e.$metadata?.requestId,
    };
}


/***/ })

};

//# sourceMappingURL=776.index.js.map