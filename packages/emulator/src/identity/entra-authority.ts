// An Entra-like authority (`authorityHost`): OpenID metadata and the v2.0 token endpoint for the
// client-credentials grant, with a client secret or a federated client assertion (GitHub OIDC).
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse, Route } from '../http/types';
import { type EntraFailure, entraError, entraFailures } from './entra-errors';
import { checkTimeClaims, decodeJwt, hasValidSignature, publicJwk, type SigningKey, signJwt } from './jwt';
import { TOKEN_EXCHANGE_AUDIENCE } from './oidc-issuer';
import type { IdentitySettings } from './settings';
import { subjectMatches } from './subject-pattern';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface EntraAuthorityOptions {
  /** `authorityHost`, e.g. https://127.0.0.1:8443 (no trailing slash). */
  baseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  principalObjectId: string;
  /** Signs access tokens. */
  entraKey: SigningKey;
  /** The trusted federated issuer (the emulator's OIDC issuer) and its key. */
  federatedIssuer: string;
  federatedIssuerKey: SigningKey;
  settings: IdentitySettings;
  now: () => Date;
}

/** `iss` of v1 access tokens, the kind ARM receives. */
export const accessTokenIssuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

export interface TokenSuccess {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

export type TokenOutcome = { ok: true; body: TokenSuccess } | { ok: false; failure: EntraFailure };

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** `<resource>/.default` → resource; anything else is not a client-credentials scope. */
export function resourceFromScope(scope: string): string | undefined {
  const scopes = scope.split(/\s+/).filter((value) => value.length > 0 && !OIDC_SCOPES.has(value));
  if (scopes.length !== 1) return undefined;
  const [only] = scopes as [string];
  if (!only.endsWith('/.default') || only.length === '/.default'.length) return undefined;
  return only.slice(0, -'/.default'.length);
}

const secretsEqual = (presented: string, expected: string): boolean => {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const audienceText = (aud: unknown): string => (Array.isArray(aud) ? aud.join(',') : String(aud ?? ''));

/** Verifies a federated client assertion in the order Entra reports problems. */
function checkAssertion(
  assertion: string,
  options: EntraAuthorityOptions,
  now: Date,
): EntraFailure | undefined {
  let decoded: ReturnType<typeof decodeJwt>;
  try {
    decoded = decodeJwt(assertion);
  } catch {
    return entraFailures.malformedAssertion();
  }
  const { claims } = decoded;
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  if (issuer !== options.federatedIssuer) return entraFailures.issuerMismatch(issuer);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(TOKEN_EXCHANGE_AUDIENCE))
    return entraFailures.audienceMismatch(audienceText(claims.aud));
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subjectMatches(options.settings.federatedSubject, subject)) {
    return entraFailures.subjectMismatch(issuer, subject, audienceText(claims.aud));
  }
  if (!hasValidSignature(decoded, options.federatedIssuerKey.publicKey)) return entraFailures.badSignature();
  const time = checkTimeClaims(claims, now);
  if (!time.valid) {
    const validFrom = new Date((time.nbf ?? 0) * 1000);
    const expiry = time.exp === undefined ? undefined : new Date(time.exp * 1000);
    return entraFailures.assertionOutOfTime(now, validFrom, expiry);
  }
  return undefined;
}

