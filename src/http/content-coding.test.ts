import { describe, expect, it } from 'vitest';
import { buildTestServer } from './test-helpers.ts';
import { addVary, codedEtag, negotiateCoding } from './content-coding.ts';

describe('negotiateCoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=0.4, gzip;q=0.8', 'gzip'],
    ['br; q=1.0, gzip; q=1', 'br'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0.001', 'gzip'],
  ])('%s → %s', (header, coding) => {
    expect(negotiateCoding(header)).toBe(coding);
  });

  it.each([
    [undefined],
    [''],
    ['identity'],
    ['deflate, zstd'],
    ['br;q=0, gzip;q=0'],
    ['*;q=0'],
    ['gzip;q=1.5, br;q=-1'],
    ['gzip;q=abc'],
    ['g zip, b"r'],
  ])('%s → nothing', (header) => {
    expect(negotiateCoding(header)).toBeUndefined();
  });
});

describe('negotiateCoding, read once per header value', () => {
  it('answers the same for a header it read before, and past the bound of the values it keeps', () => {
    for (let i = 0; i < 200; i++) {
      // 200 values, gzip weighed from 0 to 0.995 against br's 0.5.
      expect(negotiateCoding(`gzip;q=0.${String(i * 5).padStart(3, '0')}, br;q=0.5`)).toBe(
        i * 5 > 500 ? 'gzip' : 'br',
      );
      expect(negotiateCoding('gzip, deflate, br, zstd')).toBe('br');
      expect(negotiateCoding('br;q=0, gzip')).toBe('gzip');
    }
  });
});

describe('codedEtag', () => {
  it('tags each coding apart, and leaves the identity tag as it is', () => {
    expect(codedEtag('"abc"', 'br')).toBe('"abc-br"');
    expect(codedEtag('"abc"', 'gzip')).toBe('"abc-gzip"');
    expect(codedEtag('"abc"', undefined)).toBe('"abc"');
  });
});

describe('addVary', () => {
  it('adds a field once, after what is there, and nothing to *', async () => {
    const server = await buildTestServer({});
    const seen: unknown[] = [];
    server.app.get('/vary', async (request, reply) => {
      const before = request.headers['x-vary'];
      if (typeof before === 'string') reply.header('vary', before);
      addVary(reply, 'Accept-Encoding');
      addVary(reply, 'accept-encoding');
      seen.push(reply.getHeader('vary'));
      return {};
    });
    for (const before of [undefined, 'Origin', 'Origin, Accept-Encoding', '*']) {
      await server.app.inject({ url: '/vary', headers: before === undefined ? {} : { 'x-vary': before } });
    }
    expect(seen).toEqual(['Accept-Encoding', 'Origin, Accept-Encoding', 'Origin, Accept-Encoding', '*']);
    await server.app.close();
  });
});
