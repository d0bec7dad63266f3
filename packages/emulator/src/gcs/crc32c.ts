// CRC32C (Castagnoli), the checksum GCS stores per object and its clients verify: big-endian
// bytes, base64, as in the `crc32c` field and the `x-goog-hash` header.

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continues a running CRC32C (start with 0) over `data`. */
export function crc32cUpdate(crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  for (const byte of data) c = (TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

export function crc32c(data: Uint8Array): number {
  return crc32cUpdate(0, data);
}

export function crc32cBase64(data: Uint8Array): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32c(data));
  return bytes.toString('base64');
}
