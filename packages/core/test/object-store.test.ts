// The pure parts of the object store layer: URL parsing, key safety, prefixes, redaction and
// the error every store raises.

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AzureRequestError, ConfigurationError } from '../src/errors';
import {
  destroyOnAbort,
  isDigestRejection,
  ObjectStoreError,
  parseObjectUrl,
  redactSecrets,
  relativeKey,
  responseText,
  safeListPrefix,
  safeRelativeKey,
  singleHeader,
  stripUrlSecrets,
  xmlElementText,
} from '../src/storage/object-stores/object-store';

describe('parseObjectUrl', () => {
  it.each([
    ['s3://models', { kind: 's3', bucket: 'models', prefix: '' }],
    ['s3://my.bucket-1/runs/42/model', { kind: 's3', bucket: 'my.bucket-1', prefix: 'runs/42/model' }],
    ['s3://models/folder/', { kind: 's3', bucket: 'models', prefix: 'folder/' }],
    ['s3://models/with space/modèle', { kind: 's3', bucket: 'models', prefix: 'with space/modèle' }],
    ['gs://ml_artifacts/exports/v1', { kind: 'gcs', bucket: 'ml_artifacts', prefix: 'exports/v1' }],
    [
      'https://acct01.blob.core.windows.net/models/runs/a%20b/model.pkl',
      {
        kind: 'azure-blob',
        account: 'acct01',
        container: 'models',
        prefix: 'runs/a b/model.pkl',
        serviceUrl: 'https://acct01.blob.core.windows.net',
      },
    ],
    [
      'https://acct01.blob.core.chinacloudapi.cn/models',
      {
        kind: 'azure-blob',
        account: 'acct01',
        container: 'models',
        prefix: '',
        serviceUrl: 'https://acct01.blob.core.chinacloudapi.cn',
      },
    ],
    [
      'http://127.0.0.1:10000/devstoreaccount1/azureml/exports/',
      {
        kind: 'azure-blob',
        account: 'devstoreaccount1',
        container: 'azureml',
        prefix: 'exports/',
        serviceUrl: 'http://127.0.0.1:10000/devstoreaccount1',
      },
    ],
    ['/tmp/models', { kind: 'local', path: '/tmp/models', prefix: '' }],
    ['./outputs/model', { kind: 'local', path: './outputs/model', prefix: '' }],
    ['C:\\models', { kind: 'local', path: 'C:\\models', prefix: '' }],
    ['file:///tmp/my%20models', { kind: 'local', path: '/tmp/my models', prefix: '' }],
  ])('parses %s', (url, expected) => {
    expect(parseObjectUrl(url)).toEqual(expected);
  });

  it('keeps a SAS token apart from the prefix', () => {
    const parsed = parseObjectUrl('https://acct01.blob.core.windows.net/models/p?sv=2022-11-02&sig=abc%2F');
    expect(parsed).toMatchObject({ kind: 'azure-blob', prefix: 'p', sasToken: 'sv=2022-11-02&sig=abc%2F' });
  });

  it.each([
    ['', /empty/],
    ['s3://', /valid S3 bucket/],
    ['s3://UPPER/x', /valid S3 bucket/],
    ['s3://ab', /valid S3 bucket/],
    ['gs://-bad-/x', /valid GCS bucket/],
    ['s3://models/../etc', /"\." or "\.\." segment/],
    ['gs://models/a/./b', /"\." or "\.\." segment/],
    ['https://example.com/models/x', /not an Azure Blob Storage URL/],
    ['https://acct01.blob.core.windows.net/', /account and container/],
    ['https://acct01.blob.core.windows.net/Bad_Container/x', /account and container/],
    ['ftp://host/path', /unsupported scheme/],
    ['azureml://datastores/x/paths/y', /unsupported scheme/],
  ])('rejects %j', (url, message) => {
    expect(() => parseObjectUrl(url)).toThrow(ConfigurationError);
    expect(() => parseObjectUrl(url)).toThrow(message);
  });

  it('never repeats a SAS signature in its errors', () => {
    try {
      parseObjectUrl('https://example.com/models/x?sig=SECRETSIG');
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('SECRETSIG');
    }
  });
});

