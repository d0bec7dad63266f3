// The credential an online endpoint's scoring URI accepts, by its auth mode: the endpoint's
// primary key, an AML token, or a Microsoft Entra token for Azure ML. One place for the choice,
// shared by the actions that call endpoints (deploy-endpoint's health gate, smoke-invoke).

import type { TokenCredential } from '@azure/core-auth';
import { ConfigurationError } from '../errors';
import type { OnlineEndpoints } from './online-endpoints';

export type ScoringAuth = 'key' | 'aml_token' | 'aad_token';

/** The scope of Microsoft Entra tokens that scoring URIs of AADToken endpoints accept. */
export const ENTRA_SCORING_SCOPE = 'https://ml.azure.com/.default';

/** The scoring auth an endpoint's `authMode` asks for (Key when unset, as the service defaults). */
export function scoringAuthOf(authMode: string | undefined): ScoringAuth {
  if (authMode === 'AMLToken') return 'aml_token';
  if (authMode === 'AADToken') return 'aad_token';
  return 'key';
}

export interface ScoringCredentialOptions {
  /** The endpoint's workspace client; needed for keys and AML tokens. */
  endpoints: OnlineEndpoints | undefined;
  endpointName: string | undefined;
  /** Signs in for `aad_token`; resolved only then (a key or AML token needs no Entra token here). */
  tokenCredential: () => TokenCredential;
  /** Masks the Entra token (keys and AML tokens are masked by OnlineEndpoints as they are read). */
  mask: (secret: string) => void;
  abortSignal?: AbortSignal | undefined;
  /** The action input that chose the auth, named in configuration errors. */
  input?: string;
}

/** The credential, and a description for logs that holds none of it. */
export async function scoringCredential(
  auth: ScoringAuth,
  options: ScoringCredentialOptions,
): Promise<{ credential: string; description: string }> {
  const call = { abortSignal: options.abortSignal };
  const { endpoints, endpointName } = options;
  if (auth !== 'aad_token' && (!endpoints || !endpointName)) {
    throw new ConfigurationError(
      `${auth === 'key' ? 'an endpoint key' : 'an AML token'} needs the endpoint`,
      {
        ...(options.input && { input: options.input }),
        fix: 'Name the endpoint (and its workspace), or give the key itself.',
      },
    );
  }
  switch (auth) {
    case 'key': {
      const keys = await (endpoints as OnlineEndpoints).listKeys(endpointName as string, call);
      return { credential: keys.primaryKey, description: 'endpoint key (listKeys)' };
    }
    case 'aml_token': {
      const token = await (endpoints as OnlineEndpoints).token(endpointName as string, call);
      return { credential: token.accessToken, description: 'AML token' };
    }
    case 'aad_token': {
      const token = await options.tokenCredential().getToken(ENTRA_SCORING_SCOPE, call);
      if (!token?.token) {
        throw new ConfigurationError('no Microsoft Entra token for the scoring endpoint could be obtained', {
          ...(options.input && { input: options.input }),
          fix: 'Check the sign-in inputs (client-id, tenant-id, OIDC permissions), or use key auth.',
        });
      }
      options.mask(token.token);
      return { credential: token.token, description: 'Microsoft Entra token' };
    }
  }
}
