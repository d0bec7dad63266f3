// multipart/related bodies, as GCS clients send `uploadType=multipart`: a JSON metadata part,
// then the media part. Binary-safe (the media part may hold any bytes).

export interface BodyPart {
  headers: Record<string, string>;
  body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match?.[1] ?? match?.[2];
}

/** The parts between `--boundary` delimiters; undefined when the body is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): BodyPart[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BodyPart[] = [];
  let start = body.indexOf(delimiter);
  if (start === -1) return undefined;
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, start);
    if (next === -1) return undefined;
    let part = body.subarray(start, next);
    if (part.subarray(0, 2).toString() === '\r\n') part = part.subarray(2);
    if (part.subarray(-2).toString() === '\r\n') part = part.subarray(0, -2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headerText = headerEnd === -1 ? '' : part.subarray(0, headerEnd).toString('utf8');
    const headers: Record<string, string> = {};
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: headerEnd === -1 ? part : part.subarray(headerEnd + 4) });
    start = next;
  }
}
