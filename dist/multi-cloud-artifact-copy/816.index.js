export const id = 816;
export const ids = [816];
export const modules = {

/***/ 43816:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  API_VERSIONS: () => (/* reexport */ API_VERSIONS),
  ASSET_TYPES: () => (/* reexport */ ASSET_TYPES),
  AUTH_METHODS: () => (/* reexport */ auth_methods/* AUTH_METHODS */.M),
  AUTH_MODES: () => (/* reexport */ AUTH_MODES),
  ArmRestClient: () => (/* reexport */ ArmRestClient),
  AssetVersions: () => (/* reexport */ AssetVersions),
  AzureRequestError: () => (/* reexport */ errors/* AzureRequestError */.ZQ),
  BEST_CHILD_TAG: () => (/* reexport */ BEST_CHILD_TAG),
  BatchEndpoints: () => (/* reexport */ BatchEndpoints),
  CLOUD_NAMES: () => (/* reexport */ CLOUD_NAMES),
  CONTENT_HASH_PROPERTY: () => (/* reexport */ CONTENT_HASH_PROPERTY),
  CONTENT_HASH_VERSION_PROPERTY: () => (/* reexport */ CONTENT_HASH_VERSION_PROPERTY),
  CodeAssets: () => (/* reexport */ CodeAssets),
  ConfigurationError: () => (/* reexport */ errors/* ConfigurationError */.j1),
  DEFAULT_ARTIFACTS_OUTPUT: () => (/* reexport */ DEFAULT_ARTIFACTS_OUTPUT),
  DEFAULT_CONFIG_FILES: () => (/* reexport */ DEFAULT_CONFIG_FILES),
  DEFAULT_DATASTORE: () => (/* reexport */ DEFAULT_DATASTORE),
  DEFAULT_LRO_TIMEOUT_IN_MS: () => (/* reexport */ DEFAULT_LRO_TIMEOUT_IN_MS),
  DEFAULT_MAX_CONSECUTIVE_POLL_ERRORS: () => (/* reexport */ DEFAULT_MAX_CONSECUTIVE_POLL_ERRORS),
  DEFAULT_OIDC_AUDIENCE: () => (/* reexport */ DEFAULT_OIDC_AUDIENCE),
  DEFAULT_POLL_INTERVAL_IN_MS: () => (/* reexport */ DEFAULT_POLL_INTERVAL_IN_MS),
  DEFAULT_POLL_SCHEDULE: () => (/* reexport */ DEFAULT_POLL_SCHEDULE),
  DEFAULT_TAIL_LINES: () => (/* reexport */ DEFAULT_TAIL_LINES),
  DataPlaneClients: () => (/* reexport */ DataPlaneClients),
  DatastoreBlobs: () => (/* reexport */ DatastoreBlobs),
  DatastoreClient: () => (/* reexport */ DatastoreClient),
  ENTRA_SCORING_SCOPE: () => (/* reexport */ ENTRA_SCORING_SCOPE),
  Field: () => (/* reexport */ Field),
  GitHubIdTokenError: () => (/* reexport */ github_oidc/* GitHubIdTokenError */.My),
  ID_TOKEN_REQUEST_TOKEN: () => (/* reexport */ github_oidc/* ID_TOKEN_REQUEST_TOKEN */.gu),
  ID_TOKEN_REQUEST_URL: () => (/* reexport */ github_oidc/* ID_TOKEN_REQUEST_URL */.mr),
  IMPORT_FOLDER: () => (/* reexport */ IMPORT_FOLDER),
  INPUT_PROPERTY_PREFIX: () => (/* reexport */ INPUT_PROPERTY_PREFIX),
  InvokeError: () => (/* reexport */ InvokeError),
  JobClient: () => (/* reexport */ JobClient),
  JobWaitAbortedError: () => (/* reexport */ JobWaitAbortedError),
  LISTING_HASH_VERSION: () => (/* reexport */ LISTING_HASH_VERSION),
  LOCAL_UPLOAD_FOLDER: () => (/* reexport */ LOCAL_UPLOAD_FOLDER),
  LogStreamer: () => (/* reexport */ LogStreamer),
  METRIC_PROPERTY_PREFIX: () => (/* reexport */ METRIC_PROPERTY_PREFIX),
  MODEL_TYPES: () => (/* reexport */ MODEL_TYPES),
  MlflowClient: () => (/* reexport */ MlflowClient),
  ModelStore: () => (/* reexport */ ModelStore),
  OnlineEndpoints: () => (/* reexport */ OnlineEndpoints),
  OperationFailedError: () => (/* reexport */ OperationFailedError),
  OperationTimeoutError: () => (/* reexport */ OperationTimeoutError),
  PARAMETER_PROPERTY_PREFIX: () => (/* reexport */ PARAMETER_PROPERTY_PREFIX),
  PARENT_RUN_TAG: () => (/* reexport */ PARENT_RUN_TAG),
  PROVIDER: () => (/* reexport */ PROVIDER),
  PollSchedule: () => (/* reexport */ PollSchedule),
  PollWake: () => (/* reexport */ PollWake),
  RunHistoryClient: () => (/* reexport */ RunHistoryClient),
  SNAPSHOT_HASH_VERSION: () => (/* reexport */ SNAPSHOT_HASH_VERSION),
  SOURCE_PROPERTY: () => (/* reexport */ SOURCE_PROPERTY),
  STAGE_TAG: () => (/* reexport */ STAGE_TAG),
  STEP_TAG: () => (/* reexport */ STEP_TAG),
  TERMINAL_JOB_STATUSES: () => (/* reexport */ TERMINAL_JOB_STATUSES),
  TRAINING_JOB_TAG: () => (/* reexport */ TRAINING_JOB_TAG),
  TRIAL_TAG: () => (/* reexport */ TRIAL_TAG),
  UPLOAD_COMPLETED: () => (/* reexport */ UPLOAD_COMPLETED),
  USER_AGENT_PREFIX: () => (/* reexport */ USER_AGENT_PREFIX),
  WORKSPACE_INPUT_NAMES: () => (/* reexport */ WORKSPACE_INPUT_NAMES),
  WorkspaceReferences: () => (/* reexport */ WorkspaceReferences),
  YamlSource: () => (/* reexport */ YamlSource),
  aggregateHistory: () => (/* reexport */ aggregateHistory),
  anonymousComponent: () => (/* reexport */ anonymousComponent),
  anonymousEnvironment: () => (/* reexport */ anonymousEnvironment),
  armRequestUrl: () => (/* reexport */ armRequestUrl),
  assetArmId: () => (/* reexport */ assetArmId),
  azureRequestErrorFromResponse: () => (/* reexport */ azureRequestErrorFromResponse),
  azureStatusOfMlflowRun: () => (/* reexport */ azureStatusOfMlflowRun),
  bestChildRunId: () => (/* reexport */ bestChildRunId),
  blobPrefix: () => (/* reexport */ blobPrefix),
  blobServiceUrl: () => (/* reexport */ blobServiceUrl),
  buildModelLineage: () => (/* reexport */ buildModelLineage),
  checkLabel: () => (/* reexport */ checkLabel),
  checkModelLayout: () => (/* reexport */ checkModelLayout),
  checkResourceGroupName: () => (/* reexport */ checkResourceGroupName),
  checkResourceName: () => (/* reexport */ checkResourceName),
  checkSecretInput: () => (/* reexport */ checkSecretInput),
  checkSubscriptionId: () => (/* reexport */ checkSubscriptionId),
  checkTraffic: () => (/* reexport */ checkTraffic),
  checkVersion: () => (/* reexport */ checkVersion),
  checkWorkspaceName: () => (/* reexport */ checkWorkspaceName),
  classifyState: () => (/* reexport */ classifyState),
  closestMatch: () => (/* reexport */ closest_match/* closestMatch */.h),
  codeNameFor: () => (/* reexport */ codeNameFor),
  codeUriPath: () => (/* reexport */ codeUriPath),
  computeArmId: () => (/* reexport */ computeArmId),
  connectCredential: () => (/* reexport */ connectCredential),
  connectDataPlane: () => (/* reexport */ connectDataPlane),
  connectWorkspace: () => (/* reexport */ connectWorkspace),
  createArmClients: () => (/* reexport */ createArmClients),
  createGitHubIdTokenRequester: () => (/* reexport */ github_oidc/* createGitHubIdTokenRequester */.Kv),
  createIdTokenProvider: () => (/* reexport */ createIdTokenProvider),
  datastoreArmId: () => (/* reexport */ datastoreArmId),
  describeModelSource: () => (/* reexport */ describeModelSource),
  describeSource: () => (/* reexport */ describeSource),
  describeThreshold: () => (/* reexport */ describeThreshold),
  discoverWorkspaceServices: () => (/* reexport */ discoverWorkspaceServices),
  evaluateRules: () => (/* reexport */ evaluateRules),
  findJsonSyntaxError: () => (/* reexport */ findJsonSyntaxError),
  findJsonSyntaxErrorOffset: () => (/* reexport */ json_error/* findJsonSyntaxErrorOffset */._C),
  findModelVersion: () => (/* reexport */ findModelVersion),
  formatArmId: () => (/* reexport */ formatArmId),
  formatAzureMlReference: () => (/* reexport */ formatAzureMlReference),
  formatBytes: () => (/* reexport */ formatBytes),
  formatLocation: () => (/* reexport */ errors/* formatLocation */.j$),
  formatTraffic: () => (/* reexport */ formatTraffic),
  inputLineage: () => (/* reexport */ inputLineage),
  invokeEndpoint: () => (/* reexport */ invokeEndpoint),
  isAssetType: () => (/* reexport */ isAssetType),
  isConfigurationError: () => (/* reexport */ errors/* isConfigurationError */.p0),
  isErrorPayload: () => (/* reexport */ isErrorPayload),
  isGitHubOidcAvailable: () => (/* reexport */ github_oidc/* isGitHubOidcAvailable */.qX),
  isTerminalJobStatus: () => (/* reexport */ isTerminalJobStatus),
  isTransientError: () => (/* reexport */ isTransientError),
  isoMilliseconds: () => (/* reexport */ isoMilliseconds),
  jobArmId: () => (/* reexport */ jobArmId),
  jwtExpiryInMs: () => (/* reexport */ jwtExpiryInMs),
  latestMetrics: () => (/* reexport */ latestMetrics),
  lineAndColumn: () => (/* reexport */ lineAndColumn),
  listChildJobs: () => (/* reexport */ listChildJobs),
  listSnapshotFiles: () => (/* reexport */ listSnapshotFiles),
  listingHash: () => (/* reexport */ listingHash),
  locateJsonSyntaxError: () => (/* reexport */ json_error/* locateJsonSyntaxError */.e),
  looksLikeArmId: () => (/* reexport */ looksLikeArmId),
  looksLikeUnevaluatedExpression: () => (/* reexport */ looksLikeUnevaluatedExpression),
  metricsOfModelVersion: () => (/* reexport */ metricsOfModelVersion),
  missingIdTokenPermissionError: () => (/* reexport */ github_oidc/* missingIdTokenPermissionError */.Y4),
  mlflowTrackingUriToHttps: () => (/* reexport */ mlflowTrackingUriToHttps),
  modelRefOfDeployment: () => (/* reexport */ modelRefOfDeployment),
  modelVersionMetrics: () => (/* reexport */ modelVersionMetrics),
  nextFreeVersion: () => (/* reexport */ nextFreeVersion),
  nextPollDelay: () => (/* reexport */ nextPollDelay),
  normalizeJson: () => (/* reexport */ normalizeJson),
  normalizeTraffic: () => (/* reexport */ normalizeTraffic),
  onlineDeploymentArmId: () => (/* reexport */ onlineDeploymentArmId),
  onlineEndpointArmId: () => (/* reexport */ onlineEndpointArmId),
  orderedLogFiles: () => (/* reexport */ orderedLogFiles),
  parentRunFilter: () => (/* reexport */ parentRunFilter),
  parseArmErrorBody: () => (/* reexport */ parseArmErrorBody),
  parseArmId: () => (/* reexport */ parseArmId),
  parseAuthMethod: () => (/* reexport */ auth_methods/* parseAuthMethod */.p),
  parseAzureMlReference: () => (/* reexport */ parseAzureMlReference),
  parseCanarySteps: () => (/* reexport */ parseCanarySteps),
  parseCloudName: () => (/* reexport */ parseCloudName),
  parseCredsJson: () => (/* reexport */ parseCredsJson),
  parseMetricsCsv: () => (/* reexport */ parseMetricsCsv),
  parseMetricsJson: () => (/* reexport */ parseMetricsJson),
  parseMlflowMetricHistory: () => (/* reexport */ parseMlflowMetricHistory),
  parseModelRef: () => (/* reexport */ parseModelRef),
  parseModelSource: () => (/* reexport */ parseModelSource),
  parseRetryAfter: () => (/* reexport */ parseRetryAfter),
  parseRules: () => (/* reexport */ parseRules),
  parseSetOverrides: () => (/* reexport */ parseSetOverrides),
  percentile: () => (/* reexport */ percentile),
  placeInRegistry: () => (/* reexport */ placeInRegistry),
  placeInWorkspace: () => (/* reexport */ placeInWorkspace),
  planVersion: () => (/* reexport */ planVersion),
  positionAt: () => (/* reexport */ json_error/* positionAt */.t$),
  readBatchDeploymentYaml: () => (/* reexport */ readBatchDeploymentYaml),
  readDeploymentYaml: () => (/* reexport */ readDeploymentYaml),
  readEndpointYaml: () => (/* reexport */ readEndpointYaml),
  readIgnoreFile: () => (/* reexport */ readIgnoreFile),
  readJobMetrics: () => (/* reexport */ readJobMetrics),
  readMetricsFile: () => (/* reexport */ readMetricsFile),
  readMlflowMetricsFolder: () => (/* reexport */ readMlflowMetricsFolder),
  redactUrl: () => (/* reexport */ redactUrl),
  registerModel: () => (/* reexport */ registerModel),
  registryArmId: () => (/* reexport */ registryArmId),
  registryAssetArmId: () => (/* reexport */ registryAssetArmId),
  requestGitHubIdToken: () => (/* reexport */ github_oidc/* requestGitHubIdToken */.zl),
  resolveChampion: () => (/* reexport */ resolveChampion),
  resolveCloud: () => (/* reexport */ resolveCloud),
  resolveCredential: () => (/* reexport */ resolveCredential),
  resolveModelContent: () => (/* reexport */ resolveModelContent),
  resolveWorkspace: () => (/* reexport */ resolveWorkspace),
  retryAfterInMs: () => (/* reexport */ retryAfterInMs),
  runHealthGate: () => (/* reexport */ runHealthGate),
  runPool: () => (/* reexport */ runPool),
  runTag: () => (/* reexport */ runTag),
  sameContent: () => (/* reexport */ sameContent),
  sameTraffic: () => (/* reexport */ sameTraffic),
  scoringAuthOf: () => (/* reexport */ scoringAuthOf),
  scoringCredential: () => (/* reexport */ scoringCredential),
  shiftTraffic: () => (/* reexport */ shiftTraffic),
  shortAssetReference: () => (/* reexport */ shortAssetReference),
  snapshotHash: () => (/* reexport */ snapshotHash),
  sortForHash: () => (/* reexport */ sortForHash),
  splitContainerUrl: () => (/* reexport */ splitContainerUrl),
  suggestModel: () => (/* reexport */ suggestModel),
  tlsSettingsFor: () => (/* reexport */ connection/* tlsSettingsFor */.U),
  toAzureRequestError: () => (/* reexport */ toAzureRequestError),
  toMetricNumber: () => (/* reexport */ toMetricNumber),
  toResponse: () => (/* reexport */ toResponse),
  topDeployment: () => (/* reexport */ topDeployment),
  totalTraffic: () => (/* reexport */ totalTraffic),
  trainingJobOf: () => (/* reexport */ trainingJobOf),
  translateJobYaml: () => (/* reexport */ translateJobYaml),
  waitForArmOperation: () => (/* reexport */ waitForArmOperation),
  waitForJob: () => (/* reexport */ waitForJob),
  withAzureErrors: () => (/* reexport */ withAzureErrors),
  workspaceArmId: () => (/* reexport */ workspaceArmId),
  writableDeployment: () => (/* reexport */ writableDeployment),
  writableEndpoint: () => (/* reexport */ writableEndpoint),
  writableIdentity: () => (/* reexport */ writableIdentity)
});

;// CONCATENATED MODULE: ./packages/core/src/arm/api-versions.ts
// The one table of ARM api-versions, by operation family. Everything that @azure/arm-machinelearning
// 2.1.1 covers goes through the SDK at its 2022-10-01; the rest goes through ArmRestClient at the
// newer stable 2025-12-01, which is a superset for the shapes we send. The emulator serves exactly
// these versions, so a change here is a change to what the emulator must accept.
const API_VERSIONS = {
    /** Workspaces, computes, datastores, asset containers/versions, endpoints, deployments, keys, logs. */
    sdk: '2022-10-01',
    /** Jobs: `queueSettings` (command, sweep) and `notificationSetting` are missing from 2022-10-01. */
    jobs: '2025-12-01',
    /** Model versions with `stage` (register-model sets and moves it): missing from 2022-10-01. */
    models: '2025-12-01',
    /** Registries and registry-scoped assets do not exist in 2022-10-01. */
    registries: '2025-12-01',
    /** Code/model/data `startPendingUpload` (blob SAS for uploads) is missing from 2022-10-01. */
    pendingUploads: '2025-12-01',
    /**
     * Code version list by content hash (`?hash=&hashVersion=202208`): the filter is missing from
     * 2022-10-01, which would list only the named container (recorded at 2023-04-01).
     */
    codeHashLookup: '2025-12-01',
    /**
     * Online and batch endpoints and deployments: `mirrorTraffic` (shadow traffic) on endpoints and
     * `dataCollector` on deployments are missing from 2022-10-01.
     */
    endpoints: '2025-12-01',
};

// EXTERNAL MODULE: ./node_modules/@azure/arm-machinelearning/dist/index.js
var dist = __webpack_require__(34789);
// EXTERNAL MODULE: ./packages/core/src/auth/connection.ts
var connection = __webpack_require__(28442);
// EXTERNAL MODULE: ./node_modules/@azure/core-rest-pipeline/dist/esm/index.js + 79 modules
var esm = __webpack_require__(96964);
// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(37638);
;// CONCATENATED MODULE: ./packages/core/src/arm/errors.ts
// One error type for every ARM call: the SDK's RestError and our own REST client's non-2xx answers
// both become AzureRequestError with the ARM error code, message and request ids.


/** `{"error": {"code", "message", "details"}}` (ARM), or a bare `{"code", "message"}` (some RPs). */
function parseArmErrorBody(text) {
    if (!text?.trim())
        return {};
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        // HTML from a gateway, or plain text: keep a bounded excerpt as the message.
        return { message: truncate(text.trim(), 300) };
    }
    if (typeof parsed !== 'object' || parsed === null)
        return {};
    const envelope = parsed;
    const error = (typeof envelope.error === 'object' && envelope.error !== null ? envelope.error : parsed);
    const result = {};
    if (typeof error.code === 'string')
        result.code = error.code;
    let message = typeof error.message === 'string' ? error.message : undefined;
    // Validation errors put the specifics (which property) in details.
    const details = Array.isArray(error.details) ? error.details : [];
    const extra = details
        .map((detail) => typeof detail?.message === 'string'
        ? `${typeof detail.code === 'string' ? `${detail.code}: ` : ''}${detail.message}`
        : undefined)
        .filter((text) => text !== undefined && text !== message);
    if (extra.length > 0)
        message = [message, ...extra].filter(Boolean).join('; ');
    if (message !== undefined)
        result.message = message;
    return result;
}
function azureRequestErrorFromResponse(method, url, response, cause) {
    const body = parseArmErrorBody(response.bodyAsText);
    return new errors/* AzureRequestError */.ZQ({
        method,
        url: redactUrl(url),
        status: response.status,
        code: body.code,
        serviceMessage: body.message,
        requestId: response.headers.get('x-ms-request-id') ?? response.headers.get('x-request-id'),
        correlationId: response.headers.get('x-ms-correlation-request-id'),
        cause,
    });
}
/**
 * The SDK's RestError (or anything else) as AzureRequestError when it carries an HTTP answer;
 * other errors (network, abort) are returned unchanged. Use as `catch (e) { throw toAzureRequestError(e) }`.
 */
function toAzureRequestError(error) {
    if (error instanceof errors/* AzureRequestError */.ZQ || !(0,esm/* isRestError */.T0)(error))
        return error;
    const method = error.request?.method ?? 'REQUEST';
    const url = error.request?.url ?? '';
    if (error.response)
        return azureRequestErrorFromResponse(method, url, error.response, error);
    if (error.statusCode === undefined)
        return error;
    return new errors/* AzureRequestError */.ZQ({
        method,
        url: redactUrl(url),
        status: error.statusCode,
        code: error.code,
        serviceMessage: error.message,
        cause: error,
    });
}
/** Runs `operation`, converting what it throws with toAzureRequestError. */
async function withAzureErrors(operation) {
    try {
        return await operation();
    }
    catch (error) {
        throw toAzureRequestError(error);
    }
}
/** The URL with every query value but `api-version` hidden (nextLinks and SAS-like URLs carry tokens). */
function redactUrl(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return url.split('?')[0] ?? url;
    }
    const names = [...new Set(parsed.searchParams.keys())];
    for (const name of names) {
        if (name.toLowerCase() !== 'api-version')
            parsed.searchParams.set(name, 'REDACTED');
    }
    return parsed.toString();
}
function truncate(text, max) {
    return text.length <= max ? text : `${text.slice(0, max)}…`;
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(58500);
;// CONCATENATED MODULE: ./packages/core/src/arm/lro.ts
// Waiting on ARM long-running operations, the way ARM and @azure/core-lro define them:
// - `Azure-AsyncOperation` (or `Operation-Location`): poll it; its `status` is InProgress,
//   Updating, … until Succeeded, Failed or Canceled; then read the result from the original URL
//   (PUT/PATCH), from `Location` (POST), or nothing (DELETE).
// - only `Location`: poll it; 202 means not yet, 200/201/204 is the end and carries the result.
// - neither: a resource whose `properties.provisioningState` is not terminal is polled at its URL.
// Between polls wait `Retry-After` (seconds or an HTTP date) when given, else `pollIntervalInMs`.



const DEFAULT_POLL_INTERVAL_IN_MS = 5_000;
const DEFAULT_LRO_TIMEOUT_IN_MS = 60 * 60_000;
/** An operation that ended Failed or Canceled; `status` is the HTTP status of the poll that said so. */
class OperationFailedError extends errors/* AzureRequestError */.ZQ {
    operationStatus;
    constructor(details) {
        super(details);
        this.operationStatus = details.operationStatus;
        const code = details.code ? `: ${details.code}` : '';
        const text = details.serviceMessage ? `: ${details.serviceMessage}` : '';
        const id = details.requestId ? ` (request id ${details.requestId})` : '';
        this.message = `${details.method} ${details.url}: the operation ended ${details.operationStatus}${code}${text}${id}`;
    }
}
class OperationTimeoutError extends Error {
    name = 'OperationTimeoutError';
    lastStatus;
    timeoutInMs;
    constructor(method, url, lastStatus, timeoutInMs) {
        super(`${method} ${redactUrl(url)}: the operation was still ${lastStatus} after ${Math.round(timeoutInMs / 1000)} s`);
        this.lastStatus = lastStatus;
        this.timeoutInMs = timeoutInMs;
    }
}
async function waitForArmOperation(client, initial, options = {}) {
    const now = options.now ?? Date.now;
    const pollIntervalInMs = options.pollIntervalInMs ?? DEFAULT_POLL_INTERVAL_IN_MS;
    const timeoutInMs = options.timeoutInMs ?? DEFAULT_LRO_TIMEOUT_IN_MS;
    const deadline = now() + timeoutInMs;
    const operationUrl = initial.headers['azure-asyncoperation'] ?? initial.headers['operation-location'];
    const locationUrl = initial.headers.location;
    const get = (path) => client.request({
        method: 'GET',
        path,
        apiVersion: initial.apiVersion,
        abortSignal: options.abortSignal,
    });
    // Polls `url` until `classify` says it ended; returns the last answer.
    const poll = async (url, classify, first) => {
        let previous = first;
        let lastStatus = 'InProgress';
        for (;;) {
            const remaining = deadline - now();
            if (remaining <= 0)
                throw new OperationTimeoutError(initial.method, initial.url, lastStatus, timeoutInMs);
            const delay = Math.min(retryAfterInMs(previous.headers, now()) ?? pollIntervalInMs, remaining);
            await (0,promises_.setTimeout)(delay, undefined, options.abortSignal ? { signal: options.abortSignal } : {});
            const response = await get(url);
            const outcome = classify(response);
            if (outcome.state === 'succeeded')
                return response;
            if (outcome.state === 'failed')
                throw operationFailed(initial, response, outcome.status);
            lastStatus = outcome.status;
            options.onPoll?.(outcome.status);
            previous = response;
        }
    };
    if (operationUrl) {
        await poll(operationUrl, classifyOperationStatus, initial);
        if (initial.method === 'DELETE')
            return { body: undefined, response: initial };
        const resultUrl = initial.method === 'POST' ? locationUrl : initial.url;
        if (!resultUrl)
            return { body: undefined, response: initial };
        const final = await get(resultUrl);
        return { body: final.body, response: final };
    }
    if (locationUrl && initial.status === 202) {
        const final = await poll(locationUrl, (response) => response.status === 202 ? { state: 'running', status: 'Accepted' } : { state: 'succeeded' }, initial);
        return { body: (final.status === 204 ? undefined : final.body), response: final };
    }
    const state = provisioningState(initial.body);
    if (initial.method !== 'DELETE' && state !== undefined && classifyState(state).state === 'running') {
        const final = await poll(initial.url, (response) => classifyState(provisioningState(response.body) ?? 'Succeeded'), initial);
        return { body: final.body, response: final };
    }
    if (state !== undefined) {
        const outcome = classifyState(state);
        if (outcome.state === 'failed')
            throw operationFailed(initial, initial, outcome.status);
    }
    // Not long-running after all: the first answer is the result.
    return { body: (initial.status === 204 ? undefined : initial.body), response: initial };
}
function classifyOperationStatus(response) {
    const status = response.body?.status;
    if (typeof status !== 'string' || status === '') {
        // Without a status the operation can never be seen to end: fail now rather than at the timeout.
        throw new errors/* AzureRequestError */.ZQ({
            method: 'GET',
            url: redactUrl(response.url),
            status: response.status,
            serviceMessage: 'the operation status resource has no "status"',
            requestId: response.headers['x-ms-request-id'],
            correlationId: response.headers['x-ms-correlation-request-id'],
        });
    }
    return classifyState(status);
}
/** Terminal states per ARM; anything else (InProgress, Updating, Creating, Deleting, …) runs on. */
function classifyState(status) {
    switch (status.toLowerCase()) {
        case 'succeeded':
            return { state: 'succeeded' };
        case 'failed':
        case 'canceled':
        case 'cancelled':
            return { state: 'failed', status };
        default:
            return { state: 'running', status };
    }
}
function provisioningState(body) {
    const state = body?.properties
        ?.provisioningState;
    return typeof state === 'string' ? state : undefined;
}
function operationFailed(initial, response, operationStatus) {
    // The operation resource carries `error` like an ARM error body; a resource may carry it in properties.
    const body = response.body;
    const error = body?.error ?? body?.properties?.error;
    const parsed = error === undefined ? {} : parseArmErrorBody(JSON.stringify({ error }));
    return new OperationFailedError({
        method: initial.method,
        url: redactUrl(initial.url),
        status: response.status,
        code: parsed.code,
        serviceMessage: parsed.message,
        requestId: response.headers['x-ms-request-id'],
        correlationId: response.headers['x-ms-correlation-request-id'],
        operationStatus,
    });
}
/** Delay asked for by `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date). */
function retryAfterInMs(headers, nowMs) {
    for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
        const value = headers[name];
        if (value !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(value))
            return Number(value);
    }
    return parseRetryAfter(headers['retry-after'], nowMs);
}
function parseRetryAfter(value, nowMs) {
    if (value === undefined || value.trim() === '')
        return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(value))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/arm/rest.ts
// ARM calls the SDK does not cover, sent through a core-rest-pipeline Pipeline like the SDK's own:
// retry (exponential, and throttling that honours Retry-After), user agent, TLS settings, and a
// bearer token for the cloud's ARM scope from the same credential. Azure ML's data-plane services
// (MLflow tracking, run history) accept the same ARM token: build one client per such origin.




const USER_AGENT_PREFIX = 'aml-actions';
class ArmRestClient {
    endpoint;
    origin;
    pipeline;
    httpClient;
    abortSignal;
    constructor(options) {
        this.endpoint = options.endpoint.replace(/\/+$/, '');
        this.origin = new URL(this.endpoint).origin;
        const tlsOptions = (0,connection/* tlsSettingsFor */.U)(options.caCertificates, options.env ?? process.env);
        this.pipeline = (0,esm/* createPipelineFromOptions */.Fp)({
            ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
            ...(tlsOptions ? { tlsOptions } : {}),
            userAgentOptions: { userAgentPrefix: USER_AGENT_PREFIX },
        });
        // Same place core-client puts it: outside the retry policy, so retries reuse the token.
        this.pipeline.addPolicy((0,esm/* bearerTokenAuthenticationPolicy */.N$)({ credential: options.credential, scopes: options.scope }));
        this.httpClient = options.httpClient ?? (0,esm/* createDefaultHttpClient */.fl)();
        this.abortSignal = options.abortSignal;
    }
    /** Sends one request; a non-2xx answer (after retries) throws AzureRequestError. */
    async request(request) {
        const url = this.urlFor(request.path, request.apiVersion, request.query);
        const headers = (0,esm/* createHttpHeaders */.Nc)({ Accept: 'application/json', ...request.headers });
        const hasBody = request.body !== undefined;
        if (hasBody)
            headers.set('Content-Type', 'application/json');
        const abortSignal = combineSignals(this.abortSignal, request.abortSignal);
        const pipelineRequest = (0,esm/* createPipelineRequest */.G6)({
            url,
            method: request.method,
            headers,
            ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
            ...(abortSignal ? { abortSignal } : {}),
        });
        const response = await this.pipeline.sendRequest(this.httpClient, pipelineRequest);
        if (response.status < 200 || response.status >= 300) {
            throw azureRequestErrorFromResponse(request.method, url, response);
        }
        return {
            method: request.method,
            url,
            apiVersion: request.apiVersion,
            status: response.status,
            headers: response.headers.toJSON(),
            body: parseBody(response.bodyAsText),
        };
    }
    /** Every item of an ARM list, following `nextLink` page by page. */
    async *list(path, apiVersion, options = {}) {
        let next = path;
        let query = options.query;
        const seen = new Set();
        while (next) {
            const page = await this.request({
                method: 'GET',
                path: next,
                apiVersion,
                query,
                abortSignal: options.abortSignal,
            });
            seen.add(page.url);
            for (const item of page.body?.value ?? [])
                yield item;
            next = page.body?.nextLink ?? undefined;
            // The nextLink carries its own query (skip token, api-version).
            query = undefined;
            if (next && seen.has(this.urlFor(next, apiVersion, undefined))) {
                throw new Error(`ARM list ${path} returned a nextLink that was already fetched; stopping.`);
            }
        }
    }
    /** Waits for the long-running operation that `initial` (the first answer) started. */
    waitForOperation(initial, options = {}) {
        return waitForArmOperation(this, initial, {
            ...options,
            abortSignal: combineSignals(this.abortSignal, options.abortSignal),
        });
    }
    /** Sends a request that may start a long-running operation and waits for its end. */
    async requestAndWait(request, options = {}) {
        const initial = await this.request(request);
        return this.waitForOperation(initial, { abortSignal: request.abortSignal, ...options });
    }
    /**
     * Absolute URL for a path or URL, refusing other hosts (the bearer token must stay on this
     * client's endpoint: ARM, or one data-plane origin such as the workspace's MLflow host).
     */
    urlFor(path, apiVersion, query) {
        const absolute = /^https?:\/\//i.test(path);
        const url = new URL(absolute ? path : `${this.endpoint}${path.startsWith('/') ? '' : '/'}${path}`);
        if (url.origin !== this.origin) {
            throw new Error(`Refusing to send an ARM token to ${url.origin}: this client's endpoint is ${this.origin}.`);
        }
        if (apiVersion !== undefined && (!absolute || !url.searchParams.has('api-version'))) {
            url.searchParams.set('api-version', apiVersion);
        }
        for (const [name, value] of Object.entries(query ?? {})) {
            if (value !== undefined)
                url.searchParams.set(name, String(value));
        }
        return url.toString();
    }
}
function parseBody(text) {
    if (text === undefined || text === null || text === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function combineSignals(...signals) {
    const present = signals.filter((signal) => signal !== undefined);
    if (present.length <= 1)
        return present[0];
    return AbortSignal.any(present);
}

;// CONCATENATED MODULE: ./packages/core/src/arm/clients.ts
// The two ARM clients every action uses, built alike: the Azure ML SDK for what it covers and
// ArmRestClient for the rest, with the same credential, ARM endpoint and scope of the cloud,
// retry options, TLS settings and user agent. The SDK sends its own api-version (API_VERSIONS.sdk);
// its `apiVersion` option is not used because its policy rewrites the api-version of every URL,
// polling URLs included.



function createArmClients(options) {
    const { credential, cloud, subscriptionId } = options;
    const tlsOptions = (0,connection/* tlsSettingsFor */.U)(options.caCertificates, options.env ?? process.env);
    const sdk = new dist/* AzureMachineLearningWorkspaces */.FQ(credential, subscriptionId, {
        // The SDK builds URLs from `endpoint`; `$host` is set too so no default points at public Azure.
        endpoint: cloud.armEndpoint,
        $host: cloud.armEndpoint,
        // Explicit: the SDK's default `<endpoint>/.default` is wrong for a custom endpoint with a path.
        credentialScopes: [cloud.armScope],
        userAgentOptions: { userAgentPrefix: USER_AGENT_PREFIX },
        ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
        ...(tlsOptions ? { tlsOptions } : {}),
        ...(options.httpClient ? { httpClient: options.httpClient } : {}),
        ...(options.abortSignal
            ? {
                additionalPolicies: [
                    { policy: abortSignalPolicy(options.abortSignal), position: 'perCall' },
                ],
            }
            : {}),
    });
    const rest = new ArmRestClient({
        credential,
        endpoint: cloud.armEndpoint,
        scope: cloud.armScope,
        retryOptions: options.retryOptions,
        abortSignal: options.abortSignal,
        httpClient: options.httpClient,
        caCertificates: options.caCertificates,
        env: options.env,
    });
    return { sdk, rest };
}
/** Adds a client-wide abort signal to each SDK request, alongside the call's own. */
function abortSignalPolicy(signal) {
    return {
        name: 'amlActionsAbortSignal',
        sendRequest(request, next) {
            const own = request.abortSignal;
            // AbortSignal.any keeps no listener on the long-lived signal; a non-native signal is left as is.
            if (own === undefined)
                request.abortSignal = signal;
            else if (own instanceof AbortSignal)
                request.abortSignal = AbortSignal.any([signal, own]);
            return next(request);
        },
    };
}

;// CONCATENATED MODULE: ./packages/core/src/arm/index.ts






;// CONCATENATED MODULE: ./packages/core/src/workspace/names.ts
// Naming rules of Azure ML and ARM, as pure checks. Each check returns why a value is invalid
// (phrased to follow "… is not a valid <what>: "), or undefined when it is fine.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Describes a character for a message: `' ' (a space)` reads better than `' '`. */
function describeCharacter(char) {
    if (char === ' ')
        return "' ' (a space)";
    if (char === '\t')
        return 'a tab';
    if (char === '\n' || char === '\r')
        return 'a line break';
    return `'${char}'`;
}
function firstInvalidCharacter(value, allowed) {
    for (const char of value) {
        if (!allowed.test(char))
            return char;
    }
    return undefined;
}
function checkName(value, rule) {
    if (value.length === 0)
        return 'it is empty';
    const bad = firstInvalidCharacter(value, rule.allowed);
    if (bad !== undefined)
        return `it contains ${describeCharacter(bad)}; only ${rule.allowedText} are allowed`;
    if (!/^[A-Za-z0-9]/.test(value))
        return 'it must start with a letter or a digit';
    if (value.length > rule.maxLength)
        return `it is ${value.length} characters long; the limit is ${rule.maxLength}`;
    if (rule.minLength !== undefined && value.length < rule.minLength) {
        return `it is ${value.length} characters long; the minimum is ${rule.minLength}`;
    }
    return undefined;
}
const NAME_RULE = {
    allowed: /[A-Za-z0-9._-]/,
    allowedText: "letters, digits, '-', '_' and '.'",
    maxLength: 255,
};
/** Asset, job, compute, datastore, endpoint and registry names: letters, digits, `-`, `_`, `.`; max 255. */
function checkResourceName(value) {
    return checkName(value, NAME_RULE);
}
/** Asset versions and labels share the name alphabet. `latest` is a label, never a version. */
function checkVersion(value) {
    const problem = checkName(value, NAME_RULE);
    if (problem)
        return problem;
    if (value.toLowerCase() === 'latest')
        return "'latest' is a label, not a version";
    return undefined;
}
function checkLabel(value) {
    return checkName(value, NAME_RULE);
}
/** Workspace names: 3–33 letters, digits, `-` and `_`, starting with a letter or digit. */
function checkWorkspaceName(value) {
    return checkName(value, {
        allowed: /[A-Za-z0-9_-]/,
        allowedText: "letters, digits, '-' and '_'",
        maxLength: 33,
        minLength: 3,
    });
}
/** Resource group names (ARM rule): up to 90 letters, digits, `_ - . ( )`, not ending with a period. */
function checkResourceGroupName(value) {
    if (value.length === 0)
        return 'it is empty';
    const bad = firstInvalidCharacter(value, /[\p{L}\p{N}_.()-]/u);
    if (bad !== undefined) {
        return `it contains ${describeCharacter(bad)}; only letters, digits, '_', '-', '.', '(' and ')' are allowed`;
    }
    if (value.length > 90)
        return `it is ${value.length} characters long; the limit is 90`;
    if (value.endsWith('.'))
        return 'it must not end with a period';
    return undefined;
}
/** Subscription ids are GUIDs, e.g. 00000000-1111-2222-3333-444444444444. */
function checkSubscriptionId(value) {
    if (value.length === 0)
        return 'it is empty';
    if (!GUID.test(value))
        return 'it is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)';
    return undefined;
}
/**
 * Subscription segment inside an ARM id. Looser than checkSubscriptionId on purpose: ids that the
 * service or its sanitised recordings hand back (e.g. `00000000-0000-0000-0000-000000000`) must parse.
 */
function checkSubscriptionSegment(value) {
    if (value.length === 0)
        return 'it is empty';
    const bad = firstInvalidCharacter(value, /[A-Za-z0-9_-]/);
    if (bad !== undefined)
        return `it contains ${describeCharacter(bad)}; a subscription id is a GUID`;
    return undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/workspace/arm-id.ts
// ARM resource ids of Azure ML workspaces, registries and what lives in them. Parsing accepts any
// casing of the fixed segments (the service itself answers `resourcegroups` and
// `microsoft.machinelearningservices` at times); formatting always writes the canonical casing.


/** Versioned asset collections, as they appear in ARM ids and `azureml://registries/` URIs. */
const ASSET_TYPES = ['codes', 'components', 'data', 'environments', 'models'];
function isAssetType(value) {
    return ASSET_TYPES.includes(value);
}
const PROVIDER = 'Microsoft.MachineLearningServices';
const WORKSPACE_ID_FORM = '/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.MachineLearningServices/workspaces/<workspace>[/<type>/<name>[/versions/<version>]]';
const REGISTRY_ID_FORM = '/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.MachineLearningServices/registries/<registry>[/<type>/<name>[/versions/<version>]]';
/** Canonical spelling of every fixed segment, by lower-cased spelling. */
const CANONICAL_TYPES = new Map([
    ...ASSET_TYPES,
    'computes',
    'datastores',
    'jobs',
    'onlineEndpoints',
    'batchEndpoints',
    'deployments',
    'schedules',
    'connections',
    'featuresets',
    'featurestoreEntities',
    'marketplaceSubscriptions',
    'serverlessEndpoints',
].map((type) => [type.toLowerCase(), type]));
function canonicalType(type) {
    return CANONICAL_TYPES.get(type.toLowerCase()) ?? type;
}
// ---------------------------------------------------------------------------------------------
// Formatting
function workspaceArmId(ref) {
    return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${PROVIDER}/workspaces/${ref.workspace}`;
}
function registryArmId(ref) {
    return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${PROVIDER}/registries/${ref.registry}`;
}
/** The id of an asset version, or of its container when `version` is omitted. */
function assetArmId(ref, assetType, name, version) {
    const container = `${workspaceArmId(ref)}/${assetType}/${name}`;
    return version === undefined ? container : `${container}/versions/${version}`;
}
function registryAssetArmId(ref, assetType, name, version) {
    const container = `${registryArmId(ref)}/${assetType}/${name}`;
    return version === undefined ? container : `${container}/versions/${version}`;
}
function computeArmId(ref, name) {
    return `${workspaceArmId(ref)}/computes/${name}`;
}
function datastoreArmId(ref, name) {
    return `${workspaceArmId(ref)}/datastores/${name}`;
}
function jobArmId(ref, name) {
    return `${workspaceArmId(ref)}/jobs/${name}`;
}
function onlineEndpointArmId(ref, name) {
    return `${workspaceArmId(ref)}/onlineEndpoints/${name}`;
}
function onlineDeploymentArmId(ref, endpoint, name) {
    return `${onlineEndpointArmId(ref, endpoint)}/deployments/${name}`;
}
/** Inverse of parseArmId, in canonical casing. */
function formatArmId(id) {
    switch (id.kind) {
        case 'workspace':
            return workspaceArmId(id.workspace);
        case 'asset':
            return assetArmId(id.workspace, id.assetType, id.name, id.version);
        case 'compute':
            return computeArmId(id.workspace, id.name);
        case 'datastore':
            return datastoreArmId(id.workspace, id.name);
        case 'job':
            return jobArmId(id.workspace, id.name);
        case 'online-endpoint':
            return onlineEndpointArmId(id.workspace, id.name);
        case 'online-deployment':
            return onlineDeploymentArmId(id.workspace, id.endpoint, id.name);
        case 'workspace-resource':
            return `${workspaceArmId(id.workspace)}${id.path.map((s) => `/${canonicalType(s.type)}/${s.name}`).join('')}`;
        case 'registry':
            return registryArmId(id.registry);
        case 'registry-asset':
            return registryAssetArmId(id.registry, id.assetType, id.name, id.version);
    }
}
// ---------------------------------------------------------------------------------------------
// Parsing
class ArmIdReader {
    id;
    segments;
    location;
    form;
    index = 0;
    constructor(id, segments, location, form) {
        this.id = id;
        this.segments = segments;
        this.location = location;
        this.form = form;
    }
    get done() {
        return this.index >= this.segments.length;
    }
    get remaining() {
        return this.segments.length - this.index;
    }
    fail(problem) {
        throw new errors/* ConfigurationError */.j1(`'${this.id}' is not a valid Azure ML ARM id: ${problem}`, {
            ...this.location,
            fix: `Write it as ${this.form()}.`,
        });
    }
    /** Consumes a fixed segment such as `resourceGroups`, accepting any casing. */
    expect(...names) {
        const position = this.index + 1;
        const segment = this.segments[this.index];
        const list = names.map((n) => `'${n}'`).join(' or ');
        if (segment === undefined)
            this.fail(`it ends after segment ${position - 1}; expected ${list} next`);
        const match = names.find((n) => n.toLowerCase() === segment.toLowerCase());
        if (match === undefined)
            this.fail(`segment ${position} is '${segment}', expected ${list}`);
        this.index += 1;
        return match;
    }
    /** Consumes the value after a fixed segment, checked with the given rule. */
    value(after, what, check) {
        const segment = this.segments[this.index];
        if (segment === undefined)
            this.fail(`the ${what} after '${after}' is missing`);
        const problem = check(segment);
        if (problem)
            this.fail(`the ${what} '${segment}' (after '${after}') is not valid: ${problem}`);
        this.index += 1;
        return segment;
    }
    peek() {
        return this.segments[this.index];
    }
    rest() {
        return this.segments.slice(this.index);
    }
}
/**
 * Parses an ARM id of an Azure ML workspace or registry, or of anything inside one. The fixed
 * segments are matched case-insensitively; names are returned as written.
 */
function parseArmId(id, location = {}) {
    let form = WORKSPACE_ID_FORM;
    const trimmed = id.trim().replace(/\/$/, '');
    if (!trimmed.startsWith('/')) {
        throw new errors/* ConfigurationError */.j1(`'${id}' is not a valid Azure ML ARM id: it must start with '/subscriptions/'`, {
            ...location,
            fix: `Write it as ${WORKSPACE_ID_FORM}.`,
        });
    }
    const segments = trimmed.slice(1).split('/');
    const reader = new ArmIdReader(id, segments, location, () => form);
    const empty = segments.indexOf('');
    if (empty !== -1)
        reader.fail(`segment ${empty + 1} is empty (two slashes in a row)`);
    reader.expect('subscriptions');
    const subscriptionId = reader.value('subscriptions', 'subscription id', checkSubscriptionSegment);
    reader.expect('resourceGroups');
    const resourceGroup = reader.value('resourceGroups', 'resource group', checkResourceGroupName);
    reader.expect('providers');
    const provider = reader.peek();
    if (provider !== undefined && provider.toLowerCase() !== PROVIDER.toLowerCase()) {
        reader.fail(`the provider is '${provider}', not ${PROVIDER}: this is not an Azure ML resource`);
    }
    reader.expect(PROVIDER);
    const parent = reader.expect('workspaces', 'registries');
    if (parent === 'registries') {
        form = REGISTRY_ID_FORM;
        const registry = {
            subscriptionId,
            resourceGroup,
            registry: reader.value('registries', 'registry name', checkResourceName),
        };
        if (reader.done)
            return { kind: 'registry', registry };
        const type = reader.peek() ?? '';
        const assetType = canonicalType(type);
        if (!isAssetType(assetType)) {
            reader.fail(`'${type}' is not a registry asset type; expected one of ${ASSET_TYPES.join(', ')}`);
        }
        reader.expect(assetType);
        const { name, version } = readAssetTail(reader, assetType);
        return version === undefined
            ? { kind: 'registry-asset', registry, assetType, name }
            : { kind: 'registry-asset', registry, assetType, name, version };
    }
    const workspace = {
        subscriptionId,
        resourceGroup,
        workspace: reader.value('workspaces', 'workspace name', checkWorkspaceName),
    };
    if (reader.done)
        return { kind: 'workspace', workspace };
    const type = canonicalType(reader.peek() ?? '');
    if (isAssetType(type)) {
        reader.expect(type);
        const { name, version } = readAssetTail(reader, type);
        return version === undefined
            ? { kind: 'asset', workspace, assetType: type, name }
            : { kind: 'asset', workspace, assetType: type, name, version };
    }
    const path = readSegmentPairs(reader);
    const [first, second] = path;
    if (first && path.length === 1) {
        if (first.type === 'computes')
            return { kind: 'compute', workspace, name: first.name };
        if (first.type === 'datastores')
            return { kind: 'datastore', workspace, name: first.name };
        if (first.type === 'jobs')
            return { kind: 'job', workspace, name: first.name };
        if (first.type === 'onlineEndpoints')
            return { kind: 'online-endpoint', workspace, name: first.name };
    }
    if (first?.type === 'onlineEndpoints' && second?.type === 'deployments' && path.length === 2) {
        return { kind: 'online-deployment', workspace, endpoint: first.name, name: second.name };
    }
    return { kind: 'workspace-resource', workspace, path };
}
function readAssetTail(reader, assetType) {
    const name = reader.value(assetType, 'asset name', checkResourceName);
    if (reader.done)
        return { name };
    reader.expect('versions');
    const version = reader.value('versions', 'version', checkVersion);
    if (!reader.done)
        reader.fail(`unexpected '/${reader.rest().join('/')}' after the version`);
    return { name, version };
}
function readSegmentPairs(reader) {
    const path = [];
    while (!reader.done) {
        const rawType = reader.peek() ?? '';
        const type = canonicalType(rawType);
        reader.expect(rawType);
        path.push({ type, name: reader.value(type, 'name', checkResourceName) });
    }
    return path;
}
/** True when `text` looks like an ARM id (so callers can tell it apart from a name). */
function looksLikeArmId(text) {
    return /^\/subscriptions\//i.test(text.trim());
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./packages/core/src/assets/anonymous-names.ts
// The deterministic name and version azure-ai-ml (the CLI v2's engine) gives anonymous assets, so
// the same inline environment or component maps to the same version instead of a new one per run.
// - Environment (`Environment._generate_anonymous_name_version`): name `CliV2AnonymousEnvironment`,
//   version = md5 of a string built with Python's `str.join` (kept as written there: the separator
//   is the hash so far and the iterable is the next md5's characters).
// - Component (`Component._get_anonymous_hash` → `hash_dict`): name `azureml_anonymous`, version =
//   md5 of `json.dumps(spec without name/id/version, sort_keys=True)`, formatted as a UUID.
// Pure functions.

const ANONYMOUS_ENVIRONMENT_NAME = 'CliV2AnonymousEnvironment';
const ANONYMOUS_COMPONENT_NAME = 'azureml_anonymous';
function md5Hex(text) {
    return (0,external_node_crypto_.createHash)('md5').update(text, 'utf8').digest('hex');
}
/** Python's `separator.join(text)`: the characters of `text` with `separator` between them. */
function pythonJoin(separator, text) {
    return [...text].join(separator);
}
/** The version azure-ai-ml computes for an inline environment (`image` or `build` source). */
function anonymousEnvironmentVersionOf(input) {
    let hashText = '';
    if (input.build) {
        hashText = pythonJoin(hashText, md5Hex(input.build.contextHash));
        if (input.build.dockerfilePath)
            hashText = pythonJoin(hashText, md5Hex(input.build.dockerfilePath));
    }
    else if (input.image !== undefined) {
        hashText = pythonJoin(hashText, md5Hex(input.image));
        if (input.inferenceConfig)
            hashText = pythonJoin(hashText, md5Hex(pythonJsonDumps(input.inferenceConfig)));
        if (input.condaFile)
            hashText = pythonJoin(hashText, md5Hex(input.condaFile));
    }
    return md5Hex(hashText);
}
/** The version azure-ai-ml computes for an anonymous component from its spec (YAML form). */
function anonymousComponentVersionOf(componentSpec) {
    const { name: _name, id: _id, version: _version, ...rest } = componentSpec;
    return uuidFromHex(md5Hex(pythonJsonDumps(rest)));
}
/** `str(UUID(hex))`: 8-4-4-4-12 lower-case groups. */
function uuidFromHex(hex) {
    const h = hex.toLowerCase().slice(0, 32).padEnd(32, '0');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
/**
 * Python's `json.dumps(value, sort_keys=True)`: `", "` and `": "` separators, ASCII-only output
 * (`\uXXXX` escapes), keys sorted by code point, floats as Python's repr. A number that is an
 * integer in JavaScript prints as a Python int (YAML `1.0` becomes `1` once parsed here).
 */
function pythonJsonDumps(value) {
    if (value === null || value === undefined)
        return 'null';
    if (value === true)
        return 'true';
    if (value === false)
        return 'false';
    if (typeof value === 'number')
        return pythonNumber(value);
    if (typeof value === 'string')
        return pythonString(value);
    if (Array.isArray(value))
        return `[${value.map(pythonJsonDumps).join(', ')}]`;
    if (typeof value === 'object') {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => compareCodePoints(a, b));
        return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
    }
    return pythonString(String(value));
}
function compareCodePoints(a, b) {
    const left = [...a];
    const right = [...b];
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
        const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
        if (diff !== 0)
            return diff;
    }
    return left.length - right.length;
}
function pythonString(text) {
    // JSON.stringify escapes quotes, backslashes and control characters as Python does; Python
    // also escapes every non-ASCII UTF-16 unit (ensure_ascii).
    return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
function pythonNumber(value) {
    if (Number.isNaN(value))
        return 'NaN';
    if (value === Number.POSITIVE_INFINITY)
        return 'Infinity';
    if (value === Number.NEGATIVE_INFINITY)
        return '-Infinity';
    if (Number.isInteger(value) && Math.abs(value) < 1e21)
        return BigInt(value).toString();
    // Python's float repr: shortest digits, fixed notation when -4 <= exponent < 16.
    const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
    const exponent = Number(exponentText);
    const negative = mantissa.startsWith('-');
    const digits = mantissa.replace('-', '').replace('.', '');
    let out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0)
            out = `0.${'0'.repeat(-exponent - 1)}${digits}`;
        else if (digits.length > exponent + 1)
            out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
        else
            out = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
    }
    else {
        const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
        const sign = exponent < 0 ? '-' : '+';
        out = `${head}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
    }
    return negative ? `-${out}` : out;
}

;// CONCATENATED MODULE: ./packages/core/src/assets/asset-versions.ts
// Versioned workspace assets (environments, components, data, models, codes) through ARM REST:
// get, latest (what `@latest` means: the newest by creation time), container names for near-match
// suggestions, idempotent create, and the anonymous environment/component versions the CLI
// creates for inline definitions.




class AssetVersions {
    rest;
    workspace;
    apiVersion;
    constructor(rest, workspace, options = {}) {
        this.rest = rest;
        this.workspace = workspace;
        this.apiVersion = options.apiVersion ?? API_VERSIONS.sdk;
    }
    /** The version, or undefined when it (or its container) does not exist. */
    async get(kind, name, version, options = {}) {
        try {
            const response = await this.rest.request({
                method: 'GET',
                path: assetArmId(this.workspace, kind, name, version),
                apiVersion: this.apiVersion,
                abortSignal: options.abortSignal,
            });
            return toAssetVersion(response.body, assetArmId(this.workspace, kind, name, version), name, version);
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    /**
     * The newest active version by creation time, as `azureml:<name>@latest` resolves (the
     * SDK lists `$orderBy=createdtime desc&$top=1`); undefined when there is none.
     */
    async latest(kind, name, options = {}) {
        let versions;
        try {
            const response = await this.rest.request({
                method: 'GET',
                path: `${assetArmId(this.workspace, kind, name)}/versions`,
                apiVersion: this.apiVersion,
                query: { $orderBy: 'createdtime desc', $top: 1, listViewType: 'ActiveOnly' },
                abortSignal: options.abortSignal,
            });
            versions = response.body?.value ?? [];
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
        // Ordered by the service; re-checked here so a service that ignores $orderBy still gives the newest.
        const newest = [...versions].sort((a, b) => (b.systemData?.createdAt ?? '').localeCompare(a.systemData?.createdAt ?? ''))[0];
        if (!newest)
            return undefined;
        const version = versionFromId(newest);
        return toAssetVersion(newest, assetArmId(this.workspace, kind, name, version), name, version);
    }
    /** Names of every active container of `kind` (for "did you mean" suggestions). */
    async containerNames(kind, options = {}) {
        const names = [];
        const path = `${workspaceArmId(this.workspace)}/${kind}`;
        for await (const item of this.rest.list(path, this.apiVersion, {
            ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        })) {
            if (item.name)
                names.push(item.name);
        }
        return names;
    }
    /** PUTs the version (`properties` is the REST `properties` object); 201 created, 200 existed. */
    async createOrGet(kind, name, version, properties, options = {}) {
        const response = await this.rest.request({
            method: 'PUT',
            path: assetArmId(this.workspace, kind, name, version),
            apiVersion: this.apiVersion,
            body: { properties },
            abortSignal: options.abortSignal,
        });
        const id = assetArmId(this.workspace, kind, name, version);
        return { ...toAssetVersion(response.body, id, name, version), created: response.status === 201 };
    }
    /** The CLI's anonymous environment for an inline definition, created when missing. */
    async anonymousEnvironmentVersion(spec, options = {}) {
        const { name, version, properties } = anonymousEnvironment(spec);
        return this.ensure('environments', name, version, properties, options);
    }
    /** The CLI's anonymous component for a component spec (YAML form, code/environment as ARM ids). */
    async anonymousComponentVersion(componentSpec, options = {}) {
        const { name, version, properties } = anonymousComponent(componentSpec);
        return this.ensure('components', name, version, properties, options);
    }
    /** GET first: an anonymous version is content-addressed, so one that exists is the same. */
    async ensure(kind, name, version, properties, options) {
        const existing = await this.get(kind, name, version, options);
        if (existing)
            return { ...existing, created: false };
        return this.createOrGet(kind, name, version, properties, options);
    }
}
/** Name, version and REST properties of the anonymous environment for `spec`. Pure. */
function anonymousEnvironment(spec) {
    if ((spec.image === undefined) === (spec.build === undefined)) {
        throw new Error('An anonymous environment needs exactly one of image or build.');
    }
    const input = spec.build
        ? {
            build: {
                contextHash: spec.build.contextHash ?? spec.build.contextUri,
                ...(spec.build.dockerfilePath ? { dockerfilePath: spec.build.dockerfilePath } : {}),
            },
        }
        : {
            ...(spec.image !== undefined ? { image: spec.image } : {}),
            ...(spec.condaFile ? { condaFile: spec.condaFile } : {}),
            ...(spec.inferenceConfig ? { inferenceConfig: spec.inferenceConfig } : {}),
        };
    const properties = {
        isAnonymous: true,
        ...(spec.image !== undefined ? { image: spec.image } : {}),
        ...(spec.condaFile ? { condaFile: spec.condaFile } : {}),
        ...(spec.build
            ? {
                build: {
                    contextUri: spec.build.contextUri,
                    ...(spec.build.dockerfilePath ? { dockerfilePath: spec.build.dockerfilePath } : {}),
                },
            }
            : {}),
        ...(spec.osType ? { osType: spec.osType } : {}),
        ...(spec.inferenceConfig ? { inferenceConfig: spec.inferenceConfig } : {}),
    };
    return { name: ANONYMOUS_ENVIRONMENT_NAME, version: anonymousEnvironmentVersionOf(input), properties };
}
/** Name, version and REST properties of the anonymous component for `componentSpec`. Pure. */
function anonymousComponent(componentSpec) {
    const version = anonymousComponentVersionOf(componentSpec);
    const { id: _id, ...spec } = componentSpec;
    return {
        name: ANONYMOUS_COMPONENT_NAME,
        version,
        properties: {
            isAnonymous: true,
            componentSpec: { ...spec, name: ANONYMOUS_COMPONENT_NAME, version },
            ...(typeof componentSpec.description === 'string' ? { description: componentSpec.description } : {}),
            ...(isStringRecord(componentSpec.tags) ? { tags: componentSpec.tags } : {}),
        },
    };
}
function isStringRecord(value) {
    return (typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === 'string'));
}
function versionFromId(resource) {
    return resource.name ?? /\/versions\/([^/]+)$/.exec(resource.id ?? '')?.[1] ?? '';
}
function toAssetVersion(resource, fallbackId, name, version) {
    const id = resource?.id ?? fallbackId;
    // The container name as the service spells it, from the id (versions are named by their version).
    const container = /\/(?:codes|components|data|environments|models)\/([^/]+)\/versions\//i.exec(id)?.[1] ?? name;
    return {
        id,
        name: container,
        version: resource?.name ?? version,
        properties: resource?.properties ?? {},
        ...(resource?.systemData?.createdAt ? { createdAt: resource.systemData.createdAt } : {}),
    };
}

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./packages/core/src/assets/ignore-rules.ts
// gitignore pattern rules, as Azure ML applies them to a code snapshot: the `.amlignore` at the
// folder's root, or its `.gitignore` when there is no `.amlignore` (only the root file is read).
// Pure: the caller reads the file and walks the tree.
const IGNORE_FILE_NAMES = ['.amlignore', '.gitignore'];
/** Parses an ignore file's text into rules, in order (later rules win). */
function parseIgnoreRules(text) {
    const rules = [];
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, index) => {
        const rule = parseLine(raw, index + 1);
        if (rule)
            rules.push(rule);
    });
    return rules;
}
function parseLine(raw, line) {
    let pattern = trimTrailingSpaces(raw);
    if (pattern === '' || pattern.startsWith('#'))
        return undefined;
    let negated = false;
    if (pattern.startsWith('!')) {
        negated = true;
        pattern = pattern.slice(1);
    }
    let directoryOnly = false;
    // A trailing slash (not an escaped one) restricts the rule to directories.
    while (pattern.endsWith('/') && !pattern.endsWith('\\/')) {
        directoryOnly = true;
        pattern = pattern.slice(0, -1);
    }
    if (pattern === '')
        return undefined;
    // A slash at the start or in the middle anchors the pattern at the root.
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/'))
        pattern = pattern.slice(1);
    if (pattern === '')
        return undefined;
    const body = translatePath(pattern);
    const regex = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`);
    return { source: raw, line, negated, directoryOnly, regex };
}
/** Trailing spaces are dropped unless escaped with a backslash. */
function trimTrailingSpaces(raw) {
    let end = raw.length;
    while (end > 0 && (raw[end - 1] === ' ' || raw[end - 1] === '\t')) {
        let backslashes = 0;
        for (let i = end - 2; i >= 0 && raw[i] === '\\'; i--)
            backslashes++;
        if (backslashes % 2 === 1)
            break;
        end--;
    }
    return raw.slice(0, end);
}
function translatePath(pattern) {
    const segments = pattern.split('/');
    let out = '';
    segments.forEach((segment, i) => {
        const first = i === 0;
        const last = i === segments.length - 1;
        if (segment === '**') {
            // Leading `**/`: in any directory; trailing `/**`: everything inside; `/**/`: zero or more directories.
            if (last)
                out += first ? '.*' : '/.+';
            else
                out += first ? '(?:.*/)?' : '(?:/.*)?/';
            return;
        }
        if (!first && segments[i - 1] !== '**')
            out += '/';
        out += translateSegment(segment);
    });
    return out;
}
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const escapeRegex = (text) => text.replace(REGEX_SPECIAL, '\\$&');
/** One path segment: `*`, `?`, `[...]` and backslash escapes; never matches `/`. */
function translateSegment(segment) {
    let out = '';
    for (let i = 0; i < segment.length; i++) {
        const char = segment[i] ?? '';
        if (char === '\\' && i + 1 < segment.length) {
            out += escapeRegex(segment[++i] ?? '');
        }
        else if (char === '*') {
            while (segment[i + 1] === '*')
                i++;
            out += '[^/]*';
        }
        else if (char === '?') {
            out += '[^/]';
        }
        else if (char === '[') {
            const bracket = readBracket(segment, i);
            if (bracket) {
                out += bracket.regex;
                i = bracket.end;
            }
            else {
                out += '\\[';
            }
        }
        else {
            out += escapeRegex(char);
        }
    }
    return out;
}
/** `[abc]`, `[a-z]`, `[!abc]` / `[^abc]`; undefined when there is no closing `]`. */
function readBracket(segment, start) {
    let i = start + 1;
    let negated = false;
    if (segment[i] === '!' || segment[i] === '^') {
        negated = true;
        i++;
    }
    let body = '';
    let firstChar = true;
    for (; i < segment.length; i++) {
        const char = segment[i] ?? '';
        if (char === ']' && !firstChar) {
            return { regex: negated ? `[^/${body}]` : `[${body}]`, end: i };
        }
        firstChar = false;
        if (char === '\\' && i + 1 < segment.length) {
            body += `\\${segment[++i]}`;
        }
        else if (char === '-' && body !== '' && segment[i + 1] !== ']') {
            body += '-';
        }
        else {
            body += char.replace(/[\\\]^[-]/g, '\\$&');
        }
    }
    return undefined;
}
/** The verdict of the last rule matching `path` alone (ancestors not considered). */
function lastVerdict(rules, path, isDirectory) {
    let verdict;
    for (const rule of rules) {
        if (rule.directoryOnly && !isDirectory)
            continue;
        if (rule.regex.test(path))
            verdict = !rule.negated;
    }
    return verdict;
}
class IgnoreMatcher {
    rules;
    constructor(rules) {
        this.rules = typeof rules === 'string' ? parseIgnoreRules(rules) : rules;
    }
    /**
     * Whether `relativePath` (posix, relative to the snapshot root) is left out. As in git, a file
     * inside an excluded directory stays excluded whatever later rules say.
     */
    isIgnored(relativePath, isDirectory) {
        const parts = relativePath.split('/').filter((part) => part !== '');
        for (let depth = 1; depth < parts.length; depth++) {
            if (lastVerdict(this.rules, parts.slice(0, depth).join('/'), true) === true)
                return true;
        }
        return lastVerdict(this.rules, parts.join('/'), isDirectory) === true;
    }
    /** Only the entry itself, for walkers that already skip excluded directories. */
    isEntryIgnored(relativePath, isDirectory) {
        return lastVerdict(this.rules, relativePath, isDirectory) === true;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/assets/snapshot.ts
// The files of a code snapshot and their content hash, computed the way Azure ML does (hash
// version 202208) so a code version uploaded by the CLI or the Python SDK is found and reused.






const SNAPSHOT_HASH_VERSION = '202208';
/**
 * The files Azure ML would snapshot for `localPath`: a folder minus what its root `.amlignore`
 * (else `.gitignore`) excludes, or one file. Sorted in hash order.
 */
async function listSnapshotFiles(localPath, options = {}) {
    const where = {
        ...(options.input ? { input: options.input } : {}),
        ...(options.file ? { file: options.file } : {}),
    };
    const root = external_node_path_default().resolve(localPath);
    let rootStat;
    try {
        rootStat = await (0,external_node_fs_promises_.stat)(root);
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j1(`The code path '${localPath}' does not exist.`, {
            ...where,
            fix: 'Point code: (or the input) at an existing file or folder, relative to the YAML file.',
            cause: error,
        });
    }
    if (rootStat.isFile()) {
        return [{ relativePath: external_node_path_default().basename(root), absolutePath: await (0,external_node_fs_promises_.realpath)(root), size: rootStat.size }];
    }
    if (!rootStat.isDirectory()) {
        throw new errors/* ConfigurationError */.j1(`The code path '${localPath}' is neither a file nor a folder.`, {
            ...where,
            fix: 'Point it at a regular file or folder.',
        });
    }
    const matcher = new IgnoreMatcher(await readIgnoreFile(root));
    const files = [];
    await walk(root, '', new Set([await (0,external_node_fs_promises_.realpath)(root)]), matcher, files, localPath, where);
    return sortForHash(files);
}
/** The rules of `.amlignore` if present at the root, else of `.gitignore`, else none. */
async function readIgnoreFile(root) {
    for (const name of IGNORE_FILE_NAMES) {
        try {
            return await (0,external_node_fs_promises_.readFile)(external_node_path_default().join(root, name), 'utf8');
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                throw error;
        }
    }
    return '';
}
async function walk(directory, relativeDir, ancestors, matcher, files, localPath, where) {
    const entries = await (0,external_node_fs_promises_.readdir)(directory, { withFileTypes: true });
    for (const entry of entries) {
        const absolute = external_node_path_default().join(directory, entry.name);
        const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
            // Symlinks are resolved: a link to a file is that file, a link to a folder is walked.
            const target = await (0,external_node_fs_promises_.stat)(absolute).catch(() => undefined);
            if (!target) {
                if (matcher.isEntryIgnored(relative, false))
                    continue;
                throw new errors/* ConfigurationError */.j1(`'${relative}' in the code folder '${localPath}' is a broken symlink.`, {
                    ...where,
                    fix: 'Remove the link, fix its target, or exclude it in .amlignore.',
                });
            }
            isDirectory = target.isDirectory();
            isFile = target.isFile();
        }
        if (matcher.isEntryIgnored(relative, isDirectory))
            continue;
        if (isDirectory) {
            const real = await (0,external_node_fs_promises_.realpath)(absolute);
            if (ancestors.has(real)) {
                throw new errors/* ConfigurationError */.j1(`'${relative}' in the code folder '${localPath}' links back to a folder that contains it.`, { ...where, fix: 'Remove the symlink loop, or exclude the link in .amlignore.' });
            }
            await walk(absolute, relative, new Set([...ancestors, real]), matcher, files, localPath, where);
        }
        else if (isFile) {
            const info = await (0,external_node_fs_promises_.stat)(absolute);
            files.push({ relativePath: relative, absolutePath: await (0,external_node_fs_promises_.realpath)(absolute), size: info.size });
        }
        // Sockets, FIFOs and devices are not part of a snapshot.
    }
}
/** The hash's order: by relative path lower-cased (then as written, to be total). */
function sortForHash(files) {
    const byCodePoint = (a, b) => {
        const left = [...a];
        const right = [...b];
        for (let i = 0; i < Math.min(left.length, right.length); i++) {
            const x = left[i]?.codePointAt(0) ?? 0;
            const y = right[i]?.codePointAt(0) ?? 0;
            if (x !== y)
                return x - y;
        }
        return left.length - right.length;
    };
    return [...files].sort((a, b) => byCodePoint(a.relativePath.toLowerCase(), b.relativePath.toLowerCase()) ||
        byCodePoint(a.relativePath, b.relativePath));
}
/**
 * Content hash, version 202208: SHA-256 over the file count, then `#<path>#<size>` per file, then
 * every file's bytes, all in hash order. Files are streamed, never held in memory whole.
 */
async function snapshotHash(files, options = {}) {
    const ordered = sortForHash(files);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    hash.update(String(ordered.length));
    for (const file of ordered) {
        hash.update(`#${file.relativePath}#`);
        hash.update(String(file.size));
    }
    for (const file of ordered) {
        options.abortSignal?.throwIfAborted();
        const read = await streamInto(hash, file.absolutePath, options.abortSignal);
        if (read !== file.size) {
            throw new Error(`'${file.relativePath}' changed while it was being hashed (${file.size} bytes listed, ${read} read); run again.`);
        }
    }
    return hash.digest('hex');
}
async function streamInto(hash, file, abortSignal) {
    let bytes = 0;
    const stream = (0,external_node_fs_.createReadStream)(file, abortSignal ? { signal: abortSignal } : {});
    for await (const chunk of stream) {
        const buffer = chunk;
        bytes += buffer.length;
        hash.update(buffer);
    }
    return bytes;
}

;// CONCATENATED MODULE: ./packages/core/src/assets/code-assets.ts
// Code versions from local folders, as azure-ai-ml creates them (recorded in
// reference/recordings/python-azure-ai-ml/code_asset__* and command_job__test_command_job_builder):
// hash the snapshot (202208); reuse any code version with that hash (`?hash=&hashVersion=202208`,
// which may live under another name); otherwise upload to `LocalUpload/<hash>/<folder>/…` of the
// default datastore without overwriting (`If-None-Match: *`), mark the first blob with
// `upload_status: completed` + name + version, and PUT the code version.







const DEFAULT_DATASTORE = 'workspaceblobstore';
const LOCAL_UPLOAD_FOLDER = 'LocalUpload';
/** The metadata that marks a finished upload (set on the first blob, in hash order). */
const UPLOAD_COMPLETED = { upload_status: 'completed' };
class CodeAssets {
    rest;
    workspace;
    blobs;
    datastoreName;
    apiVersion;
    constructor(rest, workspace, blobs, options = {}) {
        this.rest = rest;
        this.workspace = workspace;
        this.blobs = blobs;
        this.datastoreName = options.datastoreName ?? DEFAULT_DATASTORE;
        this.apiVersion = options.apiVersion ?? API_VERSIONS.sdk;
    }
    /** Lists and hashes the snapshot of `localPath` (a folder or one file). */
    async prepare(localPath, options = {}) {
        const absolute = external_node_path_default().resolve(localPath);
        const files = await listSnapshotFiles(absolute, {
            ...(options.input ? { input: options.input } : {}),
            ...(options.file ? { file: options.file } : {}),
        });
        const hash = await snapshotHash(files, options.abortSignal ? { abortSignal: options.abortSignal } : {});
        const isFile = (await (0,external_node_fs_promises_.stat)(absolute)).isFile();
        return {
            localPath: absolute,
            kind: isFile ? 'file' : 'folder',
            hash,
            hashVersion: SNAPSHOT_HASH_VERSION,
            files,
            totalBytes: files.reduce((sum, file) => sum + file.size, 0),
            folderName: external_node_path_default().basename(absolute),
        };
    }
    /** The ARM id of a code version whose content hash is `hash`, or undefined. */
    async findByHash(hash, options = {}) {
        // The lookup searches every code asset; the name in the path is the one we would create.
        const path = `${workspaceArmId(this.workspace)}/codes/${codeNameFor(hash)}/versions`;
        try {
            for await (const item of this.rest.list(path, API_VERSIONS.codeHashLookup, {
                query: { hash, hashVersion: SNAPSHOT_HASH_VERSION },
                ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
            })) {
                const bag = item.properties?.properties ?? {};
                // Checked again: a service that ignored the filter must not hand back unrelated code.
                if (item.id &&
                    String(bag.hash_sha256 ?? '').toLowerCase() === hash.toLowerCase() &&
                    String(bag.hash_version ?? '') === SNAPSHOT_HASH_VERSION) {
                    return item.id;
                }
            }
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
        return undefined;
    }
    /** Reuses a code version with the same hash, or uploads the snapshot and creates one. */
    async upload(prepared, options = {}) {
        const { abortSignal } = options;
        const existing = await this.findByHash(prepared.hash, abortSignal ? { abortSignal } : {});
        if (existing) {
            options.onProgress?.({ files: 0, bytes: 0, totalFiles: 0, totalBytes: 0 });
            return { armId: existing, uploadedBytes: 0, reused: true };
        }
        if (prepared.files.length === 0) {
            throw new errors/* ConfigurationError */.j1(`The code folder '${prepared.localPath}' has no files to upload.`, {
                fix: 'Add the scripts to the folder, or check that .amlignore/.gitignore does not exclude everything.',
            });
        }
        let name = codeNameFor(prepared.hash);
        let version = '1';
        const stored = await this.uploadSnapshot(prepared, name, version, options);
        name = stored.name;
        version = stored.version;
        const codeUri = await this.blobs.blobUrl(this.datastoreName, codeUriPath(prepared));
        const response = await this.rest.request({
            method: 'PUT',
            path: assetArmId(this.workspace, 'codes', name, version),
            apiVersion: this.apiVersion,
            body: {
                properties: {
                    properties: { hash_sha256: prepared.hash, hash_version: SNAPSHOT_HASH_VERSION },
                    isAnonymous: false,
                    isArchived: false,
                    codeUri,
                },
            },
            ...(abortSignal ? { abortSignal } : {}),
        });
        return {
            armId: response.body?.id ?? assetArmId(this.workspace, 'codes', name, version),
            uploadedBytes: stored.uploadedBytes,
            reused: false,
        };
    }
    /**
     * Uploads a local job input (file or folder) to the default datastore, once per content:
     * when the completion metadata is already there, nothing is sent.
     */
    async uploadLocalArtifact(localPath, options = {}) {
        const prepared = await this.prepare(localPath, options.abortSignal ? { abortSignal: options.abortSignal } : {});
        return this.uploadPreparedArtifact(prepared, options);
    }
    /** uploadLocalArtifact for a snapshot already listed and hashed (no second pass over the files). */
    async uploadPreparedArtifact(prepared, options = {}) {
        const stored = prepared.files.length === 0
            ? { uploadedBytes: 0, reused: false }
            : await this.uploadSnapshot(prepared, codeNameFor(prepared.hash), '1', options);
        const suffix = prepared.kind === 'folder' ? '/' : '';
        return {
            uri: `azureml://datastores/${this.datastoreName}/paths/${codeUriPath(prepared)}${suffix}`,
            uploadedBytes: stored.uploadedBytes,
            hash: prepared.hash,
            reused: stored.reused,
        };
    }
    /**
     * Uploads the files unless the first blob carries the completion mark; returns the name and
     * version the mark records (an earlier upload's, when reused).
     */
    async uploadSnapshot(prepared, name, version, options) {
        const { abortSignal } = options;
        const signal = abortSignal ? { abortSignal } : {};
        const prefix = blobPrefix(prepared);
        const first = prepared.files[0];
        const indicator = `${prefix}/${first.relativePath}`;
        const metadata = await this.blobs.getMetadata(this.datastoreName, indicator, signal);
        if (metadata?.upload_status === UPLOAD_COMPLETED.upload_status) {
            options.onProgress?.({ files: 0, bytes: 0, totalFiles: 0, totalBytes: 0 });
            return {
                name: metadata.name ?? name,
                version: metadata.version ?? version,
                uploadedBytes: 0,
                reused: true,
            };
        }
        const result = await this.blobs.uploadFiles(this.datastoreName, prefix, prepared.files, {
            overwrite: false,
            ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...signal,
        });
        // Only once every blob is there: the mark is what later runs trust.
        await this.blobs.setMetadata(this.datastoreName, indicator, { ...UPLOAD_COMPLETED, name, version }, signal);
        return { name, version, uploadedBytes: result.uploadedBytes, reused: false };
    }
}
/** The code version name used for a hash: a UUID, like the SDK's names, derived from the hash. */
function codeNameFor(hash) {
    return uuidFromHex(hash);
}
/** Where the snapshot's blobs go: `LocalUpload/<hash>/<folder>` for a folder, `LocalUpload/<hash>` for a file. */
function blobPrefix(prepared) {
    return prepared.kind === 'folder'
        ? `${LOCAL_UPLOAD_FOLDER}/${prepared.hash}/${prepared.folderName}`
        : `${LOCAL_UPLOAD_FOLDER}/${prepared.hash}`;
}
/** What `codeUri` and local-input URIs name: the folder, or the one file's blob. */
function codeUriPath(prepared) {
    return `${LOCAL_UPLOAD_FOLDER}/${prepared.hash}/${prepared.folderName}`;
}

;// CONCATENATED MODULE: ./packages/core/src/auth/secret-checks.ts
// Checks of secret inputs that catch the two usual mistakes before any request is sent: a secret
// that arrives empty (not set, or withheld from forks) and an expression that GitHub never
// evaluated (`${ secrets.X }`, or `${{ … }}` in a place where expressions are not expanded).
// Messages never quote the value: only the secret's name, when the literal text shows it.

/** Returns the trimmed secret, or throws a ConfigurationError naming the input. */
function checkSecretInput(value, options) {
    const trimmed = (value ?? '').trim();
    if (trimmed === '') {
        const name = options.secretName ?? 'NAME';
        throw new errors/* ConfigurationError */.j1('the secret is empty: it is not set in this repository or environment, or it is not passed to workflows run from forks', {
            input: options.input,
            fix: `Create the secret${options.secretName ? ` ${options.secretName}` : ''} under Settings → Secrets and variables → Actions ` +
                `(in the repository, or in the environment the job uses) and pass it as '\${{ secrets.${name} }}'. ` +
                'Pull requests from forks receive no secrets: use a different trigger for them.',
        });
    }
    if (looksLikeUnevaluatedExpression(trimmed)) {
        const name = options.secretName ?? secretNameIn(trimmed) ?? 'NAME';
        throw new errors/* ConfigurationError */.j1('the value is a malformed or unevaluated expression, not a secret', {
            input: options.input,
            fix: `Write the expression with two braces on each side, '\${{ secrets.${name} }}', in the step's 'with:'.`,
        });
    }
    return trimmed;
}
/** `${ secrets.X }` (one brace) arrives verbatim, as does `${{` where GitHub does not expand it. */
function looksLikeUnevaluatedExpression(value) {
    return value.startsWith('${') || value.includes('${{');
}
function secretNameIn(expression) {
    return /secrets\.([A-Za-z_][A-Za-z0-9_]*)/.exec(expression)?.[1];
}

;// CONCATENATED MODULE: ./packages/core/src/auth/creds-json.ts
// The `creds` input in the AZURE_CREDENTIALS format that azure/login reads (the output of
// `az ad sp create-for-rbac --json-auth`). The text is a secret: errors name keys, lines and
// columns, never the text itself (V8's JSON.parse messages quote it, so they are not used).


const REQUIRED_KEYS = ['clientId', 'clientSecret', 'tenantId', 'subscriptionId'];
const OPTIONAL_KEYS = ['activeDirectoryEndpointUrl', 'resourceManagerEndpointUrl'];
const FIX_FORMAT = "Store the JSON printed by 'az ad sp create-for-rbac --json-auth' as the secret, unchanged: " +
    '{"clientId": "…", "clientSecret": "…", "tenantId": "…", "subscriptionId": "…"}.';
function parseCredsJson(text, input = 'creds') {
    checkSecretInput(text, { input, secretName: 'AZURE_CREDENTIALS' });
    // Positions are reported in the text as given, so no trimming here.
    const source = text;
    const syntaxError = findJsonSyntaxError(source);
    if (syntaxError) {
        const { line, column } = lineAndColumn(source, syntaxError.offset);
        throw new errors/* ConfigurationError */.j1(`is not valid JSON: ${syntaxError.problem} at line ${line}, column ${column}`, {
            input,
            line,
            column,
            fix: FIX_FORMAT,
        });
    }
    const parsed = JSON.parse(source);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new errors/* ConfigurationError */.j1('is not a JSON object', { input, fix: FIX_FORMAT });
    }
    const record = parsed;
    const missing = REQUIRED_KEYS.filter((key) => record[key] === undefined || record[key] === null);
    if (missing.length > 0) {
        throw new errors/* ConfigurationError */.j1(`is missing ${missing.map((key) => `'${key}'`).join(', ')}`, {
            input,
            fix: FIX_FORMAT,
        });
    }
    const badlyTyped = [...REQUIRED_KEYS, ...OPTIONAL_KEYS].filter((key) => record[key] !== undefined && (typeof record[key] !== 'string' || record[key].trim() === ''));
    if (badlyTyped.length > 0) {
        throw new errors/* ConfigurationError */.j1(`has ${badlyTyped.map((key) => `'${key}'`).join(', ')} that ${badlyTyped.length === 1 ? 'is' : 'are'} not a non-empty string`, { input, fix: FIX_FORMAT });
    }
    const value = (key) => record[key].trim();
    const result = {
        clientId: value('clientId'),
        clientSecret: record.clientSecret,
        tenantId: value('tenantId'),
        subscriptionId: value('subscriptionId'),
    };
    for (const key of OPTIONAL_KEYS) {
        if (record[key] !== undefined)
            result[key] = value(key);
    }
    return result;
}
/** The first syntax error of `text` as JSON, or undefined when it parses. */
function findJsonSyntaxError(text) {
    let i = 0;
    const fail = (problem) => {
        throw { offset: Math.min(i, text.length), problem };
    };
    const skipWhitespace = () => {
        while (i < text.length && ' \t\n\r'.includes(text[i]))
            i++;
    };
    const literal = (word) => {
        for (const char of word) {
            if (text[i] !== char)
                fail('unexpected character');
            i++;
        }
    };
    const string = () => {
        i++; // opening quote
        while (i < text.length) {
            const char = text[i];
            if (char === '"') {
                i++;
                return;
            }
            if (char === '\\') {
                i++;
                const escaped = text[i];
                if (escaped === 'u') {
                    for (let k = 1; k <= 4; k++) {
                        if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
                            i += k;
                            fail('invalid \\u escape in a string');
                        }
                    }
                    i += 5;
                }
                else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
                    i++;
                }
                else {
                    fail('invalid escape in a string');
                }
            }
            else if (char < ' ') {
                fail('control character (such as a line break) inside a string');
            }
            else {
                i++;
            }
        }
        fail('unterminated string');
    };
    const number = () => {
        const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
        if (!match)
            fail('invalid number');
        i += match[0].length;
    };
    const value = (depth) => {
        if (depth > 512)
            fail('nesting too deep');
        skipWhitespace();
        const char = text[i];
        if (char === undefined)
            fail('unexpected end of input, expected a value');
        else if (char === '{') {
            i++;
            skipWhitespace();
            if (text[i] === '}') {
                i++;
                return;
            }
            for (;;) {
                skipWhitespace();
                if (text[i] !== '"')
                    fail('expected a double-quoted property name');
                string();
                skipWhitespace();
                if (text[i] !== ':')
                    fail("expected ':' after a property name");
                i++;
                value(depth + 1);
                skipWhitespace();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === '}') {
                    i++;
                    return;
                }
                fail("expected ',' or '}' after a property value");
            }
        }
        else if (char === '[') {
            i++;
            skipWhitespace();
            if (text[i] === ']') {
                i++;
                return;
            }
            for (;;) {
                value(depth + 1);
                skipWhitespace();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === ']') {
                    i++;
                    return;
                }
                fail("expected ',' or ']' after an array element");
            }
        }
        else if (char === '"')
            string();
        else if (char === 't')
            literal('true');
        else if (char === 'f')
            literal('false');
        else if (char === 'n')
            literal('null');
        else if (char === '-' || (char >= '0' && char <= '9'))
            number();
        else
            fail('unexpected character, expected a value');
    };
    try {
        value(0);
        skipWhitespace();
        if (i < text.length)
            fail('unexpected text after the JSON value');
        return undefined;
    }
    catch (error) {
        return error;
    }
}
/** 1-based line and column (in UTF-16 code units) of `offset`. */
function lineAndColumn(text, offset) {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < offset && k < text.length; k++) {
        if (text[k] === '\n') {
            line++;
            lineStart = k + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}

// EXTERNAL MODULE: ./packages/core/src/auth/github-oidc.ts
var github_oidc = __webpack_require__(85363);
;// CONCATENATED MODULE: ./packages/core/src/auth/oidc-assertion.ts
// The client assertion for GitHub OIDC: the GitHub ID token, kept while it is valid and fetched
// anew shortly before it expires. GitHub's ID token lives about 5 minutes; MSAL calls the
// assertion callback twice per getToken (even on a cache hit), and jobs outlive the token, so a
// token fetched once at start-up (the classic azure/login failure) is not enough, and fetching on
// every call would hammer the runner's token service.
const DEFAULT_OIDC_AUDIENCE = 'api://AzureADTokenExchange';
function createIdTokenProvider(options) {
    const { requestIdToken, now = Date.now, refreshBeforeExpiryInMs = 60_000 } = options;
    const audience = options.audience?.trim() || DEFAULT_OIDC_AUDIENCE;
    let cached;
    let inFlight;
    const fetchToken = async () => {
        const token = await requestIdToken(audience);
        if (!token)
            throw new Error('The GitHub OIDC token service returned an empty ID token.');
        const expiresAtMs = jwtExpiryInMs(token);
        // A token without `exp` cannot be judged fresh later: hand it out once and fetch again next time.
        cached =
            expiresAtMs === undefined ? undefined : { token, refreshAtMs: expiresAtMs - refreshBeforeExpiryInMs };
        return token;
    };
    return () => {
        if (cached && now() < cached.refreshAtMs)
            return Promise.resolve(cached.token);
        // Concurrent callers share one request.
        inFlight ??= fetchToken().finally(() => {
            inFlight = undefined;
        });
        return inFlight;
    };
}
/** The `exp` claim of a JWT in epoch milliseconds, or undefined when absent or unreadable. */
function jwtExpiryInMs(jwt) {
    const payload = jwt.split('.')[1];
    if (!payload)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        if (typeof claims !== 'object' || claims === null)
            return undefined;
        const exp = claims.exp;
        return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 157 modules
var dist_esm = __webpack_require__(23989);
// EXTERNAL MODULE: ./packages/core/src/auth/auth-methods.ts
var auth_methods = __webpack_require__(56767);
;// CONCATENATED MODULE: ./packages/core/src/auth/resolve-credential.ts
// One credential, chosen from the inputs and the environment, in a fixed order that the user can
// predict (not DefaultAzureCredential's chain, whose fallbacks hide why a login failed).
// `auto` order: creds JSON; client id + tenant + secret; client id + tenant → GitHub OIDC;
// AZURE_* environment (secret or federated token file); managed identity where its endpoint is;
// else the Azure CLI session that azure/login left behind.








function resolveCredential(options) {
    const env = options.env ?? process.env;
    const method = options.authMethod ?? 'auto';
    const clientId = plain(options.clientId, 'client-id');
    const tenantId = plain(options.tenantId, 'tenant-id');
    const base = credentialOptions(options, env);
    switch (method) {
        case 'creds':
            return fromCredsJson(options.credsJson, options.cloud, base);
        case 'client-secret':
            return fromClientSecret(requireIds(clientId, tenantId, method), options.clientSecret, base);
        case 'oidc':
            return fromOidc(requireIds(clientId, tenantId, method), options, env, base);
        case 'environment': {
            const fromEnv = fromEnvironment(env, base);
            if (!fromEnv) {
                throw new errors/* ConfigurationError */.j1("auth-method 'environment' needs AZURE_CLIENT_ID and AZURE_TENANT_ID", {
                    input: 'auth-method',
                    fix: 'Set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE) in the job environment.',
                });
            }
            return fromEnv;
        }
        case 'managed-identity':
            return fromManagedIdentity(clientId ?? blank(env.AZURE_CLIENT_ID), base);
        case 'azure-cli':
            return fromAzureCli(tenantId, base);
        case 'auto':
            break;
    }
    // An empty secret in `auto` reads as "not given": GitHub passes '' for a missing input and for an
    // unset secret alike. A literal expression is a mistake either way.
    const credsJson = blank(options.credsJson);
    const clientSecret = blank(options.clientSecret);
    if (clientSecret !== undefined && looksLikeUnevaluatedExpression(clientSecret)) {
        checkSecretInput(clientSecret, { input: 'client-secret' });
    }
    if (credsJson !== undefined)
        return fromCredsJson(credsJson, options.cloud, base);
    if (clientSecret !== undefined) {
        return fromClientSecret(requireIds(clientId, tenantId, 'client-secret'), clientSecret, base);
    }
    if (clientId !== undefined && tenantId !== undefined)
        return fromOidc({ clientId, tenantId }, options, env, base);
    const fromEnv = fromEnvironment(env, base);
    if (fromEnv)
        return fromEnv;
    const managedIdentityClientId = clientId ?? blank(env.AZURE_CLIENT_ID);
    if (managedIdentityClientId !== undefined && hasManagedIdentityEndpoint(env)) {
        return fromManagedIdentity(managedIdentityClientId, base);
    }
    if (clientId !== undefined) {
        throw new errors/* ConfigurationError */.j1("'client-id' is set but 'tenant-id' is not", {
            input: 'tenant-id',
            fix: "Set 'tenant-id' to your Microsoft Entra tenant (directory) id to log in with GitHub OIDC.",
        });
    }
    return fromAzureCli(tenantId, base);
}
function credentialOptions(options, env) {
    const tlsOptions = (0,connection/* tlsSettingsFor */.U)(options.caCertificates, env);
    const allowed = options.additionallyAllowedTenants ??
        (env.AZURE_ADDITIONALLY_ALLOWED_TENANTS ?? '')
            .split(';')
            .map((tenant) => tenant.trim())
            .filter(Boolean);
    return {
        authorityHost: options.cloud.authorityHost,
        // Instance discovery asks the public cloud whether the authority is known; a custom cloud
        // (Azure Stack, the emulator) is not, and may not reach it at all.
        ...(options.cloud.name === 'Custom' ? { disableInstanceDiscovery: true } : {}),
        ...(tlsOptions ? { tlsOptions } : {}),
        ...(allowed.length > 0 ? { additionallyAllowedTenants: allowed } : {}),
    };
}
function fromCredsJson(text, cloud, base) {
    const creds = parseCredsJson(text);
    if (creds.activeDirectoryEndpointUrl !== undefined &&
        trimSlash(creds.activeDirectoryEndpointUrl) !== trimSlash(cloud.authorityHost)) {
        throw new errors/* ConfigurationError */.j1(`'activeDirectoryEndpointUrl' is ${creds.activeDirectoryEndpointUrl} but cloud '${cloud.name}' uses ${cloud.authorityHost}`, {
            input: 'creds',
            fix: "Set the 'cloud' input (and for Custom, 'authority-host') to the cloud these credentials belong to.",
        });
    }
    return {
        credential: new dist_esm/* ClientSecretCredential */.HC(creds.tenantId, creds.clientId, creds.clientSecret, base),
        kind: 'creds-json',
        description: `service principal ${creds.clientId} in tenant ${creds.tenantId} from the 'creds' JSON`,
        clientId: creds.clientId,
        tenantId: creds.tenantId,
        subscriptionId: creds.subscriptionId,
    };
}
function fromClientSecret(ids, secret, base) {
    const clientSecret = checkSecretInput(secret, {
        input: 'client-secret',
        secretName: 'AZURE_CLIENT_SECRET',
    });
    return {
        credential: new dist_esm/* ClientSecretCredential */.HC(ids.tenantId, ids.clientId, clientSecret, base),
        kind: 'client-secret',
        description: `service principal ${ids.clientId} in tenant ${ids.tenantId} with a client secret`,
        ...ids,
    };
}
function fromOidc(ids, options, env, base) {
    // Checked up front: without these the failure would surface only at the first token request.
    if (!(0,github_oidc/* isGitHubOidcAvailable */.qX)(env))
        throw (0,github_oidc/* missingIdTokenPermissionError */.Y4)();
    const audience = options.audience?.trim() || DEFAULT_OIDC_AUDIENCE;
    const requestIdToken = options.requestIdToken ?? (0,github_oidc/* createGitHubIdTokenRequester */.Kv)({ env, caCertificates: options.caCertificates });
    const getAssertion = createIdTokenProvider({
        requestIdToken,
        audience,
        ...(options.now ? { now: options.now } : {}),
    });
    return {
        credential: new dist_esm/* ClientAssertionCredential */.XI(ids.tenantId, ids.clientId, getAssertion, base),
        kind: 'oidc',
        description: `GitHub OIDC federated credential for ${ids.clientId} in tenant ${ids.tenantId} (audience ${audience})`,
        ...ids,
    };
}
function fromEnvironment(env, base) {
    const clientId = blank(env.AZURE_CLIENT_ID);
    const tenantId = blank(env.AZURE_TENANT_ID);
    if (clientId === undefined || tenantId === undefined)
        return undefined;
    // Built from `env` directly (EnvironmentCredential reads process.env only, and ignores the
    // federated token file that workload identity uses).
    const secret = blank(env.AZURE_CLIENT_SECRET);
    if (secret !== undefined) {
        return {
            credential: new dist_esm/* ClientSecretCredential */.HC(tenantId, clientId, secret, base),
            kind: 'environment',
            description: `service principal ${clientId} in tenant ${tenantId} from AZURE_CLIENT_SECRET`,
            clientId,
            tenantId,
        };
    }
    const tokenFilePath = blank(env.AZURE_FEDERATED_TOKEN_FILE);
    if (tokenFilePath !== undefined) {
        return {
            credential: new dist_esm/* WorkloadIdentityCredential */.R9({ ...base, clientId, tenantId, tokenFilePath }),
            kind: 'environment',
            description: `workload identity ${clientId} in tenant ${tenantId} from AZURE_FEDERATED_TOKEN_FILE`,
            clientId,
            tenantId,
        };
    }
    return undefined;
}
function fromManagedIdentity(clientId, base) {
    // Managed identity asks the host's identity endpoint, not the authority; instance discovery and
    // extra tenants do not apply to it.
    const options = {
        authorityHost: base.authorityHost,
        ...(base.tlsOptions ? { tlsOptions: base.tlsOptions } : {}),
    };
    return {
        credential: clientId === undefined
            ? new dist_esm/* ManagedIdentityCredential */.NC(options)
            : new dist_esm/* ManagedIdentityCredential */.NC({ ...options, clientId }),
        kind: 'managed-identity',
        description: clientId === undefined ? 'system-assigned managed identity' : `managed identity ${clientId}`,
        ...(clientId !== undefined ? { clientId } : {}),
    };
}
function fromAzureCli(tenantId, base) {
    // The CLI keeps its own cloud (`az cloud set`); authorityHost is passed for consistency only.
    return {
        credential: new dist_esm/* AzureCliCredential */.nG({
            authorityHost: base.authorityHost,
            ...(tenantId !== undefined ? { tenantId } : {}),
            ...(base.additionallyAllowedTenants
                ? { additionallyAllowedTenants: base.additionallyAllowedTenants }
                : {}),
        }),
        kind: 'azure-cli',
        description: tenantId === undefined
            ? 'the Azure CLI login (azure/login)'
            : `the Azure CLI login (azure/login) for tenant ${tenantId}`,
        ...(tenantId !== undefined ? { tenantId } : {}),
    };
}
function hasManagedIdentityEndpoint(env) {
    return Boolean(blank(env.IDENTITY_ENDPOINT) ?? blank(env.MSI_ENDPOINT));
}
function requireIds(clientId, tenantId, method) {
    const missing = [
        clientId === undefined ? 'client-id' : undefined,
        tenantId === undefined ? 'tenant-id' : undefined,
    ].filter((name) => name !== undefined);
    if (clientId === undefined || tenantId === undefined) {
        throw new errors/* ConfigurationError */.j1(`auth-method '${method}' needs ${missing.map((name) => `'${name}'`).join(' and ')}`, {
            input: missing[0],
            fix: `Set ${missing.map((name) => `'${name}'`).join(' and ')} to the application (client) id and the tenant (directory) id of the identity.`,
        });
    }
    return { clientId, tenantId };
}
/** Ids are not secret, but a literal `${{ … }}` there is the same mistake. */
function plain(value, input) {
    const trimmed = blank(value);
    if (trimmed !== undefined && looksLikeUnevaluatedExpression(trimmed)) {
        throw new errors/* ConfigurationError */.j1(`'${trimmed}' is an unevaluated expression`, {
            input,
            fix: `Write expressions with two braces on each side, e.g. '\${{ vars.AZURE_CLIENT_ID }}'.`,
        });
    }
    return trimmed;
}
function blank(value) {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
}
function trimSlash(url) {
    return url.trim().replace(/\/+$/, '').toLowerCase();
}

;// CONCATENATED MODULE: ./packages/core/src/auth/index.ts







;// CONCATENATED MODULE: ./packages/core/src/cloud.ts
// Which Azure cloud the actions talk to: its ARM endpoint, its Entra authority and the token scopes.
// Public clouds are fixed tables; `Custom` (Azure Stack, a private cloud, the local emulator) takes
// both endpoints from inputs.

const CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud', 'Custom'];
const PUBLIC_CLOUDS = {
    AzureCloud: {
        name: 'AzureCloud',
        armEndpoint: 'https://management.azure.com',
        authorityHost: 'https://login.microsoftonline.com',
        armScope: 'https://management.azure.com/.default',
        mlScope: 'https://ml.azure.com/.default',
    },
    AzureUSGovernment: {
        name: 'AzureUSGovernment',
        armEndpoint: 'https://management.usgovcloudapi.net',
        authorityHost: 'https://login.microsoftonline.us',
        armScope: 'https://management.usgovcloudapi.net/.default',
        mlScope: 'https://ml.azure.us/.default',
    },
    AzureChinaCloud: {
        name: 'AzureChinaCloud',
        armEndpoint: 'https://management.chinacloudapi.cn',
        authorityHost: 'https://login.chinacloudapi.cn',
        armScope: 'https://management.chinacloudapi.cn/.default',
        mlScope: 'https://ml.azure.cn/.default',
    },
};
function parseCloudName(value) {
    const wanted = (value ?? '').trim();
    if (wanted === '')
        return 'AzureCloud';
    const found = CLOUD_NAMES.find((name) => name.toLowerCase() === wanted.toLowerCase());
    if (!found) {
        throw new errors/* ConfigurationError */.j1(`'${wanted}' is not a known cloud`, {
            input: 'cloud',
            fix: `Use one of ${CLOUD_NAMES.join(', ')}.`,
        });
    }
    return found;
}
function resolveCloud(options) {
    const name = parseCloudName(options.cloud);
    const armEndpoint = blankToUndefined(options.armEndpoint);
    const authorityHost = blankToUndefined(options.authorityHost);
    if (name !== 'Custom') {
        // Overriding one endpoint of a public cloud would mix clouds; say so rather than guess.
        for (const [input, value] of [
            ['arm-endpoint', armEndpoint],
            ['authority-host', authorityHost],
        ]) {
            if (value !== undefined) {
                throw new errors/* ConfigurationError */.j1(`'${input}' is only used with cloud 'Custom', but cloud is '${name}'`, {
                    input,
                    fix: `Set 'cloud: Custom' to use your own endpoints, or remove '${input}'.`,
                });
            }
        }
        return { ...PUBLIC_CLOUDS[name] };
    }
    const arm = requireHttpsEndpoint('arm-endpoint', armEndpoint, 'https://management.example.com');
    const authority = requireHttpsEndpoint('authority-host', authorityHost, 'https://login.example.com');
    const mlScope = blankToUndefined(options.mlScope);
    return {
        name,
        armEndpoint: arm,
        authorityHost: authority,
        armScope: `${arm}/.default`,
        ...(mlScope !== undefined ? { mlScope } : {}),
    };
}
function requireHttpsEndpoint(input, value, example) {
    if (value === undefined) {
        throw new errors/* ConfigurationError */.j1(`cloud 'Custom' needs '${input}'`, {
            input,
            fix: `Set '${input}' to the https URL of the endpoint, e.g. '${example}'.`,
        });
    }
    let url;
    try {
        url = new URL(value);
    }
    catch (cause) {
        throw new errors/* ConfigurationError */.j1(`'${value}' is not a URL`, {
            input,
            fix: `Set '${input}' to an absolute https URL, e.g. '${example}'.`,
            cause,
        });
    }
    if (url.protocol !== 'https:') {
        // Bearer tokens must not travel in clear text; @azure/identity refuses http authorities too.
        throw new errors/* ConfigurationError */.j1(`'${value}' does not use https`, {
            input,
            fix: `Use an https URL for '${input}' (a local emulator serves https with its own CA certificate).`,
        });
    }
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
        throw new errors/* ConfigurationError */.j1(`'${value}' must be a plain endpoint URL`, {
            input,
            fix: `Remove the query, fragment or credentials from '${input}'.`,
        });
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
function blankToUndefined(value) {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/datastores/datastore-client.ts

/**
 * `endpoint` is the storage suffix (`core.windows.net`) for real accounts; an IP or localhost
 * `host:port` means a path-style local account (Azurite), `{protocol}://{endpoint}/{account}`.
 */
function blobServiceUrl(accountName, endpoint = 'core.windows.net', protocol = 'https') {
    if (/^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:\d+)?$/i.test(endpoint)) {
        return `${protocol}://${endpoint}/${accountName}`;
    }
    return `${protocol}://${accountName}.blob.${endpoint}`;
}
class DatastoreClient {
    sdk;
    workspace;
    onSecret;
    constructor(sdk, workspace, 
    /** Called with every secret the moment it is read, before anything else sees it (masking). */
    onSecret) {
        this.sdk = sdk;
        this.workspace = workspace;
        this.onSecret = onSecret;
    }
    async get(name) {
        const { resourceGroup, workspace } = this.workspace;
        const resource = await withAzureErrors(() => this.sdk.datastores.get(resourceGroup, workspace, name));
        const properties = resource.properties;
        const accountName = typeof properties.accountName === 'string' ? properties.accountName : undefined;
        return {
            name: resource.name ?? name,
            type: String(properties.datastoreType),
            isDefault: properties.isDefault === true,
            ...(accountName ? { accountName } : {}),
            ...(typeof properties.containerName === 'string' ? { containerName: properties.containerName } : {}),
            ...(accountName
                ? {
                    blobServiceUrl: blobServiceUrl(accountName, properties.endpoint, properties.protocol),
                }
                : {}),
        };
    }
    async listSecrets(name) {
        const { resourceGroup, workspace } = this.workspace;
        const secrets = (await withAzureErrors(() => this.sdk.datastores.listSecrets(resourceGroup, workspace, name)));
        const secret = typeof secrets.key === 'string'
            ? secrets.key
            : typeof secrets.sasToken === 'string'
                ? secrets.sasToken
                : undefined;
        if (secret)
            this.onSecret(secret);
        const kind = secrets.secretsType === 'AccountKey' ? 'AccountKey' : secrets.secretsType === 'Sas' ? 'Sas' : 'Other';
        return { kind, secret };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/batch-endpoints.ts
// Batch endpoints and their deployments through ARM REST: reads, long-running writes, and the
// endpoint's default deployment (what a batch job runs when it names none).




class BatchEndpoints {
    rest;
    workspace;
    apiVersion = API_VERSIONS.endpoints;
    constructor(rest, workspace) {
        this.rest = rest;
        this.workspace = workspace;
    }
    endpointId(name) {
        return `${workspaceArmId(this.workspace)}/batchEndpoints/${name}`;
    }
    deploymentId(endpoint, name) {
        return `${this.endpointId(endpoint)}/deployments/${name}`;
    }
    get(name, options = {}) {
        return this.read(this.endpointId(name), options.abortSignal);
    }
    getDeployment(endpoint, name, options = {}) {
        return this.read(this.deploymentId(endpoint, name), options.abortSignal);
    }
    put(name, body, options = {}) {
        return this.write(this.endpointId(name), body, options);
    }
    putDeployment(endpoint, name, body, options = {}) {
        return this.write(this.deploymentId(endpoint, name), body, options);
    }
    async read(path, abortSignal) {
        try {
            return (await this.rest.request({
                method: 'GET',
                path,
                apiVersion: this.apiVersion,
                abortSignal,
            })).body;
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    async write(path, body, options) {
        const initial = await this.rest.request({
            method: 'PUT',
            path,
            apiVersion: this.apiVersion,
            body,
            abortSignal: options.abortSignal,
        });
        const result = await waitForArmOperation(this.rest, initial, {
            pollIntervalInMs: options.pollIntervalInMs ?? 5_000,
            ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
            ...(options.onPoll ? { onPoll: options.onPoll } : {}),
            abortSignal: options.abortSignal,
        });
        return result.body ?? initial.body;
    }
}

// EXTERNAL MODULE: ./packages/core/src/text/closest-match.ts
var closest_match = __webpack_require__(49130);
;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/field.ts

/** CLI v1 (and azureml-sdk v1) keys, with the v2 way to say the same thing. */
const V1_KEYS = {
    steps: 'CLI v2 pipelines list their steps under `jobs:` (a mapping of step name → step) with `type: pipeline`.',
    run_step: 'Write each step as an entry under `jobs:` with `type: command`, `command`, `code` and `environment`.',
    script_mode: 'CLI v2 has no script mode: run the script in `command`, e.g. `command: python train.py`.',
    post_run_scripts: 'CLI v2 has no post-run scripts: chain them in `command` (`python train.py && python post.py`) or add a pipeline step.',
    script: `CLI v2 runs \`command\` (e.g. \`command: python train.py --lr \${{inputs.lr}}\`) with \`code\` as the folder.`,
    arguments: `Put the arguments in \`command\`, binding values through \`\${{inputs.<name>}}\`.`,
    target: 'CLI v2 names the compute in `compute: azureml:<name>`.',
    runconfig: 'CLI v2 job YAML has no runconfig; write `command`, `environment` and `compute` on the job.',
};
const describe = (value) => value === null || value === undefined
    ? 'empty'
    : Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
            ? 'a mapping'
            : JSON.stringify(value);
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
class Field {
    source;
    path;
    value;
    constructor(source, path, value) {
        this.source = source;
        this.path = path;
        this.value = value;
    }
    static root(source) {
        return new Field(source, [], source.data);
    }
    /** `resources.instance_count`, or `the job` for the document itself. */
    get label() {
        return this.path.length === 0 ? 'the job' : this.path.join('.');
    }
    get present() {
        return this.value !== undefined && this.value !== null;
    }
    get isMapping() {
        return isRecord(this.value);
    }
    at(options = {}) {
        return this.source.locate(this.path, options);
    }
    problem(problem, fix, options = {}) {
        return this.source.problem(this.path, problem, fix, options);
    }
    fail(problem, fix, options = {}) {
        throw this.problem(problem, fix, options);
    }
    child(key) {
        const value = isRecord(this.value)
            ? this.value[key]
            : Array.isArray(this.value)
                ? this.value[Number(key)]
                : undefined;
        return new Field(this.source, [...this.path, key], value);
    }
    /** The value's entries; fails unless it is a mapping (empty is an empty mapping). */
    entries(example = 'name: value') {
        if (!this.present)
            return [];
        if (!isRecord(this.value)) {
            this.fail(`'${this.label}' must be a mapping, not ${describe(this.value)}`, `Write it as a mapping, e.g.\n  ${this.path.at(-1) ?? 'key'}:\n    ${example}`);
        }
        return Object.keys(this.value).map((key) => [key, this.child(key)]);
    }
    /** Fails unless this is a mapping whose keys are all in `allowed` (with a "did you mean"). */
    keys(allowed, what = this.label) {
        for (const [key, child] of this.entries()) {
            if (allowed.includes(key))
                continue;
            const v1 = V1_KEYS[key];
            if (v1 !== undefined) {
                child.fail(`'${key}' is a CLI v1 construct, not part of the CLI v2 job YAML (in ${what})`, v1, {
                    atKey: true,
                });
            }
            const suggestion = (0,closest_match/* closestMatch */.h)(key, allowed);
            if (suggestion !== undefined && suggestion.toLowerCase() === key.toLowerCase()) {
                child.fail(`'${key}' is mis-cased in ${what}: did you mean '${suggestion}'? (keys are case-sensitive)`, `Rename '${key}' to '${suggestion}'.`, { atKey: true });
            }
            const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
            child.fail(`unknown key '${key}' in ${what}.${hint}`, suggestion === undefined
                ? `Remove '${key}', or use one of: ${allowed.join(', ')}.`
                : `Rename '${key}' to '${suggestion}'.`, { atKey: true });
        }
        return this;
    }
    /** Fails when this value is absent. */
    required(example) {
        if (!this.present) {
            const key = String(this.path.at(-1) ?? '');
            const parent = this.path.length > 1 ? ` in '${this.path.slice(0, -1).join('.')}'` : '';
            this.fail(`'${key}' is required${parent} but missing`, `Add it, for example \`${key}: ${example}\`.`);
        }
        return this;
    }
    string(example = 'text') {
        if (typeof this.value !== 'string' || this.value.trim() === '') {
            this.fail(`'${this.label}' must be a non-empty string, not ${describe(this.value)}`, `Write a string, for example \`${String(this.path.at(-1))}: ${example}\`.`);
        }
        return this.value;
    }
    optionalString(example) {
        return this.present ? this.string(example) : undefined;
    }
    /** A scalar written as text (numbers and booleans as the CLI would print them). */
    scalarText() {
        const value = this.value;
        if (typeof value === 'string')
            return value;
        if (typeof value === 'boolean')
            return value ? 'True' : 'False';
        if (typeof value === 'number' && Number.isFinite(value))
            return String(value);
        return this.fail(`'${this.label}' must be a single value (text, number or boolean), not ${describe(value)}`, `Write a plain value, for example \`${String(this.path.at(-1))}: 0.01\`.`);
    }
    integer(options = {}) {
        const value = this.value;
        const example = options.example ?? Math.max(options.min ?? 1, 1);
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
            this.fail(`'${this.label}' must be a whole number, not ${describe(value)}`, `Write a whole number without quotes, for example \`${String(this.path.at(-1))}: ${example}\`.`);
        }
        if (options.min !== undefined && value < options.min) {
            this.fail(`'${this.label}' must be at least ${options.min}, not ${value}`, `Set it to ${options.min} or more.`);
        }
        return value;
    }
    optionalInteger(options = {}) {
        return this.present ? this.integer(options) : undefined;
    }
    number(example = 0.1) {
        if (typeof this.value !== 'number' || !Number.isFinite(this.value)) {
            this.fail(`'${this.label}' must be a number, not ${describe(this.value)}`, `Write a number without quotes, for example \`${String(this.path.at(-1))}: ${example}\`.`);
        }
        return this.value;
    }
    optionalNumber(example) {
        return this.present ? this.number(example) : undefined;
    }
    boolean() {
        if (typeof this.value !== 'boolean') {
            this.fail(`'${this.label}' must be true or false, not ${describe(this.value)}`, `Write \`${String(this.path.at(-1))}: true\` or \`false\` without quotes.`);
        }
        return this.value;
    }
    optionalBoolean() {
        return this.present ? this.boolean() : undefined;
    }
    /** One of the CLI values (matched case-insensitively), mapped to its REST value. */
    choice(values) {
        const names = Object.keys(values);
        const text = typeof this.value === 'string' ? this.value : undefined;
        const match = text === undefined ? undefined : names.find((name) => name.toLowerCase() === text.toLowerCase());
        if (match !== undefined)
            return values[match];
        const suggestion = text === undefined ? undefined : (0,closest_match/* closestMatch */.h)(text, names);
        const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
        return this.fail(`'${this.label}' is ${describe(this.value)}, which is not one of ${names.join(', ')}.${hint}`, `Set it to one of: ${names.join(', ')}.`);
    }
    optionalChoice(values) {
        return this.present ? this.choice(values) : undefined;
    }
    /** A mapping of names to scalar values, as strings (tags, environment variables). */
    stringMap() {
        if (!this.present)
            return undefined;
        return Object.fromEntries(this.entries('KEY: value').map(([key, child]) => [key, child.scalarText()]));
    }
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var yaml_dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/yaml-source.ts
// A parsed YAML file that remembers where each value was written, so every problem found later
// can name the file, line and column (or the `set` override line that put the value there).


class YamlSource {
    file;
    text;
    /** The document as plain data, overrides applied. */
    data;
    #contents;
    #lines;
    #overrides;
    constructor(file, text, overrides = []) {
        this.file = file;
        this.text = text;
        this.#lines = new yaml_dist/* LineCounter */.HN();
        this.#overrides = overrides;
        const document = (0,yaml_dist/* parseDocument */.Tp)(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
        const [error] = document.errors;
        if (error) {
            const { line, col } = this.#lines.linePos(error.pos[0]);
            const message = error.message.replace(/ at line \d+, column \d+.*$/s, '');
            throw new errors/* ConfigurationError */.j1(`is not valid YAML: ${message}`, {
                file,
                line,
                column: col,
                fix: 'Correct the YAML syntax at that line: indent nested keys consistently with spaces, close every bracket and quote, and write each key once.',
            });
        }
        this.#contents = document.contents;
        const data = document.toJS({ maxAliasCount: 100 }) ?? {};
        this.data = applyOverrides(data, overrides);
    }
    /** The override that wrote the value at `path` (or one of its parents), if any. */
    overrideAt(path) {
        let found;
        for (const override of this.#overrides) {
            if (override.path.length <= path.length && override.path.every((key, index) => key === path[index])) {
                found = override;
            }
        }
        return found;
    }
    /** Where the value at `path` is written (the nearest written parent when it is absent). */
    locate(path, options = {}) {
        let node = this.#contents;
        let position = rangeStart(node);
        for (const segment of path) {
            if ((0,yaml_dist/* isMap */.jh)(node)) {
                const pair = node.items.find((item) => (0,yaml_dist/* isScalar */.jn)(item.key) && String(item.key.value) === String(segment));
                if (!pair)
                    break;
                node = pair.value;
                // A whole mapping or list is best shown by its key; a scalar by the value itself.
                const showKey = options.atKey || (0,yaml_dist/* isMap */.jh)(node) || (0,yaml_dist/* isSeq */.oP)(node);
                position = (showKey ? undefined : rangeStart(node)) ?? rangeStart(pair.key);
            }
            else if ((0,yaml_dist/* isSeq */.oP)(node) && typeof segment === 'number') {
                node = node.items[segment];
                if (node === undefined)
                    break;
                position = rangeStart(node) ?? position;
            }
            else {
                break;
            }
        }
        const { line, col } = this.#lines.linePos(position ?? 0);
        return { file: this.file, line, column: col };
    }
    /** A ConfigurationError located at `path`: the file position, or the `set` line that wrote it. */
    problem(path, problem, fix, options = {}) {
        const override = this.overrideAt(path);
        if (override) {
            return new errors/* ConfigurationError */.j1(`line ${override.line} (\`${override.text}\`): ${problem}`, {
                input: 'set',
                line: override.line,
                fix,
            });
        }
        const { line, column } = this.locate(path, options);
        return new errors/* ConfigurationError */.j1(problem, { file: this.file, line, column, fix });
    }
}
function rangeStart(node) {
    const range = node?.range;
    return range?.[0];
}
const yaml_source_isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/** The document with each override written in, creating missing parent maps. */
function applyOverrides(data, overrides) {
    if (overrides.length === 0)
        return data;
    const root = yaml_source_isRecord(data) ? data : {};
    for (const override of overrides) {
        let target = root;
        override.path.forEach((key, index) => {
            if (index === override.path.length - 1) {
                target[key] = override.value;
                return;
            }
            const next = target[key];
            if (next === undefined || next === null) {
                target[key] = {};
            }
            else if (!yaml_source_isRecord(next)) {
                const parent = override.path.slice(0, index + 1).join('.');
                throw new errors/* ConfigurationError */.j1(`line ${override.line} (\`${override.text}\`): '${parent}' is ${JSON.stringify(next)}, not a mapping, so it has no key '${override.path[index + 1]}'`, {
                    input: 'set',
                    line: override.line,
                    fix: `Override '${parent}' itself (\`${parent}=<value>\`), or check the path against the job YAML.`,
                });
            }
            target = target[key];
        });
    }
    return root;
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/endpoint-yaml.ts
// The CLI v2 `managedOnlineEndpoint` and `managedOnlineDeployment` (or `kubernetesOnlineDeployment`)
// YAML, read strictly with file and line in every error: unknown or mis-cased keys, `traffic:` in a
// deployment file (traffic belongs to the endpoint), bad values. The result is the REST shape
// (camelCase, ISO durations) plus the references still to resolve (model, environment, code).



const AUTH_MODES = { key: 'Key', aml_token: 'AMLToken', aad_token: 'AADToken' };
const ENDPOINT_KEYS = [
    '$schema',
    'name',
    'description',
    'tags',
    'auth_mode',
    'identity',
    'public_network_access',
    'traffic',
    'mirror_traffic',
    'kind',
    'properties',
];
const DEPLOYMENT_KEYS = [
    '$schema',
    'name',
    'endpoint_name',
    'description',
    'tags',
    'type',
    'model',
    'code_configuration',
    'environment',
    'instance_type',
    'instance_count',
    'scale_settings',
    'request_settings',
    'liveness_probe',
    'readiness_probe',
    'environment_variables',
    'app_insights_enabled',
    'egress_public_network_access',
    'data_collector',
    'properties',
    'model_mount_path',
];
const PROBE_KEYS = ['initial_delay', 'period', 'timeout', 'success_threshold', 'failure_threshold'];
const REQUEST_KEYS = ['request_timeout_ms', 'max_concurrent_requests_per_instance', 'max_queue_wait_ms'];
const SCALE_KEYS = [
    'type',
    'min_instances',
    'max_instances',
    'target_utilization_percentage',
    'polling_interval',
    'scale_down_delay',
];
function readEndpointYaml(file, text) {
    const root = Field.root(new YamlSource(file, text));
    if (!root.isMapping)
        root.fail('the endpoint file is not a mapping', 'Write `name: <endpoint>` and `auth_mode: key` at the top level.');
    root.keys(ENDPOINT_KEYS, 'the endpoint');
    const name = root.child('name');
    const traffic = root.child('traffic');
    const mirror = root.child('mirror_traffic');
    return {
        name: name.optionalString('churn-endpoint'),
        ...(name.present ? { nameAt: name.at() } : {}),
        authMode: root.child('auth_mode').optionalChoice(AUTH_MODES),
        description: root.child('description').optionalString(),
        tags: root.child('tags').stringMap(),
        publicNetworkAccess: root
            .child('public_network_access')
            .optionalChoice({ enabled: 'Enabled', disabled: 'Disabled' }),
        identity: identityOf(root.child('identity')),
        traffic: traffic.present ? percentMap(traffic) : undefined,
        mirrorTraffic: mirror.present ? percentMap(mirror) : undefined,
    };
}
/** `file` as the user wrote it (for messages); its relative paths are resolved against `baseDir`. */
function readDeploymentYaml(file, text, baseDir = '.') {
    const root = Field.root(new YamlSource(file, text));
    if (!root.isMapping)
        root.fail('the deployment file is not a mapping', 'Write `name: blue`, `endpoint_name: …` and `model: azureml:<name>:<version>` at the top level.');
    const traffic = root.child('traffic');
    if (traffic.present) {
        traffic.fail("'traffic' is not part of a deployment: traffic is set on the endpoint", 'Remove `traffic:` from the deployment file; deploy-endpoint moves traffic through its strategy (or put `traffic:` in the endpoint file).', { atKey: true });
    }
    root.keys(DEPLOYMENT_KEYS, 'the deployment');
    const schema = String(root.child('$schema').value ?? '');
    const type = root.child('type').optionalChoice({ managed: 'Managed', kubernetes: 'Kubernetes' });
    const kind = type ?? (/kubernetesOnlineDeployment/i.test(schema) ? 'Kubernetes' : 'Managed');
    const name = root.child('name');
    const endpointName = root.child('endpoint_name');
    const model = root.child('model');
    if (model.present && typeof model.value !== 'string') {
        model.fail('an inline model is not supported here', 'Register the model first (register-model) and write `model: azureml:<name>:<version>`, or pass it in the model input.');
    }
    const { codePath, scoringScript } = codeConfiguration(root.child('code_configuration'), file, baseDir, 'score.py');
    const environment = root.child('environment');
    const properties = {};
    const set = (key, value) => {
        if (value !== undefined)
            properties[key] = value;
    };
    set('description', root.child('description').optionalString());
    set('environmentVariables', root.child('environment_variables').stringMap());
    set('appInsightsEnabled', root.child('app_insights_enabled').optionalBoolean());
    set('egressPublicNetworkAccess', root
        .child('egress_public_network_access')
        .optionalChoice({ enabled: 'Enabled', disabled: 'Disabled' }));
    set('requestSettings', requestSettings(root.child('request_settings')));
    set('livenessProbe', probe(root.child('liveness_probe')));
    set('readinessProbe', probe(root.child('readiness_probe')));
    set('scaleSettings', scaleSettings(root.child('scale_settings')));
    set('modelMountPath', root.child('model_mount_path').optionalString());
    const collector = root.child('data_collector');
    if (collector.present) {
        if (!collector.isMapping)
            collector.fail("'data_collector' must be a mapping", 'Write `data_collector: { collections: { model_inputs: { enabled: "True" } } }`.');
        // Collection names are the user's (model_inputs, …): only the keys inside them are REST keys.
        // The CLI writes `sampling_rate` once for all collections (REST has it on each) and
        // `rolling_rate: hour` (REST `Hour`).
        const { collections, sampling_rate: samplingRate, rolling_rate: rollingRate, ...rest } = collector.value;
        set('dataCollector', {
            ...camelize(rest),
            ...(typeof rollingRate === 'string'
                ? { rollingRate: `${rollingRate.charAt(0).toUpperCase()}${rollingRate.slice(1).toLowerCase()}` }
                : {}),
            ...(isRecord(collections)
                ? {
                    collections: Object.fromEntries(Object.entries(collections).map(([name, v]) => [name, collectionOf(v, samplingRate)])),
                }
                : {}),
        });
    }
    const extra = root.child('properties').stringMap();
    if (extra)
        set('properties', extra);
    return {
        kind,
        name: name.optionalString('blue'),
        ...(name.present ? { nameAt: name.at() } : {}),
        endpointName: endpointName.optionalString('churn-endpoint'),
        ...(endpointName.present ? { endpointNameAt: endpointName.at() } : {}),
        model: model.optionalString('azureml:churn:3'),
        ...(model.present ? { modelAt: model.at() } : {}),
        codePath,
        scoringScript,
        environment: environmentOf(environment, file, baseDir),
        ...(environment.present ? { environmentAt: environment.at() } : {}),
        instanceType: root.child('instance_type').optionalString('Standard_DS3_v2'),
        instanceCount: root.child('instance_count').optionalInteger({ min: 1, example: 1 }),
        properties,
        tags: root.child('tags').stringMap(),
    };
}
function percentMap(field) {
    return Object.fromEntries(field.entries('blue: 100').map(([name, child]) => [name, child.integer({ min: 0, example: 100 })]));
}
function identityOf(field) {
    if (!field.present)
        return undefined;
    field.keys(['type', 'user_assigned_identities'], 'identity');
    const type = field
        .child('type')
        .required('system_assigned')
        .choice({
        system_assigned: 'SystemAssigned',
        user_assigned: 'UserAssigned',
        'system_assigned,user_assigned': 'SystemAssigned,UserAssigned',
        none: 'None',
    });
    const users = field.child('user_assigned_identities');
    const userAssigned = {};
    if (users.present) {
        if (!Array.isArray(users.value))
            users.fail("'identity.user_assigned_identities' must be a list", 'Write a list of `- resource_id: /subscriptions/…/userAssignedIdentities/<name>`.');
        users.value.forEach((_, index) => {
            const id = users.child(index).child('resource_id').required('/subscriptions/…').string();
            userAssigned[id] = {};
        });
    }
    return { type, ...(users.present ? { userAssignedIdentities: userAssigned } : {}) };
}
function environmentOf(field, file, baseDir) {
    if (!field.present)
        return undefined;
    if (typeof field.value === 'string')
        return field.value;
    field.keys(['image', 'conda_file', 'name', 'version', 'description', '$schema'], 'environment');
    const image = field
        .child('image')
        .required('mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest')
        .string();
    const conda = field.child('conda_file').optionalString('conda.yml');
    return { image, ...(conda ? { condaFile: external_node_path_default().resolve(baseDir, external_node_path_default().dirname(file), conda) } : {}) };
}
function seconds(field) {
    const value = field.optionalInteger({ min: 0, example: 10 });
    return value === undefined ? undefined : `PT${value}S`;
}
function probe(field) {
    if (!field.present)
        return undefined;
    field.keys(PROBE_KEYS, field.label);
    return compact({
        initialDelay: seconds(field.child('initial_delay')),
        period: seconds(field.child('period')),
        timeout: seconds(field.child('timeout')),
        successThreshold: field.child('success_threshold').optionalInteger({ min: 1, example: 1 }),
        failureThreshold: field.child('failure_threshold').optionalInteger({ min: 1, example: 30 }),
    });
}
function requestSettings(field) {
    if (!field.present)
        return undefined;
    field.keys(REQUEST_KEYS, 'request_settings');
    const timeout = field.child('request_timeout_ms').optionalInteger({ min: 1, example: 5000 });
    const wait = field.child('max_queue_wait_ms').optionalInteger({ min: 1, example: 500 });
    return compact({
        requestTimeout: timeout === undefined ? undefined : isoMilliseconds(timeout),
        maxQueueWait: wait === undefined ? undefined : isoMilliseconds(wait),
        maxConcurrentRequestsPerInstance: field
            .child('max_concurrent_requests_per_instance')
            .optionalInteger({ min: 1, example: 1 }),
    });
}
function scaleSettings(field) {
    if (!field.present)
        return undefined;
    field.keys(SCALE_KEYS, 'scale_settings');
    const type = field
        .child('type')
        .required('default')
        .choice({ default: 'Default', target_utilization: 'TargetUtilization' });
    if (type === 'Default')
        return { scaleType: 'Default' };
    return compact({
        scaleType: type,
        minInstances: field.child('min_instances').optionalInteger({ min: 0, example: 1 }),
        maxInstances: field.child('max_instances').optionalInteger({ min: 1, example: 3 }),
        targetUtilizationPercentage: field
            .child('target_utilization_percentage')
            .optionalInteger({ min: 1, example: 70 }),
        pollingInterval: seconds(field.child('polling_interval')),
    });
}
/** `PT5S`, `PT0.5S`: the REST form of a millisecond duration. */
function isoMilliseconds(ms) {
    return `PT${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(3).replace(/0+$/, '')}S`;
}
/** `code_configuration`: the code folder (relative to the YAML file, under baseDir) and the script in it. */
function codeConfiguration(code, file, baseDir, scriptExample) {
    if (!code.present)
        return {};
    code.keys(['code', 'scoring_script'], 'code_configuration');
    const codeText = code.child('code').required('../src').string('../src');
    return {
        codePath: external_node_path_default().resolve(baseDir, external_node_path_default().dirname(file), codeText.replace(/^file:/, '')),
        scoringScript: code.child('scoring_script').required(scriptExample).string(scriptExample),
    };
}
function compact(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
/** A CLI data collection (`enabled: 'True'`) as REST (`dataCollectionMode: 'Enabled'`). */
function collectionOf(value, samplingRate) {
    if (!isRecord(value))
        return value;
    const { enabled, ...rest } = value;
    return {
        ...(samplingRate !== undefined && samplingRate !== null ? { samplingRate } : {}),
        ...camelize(rest),
        ...(enabled !== undefined && enabled !== null
            ? { dataCollectionMode: String(enabled).toLowerCase() === 'true' ? 'Enabled' : 'Disabled' }
            : {}),
    };
}
function camelize(value) {
    if (Array.isArray(value))
        return value.map(camelize);
    if (!isRecord(value))
        return value;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [
        key.replace(/_([a-z])/g, (_, c) => c.toUpperCase()),
        camelize(v),
    ]));
}
const BATCH_KEYS = [
    '$schema',
    'name',
    'endpoint_name',
    'type',
    'description',
    'tags',
    'model',
    'code_configuration',
    'environment',
    'compute',
    'resources',
    'settings',
    'max_concurrency_per_instance',
    'mini_batch_size',
    'retry_settings',
    'error_threshold',
    'output_action',
    'output_file_name',
    'logging_level',
    'environment_variables',
];
function readBatchDeploymentYaml(file, text, baseDir = '.') {
    const root = Field.root(new YamlSource(file, text));
    if (!root.isMapping)
        root.fail('the batch deployment file is not a mapping', 'Write `name:`, `endpoint_name:`, `model:` and `compute:` at the top level.');
    root.keys(BATCH_KEYS, 'the batch deployment');
    // Newer CLI files nest the run settings under `settings:`; older ones keep them at the top.
    const settings = root.child('settings');
    if (settings.present)
        settings.keys(BATCH_KEYS.filter((key) => ![
            '$schema',
            'name',
            'endpoint_name',
            'type',
            'model',
            'code_configuration',
            'environment',
            'compute',
            'resources',
            'settings',
            'tags',
            'description',
        ].includes(key)), 'settings');
    const pick = (key) => settings.present && settings.child(key).present ? settings.child(key) : root.child(key);
    const properties = {};
    const set = (key, value) => {
        if (value !== undefined)
            properties[key] = value;
    };
    set('description', root.child('description').optionalString());
    set('miniBatchSize', pick('mini_batch_size').optionalInteger({ min: 1, example: 10 }));
    set('maxConcurrencyPerInstance', pick('max_concurrency_per_instance').optionalInteger({ min: 1, example: 2 }));
    set('errorThreshold', pick('error_threshold').optionalInteger({ min: -1, example: -1 }));
    set('outputAction', pick('output_action').optionalChoice({ append_row: 'AppendRow', summary_only: 'SummaryOnly' }));
    set('outputFileName', pick('output_file_name').optionalString('predictions.csv'));
    set('loggingLevel', pick('logging_level').optionalChoice({ info: 'Info', warning: 'Warning', debug: 'Debug' }));
    set('environmentVariables', pick('environment_variables').stringMap());
    const retry = pick('retry_settings');
    if (retry.present) {
        retry.keys(['max_retries', 'timeout'], 'retry_settings');
        set('retrySettings', compact({
            maxRetries: retry.child('max_retries').optionalInteger({ min: 0, example: 3 }),
            timeout: seconds(retry.child('timeout')),
        }));
    }
    const resources = root.child('resources');
    if (resources.present) {
        resources.keys(['instance_count', 'instance_type', 'properties'], 'resources');
        set('resources', compact({ instanceCount: resources.child('instance_count').optionalInteger({ min: 1, example: 2 }) }));
    }
    const { codePath, scoringScript } = codeConfiguration(root.child('code_configuration'), file, baseDir, 'batch_score.py');
    const name = root.child('name');
    const endpointName = root.child('endpoint_name');
    const compute = root.child('compute').optionalString('azureml:cpu-cluster');
    return {
        name: name.optionalString('default'),
        ...(name.present ? { nameAt: name.at() } : {}),
        endpointName: endpointName.optionalString(),
        ...(endpointName.present ? { endpointNameAt: endpointName.at() } : {}),
        model: root.child('model').optionalString('azureml:churn:3'),
        compute,
        codePath,
        scoringScript,
        environment: environmentOf(root.child('environment'), file, baseDir),
        properties,
        tags: root.child('tags').stringMap(),
    };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
;// CONCATENATED MODULE: ./packages/core/src/endpoints/invoke.ts
// Calling a scoring URI the way clients of an online endpoint do: `Authorization: Bearer <key or
// token>`, optionally pinned to one deployment (`azureml-model-deployment`), timed from request to
// last byte. Responses are normalised the way users read them: JSON decoded, a JSON string that
// holds JSON (what `az ml online-endpoint invoke` prints) unwrapped, and a 200 whose body is
// `{"error": …}` counted as a failure. Used by deploy-endpoint's health gate and smoke-invoke.



/** Failed without an HTTP answer (connection refused, timeout, TLS). */
class InvokeError extends Error {
    latencyInMs;
    name = 'InvokeError';
    constructor(message, latencyInMs, options) {
        super(message, options);
        this.latencyInMs = latencyInMs;
    }
}
const agents = new Map();
function agentFor(url, ca) {
    const key = `${url.protocol}|${ca ?? ''}`;
    let agent = agents.get(key);
    if (!agent) {
        agent =
            url.protocol === 'https:'
                ? // A `ca` replaces the default roots: keep the public ones beside the extra certificate.
                    new (external_node_https_default()).Agent({
                        keepAlive: true,
                        maxSockets: 64,
                        ...(ca ? { ca: [...(external_node_tls_default()).rootCertificates, ca] } : {}),
                    })
                : new (external_node_http_default()).Agent({ keepAlive: true, maxSockets: 64 });
        agents.set(key, agent);
    }
    return agent;
}
function invokeEndpoint(target, request) {
    const url = new URL(target.scoringUri);
    const headers = {
        'content-type': request.contentType ?? 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        ...(request.headers ?? {}),
    };
    if (target.credential)
        headers.authorization = `Bearer ${target.credential}`;
    if (target.deployment)
        headers['azureml-model-deployment'] = target.deployment;
    const client = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
    const started = performance.now();
    return new Promise((resolve, reject) => {
        const req = client.request(url, {
            method: 'POST',
            headers,
            agent: agentFor(url, target.ca),
            timeout: request.timeoutInMs ?? 90_000,
            ...(request.abortSignal ? { signal: request.abortSignal } : {}),
        }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('error', (error) => reject(new InvokeError(error.message, performance.now() - started, { cause: error })));
            res.on('end', () => {
                const latencyInMs = performance.now() - started;
                const responseHeaders = {};
                for (const [name, value] of Object.entries(res.headers)) {
                    if (value !== undefined)
                        responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
                }
                resolve(toResponse(res.statusCode ?? 0, responseHeaders, Buffer.concat(chunks).toString('utf8'), latencyInMs));
            });
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutInMs ?? 90_000} ms`)));
        req.on('error', (error) => reject(new InvokeError(`${url.origin}${url.pathname}: ${error.message}`, performance.now() - started, {
            cause: error,
        })));
        req.end(request.body);
    });
}
/** Builds the normalised response (pure; exported for tests). */
function toResponse(status, headers, text, latencyInMs) {
    const json = normalizeJson(text);
    const servedBy = headers['azureml-model-deployment'];
    let problem;
    if (status < 200 || status >= 300)
        problem = `HTTP ${status}${shortBody(text)}`;
    else if (isErrorPayload(json))
        problem = `HTTP ${status} with an error payload${shortBody(text)}`;
    return {
        status,
        headers,
        text,
        ...(json !== undefined ? { json } : {}),
        ...(servedBy ? { servedBy } : {}),
        latencyInMs,
        ok: problem === undefined,
        ...(problem ? { problem } : {}),
    };
}
/** JSON of the body, with JSON held in a JSON string unwrapped (up to a few levels). */
function normalizeJson(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    for (let depth = 0; depth < 3 && typeof value === 'string'; depth += 1) {
        const inner = value.trim();
        if (!/^[[{"]/.test(inner))
            break;
        try {
            value = JSON.parse(inner);
        }
        catch {
            break;
        }
    }
    return value;
}
/** `{"error": …}` (or `{"errors": […]}`) and nothing that looks like a result. */
function isErrorPayload(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return false;
    const keys = Object.keys(value);
    return (keys.length > 0 &&
        keys.every((key) => ['error', 'errors', 'message', 'code', 'details'].includes(key)) &&
        ('error' in value || 'errors' in value));
}
function shortBody(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line ? `: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}` : '';
}
/** Latency percentiles (nearest rank) of `samples` in ms. */
function percentile(samples, p) {
    if (samples.length === 0)
        return Number.NaN;
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return sorted[rank - 1];
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/health-gate.ts
// The health gate of a rollout: a few real requests to one deployment (pinned by header), each
// must answer 2xx without an error payload, and the p95 latency must stay under a limit.

async function runHealthGate(target, request, options) {
    const latencies = [];
    const problems = [];
    let failures = 0;
    for (let i = 0; i < options.requests; i += 1) {
        options.abortSignal?.throwIfAborted();
        try {
            const response = await invokeEndpoint(target, { ...request, abortSignal: options.abortSignal });
            latencies.push(response.latencyInMs);
            if (!response.ok) {
                failures += 1;
                if (problems.length < 3)
                    problems.push(response.problem ?? `HTTP ${response.status}`);
            }
            else if (target.deployment && response.servedBy && response.servedBy !== target.deployment) {
                failures += 1;
                if (problems.length < 3)
                    problems.push(`answered by '${response.servedBy}', not '${target.deployment}'`);
            }
        }
        catch (error) {
            // A cancelled gate is not a failed request: stop with the abort reason, even on the last one.
            options.abortSignal?.throwIfAborted();
            if (!(error instanceof InvokeError))
                throw error;
            failures += 1;
            latencies.push(error.latencyInMs);
            if (problems.length < 3)
                problems.push(error.message);
        }
    }
    const p50InMs = percentile(latencies, 50);
    const p95InMs = percentile(latencies, 95);
    const errorRate = options.requests === 0 ? 0 : failures / options.requests;
    let reason;
    if (errorRate > (options.maxErrorRate ?? 0)) {
        reason = `${failures} of ${options.requests} health requests failed (${problems[0] ?? 'no answer'})`;
    }
    else if (options.maxP95InMs !== undefined && p95InMs > options.maxP95InMs) {
        reason = `p95 latency ${Math.round(p95InMs)} ms is over the ${options.maxP95InMs} ms limit`;
    }
    return {
        passed: reason === undefined,
        requests: options.requests,
        failures,
        p50InMs,
        p95InMs,
        problems,
        ...(reason ? { reason } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/online-endpoints.ts
// Managed online endpoints and their deployments through ARM REST (api-version
// API_VERSIONS.endpoints, which has mirrorTraffic): reads, long-running writes waited on with
// progress, traffic changes as full endpoint PUTs (as the CLI and the recorded traffic do), keys
// and tokens (handed to onSecret before anyone sees them), and the deployments' container logs.




class OnlineEndpoints {
    rest;
    workspace;
    onSecret;
    apiVersion = API_VERSIONS.endpoints;
    constructor(rest, workspace, onSecret) {
        this.rest = rest;
        this.workspace = workspace;
        this.onSecret = onSecret;
    }
    endpointId(name) {
        return onlineEndpointArmId(this.workspace, name);
    }
    deploymentId(endpoint, name) {
        return onlineDeploymentArmId(this.workspace, endpoint, name);
    }
    async get(name, options = {}) {
        return this.getOrUndefined(this.endpointId(name), options.abortSignal);
    }
    /** Creates or replaces the endpoint (a full PUT) and waits until it is provisioned. */
    async put(name, body, options = {}) {
        return this.write('PUT', this.endpointId(name), body, options);
    }
    /** Sets live and mirrored traffic, keeping everything else of the endpoint as it is. */
    async setTraffic(name, traffic, mirrorTraffic, options = {}) {
        const current = await this.get(name, options);
        if (!current)
            throw new Error(`Online endpoint '${name}' does not exist.`);
        const body = writableEndpoint(current);
        body.properties = {
            ...body.properties,
            traffic,
            mirrorTraffic: mirrorTraffic ?? {},
        };
        return this.put(name, body, options);
    }
    async listDeployments(endpoint, options = {}) {
        const found = [];
        try {
            for await (const item of this.rest.list(`${this.endpointId(endpoint)}/deployments`, this.apiVersion, {
                ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
            })) {
                found.push(item);
            }
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return [];
            throw error;
        }
        return found;
    }
    async getDeployment(endpoint, name, options = {}) {
        return this.getOrUndefined(this.deploymentId(endpoint, name), options.abortSignal);
    }
    /** Creates or updates the deployment and waits for provisioning (Failed → OperationFailedError). */
    async putDeployment(endpoint, name, body, options = {}) {
        return this.write('PUT', this.deploymentId(endpoint, name), body, options);
    }
    async deleteDeployment(endpoint, name, options = {}) {
        await this.write('DELETE', this.deploymentId(endpoint, name), undefined, options);
    }
    /** The deployment's container log tail (`InferenceServer` or `StorageInitializer`). */
    async deploymentLogs(endpoint, name, options = {}) {
        const response = await this.rest.request({
            method: 'POST',
            path: `${this.deploymentId(endpoint, name)}/getLogs`,
            apiVersion: this.apiVersion,
            body: { containerType: options.containerType ?? 'InferenceServer', tail: options.tail ?? 100 },
            abortSignal: options.abortSignal,
        });
        return response.body?.content ?? '';
    }
    async listKeys(name, options = {}) {
        const response = await this.rest.request({
            method: 'POST',
            path: `${this.endpointId(name)}/listKeys`,
            apiVersion: this.apiVersion,
            abortSignal: options.abortSignal,
        });
        const primaryKey = response.body?.primaryKey ?? '';
        const secondaryKey = response.body?.secondaryKey ?? '';
        for (const key of [primaryKey, secondaryKey])
            if (key)
                this.onSecret(key);
        return { primaryKey, secondaryKey };
    }
    /** An AML token (endpoints with authMode AMLToken). */
    async token(name, options = {}) {
        const response = await this.rest.request({
            method: 'POST',
            path: `${this.endpointId(name)}/token`,
            apiVersion: this.apiVersion,
            abortSignal: options.abortSignal,
        });
        const accessToken = response.body?.accessToken ?? '';
        if (accessToken)
            this.onSecret(accessToken);
        return {
            accessToken,
            ...(response.body?.expiryTimeUtc !== undefined ? { expiryTimeUtc: response.body.expiryTimeUtc } : {}),
        };
    }
    async getOrUndefined(path, abortSignal) {
        try {
            const response = await this.rest.request({
                method: 'GET',
                path,
                apiVersion: this.apiVersion,
                abortSignal,
            });
            return response.body;
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    async write(method, path, body, options) {
        const initial = await this.rest.request({
            method,
            path,
            apiVersion: this.apiVersion,
            ...(body !== undefined ? { body } : {}),
            abortSignal: options.abortSignal,
        });
        const result = await waitForArmOperation(this.rest, initial, {
            pollIntervalInMs: options.pollIntervalInMs ?? 5_000,
            ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
            ...(options.onPoll ? { onPoll: options.onPoll } : {}),
            abortSignal: options.abortSignal,
        });
        return (result.body ?? initial.body);
    }
}
/** The endpoint as a PUT body: read-only parts left out. */
function writableEndpoint(endpoint) {
    const { id: _id, name: _name, type: _type, systemData: _systemData, ...rest } = endpoint;
    const { provisioningState: _state, scoringUri: _scoring, swaggerUri: _swagger, ...properties } = endpoint.properties;
    return {
        ...rest,
        ...(endpoint.identity ? { identity: writableIdentity(endpoint.identity) } : {}),
        properties,
    };
}
/** A managed identity as a PUT body: the ids Azure assigns (principalId, tenantId, clientId) left out. */
function writableIdentity(identity) {
    const { principalId: _principal, tenantId: _tenant, userAssignedIdentities, ...rest } = identity;
    if (!userAssignedIdentities || typeof userAssignedIdentities !== 'object')
        return rest;
    return {
        ...rest,
        // Each user-assigned identity is named by its ARM id; its value is read-only and sent empty.
        userAssignedIdentities: Object.fromEntries(Object.keys(userAssignedIdentities).map((id) => [id, {}])),
    };
}
/** The deployment as a PUT body: read-only parts left out. */
function writableDeployment(deployment) {
    const { id: _id, name: _name, type: _type, systemData: _systemData, ...rest } = deployment;
    const { provisioningState: _state, ...properties } = deployment.properties;
    return { ...rest, properties };
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/scoring-credential.ts
// The credential an online endpoint's scoring URI accepts, by its auth mode: the endpoint's
// primary key, an AML token, or a Microsoft Entra token for Azure ML. One place for the choice,
// shared by the actions that call endpoints (deploy-endpoint's health gate, smoke-invoke).

/** The scope of Microsoft Entra tokens that scoring URIs of AADToken endpoints accept. */
const ENTRA_SCORING_SCOPE = 'https://ml.azure.com/.default';
/** The scoring auth an endpoint's `authMode` asks for (Key when unset, as the service defaults). */
function scoringAuthOf(authMode) {
    if (authMode === 'AMLToken')
        return 'aml_token';
    if (authMode === 'AADToken')
        return 'aad_token';
    return 'key';
}
/** The credential, and a description for logs that holds none of it. */
async function scoringCredential(auth, options) {
    const call = { abortSignal: options.abortSignal };
    const { endpoints, endpointName } = options;
    if (auth !== 'aad_token' && (!endpoints || !endpointName)) {
        throw new errors/* ConfigurationError */.j1(`${auth === 'key' ? 'an endpoint key' : 'an AML token'} needs the endpoint`, {
            ...(options.input && { input: options.input }),
            fix: 'Name the endpoint (and its workspace), or give the key itself.',
        });
    }
    switch (auth) {
        case 'key': {
            const keys = await endpoints.listKeys(endpointName, call);
            return { credential: keys.primaryKey, description: 'endpoint key (listKeys)' };
        }
        case 'aml_token': {
            const token = await endpoints.token(endpointName, call);
            return { credential: token.accessToken, description: 'AML token' };
        }
        case 'aad_token': {
            const token = await options.tokenCredential().getToken(ENTRA_SCORING_SCOPE, call);
            if (!token?.token) {
                throw new errors/* ConfigurationError */.j1('no Microsoft Entra token for the scoring endpoint could be obtained', {
                    ...(options.input && { input: options.input }),
                    fix: 'Check the sign-in inputs (client-id, tenant-id, OIDC permissions), or use key auth.',
                });
            }
            options.mask(token.token);
            return { credential: token.token, description: 'Microsoft Entra token' };
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/traffic.ts
// Traffic maps of an online endpoint (deployment → percent of live requests) as pure values:
// validated, compared, and the steps of a rollout computed from the map before it. Percentages are
// whole numbers summing to 100 (or an empty/all-zero map: nothing serves), as ARM requires.

/** The map without zero entries, keys sorted: two maps are the same traffic when these are equal. */
function normalizeTraffic(traffic) {
    const entries = Object.entries(traffic ?? {})
        .filter(([, percent]) => percent > 0)
        .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
}
function sameTraffic(a, b) {
    return JSON.stringify(normalizeTraffic(a)) === JSON.stringify(normalizeTraffic(b));
}
function totalTraffic(traffic) {
    return Object.values(traffic).reduce((sum, percent) => sum + percent, 0);
}
/** `blue=90 green=10`, or `none` for an endpoint that serves nothing. */
function formatTraffic(traffic) {
    const entries = Object.entries(normalizeTraffic(traffic));
    return entries.length === 0 ? 'none' : entries.map(([name, percent]) => `${name}=${percent}`).join(' ');
}
/** The deployment taking the most traffic (ties: the first by name), if any takes some. */
function topDeployment(traffic) {
    let best;
    for (const [name, percent] of Object.entries(normalizeTraffic(traffic))) {
        if (!best || percent > best[1])
            best = [name, percent];
    }
    return best?.[0];
}
/**
 * `deployment` takes `percent`; the others share the rest in proportion to what they had
 * (largest remainders get the rounding), so the map still sums to 100. When nothing else had
 * traffic, `deployment` takes 100 whatever `percent` says: a live endpoint never serves less.
 */
function shiftTraffic(before, deployment, percent) {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
        throw new RangeError(`A traffic share is a whole percentage 0–100, not ${percent}.`);
    }
    const others = Object.entries(normalizeTraffic(before)).filter(([name]) => name !== deployment);
    const othersTotal = others.reduce((sum, [, share]) => sum + share, 0);
    if (othersTotal === 0)
        return { [deployment]: 100 };
    const rest = 100 - percent;
    const exact = others.map(([name, share]) => ({ name, value: (share / othersTotal) * rest }));
    const floors = exact.map((entry) => ({ ...entry, floor: Math.floor(entry.value) }));
    let missing = rest - floors.reduce((sum, entry) => sum + entry.floor, 0);
    const byRemainder = [...floors].sort((a, b) => b.value - b.floor - (a.value - a.floor) || a.name.localeCompare(b.name));
    const result = {};
    for (const entry of byRemainder) {
        result[entry.name] = entry.floor + (missing > 0 ? 1 : 0);
        if (missing > 0)
            missing -= 1;
    }
    if (percent > 0)
        result[deployment] = percent;
    return normalizeTraffic(result);
}
/** `10,50,100` → [10, 50, 100]: increasing whole percentages ending at 100. */
function parseCanarySteps(text, input = 'canary-steps') {
    const parts = text
        .split(/[\s,]+/)
        .map((part) => part.trim().replace(/%$/, ''))
        .filter((part) => part !== '');
    const fix = 'Write increasing percentages, e.g. `10,50,100` (end below 100 to promote later with action: promote).';
    if (parts.length === 0)
        throw new errors/* ConfigurationError */.j1('no canary steps are given', { input, fix });
    const steps = parts.map((part) => {
        if (!/^\d+$/.test(part) || Number(part) < 1 || Number(part) > 100) {
            throw new errors/* ConfigurationError */.j1(`'${part}' is not a percentage from 1 to 100`, { input, fix });
        }
        return Number(part);
    });
    for (let i = 1; i < steps.length; i += 1) {
        if (steps[i] <= steps[i - 1]) {
            throw new errors/* ConfigurationError */.j1(`the steps must increase, but ${steps[i]} follows ${steps[i - 1]}`, {
                input,
                fix,
            });
        }
    }
    // A last step below 100 is allowed: the rollout stops there and a later step (after an
    // approval) promotes or rejects the deployment.
    return steps;
}
/** Checks a map as ARM would: known deployments, whole 0–100 shares, sum 100 or 0. */
function checkTraffic(traffic, deployments, input = 'traffic') {
    for (const [name, percent] of Object.entries(traffic)) {
        if (!deployments.includes(name)) {
            throw new errors/* ConfigurationError */.j1(`traffic names deployment '${name}', which the endpoint does not have`, {
                input,
                fix: `Use the endpoint's deployments: ${deployments.join(', ') || '(none yet)'}.`,
            });
        }
        if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
            throw new errors/* ConfigurationError */.j1(`traffic for '${name}' is ${percent}, not a whole percentage 0–100`, {
                input,
                fix: 'Give each deployment a whole percentage.',
            });
        }
    }
    const total = totalTraffic(traffic);
    if (total !== 100 && total !== 0) {
        throw new errors/* ConfigurationError */.j1(`traffic sums to ${total}, not 100`, {
            input,
            fix: 'Make the shares add up to 100 (or 0 to stop serving).',
        });
    }
}

;// CONCATENATED MODULE: ./packages/core/src/endpoints/index.ts








;// CONCATENATED MODULE: ./packages/core/src/metrics/mlflow-client.ts
// The MLflow tracking REST API 2.0 (what `mlflow` clients speak) of an Azure ML workspace, at
// `<tracking URI>/api/2.0/mlflow/<op>`, with the ARM token (Azure ML accepts it). `rest` is the
// data-plane client for the tracking URI's origin (DataPlaneClients.forUrl).

/** Guards against a service that keeps answering the same page token. */
const MAX_PAGES = 1_000;
class MlflowClient {
    rest;
    apiBase;
    constructor(rest, trackingUri) {
        this.rest = rest;
        if (!/^https:\/\//i.test(trackingUri)) {
            throw new Error(`The MLflow tracking URI must be https:// (got '${trackingUri}'); convert azureml:// first.`);
        }
        this.apiBase = `${trackingUri.replace(/\/+$/, '')}/api/2.0/mlflow`;
    }
    async getRun(runId, options = {}) {
        // run_uuid beside run_id, as the mlflow client sends it, for servers that know only the old name.
        const body = await this.call('GET', 'runs/get', {
            query: { run_id: runId, run_uuid: runId },
            ...options,
        });
        return normalizeRun(body.run, `runs/get ${runId}`);
    }
    /** Every run that matches, across all pages. */
    async searchRuns(query, options = {}) {
        const runs = [];
        let pageToken;
        for (let page = 0; page < MAX_PAGES; page += 1) {
            const body = await this.call('POST', 'runs/search', {
                body: {
                    experiment_ids: query.experimentIds,
                    ...(query.filter ? { filter: query.filter } : {}),
                    ...(query.orderBy?.length ? { order_by: query.orderBy } : {}),
                    ...(query.maxResults !== undefined ? { max_results: query.maxResults } : {}),
                    ...(pageToken ? { page_token: pageToken } : {}),
                },
                ...options,
            });
            for (const run of body.runs ?? [])
                runs.push(normalizeRun(run, 'runs/search'));
            if (!body.next_page_token || body.next_page_token === pageToken)
                return runs;
            pageToken = body.next_page_token;
        }
        throw new Error(`MLflow runs/search returned more than ${MAX_PAGES} pages; stopping.`);
    }
    /** Every value logged for `key`, in the order the service gives (by step and time). */
    async metricHistory(runId, key, options = {}) {
        const metrics = [];
        let pageToken;
        for (let page = 0; page < MAX_PAGES; page += 1) {
            const body = await this.call('GET', 'metrics/get-history', {
                query: { run_id: runId, run_uuid: runId, metric_key: key, page_token: pageToken },
                ...options,
            });
            for (const metric of body.metrics ?? [])
                metrics.push(normalizeMetric(metric));
            if (!body.next_page_token || body.next_page_token === pageToken)
                return metrics;
            pageToken = body.next_page_token;
        }
        throw new Error(`MLflow metrics/get-history returned more than ${MAX_PAGES} pages; stopping.`);
    }
    /** The latest value of every metric of the run. */
    async finalMetrics(runId, options = {}) {
        return latestMetrics(await this.getRun(runId, options));
    }
    /** The experiment, or undefined when there is none by that name. */
    async experimentByName(name, options = {}) {
        try {
            const body = await this.call('GET', 'experiments/get-by-name', {
                query: { experiment_name: name },
                ...options,
            });
            if (!body.experiment?.experiment_id) {
                throw new Error(`MLflow experiments/get-by-name '${name}' answered no experiment.`);
            }
            return { ...body.experiment, experiment_id: String(body.experiment.experiment_id) };
        }
        catch (error) {
            // MLflow answers RESOURCE_DOES_NOT_EXIST with 404.
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    async call(method, operation, request) {
        const response = await this.rest.request({
            method,
            path: `${this.apiBase}/${operation}`,
            query: request.query,
            body: request.body,
            abortSignal: request.abortSignal,
        });
        const body = response.body;
        if (typeof body !== 'object' || body === null) {
            throw new Error(`MLflow ${operation} answered no JSON object (status ${response.status}).`);
        }
        return body;
    }
}
/** Latest value per metric key of a run (the run's `data.metrics` holds the latest already). */
function latestMetrics(run) {
    const latest = new Map();
    for (const metric of run.data.metrics) {
        const seen = latest.get(metric.key);
        if (!seen ||
            metric.step > seen.step ||
            (metric.step === seen.step && metric.timestamp >= seen.timestamp)) {
            latest.set(metric.key, metric);
        }
    }
    return Object.fromEntries([...latest.values()].map((metric) => [metric.key, metric.value]));
}
/** The value of a run's tag, if set. */
function runTag(run, key) {
    return run.data.tags.find((tag) => tag.key === key)?.value;
}
function normalizeRun(value, what) {
    const run = value;
    const info = run?.info;
    const runId = info?.run_id ?? info?.run_uuid;
    if (!info || typeof runId !== 'string')
        throw new Error(`MLflow ${what} answered a run without info.run_id.`);
    const data = (run?.data ?? {});
    return {
        info: {
            ...info,
            run_id: runId,
            experiment_id: String(info.experiment_id ?? ''),
            ...(info.start_time !== undefined ? { start_time: Number(info.start_time) } : {}),
            ...(info.end_time !== undefined && info.end_time !== null ? { end_time: Number(info.end_time) } : {}),
        },
        data: {
            metrics: (data.metrics ?? []).map(normalizeMetric),
            params: data.params ?? [],
            tags: data.tags ?? [],
        },
    };
}
// Protobuf JSON writes int64 as strings and NaN/Infinity as "NaN"/"Infinity": Number() reads all.
function normalizeMetric(value) {
    const metric = value;
    return {
        key: String(metric.key ?? ''),
        value: Number(metric.value),
        timestamp: Number(metric.timestamp ?? 0),
        step: Number(metric.step ?? 0),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/children.ts
// The child jobs of a pipeline (its steps) or a sweep (its trials). Azure ML hides them from the
// job list; their MLflow runs carry `mlflow.parentRunId` = the parent job, plus `azureml.nodeid`
// (pipeline step) or `azureml.trial` (sweep trial). Each child is also a job, whose ARM status is
// the one Azure reports; MLflow times give the duration. A sweep parent names its best trial in
// the `best_child_run_id` tag.


const PARENT_RUN_TAG = 'mlflow.parentRunId';
const STEP_TAG = 'azureml.nodeid';
const TRIAL_TAG = 'azureml.trial';
const BEST_CHILD_TAG = 'best_child_run_id';
/** The children of `parentName`, ordered by start time then name; [] when the experiment does not exist. */
async function listChildJobs(mlflow, jobs, parentName, experimentName, options = {}) {
    const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
    const experiment = await mlflow.experimentByName(experimentName, call);
    if (!experiment)
        return [];
    const [runs, best] = await Promise.all([
        mlflow.searchRuns({ experimentIds: [experiment.experiment_id], filter: parentRunFilter(parentName), maxResults: 1000 }, call),
        bestChildRunId(mlflow, parentName, call),
    ]);
    const statuses = options.statusFrom === 'mlflow'
        ? runs.map(() => undefined)
        : await mapLimited(runs, options.concurrency ?? 8, (run) => armStatus(jobs, run.info.run_id, call));
    return runs
        .map((run, index) => childJob(run, statuses[index], best))
        .sort((a, b) => (a.startTimeMs ?? Number.POSITIVE_INFINITY) - (b.startTimeMs ?? Number.POSITIVE_INFINITY) ||
        a.name.localeCompare(b.name));
}
/** The parent's `best_child_run_id` tag (set on a sweep when it finishes). */
async function bestChildRunId(mlflow, parentName, options = {}) {
    try {
        return runTag(await mlflow.getRun(parentName, options), BEST_CHILD_TAG);
    }
    catch (error) {
        if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
            return undefined;
        throw error;
    }
}
/** `tags.mlflow.parentRunId = '<parent>'`; job names never hold quotes, so one is refused. */
function parentRunFilter(parentName) {
    if (/['"\\]/.test(parentName))
        throw new Error(`'${parentName}' is not a job name: it holds a quote.`);
    return `tags.${PARENT_RUN_TAG} = '${parentName}'`;
}
/** MLflow's run status in Azure ML's words, for a child ARM does not know. */
function azureStatusOfMlflowRun(status) {
    switch (status) {
        case 'RUNNING':
            return 'Running';
        case 'SCHEDULED':
            return 'Queued';
        case 'FINISHED':
            return 'Completed';
        case 'FAILED':
            return 'Failed';
        case 'KILLED':
            return 'Canceled';
        default:
            return 'Unknown';
    }
}
function childJob(run, armStatusOrUndefined, best) {
    const node = runTag(run, STEP_TAG);
    const trial = runTag(run, TRIAL_TAG);
    const kind = node !== undefined ? 'step' : trial !== undefined ? 'trial' : 'child';
    return {
        name: run.info.run_id,
        step: node ?? trial ?? run.info.run_name ?? runTag(run, 'mlflow.runName') ?? run.info.run_id,
        kind,
        status: armStatusOrUndefined ?? azureStatusOfMlflowRun(run.info.status),
        startTimeMs: positive(run.info.start_time),
        endTimeMs: positive(run.info.end_time),
        best: best !== undefined && best === run.info.run_id,
    };
}
async function armStatus(jobs, name, options) {
    try {
        return (await jobs.get(name, options)).properties.status;
    }
    catch (error) {
        if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
            return undefined;
        throw error;
    }
}
function positive(value) {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
/** `map` with at most `limit` calls in flight, results in input order. */
async function mapLimited(items, limit, map) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await map(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/completed-job.ts
// A job that must exist and have Completed before its results are read (metrics, outputs), and a
// pipeline step of it by name. Each failure is a ConfigurationError naming the input to fix.


async function getCompletedJob(jobs, name, options) {
    let job;
    try {
        job = await jobs.get(name, options.abortSignal ? { abortSignal: options.abortSignal } : {});
    }
    catch (error) {
        if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404) {
            throw new errors/* ConfigurationError */.j1(`job '${name}' does not exist in the workspace`, {
                input: options.input,
                fix: 'Give the name of a finished job (train-pipeline prints it and sets its job-name output).',
            });
        }
        throw error;
    }
    const status = job.properties.status;
    if (status !== 'Completed') {
        throw new errors/* ConfigurationError */.j1(`job '${name}' is ${status ?? 'in an unknown state'}, not Completed`, {
            input: options.input,
            fix: options.notCompletedFix,
        });
    }
    return job;
}
/** The child job of pipeline `parent` for step `step`; the error lists the steps it has. */
async function findStepJob(mlflow, jobs, parent, step, options) {
    const children = await listChildJobs(mlflow, jobs, parent.name, parent.properties.experimentName ?? 'Default', {
        abortSignal: options.abortSignal,
    });
    const match = children.find((child) => child.step === step);
    if (match)
        return match;
    const steps = children.map((child) => child.step);
    throw new errors/* ConfigurationError */.j1(`job '${parent.name}' has no step '${step}'`, {
        input: options.input,
        fix: steps.length > 0
            ? `Use one of its steps: ${steps.join(', ')}.`
            : `Job '${parent.name}' has no steps; leave step out.`,
    });
}

// EXTERNAL MODULE: ./packages/core/src/workspace/json-error.ts
var json_error = __webpack_require__(45886);
;// CONCATENATED MODULE: ./packages/core/src/gate/metric-files.ts
// Metrics from local files and inline JSON: flat or nested JSON (optionally a path into it), CSV
// with `name,value` rows, and an MLflow `metrics/` folder (one file per metric, lines
// `<timestamp> <value> <step>`). Nested objects flatten to dotted names. Every problem names the
// file (and line where there is one) and how to fix it.




/** Reads `file` by its kind: a folder (MLflow metrics), `.csv`, or JSON (anything else). */
async function readMetricsFile(file, options = {}) {
    const input = options.input;
    let info;
    try {
        info = await (0,external_node_fs_promises_.stat)(file);
    }
    catch {
        throw new errors/* ConfigurationError */.j1(`the metrics file '${file}' does not exist`, {
            ...(input ? { input } : {}),
            fix: 'Check the path (relative to the workspace) and that an earlier step wrote the file.',
        });
    }
    if (info.isDirectory())
        return readMlflowMetricsFolder(file, options);
    const text = await (0,external_node_fs_promises_.readFile)(file, 'utf8');
    if (file.toLowerCase().endsWith('.csv'))
        return parseMetricsCsv(text, file, input);
    return parseMetricsJson(text, { file, ...(input ? { input } : {}), jsonPath: options.jsonPath });
}
/** JSON text → metrics. Numbers and numeric strings count; nested objects flatten to `a.b`. */
function parseMetricsJson(text, where) {
    const at = { ...(where.file ? { file: where.file } : {}), ...(where.input ? { input: where.input } : {}) };
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        const { line, column } = (0,json_error/* locateJsonSyntaxError */.e)(text, error);
        throw new errors/* ConfigurationError */.j1(`the metrics are not valid JSON (syntax error at line ${line}, column ${column})`, {
            ...at,
            line,
            column,
            fix: 'Write a JSON object of metric names to numbers, e.g. {"accuracy": 0.91, "rmse": 3.2}.',
        });
    }
    if (where.jsonPath) {
        for (const key of where.jsonPath.split('.').filter(Boolean)) {
            if (!isObject(value) || !(key in value)) {
                const keys = isObject(value) ? Object.keys(value).slice(0, 10).join(', ') : '(not an object)';
                throw new errors/* ConfigurationError */.j1(`the JSON has nothing at '${where.jsonPath}' (no key '${key}')`, {
                    ...at,
                    fix: `Use a path through the keys that exist; at this level: ${keys}.`,
                });
            }
            value = value[key];
        }
    }
    if (!isObject(value)) {
        throw new errors/* ConfigurationError */.j1('the metrics JSON is not an object', {
            ...at,
            fix: 'Write an object of metric names to numbers, or give metrics-path to the object inside.',
        });
    }
    const metrics = {};
    flatten(value, '', metrics);
    if (Object.keys(metrics).length === 0) {
        throw new errors/* ConfigurationError */.j1('the metrics JSON holds no numbers', {
            ...at,
            fix: 'Each metric must be a number (or a numeric string, or "NaN").',
        });
    }
    return metrics;
}
/** `name,value` rows; a first row `name,value` (any header whose value is not numeric) is skipped. */
function parseMetricsCsv(text, file, input) {
    const metrics = {};
    const seenAt = new Map();
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, index) => {
        const line = index + 1;
        if (raw.trim() === '' || raw.trimStart().startsWith('#'))
            return;
        const cells = raw.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
        const [name, valueText] = cells;
        const value = toMetricNumber(valueText);
        if (index === 0 && value === undefined)
            return; // header
        if (!name || value === undefined || cells.length !== 2) {
            throw new errors/* ConfigurationError */.j1(`the row '${raw.trim()}' is not 'name,value' with a number`, {
                file,
                line,
                ...(input ? { input } : {}),
                fix: 'Write one metric per row as name,value (e.g. accuracy,0.91).',
            });
        }
        const earlier = seenAt.get(name);
        if (earlier !== undefined) {
            throw new errors/* ConfigurationError */.j1(`the metric '${name}' appears twice (lines ${earlier} and ${line})`, {
                file,
                line,
                ...(input ? { input } : {}),
                fix: 'Keep one row per metric.',
            });
        }
        seenAt.set(name, line);
        metrics[name] = value;
    });
    if (Object.keys(metrics).length === 0) {
        throw new errors/* ConfigurationError */.j1('the CSV holds no metrics', {
            file,
            ...(input ? { input } : {}),
            fix: 'Write one metric per row as name,value.',
        });
    }
    return metrics;
}
/** An MLflow run's `metrics/` folder: a file per metric (keys with `/` as sub-folders). */
async function readMlflowMetricsFolder(folder, options = {}) {
    const metrics = {};
    for (const relative of await listFiles(folder)) {
        const file = external_node_path_default().join(folder, relative);
        const history = parseMlflowMetricHistory(await (0,external_node_fs_promises_.readFile)(file, 'utf8'), file, options.input);
        if (history.length === 0)
            continue;
        metrics[relative.split((external_node_path_default()).sep).join('/')] = aggregateHistory(history, options.aggregate ?? 'last');
    }
    if (Object.keys(metrics).length === 0) {
        throw new errors/* ConfigurationError */.j1(`the MLflow metrics folder '${folder}' holds no metrics`, {
            ...(options.input ? { input: options.input } : {}),
            fix: "Point at a run's metrics/ folder (mlruns/<experiment>/<run>/metrics).",
        });
    }
    return metrics;
}
/** Lines `<timestamp> <value> [<step>]` of an MLflow file store metric file. */
function parseMlflowMetricHistory(text, file, input) {
    const points = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        if (raw.trim() === '')
            return;
        const [timestamp, valueText, step] = raw.trim().split(/\s+/);
        const value = toMetricNumber(valueText);
        if (timestamp === undefined || value === undefined || !/^\d+$/.test(timestamp)) {
            throw new errors/* ConfigurationError */.j1(`the line '${raw.trim()}' is not '<timestamp> <value> <step>'`, {
                file,
                line: index + 1,
                ...(input ? { input } : {}),
                fix: 'Point at an MLflow file-store metrics folder, or use a JSON or CSV metrics file.',
            });
        }
        points.push({ timestamp: Number(timestamp), value, step: step === undefined ? 0 : Number(step) });
    });
    return points;
}
/** One value from a metric's history: the latest by step then timestamp, or min/max/mean. */
function aggregateHistory(points, aggregate) {
    if (points.length === 0)
        throw new Error('no points to aggregate');
    const values = points.map((point) => point.value);
    switch (aggregate) {
        case 'min':
            return Math.min(...values);
        case 'max':
            return Math.max(...values);
        case 'mean':
            return values.reduce((sum, value) => sum + value, 0) / values.length;
        case 'last': {
            const latest = [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp).at(-1);
            return latest.value;
        }
    }
}
function flatten(value, prefix, into) {
    for (const [key, child] of Object.entries(value)) {
        const name = prefix ? `${prefix}.${key}` : key;
        if (isObject(child))
            flatten(child, name, into);
        else {
            const number = toMetricNumber(child);
            if (number !== undefined)
                into[name] = number;
        }
    }
}
/** Numbers, numeric strings and "NaN"/"Infinity" (as MLflow writes them); anything else is not a metric. */
function toMetricNumber(value) {
    if (typeof value === 'number')
        return value;
    if (typeof value !== 'string')
        return undefined;
    const text = value.trim();
    if (/^[+-]?(nan|infinity|inf)$/i.test(text)) {
        if (/nan/i.test(text))
            return Number.NaN;
        return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
        return undefined;
    return Number(text);
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
async function listFiles(folder, prefix = '') {
    const files = [];
    const entries = await (0,external_node_fs_promises_.readdir)(external_node_path_default().join(folder, prefix), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const relative = external_node_path_default().join(prefix, entry.name);
        if (entry.isDirectory())
            files.push(...(await listFiles(folder, relative)));
        else if (entry.isFile())
            files.push(relative);
    }
    return files;
}

;// CONCATENATED MODULE: ./packages/core/src/gate/job-metrics.ts
// The metrics of an Azure ML job, read from the workspace's MLflow tracking: the job's own run, a
// named pipeline step's run, or for a sweep its best trial (the `best_child_run_id` the service
// sets). Final values by default; min/max/mean over each metric's history when asked.




async function readJobMetrics(mlflow, jobs, jobName, options = {}) {
    const jobInput = options.jobInput ?? 'job-name';
    const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
    const job = await getCompletedJob(jobs, jobName, {
        input: jobInput,
        notCompletedFix: 'Gate on a job that completed: wait for it (train-pipeline with wait: true) or fix its failure first.',
        abortSignal: options.abortSignal,
    });
    let runId = jobName;
    let source = `job ${jobName}`;
    if (options.step) {
        const match = await findStepJob(mlflow, jobs, job, options.step, {
            input: options.stepInput ?? 'step',
            abortSignal: options.abortSignal,
        });
        runId = match.name;
        source = `step ${options.step} (${match.name}) of job ${jobName}`;
    }
    else if (job.properties.jobType === 'Sweep') {
        const best = await bestChildRunId(mlflow, jobName, call);
        if (!best) {
            throw new errors/* ConfigurationError */.j1(`sweep job '${jobName}' names no best trial`, {
                input: jobInput,
                fix: 'The sweep records its best trial when it completes with an objective metric logged by the trials.',
            });
        }
        runId = best;
        source = `best trial ${best} of sweep ${jobName}`;
    }
    const metrics = await runMetrics(mlflow, runId, options.aggregate ?? 'last', call);
    if (Object.keys(metrics).length === 0) {
        throw new errors/* ConfigurationError */.j1(`${source} logged no metrics`, {
            input: jobInput,
            fix: 'Log metrics with mlflow.log_metric in the training script, or read them from a file with metrics-file.',
        });
    }
    return { metrics, runId, source, job };
}
async function runMetrics(mlflow, runId, aggregate, call) {
    if (aggregate === 'last')
        return mlflow.finalMetrics(runId, call);
    const run = await mlflow.getRun(runId, call);
    const metrics = {};
    for (const { key } of run.data.metrics) {
        const history = await mlflow.metricHistory(runId, key, call);
        if (history.length > 0)
            metrics[key] = aggregateHistory(history, aggregate);
    }
    return metrics;
}

;// CONCATENATED MODULE: ./packages/core/src/gate/model-metrics.ts
// The metrics of a registered model version. register-model records them as `metrics.<name>`
// properties (tags are read too); a version without any falls back to the metrics of the job
// that trained it (`jobName`, which the service sets on versions registered from a job output).





const METRIC_PROPERTY_PREFIX = 'metrics.';
function parseModelRef(text, input) {
    const trimmed = text.trim().replace(/^azureml:/, '');
    const match = /^([A-Za-z0-9][\w.-]*)(?::([\w.-]+)|@(latest))?$/.exec(trimmed);
    if (!match) {
        throw new errors/* ConfigurationError */.j1(`'${text}' is not a model reference`, {
            input,
            fix: 'Write azureml:<name>:<version>, <name>:<version>, <name>@latest, or a model name.',
        });
    }
    return { name: match[1], ...(match[2] ? { version: match[2] } : {}) };
}
/** `metrics.<name>` entries of a version's properties and tags (properties win), as numbers. */
function metricsOfModelVersion(version) {
    const metrics = {};
    const bags = [version.properties.tags, version.properties.properties];
    for (const bag of bags) {
        if (typeof bag !== 'object' || bag === null)
            continue;
        for (const [key, value] of Object.entries(bag)) {
            if (!key.startsWith(METRIC_PROPERTY_PREFIX))
                continue;
            const number = toMetricNumber(value);
            if (number !== undefined)
                metrics[key.slice(METRIC_PROPERTY_PREFIX.length)] = number;
        }
    }
    return metrics;
}
/** The training job of a version, when the service or register-model recorded one. */
function trainingJobOf(version) {
    const direct = version.properties.jobName;
    if (typeof direct === 'string' && direct)
        return direct;
    const inner = version.properties.properties;
    const recorded = inner?.['azureml.jobName'] ?? inner?.job_name;
    return typeof recorded === 'string' && recorded ? recorded : undefined;
}
/**
 * The version `ref` names. Undefined when the model (or, with a tag, a version carrying it) does
 * not exist yet: a first deployment has no champion. An explicit version that does not exist is
 * a configuration error.
 */
async function findModelVersion(assets, rest, workspace, ref, options) {
    const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
    if (ref.version !== undefined) {
        const version = await assets.get('models', ref.name, ref.version, call);
        if (version)
            return version;
        const exists = (await assets.latest('models', ref.name, call)) !== undefined;
        throw new errors/* ConfigurationError */.j1(exists ? `model '${ref.name}' has no version '${ref.version}'` : `model '${ref.name}' does not exist`, {
            input: options.input,
            fix: exists
                ? `Use an existing version (az ml model list --name ${ref.name}), or ${ref.name}@latest.`
                : await suggestModel(assets, ref.name, call),
        });
    }
    if (!options.tag)
        return assets.latest('models', ref.name, call);
    const { key, value } = options.tag;
    const versions = [];
    try {
        for await (const item of rest.list(`${assetArmId(workspace, 'models', ref.name)}/versions`, API_VERSIONS.sdk, {
            query: { $orderBy: 'createdtime desc', listViewType: 'ActiveOnly' },
            ...call,
        })) {
            if (item.name) {
                versions.push({
                    name: item.name,
                    tags: item.properties?.tags ?? {},
                    createdAt: item.systemData?.createdAt ?? '',
                });
            }
        }
    }
    catch (error) {
        if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
            return undefined;
        throw error;
    }
    // Newest first, whatever order the service answered in.
    versions.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const match = versions.find((version) => version.tags[key] === value);
    return match ? assets.get('models', ref.name, match.name, call) : undefined;
}
/** The "did you mean" fix for a model name that does not exist. */
async function suggestModel(assets, name, call) {
    const names = await assets.containerNames('models', call);
    const near = (0,closest_match/* closestMatch */.h)(name, names);
    if (near)
        return `Did you mean '${near}'? Registered models: ${names.slice(0, 10).join(', ')}.`;
    return names.length > 0
        ? `Registered models: ${names.slice(0, 10).join(', ')}.`
        : 'No model is registered in this workspace yet; register one with register-model.';
}

;// CONCATENATED MODULE: ./packages/core/src/gate/champion.ts
// The champion a candidate is compared with. The production model is the one taking traffic: on
// an online endpoint, the deployment with the largest traffic share (mirrored traffic does not
// count), then its model version, then that version's metrics (or its training job's). Or a model
// by name (newest, an explicit version, or the newest carrying a tag such as stage=production), a
// baseline file, or none. "No champion yet" is a result, not an error: a first deployment has none.






async function resolveChampion(source, readers) {
    switch (source.mode) {
        case 'none':
            return { found: false, reason: 'champion is none: no comparison with a production model' };
        case 'file':
            return {
                found: true,
                metrics: await readMetricsFile(source.file, { jsonPath: source.jsonPath, input: 'baseline-file' }),
                description: `baseline file ${source.file}`,
            };
        case 'model':
            return modelChampion(requireReaders(readers, 'model'), source.model, source.tag);
        case 'endpoint':
            return endpointChampion(requireReaders(readers, 'endpoint'), source.endpoint);
    }
}
/** The metrics a model version carries, else those of the job that trained it. */
async function modelVersionMetrics(readers, version) {
    const own = metricsOfModelVersion(version);
    if (Object.keys(own).length > 0)
        return { metrics: own, from: `model ${version.name}:${version.version}` };
    const job = trainingJobOf(version);
    if (!job)
        return { metrics: {}, from: `model ${version.name}:${version.version} (records no metrics)` };
    const read = await readJobMetrics(await readers.mlflow(), readers.jobs, job, {
        jobInput: 'champion',
        ...(readers.abortSignal ? { abortSignal: readers.abortSignal } : {}),
    });
    return {
        metrics: read.metrics,
        from: `model ${version.name}:${version.version} → its training ${read.source}`,
    };
}
async function modelChampion(readers, ref, tag) {
    const version = await findModelVersion(readers.assets, readers.rest, readers.workspace, ref, {
        input: 'champion-model',
        tag,
        abortSignal: readers.abortSignal,
    });
    if (!version) {
        const call = readers.abortSignal ? { abortSignal: readers.abortSignal } : {};
        const what = tag
            ? `no version of model '${ref.name}' is tagged ${tag.key}=${tag.value}`
            : `model '${ref.name}' is not registered`;
        const exists = (await readers.assets.latest('models', ref.name, call)) !== undefined;
        return {
            found: false,
            reason: exists ? what : `${what}. ${await suggestModel(readers.assets, ref.name, call)}`,
        };
    }
    const { metrics, from } = await modelVersionMetrics(readers, version);
    return { found: true, metrics, description: from, model: { name: version.name, version: version.version } };
}
async function endpointChampion(readers, endpoint) {
    const call = readers.abortSignal ? { abortSignal: readers.abortSignal } : {};
    let body;
    try {
        body = (await readers.rest.request({
            method: 'GET',
            path: onlineEndpointArmId(readers.workspace, endpoint),
            apiVersion: API_VERSIONS.sdk,
            ...call,
        })).body;
    }
    catch (error) {
        if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404) {
            return { found: false, reason: `online endpoint '${endpoint}' does not exist yet` };
        }
        throw error;
    }
    const serving = Object.entries(body?.properties?.traffic ?? {})
        .filter(([, percent]) => percent > 0)
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const top = serving[0];
    if (!top)
        return { found: false, reason: `online endpoint '${endpoint}' sends no traffic to any deployment` };
    const [deployment, trafficPercent] = top;
    const deploymentBody = (await readers.rest.request({
        method: 'GET',
        path: onlineDeploymentArmId(readers.workspace, endpoint, deployment),
        apiVersion: API_VERSIONS.sdk,
        ...call,
    })).body;
    const modelId = deploymentBody?.properties?.model;
    if (!modelId) {
        throw new errors/* ConfigurationError */.j1(`deployment '${deployment}' of endpoint '${endpoint}' names no model`, {
            input: 'champion-endpoint',
            fix: 'Deploy a registered model (deploy-endpoint), or compare with champion: model or file.',
        });
    }
    const ref = modelRefOfDeployment(modelId);
    const version = await readers.assets.get('models', ref.name, ref.version, call);
    if (!version) {
        throw new errors/* ConfigurationError */.j1(`deployment '${deployment}' serves model ${ref.name}:${ref.version}, which is not in the workspace`, {
            input: 'champion-endpoint',
            fix: 'Registry models are not read yet; compare with champion: model or file instead.',
        });
    }
    const { metrics, from } = await modelVersionMetrics(readers, version);
    return {
        found: true,
        metrics,
        description: `deployment ${deployment} (${trafficPercent}% of ${endpoint}) → ${from}`,
        model: { name: version.name, version: version.version },
        deployment: { name: deployment, trafficPercent },
    };
}
/** A deployment's `model`: an ARM id of a workspace model version, or `azureml:name:version`. */
function modelRefOfDeployment(model) {
    if (model.startsWith('/')) {
        const parsed = parseArmId(model, { input: 'champion-endpoint' });
        if (parsed.kind === 'asset' && parsed.assetType === 'models' && parsed.version) {
            return { name: parsed.name, version: parsed.version };
        }
    }
    else {
        const ref = parseModelRef(model, 'champion-endpoint');
        if (ref.version)
            return { name: ref.name, version: ref.version };
    }
    throw new errors/* ConfigurationError */.j1(`the deployment's model '${model}' is not a workspace model version`, {
        input: 'champion-endpoint',
        fix: 'Registry models are not read yet; compare with champion: model or file instead.',
    });
}
function requireReaders(readers, mode) {
    if (readers)
        return readers;
    throw new errors/* ConfigurationError */.j1(`champion: ${mode} needs the workspace`, {
        input: 'champion',
        fix: 'Give the workspace inputs (subscription-id, resource-group, workspace) and Azure credentials.',
    });
}

;// CONCATENATED MODULE: ./packages/core/src/gate/rules.ts
// The evaluate-gate rule language: one rule per line, `[warn:|fail:] metric comparator rhs`.
// Pure parsing; every mistake becomes a ConfigurationError pointing at the line and saying how to fix it.


const COMPARATORS = ['>=', '>', '<=', '<', '==', '!='];
const SEVERITIES = ['fail', 'warn'];
/** Operators people write by habit from other languages, and what they meant. */
const COMPARATOR_SUGGESTIONS = {
    '=>': '>=',
    '=<': '<=',
    '=': '==',
    '===': '==',
    '!==': '!=',
    '<>': '!=',
    '!': '!=',
    '=!': '!=',
    '>>': '>',
    '<<': '<',
};
/** Severity words that closestMatch would not catch (too far in edit distance). */
const SEVERITY_ALIASES = { error: 'fail', warning: 'warn' };
const NUMBER = String.raw `(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const SIGNED_NUMBER = new RegExp(`^[+-]?${NUMBER}$`);
const CHAMPION_EXPRESSION = new RegExp(`^champion(?:\\s*([+\\-*])\\s*(${NUMBER})\\s*(%?))?$`);
const METRIC_NAME = /^[A-Za-z0-9_\-./*?]+$/;
const RHS_FORMS = 'a number (0.9, 1e-3), champion, or champion followed by + n, - n, * n, + n% or - n%';
const EXAMPLE_RULE = 'accuracy >= 0.9';
/** Parses the `rules` input. Throws ConfigurationError for the first mistake found. */
function parseRules(text, input = 'rules') {
    const rules = [];
    const firstLineOf = new Map();
    const lines = text.split(/\r?\n/);
    for (const [index, raw] of lines.entries()) {
        const line = index + 1;
        // `#` cannot occur in a metric name or a number, so everything after it is a comment.
        const body = stripComment(raw).trim();
        if (body === '')
            continue;
        const rule = parseRule(body, { input, line });
        const key = `${rule.severity} ${rule.metric} ${rule.comparator} ${describeThreshold(rule.threshold)}`;
        const first = firstLineOf.get(key);
        if (first !== undefined) {
            throw new errors/* ConfigurationError */.j1(`rule on line ${line} repeats the rule on line ${first} ('${rule.text}')`, {
                input,
                line,
                fix: `Remove line ${line} or line ${first}; each rule should appear once.`,
            });
        }
        firstLineOf.set(key, line);
        rules.push(rule);
    }
    if (rules.length === 0) {
        throw new errors/* ConfigurationError */.j1('no gate rules were given', {
            input,
            fix: `Add at least one rule, one per line, e.g. '${EXAMPLE_RULE}' or 'f1 >= champion - 0.01'.`,
        });
    }
    return rules;
}
/** A threshold as a user would write it: '0.9', 'champion - 0.01', 'champion × 1.02', 'champion - 2%'. */
function describeThreshold(threshold) {
    if (threshold.kind === 'absolute')
        return String(threshold.value);
    const adjust = threshold.adjust;
    if (adjust === undefined)
        return 'champion';
    if (adjust.op === '*')
        return `champion × ${adjust.value}`;
    return `champion ${adjust.op} ${adjust.value}${adjust.percent ? '%' : ''}`;
}
function stripComment(raw) {
    const hash = raw.indexOf('#');
    return hash === -1 ? raw : raw.slice(0, hash);
}
function parseRule(body, where) {
    const { severity, rest } = splitSeverity(body, where);
    const text = rest.trim();
    const operator = /[<>=!]+/.exec(text);
    if (!operator) {
        throw fail(`rule '${text}' has no comparator`, where, `Compare the metric with a value, e.g. '${EXAMPLE_RULE}'.`);
    }
    const metric = text.slice(0, operator.index).trim();
    const comparator = parseComparator(operator[0], text, where);
    const rhs = text.slice(operator.index + operator[0].length).trim();
    checkMetricName(metric, text, where);
    if (rhs === '') {
        throw fail(`rule '${text}' has nothing after '${comparator}'`, where, `Write ${RHS_FORMS} after the comparator, e.g. '${metric} ${comparator} 0.9'.`);
    }
    return {
        line: where.line,
        text,
        severity,
        metric,
        comparator,
        threshold: parseThreshold(rhs, text, where),
    };
}
function splitSeverity(body, where) {
    // A colon cannot occur in a metric name or threshold, so one here always ends a severity prefix.
    const prefixed = /^([^:]*):(.*)$/.exec(body);
    if (!prefixed)
        return { severity: 'fail', rest: body };
    const prefix = (prefixed[1] ?? '').trim();
    const rest = prefixed[2] ?? '';
    if (SEVERITIES.includes(prefix))
        return { severity: prefix, rest };
    const lower = prefix.toLowerCase();
    const suggestion = SEVERITY_ALIASES[lower] ??
        SEVERITIES.find((severity) => lower.startsWith(severity)) ??
        (0,closest_match/* closestMatch */.h)(lower, SEVERITIES);
    const fix = suggestion
        ? `Did you mean '${suggestion}:'? Start the rule with 'warn:' or 'fail:' (the default), or with no prefix.`
        : `Start the rule with 'warn:' or 'fail:' (the default), or with no prefix.`;
    throw fail(`unknown severity '${prefix}:' in '${body}'`, where, fix);
}
function parseComparator(operator, text, where) {
    if (COMPARATORS.includes(operator))
        return operator;
    const suggestion = COMPARATOR_SUGGESTIONS[operator];
    const allowed = COMPARATORS.join(', ');
    throw fail(`unknown comparator '${operator}' in '${text}'`, where, suggestion
        ? `Use '${suggestion}' instead of '${operator}' (comparators: ${allowed}).`
        : `Use one of ${allowed}.`);
}
function checkMetricName(metric, text, where) {
    if (metric === '') {
        throw fail(`rule '${text}' has no metric name before the comparator`, where, `Start with the metric, e.g. '${EXAMPLE_RULE}'.`);
    }
    if (METRIC_NAME.test(metric))
        return;
    const firstWord = metric.split(/\s+/)[0] ?? '';
    if (/\s/.test(metric) && SEVERITIES.includes(firstWord.toLowerCase())) {
        throw fail(`metric name '${metric}' contains a space`, where, `Put a colon after the severity: '${firstWord.toLowerCase()}: ${metric.slice(firstWord.length).trim()} ...'.`);
    }
    const invalid = [...new Set(metric.replace(/[A-Za-z0-9_\-./*?]/g, ''))]
        .map((character) => (character.trim() === '' ? 'space' : `'${character}'`))
        .join(', ');
    throw fail(`metric name '${metric}' contains characters a metric name cannot have: ${invalid}`, where, 'Write the metric key as logged (letters, digits, _ - . /), optionally with * or ? to match several.');
}
function parseThreshold(rhs, text, where) {
    if (SIGNED_NUMBER.test(rhs)) {
        const value = Number(rhs);
        if (!Number.isFinite(value)) {
            throw fail(`threshold '${rhs}' in '${text}' is too large to be a number`, where, 'Write a finite number.');
        }
        return { kind: 'absolute', value };
    }
    const champion = CHAMPION_EXPRESSION.exec(rhs);
    if (champion)
        return championThreshold(champion, rhs, text, where);
    throw fail(`'${rhs}' in '${text}' is neither a number nor a champion expression`, where, rhsFix(rhs));
}
function championThreshold(match, rhs, text, where) {
    const [, op, number, percent] = match;
    if (op === undefined || number === undefined)
        return { kind: 'champion' };
    const value = Number(number);
    if (!Number.isFinite(value)) {
        throw fail(`'${number}' in '${text}' is too large to be a number`, where, 'Write a finite number.');
    }
    if (op === '*') {
        if (percent) {
            throw fail(`'${rhs}' in '${text}' multiplies by a percentage`, where, `Write a factor ('champion * 1.02') or a relative tolerance ('champion + ${number}%' / 'champion - ${number}%').`);
        }
        return { kind: 'champion', adjust: { op, value } };
    }
    return { kind: 'champion', adjust: { op: op === '+' ? '+' : '-', value, percent: percent === '%' } };
}
function rhsFix(rhs) {
    const word = /^[A-Za-z_]+/.exec(rhs)?.[0];
    if (word !== undefined && word !== 'champion') {
        const lower = word.toLowerCase();
        const looksLikeChampion = (lower.length >= 3 && 'champion'.startsWith(lower)) || (0,closest_match/* closestMatch */.h)(lower, ['champion']) !== undefined;
        if (looksLikeChampion) {
            return `Did you mean 'champion'? Write ${RHS_FORMS}, e.g. '${`champion${rhs.slice(word.length)}`.trim()}'.`;
        }
    }
    if (word === 'champion') {
        const operator = rhs.slice(word.length).trim()[0];
        if (operator === '/')
            return `Division is not supported; multiply instead (e.g. 'champion * 0.5'). Write ${RHS_FORMS}.`;
    }
    return `Write ${RHS_FORMS}.`;
}
function fail(problem, where, fix) {
    return new errors/* ConfigurationError */.j1(`line ${where.line}: ${problem}`, {
        input: where.input,
        line: where.line,
        fix,
    });
}

;// CONCATENATED MODULE: ./packages/core/src/gate/evaluate.ts
// Evaluates parsed gate rules against a candidate's metrics and, optionally, a champion's.
// Pure: the caller fetches the metrics. A value that is not a finite number never passes.



const LISTED_METRICS = 10;
function evaluateRules(rules, candidate, champion, options) {
    const input = options.input ?? 'rules';
    const outcomes = [];
    for (const rule of rules) {
        for (const metric of matchingMetrics(rule, candidate, input)) {
            outcomes.push(evaluateOne(rule, metric, candidate[metric] ?? Number.NaN, champion, options.onMissingChampion));
        }
    }
    return { outcomes, result: worstOutcome(outcomes.map((outcome) => outcome.outcome)) };
}
function worstOutcome(outcomes) {
    if (outcomes.includes('fail'))
        return 'fail';
    if (outcomes.includes('warn'))
        return 'warn';
    return 'pass';
}
function isGlob(pattern) {
    return pattern.includes('*') || pattern.includes('?');
}
function globToRegExp(pattern) {
    const source = [...pattern]
        .map((character) => {
        if (character === '*')
            return '.*';
        if (character === '?')
            return '.';
        return character.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
        .join('');
    return new RegExp(`^${source}$`);
}
/** The candidate metrics a rule applies to; a rule that matches none is a configuration mistake. */
function matchingMetrics(rule, candidate, input) {
    const available = Object.keys(candidate).sort();
    if (!isGlob(rule.metric)) {
        if (Object.hasOwn(candidate, rule.metric))
            return [rule.metric];
        const suggestion = (0,closest_match/* closestMatch */.h)(rule.metric, available);
        const hint = suggestion ? `Did you mean '${suggestion}'? ` : '';
        throw new errors/* ConfigurationError */.j1(`line ${rule.line}: the candidate has no metric '${rule.metric}' (rule '${rule.text}')`, {
            input,
            line: rule.line,
            fix: `${hint}${describeAvailable(available)}`,
        });
    }
    const pattern = globToRegExp(rule.metric);
    const matches = available.filter((name) => pattern.test(name));
    if (matches.length > 0)
        return matches;
    throw new errors/* ConfigurationError */.j1(`line ${rule.line}: pattern '${rule.metric}' matches no metric of the candidate (rule '${rule.text}')`, {
        input,
        line: rule.line,
        fix: `Change the pattern (* matches any run of characters, ? one character). ${describeAvailable(available)}`,
    });
}
function describeAvailable(available) {
    if (available.length === 0)
        return 'The candidate logged no metrics; check that the run logs them.';
    const listed = available.slice(0, LISTED_METRICS).join(', ');
    const more = available.length > LISTED_METRICS ? ` and ${available.length - LISTED_METRICS} more` : '';
    return `Use a metric the candidate has: ${listed}${more}.`;
}
function evaluateOne(rule, metric, value, champion, onMissingChampion) {
    const where = `(rule line ${rule.line})`;
    const base = { rule, metric, candidate: value };
    if (!Number.isFinite(value)) {
        return {
            ...base,
            outcome: rule.severity,
            message: `${metric} is ${value}, not a finite number, so '${rule.text}' cannot pass ${where}`,
        };
    }
    const threshold = rule.threshold;
    if (threshold.kind === 'absolute') {
        return compared(base, rule, threshold.value, `${metric} ${formatNumber(value)}`, where);
    }
    if (champion === undefined) {
        return {
            ...base,
            outcome: onMissingChampion,
            message: `no champion yet, so '${rule.text}' counts as ${onMissingChampion} (on missing champion: ${onMissingChampion}) ${where}`,
        };
    }
    if (!Object.hasOwn(champion, metric)) {
        return {
            ...base,
            outcome: onMissingChampion,
            message: `the champion has no metric ${metric}, so '${rule.text}' counts as ${onMissingChampion} (on missing champion: ${onMissingChampion}) ${where}`,
        };
    }
    const championValue = champion[metric] ?? Number.NaN;
    const known = { ...base, champion: championValue };
    if (!Number.isFinite(championValue)) {
        return {
            ...known,
            outcome: rule.severity,
            message: `the champion's ${metric} is ${championValue}, not a finite number, so '${rule.text}' cannot pass ${where}`,
        };
    }
    const delta = roundArithmetic(value - championValue);
    const adjust = threshold.adjust;
    const relative = adjust !== undefined && (adjust.op === '*' || adjust.percent);
    if (relative && championValue === 0) {
        return {
            ...known,
            delta,
            outcome: rule.severity,
            message: `the champion's ${metric} is 0, so the relative tolerance in '${rule.text}' is meaningless; ` +
                `use an absolute tolerance such as '${metric} ${rule.comparator} champion - 0.01' ${where}`,
        };
    }
    const computed = roundArithmetic(evaluate_championThreshold(championValue, rule));
    const subject = `${metric} ${formatNumber(value)}`;
    const explanation = `(${describeThreshold(threshold)}, champion ${formatNumber(championValue)}, delta ${formatSigned(delta)})`;
    return compared({ ...known, delta }, rule, computed, subject, `${explanation} ${where}`);
}
function evaluate_championThreshold(championValue, rule) {
    if (rule.threshold.kind !== 'champion' || rule.threshold.adjust === undefined)
        return championValue;
    const adjust = rule.threshold.adjust;
    if (adjust.op === '*')
        return championValue * adjust.value;
    const amount = adjust.percent ? (Math.abs(championValue) * adjust.value) / 100 : adjust.value;
    return adjust.op === '+' ? championValue + amount : championValue - amount;
}
function compared(base, rule, threshold, subject, suffix) {
    const met = satisfies(base.candidate, rule.comparator, threshold);
    const relation = met ? rule.comparator : NEGATION[rule.comparator];
    return {
        ...base,
        threshold,
        outcome: met ? 'pass' : rule.severity,
        message: `${subject} ${relation} ${formatNumber(threshold)} ${suffix}`,
    };
}
const NEGATION = {
    '>=': '<',
    '>': '<=',
    '<=': '>',
    '<': '>=',
    '==': '!=',
    '!=': '==',
};
function satisfies(value, comparator, threshold) {
    switch (comparator) {
        case '>=':
            return value >= threshold;
        case '>':
            return value > threshold;
        case '<=':
            return value <= threshold;
        case '<':
            return value < threshold;
        case '==':
            return value === threshold;
        case '!=':
            return value !== threshold;
    }
}
/**
 * Removes binary floating-point noise from a computed value (3 * 1.05 = 3.1500000000000004), so a candidate
 * exactly at the tolerance the user wrote is judged as the user meant. Given values are never rounded.
 */
function roundArithmetic(value) {
    return Number(value.toPrecision(12));
}
function formatNumber(value) {
    return String(value);
}
function formatSigned(value) {
    return value > 0 ? `+${value}` : String(value);
}

;// CONCATENATED MODULE: ./packages/core/src/gate/index.ts
// The evaluate-gate rule language: parsing (rules) and evaluation against candidate/champion metrics.







;// CONCATENATED MODULE: ./packages/core/src/jobs/job-client.ts
// Jobs go through REST at API_VERSIONS.jobs, not the SDK: SDK 2.1.1 drops `uri` and `mode` from
// job inputs and outputs when it serializes them (Azure/azure-sdk-for-js#29328).



/** Statuses after which a job never changes again. */
const TERMINAL_JOB_STATUSES = ['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused'];
function isTerminalJobStatus(status) {
    return TERMINAL_JOB_STATUSES.includes(status ?? '');
}
class JobClient {
    rest;
    workspace;
    apiVersion = API_VERSIONS.jobs;
    constructor(rest, workspace) {
        this.rest = rest;
        this.workspace = workspace;
    }
    path(name) {
        return jobArmId(this.workspace, encodeURIComponent(name));
    }
    /** Creates the job (201) or returns it unchanged when the same body was sent before (200). */
    async create(name, properties, options = {}) {
        const response = await this.rest.request({
            method: 'PUT',
            path: this.path(name),
            apiVersion: this.apiVersion,
            body: { properties },
            abortSignal: options.abortSignal,
        });
        return { job: response.body, created: response.status === 201 };
    }
    async get(name, options = {}) {
        const response = await this.rest.request({
            method: 'GET',
            path: this.path(name),
            apiVersion: this.apiVersion,
            abortSignal: options.abortSignal,
        });
        return response.body;
    }
    /** Like get, plus the `Retry-After` of the answer, for pollers that must honour it. */
    async poll(name, options = {}) {
        const response = await this.rest.request({
            method: 'GET',
            path: this.path(name),
            apiVersion: this.apiVersion,
            abortSignal: options.abortSignal,
        });
        return { job: response.body, retryAfterInMs: retryAfterInMs(response.headers, Date.now()) };
    }
    /** Every job of the workspace (newest first, as the service orders them), page by page. */
    list(options = {}) {
        return this.rest.list(`${workspaceArmId(this.workspace)}/jobs`, this.apiVersion, {
            query: { jobType: options.jobType, tag: options.tag },
            ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        });
    }
    /**
     * Requests cancellation and waits for the service to accept it (the 202's operation);
     * the job itself reaches `Canceled` a little later. `waitForAcceptance: false` returns once
     * the request is accepted (a cancelled workflow has seconds left, not minutes).
     */
    async cancel(name, options = {}) {
        const initial = await this.rest.request({
            method: 'POST',
            path: `${this.path(name)}/cancel`,
            apiVersion: this.apiVersion,
            abortSignal: options.abortSignal,
        });
        if (initial.status === 202 && options.waitForAcceptance !== false) {
            await this.rest.waitForOperation(initial, {
                ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
                ...(options.timeoutInMs ? { timeoutInMs: options.timeoutInMs } : {}),
            });
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/log-stream.ts
// Streams the user logs of runs as they grow. Each pass asks run history for a run's log files
// (fresh read-only SAS URLs), then reads each file from where the last pass stopped with
// `Range: bytes=<offset>-`: 206 brings the new bytes, 416 says there are none, 404 says the file
// is not uploaded yet, and a 200 (a server that ignores Range) is cut at the offset. Complete
// lines go to `onLines`; a partial last line waits for its newline (or flush()).
// Storage gets its own pipeline without the bearer policy: the SAS is the credential, and the
// ARM token must never reach a storage account. Plain http is allowed to loopback only (Azurite,
// as the local emulator uses it). Errors never carry the SAS: their URLs are redacted.





const DEFAULT_TAIL_LINES = 200;
const NEWLINE = 0x0a;
class LogStreamer {
    options;
    sources = new Map();
    pipeline;
    httpClient;
    includeFile;
    tailLines;
    running = Promise.resolve();
    constructor(options) {
        this.options = options;
        const tlsOptions = (0,connection/* tlsSettingsFor */.U)(options.caCertificates, options.env ?? process.env);
        this.pipeline = (0,esm/* createPipelineFromOptions */.Fp)({
            ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
            ...(tlsOptions ? { tlsOptions } : {}),
            userAgentOptions: { userAgentPrefix: USER_AGENT_PREFIX },
        });
        this.httpClient = options.httpClient ?? (0,esm/* createDefaultHttpClient */.fl)();
        this.includeFile = options.includeFile ?? ((file) => file.startsWith('user_logs/'));
        this.tailLines = options.tailLines ?? DEFAULT_TAIL_LINES;
    }
    /** Starts streaming a run's logs (a pipeline step as it appears, say); false when already known. */
    addSource(source) {
        if (this.sources.has(source.runId))
            return false;
        this.sources.set(source.runId, { source: { ...source }, files: new Map(), tail: [], finished: false });
        return true;
    }
    /** The runs being streamed, in the order they were added. */
    listSources() {
        return [...this.sources.values()].map((state) => ({ ...state.source }));
    }
    /** The run's status as of the last pass (run history answers it with the log URLs). */
    statusOf(runId) {
        return this.sources.get(runId)?.status;
    }
    /** True once the run ended and its logs were read to the end. */
    isFinished(runId) {
        return this.sources.get(runId)?.finished ?? false;
    }
    /**
     * One pass over every unfinished run: reads what each log file gained since the last pass.
     * Calls overlap safely (they run one after the other). Rejects only when aborted.
     */
    poll(options = {}) {
        const pass = this.running.then(() => this.pollOnce(options.abortSignal));
        this.running = pass.catch(() => undefined);
        return pass;
    }
    /** Emits the partial last line of every file, as if each ended with a newline. */
    flush() {
        for (const state of this.sources.values()) {
            for (const [file, fileState] of state.files) {
                if (fileState.pending.length === 0)
                    continue;
                const line = stripCr(fileState.pending.toString('utf8'));
                fileState.pending = Buffer.alloc(0);
                this.emit(state, file, [line]);
            }
        }
    }
    /** The last `n` lines read of a run (its unfinished last lines included), for failure messages. */
    tail(runId, n) {
        const state = this.sources.get(runId);
        if (!state || n <= 0)
            return [];
        const partial = [...state.files.values()]
            .filter((file) => file.pending.length > 0)
            .map((file) => stripCr(file.pending.toString('utf8')));
        return [...state.tail, ...partial].slice(-n);
    }
    async pollOnce(abortSignal) {
        for (const state of this.sources.values()) {
            if (state.finished)
                continue;
            abortSignal?.throwIfAborted();
            let details;
            try {
                details = await this.options.history.details(state.source.runId, abortSignal ? { abortSignal } : {});
            }
            catch (error) {
                abortSignal?.throwIfAborted();
                this.options.onError?.(error, state.source, undefined);
                continue;
            }
            state.status = details.status;
            let newBytes = 0;
            let failed = false;
            for (const [file, url] of orderedLogFiles(details.logFiles, this.includeFile)) {
                try {
                    newBytes += await this.readFile(state, file, url, abortSignal);
                }
                catch (error) {
                    abortSignal?.throwIfAborted();
                    failed = true;
                    this.options.onError?.(withoutSas(error, url), state.source, file);
                }
            }
            // Azure ML (and the emulator) upload the final log before the run turns terminal; a
            // terminal pass that found nothing new means the logs are complete.
            if (isTerminalJobStatus(details.status) && newBytes === 0 && !failed)
                state.finished = true;
        }
    }
    /** Reads the new bytes of one file; returns how many there were. */
    async readFile(state, file, url, abortSignal) {
        let fileState = state.files.get(file);
        if (!fileState) {
            fileState = { offset: 0, pending: Buffer.alloc(0) };
            state.files.set(file, fileState);
        }
        const response = await this.get(url, fileState.offset, abortSignal);
        let chunk;
        if (response.status === 206) {
            const start = contentRangeStart(response.headers.get('content-range')) ?? fileState.offset;
            const body = await readBody(response);
            // A range starting before the offset repeats bytes already read.
            chunk = body.subarray(Math.max(0, fileState.offset - start));
            fileState.offset = Math.max(fileState.offset, start) + chunk.length;
        }
        else if (response.status === 200) {
            const body = await readBody(response);
            if (body.length < fileState.offset)
                restart(fileState);
            chunk = body.subarray(fileState.offset);
            fileState.offset = body.length;
        }
        else if (response.status === 416) {
            // Nothing new. A blob now shorter than the offset was replaced: read it afresh next pass.
            const size = contentRangeSize(response.headers.get('content-range'));
            if (size !== undefined && size < fileState.offset)
                restart(fileState);
            return 0;
        }
        else if (response.status === 404) {
            return 0; // not uploaded yet
        }
        else {
            throw azureRequestErrorFromResponse('GET', url, response); // redacts the SAS
        }
        if (chunk.length === 0)
            return 0;
        const lines = splitLines(fileState, chunk);
        if (lines.length > 0)
            this.emit(state, file, lines);
        return chunk.length;
    }
    get(url, offset, abortSignal) {
        const request = (0,esm/* createPipelineRequest */.G6)({
            url,
            method: 'GET',
            headers: (0,esm/* createHttpHeaders */.Nc)({ Range: `bytes=${offset}-` }),
            // Bytes, not text: a read may end inside a multi-byte character.
            streamResponseStatusCodes: new Set([200, 206]),
            allowInsecureConnection: isLoopback(url),
            ...(abortSignal ? { abortSignal } : {}),
        });
        return this.pipeline.sendRequest(this.httpClient, request);
    }
    emit(state, file, lines) {
        state.tail.push(...lines);
        if (state.tail.length > this.tailLines)
            state.tail.splice(0, state.tail.length - this.tailLines);
        this.options.onLines({ ...state.source }, file, lines);
    }
}
/** The files to stream, `std_log.txt` first, then by name. */
function orderedLogFiles(logFiles, include) {
    const isStd = (file) => Number(/(^|\/)std_log\.txt$/.test(file));
    return Object.entries(logFiles)
        .filter(([file]) => include(file))
        .sort(([a], [b]) => isStd(b) - isStd(a) || a.localeCompare(b));
}
/** Complete lines of `pending + chunk`; the unfinished rest stays pending. */
function splitLines(fileState, chunk) {
    const data = fileState.pending.length > 0 ? Buffer.concat([fileState.pending, chunk]) : chunk;
    const lines = [];
    let start = 0;
    for (let index = data.indexOf(NEWLINE); index >= 0; index = data.indexOf(NEWLINE, start)) {
        lines.push(stripCr(data.subarray(start, index).toString('utf8')));
        start = index + 1;
    }
    // Copied: the rest must not pin the whole response buffer.
    fileState.pending = Buffer.from(data.subarray(start));
    return lines;
}
function restart(fileState) {
    fileState.offset = 0;
    fileState.pending = Buffer.alloc(0);
}
function stripCr(line) {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
function isLoopback(url) {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
/** The error, or a copy whose message has the SAS URL's secrets replaced (network errors quote the URL). */
function withoutSas(error, url) {
    if (!(error instanceof Error) || error.name === 'AbortError')
        return error;
    let message = error.message.split(url).join(redactUrl(url));
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    for (const value of new URLSearchParams(query).values()) {
        if (value.length < 8)
            continue; // versions, permissions: no secret, and too common to replace
        for (const form of [value, encodeURIComponent(value)])
            message = message.split(form).join('REDACTED');
    }
    if (message === error.message)
        return error;
    // A fresh error without `cause`: the original holds the URL in its request.
    const clean = new Error(message);
    clean.name = error.name;
    return clean;
}
/** `bytes 100-199/500` → 100. */
function contentRangeStart(header) {
    const match = /^\s*bytes\s+(\d+)-\d+\/(\d+|\*)\s*$/i.exec(header ?? '');
    return match ? Number(match[1]) : undefined;
}
// `bytes */500` (or `bytes 0-9/500`) → 500.
function contentRangeSize(header) {
    const match = /\/(\d+)\s*$/.exec(header ?? '');
    return match ? Number(match[1]) : undefined;
}
async function readBody(response) {
    const stream = response.readableStreamBody;
    if (!stream)
        return Buffer.from(response.bodyAsText ?? '', 'utf8');
    const chunks = [];
    for await (const chunk of stream)
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks);
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/poll-schedule.ts
// When to poll a job next: quick at first (a status change is most likely soon after submitting),
// backing off geometrically to a cap, quick again after each status change (the next one tends to
// follow), and never sooner than the service's Retry-After. Pure: the waiter owns time and sleep.
const DEFAULT_POLL_SCHEDULE = {
    initialDelayInMs: 1_000,
    factor: 1.5,
    maxDelayInMs: 30_000,
};
/** The next delay after `previousBaseInMs` (undefined before the first poll). */
function nextPollDelay(previousBaseInMs, observation, options = {}) {
    const { initialDelayInMs, factor, maxDelayInMs } = resolveOptions(options);
    const baseInMs = previousBaseInMs === undefined || observation.statusChanged
        ? Math.min(initialDelayInMs, maxDelayInMs)
        : Math.min(Math.round(previousBaseInMs * factor), maxDelayInMs);
    // Retry-After raises this one delay only; the growth continues from the schedule's own base.
    const retryAfter = observation.retryAfterInMs;
    const delayInMs = retryAfter !== undefined && retryAfter > baseInMs ? Math.ceil(retryAfter) : baseInMs;
    return { baseInMs, delayInMs };
}
/** A schedule that remembers its base between polls. */
class PollSchedule {
    options;
    baseInMs;
    constructor(options = {}) {
        this.options = options;
        resolveOptions(options);
    }
    /** The delay to wait after a poll that saw `observation`. */
    next(observation) {
        const delay = nextPollDelay(this.baseInMs, observation, this.options);
        this.baseInMs = delay.baseInMs;
        return delay.delayInMs;
    }
    /** Back to quick polling, as after a status change. */
    reset() {
        this.baseInMs = undefined;
    }
}
function resolveOptions(options) {
    const resolved = { ...DEFAULT_POLL_SCHEDULE, ...definedOnly(options) };
    if (!(resolved.initialDelayInMs > 0) || !Number.isFinite(resolved.initialDelayInMs)) {
        throw new RangeError(`initialDelayInMs must be a positive number, not ${resolved.initialDelayInMs}`);
    }
    if (!(resolved.factor >= 1) || !Number.isFinite(resolved.factor)) {
        throw new RangeError(`factor must be at least 1, not ${resolved.factor}`);
    }
    if (!(resolved.maxDelayInMs > 0) || !Number.isFinite(resolved.maxDelayInMs)) {
        throw new RangeError(`maxDelayInMs must be a positive number, not ${resolved.maxDelayInMs}`);
    }
    return resolved;
}
function definedOnly(options) {
    return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/run-history.ts
// The workspace's data-plane services (run history, MLflow tracking) and the run-history client.
// ARM names them on the workspace resource: `discoveryUrl` answers `{history, …}` base URLs, and
// `mlFlowTrackingUri` is an `azureml://<host>/mlflow/…` URI that is HTTPS underneath. Both
// services accept the ARM token, so each of their origins gets its own ArmRestClient (which keeps
// the token on that one origin).




/** One ArmRestClient per data-plane origin, with the ARM credential and scope. */
class DataPlaneClients {
    options;
    clients = new Map();
    constructor(options) {
        this.options = options;
    }
    /** The client for the origin of `url` (which must be HTTPS: it carries a bearer token). */
    forUrl(url) {
        const origin = httpsOrigin(url);
        let client = this.clients.get(origin);
        if (!client) {
            client = new ArmRestClient({ ...this.options, endpoint: origin });
            this.clients.set(origin, client);
        }
        return client;
    }
}
async function discoverWorkspaceServices(sdkOrRest, workspace, options) {
    const properties = await workspaceServiceUris(sdkOrRest, workspace, options.abortSignal);
    const where = `workspace '${workspace.workspace}'`;
    if (!properties.discoveryUrl)
        throw new Error(`The ${where} has no discoveryUrl.`);
    if (!properties.mlFlowTrackingUri)
        throw new Error(`The ${where} has no mlFlowTrackingUri.`);
    const discoveryUrl = properties.discoveryUrl;
    const discovery = await options.dataPlane.forUrl(discoveryUrl).request({
        method: 'GET',
        path: discoveryUrl,
        abortSignal: options.abortSignal,
    });
    const history = typeof discovery.body === 'object' ? discovery.body?.history : undefined;
    if (typeof history !== 'string' || history === '') {
        throw new Error(`The discovery document of the ${where} (${discoveryUrl}) has no "history" URL.`);
    }
    httpsOrigin(history);
    return {
        discoveryUrl,
        historyEndpoint: history.replace(/\/+$/, ''),
        mlflowTrackingUri: mlflowTrackingUriToHttps(properties.mlFlowTrackingUri),
    };
}
async function workspaceServiceUris(source, workspace, abortSignal) {
    if (source instanceof ArmRestClient) {
        const response = await source.request({
            method: 'GET',
            path: workspaceArmId(workspace),
            apiVersion: API_VERSIONS.sdk,
            abortSignal,
        });
        return response.body?.properties ?? {};
    }
    return withAzureErrors(() => source.workspaces.get(workspace.resourceGroup, workspace.workspace, abortSignal ? { abortSignal } : {}));
}
/** `azureml://<host>/mlflow/v1.0/…` → `https://<host>/mlflow/v1.0/…` (an https URI is kept). */
function mlflowTrackingUriToHttps(uri) {
    const trimmed = uri.trim().replace(/\?$/, '');
    const match = /^(azureml|https):\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(trimmed);
    if (!match) {
        throw new Error(`The MLflow tracking URI '${uri}' is neither azureml://<host>/mlflow/… nor https://….`);
    }
    const path = (match[3] ?? '').replace(/\/+$/, '');
    return `https://${match[2]}${path}`;
}
class RunHistoryClient {
    rest;
    base;
    /** `rest` must be the data-plane client for `historyEndpoint`'s origin (DataPlaneClients.forUrl). */
    constructor(rest, historyEndpoint, workspace) {
        this.rest = rest;
        const root = historyEndpoint.replace(/\/+$/, '');
        this.base = `${root}/history/v1.0${workspaceArmId(workspace)}`;
    }
    async details(runId, options = {}) {
        const response = await this.rest.request({
            method: 'GET',
            path: `${this.base}/runs/${encodeURIComponent(runId)}/details`,
            abortSignal: options.abortSignal,
        });
        return parseRunDetails(runId, response.body);
    }
}
function parseRunDetails(runId, body) {
    if (typeof body !== 'object' || body === null) {
        throw new Error(`Run history answered no JSON object for run '${runId}'.`);
    }
    const logFiles = {};
    if (typeof body.logFiles === 'object' && body.logFiles !== null) {
        for (const [file, url] of Object.entries(body.logFiles)) {
            if (typeof url === 'string' && url !== '')
                logFiles[file] = url;
        }
    }
    const text = (value) => (typeof value === 'string' && value !== '' ? value : undefined);
    return {
        runId: text(body.runId) ?? runId,
        status: text(body.status) ?? 'Unknown',
        logFiles,
        parentRunId: text(body.parentRunId),
        startTimeUtc: text(body.startTimeUtc),
        endTimeUtc: text(body.endTimeUtc),
    };
}
function httpsOrigin(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new Error(`'${url}' is not a URL.`);
    }
    if (parsed.protocol !== 'https:') {
        throw new Error(`Refusing to send an ARM token over ${parsed.protocol} to ${parsed.origin}: HTTPS only.`);
    }
    return parsed.origin;
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/overrides.ts
// The `set` input: one `a.b.c=value` per line, applied to the job YAML before it is checked.


const SEGMENT = /^[A-Za-z_$][\w$-]*$/;
/**
 * Parses override lines. Blank lines and `#` comments are skipped. The value is a YAML scalar
 * (`0.05` is a number, `true` a boolean, `azureml:gpu` a string); `[..]` and `{..}` are flow collections.
 */
function parseSetOverrides(text, input = 'set') {
    const overrides = [];
    const fix = 'Write one override per line as `path.to.key=value`, for example `inputs.learning_rate=0.05` or `jobs.train.resources.instance_count=2`.';
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = index + 1;
        const lineText = raw.trim();
        if (lineText === '' || lineText.startsWith('#'))
            return;
        const fail = (problem, specificFix = fix) => {
            throw new errors/* ConfigurationError */.j1(`line ${line} (\`${lineText}\`): ${problem}`, {
                input,
                line,
                fix: specificFix,
            });
        };
        const equals = lineText.indexOf('=');
        if (equals === -1) {
            const yamlLike = /^[^\s:=]+:\s/.test(lineText) ? " ('key: value' is not accepted)" : '';
            fail(`is not of the form path=value${yamlLike}`);
        }
        const pathText = lineText.slice(0, equals).trim();
        if (pathText === '')
            fail("has no path before '='");
        const path = pathText.split('.');
        const bad = path.find((segment) => !SEGMENT.test(segment));
        if (bad !== undefined) {
            fail(bad === ''
                ? `path '${pathText}' has an empty segment`
                : `path segment '${bad}' is not a key name (letters, digits, '_' and '-')`);
        }
        overrides.push({
            path,
            value: parseValue(lineText.slice(equals + 1).trim(), fail),
            text: lineText,
            line,
        });
    });
    return overrides;
}
function parseValue(text, fail) {
    if (text === '')
        return '';
    try {
        const value = (0,yaml_dist/* parse */.qg)(text);
        if (typeof value === 'object' && value !== null && !/^[[{]/.test(text))
            return text;
        return value;
    }
    catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        return fail(`value ${JSON.stringify(text)} is not a valid YAML value: ${reason}`, 'Quote the value (`key="text"`) or fix its brackets.');
    }
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/bindings.ts
// `${{...}}` bindings in commands and pipeline nodes: malformed forms get the correct form, and
// bindings must name inputs, outputs, search-space parameters or steps that exist.

const SCOPES = '(?:inputs|outputs|search_space|parent)';
const SINGLE_BRACE = new RegExp(`\\$\\{(?!\\{)\\s*(${SCOPES}\\.[\\w.-]+)\\s*\\}`);
const ONE_CLOSING = new RegExp(`\\$\\{\\{\\s*(${SCOPES}\\.[\\w.-]+)\\s*\\}(?!\\})`);
const NO_DOLLAR = new RegExp(`(?<![$\\w])\\{\\{\\s*(${SCOPES}\\.[\\w.-]+)\\s*\\}\\}`);
const EXPRESSION = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
/** Fails on near-miss binding syntax (`${inputs.x}`, `${{inputs.x}`, `{{inputs.x}}`, unclosed `${{`). */
function checkBindingSyntax(field, text) {
    for (const [pattern, what] of [
        [SINGLE_BRACE, 'a single-brace binding'],
        [ONE_CLOSING, 'a binding closed with one brace'],
        [NO_DOLLAR, "a binding without '$'"],
    ]) {
        const match = pattern.exec(text);
        if (match) {
            const correct = `\${{${match[1]}}}`;
            field.fail(`'${field.label}' has ${what}, '${match[0]}'; bindings are written '${correct}'`, `Replace '${match[0]}' with '${correct}' (a dollar sign and two braces on each side).`);
        }
    }
    const rest = text.replace(EXPRESSION, '');
    const open = rest.indexOf('${{');
    if (open !== -1) {
        const fragment = rest.slice(open, open + 40).split(/\s/)[0] ?? '${{';
        field.fail(`'${field.label}' has an unclosed binding starting '${fragment}'`, `Close it with two braces: \`\${{inputs.<name>}}\`.`);
    }
}
/** Fails unless every binding of the command names an input, output or search-space parameter it has. */
function checkCommandBindings(field, command, scope) {
    checkBindingSyntax(field, command);
    for (const match of command.matchAll(EXPRESSION)) {
        const expression = match[1] ?? '';
        const [head = '', name, ...rest] = expression.split('.');
        const known = head === 'inputs'
            ? scope.inputs
            : head === 'outputs'
                ? scope.outputs
                : head === 'search_space' && scope.searchSpace
                    ? scope.searchSpace
                    : undefined;
        if (head === 'parent' && scope.inPipelineStep) {
            field.fail(`'${field.label}' uses '${match[0]}'; a step's command reads the step's own inputs and outputs`, `Add a step input bound to '${match[0]}' (e.g. \`inputs: {x: "${match[0]}"}\`) and use '\${{inputs.x}}' in the command.`);
        }
        if (known === undefined || name === undefined || rest.length > 0) {
            const forms = [
                `\${{inputs.<name>}}`,
                `\${{outputs.<name>}}`,
                ...(scope.searchSpace ? [`\${{search_space.<name>}}`] : []),
            ];
            field.fail(`'${field.label}' has the binding '${match[0]}', which is not a binding the job understands`, `Use ${forms.join(', ')}.`);
        }
        if (!known.includes(name)) {
            const kind = head === 'search_space' ? 'search_space parameter' : head === 'inputs' ? 'input' : 'output';
            const suggestion = (0,closest_match/* closestMatch */.h)(name, known);
            const hint = suggestion === undefined ? '' : ` Did you mean '\${{${head}.${suggestion}}}'?`;
            const listed = known.length === 0 ? `there are no ${head}` : `known: ${known.join(', ')}`;
            field.fail(`'${field.label}' refers to '${match[0]}', but there is no ${kind} '${name}' (${listed}).${hint}`, head === 'search_space'
                ? `Add '${name}' under \`search_space\`, or fix the name in the command.`
                : `Declare '${name}' under \`${head}:\`, or fix the name in the command.`);
        }
    }
}
const PARENT_INPUT = /^\$\{\{\s*parent\.inputs\.([\w-]+)\s*\}\}$/;
const PARENT_OUTPUT = /^\$\{\{\s*parent\.outputs\.([\w-]+)\s*\}\}$/;
const STEP_OUTPUT = /^\$\{\{\s*parent\.jobs\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/;
/**
 * A pipeline node value that is a binding: one of the three `${{parent...}}` forms. Fails on
 * malformed or partial bindings; undefined when the value holds no binding at all.
 */
function parseNodeBinding(field, text) {
    checkBindingSyntax(field, text);
    const trimmed = text.trim();
    let match = PARENT_INPUT.exec(trimmed);
    if (match?.[1])
        return { kind: 'parent-input', name: match[1] };
    match = PARENT_OUTPUT.exec(trimmed);
    if (match?.[1])
        return { kind: 'parent-output', name: match[1] };
    match = STEP_OUTPUT.exec(trimmed);
    if (match?.[1] && match[2])
        return { kind: 'step-output', step: match[1], name: match[2] };
    const expression = /\$\{\{\s*([^{}]*?)\s*\}\}/.exec(trimmed);
    if (!expression)
        return undefined;
    const inner = expression[1] ?? '';
    const corrected = /^(inputs|outputs)\./.test(inner) ? ` Did you mean '\${{parent.${inner}}}'?` : '';
    return field.fail(`'${field.label}' is '${text}', which is not a pipeline binding.${corrected}`, `A step input or output is exactly one of \`\${{parent.inputs.<name>}}\`, \`\${{parent.jobs.<step>.outputs.<name>}}\` or \`\${{parent.outputs.<name>}}\`.`);
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/deferred.ts
class Deferred {
    /** Equal keys are resolved once (e.g. the same code folder used by three steps). */
    key;
    run;
    /** Resolved after every other leaf (it needs their answers, e.g. the workspace scope). */
    late;
    constructor(key, run, options = {}) {
        this.key = key;
        this.run = run;
        this.late = options.late ?? false;
    }
}
const WORKSPACE_SCOPE = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+)\//i;
/** The value with every Deferred replaced by its answer, in document order; undefined members dropped. */
async function resolveDeferred(value, resolver) {
    const answers = new Map();
    let scope;
    const context = (late) => ({
        resolver,
        resolve: (inner) => walk(inner, late),
        workspaceScope: () => scope,
    });
    const walk = async (node, late) => {
        if (node instanceof Deferred) {
            if (node.late && !late)
                return node;
            let answer = answers.get(node.key);
            if (answer === undefined) {
                answer = node.run(context(late));
                answers.set(node.key, answer);
            }
            const resolved = await answer;
            if (scope === undefined && typeof resolved === 'string')
                scope = WORKSPACE_SCOPE.exec(resolved)?.[1];
            return resolved;
        }
        if (Array.isArray(node)) {
            const items = [];
            for (const item of node)
                items.push(await walk(item, late));
            return items;
        }
        if (typeof node === 'object' && node !== null) {
            const result = {};
            for (const [key, item] of Object.entries(node)) {
                const resolved = await walk(item, late);
                if (resolved !== undefined)
                    result[key] = resolved;
            }
            return result;
        }
        return node;
    };
    return walk(await walk(value, false), true);
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/references.ts
// References to workspace things (`azureml:` names, registry URIs, ARM ids, local files) checked up
// front and turned into Deferred resolver calls.




const ARM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\//i;
const SHORT_REF = /^azureml:([A-Za-z0-9][\w.-]*)(?::([\w.-]+)|@([\w.-]+))?$/;
const REMOTE_URI = /^(azureml|https?|wasbs?|abfss?|adl|gs|s3):\/\//i;
/** `azureml:name:version`, `azureml:name@label`, `azureml://registries/r/<kind>/n/versions/v|labels/l`. */
function parseAssetRef(text, kind) {
    const trimmed = text.replace(/^azureml:(?=\/subscriptions\/)/i, '');
    if (ARM_ID.test(trimmed))
        return 'arm-id';
    const registry = new RegExp(`^azureml://registries/([^/]+)/${kind}/([^/]+)(?:/versions/([^/]+)|/labels/([^/]+))?/?$`, 'i').exec(text);
    if (registry) {
        const [, registryName = '', name = '', version, label] = registry;
        if (version === undefined && label === undefined)
            return 'no-version';
        return { name, registry: registryName, ...(version ? { version } : { label: label ?? 'latest' }) };
    }
    const short = SHORT_REF.exec(text);
    if (!short)
        return undefined;
    const [, name = '', version, label] = short;
    if (version === undefined && label === undefined)
        return 'no-version';
    return version !== undefined ? { name, version } : { name, label: label ?? 'latest' };
}
const describeRef = (ref) => `${ref.registry ? `registry '${ref.registry}' ` : ''}${ref.name}${ref.version ? `:${ref.version}` : `@${ref.label}`}`;
/** An absolute path for a local path written in the YAML, relative to that YAML file. */
function localPathOf(field, text) {
    const path = text.replace(/^file:(\/\/)?/i, '');
    return (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)((0,external_node_path_.dirname)((0,external_node_path_.resolve)(field.source.file)), path);
}
/** Fails unless the local path exists (of the expected kind). */
function existingPath(field, text, what, kind) {
    const path = localPathOf(field, text);
    if (!(0,external_node_fs_.existsSync)(path)) {
        field.fail(`${what} '${text}' does not exist (looked for ${path})`, `Check the path: it is relative to ${field.source.file}, not to the working directory.`);
    }
    if (kind === 'file' && !(0,external_node_fs_.statSync)(path).isFile()) {
        field.fail(`${what} '${text}' is a folder, not a file`, 'Point it at a file.');
    }
    if (kind === 'directory' && !(0,external_node_fs_.statSync)(path).isDirectory()) {
        field.fail(`${what} '${text}' is a file, not a folder`, 'Point it at a folder.');
    }
    return path;
}
const isRemoteUri = (text) => REMOTE_URI.test(text);
const isArmId = (text) => ARM_ID.test(text.replace(/^azureml:/i, ''));
const armId = (text) => text.replace(/^azureml:(?=\/)/i, '');
/** `compute: azureml:name` (or a bare name, or an ARM id) → the compute ARM id. */
function computeRef(field) {
    const text = field.string('azureml:cpu-cluster');
    if (isArmId(text))
        return armId(text);
    const name = text.replace(/^azureml:/i, '');
    if (!/^[A-Za-z0-9][\w-]*$/.test(name)) {
        field.fail(`'${field.label}' is '${text}', which is not a compute reference`, 'Name a compute of the workspace as `azureml:<compute-name>` (e.g. `azureml:cpu-cluster`), or remove `compute` and set `resources.instance_type` for serverless compute.');
    }
    const at = field.at();
    return new Deferred(`compute:${name}`, ({ resolver }) => resolver.compute(name, at));
}
/** `code: ./src` → the code version ARM id (uploaded by the resolver); ARM ids pass through. */
function codeRef(field) {
    const text = field.string('./src');
    if (isArmId(text))
        return armId(text);
    if (text.startsWith('azureml:') || isRemoteUri(text)) {
        field.fail(`'${field.label}' is '${text}'; only a local folder (or file) or a code version ARM id is accepted`, 'Point `code` at the local folder holding the scripts, relative to this YAML file (e.g. `code: ../src`).');
    }
    const path = existingPath(field, text, 'code path');
    const at = field.at();
    return new Deferred(`code:${path}`, ({ resolver }) => resolver.code(path, at));
}
const ENVIRONMENT_FIX = 'Write `environment: azureml:<name>:<version>`, `azureml:<name>@latest`, or an inline environment with `image:` (and optionally `conda_file:`) or `build:`.';
/** A registered environment reference or an inline (anonymous) environment → environment version ARM id. */
function environmentRef(field) {
    field.required('azureml:my-env@latest');
    if (field.isMapping)
        return references_anonymousEnvironment(field);
    const text = field.string('azureml:my-env@latest');
    const ref = parseAssetRef(text, 'environments');
    if (ref === 'arm-id')
        return armId(text);
    if (ref === 'no-version') {
        field.fail(`environment '${text}' names no version or label`, `Write \`${text}:<version>\` or \`${text}@latest\`.`);
    }
    if (ref === undefined) {
        const hint = /^[A-Za-z0-9][\w.-]*(:[\w.-]+|@[\w.-]+)$/.test(text)
            ? ` (did you mean 'azureml:${text}'?)`
            : '';
        field.fail(`environment '${text}' is not an environment reference${hint}`, ENVIRONMENT_FIX);
    }
    const at = field.at();
    return new Deferred(`environment:${JSON.stringify(ref)}`, ({ resolver }) => resolver.environment(ref, at));
}
const OS_TYPES = { linux: 'Linux', windows: 'Windows' };
function references_anonymousEnvironment(field) {
    field.keys(['image', 'conda_file', 'build', 'os_type', 'name', 'version', 'description'], 'the inline environment');
    const spec = {};
    const image = field.child('image').optionalString('mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04');
    if (image !== undefined)
        spec.image = image;
    const conda = field.child('conda_file');
    if (conda.isMapping)
        spec.condaFile = (0,yaml_dist/* stringify */.As)(conda.value);
    else if (conda.present)
        spec.condaFile = (0,external_node_fs_.readFileSync)(existingPath(conda, conda.string('./conda.yml'), 'conda file', 'file'), 'utf8');
    const build = field.child('build');
    if (build.present) {
        build.keys(['path', 'dockerfile_path'], 'environment.build');
        const pathField = build.child('path').required('./docker');
        const text = pathField.string('./docker');
        const path = isRemoteUri(text)
            ? text
            : existingPath(pathField, text, 'docker build context', 'directory');
        const dockerfilePath = build.child('dockerfile_path').optionalString('Dockerfile');
        spec.build = dockerfilePath === undefined ? { path } : { path, dockerfilePath };
    }
    const osType = field.child('os_type').optionalChoice(OS_TYPES);
    if (osType !== undefined)
        spec.osType = osType;
    if (spec.image === undefined && spec.build === undefined) {
        field.fail('the inline environment has neither `image` nor `build`', ENVIRONMENT_FIX);
    }
    if (spec.image !== undefined && spec.build !== undefined) {
        field.fail('the inline environment has both `image` and `build`', 'Keep one of them: an image to use as is, or a build context.');
    }
    const at = field.at();
    return new Deferred(`anonymous-environment:${JSON.stringify(spec)}`, ({ resolver }) => resolver.anonymousEnvironment(spec, at));
}
/** `azureml:name:version` data asset, remote URI (passed through) or local path (uploaded). */
function dataUri(field, text) {
    if (isRemoteUri(text))
        return text;
    if (isArmId(text))
        return armId(text);
    if (text.startsWith('azureml:')) {
        const ref = parseAssetRef(text, 'data');
        if (ref === 'no-version' || ref === undefined || ref === 'arm-id') {
            field.fail(`'${field.label}' is '${text}', which is not a data reference`, 'Write `azureml:<name>:<version>` or `azureml:<name>@latest` for a data asset, or an `azureml://datastores/<datastore>/paths/<path>` URI.');
        }
        const at = field.at();
        return new Deferred(`data:${JSON.stringify(ref)}`, ({ resolver }) => resolver.data(ref, at));
    }
    const path = existingPath(field, text, 'input path');
    const at = field.at();
    return new Deferred(`local:${path}`, ({ resolver }) => resolver.localInput(path, at));
}
/** A component reference that is not a local file → the component version ARM id. */
function registeredComponent(field, text) {
    const ref = parseAssetRef(text, 'components');
    if (ref === 'arm-id')
        return armId(text);
    if (ref === 'no-version') {
        field.fail(`component '${text}' names no version or label`, `Write \`${text}:<version>\` or \`${text}@latest\`.`);
    }
    if (ref === undefined) {
        if (text.startsWith('azureml:')) {
            field.fail(`component '${text}' is not a component reference`, 'Write `azureml:<name>:<version>`, `azureml:<name>@latest`, `azureml://registries/<registry>/components/<name>/versions/<version>`, or a local component YAML path such as `./train.yml`.');
        }
        return undefined;
    }
    const at = field.at();
    return new Deferred(`component:${describeRef(ref)}`, ({ resolver }) => resolver.component(ref, at));
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/job-parts.ts

const DATA_INPUT_TYPES = [
    'uri_file',
    'uri_folder',
    'mltable',
    'mlflow_model',
    'custom_model',
    'triton_model',
];
const LITERAL_TYPES = ['string', 'integer', 'number', 'boolean'];
const OUTPUT_TYPES = DATA_INPUT_TYPES;
const INPUT_MODES = {
    ro_mount: 'ReadOnlyMount',
    rw_mount: 'ReadWriteMount',
    download: 'Download',
    direct: 'Direct',
    eval_mount: 'EvalMount',
    eval_download: 'EvalDownload',
};
const OUTPUT_MODES = { rw_mount: 'ReadWriteMount', upload: 'Upload', direct: 'Direct' };
const typeChoices = (types) => Object.fromEntries(types.map((type) => [type, type]));
/** The type a literal value declares in a component spec. */
function literalTypeOf(value) {
    if (typeof value === 'boolean')
        return 'boolean';
    if (typeof value === 'number')
        return Number.isInteger(value) ? 'integer' : 'number';
    return 'string';
}
/** One job input: a literal value, or a mapping with `type` and `path` (or `value`). */
function jobInput(field) {
    if (!field.isMapping) {
        if (Array.isArray(field.value) || !field.present) {
            field.fail(`input '${field.path.at(-1)}' must be a value or a mapping with \`type\` and \`path\``, 'Write `name: 0.01` for a literal, or `name: {type: uri_folder, path: ./data}` for data.');
        }
        return { type: literalTypeOf(field.value), rest: { jobInputType: 'literal', value: field.scalarText() } };
    }
    field.keys(['type', 'path', 'mode', 'description', 'value', 'default'], `input '${field.path.at(-1)}'`);
    const type = field.child('type').present
        ? field.child('type').choice(typeChoices([...DATA_INPUT_TYPES, ...LITERAL_TYPES]))
        : 'uri_folder';
    const description = field.child('description').optionalString();
    const withDescription = (rest) => (description === undefined ? rest : { ...rest, description });
    if (LITERAL_TYPES.includes(type)) {
        for (const key of ['path', 'mode']) {
            if (field.child(key).present) {
                field
                    .child(key)
                    .fail(`a ${type} input has no '${key}'`, `Give the value as \`value:\`, or use a data type such as uri_folder.`, { atKey: true });
            }
        }
        const value = field.child('value').present ? field.child('value') : field.child('default');
        value.required('0.01');
        return { type, rest: withDescription({ jobInputType: 'literal', value: value.scalarText() }) };
    }
    const pathField = field.child('path').required('./data');
    const uri = dataUri(pathField, pathField.string('./data'));
    const mode = field.child('mode').optionalChoice(INPUT_MODES);
    return { type, rest: withDescription({ jobInputType: type, uri, ...(mode ? { mode } : {}) }) };
}
/** One job output: empty (a uri_folder in the default location) or a mapping. */
function jobOutput(field) {
    if (!field.present)
        return { type: 'uri_folder', rest: { jobOutputType: 'uri_folder' } };
    if (!field.isMapping) {
        field.fail(`output '${field.path.at(-1)}' must be empty or a mapping with \`type\` (and optionally \`mode\`, \`path\`, \`name\`)`, 'Write `name:` with nothing after it for a folder output, or `name: {type: uri_file, mode: upload}`.');
    }
    field.keys(['type', 'mode', 'path', 'name', 'version', 'description'], `output '${field.path.at(-1)}'`);
    const type = field.child('type').present
        ? field.child('type').choice(typeChoices(OUTPUT_TYPES))
        : 'uri_folder';
    const rest = { jobOutputType: type };
    const mode = field.child('mode').optionalChoice(OUTPUT_MODES);
    if (mode)
        rest.mode = mode;
    const pathField = field.child('path');
    if (pathField.present) {
        const path = pathField.string('azureml://datastores/workspaceblobstore/paths/outputs/');
        if (!isRemoteUri(path)) {
            pathField.fail(`output path '${path}' is not a datastore URI; outputs are written to a datastore, not a local folder`, 'Write `path: azureml://datastores/<datastore>/paths/<folder>/`, or remove `path` for the default location.');
        }
        rest.uri = path;
    }
    const name = field.child('name').optionalString('my-model');
    if (name !== undefined)
        rest.assetName = name;
    if (field.child('version').present) {
        field
            .child('version')
            .fail('an output asset version cannot be chosen at api-version 2025-12-01 (the REST JobOutput has assetName only)', 'Remove `version`; the service registers the output as the next version of `name`.', { atKey: true });
    }
    const description = field.child('description').optionalString();
    if (description !== undefined)
        rest.description = description;
    return { type, rest };
}
function jobInputs(field) {
    return new Map(field
        .entries('learning_rate: 0.01')
        .map(([name, child]) => [job_parts_checkName(child, name, 'input'), jobInput(child)]));
}
function jobOutputs(field) {
    return new Map(field
        .entries('model: {type: uri_folder}')
        .map(([name, child]) => [job_parts_checkName(child, name, 'output'), jobOutput(child)]));
}
const NAME = /^[A-Za-z_][\w]*$/;
/** Input, output and step names: letters, digits and underscores, not starting with a digit. */
function job_parts_checkName(field, name, what) {
    if (!NAME.test(name)) {
        field.fail(`${what} name '${name}' is not valid: use letters, digits and '_' only, starting with a letter or '_'`, `Rename it, e.g. '${name.replace(/\W/g, '_').replace(/^(\d)/, '_$1')}'.`, { atKey: true });
    }
    return name;
}
const restInputs = (inputs) => Object.fromEntries([...inputs].map(([name, input]) => [name, input.rest]));
const restOutputs = (outputs) => Object.fromEntries([...outputs].map(([name, output]) => [name, output.rest]));
/** `resources` in CLI form, checked, and its REST form. */
function resources(field) {
    if (!field.present)
        return undefined;
    field.keys(['instance_count', 'instance_type', 'shm_size', 'properties', 'docker_args'], 'resources');
    const cli = {};
    const rest = {};
    const instanceCount = field.child('instance_count').optionalInteger({ min: 1 });
    if (instanceCount !== undefined)
        [cli.instance_count, rest.instanceCount] = [instanceCount, instanceCount];
    const instanceType = field.child('instance_type').optionalString('Standard_DS3_v2');
    if (instanceType !== undefined)
        [cli.instance_type, rest.instanceType] = [instanceType, instanceType];
    const shm = field.child('shm_size');
    if (shm.present) {
        const text = shm.scalarText();
        if (!/^\d+[bBkKmMgG]$/.test(text)) {
            shm.fail(`'resources.shm_size' is '${text}', not a size`, 'Write a number with a unit b, k, m or g, e.g. `shm_size: 2g`.');
        }
        [cli.shm_size, rest.shmSize] = [text, text];
    }
    const properties = field.child('properties');
    if (properties.present) {
        properties.entries('key: value');
        [cli.properties, rest.properties] = [properties.value, properties.value];
    }
    const dockerArgs = field.child('docker_args').optionalString('--ipc=host');
    if (dockerArgs !== undefined)
        [cli.docker_args, rest.dockerArgs] = [dockerArgs, dockerArgs];
    return { cli, rest };
}
const DISTRIBUTIONS = { pytorch: 'PyTorch', mpi: 'Mpi', tensorflow: 'TensorFlow' };
/** `distribution` in CLI form, checked, and its REST form. */
function distribution(field) {
    if (!field.present)
        return undefined;
    if (!field.isMapping)
        field.fail(`'${field.label}' must be a mapping`, 'Write e.g. `distribution: {type: pytorch, process_count_per_instance: 2}`.');
    const typeField = field.child('type').required('pytorch');
    const distributionType = typeField.choice(DISTRIBUTIONS);
    const cli = { type: String(typeField.value).toLowerCase() };
    const rest = { distributionType };
    if (distributionType === 'TensorFlow') {
        field.keys(['type', 'worker_count', 'parameter_server_count'], 'a tensorflow distribution');
        const workers = field.child('worker_count').optionalInteger({ min: 1 });
        if (workers !== undefined)
            [cli.worker_count, rest.workerCount] = [workers, workers];
        const servers = field.child('parameter_server_count').optionalInteger({ min: 0 });
        if (servers !== undefined)
            [cli.parameter_server_count, rest.parameterServerCount] = [servers, servers];
    }
    else {
        field.keys(['type', 'process_count_per_instance'], `a ${cli.type} distribution`);
        const count = field.child('process_count_per_instance').optionalInteger({ min: 1 });
        if (count !== undefined)
            [cli.process_count_per_instance, rest.processCountPerInstance] = [count, count];
    }
    return { cli, rest };
}
/** An ISO 8601 duration from CLI seconds (`3600` → `PT1H`); ISO 8601 text passes through. */
function duration(field) {
    if (typeof field.value === 'string' && /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(field.value)) {
        return field.value;
    }
    const seconds = field.integer({ min: 1, example: 3600 });
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = seconds % 60;
    return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest ? `${rest}S` : ''}`;
}
const IDENTITIES = { aml_token: 'AMLToken', managed: 'Managed', user_identity: 'UserIdentity' };
const job_parts_GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
function identity(field) {
    if (!field.present)
        return undefined;
    if (!field.isMapping)
        field.fail(`'${field.label}' must be a mapping`, 'Write e.g. `identity: {type: managed}`.');
    const identityType = field.child('type').required('user_identity').choice(IDENTITIES);
    if (identityType !== 'Managed') {
        field.keys(['type'], 'identity');
        return { identityType };
    }
    field.keys(['type', 'client_id', 'object_id', 'msi_resource_id'], 'a managed identity');
    const rest = { identityType };
    for (const [key, restKey] of [
        ['client_id', 'clientId'],
        ['object_id', 'objectId'],
    ]) {
        const value = field.child(key).optionalString('00000000-0000-0000-0000-000000000000');
        if (value === undefined)
            continue;
        if (!job_parts_GUID.test(value))
            field
                .child(key)
                .fail(`'identity.${key}' is '${value}', not a GUID`, 'Use the identity’s GUID, e.g. 00000000-0000-0000-0000-000000000000.');
        rest[restKey] = value;
    }
    const resourceId = field.child('msi_resource_id').optionalString();
    if (resourceId !== undefined)
        rest.resourceId = resourceId;
    return rest;
}
const JOB_TIERS = {
    null: 'Null',
    spot: 'Spot',
    basic: 'Basic',
    standard: 'Standard',
    premium: 'Premium',
};
function queueSettings(field) {
    if (!field.present)
        return undefined;
    field.keys(['job_tier'], 'queue_settings');
    const tier = field.child('job_tier');
    return tier.present ? { jobTier: tier.choice(JOB_TIERS) } : {};
}
const SERVICE_TYPES = {
    jupyter_lab: 'JupyterLab',
    ssh: 'SSH',
    tensor_board: 'TensorBoard',
    vs_code: 'VSCode',
};
function services(field) {
    if (!field.present)
        return undefined;
    const result = {};
    for (const [name, service] of field.entries('my_ssh: {type: ssh}')) {
        service.keys(['type', 'nodes', 'port', 'properties', 'ssh_public_keys', 'log_dir'], `service '${name}'`);
        const rest = { jobServiceType: service.child('type').required('ssh').choice(SERVICE_TYPES) };
        const nodes = service.child('nodes');
        if (nodes.present) {
            nodes.choice({ all: 'All' });
            rest.nodes = { nodesValueType: 'All' };
        }
        const port = service.child('port').optionalInteger({ min: 1 });
        if (port !== undefined)
            rest.port = port;
        const properties = { ...service.child('properties').stringMap() };
        const keys = service.child('ssh_public_keys').optionalString();
        if (keys !== undefined)
            properties.sshPublicKeys = keys;
        const logDir = service.child('log_dir').optionalString();
        if (logDir !== undefined)
            properties.logDir = logDir;
        if (Object.keys(properties).length > 0)
            rest.properties = properties;
        result[name] = rest;
    }
    return result;
}
/** REST JobInput (camelCase) → the snake_case form of pipeline node inputs. */
function nodeInput(rest) {
    const { jobInputType, ...others } = rest;
    return { job_input_type: jobInputType, ...others };
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/command-job.ts
// `type: command` jobs, and the metadata every job type shares.



const METADATA_KEYS = [
    '$schema',
    'type',
    'name',
    'display_name',
    'experiment_name',
    'description',
    'tags',
    'properties',
];
/** display_name, description, experiment_name, tags, properties → their REST names. */
function metadata(root) {
    const result = {};
    const displayName = root.child('display_name').optionalString('my job');
    if (displayName !== undefined)
        result.displayName = displayName;
    const description = root.child('description').optionalString('what the job does');
    if (description !== undefined)
        result.description = description;
    const experimentName = root.child('experiment_name').optionalString('my-experiment');
    if (experimentName !== undefined)
        result.experimentName = experimentName;
    const tags = root.child('tags').stringMap();
    if (tags !== undefined)
        result.tags = tags;
    const properties = root.child('properties').stringMap();
    if (properties !== undefined)
        result.properties = properties;
    return result;
}
/** command, code, environment, environment_variables, distribution, resources. */
function commandParts(field, scope) {
    const commandField = field.child('command').required(`python train.py --lr \${{inputs.learning_rate}}`);
    const command = commandField.string('python train.py');
    checkCommandBindings(commandField, command, scope);
    const cli = { command };
    const rest = { command };
    const code = field.child('code');
    if (code.present) {
        const codeId = codeRef(code);
        [cli.code, rest.codeId] = [codeId, codeId];
    }
    const environment = environmentRef(field.child('environment'));
    [cli.environment, rest.environmentId] = [environment, environment];
    const variables = field.child('environment_variables').stringMap();
    if (variables !== undefined)
        [cli.environment_variables, rest.environmentVariables] = [variables, variables];
    const distributionParts = distribution(field.child('distribution'));
    if (distributionParts)
        [cli.distribution, rest.distribution] = [distributionParts.cli, distributionParts.rest];
    const resourceParts = resources(field.child('resources'));
    if (resourceParts)
        [cli.resources, rest.resources] = [resourceParts.cli, resourceParts.rest];
    return { command, cli, rest };
}
const COMMAND_JOB_KEYS = [
    ...METADATA_KEYS,
    'command',
    'code',
    'environment',
    'environment_variables',
    'compute',
    'resources',
    'distribution',
    'limits',
    'inputs',
    'outputs',
    'identity',
    'queue_settings',
    'services',
];
function commandJob(root) {
    root.keys(COMMAND_JOB_KEYS, 'a command job');
    const inputs = jobInputs(root.child('inputs'));
    const outputs = jobOutputs(root.child('outputs'));
    const parts = commandParts(root, { inputs: [...inputs.keys()], outputs: [...outputs.keys()] });
    const properties = { jobType: 'Command', ...metadata(root) };
    const compute = root.child('compute');
    if (compute.present)
        properties.computeId = computeRef(compute);
    Object.assign(properties, parts.rest);
    if (inputs.size > 0)
        properties.inputs = restInputs(inputs);
    if (outputs.size > 0)
        properties.outputs = restOutputs(outputs);
    const limits = root.child('limits');
    if (limits.present) {
        limits.keys(['timeout'], 'limits');
        const timeout = limits.child('timeout');
        properties.limits = {
            jobLimitsType: 'Command',
            ...(timeout.present ? { timeout: duration(timeout) } : {}),
        };
    }
    Object.assign(properties, optionalParts(root));
    return { properties, outputNames: [...outputs.keys()], stepNames: [] };
}
/** identity, queue_settings, services: present only when written. */
function optionalParts(root, options = {}) {
    const result = {};
    const identityRest = identity(root.child('identity'));
    if (identityRest)
        result.identity = identityRest;
    if (options.queue !== false) {
        const queue = queueSettings(root.child('queue_settings'));
        if (queue)
            result.queueSettings = queue;
    }
    if (options.services !== false) {
        const servicesRest = services(root.child('services'));
        if (servicesRest)
            result.services = servicesRest;
    }
    return result;
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/component-file.ts
// A local command component YAML (`component: ./train.yml` in a pipeline step), checked and turned
// into a component spec in CLI YAML form whose code and environment become ARM ids when resolved.





const COMPONENT_KEYS = [
    ...METADATA_KEYS.filter((key) => key !== 'experiment_name'),
    'version',
    'command',
    'code',
    'environment',
    'environment_variables',
    'inputs',
    'outputs',
    'resources',
    'distribution',
    'is_deterministic',
];
const choices = (types) => Object.fromEntries(types.map((type) => [type, type]));
/** Reads and checks the component YAML at `path` (absolute); `displayPath` is how errors name it. */
function readComponentFile(path, displayPath) {
    const root = Field.root(new YamlSource(displayPath, (0,external_node_fs_.readFileSync)(path, 'utf8')));
    if (!root.isMapping)
        root.fail('a component YAML must be a mapping', 'Start it with `type: command`, `name:`, `command:`…');
    root.keys(COMPONENT_KEYS, 'a command component');
    const type = root.child('type');
    if (type.present)
        type.choice({ command: 'command' });
    const inputs = new Map();
    const specInputs = {};
    for (const [name, field] of root.child('inputs').entries('learning_rate: {type: number, default: 0.01}')) {
        job_parts_checkName(field, name, 'input');
        if (!field.isMapping)
            field.fail(`component input '${name}' must be a mapping with \`type\``, 'Write e.g. `learning_rate: {type: number, default: 0.01}`.');
        field.keys(['type', 'default', 'optional', 'description', 'min', 'max', 'enum'], `component input '${name}'`);
        const inputType = field
            .child('type')
            .required('uri_folder')
            .choice(choices([...DATA_INPUT_TYPES, ...LITERAL_TYPES]));
        const optional = field.child('optional').optionalBoolean() ?? false;
        const hasDefault = field.child('default').present;
        if (hasDefault)
            field.child('default').scalarText();
        inputs.set(name, { type: inputType, required: !optional && !hasDefault });
        specInputs[name] = field.value;
    }
    const outputs = new Map();
    const specOutputs = {};
    for (const [name, field] of root.child('outputs').entries('model: {type: uri_folder}')) {
        job_parts_checkName(field, name, 'output');
        let outputType = 'uri_folder';
        if (field.present) {
            field.keys(['type', 'description'], `component output '${name}'`);
            if (field.child('type').present)
                outputType = field.child('type').choice(choices(OUTPUT_TYPES));
        }
        outputs.set(name, outputType);
        specOutputs[name] = field.isMapping
            ? { ...field.value, type: outputType }
            : { type: outputType };
    }
    const parts = commandParts(root, { inputs: [...inputs.keys()], outputs: [...outputs.keys()] });
    const spec = { ...root.value, type: 'command', ...parts.cli };
    delete spec.$schema;
    if (inputs.size > 0)
        spec.inputs = specInputs;
    if (outputs.size > 0)
        spec.outputs = specOutputs;
    return { file: displayPath, spec, inputs, outputs };
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/pipeline-job.ts
// `type: pipeline` jobs: steps under `jobs:` (inline command steps or `component:` references) in
// the REST node form (snake_case keys, componentId, computeId, bindings as literal values).







const PIPELINE_KEYS = [...METADATA_KEYS, 'compute', 'inputs', 'outputs', 'settings', 'jobs', 'identity'];
const STEP_KEYS = [
    'type',
    'display_name',
    'description',
    'tags',
    'compute',
    'inputs',
    'outputs',
    'resources',
    'distribution',
    'limits',
    'environment_variables',
];
const INLINE_STEP_KEYS = [...STEP_KEYS, 'command', 'code', 'environment'];
const COMPONENT_STEP_KEYS = [...STEP_KEYS, 'component'];
function pipelineJob(root) {
    root.keys(PIPELINE_KEYS, 'a pipeline job');
    const context = {
        inputs: jobInputs(root.child('inputs')),
        outputs: jobOutputs(root.child('outputs')),
        steps: new Map(),
        files: [],
    };
    const jobsField = root
        .child('jobs')
        .required('{train: {command: python train.py, environment: azureml:my-env@latest}}');
    const entries = jobsField.entries('train: {type: command, command: python train.py}');
    if (entries.length === 0)
        jobsField.fail('the pipeline has no steps under `jobs`', 'Add at least one step.');
    for (const [name, field] of entries)
        context.steps.set(job_parts_checkName(field, name, 'step'), stepShape(name, field, context));
    checkNoCycles(context);
    const jobs = {};
    for (const shape of context.steps.values())
        jobs[shape.name] = stepNode(shape, context);
    const properties = { jobType: 'Pipeline', ...metadata(root) };
    const compute = root.child('compute');
    const computeId = compute.present ? computeRef(compute) : undefined;
    if (computeId !== undefined)
        properties.computeId = computeId;
    if (context.inputs.size > 0)
        properties.inputs = restInputs(context.inputs);
    if (context.outputs.size > 0)
        properties.outputs = restOutputs(context.outputs);
    properties.jobs = jobs;
    const settings = pipelineSettings(root.child('settings'), computeId, context);
    if (settings)
        properties.settings = settings;
    Object.assign(properties, optionalParts(root, { queue: false, services: false }));
    return {
        properties,
        outputNames: [...context.outputs.keys()],
        stepNames: [...context.steps.keys()],
        files: context.files,
    };
}
function stepShape(name, field, context) {
    if (!field.isMapping)
        field.fail(`step '${name}' must be a mapping`, 'Write the step as `name: {type: command, command: …}` or `name: {component: ./train.yml}`.');
    const type = field.child('type');
    if (type.present) {
        const text = String(type.value);
        if (['pipeline', 'sweep', 'parallel', 'spark', 'automl', 'data_transfer', 'import'].includes(text.toLowerCase())) {
            type.fail(`step '${name}' has type '${text}'; this action runs command steps only`, 'Make the step `type: command` (inline or `component: ./x.yml`), or run that job on its own.');
        }
        type.choice({ command: 'command' });
    }
    const componentField = field.child('component');
    if (!componentField.present) {
        field.keys(INLINE_STEP_KEYS, `step '${name}'`);
        const outputs = new Map();
        for (const [output, child] of field.child('outputs').entries('model:'))
            outputs.set(output, inlineOutputType(child, context));
        return { name, field, outputs };
    }
    field.keys(COMPONENT_STEP_KEYS, `step '${name}'`);
    for (const key of ['command', 'code', 'environment']) {
        if (field.child(key).present)
            field
                .child(key)
                .fail(`step '${name}' has both \`component\` and \`${key}\``, `Remove \`${key}\` (it belongs in the component) or remove \`component\`.`, { atKey: true });
    }
    const text = componentField.string('./train.yml');
    const registered = registeredComponent(componentField, text);
    if (registered !== undefined)
        return { name, field, registered, outputs: undefined };
    if (!['.yml', '.yaml'].includes((0,external_node_path_.extname)(text).toLowerCase())) {
        componentField.fail(`step '${name}': component '${text}' is neither a component reference nor a YAML file`, 'Write `component: ./train.yml` (a local component YAML), `azureml:<name>:<version>` or `azureml:<name>@latest`.');
    }
    const path = existingPath(componentField, text, 'component file', 'file');
    const file = shownPath(componentField.source.file, path);
    const component = readComponentFile(path, file);
    if (!context.files.includes(path))
        context.files.push(path);
    return { name, field, component, outputs: component.outputs };
}
/** How errors name a component file: like the job file was named (relative stays relative). */
const shownPath = (jobFile, absolute) => (0,external_node_path_.isAbsolute)(jobFile) ? absolute : (0,external_node_path_.relative)(process.cwd(), absolute) || absolute;
/** The type of an inline step output: written, or that of the pipeline output it is bound to. */
function inlineOutputType(field, context) {
    if (typeof field.value === 'string') {
        const binding = parseNodeBinding(field, field.value);
        if (binding?.kind !== 'parent-output') {
            field.fail(`step output '${field.label}' must be bound to a pipeline output, \`\${{parent.outputs.<name>}}\``, `Bind it to \`\${{parent.outputs.<name>}}\`, or leave it empty for a folder in the default location.`);
        }
        return context.outputs.get(binding.name)?.type ?? 'uri_folder';
    }
    return jobOutput(field).type;
}
function checkNoCycles(context) {
    const state = new Map();
    const visit = (name, chain) => {
        if (state.get(name) === 'done')
            return;
        const shape = context.steps.get(name);
        if (!shape)
            return;
        if (state.get(name) === 'visiting') {
            shape.field.fail(`the pipeline's steps depend on each other in a cycle: ${[...chain, name].join(' → ')}`, 'Remove one of the bindings so the steps form a chain.', { atKey: true });
        }
        state.set(name, 'visiting');
        for (const [, input] of shape.field.child('inputs').entries()) {
            const text = typeof input.value === 'string' ? input.value : input.child('path').value;
            const match = typeof text === 'string' ? /^\$\{\{\s*parent\.jobs\.([\w-]+)\.outputs\./.exec(text.trim()) : null;
            if (match?.[1])
                visit(match[1], [...chain, name]);
        }
        state.set(name, 'done');
    };
    for (const name of context.steps.keys())
        visit(name, []);
}
/** Checks a `${{parent...}}` binding of a step input; returns the type it carries. */
function boundInputType(field, text, step, context) {
    const binding = parseNodeBinding(field, text);
    if (binding === undefined)
        return undefined;
    if (binding.kind === 'parent-output') {
        field.fail(`step input '${field.label}' reads the pipeline output '${binding.name}'; step inputs read pipeline inputs or step outputs`, `Bind it to \`\${{parent.inputs.<name>}}\` or \`\${{parent.jobs.<step>.outputs.<name>}}\`.`);
    }
    if (binding.kind === 'parent-input') {
        const input = context.inputs.get(binding.name);
        if (!input) {
            const known = [...context.inputs.keys()];
            field.fail(`'${field.label}' is bound to pipeline input '${binding.name}', which the pipeline does not have (inputs: ${known.join(', ') || 'none'})`, `Declare '${binding.name}' under the pipeline's \`inputs:\`, or fix the name.`);
        }
        return input.type;
    }
    const source = context.steps.get(binding.step);
    if (!source) {
        field.fail(`'${field.label}' is bound to step '${binding.step}', which the pipeline does not have (steps: ${[...context.steps.keys()].join(', ')})`, `Name a step under \`jobs:\` in \`\${{parent.jobs.<step>.outputs.<name>}}\`.`);
    }
    if (binding.step === step)
        field.fail(`'${field.label}' reads an output of its own step '${step}'`, 'Bind it to an output of an earlier step.');
    if (source.outputs === undefined)
        return 'uri_folder';
    const type = source.outputs.get(binding.name);
    if (type === undefined) {
        field.fail(`'${field.label}' is bound to output '${binding.name}' of step '${binding.step}', which that step does not have (outputs: ${[...source.outputs.keys()].join(', ') || 'none'})`, `Declare '${binding.name}' in the outputs of step '${binding.step}', or fix the name.`);
    }
    return type;
}
function stepNode(shape, context) {
    const { field, name } = shape;
    const nodeInputs = {};
    const inputTypes = new Map();
    const definitions = shape.component?.inputs;
    for (const [inputName, input] of field.child('inputs').entries(`data: \${{parent.inputs.data}}`)) {
        if (definitions && !definitions.has(inputName)) {
            input.fail(`step '${name}' gives input '${inputName}', which component ${shape.component?.file} does not declare (inputs: ${[...definitions.keys()].join(', ') || 'none'})`, `Remove it, or declare '${inputName}' under the component's \`inputs:\`.`, { atKey: true });
        }
        const [value, type] = stepInput(input, name, context);
        nodeInputs[inputName] = value;
        inputTypes.set(inputName, type);
    }
    for (const [inputName, definition] of definitions ?? []) {
        if (definition.required && !(inputName in nodeInputs)) {
            field.fail(`step '${name}' does not give input '${inputName}', which component ${shape.component?.file} requires`, `Add \`${inputName}: \${{parent.inputs.${inputName}}}\` (or a value) under the step's \`inputs:\`.`);
        }
    }
    const nodeOutputs = {};
    for (const [outputName, output] of field.child('outputs').entries('model:')) {
        if (shape.component && !shape.component.outputs.has(outputName)) {
            output.fail(`step '${name}' binds output '${outputName}', which component ${shape.component.file} does not declare (outputs: ${[...shape.component.outputs.keys()].join(', ') || 'none'})`, `Remove it, or declare '${outputName}' under the component's \`outputs:\`.`, { atKey: true });
        }
        const node = stepOutput(output, context);
        if (node)
            nodeOutputs[outputName] = node;
    }
    const node = { name, type: 'command' };
    const displayName = field.child('display_name').optionalString();
    if (displayName !== undefined)
        node.display_name = displayName;
    const description = field.child('description').optionalString();
    if (description !== undefined)
        node.description = description;
    const tags = field.child('tags').stringMap();
    if (tags !== undefined)
        node.tags = tags;
    const at = field.at({ atKey: true });
    if (shape.registered !== undefined) {
        node.componentId = shape.registered;
    }
    else if (shape.component) {
        const spec = shape.component.spec;
        node.componentId = new Deferred(`component-file:${shape.component.file}`, async ({ resolve, resolver }) => resolver.anonymousComponent((await resolve(spec)), at));
    }
    else {
        node.componentId = inlineComponent(shape, inputTypes, at);
    }
    const compute = field.child('compute');
    if (compute.present)
        node.computeId = computeRef(compute);
    if (Object.keys(nodeInputs).length > 0)
        node.inputs = nodeInputs;
    if (Object.keys(nodeOutputs).length > 0)
        node.outputs = nodeOutputs;
    // The node carries the runtime settings (inline steps also put them in their component).
    const resourceParts = resources(field.child('resources'));
    if (resourceParts)
        node.resources = resourceParts.cli;
    const distributionParts = distribution(field.child('distribution'));
    if (distributionParts)
        node.distribution = snakeKeys(distributionParts.rest);
    const limits = field.child('limits');
    if (limits.present) {
        limits.keys(['timeout'], `limits of step '${name}'`);
        node.limits = {
            job_limits_type: 'Command',
            ...(limits.child('timeout').present ? { timeout: duration(limits.child('timeout')) } : {}),
        };
    }
    const variables = field.child('environment_variables').stringMap();
    if (variables !== undefined)
        node.environment_variables = variables;
    return node;
}
/** A step input → its node form and the type it carries. */
function stepInput(field, step, context) {
    if (typeof field.value === 'string') {
        const type = boundInputType(field, field.value, step, context);
        if (type !== undefined)
            return [{ job_input_type: 'literal', value: field.value.trim() }, type];
    }
    const path = field.child('path');
    if (field.isMapping && typeof path.value === 'string') {
        const boundType = boundInputType(path, path.value, step, context);
        if (boundType !== undefined) {
            // `{type, path: ${{parent...}}, mode}`: the binding with a delivery mode of its own.
            field.keys(['type', 'path', 'mode', 'description'], `input '${field.path.at(-1)}'`);
            const type = field.child('type').optionalChoice(DATA_TYPE_CHOICES) ?? boundType;
            const mode = field.child('mode').optionalChoice(INPUT_MODES);
            return [{ job_input_type: type, uri: path.value.trim(), ...(mode ? { mode } : {}) }, type];
        }
    }
    const checked = jobInput(field);
    return [nodeInput(checked.rest), checked.type];
}
const DATA_TYPE_CHOICES = Object.fromEntries(DATA_INPUT_TYPES.map((type) => [type, type]));
function stepOutput(field, context) {
    if (typeof field.value === 'string') {
        const binding = parseNodeBinding(field, field.value);
        if (binding?.kind !== 'parent-output' || !context.outputs.has(binding.name)) {
            const known = [...context.outputs.keys()];
            field.fail(binding?.kind === 'parent-output'
                ? `'${field.label}' is bound to pipeline output '${binding.name}', which the pipeline does not have (outputs: ${known.join(', ') || 'none'})`
                : `'${field.label}' must be bound to a pipeline output`, binding?.kind === 'parent-output'
                ? `Declare '${binding.name}' under the pipeline's \`outputs:\`, or fix the name.`
                : `Write \`\${{parent.outputs.<name>}}\`, or leave the output empty.`);
        }
        return { type: 'literal', value: field.value.trim() };
    }
    if (!field.present)
        return undefined;
    const { jobOutputType, ...rest } = jobOutput(field).rest;
    return { job_output_type: jobOutputType, ...rest };
}
const snakeCase = (key) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const snakeKeys = (value) => Object.fromEntries(Object.entries(value).map(([key, item]) => [snakeCase(key), item]));
function inlineComponent(shape, inputTypes, at) {
    const { field } = shape;
    const outputs = shape.outputs ?? new Map();
    const parts = commandParts(field, {
        inputs: [...inputTypes.keys()],
        outputs: [...outputs.keys()],
        inPipelineStep: true,
    });
    const spec = {
        type: 'command',
        ...parts.cli,
        inputs: Object.fromEntries([...inputTypes].map(([name, type]) => [name, { type }])),
        outputs: Object.fromEntries([...outputs].map(([name, type]) => [name, { type }])),
    };
    return new Deferred(`inline-step:${field.source.file}:${shape.name}`, async ({ resolve, resolver }) => resolver.anonymousComponent((await resolve(spec)), at));
}
function pipelineSettings(field, computeId, context) {
    if (!field.present && computeId === undefined)
        return undefined;
    field.keys(['default_compute', 'default_datastore', 'continue_on_step_failure', 'force_rerun'], 'settings');
    const settings = {};
    const compute = field.child('default_compute');
    const defaultCompute = compute.present ? computeRef(compute) : computeId;
    if (defaultCompute !== undefined)
        settings.default_compute = defaultCompute;
    const datastore = field.child('default_datastore');
    if (datastore.present) {
        const text = datastore.string('azureml:workspaceblobstore');
        if (isArmId(text)) {
            settings.default_datastore = text.replace(/^azureml:/i, '');
        }
        else {
            const name = text.replace(/^azureml:/i, '');
            if (!/^[A-Za-z0-9_]+$/.test(name))
                datastore.fail(`'settings.default_datastore' is '${text}', not a datastore name`, 'Write `default_datastore: azureml:workspaceblobstore`.');
            const workspaceKnown = defaultCompute !== undefined ||
                [...context.steps.values()].some((step) => step.registered === undefined || step.field.child('compute').present);
            if (!workspaceKnown) {
                datastore.fail("'settings.default_datastore' needs the workspace's ARM id, which this pipeline never resolves (registry components only, serverless compute)", 'Also set `settings.default_compute`, or give the datastore as its full ARM id.');
            }
            settings.default_datastore = new Deferred(`datastore:${name}`, async ({ workspaceScope }) => `${workspaceScope() ?? ''}/datastores/${name}`, { late: true });
        }
    }
    const continueOnFailure = field.child('continue_on_step_failure').optionalBoolean();
    if (continueOnFailure !== undefined)
        settings.continue_on_step_failure = continueOnFailure;
    const forceRerun = field.child('force_rerun').optionalBoolean();
    if (forceRerun !== undefined)
        settings.force_rerun = forceRerun;
    return settings;
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/sweep-job.ts
// `type: sweep` jobs: search space, objective, sampling, limits, early termination, trial.



/** Each distribution's CLI parameters, in the order of the REST argument list. */
const sweep_job_DISTRIBUTIONS = {
    choice: ['values'],
    randint: ['upper'],
    uniform: ['min_value', 'max_value'],
    loguniform: ['min_value', 'max_value'],
    quniform: ['min_value', 'max_value', 'q'],
    qloguniform: ['min_value', 'max_value', 'q'],
    normal: ['mu', 'sigma'],
    lognormal: ['mu', 'sigma'],
    qnormal: ['mu', 'sigma', 'q'],
    qlognormal: ['mu', 'sigma', 'q'],
};
/** One search-space parameter → the REST (hyperdrive) form, e.g. `["uniform", [0.01, 0.1]]`. */
function searchParameter(name, field) {
    if (!field.isMapping) {
        field.fail(`search_space parameter '${name}' must be a mapping with \`type\``, 'Write e.g. `learning_rate: {type: uniform, min_value: 0.01, max_value: 0.1}` or `{type: choice, values: [1, 2, 3]}`.');
    }
    const type = field
        .child('type')
        .required('uniform')
        .choice(Object.fromEntries(Object.keys(sweep_job_DISTRIBUTIONS).map((key) => [key, key])));
    const parameters = sweep_job_DISTRIBUTIONS[type] ?? [];
    field.keys(['type', ...parameters], `a ${type} distribution (search_space.${name})`);
    for (const parameter of parameters)
        field.child(parameter).required(parameter === 'values' ? '[1, 2, 3]' : '1');
    if (type === 'choice') {
        const values = field.child('values');
        const list = values.value;
        if (!Array.isArray(list) || list.length === 0) {
            throw values.problem(`'${values.label}' must be a non-empty list`, 'Write e.g. `values: [16, 32, 64]`.');
        }
        for (let index = 0; index < list.length; index++)
            values.child(index).scalarText();
        return ['choice', [list]];
    }
    if (type === 'randint')
        return ['randint', [field.child('upper').integer({ min: 1, example: 10 })]];
    const args = parameters.map((parameter) => field.child(parameter).number());
    const [first = 0, second = 0, q] = args;
    if (parameters[0] === 'min_value' && first >= second) {
        field
            .child('max_value')
            .fail(`search_space.${name}: max_value (${second}) must be greater than min_value (${first})`, 'Swap or correct the bounds.');
    }
    if (parameters[1] === 'sigma' && second <= 0) {
        field
            .child('sigma')
            .fail(`search_space.${name}: sigma must be greater than 0, not ${second}`, 'Set a positive standard deviation.');
    }
    if (q !== undefined && q <= 0)
        field
            .child('q')
            .fail(`search_space.${name}: q must be greater than 0, not ${q}`, 'Set a positive quantization step.');
    return [type, args];
}
const SAMPLING = { random: 'Random', grid: 'Grid', bayesian: 'Bayesian' };
function samplingAlgorithm(field) {
    if (!field.present)
        return { samplingAlgorithmType: 'Random' };
    if (!field.isMapping)
        return { samplingAlgorithmType: field.choice(SAMPLING) };
    const samplingAlgorithmType = field.child('type').required('random').choice(SAMPLING);
    if (samplingAlgorithmType !== 'Random') {
        field.keys(['type'], `a ${samplingAlgorithmType.toLowerCase()} sampling_algorithm`);
        return { samplingAlgorithmType };
    }
    field.keys(['type', 'seed', 'rule'], 'a random sampling_algorithm');
    const result = { samplingAlgorithmType };
    const seed = field.child('seed').optionalInteger({ min: 0 });
    if (seed !== undefined)
        result.seed = seed;
    const rule = field.child('rule').optionalChoice({ random: 'Random', sobol: 'Sobol' });
    if (rule !== undefined)
        result.rule = rule;
    return result;
}
const POLICIES = {
    bandit: 'Bandit',
    median_stopping: 'MedianStopping',
    truncation_selection: 'TruncationSelection',
};
const POLICY_KEYS = {
    Bandit: ['slack_factor', 'slack_amount'],
    MedianStopping: [],
    TruncationSelection: ['truncation_percentage'],
};
function earlyTermination(field) {
    if (!field.present)
        return undefined;
    if (!field.isMapping)
        field.fail(`'early_termination' must be a mapping`, 'Write e.g. `early_termination: {type: bandit, slack_factor: 0.1}`.');
    const policyType = field.child('type').required('bandit').choice(POLICIES);
    field.keys(['type', 'evaluation_interval', 'delay_evaluation', ...(POLICY_KEYS[policyType] ?? [])], `a ${String(field.child('type').value)} early_termination`);
    const result = { policyType };
    const interval = field.child('evaluation_interval').optionalInteger({ min: 1 });
    if (interval !== undefined)
        result.evaluationInterval = interval;
    const delay = field.child('delay_evaluation').optionalInteger({ min: 0 });
    if (delay !== undefined)
        result.delayEvaluation = delay;
    if (policyType === 'Bandit') {
        const factor = field.child('slack_factor').optionalNumber(0.1);
        const amount = field.child('slack_amount').optionalNumber(0.2);
        if ((factor === undefined) === (amount === undefined)) {
            field.fail('a bandit policy needs exactly one of `slack_factor` and `slack_amount`', 'Set `slack_factor: 0.1` (a ratio) or `slack_amount: 0.2` (an absolute distance), not both.');
        }
        if (factor !== undefined)
            result.slackFactor = factor;
        if (amount !== undefined)
            result.slackAmount = amount;
    }
    if (policyType === 'TruncationSelection') {
        const percentage = field.child('truncation_percentage').required('10').integer({ min: 1, example: 10 });
        result.truncationPercentage = percentage;
    }
    return result;
}
const SWEEP_JOB_KEYS = [
    ...METADATA_KEYS,
    'compute',
    'inputs',
    'outputs',
    'trial',
    'search_space',
    'objective',
    'sampling_algorithm',
    'limits',
    'early_termination',
    'identity',
    'queue_settings',
    'services',
];
function sweepJob(root) {
    root.keys(SWEEP_JOB_KEYS, 'a sweep job');
    const inputs = jobInputs(root.child('inputs'));
    const outputs = jobOutputs(root.child('outputs'));
    const spaceField = root
        .child('search_space')
        .required('{learning_rate: {type: uniform, min_value: 0.01, max_value: 0.1}}');
    const searchSpace = {};
    for (const [name, parameter] of spaceField.entries('learning_rate: {type: uniform, min_value: 0.01, max_value: 0.1}')) {
        searchSpace[name] = searchParameter(name, parameter);
    }
    if (Object.keys(searchSpace).length === 0)
        spaceField.fail('search_space has no parameters', 'Add at least one parameter.');
    const objectiveField = root.child('objective').required('{goal: maximize, primary_metric: accuracy}');
    objectiveField.keys(['goal', 'primary_metric'], 'objective');
    const primaryMetric = objectiveField.child('primary_metric');
    if (!primaryMetric.present) {
        objectiveField.fail('the sweep objective names no metric: `objective.primary_metric` is missing', 'Add `primary_metric: <name>`, the metric the training script logs with mlflow.log_metric (e.g. `accuracy`).');
    }
    const objective = {
        goal: objectiveField
            .child('goal')
            .required('maximize')
            .choice({ maximize: 'Maximize', minimize: 'Minimize' }),
        primaryMetric: primaryMetric.string('accuracy'),
    };
    const sampling = samplingAlgorithm(root.child('sampling_algorithm'));
    if (sampling.samplingAlgorithmType === 'Grid') {
        const nonChoice = Object.entries(searchSpace).find(([, value]) => value[0] !== 'choice');
        if (nonChoice) {
            spaceField
                .child(nonChoice[0])
                .fail(`grid sampling needs choice parameters only, but search_space.${nonChoice[0]} is ${String(nonChoice[1][0])}`, 'Use `type: choice` with explicit `values`, or `sampling_algorithm: random`.');
        }
    }
    const termination = earlyTermination(root.child('early_termination'));
    if (termination && sampling.samplingAlgorithmType === 'Bayesian') {
        root
            .child('early_termination')
            .fail('bayesian sampling does not support early termination', 'Remove `early_termination`, or use random sampling.', { atKey: true });
    }
    const trialField = root
        .child('trial')
        .required('{command: python train.py, environment: azureml:my-env@latest}');
    trialField.keys(['command', 'code', 'environment', 'environment_variables', 'distribution', 'resources'], 'trial');
    const trial = commandParts(trialField, {
        inputs: [...inputs.keys()],
        outputs: [...outputs.keys()],
        searchSpace: Object.keys(searchSpace),
    }).rest;
    const properties = { jobType: 'Sweep', ...metadata(root) };
    const compute = root.child('compute');
    if (compute.present)
        properties.computeId = computeRef(compute);
    if (inputs.size > 0)
        properties.inputs = restInputs(inputs);
    if (outputs.size > 0)
        properties.outputs = restOutputs(outputs);
    Object.assign(properties, { searchSpace, objective, samplingAlgorithm: sampling, trial });
    const limits = sweepLimits(root.child('limits'));
    if (limits)
        properties.limits = limits;
    if (termination)
        properties.earlyTermination = termination;
    Object.assign(properties, optionalParts(root));
    return { properties, outputNames: [...outputs.keys()], stepNames: [] };
}
function sweepLimits(field) {
    if (!field.present)
        return undefined;
    field.keys(['max_total_trials', 'max_concurrent_trials', 'timeout', 'trial_timeout'], 'sweep limits');
    const result = { jobLimitsType: 'Sweep' };
    const total = field.child('max_total_trials').optionalInteger({ min: 1, example: 20 });
    if (total !== undefined)
        result.maxTotalTrials = total;
    const concurrent = field.child('max_concurrent_trials').optionalInteger({ min: 1, example: 4 });
    if (concurrent !== undefined)
        result.maxConcurrentTrials = concurrent;
    if (field.child('timeout').present)
        result.timeout = duration(field.child('timeout'));
    if (field.child('trial_timeout').present)
        result.trialTimeout = duration(field.child('trial_timeout'));
    return result;
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/translate.ts
// CLI v2 job YAML (command, pipeline, sweep) → the REST `properties` of a job PUT. Everything is
// checked first; only a valid job reaches the resolver (which may upload and register).








const JOB_TYPES = { command: 'Command', pipeline: 'Pipeline', sweep: 'Sweep' };
const OTHER_JOB_TYPES = ['parallel', 'spark', 'automl', 'import', 'data_transfer'];
/** Reads the job YAML (and the component YAMLs it names) and translates it. */
async function translateJobYaml(file, options) {
    let text;
    try {
        text = await (0,external_node_fs_promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw new errors/* ConfigurationError */.j1(`job file '${file}' cannot be read (${code === 'ENOENT' ? 'it does not exist' : (code ?? String(error))})`, {
            input: 'job',
            fix: 'Set `job` to the path of the job YAML, relative to the workspace root of the repository.',
            cause: error,
        });
    }
    const root = Field.root(new YamlSource(file, text, options.overrides ?? []));
    if (!root.isMapping) {
        root.fail('the job YAML must be a mapping of keys (type, command, inputs, …)', 'Start the file with `type: command` (or pipeline, sweep) and the job’s keys.');
    }
    const jobType = jobTypeOf(root);
    const checked = jobType === 'Command'
        ? { files: [], ...commandJob(root) }
        : jobType === 'Sweep'
            ? { files: [], ...sweepJob(root) }
            : pipelineJob(root);
    const properties = (await resolveDeferred(checked.properties, options.resolver));
    if (options.experimentName !== undefined)
        properties.experimentName = options.experimentName;
    if (options.displayName !== undefined)
        properties.displayName = options.displayName;
    if (options.description !== undefined)
        properties.description = options.description;
    if (options.tags !== undefined) {
        properties.tags = { ...properties.tags, ...options.tags };
    }
    const yamlName = root.child('name').optionalString('my-job');
    return {
        jobType,
        properties,
        ...(yamlName !== undefined ? { yamlName } : {}),
        outputNames: checked.outputNames,
        stepNames: checked.stepNames,
        files: [file, ...checked.files],
    };
}
function jobTypeOf(root) {
    const type = root.child('type');
    if (!type.present) {
        for (const [key, implied] of [
            ['jobs', 'pipeline'],
            ['trial', 'sweep'],
        ]) {
            if (root.child(key).present) {
                root.fail(`the job has \`${key}:\` but no \`type\``, `Add \`type: ${implied}\` at the top of the file.`);
            }
        }
        return 'Command';
    }
    if (typeof type.value === 'string' && OTHER_JOB_TYPES.includes(type.value.toLowerCase())) {
        type.fail(`job type '${type.value}' is not supported by this action (supported: command, pipeline, sweep)`, 'Submit a command, pipeline or sweep job, or submit this job with `az ml job create`.');
    }
    return type.choice(JOB_TYPES);
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/spec/index.ts
// CLI v2 job YAML → ARM REST job bodies.
// The located-YAML reader, for other strict file formats (endpoint YAML, smoke-invoke cases).





;// CONCATENATED MODULE: ./packages/core/src/jobs/wait.ts
// Waits for a job to reach a terminal status, polling on an adaptive schedule (PollSchedule) that
// honours Retry-After. Between polls the caller may do work (stream logs) through `onPoll`.
// A timeout is a result (`timedOut: true`), not an error, so the caller decides whether to cancel;
// an abort rejects at once, even in the middle of a 30-second sleep.





/** A wake-up call for a waiter's sleep; wake() before a sleep starts makes that sleep end at once. */
class PollWake {
    pending = false;
    listeners = new Set();
    wake() {
        this.pending = true;
        for (const listener of this.listeners)
            listener();
        this.listeners.clear();
    }
    /** Resolves at the next wake() (or at once if one came since the last call); `cancel` stops listening. */
    next() {
        if (this.pending) {
            this.pending = false;
            return { woken: Promise.resolve(), cancel: () => undefined };
        }
        let listener = () => undefined;
        const woken = new Promise((resolve) => {
            listener = () => {
                this.pending = false;
                resolve();
            };
            this.listeners.add(listener);
        });
        return { woken, cancel: () => this.listeners.delete(listener) };
    }
}
const DEFAULT_MAX_CONSECUTIVE_POLL_ERRORS = 5;
/** The status a job without one is taken to have. */
const UNKNOWN_STATUS = 'Unknown';
async function waitForJob(jobs, name, options = {}) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? defaultSleep;
    const signal = options.abortSignal;
    const schedule = options.schedule instanceof PollSchedule ? options.schedule : new PollSchedule(options.schedule);
    const maxErrors = options.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_POLL_ERRORS;
    const timeoutInMs = options.timeoutInMs;
    if (timeoutInMs !== undefined && !(timeoutInMs >= 0)) {
        throw new RangeError(`timeoutInMs must be zero or more, not ${timeoutInMs}`);
    }
    const startedAt = now();
    const deadline = timeoutInMs === undefined ? Number.POSITIVE_INFINITY : startedAt + timeoutInMs;
    let previous;
    let last;
    let polls = 0;
    let errors = 0;
    for (;;) {
        throwIfAborted(signal, name);
        let polled;
        let delayInMs = 0; // set below, from the failure or from the poll
        try {
            polled = await jobs.poll(name, signal ? { abortSignal: signal } : {});
        }
        catch (error) {
            throwIfAborted(signal, name, error);
            errors += 1;
            if (!isTransientError(error) || errors > maxErrors)
                throw error;
            delayInMs = schedule.next({ statusChanged: false });
            options.onTransientError?.({ error, attempt: errors, retryInMs: delayInMs });
        }
        if (polled) {
            const { job, retryAfterInMs } = polled;
            polls += 1;
            errors = 0;
            last = job;
            const status = job.properties.status ?? UNKNOWN_STATUS;
            const statusChanged = status !== previous;
            if (statusChanged)
                options.onStatus?.({ status, previous, elapsedInMs: now() - startedAt, job });
            previous = status;
            // Outside the retry handling: a failure of the caller's own work is the caller's to report.
            await options.onPoll?.(job);
            if (isTerminalJobStatus(status))
                return result(job, status, false);
            delayInMs = schedule.next({ statusChanged, retryAfterInMs });
        }
        const remaining = deadline - now();
        if (remaining <= 0) {
            if (last)
                return result(last, previous ?? UNKNOWN_STATUS, true);
            throw new Error(`Waiting for job '${name}' timed out before any poll succeeded.`);
        }
        // The last sleep is cut to the deadline, and one more poll then tells how the job stands.
        try {
            await sleepUnlessWoken(Math.min(delayInMs, remaining), signal, sleep, options.wake);
        }
        catch (error) {
            throwIfAborted(signal, name, error);
            throw error;
        }
    }
    function result(job, status, timedOut) {
        return { job, status, timedOut, elapsedInMs: now() - startedAt, polls };
    }
}
/** Worth polling again: throttling, server errors, and failures with no HTTP answer (network). */
function isTransientError(error) {
    if (error instanceof errors/* AzureRequestError */.ZQ)
        return error.transient;
    if ((0,esm/* isRestError */.T0)(error)) {
        const status = error.statusCode;
        return status === undefined
            ? error.name !== 'AbortError'
            : status === 408 || status === 429 || status >= 500;
    }
    return false;
}
/** Thrown when the wait's abort signal fires; `cause` is the signal's reason. */
class JobWaitAbortedError extends Error {
    name = 'AbortError';
    constructor(jobName, cause) {
        super(`Waiting for job '${jobName}' was aborted.`, { cause });
    }
}
function throwIfAborted(signal, name, error) {
    if (signal?.aborted)
        throw new JobWaitAbortedError(name, signal.reason ?? error);
}
async function sleepUnlessWoken(delayInMs, signal, sleep, wake) {
    if (!wake)
        return sleep(delayInMs, signal);
    const woken = new AbortController();
    const sleepSignal = signal ? AbortSignal.any([signal, woken.signal]) : woken.signal;
    const call = wake.next();
    try {
        await Promise.race([
            sleep(delayInMs, sleepSignal).catch((error) => {
                if (!woken.signal.aborted || signal?.aborted)
                    throw error;
            }),
            call.woken.then(() => woken.abort()),
        ]);
    }
    finally {
        call.cancel();
    }
}
function defaultSleep(delayInMs, signal) {
    return (0,promises_.setTimeout)(delayInMs, undefined, signal ? { signal } : {});
}

;// CONCATENATED MODULE: ./packages/core/src/jobs/workspace-references.ts
// The translation's ReferenceResolver against a real workspace: computes, environments,
// components, data and models are looked up (a missing one is a positioned configuration error
// with the near matches that exist); code folders and local inputs are uploaded once per content
// hash; inline environments and components become the CLI's anonymous versions.
// In dry-run mode only reads are sent: every write that would happen is recorded instead, and
// the ids the writes would create are computed the same way (content hashes), so the translated
// job body is the one a real submission sends.






class WorkspaceReferences {
    rest;
    workspace;
    options;
    /** The writes a dry run would have sent, in order. */
    planned = [];
    /** Every code folder resolved (uploaded, reused, or planned). */
    codeUploads = [];
    assets;
    codes;
    log;
    call;
    planning;
    /** Lookups and snapshot hashes, shared by the plan pass and the apply pass. */
    reads = new Map();
    constructor(rest, workspace, blobs, options) {
        this.rest = rest;
        this.workspace = workspace;
        this.options = options;
        this.assets = new AssetVersions(rest, workspace);
        this.codes = new CodeAssets(rest, workspace, blobs);
        const log = options.log ?? (() => undefined);
        this.log = (message) => {
            if (!this.planning || options.logPlan)
                log(message);
        };
        this.call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
        this.planning = options.dryRun;
    }
    /**
     * From plan mode to sending writes. A submission translates twice: a plan pass that checks
     * every reference with reads only (a bad one fails with nothing written), then the apply pass.
     */
    apply() {
        this.planning = false;
        this.planned.length = 0;
        this.codeUploads.length = 0;
    }
    once(key, read) {
        let pending = this.reads.get(key);
        if (!pending) {
            pending = read();
            this.reads.set(key, pending);
        }
        return pending;
    }
    compute(name, at) {
        return this.once(`compute:${name}`, () => this.findCompute(name, at));
    }
    async findCompute(name, at) {
        const id = computeArmId(this.workspace, name);
        try {
            await this.rest.request({ method: 'GET', path: id, apiVersion: API_VERSIONS.sdk, ...this.call });
            return id;
        }
        catch (error) {
            if (!(error instanceof errors/* AzureRequestError */.ZQ) || error.status !== 404)
                throw error;
        }
        const names = await this.listNames(`${workspaceArmId(this.workspace)}/computes`);
        throw notFound(`compute '${name}'`, name, names, at, {
            none: 'Create a compute cluster (az ml compute create), or leave `compute` out and set `resources.instance_type` to run on serverless compute.',
            some: (list) => `Use one of the workspace's computes: ${list}.`,
        });
    }
    environment(ref, at) {
        return this.once(`environment:${workspace_references_describe(ref)}@${ref.registry ?? ''}`, () => this.registeredAsset('environments', ref, at));
    }
    component(ref, at) {
        return this.once(`component:${workspace_references_describe(ref)}@${ref.registry ?? ''}`, () => this.registeredAsset('components', ref, at));
    }
    data(ref, at) {
        return this.once(`data:${workspace_references_describe(ref)}@${ref.registry ?? ''}`, () => this.findData(ref, at));
    }
    async findData(ref, at) {
        if (ref.registry)
            return `azureml:${registryUri(ref.registry, 'data', ref)}`;
        // The input type is not known here: a name that is no data asset may be a model (mlflow_model inputs).
        const data = await this.findVersion('data', ref, at);
        if (data)
            return `azureml:${data}`;
        const model = await this.findVersion('models', ref, at);
        if (model)
            return `azureml:${model}`;
        const names = [
            ...(await this.assets.containerNames('data', this.call)),
            ...(await this.assets.containerNames('models', this.call)),
        ];
        throw notFound(`data or model asset '${workspace_references_describe(ref)}'`, ref.name, names, at, {
            none: 'Register the data first (az ml data create, or register-model for a model), or give a path or an azureml://datastores/... URI.',
            some: (list) => `Use one of the registered data and model assets: ${list}.`,
        });
    }
    async anonymousEnvironment(spec, at) {
        const inline = {
            ...(spec.image !== undefined ? { image: spec.image } : {}),
            ...(spec.condaFile !== undefined ? { condaFile: spec.condaFile } : {}),
            ...(spec.osType ? { osType: spec.osType } : {}),
        };
        if (spec.build) {
            const context = await this.buildContext(spec.build.path, at);
            inline.build = {
                contextUri: context.uri,
                ...(context.hash ? { contextHash: context.hash } : {}),
                ...(spec.build.dockerfilePath ? { dockerfilePath: spec.build.dockerfilePath } : {}),
            };
        }
        if (this.planning) {
            const planned = anonymousEnvironment(inline);
            return this.planAnonymous('environments', planned);
        }
        const created = await this.assets.anonymousEnvironmentVersion(inline, this.call);
        if (created.created)
            this.log(`Registered anonymous environment ${created.name}:${created.version}.`);
        return created.id;
    }
    async anonymousComponent(componentSpec, _at) {
        if (this.planning) {
            return this.planAnonymous('components', anonymousComponent(componentSpec));
        }
        const created = await this.assets.anonymousComponentVersion(componentSpec, this.call);
        const label = typeof componentSpec.name === 'string' ? ` (${componentSpec.name})` : '';
        if (created.created)
            this.log(`Registered component${label} as ${created.name}:${created.version}.`);
        return created.id;
    }
    async code(localPath, at) {
        const prepared = await this.prepare(localPath, at);
        const existing = await this.codes.findByHash(prepared.hash, this.call);
        if (existing) {
            this.log(`Code ${localPath} unchanged (hash ${prepared.hash.slice(0, 12)}…): reusing ${existing.split('/codes/')[1] ?? existing}; 0 bytes uploaded.`);
            this.record(prepared, existing, 0, true);
            return existing;
        }
        if (this.planning) {
            this.planUpload(prepared);
            const name = codeNameFor(prepared.hash);
            const id = this.planAssetPut('codes', name, '1', {
                properties: { hash_sha256: prepared.hash, hash_version: prepared.hashVersion },
                isAnonymous: false,
                isArchived: false,
                codeUri: `azureml://datastores/${DEFAULT_DATASTORE}/paths/${codeUriPath(prepared)}`,
            });
            this.record(prepared, id, prepared.totalBytes, false);
            return id;
        }
        this.log(`Uploading code ${localPath}: ${prepared.files.length} files, ${formatBytes(prepared.totalBytes)}.`);
        const result = await this.codes.upload(prepared, {
            ...this.call,
            onProgress: this.progressLogger(`code ${localPath}`),
            ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
        });
        this.log(result.reused
            ? `Code ${localPath} unchanged: reusing its code version; 0 bytes uploaded.`
            : `Uploaded code ${localPath}: ${formatBytes(result.uploadedBytes)} uploaded.`);
        this.record(prepared, result.armId, result.uploadedBytes, result.reused);
        return result.armId;
    }
    async localInput(localPath, at) {
        const prepared = await this.prepare(localPath, at);
        if (this.planning) {
            this.planUpload(prepared);
            const suffix = prepared.kind === 'folder' ? '/' : '';
            return `azureml://datastores/${DEFAULT_DATASTORE}/paths/${codeUriPath(prepared)}${suffix}`;
        }
        const result = await this.codes.uploadLocalArtifact(localPath, {
            ...this.call,
            onProgress: this.progressLogger(`input ${localPath}`),
            ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
        });
        this.log(result.reused
            ? `Input ${localPath} unchanged: already uploaded; 0 bytes uploaded.`
            : `Uploaded input ${localPath}: ${formatBytes(result.uploadedBytes)}.`);
        return result.uri;
    }
    async registeredAsset(kind, ref, at) {
        if (ref.registry)
            return registryUri(ref.registry, kind, ref);
        const id = await this.findVersion(kind, ref, at);
        if (id)
            return id;
        const singular = kind === 'environments' ? 'environment' : 'component';
        const names = await this.assets.containerNames(kind, this.call);
        if (ref.version !== undefined && names.includes(ref.name)) {
            throw new errors/* ConfigurationError */.j1(`${singular} '${ref.name}' has no version '${ref.version}'`, {
                ...workspace_references_location(at),
                fix: `Use an existing version (az ml ${singular} list --name ${ref.name}), or write azureml:${ref.name}@latest.`,
            });
        }
        throw notFound(`${singular} '${workspace_references_describe(ref)}'`, ref.name, names, at, {
            none: `Register it first (az ml ${singular} create), or define it inline in the YAML.`,
            some: (list) => `Use one of the workspace's ${kind}: ${list}.`,
        });
    }
    /** The ARM id of the version `ref` names, or undefined when there is none. */
    async findVersion(kind, ref, at) {
        if (ref.version !== undefined)
            return (await this.assets.get(kind, ref.name, ref.version, this.call))?.id;
        const label = ref.label ?? 'latest';
        if (label !== 'latest') {
            throw new errors/* ConfigurationError */.j1(`'${workspace_references_describe(ref)}' uses the label '${label}'; only @latest can be resolved`, {
                ...workspace_references_location(at),
                fix: `Write azureml:${ref.name}:<version> or azureml:${ref.name}@latest.`,
            });
        }
        return (await this.assets.latest(kind, ref.name, this.call))?.id;
    }
    prepare(localPath, at) {
        return this.once(`prepare:${localPath}`, () => this.prepareUncached(localPath, at));
    }
    async prepareUncached(localPath, at) {
        try {
            return await this.codes.prepare(localPath, { ...this.call, file: at.file });
        }
        catch (error) {
            if (error.code === 'ENOENT') {
                throw new errors/* ConfigurationError */.j1(`the local path '${localPath}' does not exist`, {
                    ...workspace_references_location(at),
                    fix: 'Paths in a job YAML are relative to the YAML file; check the path and that the checkout contains it.',
                });
            }
            throw error;
        }
    }
    async buildContext(pathOrUrl, at) {
        if (/^(https?|azureml):\/\//i.test(pathOrUrl))
            return { uri: pathOrUrl };
        const uri = await this.localInput(pathOrUrl, at);
        const prepared = await this.prepare(pathOrUrl, at);
        return { uri, hash: prepared.hash };
    }
    /** An anonymous version is content-addressed: one that exists is the same, and is not written again. */
    async planAnonymous(kind, planned) {
        const existing = await this.assets.get(kind, planned.name, planned.version, this.call);
        return existing?.id ?? this.planAssetPut(kind, planned.name, planned.version, planned.properties);
    }
    planAssetPut(kind, name, version, properties) {
        const id = assetArmId(this.workspace, kind, name, version);
        this.planned.push({
            method: 'PUT',
            url: armRequestUrl(this.rest, id, API_VERSIONS.sdk),
            body: { properties },
        });
        return id;
    }
    planUpload(prepared) {
        this.planned.push({
            method: 'PUT',
            url: `azureml://datastores/${DEFAULT_DATASTORE}/paths/${codeUriPath(prepared)}${prepared.kind === 'folder' ? '/' : ''}`,
            body: {
                blobs: prepared.files.map((file) => file.relativePath),
                bytes: prepared.totalBytes,
                metadata: { upload_status: 'completed' },
            },
        });
    }
    record(prepared, armId, uploadedBytes, reused) {
        this.codeUploads.push({
            localPath: prepared.localPath,
            armId,
            hash: prepared.hash,
            files: prepared.files.length,
            uploadedBytes,
            reused,
        });
    }
    progressLogger(what) {
        const interval = this.options.progressIntervalInMs ?? 5000;
        let last = Date.now();
        return (progress) => {
            const now = Date.now();
            if (now - last < interval || progress.totalFiles === 0)
                return;
            last = now;
            this.log(`Uploading ${what}: ${progress.files}/${progress.totalFiles} files, ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}.`);
        };
    }
    async listNames(path) {
        const names = [];
        for await (const item of this.rest.list(path, API_VERSIONS.sdk, this.call)) {
            if (item.name)
                names.push(item.name);
        }
        return names;
    }
}
/** The full URL of an ARM request, as a dry run records it. */
function armRequestUrl(rest, path, apiVersion) {
    return `${rest.endpoint}${path}?api-version=${apiVersion}`;
}
function registryUri(registry, kind, ref) {
    const base = `azureml://registries/${registry}/${kind}/${ref.name}`;
    return ref.version !== undefined
        ? `${base}/versions/${ref.version}`
        : `${base}/labels/${ref.label ?? 'latest'}`;
}
function workspace_references_describe(ref) {
    return ref.version !== undefined ? `${ref.name}:${ref.version}` : `${ref.name}@${ref.label ?? 'latest'}`;
}
function workspace_references_location(at) {
    return { file: at.file, line: at.line, column: at.column };
}
function notFound(what, name, names, at, fixes) {
    const suggestion = (0,closest_match/* closestMatch */.h)(name, names);
    const shown = [...names].sort().slice(0, 10).join(', ');
    return new errors/* ConfigurationError */.j1(`${what} does not exist in the workspace${suggestion ? `; did you mean '${suggestion}'?` : ''}`, { ...workspace_references_location(at), fix: names.length === 0 ? fixes.none : fixes.some(shown) });
}
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} bytes`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

;// CONCATENATED MODULE: ./packages/core/src/metrics/index.ts


;// CONCATENATED MODULE: ./packages/core/src/models/content-hash.ts
// A model's content fingerprint when its files are already in storage: a SHA-256 over the sorted
// listing (path, size, and the store's checksum or, lacking one, its ETag). Registering the same
// stored files twice gives the same fingerprint, so the second registration finds the first.
// Local folders use the code snapshot hash (202208) instead, computed from the bytes.

const LISTING_HASH_VERSION = 'listing-v1';
function listingHash(files) {
    const sorted = [...files].sort((a, b) => a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    hash.update(`${sorted.length}\n`);
    for (const file of sorted)
        hash.update(`${file.relativePath}\t${file.size}\t${file.checksum}\n`);
    return hash.digest('hex');
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
;// CONCATENATED MODULE: ./packages/core/src/workspace/uri.ts
// Every way Azure ML CLI v2 YAML and action inputs refer to assets, computes, data and outputs:
// `azureml:` references, `azureml://` URIs, ARM ids, MLflow URIs and (when the caller accepts
// them) external storage URLs and local paths. A malformed reference is a ConfigurationError
// that names the mistake and shows the form that would have worked.




/** The output name under which a job's default artifacts (its `outputs/` folder, logs) live. */
const DEFAULT_ARTIFACTS_OUTPUT = 'artifacts';
const FORMS = {
    assetVersion: 'azureml:<name>:<version>',
    assetLabel: 'azureml:<name>@<label>',
    datastore: 'azureml://datastores/<datastore>/paths/<path>',
    datastoreLong: 'azureml://subscriptions/<subscription-id>/resourcegroups/<resource-group>/workspaces/<workspace>/datastores/<datastore>/paths/<path>',
    jobOutput: 'azureml://jobs/<job>/outputs/<output>[/paths/<path>]',
    registry: 'azureml://registries/<registry>/<type>/<name>/versions/<version> (or /labels/<label>)',
    run: 'runs:/<run-id>/<path>',
    model: 'models:/<name>/<version>',
    blob: 'https://<account>.blob.core.windows.net/<container>/<path>',
};
class ReferenceParser {
    text;
    options;
    constructor(text, options) {
        this.text = text;
        this.options = options;
    }
    get location() {
        const { input, file, line, column } = this.options;
        return { input, file, line, column };
    }
    fail(problem, fix) {
        throw new errors/* ConfigurationError */.j1(`'${this.text}' is not a valid reference: ${problem}`, {
            ...this.location,
            fix,
        });
    }
    /** Checks one part with a naming rule; `form` is the correct shape to show on failure. */
    check(value, what, rule, form) {
        const problem = rule(value);
        if (problem) {
            this.fail(value === '' ? `the ${what} is empty` : `the ${what} '${value}' is not valid: ${problem}`, `Write it as ${form}.`);
        }
        return value;
    }
    armId(id, prefixed) {
        return { kind: 'arm', id: parseArmId(id, this.location), prefixed };
    }
}
/** Parses any Azure ML reference form; see AzureMlReference for the forms. */
function parseAzureMlReference(text, options = {}) {
    const value = text.trim();
    const parser = new ReferenceParser(value, options);
    if (value === '') {
        parser.fail('it is empty', `Write a reference such as ${FORMS.assetVersion} or ${FORMS.datastore}.`);
    }
    const lower = value.toLowerCase();
    if (lower.startsWith('azureml://'))
        return parseAzureMlUri(parser, value.slice('azureml://'.length));
    if (lower.startsWith('azureml:'))
        return parsePrefixed(parser, value.slice('azureml:'.length));
    if (lower.startsWith('runs:'))
        return parseMlflowRun(parser, value.slice('runs:'.length));
    if (lower.startsWith('models:'))
        return parseMlflowModel(parser, value.slice('models:'.length));
    if (/^\/subscriptions\//i.test(value))
        return parser.armId(value, false);
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
    if (scheme !== undefined || lower.startsWith('file:'))
        return parseExternalUrl(parser, value, scheme ?? 'file');
    const bare = /^([^:/\\@]*):([^:/\\]*)$/.exec(value);
    if (bare) {
        if (!options.allowBare) {
            parser.fail('an asset reference needs the azureml: prefix here', `Write it as azureml:${value} (${FORMS.assetVersion}).`);
        }
        return parseNameAndVersion(parser, bare[1] ?? '', bare[2] ?? '', false);
    }
    if (options.allowExternal)
        return { kind: 'local', path: value };
    return parser.fail('it is not an Azure ML reference (local paths and external URLs are not accepted here)', `Write ${FORMS.assetVersion}, ${FORMS.assetLabel}, azureml:<compute>, ${FORMS.datastore} or ${FORMS.jobOutput}.`);
}
// ---------------------------------------------------------------------------------------------
// azureml:<name>[:<version>|@<label>] and azureml:/subscriptions/…
function parsePrefixed(parser, rest) {
    if (rest === '') {
        parser.fail('nothing follows azureml:', `Write ${FORMS.assetVersion}, ${FORMS.assetLabel} or azureml:<compute>.`);
    }
    if (rest.startsWith('/')) {
        if (/^\/subscriptions\//i.test(rest))
            return parser.armId(rest, true);
        const asset = /^\/?([^/]+)\/([^/]+)\/versions\/([^/]+)$/.exec(rest);
        const example = asset ? `azureml:${asset[2]}:${asset[3]}` : FORMS.assetVersion;
        const registry = asset
            ? `azureml://registries/<registry>/${asset[1]}/${asset[2]}/versions/${asset[3]}`
            : 'azureml://registries/...';
        parser.fail('it looks like an ARM path but is missing /subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.MachineLearningServices/workspaces/<workspace>', `Use ${example} for an asset of this workspace, ${registry} for a registry asset, or the full ARM id.`);
    }
    if (rest.includes('/')) {
        if (/^subscriptions\//i.test(rest)) {
            parser.fail('an ARM id starts with a slash', `Write it as azureml:/${rest}.`);
        }
        const asset = /^([^/]+)\/([^/]+)\/versions\/([^/]+)$/.exec(rest);
        parser.fail("a name cannot contain '/'", asset
            ? `Use azureml:${asset[2]}:${asset[3]} for an asset of this workspace, or azureml://registries/<registry>/${rest} for a registry asset.`
            : `Write ${FORMS.assetVersion}, ${FORMS.assetLabel}, or azureml://… for a URI.`);
    }
    const at = rest.indexOf('@');
    if (at !== -1) {
        const name = rest.slice(0, at);
        const label = rest.slice(at + 1);
        if (label.includes('@') || label.includes(':')) {
            parser.fail('a reference takes either one @<label> or one :<version>, not both or several', `Write azureml:${name}@latest or azureml:${name}:<version>.`);
        }
        parser.check(name, 'asset name', checkResourceName, FORMS.assetLabel);
        if (label === '')
            parser.fail("the label after '@' is empty", `Write azureml:${name}@latest (${FORMS.assetLabel}).`);
        parser.check(label, 'label', checkLabel, FORMS.assetLabel);
        return { kind: 'asset-label', name, label };
    }
    const parts = rest.split(':');
    if (parts.length > 2) {
        parser.fail(`it has ${parts.length - 1} ':' separators; a reference has at most one, between name and version`, `Write ${FORMS.assetVersion}, e.g. azureml:${parts[0] || '<name>'}:${parts[1] || '<version>'}.`);
    }
    const [name = '', version] = parts;
    if (version === undefined)
        return { kind: 'name', name: parser.check(name, 'name', checkResourceName, 'azureml:<name>') };
    return parseNameAndVersion(parser, name, version, true);
}
function parseNameAndVersion(parser, name, version, prefixed) {
    const prefix = prefixed ? 'azureml:' : '';
    if (name === '')
        parser.fail("the asset name before ':' is empty", `Write ${prefix}<name>:${version || '<version>'}.`);
    parser.check(name, 'asset name', checkResourceName, FORMS.assetVersion);
    if (version === '') {
        parser.fail("the version after ':' is empty", `Write ${prefix}${name}:<version>, or azureml:${name}@latest for the latest version.`);
    }
    if (version.toLowerCase() === 'latest') {
        parser.fail("'latest' is a label, not a version", `Write azureml:${name}@latest.`);
    }
    parser.check(version, 'version', checkVersion, FORMS.assetVersion);
    return { kind: 'asset-version', name, version, prefixed };
}
// ---------------------------------------------------------------------------------------------
// azureml://…
function parseAzureMlUri(parser, rest) {
    if (rest.startsWith('/')) {
        parser.fail("it has three slashes after 'azureml:'", `Write azureml://… with two (${FORMS.datastore}), or azureml:/subscriptions/… for an ARM id.`);
    }
    const segments = rest.split('/');
    const head = segments[0] ?? '';
    switch (head.toLowerCase()) {
        case 'datastores':
            return parseShortDatastoreUri(parser, segments);
        case 'subscriptions':
            return parseLongDatastoreUri(parser, segments);
        case 'jobs':
            return parseJobOutputUri(parser, segments);
        case 'registries':
            return parseRegistryUri(parser, segments);
        case 'datastore':
        case 'job':
        case 'registry':
        case 'subscription':
            return parser.fail(`'${head}' must be plural: '${head.toLowerCase().replace(/y$/, 'ie')}s'`, `Write ${{ datastore: FORMS.datastore, job: FORMS.jobOutput, registry: FORMS.registry, subscription: FORMS.datastoreLong }[head.toLowerCase()]}.`);
    }
    if (/\.api\.azureml\.ms$/i.test(head)) {
        parser.fail('this is an MLflow tracking URI of a workspace, not a reference to data or an asset', `Write ${FORMS.datastore}, ${FORMS.jobOutput} or ${FORMS.registry}.`);
    }
    return parser.fail(head === '' ? "nothing follows 'azureml://'" : `'azureml://${head}/…' is not a known form`, `Write ${FORMS.datastore}, ${FORMS.datastoreLong}, ${FORMS.jobOutput} or ${FORMS.registry}.`);
}
function parseShortDatastoreUri(parser, segments) {
    const [, datastore = '', marker, ...path] = segments;
    if (datastore === '' && segments.length === 1) {
        parser.fail('the datastore name is missing', `Write ${FORMS.datastore}.`);
    }
    parser.check(datastore, 'datastore name', checkResourceName, FORMS.datastore);
    if (marker === 'ExperimentRun' && path.length > 0 && path.every((s) => s !== '')) {
        return { kind: 'datastore', form: 'run-artifacts', datastore, path: [marker, ...path].join('/') };
    }
    return {
        kind: 'datastore',
        form: 'short',
        datastore,
        path: readPaths(parser, marker, path, FORMS.datastore, `azureml://datastores/${datastore}`),
    };
}
/** Reads `paths/<path>` at the end of a URI; `marker` is the segment where `paths` must be. */
function readPaths(parser, marker, path, form, before) {
    if (marker === undefined || (marker === '' && path.length === 0))
        parser.fail("the '/paths/<path>' part is missing", `Write ${before}/paths/<path> (${form}).`);
    if (marker.toLowerCase() === 'path') {
        parser.fail("'path' must be plural: 'paths'", `Write ${before}/paths/${path.join('/')}.`);
    }
    if (marker.toLowerCase() !== 'paths') {
        parser.fail(`the 'paths' segment is missing before '${[marker, ...path].join('/')}'`, `Write ${before}/paths/${[marker, ...path].join('/')}.`);
    }
    return path.join('/');
}
function parseLongDatastoreUri(parser, segments) {
    const form = FORMS.datastoreLong;
    let i = 1;
    const fixed = (...names) => {
        const segment = segments[i];
        if (segment === undefined || !names.some((n) => n.toLowerCase() === segment.toLowerCase())) {
            parser.fail(segment === undefined
                ? `it ends where '${names[0]}' should follow`
                : `segment '${segment}' is where '${names[0]}' should be`, `Write ${form}.`);
        }
        i += 1;
    };
    const named = (what, rule) => parser.check(segments[i++] ?? '', what, rule, form);
    const subscriptionId = named('subscription id', checkSubscriptionSegment);
    fixed('resourcegroups');
    const resourceGroup = named('resource group', checkResourceGroupName);
    if (segments[i]?.toLowerCase() === 'providers') {
        i += 1;
        fixed('Microsoft.MachineLearningServices');
    }
    fixed('workspaces');
    const workspace = named('workspace name', checkWorkspaceName);
    const next = segments[i] ?? '';
    if (next.toLowerCase() !== 'datastores') {
        parser.fail(next === 'datastore'
            ? "'datastore' must be plural: 'datastores'"
            : `only datastore paths have a long azureml:// form (found '${next || 'nothing'}' after the workspace)`, `Write ${form}; for an asset use azureml:<name>:<version> or its full ARM id.`);
    }
    i += 1;
    const datastore = named('datastore name', checkResourceName);
    const before = `azureml://${segments.slice(0, i).join('/')}`;
    const path = readPaths(parser, segments[i], segments.slice(i + 1), form, before);
    return {
        kind: 'datastore',
        form: 'long',
        workspace: { subscriptionId, resourceGroup, workspace },
        datastore,
        path,
    };
}
function parseJobOutputUri(parser, segments) {
    const form = FORMS.jobOutput;
    const [, job = '', outputs, output, marker, ...path] = segments;
    parser.check(job, 'job name', checkResourceName, form);
    if (outputs === undefined || outputs === '') {
        parser.fail("the '/outputs/<output>' part is missing", `Write azureml://jobs/${job}/outputs/<output> (${form}).`);
    }
    if (outputs.toLowerCase() === 'output') {
        parser.fail("'output' must be plural: 'outputs'", `Write azureml://jobs/${job}/outputs/${output ?? '<output>'}.`);
    }
    if (outputs.toLowerCase() !== 'outputs') {
        parser.fail(`'${outputs}' is where 'outputs' should be`, `Write azureml://jobs/${job}/outputs/<output> (${form}).`);
    }
    if (output === undefined || output === '') {
        parser.fail('the output name is empty', `Write azureml://jobs/${job}/outputs/<output>, e.g. .../outputs/artifacts/paths/model.`);
    }
    parser.check(output, 'output name', checkResourceName, form);
    if (marker === undefined || (marker === '' && path.length === 0))
        return { kind: 'job-output', job, output };
    return {
        kind: 'job-output',
        job,
        output,
        path: readPaths(parser, marker, path, form, `azureml://jobs/${job}/outputs/${output}`),
    };
}
function parseRegistryUri(parser, segments) {
    const form = FORMS.registry;
    const [, registry = '', rawType = '', name = '', selector, value, ...extra] = segments;
    parser.check(registry, 'registry name', checkResourceName, form);
    const assetType = rawType.toLowerCase();
    if (!isAssetType(assetType)) {
        const plural = `${assetType}s`;
        parser.fail(rawType === ''
            ? 'the asset type is missing'
            : `'${rawType}' is not a registry asset type; expected one of ${ASSET_TYPES.join(', ')}`, isAssetType(plural)
            ? `Write azureml://registries/${registry}/${[plural, ...segments.slice(3)].join('/')}.`
            : `Write ${form}.`);
    }
    parser.check(name, 'asset name', checkResourceName, form);
    const base = `azureml://registries/${registry}/${assetType}/${name}`;
    const kind = selector?.toLowerCase();
    if (kind !== 'versions' && kind !== 'labels') {
        parser.fail(selector === undefined
            ? 'a registry asset needs a version or a label'
            : `'${selector}' is where 'versions' or 'labels' should be`, `Write ${base}/versions/<version> or ${base}/labels/latest.`);
    }
    if (extra.length > 0)
        parser.fail(`unexpected '/${extra.join('/')}' at the end`, `Write ${form}.`);
    if (kind === 'labels') {
        const label = parser.check(value ?? '', 'label', checkLabel, `${base}/labels/<label>`);
        return { kind: 'registry-asset', registry, assetType, name, label };
    }
    if ((value ?? '').toLowerCase() === 'latest') {
        parser.fail("'latest' is a label, not a version", `Write ${base}/labels/latest.`);
    }
    const version = parser.check(value ?? '', 'version', checkVersion, `${base}/versions/<version>`);
    return { kind: 'registry-asset', registry, assetType, name, version };
}
// ---------------------------------------------------------------------------------------------
// MLflow
function parseMlflowRun(parser, rest) {
    if (rest.startsWith('//')) {
        parser.fail("MLflow run URIs take a single slash ('runs:/')", `Write ${FORMS.run}.`);
    }
    if (!rest.startsWith('/'))
        parser.fail("'runs:' must be followed by '/'", `Write ${FORMS.run}.`);
    const [runId = '', ...path] = rest.slice(1).split('/');
    if (runId === '')
        parser.fail('the run id is missing', `Write ${FORMS.run}, e.g. runs:/<run-id>/model.`);
    parser.check(runId, 'run id', checkResourceName, FORMS.run);
    return { kind: 'mlflow-run', runId, path: path.join('/') };
}
function parseMlflowModel(parser, rest) {
    if (!rest.startsWith('/') || rest.startsWith('//')) {
        parser.fail("MLflow model URIs take a single slash ('models:/')", `Write ${FORMS.model}.`);
    }
    const [name = '', version, ...extra] = rest.slice(1).split('/');
    if (name.includes('@')) {
        parser.fail('MLflow model aliases are not supported', `Write ${FORMS.model}.`);
    }
    parser.check(name, 'model name', checkResourceName, FORMS.model);
    if (version === undefined || version === '') {
        parser.fail('the model version is missing', `Write models:/${name}/<version>.`);
    }
    if (extra.length > 0)
        parser.fail(`unexpected '/${extra.join('/')}' after the version`, `Write ${FORMS.model}.`);
    parser.check(version, 'model version', checkVersion, FORMS.model);
    return { kind: 'mlflow-model', name, version };
}
// ---------------------------------------------------------------------------------------------
// External storage and local paths
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
function parseExternalUrl(parser, value, scheme) {
    const external = ['https', 'http', 's3', 'gs', 'file'];
    if (!external.includes(scheme)) {
        const hint = scheme === 'wasbs' || scheme === 'wasb' || scheme === 'abfss' || scheme === 'abfs'
            ? `Use ${FORMS.blob}, or register a datastore and use ${FORMS.datastore}.`
            : `Write an Azure ML reference (${FORMS.assetVersion}, ${FORMS.datastore}), ${FORMS.blob}, s3://<bucket>/<key>, gs://<bucket>/<key> or a local path.`;
        parser.fail(`the '${scheme}://' scheme is not supported`, hint);
    }
    if (!parser.options.allowExternal) {
        parser.fail(`${scheme === 'file' ? 'local paths' : `${scheme}:// URLs`} are not accepted here; an Azure ML reference is expected`, `Register the data first and write ${FORMS.assetVersion}, or use ${FORMS.datastore}.`);
    }
    if (scheme === 'file')
        return parseFileUrl(parser, value);
    if (scheme === 's3' || scheme === 'gs')
        return parseBucketUrl(parser, value, scheme);
    return parseBlobUrl(parser, value);
}
function parseFileUrl(parser, value) {
    if (!/^file:\/\//i.test(value)) {
        const path = value.slice('file:'.length);
        if (path === '')
            parser.fail("nothing follows 'file:'", 'Write file:<path> or just the path, e.g. ./data.');
        return { kind: 'local', path };
    }
    try {
        return { kind: 'local', path: (0,external_node_url_.fileURLToPath)(value) };
    }
    catch (error) {
        return parser.fail(`it is not a valid file URL (${error instanceof Error ? error.message : String(error)})`, 'Write file:///<absolute path>, or just the path.');
    }
}
function parseBucketUrl(parser, value, scheme) {
    const rest = value.slice(`${scheme}://`.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const key = slash === -1 ? '' : rest.slice(slash + 1);
    const form = `${scheme}://<bucket>/<key>`;
    if (bucket === '')
        parser.fail('the bucket name is missing', `Write ${form}.`);
    const maxLength = scheme === 's3' ? 63 : 222;
    const valid = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(bucket) && !(scheme === 's3' && bucket.includes('_'));
    if (!valid || bucket.length < 3 || bucket.length > maxLength) {
        parser.fail(`the bucket name '${bucket}' is not valid: bucket names are 3–${maxLength} lower-case letters, digits, '-' and '.'${scheme === 'gs' ? ", '_'" : ''}, starting and ending with a letter or digit`, `Write ${form}.`);
    }
    return { kind: scheme, bucket, key };
}
function parseBlobUrl(parser, value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return parser.fail('it is not a valid URL', `Write ${FORMS.blob}.`);
    }
    const host = url.hostname.toLowerCase();
    const segments = url.pathname.split('/').slice(1);
    let account;
    if (LOOPBACK_HOSTS.has(host)) {
        // Azurite and other local emulators use path-style URLs: /<account>/<container>/<path>.
        account = segments.shift() ?? '';
        if (account === '')
            parser.fail('a local blob URL needs the account name as its first path segment', `Write http://127.0.0.1:10000/<account>/<container>/<path>.`);
    }
    else {
        const match = /^([a-z0-9]+)\.blob\.core\.[a-z0-9.-]+$/.exec(host);
        if (!match?.[1]) {
            parser.fail(`'${host}' is not an Azure Blob Storage host; only blob URLs are accepted`, `Write ${FORMS.blob}, or register the data and use ${FORMS.assetVersion}.`);
        }
        if (url.protocol !== 'https:')
            parser.fail('Azure Blob Storage URLs must use https', `Write ${FORMS.blob}.`);
        account = match[1];
    }
    const [container = '', ...path] = segments;
    if (container === '')
        parser.fail('the container name is missing', `Write ${FORMS.blob}.`);
    if (!/^(\$root|\$web|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/.test(container)) {
        parser.fail(`the container name '${container}' is not valid: 3–63 lower-case letters, digits and single hyphens`, `Write ${FORMS.blob}.`);
    }
    let decoded;
    try {
        decoded = decodeURIComponent(path.join('/'));
    }
    catch {
        return parser.fail('the blob path has a malformed percent-encoding', `Write ${FORMS.blob} with the path URL-encoded.`);
    }
    return { kind: 'blob', url: value, account, container, path: decoded };
}
// ---------------------------------------------------------------------------------------------
// Formatting
/** Inverse of parseAzureMlReference: `parse(format(ref))` gives `ref` back. */
function formatAzureMlReference(ref) {
    switch (ref.kind) {
        case 'asset-version':
            return `${ref.prefixed ? 'azureml:' : ''}${ref.name}:${ref.version}`;
        case 'asset-label':
            return `azureml:${ref.name}@${ref.label}`;
        case 'name':
            return `azureml:${ref.name}`;
        case 'arm':
            return `${ref.prefixed ? 'azureml:' : ''}${formatArmId(ref.id)}`;
        case 'datastore':
            return formatDatastoreUri(ref);
        case 'job-output': {
            const base = `azureml://jobs/${ref.job}/outputs/${ref.output}`;
            return ref.path === undefined ? base : `${base}/paths/${ref.path}`;
        }
        case 'registry-asset': {
            const base = `azureml://registries/${ref.registry}/${ref.assetType}/${ref.name}`;
            return 'label' in ref ? `${base}/labels/${ref.label}` : `${base}/versions/${ref.version}`;
        }
        case 'mlflow-run':
            return ref.path === '' ? `runs:/${ref.runId}` : `runs:/${ref.runId}/${ref.path}`;
        case 'mlflow-model':
            return `models:/${ref.name}/${ref.version}`;
        case 'blob':
            return ref.url;
        case 's3':
            return `s3://${ref.bucket}/${ref.key}`;
        case 'gs':
            return `gs://${ref.bucket}/${ref.key}`;
        case 'local':
            return ref.path;
    }
}
function formatDatastoreUri(ref) {
    switch (ref.form) {
        case 'short':
            return `azureml://datastores/${ref.datastore}/paths/${ref.path}`;
        case 'run-artifacts':
            return `azureml://datastores/${ref.datastore}/${ref.path}`;
        case 'long': {
            const { subscriptionId, resourceGroup, workspace } = ref.workspace;
            return `azureml://subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/workspaces/${workspace}/datastores/${ref.datastore}/paths/${ref.path}`;
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/lineage.ts
function lineageTags(env) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const tags = {};
    const set = (key, value) => {
        if (value)
            tags[key] = value;
    };
    set('github.repository', env.GITHUB_REPOSITORY);
    set('github.sha', env.GITHUB_SHA);
    set('github.ref', env.GITHUB_REF);
    set('github.workflow', env.GITHUB_WORKFLOW);
    set('github.actor', env.GITHUB_ACTOR);
    if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
        const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
        tags['github.run_url'] = `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
    }
    return tags;
}
/** Lineage first, the user's tags win on a clash. */
function mergeTags(lineage, user) {
    return { ...lineage, ...user };
}

;// CONCATENATED MODULE: ./packages/core/src/models/model-lineage.ts
// The tags and properties that say where a model version came from: the commit and workflow run
// (tags, shown in the Studio list), the training job, its data inputs with their versions and its
// parameters, the metrics it logged (`metrics.<name>`, what evaluate-gate reads back), and the
// source and content hash that make re-registration idempotent.



const SOURCE_PROPERTY = 'aml-actions.source';
const CONTENT_HASH_PROPERTY = 'aml-actions.contentHash';
const CONTENT_HASH_VERSION_PROPERTY = 'aml-actions.contentHashVersion';
const TRAINING_JOB_TAG = 'training_job';
const INPUT_PROPERTY_PREFIX = 'inputs.';
const PARAMETER_PROPERTY_PREFIX = 'params.';
function buildModelLineage(parts) {
    const tags = { ...lineageTags(parts.env) };
    const properties = {};
    if (parts.job) {
        tags[TRAINING_JOB_TAG] = parts.job.name;
        for (const job of [parts.parentJob, parts.job]) {
            if (job)
                Object.assign(properties, inputLineage(job));
        }
    }
    for (const [name, value] of Object.entries(parts.metrics ?? {})) {
        properties[`${METRIC_PROPERTY_PREFIX}${name}`] = String(value);
    }
    Object.assign(tags, parts.userTags ?? {});
    Object.assign(properties, parts.userProperties ?? {});
    // Last: what idempotency relies on is never overridden by a user property.
    properties[SOURCE_PROPERTY] = parts.source;
    properties[CONTENT_HASH_PROPERTY] = parts.contentHash;
    properties[CONTENT_HASH_VERSION_PROPERTY] = parts.contentHashVersion;
    return { tags, properties, ...(parts.job ? { jobName: parts.job.name } : {}) };
}
/** `inputs.<name>` for data inputs (asset versions as `azureml:name:version`), `params.<name>` for literals. */
function inputLineage(job) {
    const result = {};
    const inputs = job.properties.inputs ?? {};
    for (const [name, raw] of Object.entries(inputs)) {
        if (typeof raw !== 'object' || raw === null)
            continue;
        const input = raw;
        if (typeof input.uri === 'string' && !isBinding(input.uri)) {
            result[`${INPUT_PROPERTY_PREFIX}${name}`] = shortAssetReference(input.uri);
        }
        else if (typeof input.value === 'string' && !isBinding(input.value)) {
            result[`${PARAMETER_PROPERTY_PREFIX}${name}`] = input.value;
        }
    }
    return result;
}
const isBinding = (text) => text.trim().startsWith('${{');
/** An ARM id of a data or model version → `azureml:name:version`; anything else unchanged. */
function shortAssetReference(uri) {
    const text = uri.replace(/^azureml:(?=\/)/i, '');
    if (!/^\/subscriptions\//i.test(text))
        return uri;
    try {
        const id = parseArmId(text);
        if ((id.kind === 'asset' || id.kind === 'registry-asset') && id.version) {
            return id.kind === 'asset'
                ? `azureml:${id.name}:${id.version}`
                : `azureml://registries/${id.registry.registry}/${id.assetType}/${id.name}/versions/${id.version}`;
        }
    }
    catch {
        // Not an id we know: keep it as the job had it.
    }
    return uri;
}

;// CONCATENATED MODULE: ./packages/core/src/models/model-content.ts
// What a model source holds, found before anything is written: the files (relative path, size,
// checksum), a content hash, and the job that produced them. A job must be Completed; an unknown
// output, step or empty location is a ConfigurationError that lists what exists.








async function resolveModelContent(source, deps) {
    switch (source.kind) {
        case 'job-output':
            return jobOutputContent(source, deps);
        case 'datastore':
            return datastoreContent(source.uri, source.uri, false, deps, 'path');
        case 'local':
            return localContent(source.path, deps);
        case 'external':
            return externalContent(source.url, deps);
        case 'workspace-model':
            return modelVersionContent(deps.workspaceModels, source.name, source.version, deps);
        case 'registry-model':
            return modelVersionContent(deps.registryModels(source.registry, source), source.name, source.version, deps);
    }
}
async function jobOutputContent(source, deps) {
    const jobInput = source.output === 'artifacts' && !source.step ? 'path' : 'job-name';
    const notCompletedFix = 'Register the output of a job that completed: wait for it (train-pipeline with wait: true) or fix its failure first.';
    const call = { abortSignal: deps.abortSignal };
    const parent = await getCompletedJob(deps.jobs, source.job, { input: jobInput, notCompletedFix, ...call });
    let job = parent;
    if (source.step) {
        const child = await findStepJob(await deps.mlflow(), deps.jobs, parent, source.step, {
            input: 'step',
            ...call,
        });
        job = await getCompletedJob(deps.jobs, child.name, { input: 'step', notCompletedFix, ...call });
    }
    const outputs = job.properties.outputs ?? {};
    const named = Object.keys(outputs).filter((name) => name !== 'default');
    let output = source.output;
    if (output === undefined) {
        if (named.length !== 1) {
            throw new errors/* ConfigurationError */.j1(`job '${job.name}' has ${named.length === 0 ? 'no named outputs' : `${named.length} outputs`}; say which to register`, {
                input: 'output-name',
                fix: named.length > 0
                    ? `Set output-name to one of: ${named.join(', ')}.`
                    : 'Register the run artifacts with path: runs:/<job>/<path>, or give the job an output.',
            });
        }
        output = named[0];
    }
    let outputUri;
    if (output === 'artifacts') {
        // The run's artifact folder: the service's default output (`…/ExperimentRun/dcid.<job>`).
        const defaultUri = outputs.default?.uri;
        outputUri =
            typeof defaultUri === 'string'
                ? defaultUri
                : `azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.${job.name}`;
    }
    else {
        const uri = outputs[output]?.uri;
        if (!(output in outputs)) {
            throw new errors/* ConfigurationError */.j1(`job '${job.name}' has no output '${output}'`, {
                input: jobInput === 'path' ? 'path' : 'output-name',
                fix: named.length > 0
                    ? `Its outputs are: ${named.join(', ')} (and artifacts, the run's files).`
                    : `Job '${job.name}' has no named outputs; register its artifacts with runs:/${job.name}/<path>.`,
            });
        }
        outputUri = typeof uri === 'string' ? uri : undefined;
    }
    if (!outputUri) {
        throw new errors/* ConfigurationError */.j1(`output '${output}' of job '${job.name}' has no storage location`, {
            input: 'output-name',
            fix: 'Register an output the job wrote to a datastore (uri_folder, uri_file, mlflow_model, custom_model).',
        });
    }
    const datastoreUri = joinUriPath(outputUri, source.path);
    const sourceUri = `azureml://jobs/${job.name}/outputs/${output}${source.path ? `/paths/${source.path}` : ''}`;
    const content = await datastoreContent(datastoreUri, sourceUri, true, deps, jobInput === 'path' ? 'path' : 'output-name');
    return { ...content, job, ...(job !== parent ? { parentJob: parent } : {}) };
}
/** `base` + `/sub` for a datastore URI, whichever of them ends in a slash. */
function joinUriPath(base, sub) {
    if (!sub)
        return base;
    return `${base.replace(/\/+$/, '')}/${sub.replace(/^\/+/, '')}`;
}
async function datastoreContent(uri, source, sourceIsImmutable, deps, input) {
    const listing = await deps.blobs.list(uri, deps.abortSignal ? { abortSignal: deps.abortSignal } : {});
    if (listing.blobs.length === 0) {
        throw new errors/* ConfigurationError */.j1(`nothing is stored at '${source}'`, {
            input,
            fix: source === uri
                ? 'Check the datastore name and the path after /paths/.'
                : `Check that the job wrote files to that output (it resolves to ${uri}).`,
        });
    }
    const files = listing.blobs.map((blob) => ({
        relativePath: blob.relativePath,
        size: blob.size,
        checksum: blob.md5 ? `md5:${blob.md5}` : `etag:${blob.etag ?? ''}`,
    }));
    return {
        source,
        sourceIsImmutable,
        files,
        totalBytes: files.reduce((sum, file) => sum + file.size, 0),
        contentHash: listingHash(files),
        contentHashVersion: LISTING_HASH_VERSION,
        location: { kind: 'datastore', uri, listing },
        singleFile: listing.singleBlob,
    };
}
async function localContent(localPath, deps) {
    const absolute = external_node_path_default().resolve(deps.cwd, localPath);
    try {
        await (0,external_node_fs_promises_.stat)(absolute);
    }
    catch {
        throw new errors/* ConfigurationError */.j1(`the local path '${localPath}' does not exist (resolved to ${absolute})`, {
            input: 'path',
            fix: 'Give a model file or folder that exists in the workspace checkout (paths are relative to the working directory).',
        });
    }
    const prepared = await deps.codeAssets.prepare(absolute, {
        input: 'path',
        ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
    });
    if (prepared.files.length === 0) {
        throw new errors/* ConfigurationError */.j1(`the folder '${localPath}' has no files to register`, {
            input: 'path',
            fix: 'Add the model files, or check that .amlignore/.gitignore does not exclude them.',
        });
    }
    const files = prepared.files.map((file) => ({
        relativePath: file.relativePath,
        size: file.size,
        checksum: '',
    }));
    return {
        source: `file:${external_node_path_default().relative(deps.cwd, absolute) || '.'}`,
        sourceIsImmutable: false,
        files,
        totalBytes: prepared.totalBytes,
        contentHash: prepared.hash,
        contentHashVersion: SNAPSHOT_HASH_VERSION,
        location: { kind: 'local', prepared },
        singleFile: prepared.kind === 'file',
    };
}
async function externalContent(url, deps) {
    const { objects, singleObject } = await deps.listExternal(url, deps.abortSignal);
    if (objects.length === 0) {
        throw new errors/* ConfigurationError */.j1(`nothing is stored at '${url}'`, {
            input: 'path',
            fix: 'Check the bucket and the prefix; a folder prefix lists every object under it.',
        });
    }
    const files = objects.map((object) => ({
        relativePath: object.relativePath,
        size: object.size,
        checksum: object.checksum,
    }));
    return {
        source: url,
        sourceIsImmutable: false,
        files,
        totalBytes: files.reduce((sum, file) => sum + file.size, 0),
        contentHash: listingHash(files),
        contentHashVersion: LISTING_HASH_VERSION,
        location: { kind: 'external', url, objects },
        singleFile: singleObject,
    };
}
async function modelVersionContent(store, name, version, deps) {
    const model = await store.get(name, version, deps.abortSignal ? { abortSignal: deps.abortSignal } : {});
    if (!model) {
        throw new errors/* ConfigurationError */.j1(`model ${name}:${version} does not exist in ${store.description}`, {
            input: 'path',
            fix: `Give a version that exists (list them with az ml model list --name ${name}), or register it first.`,
        });
    }
    const uri = store.uri(model.name, model.version);
    const inner = model.properties.properties ?? {};
    const modelUri = String(model.properties.modelUri ?? '');
    if (store.scope.kind === 'registry') {
        const hash = inner[CONTENT_HASH_PROPERTY] ?? `registry:${uri}`;
        return {
            source: uri,
            sourceIsImmutable: true,
            files: [],
            totalBytes: 0,
            contentHash: hash,
            contentHashVersion: inner[CONTENT_HASH_VERSION_PROPERTY] ?? 'reference',
            location: { kind: 'registry-model', uri },
            singleFile: false,
            sourceModel: model,
        };
    }
    const datastoreUri = workspaceDatastoreUri(modelUri);
    if (!datastoreUri) {
        throw new errors/* ConfigurationError */.j1(`model ${name}:${version} stores its files at '${modelUri}', which cannot be read as a datastore path`, {
            input: 'path',
            fix: 'Promote a model whose files are in a workspace datastore (azureml://datastores/... or a job output).',
        });
    }
    const content = await datastoreContent(datastoreUri, uri, true, deps, 'path');
    // The content hash the version was registered with identifies it in the registry too.
    return {
        ...content,
        contentHash: inner[CONTENT_HASH_PROPERTY] ?? content.contentHash,
        contentHashVersion: inner[CONTENT_HASH_VERSION_PROPERTY] ?? content.contentHashVersion,
        sourceModel: {
            ...model,
            properties: {
                ...model.properties,
                properties: { ...inner, [SOURCE_PROPERTY]: inner[SOURCE_PROPERTY] ?? modelUri },
            },
        },
    };
}
/** A model's `modelUri` as a datastore URI, when it is one (short or long form). */
function workspaceDatastoreUri(modelUri) {
    try {
        const ref = parseAzureMlReference(modelUri);
        return ref.kind === 'datastore' ? modelUri : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./node_modules/@azure/storage-blob/dist/esm/index.js + 155 modules
var storage_blob_dist_esm = __webpack_require__(99644);
;// CONCATENATED MODULE: ./packages/core/src/storage/pool.ts
// Bounded parallelism for storage transfers.
/** Runs `task(0..count-1)` with at most `concurrency` at once; the first failure stops the rest. */
async function runPool(count, concurrency, abortSignal, task) {
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < count) {
            abortSignal?.throwIfAborted();
            const index = next++;
            try {
                await task(index);
            }
            catch (error) {
                failed = true;
                throw error;
            }
        }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
    const results = await Promise.allSettled(workers);
    abortSignal?.throwIfAborted();
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected)
        throw rejected.reason;
}

;// CONCATENATED MODULE: ./packages/core/src/models/model-placement.ts
// Puts a model's files where the new version will point: a workspace version references files
// already in a datastore (job outputs, datastore paths), local files go up like code (content
// addressed, once), S3/GCS objects are copied into the default datastore; a registry version gets
// its own copy in the registry's storage through the SAS of startPendingUpload. Every copy is
// streamed, checked (size, and MD5 when the source has one) and only referenced once complete.








const IMPORT_FOLDER = 'ImportedModels';
/** Where a workspace model version's files are, uploading or copying them first when needed. */
async function placeInWorkspace(content, deps) {
    const location = content.location;
    switch (location.kind) {
        case 'datastore':
            return { modelUri: location.uri, uploadedBytes: 0 };
        case 'registry-model':
            return { modelUri: location.uri, uploadedBytes: 0 };
        case 'local': {
            const result = await deps.codeAssets.uploadPreparedArtifact(location.prepared, {
                ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
                ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
                ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
            });
            return { modelUri: result.uri, uploadedBytes: result.uploadedBytes };
        }
        case 'external': {
            const baseName = lastSegment(location.url);
            const prefix = content.singleFile
                ? `${IMPORT_FOLDER}/${content.contentHash}`
                : `${IMPORT_FOLDER}/${content.contentHash}/${baseName}`;
            const container = await deps.blobs.containerClient(DEFAULT_DATASTORE);
            const first = `${prefix}/${content.files[0]?.relativePath ?? ''}`;
            const suffix = content.singleFile ? `/${content.files[0]?.relativePath ?? ''}` : '/';
            const modelUri = `azureml://datastores/${DEFAULT_DATASTORE}/paths/${prefix}${suffix}`;
            const metadata = await deps.blobs.getMetadata(DEFAULT_DATASTORE, first, signal(deps));
            if (metadata?.upload_status === UPLOAD_COMPLETED.upload_status)
                return { modelUri, uploadedBytes: 0 };
            const uploadedBytes = await copyInto(container, prefix, content, deps);
            // The mark goes on last: a copy that stopped half-way is never taken for a complete one.
            await deps.blobs.setMetadata(DEFAULT_DATASTORE, first, { ...UPLOAD_COMPLETED }, signal(deps));
            return { modelUri, uploadedBytes };
        }
    }
}
/** Copies the files into a fresh pending-upload folder of the registry; the folder becomes modelUri. */
async function placeInRegistry(content, store, name, version, deps) {
    if (content.location.kind === 'registry-model') {
        throw new Error('A registry model is not copied into another registry here.');
    }
    const upload = await store.startPendingUpload(name, version, signal(deps));
    deps.onSecret(upload.sasUri);
    const sas = new URL(upload.sasUri);
    deps.onSecret(sas.search.slice(1));
    const { containerUrl, prefix } = splitContainerUrl(upload.blobUri);
    const container = new storage_blob_dist_esm/* ContainerClient */.bM(`${containerUrl}${sas.search}`, undefined, deps.storageOptions);
    const uploadedBytes = await copyInto(container, prefix, content, deps);
    const folder = upload.blobUri.replace(/\/+$/, '');
    const modelUri = content.singleFile
        ? `${folder}/${encodePath(content.files[0]?.relativePath ?? '')}`
        : `${folder}/`;
    return { modelUri, uploadedBytes };
}
/** Streams every file of `content` to `<prefix>/<relativePath>` in `container`, verified. */
async function copyInto(container, prefix, content, deps) {
    const files = content.files;
    const totalBytes = content.totalBytes;
    let done = 0;
    let bytes = 0;
    await runPool(files.length, deps.concurrency ?? 8, deps.abortSignal, async (index) => {
        const file = files[index];
        const blobName = prefix === '' ? file.relativePath : `${prefix.replace(/\/+$/, '')}/${file.relativePath}`;
        const source = await openSource(content, index, deps);
        const md5 = (0,external_node_crypto_.createHash)('md5');
        let size = 0;
        const counted = new external_node_stream_.PassThrough();
        counted.on('data', (chunk) => {
            md5.update(chunk);
            size += chunk.length;
        });
        const blob = container.getBlockBlobClient(blobName);
        try {
            await Promise.all([
                (0,external_node_stream_promises_.pipeline)(source, counted),
                blob.uploadStream(counted, 4 * 1024 * 1024, 4, {
                    blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
                    ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
                }),
            ]);
            const digest = md5.digest();
            const expectedMd5 = file.checksum.startsWith('md5:') ? file.checksum.slice(4) : undefined;
            if (size !== file.size || (expectedMd5 && expectedMd5 !== digest.toString('hex'))) {
                await blob.deleteIfExists();
                throw new Error(`copying '${file.relativePath}' read ${size} bytes (MD5 ${digest.toString('hex')}), but the source lists ${file.size} bytes${expectedMd5 ? ` (MD5 ${expectedMd5})` : ''}; the copy was removed`);
            }
            await blob.setHTTPHeaders({ blobContentType: 'application/octet-stream', blobContentMD5: digest });
        }
        catch (error) {
            throw storageFailure(error, blob.url, file.relativePath);
        }
        done += 1;
        bytes += file.size;
        deps.onProgress?.({ files: done, bytes, totalFiles: files.length, totalBytes });
    });
    return bytes;
}
async function openSource(content, index, deps) {
    const location = content.location;
    switch (location.kind) {
        case 'local': {
            const file = location.prepared.files[index];
            if (!file)
                throw new Error(`No local file ${index}.`);
            return (0,external_node_fs_.createReadStream)(file.absolutePath);
        }
        case 'datastore': {
            const blob = location.listing.blobs[index];
            if (!blob)
                throw new Error(`No blob ${index}.`);
            const container = await deps.blobs.containerClient(location.listing.datastore);
            const response = await container.getBlobClient(blob.name).download(0, undefined, signal(deps));
            const body = response.readableStreamBody;
            if (!body)
                throw new Error(`Downloading '${blob.name}' returned no body.`);
            return body;
        }
        case 'external': {
            const object = location.objects[index];
            if (!object)
                throw new Error(`No object ${index}.`);
            return deps.openExternal(location.url, object.key, deps.abortSignal);
        }
        case 'registry-model':
            throw new Error('A registry model reference has no files to open.');
    }
}
/** `https://acct.blob…/container/a/b` or path-style `http://127.0.0.1:1/acct/container/a/b` → container URL and `a/b`. */
function splitContainerUrl(blobUri) {
    const url = new URL(blobUri);
    const segments = url.pathname.split('/').filter((segment) => segment !== '');
    // The hosts @azure/storage-blob itself treats as path-style (isIpEndpointStyle), so the container
    // URL given to ContainerClient is read the same way.
    const pathStyle = /^(localhost|host\.docker\.internal|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i.test(url.hostname);
    const head = pathStyle ? 2 : 1;
    if (segments.length < head)
        throw new Error(`'${url.origin}${url.pathname}' names no blob container.`);
    return {
        containerUrl: `${url.origin}/${segments.slice(0, head).join('/')}`,
        prefix: segments.slice(head).map(decodeURIComponent).join('/'),
    };
}
function storageFailure(error, url, file) {
    if (error instanceof errors/* AzureRequestError */.ZQ)
        return error;
    const status = error.statusCode;
    return new errors/* AzureRequestError */.ZQ({
        method: 'PUT',
        url: url.split('?')[0] ?? url,
        status: status ?? 0,
        code: error.code,
        serviceMessage: `could not copy '${file}': ${error.message.split('\n')[0]}`,
        cause: error,
    });
}
function lastSegment(url) {
    const trimmed = url.replace(/\/+$/, '');
    return trimmed.slice(trimmed.lastIndexOf('/') + 1) || 'model';
}
function encodePath(relativePath) {
    return relativePath.split('/').map(encodeURIComponent).join('/');
}
const signal = (deps) => deps.abortSignal ? { abortSignal: deps.abortSignal } : {};

;// CONCATENATED MODULE: ./packages/core/src/models/model-source.ts
// Where a model to register comes from, read from the action's inputs before anything remote is
// touched: a job output (by name or `azureml://jobs/` URI, MLflow `runs:/` meaning the run's
// artifact folder), a datastore path, a local file or folder, S3 or GCS, an existing workspace
// model version (to promote), or a registry model version (to pull into the workspace).



/** The one source the inputs name; a ConfigurationError names the inputs that clash or miss. */
function parseModelSource(inputs) {
    const { jobName, outputName, step, path } = inputs;
    if (jobName !== undefined && path !== undefined) {
        throw new errors/* ConfigurationError */.j1('job-name and path both name a model source', {
            input: 'path',
            fix: 'Give job-name (with output-name) for a job output, or path for anything else, not both.',
        });
    }
    if (jobName !== undefined) {
        return { kind: 'job-output', job: jobName, output: outputName, step, path: '' };
    }
    for (const [name, value] of [
        ['output-name', outputName],
        ['step', step],
    ]) {
        if (value !== undefined) {
            throw new errors/* ConfigurationError */.j1(`${name} is given without job-name`, {
                input: name,
                fix: `Give job-name too (the job whose output to register), or leave ${name} out.`,
            });
        }
    }
    if (path === undefined) {
        throw new errors/* ConfigurationError */.j1('no model source is given', {
            input: 'path',
            fix: 'Give job-name and output-name (a job output), or path: a local folder, azureml://datastores/<ds>/paths/<p>, azureml://jobs/<job>/outputs/<o>, runs:/<run>/<path>, s3://…, gs://…, azureml:<name>:<version> or azureml://registries/<r>/models/<name>/versions/<v>.',
        });
    }
    return parsePathSource(path);
}
function parsePathSource(path) {
    const ref = parseAzureMlReference(path, { input: 'path', allowExternal: true });
    switch (ref.kind) {
        case 'job-output':
            return { kind: 'job-output', job: ref.job, output: ref.output, path: ref.path ?? '' };
        case 'mlflow-run':
            // `runs:/<run>/<p>` is the run's artifact folder, which the SDK spells as the `artifacts` output.
            return { kind: 'job-output', job: ref.runId, output: DEFAULT_ARTIFACTS_OUTPUT, path: ref.path };
        case 'datastore':
            return { kind: 'datastore', uri: path.trim() };
        case 'local':
            return { kind: 'local', path: ref.path };
        case 's3':
        case 'gs':
            return { kind: 'external', url: path.trim(), scheme: ref.kind };
        case 'asset-version':
            return { kind: 'workspace-model', name: ref.name, version: ref.version };
        case 'arm':
            if (ref.id.kind === 'asset' && ref.id.assetType === 'models' && ref.id.version) {
                return {
                    kind: 'workspace-model',
                    name: ref.id.name,
                    version: ref.id.version,
                    workspace: ref.id.workspace,
                };
            }
            if (ref.id.kind === 'registry-asset' && ref.id.assetType === 'models' && ref.id.version) {
                const { registry, resourceGroup, subscriptionId } = ref.id.registry;
                const { name, version } = ref.id;
                return { kind: 'registry-model', registry, name, version, resourceGroup, subscriptionId };
            }
            break;
        case 'registry-asset':
            if (ref.assetType === 'models' && 'version' in ref) {
                return { kind: 'registry-model', registry: ref.registry, name: ref.name, version: ref.version };
            }
            break;
        default:
            break;
    }
    const blob = ref.kind === 'blob'
        ? ' A blob URL is read through its datastore: write azureml://datastores/<datastore>/paths/<path> for it.'
        : '';
    throw new errors/* ConfigurationError */.j1(`'${path}' cannot be registered as a model`, {
        input: 'path',
        fix: `${blob.trim() ? `${blob.trim()} Otherwise use` : 'Use'} a local path, azureml://datastores/<ds>/paths/<p>, azureml://jobs/<job>/outputs/<o>, runs:/<run>/<path>, s3://…, gs://…, azureml:<name>:<version> (a workspace model to promote) or azureml://registries/<r>/models/<name>/versions/<v>.`,
    });
}
/** The source as one URI, for messages and the `source` lineage property. */
function describeModelSource(source) {
    switch (source.kind) {
        case 'job-output': {
            const output = source.output ?? '<output>';
            const base = `azureml://jobs/${source.job}/outputs/${output}`;
            const withPath = source.path ? `${base}/paths/${source.path}` : base;
            return source.step ? `${withPath} (step ${source.step})` : withPath;
        }
        case 'datastore':
            return source.uri;
        case 'local':
            return source.path;
        case 'external':
            return source.url;
        case 'workspace-model':
            return source.workspace
                ? `${workspaceArmId(source.workspace)}/models/${source.name}/versions/${source.version}`
                : `azureml:${source.name}:${source.version}`;
        case 'registry-model':
            return `azureml://registries/${source.registry}/models/${source.name}/versions/${source.version}`;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/models/model-store.ts
// Model containers and versions in one scope: a workspace, or an Azure ML registry. Same REST
// shapes in both; registry version PUTs are long-running (201 + Azure-AsyncOperation, the final
// state read from the version's URL) and registry content is uploaded through startPendingUpload,
// which hands out a SAS for a fresh folder of the registry's own storage.




class ModelStore {
    rest;
    scope;
    apiVersion;
    constructor(rest, scope) {
        this.rest = rest;
        this.scope = scope;
        this.apiVersion = scope.kind === 'registry' ? API_VERSIONS.registries : API_VERSIONS.models;
    }
    /** `the workspace 'w'` / `registry 'r'`, for messages. */
    get description() {
        return this.scope.kind === 'workspace'
            ? `workspace '${this.scope.workspace.workspace}'`
            : `registry '${this.scope.registry.registry}'`;
    }
    armId(name, version) {
        return this.scope.kind === 'workspace'
            ? assetArmId(this.scope.workspace, 'models', name, version)
            : registryAssetArmId(this.scope.registry, 'models', name, version);
    }
    /** `azureml:name:version` in a workspace, `azureml://registries/r/models/name/versions/v` in a registry. */
    uri(name, version) {
        return this.scope.kind === 'workspace'
            ? `azureml:${name}:${version}`
            : `azureml://registries/${this.scope.registry.registry}/models/${name}/versions/${version}`;
    }
    /** Checks the scope exists: a registry GET (404 → false). Workspaces are checked by connecting. */
    async exists(options = {}) {
        const path = this.scope.kind === 'workspace'
            ? workspaceArmId(this.scope.workspace)
            : registryArmId(this.scope.registry);
        try {
            await this.rest.request({
                method: 'GET',
                path,
                apiVersion: this.apiVersion,
                abortSignal: options.abortSignal,
            });
            return true;
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return false;
            throw error;
        }
    }
    async get(name, version, options = {}) {
        try {
            const response = await this.rest.request({
                method: 'GET',
                path: this.armId(name, version),
                apiVersion: this.apiVersion,
                abortSignal: options.abortSignal,
            });
            return this.toResource(response.body, name, version);
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    /** Every version of `name`, archived ones too (their numbers are taken); [] when the model does not exist. */
    async listVersions(name, options = {}) {
        const versions = [];
        try {
            for await (const item of this.rest.list(`${this.armId(name)}/versions`, this.apiVersion, {
                query: { listViewType: 'All' },
                ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
            })) {
                versions.push(this.toResource(item, name, item.name ?? ''));
            }
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404)
                return [];
            throw error;
        }
        return versions;
    }
    /**
     * PUTs the version and, in a registry, waits for its operation. `created` is false when the
     * version existed (200), which for a new registration means someone else took the number.
     */
    async put(name, version, properties, options = {}) {
        const response = await this.rest.request({
            method: 'PUT',
            path: this.armId(name, version),
            apiVersion: this.apiVersion,
            body: { properties },
            abortSignal: options.abortSignal,
        });
        let body = response.body;
        const longRunning = response.headers['azure-asyncoperation'] ?? response.headers['operation-location'];
        if (longRunning || (response.status === 202 && response.headers.location)) {
            const result = await waitForArmOperation(this.rest, response, {
                abortSignal: options.abortSignal,
                pollIntervalInMs: options.pollIntervalInMs ?? 2_000,
                ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
                ...(options.onPoll ? { onPoll: options.onPoll } : {}),
            });
            body = result.body ?? body;
        }
        return { resource: this.toResource(body, name, version), created: response.status === 201 };
    }
    /** A SAS for a fresh upload folder in the registry's storage (registries only). */
    async startPendingUpload(name, version, options = {}) {
        if (this.scope.kind !== 'registry')
            throw new Error('startPendingUpload is used for registries only.');
        const response = await this.rest.request({
            method: 'POST',
            path: `${this.armId(name, version)}/startPendingUpload`,
            apiVersion: this.apiVersion,
            body: { pendingUploadType: 'TemporaryBlobReference' },
            abortSignal: options.abortSignal,
        });
        const reference = response.body?.blobReferenceForConsumption;
        const blobUri = reference?.blobUri;
        const sasUri = reference?.credential?.sasUri;
        if (!blobUri || !sasUri) {
            throw new errors/* AzureRequestError */.ZQ({
                method: 'POST',
                url: response.url,
                status: response.status,
                code: 'InvalidResponse',
                serviceMessage: `startPendingUpload of ${this.description} answered without a blobUri and SAS credential`,
            });
        }
        return {
            blobUri,
            sasUri,
            ...(reference?.storageAccountArmId ? { storageAccountArmId: reference.storageAccountArmId } : {}),
        };
    }
    toResource(resource, name, version) {
        const id = resource?.id ?? this.armId(name, version);
        const container = /\/models\/([^/]+)\/versions\//i.exec(id)?.[1] ?? name;
        return {
            id,
            name: container,
            version: resource?.name ?? version,
            properties: resource?.properties ?? {},
            ...(resource?.systemData?.createdAt ? { createdAt: resource.systemData.createdAt } : {}),
        };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/models/model-types.ts
// The model types Azure ML registers, and the folder layout each one needs: an MLflow model has
// its `MLmodel` file at the root; a Triton model is a model repository (`<model>/config.pbtxt`
// beside numbered version folders). Checked before anything is registered.

const MODEL_TYPES = ['mlflow_model', 'custom_model', 'triton_model'];
/**
 * Throws a ConfigurationError when `relativePaths` (posix, relative to the model's root) do not
 * form a model of `type`. A single-file model is given as its bare file name.
 */
function checkModelLayout(type, relativePaths, options) {
    if (relativePaths.length === 0) {
        throw new errors/* ConfigurationError */.j1(`nothing is stored at '${options.location}'`, {
            input: options.input,
            fix: 'Point at a folder or file that holds the model files.',
        });
    }
    if (type === 'mlflow_model' && !relativePaths.includes('MLmodel')) {
        const depth = (p) => p.split('/').length;
        const nested = relativePaths.filter((p) => p.endsWith('/MLmodel')).sort((a, b) => depth(a) - depth(b))[0];
        throw new errors/* ConfigurationError */.j1(`'${options.location}' is not an MLflow model: it has no MLmodel file at its root`, {
            input: options.input,
            fix: nested
                ? `The MLmodel file is at '${nested}': point at '${nested.slice(0, -'/MLmodel'.length)}' instead.`
                : 'Save the model with mlflow.<flavor>.save_model (it writes MLmodel), or register it with type: custom_model.',
        });
    }
    if (type === 'triton_model') {
        const configs = relativePaths.filter((p) => /^[^/]+\/config\.pbtxt$/.test(p));
        const models = configs.map((p) => p.split('/')[0]);
        // Triton refuses to load a repository in which any model has no numbered version folder.
        const unversioned = models.filter((model) => !relativePaths.some((p) => new RegExp(`^${escapeRegExp(model)}/\\d+/`).test(p)));
        if (models.length === 0 || unversioned.length > 0) {
            throw new errors/* ConfigurationError */.j1(`'${options.location}' is not a Triton model repository`, {
                input: options.input,
                fix: unversioned.length > 0
                    ? `Model '${unversioned[0]}' has config.pbtxt but no numbered version folder (${unversioned[0]}/1/...).`
                    : 'A Triton model repository holds <model>/config.pbtxt and <model>/<version>/<model file>; point at its root.',
            });
        }
    }
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

;// CONCATENATED MODULE: ./packages/core/src/models/version-plan.ts
// Which version a registration gets, decided from the versions that exist (pure): the existing
// version with the same content is returned instead of a duplicate; an explicit version that
// holds other content is a clash, never an overwrite; `auto` takes the next free number.

function sameContent(existing, identity) {
    if (existing.modelType !== undefined && existing.modelType !== identity.modelType)
        return false;
    if (existing.contentHash !== undefined && existing.contentHash === identity.contentHash)
        return true;
    return identity.sourceIsImmutable && existing.source !== undefined && existing.source === identity.source;
}
function planVersion(name, existing, identity, requested, input = 'version') {
    // Newest first by creation time, then by version number when the service gives no times.
    const newestFirst = [...existing].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') ||
        b.version.localeCompare(a.version, 'en', { numeric: true }));
    const match = newestFirst.find((version) => sameContent(version, identity));
    if (requested !== 'auto') {
        const taken = existing.find((version) => version.version === requested);
        if (!taken)
            return { action: 'create', version: requested };
        if (sameContent(taken, identity))
            return { action: 'reuse', version: requested };
        const from = taken.source ? ` (registered from ${taken.source})` : '';
        const kind = taken.modelType !== undefined && taken.modelType !== identity.modelType
            ? `a ${taken.modelType}, not a ${identity.modelType}`
            : 'other content';
        throw new errors/* ConfigurationError */.j1(`version ${requested} of model '${name}' already exists and holds ${kind}${from}`, {
            input,
            fix: match
                ? `Version ${match.version} already holds this content: use version: ${match.version}, or version: auto.`
                : `A version is never overwritten: use version: auto (next is ${nextFreeVersion(existing)}) or a new version number.`,
        });
    }
    if (match)
        return { action: 'reuse', version: match.version };
    return { action: 'create', version: nextFreeVersion(existing) };
}
/** One more than the highest integer version; 1 when there is none. */
function nextFreeVersion(existing) {
    let highest = 0;
    for (const { version } of existing) {
        if (/^\d+$/.test(version))
            highest = Math.max(highest, Number(version));
    }
    return String(highest + 1);
}

;// CONCATENATED MODULE: ./packages/core/src/models/register-model.ts
// Registering a model version, end to end: read the source and check its layout, gather lineage
// and the training job's metrics, pick the version (the existing one for the same content), put
// the files in place, PUT the version, move the stage, and optionally promote the version into a
// registry. Everything that can be wrong with the inputs is found before the first write.







const STAGE_TAG = 'stage';
const READ_ONLY_PROPERTIES = ['provisioningState'];
async function registerModel(request, deps) {
    await checkScopeExists(request.target, 'registry', deps);
    if (request.promoteTo)
        await checkScopeExists(request.promoteTo, 'promote-to-registry', deps);
    checkSourceAgainstTarget(request, deps);
    const content = await resolveModelContent(request.source, deps);
    const registration = await registerContent(content, request, deps, 'version');
    if (!request.promoteTo)
        return { registration };
    const promotionSource = {
        kind: 'workspace-model',
        name: registration.name,
        version: registration.version,
    };
    const promotedContent = await resolveModelContent(promotionSource, deps);
    const promotion = await registerContent(promotedContent, {
        ...request,
        source: promotionSource,
        target: request.promoteTo,
        version: registration.version,
        stage: undefined,
        unsetStageOnPrevious: false,
        tags: {},
        properties: {},
    }, deps, 'promote-to-registry');
    return { registration, promotion };
}
async function checkScopeExists(store, input, deps) {
    if (store.scope.kind !== 'registry')
        return;
    if (!(await store.exists(register_model_signal(deps)))) {
        const { registry, resourceGroup } = store.scope.registry;
        throw new errors/* ConfigurationError */.j1(`registry '${registry}' does not exist in resource group '${resourceGroup}'`, {
            input,
            fix: 'Check the registry name (the Azure ML registry, not a container registry), or give its full ARM id for a registry in another resource group.',
        });
    }
}
function checkSourceAgainstTarget(request, deps) {
    const { source, target } = request;
    const connected = deps.workspaceModels.scope;
    if (source.kind === 'workspace-model' && source.workspace && connected.kind === 'workspace') {
        const same = ['subscriptionId', 'resourceGroup', 'workspace'].every((key) => source.workspace?.[key].toLowerCase() === connected.workspace[key].toLowerCase());
        if (!same) {
            throw new errors/* ConfigurationError */.j1(`model ${source.name}:${source.version} is in workspace '${source.workspace.workspace}' (resource group '${source.workspace.resourceGroup}'), not in '${connected.workspace.workspace}', the workspace this step connects to`, {
                input: 'path',
                fix: `Connect the step to workspace '${source.workspace.workspace}' (workspace and resource-group inputs) to promote it from there.`,
            });
        }
    }
    if (source.kind === 'workspace-model' && target.scope.kind === 'workspace') {
        throw new errors/* ConfigurationError */.j1(`azureml:${source.name}:${source.version} is already registered in the workspace`, {
            input: 'path',
            fix: 'To copy it into a registry, set registry: <registry name>; to register its files under another name, give their datastore path.',
        });
    }
    if (source.kind === 'registry-model' && target.scope.kind === 'registry') {
        throw new errors/* ConfigurationError */.j1('a registry model cannot be registered into a registry here', {
            input: 'registry',
            fix: 'Leave registry out to pull the registry model into the workspace.',
        });
    }
    if (request.promoteTo && target.scope.kind === 'registry') {
        throw new errors/* ConfigurationError */.j1('promote-to-registry is given together with registry', {
            input: 'promote-to-registry',
            fix: 'Use registry to register straight into a registry, or promote-to-registry to register in the workspace and then copy it; not both.',
        });
    }
}
async function registerContent(content, request, deps, versionInput) {
    const { target, name } = request;
    const sourceModel = content.sourceModel;
    const sourceType = sourceModel ? String(sourceModel.properties.modelType ?? 'custom_model') : undefined;
    if (request.type && sourceType && request.type !== sourceType) {
        throw new errors/* ConfigurationError */.j1(`${content.source} is a ${sourceType}, not a ${request.type}`, {
            input: 'type',
            fix: `Leave type out (it follows the source model) or set type: ${sourceType}.`,
        });
    }
    const modelType = request.type ?? sourceType ?? 'custom_model';
    if (content.files.length > 0 && MODEL_TYPES.includes(modelType)) {
        checkModelLayout(modelType, content.files.map((file) => file.relativePath), { location: content.source, input: 'path' });
    }
    const metrics = await trainingMetrics(content, deps);
    const lineage = sourceModel
        ? carriedLineage(sourceModel, content, request)
        : buildModelLineage({
            env: request.env,
            source: content.source,
            contentHash: content.contentHash,
            contentHashVersion: content.contentHashVersion,
            job: content.job,
            parentJob: content.parentJob,
            metrics,
            userTags: request.tags,
            userProperties: request.properties,
        });
    if (request.stage)
        lineage.tags[STAGE_TAG] = request.stage;
    const identity = {
        modelType,
        contentHash: content.contentHash,
        source: content.source,
        sourceIsImmutable: content.sourceIsImmutable,
    };
    let versions = await target.listVersions(name, register_model_signal(deps));
    let resource;
    let created = false;
    let uploadedBytes = 0;
    let modelUri = '';
    for (let attempt = 1; !resource; attempt += 1) {
        const plan = planVersion(name, versions.map(existingVersion), identity, request.version, versionInput);
        if (plan.action === 'reuse') {
            resource = versions.find((version) => version.version === plan.version);
            deps.logger.info(`${content.source} is already registered as ${target.uri(name, plan.version)} in ${target.description}; nothing new is created.`);
            break;
        }
        deps.logger.info(`Registering ${content.source} as ${target.uri(name, plan.version)} in ${target.description} (${content.files.length} files, ${content.totalBytes} bytes).`);
        const placement = target.scope.kind === 'registry'
            ? await placeInRegistry(content, target, name, plan.version, {
                ...deps,
                abortSignal: deps.abortSignal,
            })
            : await placeInWorkspace(content, { ...deps, abortSignal: deps.abortSignal });
        uploadedBytes = placement.uploadedBytes;
        modelUri = placement.modelUri;
        const body = {
            modelUri,
            modelType,
            isAnonymous: false,
            isArchived: false,
            tags: lineage.tags,
            properties: lineage.properties,
            ...((request.description ?? sourceModel?.properties.description)
                ? { description: request.description ?? sourceModel?.properties.description }
                : {}),
            ...(lineage.jobName ? { jobName: lineage.jobName } : {}),
            ...(request.stage ? { stage: request.stage } : {}),
        };
        const put = await target
            .put(name, plan.version, body, {
            ...register_model_signal(deps),
            onPoll: (status) => deps.logger.info(`  ${target.description}: ${name}:${plan.version} is ${status}…`),
        })
            .catch((error) => {
            if (error.status === 409)
                return undefined;
            throw error;
        });
        if (put?.created) {
            resource = put.resource;
            created = true;
            break;
        }
        // Someone else registered this number meanwhile (PUT answered 200 or 409): look again.
        versions = await target.listVersions(name, register_model_signal(deps));
        const now = versions.find((version) => version.version === plan.version);
        if (now && sameContent(existingVersion(now), identity)) {
            resource = now;
            break;
        }
        if (request.version !== 'auto' || attempt >= 3) {
            throw new errors/* ConfigurationError */.j1(`version ${plan.version} of model '${name}' was registered by someone else with other content while this step ran`, {
                input: versionInput,
                fix: 'Run the step again (version: auto takes the next free number).',
            });
        }
    }
    if (!resource)
        throw new Error(`No version of model '${name}' was found or created.`);
    const stageRemovedFrom = request.stage
        ? await moveStage(target, resource, versions, request.stage, request.unsetStageOnPrevious, deps)
        : [];
    const properties = resource.properties;
    return {
        scope: target.description,
        name: resource.name,
        version: resource.version,
        uri: target.uri(resource.name, resource.version),
        armId: resource.id,
        created,
        modelUri: String(properties.modelUri ?? modelUri),
        modelType: String(properties.modelType ?? modelType),
        tags: stringRecord(properties.tags),
        properties: stringRecord(properties.properties),
        jobName: typeof properties.jobName === 'string' ? properties.jobName : lineage.jobName,
        source: content.source,
        files: content.files.length,
        totalBytes: content.totalBytes,
        uploadedBytes,
        stage: request.stage,
        stageRemovedFrom,
        metrics,
    };
}
async function trainingMetrics(content, deps) {
    if (!content.job)
        return {};
    try {
        const read = await readJobMetrics(await deps.mlflow(), deps.jobs, content.job.name, register_model_signal(deps));
        return read.metrics;
    }
    catch (error) {
        if (error instanceof errors/* ConfigurationError */.j1) {
            deps.logger.warning(`No training metrics recorded on the model: ${error.problem}.`);
            return {};
        }
        throw error;
    }
}
/** Promotion and pulls keep the source version's tags and properties, with this run's lineage on top. */
function carriedLineage(sourceModel, content, request) {
    const sourceProperties = stringRecord(sourceModel.properties.properties);
    const jobName = typeof sourceModel.properties.jobName === 'string' ? sourceModel.properties.jobName : undefined;
    const lineage = buildModelLineage({
        env: request.env,
        source: content.source,
        contentHash: content.contentHash,
        contentHashVersion: content.contentHashVersion,
        userTags: { ...stringRecord(sourceModel.properties.tags), ...request.tags },
        userProperties: { ...sourceProperties, 'aml-actions.copiedFrom': sourceModel.id, ...request.properties },
    });
    // The source's own tags win over this run's: they describe how the model was trained.
    Object.assign(lineage.tags, stringRecord(sourceModel.properties.tags), request.tags);
    delete lineage.tags[STAGE_TAG];
    return { ...lineage, ...(jobName ? { jobName } : {}) };
}
/** Sets the stage on `resource` and, when asked, takes it from every other version holding it. */
async function moveStage(target, resource, versions, stage, unsetOnPrevious, deps) {
    if (stageOf(resource) !== stage || stringRecord(resource.properties.tags)[STAGE_TAG] !== stage) {
        const tags = { ...stringRecord(resource.properties.tags), [STAGE_TAG]: stage };
        const updated = await target.put(resource.name, resource.version, { ...writable(resource), stage, tags }, register_model_signal(deps));
        Object.assign(resource, { properties: updated.resource.properties });
    }
    if (!unsetOnPrevious)
        return [];
    const removedFrom = [];
    for (const other of versions) {
        if (other.version === resource.version)
            continue;
        const tags = stringRecord(other.properties.tags);
        if (stageOf(other) !== stage && tags[STAGE_TAG] !== stage)
            continue;
        const { [STAGE_TAG]: _removed, ...rest } = tags;
        const { stage: _stage, ...properties } = writable(other);
        await target.put(other.name, other.version, { ...properties, tags: rest }, register_model_signal(deps));
        removedFrom.push(other.version);
        deps.logger.info(`Stage '${stage}' removed from ${target.uri(other.name, other.version)}.`);
    }
    return removedFrom;
}
function stageOf(resource) {
    return typeof resource.properties.stage === 'string' ? resource.properties.stage : undefined;
}
function writable(resource) {
    return Object.fromEntries(Object.entries(resource.properties).filter(([key]) => !READ_ONLY_PROPERTIES.includes(key)));
}
function existingVersion(resource) {
    const inner = stringRecord(resource.properties.properties);
    return {
        version: resource.version,
        modelType: typeof resource.properties.modelType === 'string' ? resource.properties.modelType : undefined,
        contentHash: inner[CONTENT_HASH_PROPERTY],
        source: inner[SOURCE_PROPERTY],
        createdAt: resource.createdAt,
    };
}
function stringRecord(value) {
    if (typeof value !== 'object' || value === null)
        return {};
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string'));
}
const register_model_signal = (deps) => deps.abortSignal ? { abortSignal: deps.abortSignal } : {};

;// CONCATENATED MODULE: ./packages/core/src/session/data-plane.ts
// The workspace's data-plane clients (MLflow tracking, run history), found through discovery once.


async function connectDataPlane(session, abortSignal) {
    const dataPlane = session.dataPlane;
    const services = await discoverWorkspaceServices(session.clients.rest, session.workspace, {
        dataPlane,
        abortSignal,
    });
    return {
        services,
        mlflow: new MlflowClient(dataPlane.forUrl(services.mlflowTrackingUri), services.mlflowTrackingUri),
        history: new RunHistoryClient(dataPlane.forUrl(services.historyEndpoint), services.historyEndpoint, session.workspace),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/workspace/resolve.ts
// Which workspace an action works on. Each of the three values comes from the first place that
// has it: the action input, then the environment (what `az ml` and Azure ML jobs set), then an
// Azure ML `config.json` (what the Studio's "download config.json" gives).





const WORKSPACE_INPUT_NAMES = {
    subscriptionId: 'subscription-id',
    resourceGroup: 'resource-group',
    workspace: 'workspace',
    configFile: 'config-file',
};
const FIELDS = {
    subscriptionId: {
        label: 'subscription id',
        input: WORKSPACE_INPUT_NAMES.subscriptionId,
        env: ['AZUREML_ARM_SUBSCRIPTION', 'AZURE_SUBSCRIPTION_ID'],
        configKey: 'subscription_id',
        check: checkSubscriptionId,
    },
    resourceGroup: {
        label: 'resource group',
        input: WORKSPACE_INPUT_NAMES.resourceGroup,
        env: ['AZUREML_ARM_RESOURCEGROUP'],
        configKey: 'resource_group',
        check: checkResourceGroupName,
    },
    workspace: {
        label: 'workspace name',
        input: WORKSPACE_INPUT_NAMES.workspace,
        env: ['AZUREML_ARM_WORKSPACE_NAME'],
        configKey: 'workspace_name',
        check: checkWorkspaceName,
    },
};
const FIELD_ORDER = ['subscriptionId', 'resourceGroup', 'workspace'];
/** Where config.json is looked for when no `config-file` input is given, relative to cwd. */
const DEFAULT_CONFIG_FILES = ['config.json', '.azureml/config.json'];
/** Names a value's origin for logs, e.g. `input 'workspace'` or `config.json (workspace_name)`. */
function describeSource(source) {
    switch (source.from) {
        case 'input':
            return `input '${source.input}'`;
        case 'env':
            return `environment variable ${source.variable}`;
        case 'config':
            return `${source.file} (${source.key})`;
    }
}
async function resolveWorkspace(options) {
    const { inputs, env, cwd } = options;
    const found = {};
    for (const field of FIELD_ORDER) {
        const spec = FIELDS[field];
        const fromInput = nonEmpty(inputs[field]);
        if (fromInput !== undefined) {
            found[field] = { value: fromInput, source: { from: 'input', input: spec.input } };
            continue;
        }
        for (const variable of spec.env) {
            const fromEnv = nonEmpty(env[variable]);
            if (fromEnv !== undefined) {
                found[field] = { value: fromEnv, source: { from: 'env', variable } };
                break;
            }
        }
    }
    const explicitConfig = nonEmpty(inputs.configFile);
    const needsConfig = FIELD_ORDER.some((field) => found[field] === undefined);
    const searched = [];
    let config;
    if (explicitConfig !== undefined) {
        config = await loadConfigFile(options, (0,external_node_path_.resolve)(cwd, explicitConfig), true);
    }
    else if (needsConfig) {
        for (const candidate of DEFAULT_CONFIG_FILES) {
            const path = (0,external_node_path_.resolve)(cwd, candidate);
            searched.push(displayPath(cwd, path));
            config = await loadConfigFile(options, path, false);
            if (config)
                break;
        }
    }
    if (config) {
        for (const field of FIELD_ORDER) {
            if (found[field] !== undefined)
                continue;
            const value = configValue(config, FIELDS[field].configKey);
            if (value !== undefined) {
                found[field] = { value, source: { from: 'config', file: config.file, key: FIELDS[field].configKey } };
            }
        }
    }
    const missing = FIELD_ORDER.filter((field) => found[field] === undefined);
    if (missing.length > 0)
        throw missingValuesError(missing, config?.file ?? searched);
    const workspace = {};
    const sources = {};
    for (const field of FIELD_ORDER) {
        const { value, source } = found[field];
        checkValue(field, value, source, config);
        workspace[field] = value;
        sources[field] = source;
    }
    return config ? { workspace, sources, configFile: config.file } : { workspace, sources };
}
function nonEmpty(value) {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
}
function displayPath(cwd, path) {
    const rel = (0,external_node_path_.relative)(cwd, path);
    return rel && !rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel) ? rel : path;
}
async function loadConfigFile(options, path, required) {
    const file = displayPath(options.cwd, path);
    const read = options.readFile ?? defaultReadFile;
    let text;
    try {
        text = await read(path, { abortSignal: options.abortSignal });
    }
    catch (error) {
        const code = error?.code;
        if (code === 'ENOENT' && !required)
            return undefined;
        if (code === 'ENOENT' || code === 'EISDIR') {
            throw new errors/* ConfigurationError */.j1(`the Azure ML config file '${file}' ${code === 'EISDIR' ? 'is a folder' : 'does not exist'}`, {
                input: WORKSPACE_INPUT_NAMES.configFile,
                fix: 'Point config-file at the config.json downloaded from Azure ML Studio, relative to the repository root, or leave it empty.',
                cause: error,
            });
        }
        throw error;
    }
    // Editors on Windows often save a byte-order mark, which JSON.parse rejects.
    if (text.charCodeAt(0) === 0xfeff)
        text = text.slice(1);
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        const { line, column } = (0,json_error/* locateJsonSyntaxError */.e)(text, error);
        throw new errors/* ConfigurationError */.j1(`${file} is not valid JSON: ${error instanceof Error ? error.message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '') : String(error)}`, {
            file,
            line,
            column,
            fix: `Fix the JSON syntax at line ${line}, column ${column}; the file should look like {"subscription_id": "<guid>", "resource_group": "<group>", "workspace_name": "<workspace>"}.`,
            cause: error,
        });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new errors/* ConfigurationError */.j1(`${file} must contain a JSON object`, {
            file,
            line: 1,
            fix: 'Write {"subscription_id": "<guid>", "resource_group": "<group>", "workspace_name": "<workspace>"}.',
        });
    }
    return { file, text, values: parsed };
}
async function defaultReadFile(path, options) {
    return (0,external_node_fs_promises_.readFile)(path, { encoding: 'utf8', signal: options.abortSignal });
}
function configValue(config, key) {
    const value = config.values[key];
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'string') {
        throw new errors/* ConfigurationError */.j1(`"${key}" in ${config.file} must be a string, not ${typeof value}`, {
            file: config.file,
            ...keyPosition(config, key),
            fix: `Write "${key}": "<value>" in ${config.file}.`,
        });
    }
    return nonEmpty(value);
}
/** Line and column of `"key"` in the file, for pointing at a bad value. */
function keyPosition(config, key) {
    const offset = config.text.indexOf(`"${key}"`);
    if (offset === -1)
        return {};
    const { line, column } = (0,json_error/* positionAt */.t$)(config.text, offset);
    return { line, column };
}
function checkValue(field, value, source, config) {
    const spec = FIELDS[field];
    const problem = spec.check(value);
    if (!problem)
        return;
    const message = `the ${spec.label} '${value}' from ${describeSource(source)} is not valid: ${problem}`;
    const example = field === 'subscriptionId' ? ' (a GUID such as 00000000-1111-2222-3333-444444444444)' : '';
    switch (source.from) {
        case 'input':
            throw new errors/* ConfigurationError */.j1(message, {
                input: source.input,
                fix: `Set the input '${source.input}' to the workspace's ${spec.label}${example}.`,
            });
        case 'env':
            throw new errors/* ConfigurationError */.j1(message, {
                fix: `Set ${source.variable} to the workspace's ${spec.label}${example}, or set the input '${spec.input}', which takes precedence.`,
            });
        case 'config':
            throw new errors/* ConfigurationError */.j1(message, {
                file: source.file,
                ...(config ? keyPosition(config, source.key) : {}),
                fix: `Correct "${source.key}" in ${source.file}${example}, or set the input '${spec.input}', which takes precedence.`,
            });
    }
}
function missingValuesError(missing, config) {
    const specs = missing.map((field) => FIELDS[field]);
    const list = (items) => items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
    const inputs = list(specs.map((s) => `'${s.input}'`));
    const variables = list(specs.map((s) => s.env.join(' or ')));
    const keys = list(specs.map((s) => `"${s.configKey}"`));
    const where = typeof config === 'string'
        ? `${config} has no ${keys}`
        : `no config.json was found (looked for ${config.join(' and ')})`;
    return new errors/* ConfigurationError */.j1(`the workspace's ${list(specs.map((s) => s.label))} ${specs.length > 1 ? 'are' : 'is'} not set; ${where}`, {
        input: specs.length === 1 ? specs[0]?.input : undefined,
        fix: `Set the input${specs.length > 1 ? 's' : ''} ${inputs}, or the environment variable${specs.length > 1 ? 's' : ''} ${variables}, or add ${keys} to ${typeof config === 'string' ? config : "a config.json (pass its path as 'config-file')"}.`,
    });
}

;// CONCATENATED MODULE: ./packages/core/src/session/workspace-session.ts
// Everything an action needs to talk to one workspace, built once from the connection inputs:
// the workspace coordinates, the credential chain, both ARM clients and the typed clients on top.
// Every secret a client reads is handed to `onSecret` first, so the caller can mask it.







/**
 * The cloud and the signed-in credential alone, for callers that need a token but no workspace
 * (e.g. an Entra token for a scoring URI).
 */
function connectCredential(options) {
    const env = options.env ?? process.env;
    const { inputs } = options;
    const cloud = resolveCloud({
        cloud: inputs.cloud,
        armEndpoint: inputs.armEndpoint,
        authorityHost: inputs.authorityHost,
    });
    const credential = resolveCredential({
        clientId: inputs.clientId,
        tenantId: inputs.tenantId,
        clientSecret: inputs.clientSecret,
        credsJson: inputs.credsJson,
        authMethod: inputs.authMethod,
        audience: inputs.audience,
        cloud,
        env,
        caCertificates: options.caCertificates,
    });
    return { cloud, credential };
}
async function connectWorkspace(options) {
    const env = options.env ?? process.env;
    const { inputs } = options;
    const { cloud, credential } = connectCredential(options);
    const resolvedWorkspace = await resolveWorkspace({
        inputs: {
            // The creds JSON may carry the subscription, as azure/login's AZURE_CREDENTIALS does.
            subscriptionId: inputs.subscriptionId || credential.subscriptionId,
            resourceGroup: inputs.resourceGroup,
            workspace: inputs.workspace,
            configFile: inputs.configFile,
        },
        env,
        cwd: options.cwd ?? process.cwd(),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    const workspace = resolvedWorkspace.workspace;
    const clientSignal = options.abortClients === false ? undefined : options.abortSignal;
    const clients = createArmClients({
        credential: credential.credential,
        cloud,
        subscriptionId: workspace.subscriptionId,
        caCertificates: options.caCertificates,
        abortSignal: clientSignal,
        retryOptions: options.retryOptions,
        env,
    });
    return {
        workspace,
        resolvedWorkspace,
        cloud,
        credential,
        clients,
        jobs: new JobClient(clients.rest, workspace),
        datastores: new DatastoreClient(clients.sdk, workspace, options.onSecret),
        dataPlane: new DataPlaneClients({
            credential: credential.credential,
            scope: cloud.armScope,
            caCertificates: options.caCertificates,
            abortSignal: clientSignal,
            retryOptions: options.retryOptions,
            env,
        }),
        caCertificates: options.caCertificates,
        env,
        onSecret: options.onSecret,
    };
}

;// CONCATENATED MODULE: ./packages/core/src/storage/datastore-blobs.ts
// Blobs of a workspace's Azure Blob datastores, addressed as `azureml://datastores/<ds>/paths/<p>`:
// parallel uploads with progress, downloads of a prefix, and the blob metadata Azure ML uses to
// mark an upload complete. Credentials come from the datastore itself (listSecrets: account key
// or SAS), the blob service URL from its account, endpoint and protocol (path-style for Azurite).







class DatastoreBlobs {
    datastores;
    options;
    containers = new Map();
    constructor(datastores, options = {}) {
        this.datastores = datastores;
        this.options = options;
    }
    /** Uploads `files` to `<prefix>/<relativePath>` in the datastore's container, in parallel. */
    async uploadFiles(datastoreName, prefix, files, options = {}) {
        const { container } = await this.container(datastoreName);
        const base = prefix.replace(/^\/+|\/+$/g, '');
        const blobPaths = files.map((file) => joinBlobPath(base, file.relativePath));
        const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
        const progress = { files: 0, bytes: 0, totalFiles: files.length, totalBytes };
        const inFlight = new Map();
        const report = () => {
            let bytes = progress.bytes;
            for (const loaded of inFlight.values())
                bytes += loaded;
            options.onProgress?.({ ...progress, bytes });
        };
        const result = { blobPaths, uploadedFiles: 0, uploadedBytes: 0, skippedFiles: 0 };
        const overwrite = options.overwrite ?? true;
        await runPool(files.length, options.concurrency ?? this.options.defaultConcurrency ?? 8, options.abortSignal, async (index) => {
            const file = files[index];
            const blobPath = blobPaths[index];
            const blob = container.getBlockBlobClient(blobPath);
            let skipped = false;
            try {
                await blob.uploadFile(file.absolutePath, {
                    abortSignal: options.abortSignal,
                    blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
                    ...(options.metadata ? { metadata: options.metadata } : {}),
                    ...(overwrite ? {} : { conditions: { ifNoneMatch: '*' } }),
                    onProgress: (event) => {
                        inFlight.set(index, event.loadedBytes);
                        report();
                    },
                });
            }
            catch (error) {
                if (!overwrite && (0,esm/* isRestError */.T0)(error) && (error.statusCode === 409 || error.statusCode === 412)) {
                    skipped = true;
                }
                else {
                    throw storageError('PUT', blob.url, error, `upload '${file.relativePath}' to '${blobPath}'`);
                }
            }
            inFlight.delete(index);
            progress.files += 1;
            if (skipped) {
                result.skippedFiles += 1;
            }
            else {
                progress.bytes += file.size;
                result.uploadedFiles += 1;
                result.uploadedBytes += file.size;
            }
            report();
        });
        return result;
    }
    /**
     * Downloads what `uri` names into `localDir`: every blob under the path (kept relative to it),
     * or the one blob the path names (as `localDir/<base name>`).
     */
    async download(uri, localDir, options = {}) {
        const { datastore, blobPath } = this.parseUri(uri);
        const { container } = await this.container(datastore);
        const target = external_node_path_default().resolve(localDir);
        const result = { files: [], bytes: 0 };
        const folder = blobPath === '' || blobPath.endsWith('/') ? blobPath : `${blobPath}/`;
        const names = [];
        try {
            for await (const item of container.listBlobsFlat({
                ...(folder ? { prefix: folder } : {}),
                abortSignal: options.abortSignal,
            })) {
                if (!item.name.endsWith('/'))
                    names.push(item.name);
            }
        }
        catch (error) {
            throw storageError('GET', container.url, error, `list the blobs under '${folder}'`);
        }
        const single = names.length === 0 && blobPath !== '' && !blobPath.endsWith('/');
        const downloads = single
            ? [{ name: blobPath, local: external_node_path_default().join(target, external_node_path_default().posix.basename(blobPath)) }]
            : names.map((name) => ({ name, local: external_node_path_default().join(target, ...name.slice(folder.length).split('/')) }));
        if ((single && !(await this.exists(datastore, blobPath))) || (!single && names.length === 0)) {
            throw new errors/* ConfigurationError */.j1(`Nothing is stored at '${uri}': no blob or folder of that name.`, {
                fix: `Check the path after /paths/ in datastore '${datastore}'.`,
            });
        }
        for (const { name, local } of downloads) {
            // A blob named with `..` must not write outside the target folder.
            if (!local.startsWith(target + (external_node_path_default()).sep))
                continue;
            await (0,external_node_fs_promises_.mkdir)(external_node_path_default().dirname(local), { recursive: true });
            const blob = container.getBlobClient(name);
            try {
                const response = await blob.downloadToFile(local, 0, undefined, { abortSignal: options.abortSignal });
                result.bytes += response.contentLength ?? 0;
            }
            catch (error) {
                throw storageError('GET', blob.url, error, `download '${name}'`);
            }
            result.files.push(local);
        }
        return result;
    }
    /**
     * What `uri` names: every blob under the folder, or the one blob of that name. An empty listing
     * means nothing is stored there (the caller decides whether that is an error).
     */
    async list(uri, options = {}) {
        const { datastore, blobPath } = this.parseUri(uri);
        const { container } = await this.container(datastore);
        const folder = blobPath === '' || blobPath.endsWith('/') ? blobPath : `${blobPath}/`;
        const blobs = [];
        try {
            for await (const item of container.listBlobsFlat({
                ...(folder ? { prefix: folder } : {}),
                abortSignal: options.abortSignal,
            })) {
                if (item.name.endsWith('/'))
                    continue;
                blobs.push(listedBlob(item.name, item.name.slice(folder.length), item.properties));
            }
        }
        catch (error) {
            throw storageError('GET', container.url, error, `list the blobs under '${folder}'`);
        }
        if (blobs.length > 0 || blobPath === '' || blobPath.endsWith('/')) {
            return { datastore, blobPath: folder, singleBlob: false, blobs };
        }
        const blob = container.getBlobClient(blobPath);
        try {
            const properties = await blob.getProperties({ abortSignal: options.abortSignal });
            const single = listedBlob(blobPath, external_node_path_default().posix.basename(blobPath), {
                contentLength: properties.contentLength,
                contentMD5: properties.contentMD5,
                etag: properties.etag,
            });
            return { datastore, blobPath, singleBlob: true, blobs: [single] };
        }
        catch (error) {
            if ((0,esm/* isRestError */.T0)(error) && error.statusCode === 404) {
                return { datastore, blobPath, singleBlob: true, blobs: [] };
            }
            throw storageError('HEAD', blob.url, error, `read the properties of '${blobPath}'`);
        }
    }
    /** The container client of a blob datastore, with the datastore's credentials. */
    async containerClient(datastoreName) {
        return (await this.container(datastoreName)).container;
    }
    async exists(datastoreName, blobPath, options = {}) {
        const { container } = await this.container(datastoreName);
        const blob = container.getBlobClient(blobPath);
        try {
            return await blob.exists({ abortSignal: options.abortSignal });
        }
        catch (error) {
            throw storageError('HEAD', blob.url, error, `check '${blobPath}'`);
        }
    }
    /** The blob's metadata, or undefined when the blob does not exist. */
    async getMetadata(datastoreName, blobPath, options = {}) {
        const { container } = await this.container(datastoreName);
        const blob = container.getBlobClient(blobPath);
        try {
            const properties = await blob.getProperties({ abortSignal: options.abortSignal });
            return { ...(properties.metadata ?? {}) };
        }
        catch (error) {
            if ((0,esm/* isRestError */.T0)(error) && error.statusCode === 404)
                return undefined;
            throw storageError('HEAD', blob.url, error, `read the metadata of '${blobPath}'`);
        }
    }
    async setMetadata(datastoreName, blobPath, metadata, options = {}) {
        const { container } = await this.container(datastoreName);
        const blob = container.getBlobClient(blobPath);
        try {
            await blob.setMetadata(metadata, { abortSignal: options.abortSignal });
        }
        catch (error) {
            throw storageError('PUT', blob.url, error, `set the metadata of '${blobPath}'`);
        }
    }
    /** The blob's URL without credentials (what a code version's `codeUri` holds). */
    async blobUrl(datastoreName, blobPath) {
        const { containerUrl } = await this.container(datastoreName);
        const encoded = blobPath
            .split('/')
            .map((segment) => encodeURIComponent(segment))
            .join('/');
        return `${containerUrl}/${encoded}`;
    }
    /** `azureml://datastores/<ds>/paths/<p>` (short or long form) → datastore and blob path. */
    parseUri(uri) {
        const ref = parseAzureMlReference(uri);
        if (ref.kind !== 'datastore') {
            throw new errors/* ConfigurationError */.j1(`'${uri}' is not a datastore URI.`, {
                fix: 'Write azureml://datastores/<datastore>/paths/<path>.',
            });
        }
        const expected = this.options.workspace;
        if (ref.form === 'long' && expected) {
            const same = ref.workspace.subscriptionId.toLowerCase() === expected.subscriptionId.toLowerCase() &&
                ref.workspace.resourceGroup.toLowerCase() === expected.resourceGroup.toLowerCase() &&
                ref.workspace.workspace.toLowerCase() === expected.workspace.toLowerCase();
            if (!same) {
                throw new errors/* ConfigurationError */.j1(`'${uri}' names workspace '${ref.workspace.workspace}' (resource group '${ref.workspace.resourceGroup}'), not '${expected.workspace}' (resource group '${expected.resourceGroup}').`, {
                    fix: `Use a URI of workspace '${expected.workspace}', or azureml://datastores/${ref.datastore}/paths/${ref.path}.`,
                });
            }
        }
        return { datastore: ref.datastore, blobPath: ref.path };
    }
    container(datastoreName) {
        let pending = this.containers.get(datastoreName);
        if (!pending) {
            pending = this.connect(datastoreName);
            // A failed lookup is not cached: the next call tries again.
            pending.catch(() => this.containers.delete(datastoreName));
            this.containers.set(datastoreName, pending);
        }
        return pending;
    }
    async connect(datastoreName) {
        let datastore;
        try {
            datastore = await this.datastores.get(datastoreName);
        }
        catch (error) {
            if (error instanceof errors/* AzureRequestError */.ZQ && error.status === 404) {
                throw new errors/* ConfigurationError */.j1(`The workspace has no datastore '${datastoreName}'.`, {
                    fix: 'Use an existing datastore name (the default one is workspaceblobstore).',
                    cause: error,
                });
            }
            throw error;
        }
        const { blobServiceUrl, containerName, accountName } = datastore;
        if (!blobServiceUrl || !containerName || !accountName || datastore.type !== 'AzureBlob') {
            throw new errors/* ConfigurationError */.j1(`Datastore '${datastoreName}' is of type '${datastore.type}', not an Azure Blob container with an account.`, { fix: 'Use an AzureBlob datastore such as workspaceblobstore.' });
        }
        const secrets = await this.datastores.listSecrets(datastoreName);
        const serviceUrl = blobServiceUrl.replace(/\/+$/, '');
        let service;
        if (secrets.kind === 'AccountKey' && secrets.secret) {
            const credential = new storage_blob_dist_esm/* StorageSharedKeyCredential */.Z3(accountName, secrets.secret);
            service = new storage_blob_dist_esm/* BlobServiceClient */.wS(serviceUrl, credential, this.options.storageOptions);
        }
        else if (secrets.kind === 'Sas' && secrets.secret) {
            const sas = secrets.secret.replace(/^\?/, '');
            service = new storage_blob_dist_esm/* BlobServiceClient */.wS(`${serviceUrl}?${sas}`, undefined, this.options.storageOptions);
        }
        else {
            throw new errors/* ConfigurationError */.j1(`Datastore '${datastoreName}' has no account key or SAS token to upload with (credentials: ${secrets.kind}).`, { fix: 'Give the datastore account-key or SAS credentials, or use workspaceblobstore.' });
        }
        return {
            datastore,
            container: service.getContainerClient(containerName),
            containerUrl: `${serviceUrl}/${containerName}`,
        };
    }
}
function listedBlob(name, relativePath, properties) {
    return {
        name,
        relativePath,
        size: properties.contentLength ?? 0,
        ...(properties.contentMD5 && properties.contentMD5.length > 0
            ? { md5: Buffer.from(properties.contentMD5).toString('hex') }
            : {}),
        ...(properties.etag ? { etag: properties.etag } : {}),
    };
}
function joinBlobPath(prefix, relativePath) {
    const relative = relativePath.replace(/\\/g, '/').replace(/^\/+/, '');
    return prefix === '' ? relative : `${prefix}/${relative}`;
}
/** A storage failure as AzureRequestError, with the URL's query (the SAS) left out. */
function storageError(method, url, error, action) {
    if (!(0,esm/* isRestError */.T0)(error))
        return error;
    const code = error.details?.errorCode ?? error.code;
    return new errors/* AzureRequestError */.ZQ({
        method,
        url: url.split('?')[0] ?? url,
        status: error.statusCode ?? 0,
        code,
        serviceMessage: `could not ${action}: ${error.message.split('\n')[0]}`,
        requestId: error.response?.headers.get('x-ms-request-id'),
        cause: error,
    });
}

;// CONCATENATED MODULE: ./packages/core/src/workspace/index.ts






;// CONCATENATED MODULE: ./packages/core/src/index.ts
// The core library: everything an action needs except the @actions/* adapter (./github).




































/***/ })

};

//# sourceMappingURL=816.index.js.map