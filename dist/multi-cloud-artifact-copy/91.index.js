export const id = 91;
export const ids = [91];
export const modules = {

/***/ 40091:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GcsObjectStore: () => (/* binding */ GcsObjectStore)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _google_cloud_storage__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73665);
/* harmony import */ var _object_store__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(29717);
// Google Cloud Storage as an object store, with @google-cloud/storage: paged getFiles, streaming
// reads with the client's hash validation, and writes that are one multipart request for small
// known sizes and a resumable upload otherwise (chunked when a part size is given).




const DEFAULT_RESUMABLE_THRESHOLD = 8 * 1024 * 1024;
/** Resumable chunks must be multiples of 256 KiB. */
const CHUNK_GRANULARITY = 256 * 1024;
class GcsObjectStore {
    kind = 'gcs';
    description;
    storage;
    bucketName;
    root;
    listPageSize;
    resumableThreshold;
    /** Stores with the same scope (endpoint and credentials) can rewrite between them. */
    copyScope;
    constructor(options) {
        this.bucketName = options.bucket;
        this.root = options.prefix ? (0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .safeRelativeKey */ .pv)('', options.prefix.replace(/\/+$/, '')) : '';
        this.description = `gs://${options.bucket}${this.root ? `/${this.root}` : ''}`;
        this.listPageSize = options.listPageSize ?? 1000;
        this.resumableThreshold = options.resumableThresholdInBytes ?? DEFAULT_RESUMABLE_THRESHOLD;
        const principal = options.credentials ?? {};
        this.copyScope = [
            options.apiEndpoint ?? 'https://storage.googleapis.com',
            principal.client_email ?? principal.audience ?? '',
        ].join('|');
        const storageOptions = {
            projectId: options.projectId,
            ...(options.apiEndpoint && { apiEndpoint: options.apiEndpoint }),
            ...(options.credentials && { credentials: options.credentials }),
            ...(options.useAuthWithCustomEndpoint !== undefined && {
                useAuthWithCustomEndpoint: options.useAuthWithCustomEndpoint,
            }),
        };
        this.storage = new _google_cloud_storage__WEBPACK_IMPORTED_MODULE_2__/* .Storage */ .wc(storageOptions);
    }
    async *list(prefix, options = {}) {
        const fullPrefix = (0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .safeListPrefix */ .aw)(this.root, prefix);
        const bucket = this.storage.bucket(this.bucketName);
        let pageToken;
        do {
            options.abortSignal?.throwIfAborted();
            const [files, nextQuery] = await this.call('list', prefix, () => bucket.getFiles({
                autoPaginate: false,
                maxResults: this.listPageSize,
                ...(fullPrefix && { prefix: fullPrefix }),
                ...(pageToken && { pageToken }),
            }), options.abortSignal);
            for (const file of files)
                yield this.toStored((0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .relativeKey */ .AB)(this.root, file.name), file.metadata);
            pageToken = nextQuery?.pageToken;
        } while (pageToken);
    }
    async stat(key, options = {}) {
        const file = this.file(key);
        options.abortSignal?.throwIfAborted();
        try {
            const [metadata] = await file.getMetadata();
            return this.toStored(key, metadata);
        }
        catch (error) {
            if (statusOf(error) === 404)
                return undefined;
            throw this.failure('stat', key, error, options.abortSignal);
        }
    }
    async openRead(key, options = {}) {
        const file = this.file(key);
        options.abortSignal?.throwIfAborted();
        const stream = file.createReadStream();
        const onAbort = () => stream.destroy(options.abortSignal?.reason);
        options.abortSignal?.addEventListener('abort', onAbort, { once: true });
        stream.once('close', () => options.abortSignal?.removeEventListener('abort', onAbort));
        // Settle on the response, so a missing object rejects here rather than mid-read. The client
        // sends the request on the first read; read(0) starts it without taking any data.
        await new Promise((resolve, reject) => {
            const onError = (error) => reject(this.failure('read', key, error, options.abortSignal));
            stream.once('error', onError);
            stream.once('response', (response) => {
                // An error status is followed by an 'error' event with the service's message.
                if ((response.statusCode ?? 0) >= 300)
                    return;
                stream.off('error', onError);
                resolve();
            });
            stream.read(0);
        });
        return stream;
    }
    async write(key, body, options = {}) {
        const file = this.file(key);
        const resumable = options.size === undefined || options.size > this.resumableThreshold;
        const chunkSize = resumable && options.partSizeInBytes
            ? Math.max(CHUNK_GRANULARITY, Math.floor(options.partSizeInBytes / CHUNK_GRANULARITY) * CHUNK_GRANULARITY)
            : undefined;
        let size = 0;
        const counting = new node_stream__WEBPACK_IMPORTED_MODULE_0__.Transform({
            transform(chunk, _encoding, done) {
                size += chunk.length;
                done(null, chunk);
            },
        });
        const destination = file.createWriteStream({
            resumable,
            validation: 'crc32c',
            ...(chunkSize && { chunkSize }),
            ...(options.contentType && { contentType: options.contentType }),
            ...(options.metadata && { metadata: { metadata: options.metadata } }),
        });
        try {
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_1__.pipeline)(body, counting, destination, { signal: options.abortSignal });
        }
        catch (error) {
            throw this.failure('write', key, error, options.abortSignal);
        }
        const stored = this.toStored(key, file.metadata);
        return { ...stored, size: stored.size || size };
    }
    async delete(key, options = {}) {
        const file = this.file(key);
        options.abortSignal?.throwIfAborted();
        await this.call('delete', key, () => file.delete({ ignoreNotFound: true }), options.abortSignal);
    }
    /**
     * A rewrite (the client's copy, repeated until done) when `source` is a GCS store on the same
     * endpoint with the same credentials; metadata and content type are kept.
     */
    async copyFrom(source, key, destinationKey, options = {}) {
        if (!(source instanceof GcsObjectStore) || source.copyScope !== this.copyScope)
            return undefined;
        options.abortSignal?.throwIfAborted();
        const from = source.file(key);
        const to = this.file(destinationKey);
        await this.call('write', destinationKey, () => from.copy(to), options.abortSignal);
        return this.stat(destinationKey, options);
    }
    file(key) {
        return this.storage.bucket(this.bucketName).file((0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .safeRelativeKey */ .pv)(this.root, key));
    }
    toStored(key, metadata) {
        const custom = metadata.metadata
            ? Object.fromEntries(Object.entries(metadata.metadata).flatMap(([k, v]) => v === null || v === undefined ? [] : [[k, String(v)]]))
            : undefined;
        return {
            key,
            size: Number(metadata.size ?? 0),
            ...(metadata.md5Hash && { md5: Buffer.from(metadata.md5Hash, 'base64').toString('hex') }),
            ...(metadata.crc32c && { crc32c: metadata.crc32c }),
            ...(metadata.etag && { etag: metadata.etag }),
            ...(metadata.contentType && { contentType: metadata.contentType }),
            ...(custom && Object.keys(custom).length > 0 && { metadata: custom }),
        };
    }
    call(operation, key, run, abortSignal) {
        return (0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .storeCall */ .ES)(this.description, operation, key, run, describeGcsFailure, abortSignal);
    }
    failure(operation, key, error, abortSignal) {
        return (0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .toStoreError */ .D5)(this.description, operation, key, error, describeGcsFailure, abortSignal);
    }
}
function statusOf(error) {
    const code = error?.code;
    return typeof code === 'number' && code >= 100 ? code : undefined;
}
function stringCode(error) {
    const code = error?.code;
    return typeof code === 'string' ? code : undefined;
}
function describeGcsFailure(error) {
    const reason = error.errors?.[0]?.reason;
    return {
        status: statusOf(error) ?? 0,
        code: (0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .networkErrorCode */ .a0)(error) ?? reason ?? stringCode(error),
        serviceMessage: (0,_object_store__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(error),
    };
}


/***/ })

};

//# sourceMappingURL=91.index.js.map