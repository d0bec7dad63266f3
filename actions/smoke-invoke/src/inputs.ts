// The inputs, read strictly before any request: the target (endpoint or scoring URI, deployments),
// auth, the cases (files, a folder, a request file or inline JSON), load and thresholds, rollback.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigurationError,
  type ConnectionInputs,
  normalizeTraffic,
  type TrafficMap,
} from '@aml-actions/core';
import { CONNECTION_SECRET_INPUTS, type InputReader, readConnectionInputs } from '@aml-actions/core/github';
import { type CaseDefaults, loadCases, readCasesFile, type SmokeCase, singleCase } from './cases';

export type AuthChoice = 'auto' | 'key' | 'aml_token' | 'aad_token';

export interface SmokeInputs {
  endpointName?: string | undefined;
  scoringUri?: string | undefined;
  /** Each is tested on its own (pinned with azureml-model-deployment); empty: the endpoint routes. */
  deployments: string[];
  auth: AuthChoice;
  key?: string | undefined;
  cases: SmokeCase[];
  requests: number;
  concurrency: number;
  warmupTimeoutInMs: number;
  requestTimeoutInMs: number;
  maxP95InMs?: number | undefined;
  maxErrorRate?: number | undefined;
  rollbackOnFailure: boolean;
  previousTraffic?: TrafficMap | undefined;
  timeoutInMs: number;
  connection: ConnectionInputs;
}

export const SECRET_INPUTS: ReadonlySet<string> = new Set([...CONNECTION_SECRET_INPUTS, 'key']);

export function readSmokeInputs(reader: InputReader, cwd: string): SmokeInputs {
  const endpointName = reader.optional('endpoint');
  const scoringUri = reader.optional('scoring-uri');
  if (!endpointName && !scoringUri) {
    throw new ConfigurationError('no target is given', {
      input: 'endpoint',
      fix: "Set endpoint (the online endpoint's name; deploy-endpoint's endpoint-name output) or scoring-uri.",
    });
  }
  if (scoringUri) checkScoringUri(scoringUri);
  const deployments = reader.list('deployment');
  for (const name of deployments) {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(name))
      throw new ConfigurationError(`'${name}' is not a deployment name`, {
        input: 'deployment',
        fix: 'Give deployment names (letters, digits, hyphens), one per line or comma-separated, e.g. blue, green.',
      });
  }
  const auth = reader.choice('auth', ['auto', 'key', 'aml_token', 'aad_token'] as const, 'auto');
  const key = reader.optional('key');
  if (!endpointName && (auth === 'aml_token' || (auth === 'key' && !key))) {
    throw new ConfigurationError(
      auth === 'key'
        ? 'auth is key, but there is no key and no endpoint to fetch it from'
        : 'an AML token is issued per endpoint, but no endpoint is named',
      {
        input: auth === 'key' ? 'key' : 'endpoint',
        fix:
          auth === 'key'
            ? 'Pass the key (a secret) as key, or name the endpoint.'
            : 'Name the endpoint, or use auth: aad_token or key.',
      },
    );
  }

  const defaults: CaseDefaults = { status: expectStatus(reader) };
  const cases: SmokeCase[] = [];
  const casesInput = reader.optional('cases');
  if (casesInput) cases.push(...loadCases(casesInput, cwd, defaults));
  const requestFile = reader.optional('request-file');
  if (requestFile) {
    let body: string;
    try {
      body = readFileSync(path.resolve(cwd, requestFile), 'utf8');
    } catch {
      throw new ConfigurationError(`the request file '${requestFile}' cannot be read`, {
        input: 'request-file',
        fix: `Check the path (relative to ${cwd}).`,
      });
    }
    // A .yml request file may hold full cases; a .json one is the request body.
    if (/\.ya?ml$/i.test(requestFile)) cases.push(...readCasesFile(requestFile, body, cwd, defaults));
    else
      cases.push(
        singleCase(path.basename(requestFile), body, 'request-file', defaults, { file: requestFile }),
      );
  }
  const inline = reader.optional('request');
  if (inline)
    cases.push(singleCase('inline request', inline, 'request', defaults, { file: 'request input' }));
  if (cases.length === 0) {
    throw new ConfigurationError('there is nothing to send', {
      input: 'cases',
      fix: 'Give cases (a YAML/JSON file or folder), request-file, or request (inline JSON).',
    });
  }
  for (const smokeCase of cases) {
    if (smokeCase.deployment && deployments.length > 0 && !deployments.includes(smokeCase.deployment)) {
      throw new ConfigurationError(
        `case '${smokeCase.name}' is pinned to deployment '${smokeCase.deployment}', which is not among ${deployments.join(', ')}`,
        {
          input: 'cases',
          file: smokeCase.source.file,
          ...(smokeCase.source.line !== undefined ? { line: smokeCase.source.line } : {}),
          fix: 'Add the deployment to the deployment input, or remove deployment: from the case.',
        },
      );
    }
  }

  const rollbackOnFailure = reader.boolean('rollback-on-failure', false);
  const previousText = reader.optional('previous-traffic');
  const previousTraffic = previousText ? readTraffic(reader) : undefined;
  if (rollbackOnFailure && (!endpointName || !previousTraffic)) {
    throw new ConfigurationError('rollback-on-failure needs the endpoint and the traffic to restore', {
      input: endpointName ? 'previous-traffic' : 'endpoint',
      fix: 'Set endpoint and previous-traffic (deploy-endpoint\'s previous-traffic output, e.g. {"blue":100}).',
    });
  }
  const maxErrorRateText = reader.optional('max-error-rate');
  return {
    endpointName,
    scoringUri,
    deployments,
    auth,
    key,
    cases,
    requests: reader.integer('requests', { default: 20, min: 0, max: 100_000 }),
    concurrency: reader.integer('concurrency', { default: 4, min: 1, max: 256 }),
    warmupTimeoutInMs: reader.duration('warmup-timeout', { default: 120_000, maxInMs: 3_600_000 }),
    requestTimeoutInMs: reader.duration('request-timeout', {
      default: 60_000,
      minInMs: 100,
      maxInMs: 600_000,
    }),
    maxP95InMs: reader.optional('max-p95-ms') ? reader.integer('max-p95-ms', { min: 1 }) : undefined,
    maxErrorRate: maxErrorRateText ? reader.number('max-error-rate', { min: 0, max: 1 }) : undefined,
    rollbackOnFailure,
    previousTraffic,
    timeoutInMs: reader.duration('timeout', { default: 30 * 60_000, minInMs: 1_000 }),
    connection: readConnectionInputs(reader),
  };
}