/** The client-credentials grant, as pure logic over the form fields. */
export function exchangeClientCredentials(
  form: Record<string, string | undefined>,
  tenantInPath: string,
  options: EntraAuthorityOptions,
): TokenOutcome {
  const now = options.now();
  const fail = (failure: EntraFailure): TokenOutcome => ({ ok: false, failure });
  if (tenantInPath.toLowerCase() !== options.tenantId.toLowerCase()) {
    return fail(entraFailures.unknownTenant(tenantInPath));
  }
  const grantType = form.grant_type;
  if (!grantType) return fail(entraFailures.missingParameter('grant_type'));
  if (grantType !== 'client_credentials') return fail(entraFailures.unsupportedGrantType(grantType));
  const clientId = form.client_id;
  if (!clientId) return fail(entraFailures.missingParameter('client_id'));
  if (clientId.toLowerCase() !== options.clientId.toLowerCase()) {
    return fail(entraFailures.unknownClient(clientId, tenantInPath));
  }
  const scope = form.scope;
  if (!scope) return fail(entraFailures.missingParameter('scope'));
  const resource = resourceFromScope(scope);
  if (resource === undefined) return fail(entraFailures.invalidScope(scope));

  let authMethod: '1' | '2';
  if (form.client_assertion) {
    const type = form.client_assertion_type ?? '';
    if (type !== JWT_BEARER_ASSERTION_TYPE) return fail(entraFailures.invalidAssertionType(type));
    const problem = checkAssertion(form.client_assertion, options, now);
    if (problem) return fail(problem);
    authMethod = '2';
  } else if (form.client_secret !== undefined) {
    if (!secretsEqual(form.client_secret, options.clientSecret))
      return fail(entraFailures.invalidSecret(clientId));
    authMethod = '1';
  } else {
    return fail(entraFailures.missingCredential());
  }

  const nowMs = now.getTime();
  const iat = Math.floor(nowMs / 1000);
  const lifetimeInMs = options.settings.tokenLifetimeInMs;
  const issuer = accessTokenIssuer(options.tenantId);
  const accessToken = signJwt(
    {
      aud: resource,
      iss: issuer,
      iat,
      nbf: iat,
      exp: Math.floor((nowMs + lifetimeInMs) / 1000),
      appid: options.clientId,
      appidacr: authMethod,
      idp: issuer,
      idtyp: 'app',
      oid: options.principalObjectId,
      sub: options.principalObjectId,
      tid: options.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    },
    options.entraKey,
  );
  const expiresIn = Math.max(1, Math.round(lifetimeInMs / 1000));
  return {
    ok: true,
    body: {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: accessToken,
    },
  };
}

function formFields(request: EmulatorRequest): Record<string, string | undefined> {
  if (typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)) {
    const fields: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(request.body as Record<string, unknown>)) {
      if (typeof value === 'string') fields[key] = value;
    }
    return fields;
  }
  return Object.fromEntries(new URLSearchParams(request.rawBody.toString('utf8')));
}

const correlationIdOf = (request: EmulatorRequest): string => {
  const header = request.headers['client-request-id'];
  return (Array.isArray(header) ? header[0] : header) || randomUUID();
};

function openIdConfiguration(baseUrl: string, tenantId: string): Record<string, unknown> {
  const tenantBase = `${baseUrl}/${tenantId}`;
  return {
    token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${tenantBase}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${tenantBase}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'appid'],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'emulator.local',
    cloud_graph_host_name: 'graph.emulator.local',
    msgraph_host: 'graph.emulator.local',
  };
}

export function createEntraRoutes(options: EntraAuthorityOptions): Route[] {
  const unknownTenant = (request: EmulatorRequest, tenant: string): EmulatorResponse | undefined => {
    if (tenant.toLowerCase() === options.tenantId.toLowerCase()) return undefined;
    const [status, error, code, description] = entraFailures.unknownTenant(tenant);
    return entraError(status, error, code, description, {
      now: options.now(),
      correlationId: correlationIdOf(request),
    });
  };
  return [
    {
      method: 'GET',
      pattern: '/{tenant}/v2.0/.well-known/openid-configuration',
      handler: (request, { tenant = '' }) =>
        unknownTenant(request, tenant) ?? {
          status: 200,
          body: openIdConfiguration(options.baseUrl, options.tenantId),
        },
    },
    {
      method: 'GET',
      pattern: '/{tenant}/discovery/v2.0/keys',
      handler: (request, { tenant = '' }) =>
        unknownTenant(request, tenant) ?? {
          status: 200,
          body: { keys: [publicJwk(options.entraKey.publicKey, options.entraKey.kid)] },
        },
    },
    {
      method: 'POST',
      pattern: '/{tenant}/oauth2/v2.0/token',
      handler: (request, { tenant = '' }) => {
        const outcome = exchangeClientCredentials(formFields(request), tenant, options);
        const correlationId = correlationIdOf(request);
        if (outcome.ok) {
          return { status: 200, headers: { 'client-request-id': correlationId }, body: outcome.body };
        }
        const [status, error, code, description] = outcome.failure;
        return entraError(status, error, code, description, { now: options.now(), correlationId });
      },
    },
  ];
}
