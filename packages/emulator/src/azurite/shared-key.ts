// Storage SharedKey request signing (Blob service, version 2015-02-21 and later), enough to
// create containers in Azurite without pulling in @azure/storage-blob.
import { createHmac } from 'node:crypto';

export interface SharedKeyRequest {
  method: string;
  url: URL;
  /** Header names in any case; values as sent. */
  headers: Record<string, string>;
}

const STANDARD_HEADERS = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
];

export function sharedKeyStringToSign(accountName: string, request: SharedKeyRequest): string {
  const headers = new Map(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const standard = STANDARD_HEADERS.map((name) => {
    const value = headers.get(name) ?? '';
    // Since 2015-02-21 a zero Content-Length is signed as the empty string.
    return name === 'content-length' && value === '0' ? '' : value;
  });
  const canonicalHeaders = [...headers.entries()]
    .filter(([name]) => name.startsWith('x-ms-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join('');
  const parameters = new Map<string, string[]>();
  for (const [name, value] of request.url.searchParams) {
    const key = name.toLowerCase();
    parameters.set(key, [...(parameters.get(key) ?? []), value]);
  }
  const canonicalQuery = [...parameters.keys()]
    .sort()
    .map((name) => `\n${name}:${(parameters.get(name) ?? []).sort().join(',')}`)
    .join('');
  const canonicalResource = `/${accountName}${request.url.pathname}${canonicalQuery}`;
  const standardLines = [request.method.toUpperCase(), ...standard].join('\n');
  return `${standardLines}\n${canonicalHeaders}${canonicalResource}`;
}

/** The `Authorization` header value: `SharedKey <account>:<base64 HMAC-SHA256>`. */
export function sharedKeyAuthorization(
  accountName: string,
  accountKey: string,
  request: SharedKeyRequest,
): string {
  const signature = createHmac('sha256', Buffer.from(accountKey, 'base64'))
    .update(sharedKeyStringToSign(accountName, request), 'utf8')
    .digest('base64');
  return `SharedKey ${accountName}:${signature}`;
}
