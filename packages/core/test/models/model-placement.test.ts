import { describe, expect, it } from 'vitest';
import { splitContainerUrl } from '../../src/models/model-placement';

describe('splitContainerUrl', () => {
  const cases: { name: string; url: string; containerUrl: string; prefix: string }[] = [
    {
      name: 'host-style folder',
      url: 'https://regacct.blob.core.windows.net/shared-ml-models/churn/3/',
      containerUrl: 'https://regacct.blob.core.windows.net/shared-ml-models',
      prefix: 'churn/3',
    },
    {
      name: 'host-style container root',
      url: 'https://regacct.blob.core.windows.net/shared-ml-models',
      containerUrl: 'https://regacct.blob.core.windows.net/shared-ml-models',
      prefix: '',
    },
    {
      name: 'host-style, other cloud, query dropped',
      url: 'https://acct.blob.core.chinacloudapi.cn/models/a/b?sv=2023&sig=secret',
      containerUrl: 'https://acct.blob.core.chinacloudapi.cn/models',
      prefix: 'a/b',
    },
    {
      name: 'path-style Azurite on 127.0.0.1',
      url: 'http://127.0.0.1:10000/devstoreaccount1/registry-models/LocalUpload/abc/',
      containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/registry-models',
      prefix: 'LocalUpload/abc',
    },
    {
      name: 'path-style on localhost',
      url: 'http://localhost:10000/devstoreaccount1/c/x/y.bin',
      containerUrl: 'http://localhost:10000/devstoreaccount1/c',
      prefix: 'x/y.bin',
    },
    {
      name: 'path-style on IPv6 loopback',
      url: 'http://[::1]:10000/devstoreaccount1/c/x',
      containerUrl: 'http://[::1]:10000/devstoreaccount1/c',
      prefix: 'x',
    },
    {
      name: 'path-style on host.docker.internal (as @azure/storage-blob reads it)',
      url: 'http://host.docker.internal:10000/devstoreaccount1/c/x',
      containerUrl: 'http://host.docker.internal:10000/devstoreaccount1/c',
      prefix: 'x',
    },
    {
      name: 'path-style container root',
      url: 'http://127.0.0.1:10000/devstoreaccount1/c',
      containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/c',
      prefix: '',
    },
    {
      name: 'encoded names are decoded in the prefix only',
      url: 'https://acct.blob.core.windows.net/models/my%20model/v%2B1/%C3%A9t%C3%A9',
      containerUrl: 'https://acct.blob.core.windows.net/models',
      prefix: 'my model/v+1/été',
    },
    {
      name: 'an encoded slash is a slash of the blob name',
      url: 'http://127.0.0.1:10000/devstoreaccount1/c/a%2Fb/c',
      containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/c',
      prefix: 'a/b/c',
    },
    {
      name: 'unencoded spaces are encoded by URL parsing, then decoded',
      url: 'https://acct.blob.core.windows.net/models/my model/file.txt',
      containerUrl: 'https://acct.blob.core.windows.net/models',
      prefix: 'my model/file.txt',
    },
  ];
  it.each(cases)('$name', ({ url, containerUrl, prefix }) => {
    expect(splitContainerUrl(url)).toEqual({ containerUrl, prefix });
  });

  const invalid: { name: string; url: string; message: RegExp }[] = [
    {
      name: 'a host-style URL without a container',
      url: 'https://acct.blob.core.windows.net/',
      message: /^'https:\/\/acct\.blob\.core\.windows\.net\/' names no blob container\.$/,
    },
    {
      name: 'a path-style URL with only the account',
      url: 'http://127.0.0.1:10000/devstoreaccount1?sig=secret',
      message: /^'http:\/\/127\.0\.0\.1:10000\/devstoreaccount1' names no blob container\.$/,
    },
  ];
  it.each(invalid)('rejects $name (without echoing the query)', ({ url, message }) => {
    expect(() => splitContainerUrl(url)).toThrow(message);
  });

  it('rejects text that is not a URL', () => {
    expect(() => splitContainerUrl('not a url')).toThrow(TypeError);
  });
});
