import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

const settings = { initialMs: 500, maxMs: 30_000 };

describe('backoffDelay', () => {
  it.each([
    [0, 250, 500],
    [1, 500, 1000],
    [2, 1000, 2000],
    [5, 8000, 16_000],
    [6, 15_000, 30_000],
    [60, 15_000, 30_000],
    [5000, 15_000, 30_000],
  ])('attempt %i waits between %i and %i ms', (attempt, low, high) => {
    expect(backoffDelay(attempt, settings, () => 0)).toBe(low);
    expect(backoffDelay(attempt, settings, () => 1)).toBe(high);
    const drawn = backoffDelay(attempt, settings);
    expect(drawn).toBeGreaterThanOrEqual(low);
    expect(drawn).toBeLessThanOrEqual(high);
  });

  it('spreads informers cut at the same moment', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, settings)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
