import { describe, expect, it } from 'vitest';
import { LISTING_HASH_VERSION, type ListedFile, listingHash } from '../../src/models/content-hash';

const files: ListedFile[] = [
  { relativePath: 'MLmodel', size: 312, checksum: 'md5:6f1c2d3e4a5b4c6d8e9f0a1b2c3d4e5f' },
  { relativePath: 'conda.yaml', size: 120, checksum: 'md5:00112233445566778899aabbccddeeff' },
  { relativePath: 'model/model.pkl', size: 1048576, checksum: '"0x8DC0A1B2C3D4E5F"' },
];
const reference = listingHash(files);

describe('listingHash', () => {
  it('is a SHA-256 hex digest, versioned', () => {
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
    expect(LISTING_HASH_VERSION).toBe('listing-v1');
  });

  it('is the same for the same listing in any order', () => {
    const [a, b, c] = files as [ListedFile, ListedFile, ListedFile];
    for (const order of [
      [c, b, a],
      [b, a, c],
      [a, c, b],
    ]) {
      expect(listingHash(order)).toBe(reference);
    }
  });

  it('does not sort the caller’s array', () => {
    const copy = [...files].reverse();
    listingHash(copy);
    expect(copy[0]?.relativePath).toBe('model/model.pkl');
  });

  const changes: { name: string; listing: ListedFile[] }[] = [
    { name: 'a size', listing: files.map((f, i) => (i === 0 ? { ...f, size: f.size + 1 } : f)) },
    {
      name: 'a checksum',
      listing: files.map((f, i) =>
        i === 1 ? { ...f, checksum: 'md5:ffeeddccbbaa99887766554433221100' } : f,
      ),
    },
    {
      name: 'a path',
      listing: files.map((f, i) => (i === 2 ? { ...f, relativePath: 'model/model2.pkl' } : f)),
    },
    {
      name: 'the case of a path',
      listing: files.map((f, i) => (i === 0 ? { ...f, relativePath: 'mlmodel' } : f)),
    },
    { name: 'a file fewer', listing: files.slice(1) },
    {
      name: 'a file more',
      listing: [
        ...files,
        { relativePath: 'README.md', size: 0, checksum: 'md5:d41d8cd98f00b204e9800998ecf8427e' },
      ],
    },
    {
      name: 'checksums moved between files',
      listing: files.map((f, i) => ({
        ...f,
        checksum: (files[(i + 1) % files.length] as ListedFile).checksum,
      })),
    },
  ];
  it.each(changes)('changes with $name', ({ listing }) => {
    expect(listingHash(listing)).not.toBe(reference);
  });

  it('tells an empty listing from a listing of one empty file', () => {
    expect(listingHash([])).not.toBe(listingHash([{ relativePath: '', size: 0, checksum: '' }]));
  });
});