function expectStatus(reader: InputReader): number[] {
  const values = reader.list('expect-status');
  if (values.length === 0) return [200];
  return values.map((value) => {
    if (!/^[1-5]\d\d$/.test(value))
      throw new ConfigurationError(`'${value}' is not an HTTP status`, {
        input: 'expect-status',
        fix: 'Write a status such as 200, or several: 200, 201.',
      });
    return Number(value);
  });
}

function readTraffic(reader: InputReader): TrafficMap {
  const value = reader.json('previous-traffic');
  const fix =
    'Pass a JSON map of deployment to percent, e.g. {"blue":90,"green":10} (deploy-endpoint\'s previous-traffic output).';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigurationError('previous-traffic is not a JSON object', { input: 'previous-traffic', fix });
  for (const [name, percent] of Object.entries(value)) {
    if (!Number.isInteger(percent) || (percent as number) < 0 || (percent as number) > 100)
      throw new ConfigurationError(
        `previous-traffic gives ${name} ${JSON.stringify(percent)}, not a percentage`,
        {
          input: 'previous-traffic',
          fix,
        },
      );
  }
  const traffic = normalizeTraffic(value as TrafficMap);
  const total = Object.values(traffic).reduce((sum, percent) => sum + percent, 0);
  if (total !== 100 && total !== 0)
    throw new ConfigurationError(`previous-traffic adds up to ${total}%, not 100%`, {
      input: 'previous-traffic',
      fix,
    });
  return traffic;
}

function checkScoringUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ConfigurationError(`'${uri}' is not a URL`, {
      input: 'scoring-uri',
      fix: 'Give the full scoring URI, e.g. https://<endpoint>.<region>.inference.ml.azure.com/score.',
    });
  }
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
  ) {
    throw new ConfigurationError(`the scoring URI must use https (got ${url.protocol})`, {
      input: 'scoring-uri',
      fix: 'Use the https scoring URI: a key or token must never travel in clear text.',
    });
  }
  if (url.username || url.password || [...url.searchParams.keys()].some((k) => /sig|key|token/i.test(k))) {
    throw new ConfigurationError('the scoring URI carries a credential', {
      input: 'scoring-uri',
      fix: 'Pass the key through the key input (a secret), not in the URL.',
    });
  }
}
