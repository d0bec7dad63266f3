// Which Azure cloud the actions talk to: its ARM endpoint, its Entra authority and the token scopes.
// Public clouds are fixed tables; `Custom` (Azure Stack, a private cloud, the local emulator) takes
// both endpoints from inputs.

import { ConfigurationError } from './errors';

export const CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud', 'Custom'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface ResolvedCloud {
  name: CloudName;
  /** ARM endpoint without a trailing slash, e.g. `https://management.azure.com`. */
  armEndpoint: string;
  /** Entra authority host without a trailing slash, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Scope of ARM access tokens: `<ARM resource>/.default`. */
  armScope: string;
  /** Scope of Azure ML data-plane tokens, where the cloud has one. */
  mlScope?: string;
}

export interface ResolveCloudOptions {
  /** Input `cloud`; empty means AzureCloud. Matched without regard to case, as azure/login does. */
  cloud?: string | undefined;
  /** Input `arm-endpoint`: only with `Custom`. */
  armEndpoint?: string | undefined;
  /** Input `authority-host`: only with `Custom`. */
  authorityHost?: string | undefined;
  /** Data-plane scope for `Custom`, when it has one. */
  mlScope?: string | undefined;
}

const PUBLIC_CLOUDS: Record<Exclude<CloudName, 'Custom'>, ResolvedCloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    armEndpoint: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
    armScope: 'https://management.azure.com/.default',
    mlScope: 'https://ml.azure.com/.default',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    armEndpoint: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    armScope: 'https://management.usgovcloudapi.net/.default',
    mlScope: 'https://ml.azure.us/.default',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    armEndpoint: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    mlScope: 'https://ml.azure.cn/.default',
  },
};

export function parseCloudName(value: string | undefined): CloudName {
  const wanted = (value ?? '').trim();
  if (wanted === '') return 'AzureCloud';
  const found = CLOUD_NAMES.find((name) => name.toLowerCase() === wanted.toLowerCase());
  if (!found) {
    throw new ConfigurationError(`'${wanted}' is not a known cloud`, {
      input: 'cloud',
      fix: `Use one of ${CLOUD_NAMES.join(', ')}.`,
    });
  }
  return found;
}

export function resolveCloud(options: ResolveCloudOptions): ResolvedCloud {
  const name = parseCloudName(options.cloud);
  const armEndpoint = blankToUndefined(options.armEndpoint);
  const authorityHost = blankToUndefined(options.authorityHost);

  if (name !== 'Custom') {
    // Overriding one endpoint of a public cloud would mix clouds; say so rather than guess.
    for (const [input, value] of [
      ['arm-endpoint', armEndpoint],
      ['authority-host', authorityHost],
    ] as const) {
      if (value !== undefined) {
        throw new ConfigurationError(`'${input}' is only used with cloud 'Custom', but cloud is '${name}'`, {
          input,
          fix: `Set 'cloud: Custom' to use your own endpoints, or remove '${input}'.`,
        });
      }
    }
    return { ...PUBLIC_CLOUDS[name] };
  }

  const arm = requireHttpsEndpoint('arm-endpoint', armEndpoint, 'https://management.example.com');
  const authority = requireHttpsEndpoint('authority-host', authorityHost, 'https://login.example.com');
  const mlScope = blankToUndefined(options.mlScope);
  return {
    name,
    armEndpoint: arm,
    authorityHost: authority,
    armScope: `${arm}/.default`,
    ...(mlScope !== undefined ? { mlScope } : {}),
  };
}

function requireHttpsEndpoint(input: string, value: string | undefined, example: string): string {
  if (value === undefined) {
    throw new ConfigurationError(`cloud 'Custom' needs '${input}'`, {
      input,
      fix: `Set '${input}' to the https URL of the endpoint, e.g. '${example}'.`,
    });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new ConfigurationError(`'${value}' is not a URL`, {
      input,
      fix: `Set '${input}' to an absolute https URL, e.g. '${example}'.`,
      cause,
    });
  }
  if (url.protocol !== 'https:') {
    // Bearer tokens must not travel in clear text; @azure/identity refuses http authorities too.
    throw new ConfigurationError(`'${value}' does not use https`, {
      input,
      fix: `Use an https URL for '${input}' (a local emulator serves https with its own CA certificate).`,
    });
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigurationError(`'${value}' must be a plain endpoint URL`, {
      input,
      fix: `Remove the query, fragment or credentials from '${input}'.`,
    });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
