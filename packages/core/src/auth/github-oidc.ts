// Fetching the GitHub Actions OIDC ID token over HTTP, as @actions/core's getIDToken does, without
// importing @actions/*: GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>` with
// `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answer `{"value": "<jwt>"}`.
// node:https trusts NODE_EXTRA_CA_CERTS by itself; `caCertificates` adds more for this call.

import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError } from '../errors';
import { type ConnectionOptions, type Env, tlsSettingsFor } from './connection';
import type { RequestIdToken } from './oidc-assertion';

export const ID_TOKEN_REQUEST_URL = 'ACTIONS_ID_TOKEN_REQUEST_URL';
export const ID_TOKEN_REQUEST_TOKEN = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN';

export interface GitHubIdTokenOptions extends ConnectionOptions {
  env?: Env;
  abortSignal?: AbortSignal | undefined;
  /** Per attempt. */
  timeoutInMs?: number;
  /** Attempts in all, for network errors, 429 and 5xx answers. */
  maxAttempts?: number;
  /** Delay before the second attempt; doubles after each. */
  retryDelayInMs?: number;
}

/** An operational failure of the runner's token service (not something the user configured). */
export class GitHubIdTokenError extends Error {
  override readonly name = 'GitHubIdTokenError';
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

export function isGitHubOidcAvailable(env: Env): boolean {
  return Boolean(env[ID_TOKEN_REQUEST_URL] && env[ID_TOKEN_REQUEST_TOKEN]);
}

/** The error for a job that was not granted an ID token. */
export function missingIdTokenPermissionError(): ConfigurationError {
  return new ConfigurationError(
    `the GitHub OIDC ID token is not available to this job (${ID_TOKEN_REQUEST_URL} and ${ID_TOKEN_REQUEST_TOKEN} are not set)`,
    {
      fix:
        "Add 'permissions: id-token: write' (with 'contents: read') to the job or the workflow. " +
        'Workflows run for pull requests from forks get no ID token and no secrets: run those with a ' +
        "different trigger, or use 'pull_request_target' with care (it runs with the base repository's " +
        "permissions, so never check out and run the fork's code in it).",
    },
  );
}

/** A `requestIdToken(audience)` bound to the runner's environment. */
export function createGitHubIdTokenRequester(options: GitHubIdTokenOptions = {}): RequestIdToken {
  return (audience) => requestGitHubIdToken(audience, options);
}

export async function requestGitHubIdToken(
  audience: string,
  options: GitHubIdTokenOptions = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const baseUrl = env[ID_TOKEN_REQUEST_URL];
  const bearer = env[ID_TOKEN_REQUEST_TOKEN];
  if (!baseUrl || !bearer) throw missingIdTokenPermissionError();

  // The runner's URL already carries a query (`?api-version=2.0`); append to it verbatim.
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
  const ca = tlsSettingsFor(options.caCertificates, env)?.ca;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  let delayInMs = options.retryDelayInMs ?? 1000;

  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, bearer, {
        ca,
        timeoutInMs: options.timeoutInMs ?? 30_000,
        abortSignal: options.abortSignal,
      });
    } catch (error) {
      const retriable =
        error instanceof GitHubIdTokenError &&
        (error.status === undefined || error.status === 429 || error.status >= 500);
      if (!retriable || attempt >= maxAttempts || options.abortSignal?.aborted) throw error;
      await sleep(delayInMs, undefined, { signal: options.abortSignal });
      delayInMs *= 2;
    }
  }
}

interface FetchOnceOptions {
  ca: TlsCa | undefined;
  timeoutInMs: number;
  abortSignal: AbortSignal | undefined;
}
type TlsCa = NonNullable<ReturnType<typeof tlsSettingsFor>>['ca'];

function fetchOnce(url: string, bearer: string, options: FetchOnceOptions): Promise<string> {
  const target = new URL(url);
  const signals = [
    AbortSignal.timeout(options.timeoutInMs),
    ...(options.abortSignal ? [options.abortSignal] : []),
  ];
  const signal = AbortSignal.any(signals);
  const requestOptions: https.RequestOptions = {
    method: 'GET',
    headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json', 'User-Agent': 'aml-actions' },
    signal,
    ...(options.ca !== undefined && target.protocol === 'https:' ? { ca: options.ca } : {}),
  };
  const send = target.protocol === 'https:' ? https.request : http.request;
  // The URL is not quoted in errors: its query may carry run identifiers; the host is enough.
  const where = `GitHub OIDC token service at ${target.host}`;

  return new Promise<string>((resolve, reject) => {
    const request = send(target, requestOptions, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (cause) =>
        reject(new GitHubIdTokenError(`Reading the answer of the ${where} failed`, { cause })),
      );
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(
            new GitHubIdTokenError(`The ${where} answered ${status}: ${text.slice(0, 200)}`, { status }),
          );
          return;
        }
        let value: unknown;
        try {
          value = (JSON.parse(text) as { value?: unknown }).value;
        } catch (cause) {
          reject(
            new GitHubIdTokenError(`The ${where} answered ${status} with a body that is not JSON`, {
              status,
              cause,
            }),
          );
          return;
        }
        if (typeof value !== 'string' || value === '') {
          reject(new GitHubIdTokenError(`The ${where} answered without an ID token ('value')`, { status }));
          return;
        }
        resolve(value);
      });
    });
    request.on('error', (cause) => {
      if (options.abortSignal?.aborted) {
        reject(options.abortSignal.reason);
        return;
      }
      reject(
        new GitHubIdTokenError(`Requesting an ID token from the ${where} failed: ${cause.message}`, {
          cause,
        }),
      );
    });
    request.end();
  });
}
