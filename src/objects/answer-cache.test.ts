import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AnswerCache, SerializedAnswer, serializeAnswer } from './answer-cache.ts';

const answer = (text: string) => new SerializedAnswer(Buffer.from(text));
const pod = { kind: 'Pod' };

describe('AnswerCache', () => {
  it('reuses an answer only for the same version, element by element, or the same stamp', () => {
    const cache = new AnswerCache(1024);
    const a = answer('a');
    cache.set('k', a, { version: [pod, 1], stamp: ['s', 1], clusters: ['alpha'] });
    expect(cache.get('k', [pod, 1])?.body).toBe(a.body);
    expect(cache.get('k', [{ kind: 'Pod' }, 1])).toBeUndefined();
    expect(cache.get('k', [pod])).toBeUndefined();
    expect(cache.getStamped('k', ['s', 1])?.etag).toBe(a.etag);
    expect(cache.getStamped('k', ['s', 2])).toBeUndefined();
    cache.set('unstamped', answer('b'), { version: [], clusters: [] });
    expect(cache.getStamped('unstamped', [])).toBeUndefined();
  });

  it('drops the least recently used answers past its bytes, and never keeps one larger than them', () => {
    const cache = new AnswerCache(4);
    cache.set('one', answer('11'), { version: [], clusters: [] });
    cache.set('two', answer('22'), { version: [], clusters: [] });
    cache.get('one', []);
    cache.set('three', answer('33'), { version: [], clusters: [] });
    expect(cache.get('two', [])).toBeUndefined();
    expect(cache.get('one', [])?.body.toString()).toBe('11');
    expect(cache.bytes).toBe(4);
    cache.set('big', answer('55555'), { version: [], clusters: [] });
    expect(cache.get('big', [])).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('drops every answer that asked a cluster, and only those', () => {
    const cache = new AnswerCache(1024);
    cache.set('both', answer('ab'), { version: [], clusters: ['alpha', 'beta'] });
    cache.set('beta', answer('b'), { version: [], clusters: ['beta'] });
    cache.set('alpha', answer('a'), { version: [], clusters: ['alpha'] });
    cache.dropCluster('alpha');
    expect(cache.get('both', [])).toBeUndefined();
    expect(cache.get('alpha', [])).toBeUndefined();
    expect(cache.get('beta', [])?.body.toString()).toBe('b');
    expect(cache.bytes).toBe(1);
  });
});

describe('SerializedAnswer', () => {
  const response = { items: [{ cluster: { name: 'alpha' }, resources: [], podMetrics: [], errors: [] }] };

  it('is the JSON of the answer, with a strong ETag of its bytes', () => {
    const serialized = serializeAnswer(response);
    expect(serialized.body.toString()).toBe(JSON.stringify(response));
    expect(serialized.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(serializeAnswer(structuredClone(response)).etag).toBe(serialized.etag);
    expect(serializeAnswer({ items: [] }).etag).not.toBe(serialized.etag);
  });

  it('compresses its body once per coding, to bytes that decode to the body exactly', async () => {
    const serialized = serializeAnswer(response);
    const br = serialized.encoded('br');
    expect(serialized.encoded('br')).toBe(br);
    expect(brotliDecompressSync(await br).equals(serialized.body)).toBe(true);
    expect(gunzipSync(await serialized.encoded('gzip')).equals(serialized.body)).toBe(true);
  });
});
