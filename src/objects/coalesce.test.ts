import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce.ts';

describe('Coalescer', () => {
  it('shares one in-flight call per key and forgets it once settled', async () => {
    const coalescer = new Coalescer<number>();
    let calls = 0;
    let release: (n: number) => void = () => {};
    const work = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const a = coalescer.run('k', work);
    const b = coalescer.run('k', work);
    const other = coalescer.run('other', async () => 7);
    release(42);
    expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
    expect(calls).toBe(1);
    expect(coalescer.size).toBe(0);
    await coalescer.run('k', async () => 1);
    expect(calls).toBe(1);
  });

  it('forgets a failed call so the next one retries', async () => {
    const coalescer = new Coalescer<number>();
    await expect(coalescer.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await coalescer.run('k', async () => 3)).toBe(3);
  });
});
