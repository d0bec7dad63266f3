// The scoring front door of online endpoints on the emulator: `<base>/inference/<endpoint>/score`
// and `/swagger.json` (the endpoint's scoringUri and swaggerUri). It authenticates by the
// endpoint's authMode, picks a deployment (header or traffic weights), mirrors a share of the
// traffic when asked, and proxies to the deployment's scoring server, naming the deployment that
// answered in `azureml-model-deployment`.
import { verifyAmlToken } from '../arm/online-endpoint-auth';
import type { ScoringHost } from '../arm/online-hosting';
import {
  type EndpointRecord,
  endpointMirrorTraffic,
  endpointTraffic,
  OnlineStore,
} from '../arm/online-store';
import type { ArmContext } from '../arm-context';
import type { EmulatorRequest, EmulatorResponse, Route } from '../http/types';
import { bearerOf, type EntraTokenVerifier, keyMatches } from './auth';
import { proxy, UpstreamTimeoutError } from './proxy';
import { routeRequest } from './routing';

export { type EntraTokenVerifier, entraTokenVerifier } from './auth';
export { pickWeighted, routeRequest } from './routing';

export interface FrontDoorOptions {
  ctx: ArmContext;
  host: ScoringHost;
  /** For AADToken endpoints; without it they refuse every caller. */
  verifyEntraToken?: EntraTokenVerifier;
  /** [0, 1) draws for traffic and mirroring (default Math.random). */
  random?: () => number;
  /** How long the front door waits for a scoring server (default 90000). */
  upstreamTimeoutInMs?: number;
  log?: (line: string) => void;
}

export const INFERENCE_PREFIX = '/inference';

const NO_DEPLOYMENT =
  'No valid deployments to route to. Please check that the endpoint has at least one deployment with positive weight values or use a deployment specific header to route.';

const text = (status: number, body: string, headers: Record<string, string> = {}): EmulatorResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

const AUTH_FAILURES: Record<string, string> = {
  Key: 'key_auth_access_denied',
  AMLToken: 'aml_token_auth_access_denied',
  AADToken: 'aad_token_auth_access_denied',
};

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function inferenceFrontDoorRoutes(options: FrontDoorOptions): Route[] {
  const { ctx, host } = options;
  const store = new OnlineStore(ctx);
  const random = options.random ?? Math.random;
  const timeoutInMs = options.upstreamTimeoutInMs ?? 90_000;

  const authorized = (endpoint: EndpointRecord, request: EmulatorRequest): boolean => {
    const token = bearerOf(request.headers.authorization);
    if (!token) return false;
    switch (endpoint.properties.authMode) {
      case 'Key':
        return keyMatches(endpoint.keys, token);
      case 'AMLToken':
        return verifyAmlToken(ctx, token, endpoint.name).ok;
      case 'AADToken':
        return options.verifyEntraToken?.(token, ctx.now()) ?? false;
      default:
        return false;
    }
  };

  const forward = (request: EmulatorRequest, endpoint: string, deployment: string, target: string) => {
    const baseUrl = host.serverUrl(endpoint, deployment);
    if (!baseUrl) return undefined;
    return proxy({
      method: request.method,
      baseUrl,
      target,
      headers: request.headers,
      body: request.rawBody,
      timeoutInMs,
    });
  };

  const handle =
    (resource: 'score' | 'swagger.json') =>
    async (request: EmulatorRequest, params: Record<string, string>): Promise<EmulatorResponse> => {
      const endpoint = store.endpoint(params.endpointName ?? '');
      if (!endpoint || endpoint.provisioningState === 'Deleting' || !endpoint.provisioned) {
        return text(404, `Endpoint '${params.endpointName}' does not exist or is not provisioned yet.`);
      }
      const authMode = String(endpoint.properties.authMode);
      if (!authorized(endpoint, request)) {
        return text(401, AUTH_FAILURES[authMode] ?? 'auth_access_denied', { 'www-authenticate': 'Bearer' });
      }
      const deployments = store.deployments(endpoint.name).map((deployment) => deployment.name);
      const decision = routeRequest({
        traffic: endpointTraffic(endpoint),
        mirrorTraffic: endpointMirrorTraffic(endpoint),
        deployments,
        pinned: header(request, 'azureml-model-deployment'),
        random,
      });
      if (!decision.ok) return text(404, NO_DEPLOYMENT);
      const query = request.query.toString();
      const target = `/${resource}${query ? `?${query}` : ''}`;
      if (decision.mirror) {
        // The shadow's answer is discarded, and so is its failure.
        forward(request, endpoint.name, decision.mirror, target)?.catch((error: unknown) =>
          options.log?.(`mirror to ${endpoint.name}/${decision.mirror} failed: ${(error as Error).message}`),
        );
      }
      let answer: Awaited<ReturnType<typeof proxy>> | undefined;
      try {
        answer = await forward(request, endpoint.name, decision.deployment, target);
      } catch (error) {
        if (error instanceof UpstreamTimeoutError) return text(408, 'upstream request timeout');
        return text(502, `Deployment '${decision.deployment}' did not answer: ${(error as Error).message}`);
      }
      if (!answer) return text(404, NO_DEPLOYMENT);
      return {
        status: answer.status,
        headers: { ...answer.headers, 'azureml-model-deployment': decision.deployment },
        body: answer.body,
      };
    };

  const base = `${INFERENCE_PREFIX}/{endpointName}`;
  return [
    { method: 'POST', pattern: `${base}/score`, handler: handle('score') },
    { method: 'GET', pattern: `${base}/score`, handler: handle('score') },
    { method: 'GET', pattern: `${base}/swagger.json`, handler: handle('swagger.json') },
  ];
}
