// The two ARM clients every action uses, built alike: the Azure ML SDK for what it covers and
// ArmRestClient for the rest, with the same credential, ARM endpoint and scope of the cloud,
// retry options, TLS settings and user agent. The SDK sends its own api-version (API_VERSIONS.sdk);
// its `apiVersion` option is not used because its policy rewrites the api-version of every URL,
// polling URLs included.

import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { type ConnectionOptions, type Env, tlsSettingsFor } from '../auth/connection';
import type { ResolvedCloud } from '../cloud';
import { ArmRestClient, USER_AGENT_PREFIX } from './rest';

export interface ArmClientsOptions extends ConnectionOptions {
  credential: TokenCredential;
  cloud: ResolvedCloud;
  subscriptionId: string;
  retryOptions?: PipelineRetryOptions | undefined;
  /** Aborts every request of both clients (e.g. on the runner's cancel). */
  abortSignal?: AbortSignal | undefined;
  /** Transport for both clients (tests); default core-rest-pipeline's. */
  httpClient?: HttpClient | undefined;
  env?: Env | undefined;
}

export interface ArmClients {
  sdk: AzureMachineLearningWorkspaces;
  rest: ArmRestClient;
}

export function createArmClients(options: ArmClientsOptions): ArmClients {
  const { credential, cloud, subscriptionId } = options;
  const tlsOptions = tlsSettingsFor(options.caCertificates, options.env ?? process.env);
  const sdk = new AzureMachineLearningWorkspaces(credential, subscriptionId, {
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
            { policy: abortSignalPolicy(options.abortSignal), position: 'perCall' as const },
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
function abortSignalPolicy(signal: AbortSignal): PipelinePolicy {
  return {
    name: 'amlActionsAbortSignal',
    sendRequest(request, next) {
      const own = request.abortSignal;
      // AbortSignal.any keeps no listener on the long-lived signal; a non-native signal is left as is.
      if (own === undefined) request.abortSignal = signal;
      else if (own instanceof AbortSignal) request.abortSignal = AbortSignal.any([signal, own]);
      return next(request);
    },
  };
}