describe('safeRelativeKey', () => {
  it.each([
    ['', 'model.pkl', 'model.pkl'],
    ['runs/1', 'model.pkl', 'runs/1/model.pkl'],
    ['runs/1/', 'dir/model.pkl', 'runs/1/dir/model.pkl'],
    ['', 'a..b/c...', 'a..b/c...'],
    ['p', 'with space/modèle ✓.txt', 'p/with space/modèle ✓.txt'],
  ])('joins %j and %j', (prefix, key, expected) => {
    expect(safeRelativeKey(prefix, key)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['../secret', /"\." or "\.\." segment/],
    ['a/../../b', /"\." or "\.\." segment/],
    ['a\\..\\b', /"\." or "\.\." segment/],
    ['./a', /"\." or "\.\." segment/],
    ['a/..', /"\." or "\.\." segment/],
    ['/etc/passwd', /absolute/],
    ['\\\\server\\share', /absolute/],
    ['C:/Windows', /absolute/],
    ['a\0b', /NUL/],
  ])('rejects %j', (key, message) => {
    expect(() => safeRelativeKey('prefix', key)).toThrow(ConfigurationError);
    expect(() => safeRelativeKey('prefix', key)).toThrow(message);
  });
});

describe('list prefixes and relative keys', () => {
  it.each([
    ['', '', ''],
    ['root', '', 'root/'],
    ['root', 'dir/', 'root/dir/'],
    ['root', 'di', 'root/di'],
    ['', 'dir/sub', 'dir/sub'],
  ])('root %j and prefix %j list %j', (root, prefix, expected) => {
    expect(safeListPrefix(root, prefix)).toBe(expected);
  });

  it('rejects an escaping list prefix', () => {
    expect(() => safeListPrefix('root', '../other/')).toThrow(ConfigurationError);
  });

  it.each([
    ['root', 'root/a/b', 'a/b'],
    ['root/', 'root/a', 'a'],
    ['', 'a/b', 'a/b'],
  ])('relativeKey(%j, %j) is %j', (root, key, expected) => {
    expect(relativeKey(root, key)).toBe(expected);
  });
});

describe('redaction', () => {
  it.each([
    ['https://a.blob.core.windows.net/c/p?sv=1&sig=x', 'https://a.blob.core.windows.net/c/p'],
    ['https://user:pass@host/p', 'https://host/p'],
    ['s3://bucket/key', 's3://bucket/key'],
  ])('stripUrlSecrets(%j)', (url, expected) => {
    expect(stripUrlSecrets(url)).toBe(expected);
  });

  it('removes signatures and authorization values from service messages', () => {
    const text = redactSecrets(
      'failed for https://a.blob.core.windows.net/c/p?sv=2022&sig=SECRET1&se=2030 Authorization: Bearer SECRET2',
    );
    expect(text).not.toMatch(/SECRET1|SECRET2/);
    expect(text).toContain('https://a.blob.core.windows.net/c/p?sv=REDACTED');
  });
});

describe('ObjectStoreError', () => {
  it('names the store, the operation and the key, and is an AzureRequestError', () => {
    const error = new ObjectStoreError({
      store: 's3://models/root',
      operation: 'read',
      key: 'dir/model.pkl',
      status: 403,
      code: 'AccessDenied',
      serviceMessage: 'Access Denied',
      requestId: 'R1',
    });
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error.message).toBe(
      'read s3://models/root/dir/model.pkl failed with 403 AccessDenied: Access Denied (request id R1)',
    );
    expect(error).toMatchObject({ store: 's3://models/root', operation: 'read', key: 'dir/model.pkl' });
    expect(error.transient).toBe(false);
  });

  it.each([
    [0, true],
    [429, true],
    [503, true],
    [404, false],
  ])('status %i is transient: %s', (status, transient) => {
    expect(new ObjectStoreError({ store: 'gs://b', operation: 'list', key: '', status }).transient).toBe(
      transient,
    );
  });

  it('redacts secrets from the service message', () => {
    const error = new ObjectStoreError({
      store: 'https://a.blob.core.windows.net/c',
      operation: 'write',
      key: 'k',
      status: 403,
      serviceMessage: 'Signature did not match for ?sig=TOPSECRET',
    });
    expect(error.message).not.toContain('TOPSECRET');
  });
});

describe('isDigestRejection', () => {
  const storeError = (status: number, code: string | undefined, serviceMessage: string) =>
    new ObjectStoreError({ store: 's3://b', operation: 'write', key: 'k', status, code, serviceMessage });

  it('knows S3, Azure and Azurite refusing a Content-MD5', () => {
    expect(
      isDigestRejection(storeError(400, 'BadDigest', 'The Content-MD5 you specified did not match')),
    ).toBe(true);
    expect(
      isDigestRejection(
        storeError(400, 'Md5Mismatch', 'The MD5 value specified in the request did not match'),
      ),
    ).toBe(true);
    expect(isDigestRejection(storeError(400, 'InvalidOperation', "Provided contentMD5 doesn't match."))).toBe(
      true,
    );
  });

  it('does not take other failures for one', () => {
    expect(isDigestRejection(storeError(500, 'BadDigest', 'internal'))).toBe(false);
    expect(isDigestRejection(storeError(400, 'InvalidArgument', 'bad header'))).toBe(false);
    expect(isDigestRejection(new Error('BadDigest'))).toBe(false);
    expect(isDigestRejection(undefined)).toBe(false);
  });
});

describe('service answers read by the stores', () => {
  it('takes the first element of an XML error, entities decoded, and only single headers', async () => {
    const xml =
      '<Error><Code>SlowDown</Code><Message>Reduce &amp; retry &lt;soon&gt;</Message><Code>x</Code></Error>';
    expect(xmlElementText(xml, 'Code')).toBe('SlowDown');
    expect(xmlElementText(xml, 'Message')).toBe('Reduce & retry <soon>');
    expect(xmlElementText(xml, 'RequestId')).toBeUndefined();
    expect(singleHeader({ etag: '"abc"', 'set-cookie': ['a', 'b'] }, 'etag')).toBe('"abc"');
    expect(singleHeader({ 'set-cookie': ['a', 'b'] }, 'set-cookie')).toBeUndefined();
    expect(await responseText(Readable.from([Buffer.from('<Er'), 'ror/>']))).toBe('<Error/>');
  });

  it('destroys a request with the abort reason, once, and not after disposal', () => {
    const destroyed: (Error | undefined)[] = [];
    const request = { destroy: (error?: Error) => destroyed.push(error) };
    const controller = new AbortController();
    const dispose = destroyOnAbort(request, controller.signal);
    controller.abort(new Error('stop'));
    controller.abort(new Error('again'));
    expect(destroyed.map((e) => e?.message)).toEqual(['stop']);

    const later = new AbortController();
    destroyOnAbort(request, later.signal)();
    later.abort(new Error('after dispose'));
    expect(destroyed).toHaveLength(1);
    dispose();

    const already = AbortSignal.abort('not an error');
    destroyOnAbort(request, already);
    expect(destroyed.at(-1)?.message).toBe('The operation was aborted.');
  });
});
