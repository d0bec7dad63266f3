import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AZURITE_ACCOUNT_KEY } from '../src/azurite/azurite-process';
import { sharedKeyAuthorization, sharedKeyStringToSign } from '../src/azurite/shared-key';

describe('SharedKey signing', () => {
  const request = {
    method: 'put',
    url: new URL('http://127.0.0.1:10000/devstoreaccount1/azureml?restype=container&Comp=b&comp=a'),
    headers: {
      'X-MS-Version': '2021-12-02',
      'x-ms-date': 'Sun, 01 Jun 2025 12:00:00 GMT',
      'Content-Length': '0',
      'Content-Type': 'text/plain',
      'x-ms-meta-b': ' spaced ',
    },
  };

  it('builds the string to sign: verb, standard headers (zero length empty), x-ms headers, resource', () => {
    expect(sharedKeyStringToSign('devstoreaccount1', request)).toBe(
      [
        'PUT',
        '', // Content-Encoding
        '', // Content-Language
        '', // Content-Length 0 is signed empty
        '', // Content-MD5
        'text/plain',
        '', // Date
        '',
        '',
        '',
        '',
        '', // Range
        'x-ms-date:Sun, 01 Jun 2025 12:00:00 GMT',
        'x-ms-meta-b:spaced',
        'x-ms-version:2021-12-02',
        '/devstoreaccount1/devstoreaccount1/azureml',
        'comp:a,b',
        'restype:container',
      ].join('\n'),
    );
  });

  it('keeps a non-zero Content-Length', () => {
    const withBody = { ...request, headers: { ...request.headers, 'Content-Length': '12' } };
    expect(sharedKeyStringToSign('devstoreaccount1', withBody).split('\n')[3]).toBe('12');
  });

  it('signs with HMAC-SHA256 under the base64-decoded key', () => {
    const expected = createHmac('sha256', Buffer.from(AZURITE_ACCOUNT_KEY, 'base64'))
      .update(sharedKeyStringToSign('devstoreaccount1', request))
      .digest('base64');
    expect(sharedKeyAuthorization('devstoreaccount1', AZURITE_ACCOUNT_KEY, request)).toBe(
      `SharedKey devstoreaccount1:${expected}`,
    );
  });
});
