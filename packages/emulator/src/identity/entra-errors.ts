// Errors in the shape Microsoft Entra's token endpoint answers with, codes and wording included,
// so clients (MSAL, @azure/identity) classify and report them as they do against Azure.
import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../http/types';

export interface EntraErrorContext {
  now: Date;
  correlationId: string;
}

/** Entra's timestamp format: `2025-07-07 10:30:48Z`. */
export const entraTimestamp = (date: Date): string => `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;

/** .NET round-trip format with seven fractional digits, as AADSTS700024 prints times. */
export const dotnetRoundTrip = (date: Date): string => `${date.toISOString().slice(0, 23)}0000Z`;

export function entraError(
  status: 400 | 401,
  error: string,
  code: number,
  description: string,
  context: EntraErrorContext,
): EmulatorResponse {
  const traceId = randomUUID();
  const timestamp = entraTimestamp(context.now);
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${context.correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: context.correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

const FIC_HINT =
  'Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

/** The failures the emulated authority reports, each with its real AADSTS code. */
export const entraFailures = {
  missingParameter: (name: string) =>
    [
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ] as const,
  unsupportedGrantType: (grantType: string) =>
    [
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ] as const,
  unknownTenant: (tenant: string) =>
    [
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ] as const,
  unknownClient: (clientId: string, tenant: string) =>
    [
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ] as const,
  invalidScope: (scope: string) =>
    [
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ] as const,
  missingCredential: () =>
    [
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ] as const,
  invalidAssertionType: (type: string) =>
    [
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: 'client_assertion_type' with the value 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' (got '${type}').`,
    ] as const,
  invalidSecret: (clientId: string) =>
    [
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ] as const,
  malformedAssertion: () => [400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'] as const,
  badSignature: () =>
    [
      400,
      'invalid_request',
      50027,
      'JWT token is invalid or malformed. The signature of the client assertion could not be verified with the keys of its issuer.',
    ] as const,
  issuerMismatch: (issuer: string) =>
    [
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${issuer}'. Please note that the matching is done using a case-sensitive comparison. ${FIC_HINT}`,
    ] as const,
  audienceMismatch: (audience: string) =>
    [
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audience}'. Please note that the matching is done using a case-sensitive comparison. ${FIC_HINT}`,
    ] as const,
  subjectMismatch: (issuer: string, subject: string, audience: string) =>
    [
      400,
      'invalid_request',
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    ] as const,
  assertionOutOfTime: (now: Date, validFrom: Date, expiry: Date | undefined) =>
    [
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${dotnetRoundTrip(now)}, assertion valid from ${dotnetRoundTrip(validFrom)}, expiry time of assertion ${expiry ? dotnetRoundTrip(expiry) : '(none)'}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ] as const,
} satisfies Record<string, (...args: never[]) => readonly [400 | 401, string, number, string]>;

export type EntraFailure = readonly [400 | 401, string, number, string];
