import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.ts';

function cache(options: { maxSize: number; ttlMs: number }) {
  let now = 0;
  const evicted: string[] = [];
  let made = 0;
  const c = new BoundedCache<string, string>({ ...options, now: () => now, onEvict: (v) => evicted.push(v) });
  const get = (key: string) => c.getOrCreate(key, () => `${key}#${++made}`);
  return { c, get, evicted, tick: (ms: number) => (now += ms) };
}

describe('BoundedCache', () => {
  it('builds once and reuses while young', () => {
    const { get, tick } = cache({ maxSize: 2, ttlMs: 1000 });
    expect(get('a')).toBe('a#1');
    tick(999);
    expect(get('a')).toBe('a#1');
  });

  it('rebuilds an entry once it is ttlMs old, releasing the old one', () => {
    const { get, tick, evicted } = cache({ maxSize: 2, ttlMs: 1000 });
    get('a');
    tick(1000);
    expect(get('a')).toBe('a#2');
    expect(evicted).toEqual(['a#1']);
  });

  it('drops the least recently used entry beyond maxSize', () => {
    const { c, get, evicted } = cache({ maxSize: 2, ttlMs: 60_000 });
    get('a');
    get('b');
    get('a');
    get('c');
    expect(evicted).toEqual(['b#2']);
    expect(c.size).toBe(2);
    expect(get('a')).toBe('a#1');
    expect(get('b')).toBe('b#4');
  });

  it('clear releases everything, with its own release when given', () => {
    const { c, get, evicted } = cache({ maxSize: 5, ttlMs: 60_000 });
    get('a');
    get('b');
    const released: string[] = [];
    c.clear((v) => released.push(v));
    expect({ released, evicted, size: c.size }).toEqual({ released: ['a#1', 'b#2'], evicted: [], size: 0 });
  });
});
