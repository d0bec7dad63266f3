// The front door's credential check, by the endpoint's authMode: one of its two keys (Key), a
// token from its `token` action (AMLToken), or an Entra access token of the emulator's authority
// for the Azure ML audience (AADToken).
import type { KeyObject } from 'node:crypto';
import { type EndpointKeys, secretEquals } from '../arm/online-endpoint-auth';
import { accessTokenIssuer } from '../identity/entra-authority';
import { checkTimeClaims, decodeJwt, hasValidSignature, MalformedJwtError } from '../identity/jwt';

/** The audience Azure ML data-plane tokens are issued for (`az account get-access-token --resource`). */
export const AML_AUDIENCES = ['https://ml.azure.com', 'https://ml.azure.com/'];

export type EntraTokenVerifier = (token: string, now: Date) => boolean;

/** Checks RS256 tokens signed by the emulator's authority, for tenant and Azure ML audience. */
export function entraTokenVerifier(trust: { publicKey: KeyObject; tenantId: string }): EntraTokenVerifier {
  return (token, now) => {
    try {
      const decoded = decodeJwt(token);
      if (!hasValidSignature(decoded, trust.publicKey)) return false;
      const { claims } = decoded;
      return (
        checkTimeClaims(claims, now).valid &&
        typeof claims.aud === 'string' &&
        AML_AUDIENCES.includes(claims.aud) &&
        claims.iss === accessTokenIssuer(trust.tenantId)
      );
    } catch (error) {
      if (error instanceof MalformedJwtError) return false;
      throw error;
    }
  };
}

/** The bearer value of an Authorization header, or undefined when there is none. */
export function bearerOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1] : undefined;
}

export const keyMatches = (keys: EndpointKeys, presented: string): boolean =>
  secretEquals(presented, keys.primaryKey) || secretEquals(presented, keys.secondaryKey);
