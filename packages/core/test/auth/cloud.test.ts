import { describe, expect, it } from 'vitest';
import { resolveCloud } from '../../src/cloud';
import { ConfigurationError } from '../../src/errors';

describe('resolveCloud', () => {
  it.each([
    [
      undefined,
      'AzureCloud',
      'https://management.azure.com',
      'https://login.microsoftonline.com',
      'https://management.azure.com/.default',
    ],
    [
      '',
      'AzureCloud',
      'https://management.azure.com',
      'https://login.microsoftonline.com',
      'https://management.azure.com/.default',
    ],
    [
      'azurecloud',
      'AzureCloud',
      'https://management.azure.com',
      'https://login.microsoftonline.com',
      'https://management.azure.com/.default',
    ],
    [
      'AzureUSGovernment',
      'AzureUSGovernment',
      'https://management.usgovcloudapi.net',
      'https://login.microsoftonline.us',
      'https://management.usgovcloudapi.net/.default',
    ],
    [
      'AZURECHINACLOUD',
      'AzureChinaCloud',
      'https://management.chinacloudapi.cn',
      'https://login.chinacloudapi.cn',
      'https://management.chinacloudapi.cn/.default',
    ],
  ])('cloud %j is %s', (cloud, name, armEndpoint, authorityHost, armScope) => {
    const resolved = resolveCloud({ cloud });
    expect(resolved).toMatchObject({ name, armEndpoint, authorityHost, armScope });
    expect(resolved.mlScope).toMatch(/^https:\/\/ml\.azure\.(com|us|cn)\/\.default$/);
  });

  it('Custom takes both endpoints and derives the ARM scope, trimming trailing slashes', () => {
    expect(
      resolveCloud({
        cloud: 'Custom',
        armEndpoint: 'https://127.0.0.1:8443/',
        authorityHost: ' https://127.0.0.1:8443/login/ ',
      }),
    ).toEqual({
      name: 'Custom',
      armEndpoint: 'https://127.0.0.1:8443',
      authorityHost: 'https://127.0.0.1:8443/login',
      armScope: 'https://127.0.0.1:8443/.default',
    });
  });

  it('Custom keeps an ML scope when given', () => {
    const cloud = resolveCloud({
      cloud: 'custom',
      armEndpoint: 'https://arm.local',
      authorityHost: 'https://login.local',
      mlScope: 'https://ml.local/.default',
    });
    expect(cloud.mlScope).toBe('https://ml.local/.default');
  });

  it.each([
    [{ cloud: 'Custom', authorityHost: 'https://login.local' }, 'arm-endpoint', /needs 'arm-endpoint'/],
    [{ cloud: 'Custom', armEndpoint: 'https://arm.local' }, 'authority-host', /needs 'authority-host'/],
    [
      { cloud: 'Custom', armEndpoint: 'http://arm.local', authorityHost: 'https://login.local' },
      'arm-endpoint',
      /does not use https/,
    ],
    [
      { cloud: 'Custom', armEndpoint: 'https://arm.local', authorityHost: 'http://login.local' },
      'authority-host',
      /does not use https/,
    ],
    [
      { cloud: 'Custom', armEndpoint: 'arm.local', authorityHost: 'https://login.local' },
      'arm-endpoint',
      /is not a URL/,
    ],
    [
      { cloud: 'Custom', armEndpoint: 'https://arm.local?x=1', authorityHost: 'https://login.local' },
      'arm-endpoint',
      /plain endpoint/,
    ],
    [
      { cloud: 'AzureCloud', armEndpoint: 'https://arm.local' },
      'arm-endpoint',
      /only used with cloud 'Custom'/,
    ],
    [
      { cloud: 'AzureChinaCloud', authorityHost: 'https://login.local' },
      'authority-host',
      /only used with cloud 'Custom'/,
    ],
    [{ cloud: 'Mars' }, 'cloud', /'Mars' is not a known cloud/],
  ])('rejects %j naming input %s', (options, input, message) => {
    let caught: unknown;
    try {
      resolveCloud(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).input).toBe(input);
    expect((caught as ConfigurationError).message).toMatch(message);
  });
});
