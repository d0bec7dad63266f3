export { API_VERSIONS, type ApiFamily, type ApiVersion } from './api-versions';
export { type ArmClients, type ArmClientsOptions, createArmClients } from './clients';
export {
  type ArmErrorBody,
  azureRequestErrorFromResponse,
  parseArmErrorBody,
  type ResponseLike,
  redactUrl,
  toAzureRequestError,
  withAzureErrors,
} from './errors';
export {
  classifyState,
  DEFAULT_LRO_TIMEOUT_IN_MS,
  DEFAULT_POLL_INTERVAL_IN_MS,
  type LroOptions,
  type LroResult,
  OperationFailedError,
  OperationTimeoutError,
  parseRetryAfter,
  retryAfterInMs,
  waitForArmOperation,
} from './lro';
export {
  type ArmQuery,
  type ArmRequest,
  type ArmResponse,
  ArmRestClient,
  type ArmRestClientOptions,
  USER_AGENT_PREFIX,
} from './rest';
