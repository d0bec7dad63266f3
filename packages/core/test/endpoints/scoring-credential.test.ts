import type { TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import type { OnlineEndpoints } from '../../src/endpoints/online-endpoints';
import {
  ENTRA_SCORING_SCOPE,
  scoringAuthOf,
  scoringCredential,
} from '../../src/endpoints/scoring-credential';
import { ConfigurationError } from '../../src/errors';

/** The two calls scoringCredential makes of OnlineEndpoints, recorded. */
function endpointsRecording(calls: string[]): OnlineEndpoints {
  return {
    listKeys: async (name: string) => {
      calls.push(`listKeys ${name}`);
      return { primaryKey: 'primary', secondaryKey: 'secondary' };
    },
    token: async (name: string) => {
      calls.push(`token ${name}`);
      return { accessToken: 'aml-token' };
    },
  } as unknown as OnlineEndpoints;
}

function entra(token: string | undefined, scopes: string[]): TokenCredential {
  return {
    getToken: async (scope) => {
      scopes.push(String(scope));
      return token ? { token, expiresOnTimestamp: Date.now() + 3600_000 } : null;
    },
  };
}

describe('scoringAuthOf', () => {
  it("maps the endpoint's authMode, Key when unset", () => {
    expect(scoringAuthOf('AMLToken')).toBe('aml_token');
    expect(scoringAuthOf('AADToken')).toBe('aad_token');
    expect(scoringAuthOf('Key')).toBe('key');
    expect(scoringAuthOf(undefined)).toBe('key');
  });
});

describe('scoringCredential', () => {
  it('takes the primary key, the AML token, or an Entra token for Azure ML, masking only what it fetched itself', async () => {
    const calls: string[] = [];
    const scopes: string[] = [];
    const masked: string[] = [];
    const options = {
      endpoints: endpointsRecording(calls),
      endpointName: 'churn',
      tokenCredential: () => entra('entra-token', scopes),
      mask: (secret: string) => masked.push(secret),
    };
    expect(await scoringCredential('key', options)).toEqual({
      credential: 'primary',
      description: 'endpoint key (listKeys)',
    });
    expect(await scoringCredential('aml_token', options)).toEqual({
      credential: 'aml-token',
      description: 'AML token',
    });
    expect(await scoringCredential('aad_token', options)).toEqual({
      credential: 'entra-token',
      description: 'Microsoft Entra token',
    });
    expect(calls).toEqual(['listKeys churn', 'token churn']);
    expect(scopes).toEqual([ENTRA_SCORING_SCOPE]);
    // OnlineEndpoints masks keys and AML tokens as it reads them.
    expect(masked).toEqual(['entra-token']);
  });

  it('names the input when a key or AML token has no endpoint, or no Entra token is issued', async () => {
    const base = { tokenCredential: () => entra(undefined, []), mask: () => undefined, input: 'auth' };
    for (const auth of ['key', 'aml_token'] as const) {
      const error = await scoringCredential(auth, {
        ...base,
        endpoints: undefined,
        endpointName: undefined,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ input: 'auth' });
    }
    await expect(
      scoringCredential('aad_token', { ...base, endpoints: undefined, endpointName: undefined }),
    ).rejects.toMatchObject({ input: 'auth', problem: expect.stringMatching(/no Microsoft Entra token/) });
  });
});
