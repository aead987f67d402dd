import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress, COMPRESS_IN_THREAD_BYTES, CONTENT_CODINGS } from './compress.ts';

const decompress = { br: brotliDecompressSync, gzip: gunzipSync } as const;

/** A JSON-like body of about `bytes`, repetitive the way objects answers are. */
function body(bytes: number): Buffer {
  const item = '{"kind":"Pod","metadata":{"name":"dice-roller-6f7c9","namespace":"default"}},';
  return Buffer.from(`[${item.repeat(Math.ceil(bytes / item.length))}{}]`);
}

describe('compress', () => {
  for (const coding of CONTENT_CODINGS) {
    it.each([
      ['in thread', 4 * 1024],
      ['on the thread pool', COMPRESS_IN_THREAD_BYTES * 2],
    ])(`round-trips %s in ${coding}, smaller than the body`, async (_where, bytes) => {
      const plain = body(bytes);
      const packed = await compress(plain, coding);
      expect(packed.length).toBeLessThan(plain.length / 4);
      expect(decompress[coding](packed).equals(plain)).toBe(true);
    });
  }

  it('returns a promise even for in-thread work, so callers never see it throw', () => {
    const pending = compress(body(2048), 'br');
    expect(pending).toBeInstanceOf(Promise);
    return pending;
  });
});
