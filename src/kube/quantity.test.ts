import { describe, expect, it } from 'vitest';
import { parseQuantity } from './quantity.ts';

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['1', 1],
    ['1.5', 1.5],
    ['100000000n', 0.1],
    ['128Mi', 134217728],
    ['1Gi', 1073741824],
    ['1G', 1e9],
    ['100Ki', 102400],
    ['1e3', 1000],
  ])('%s → %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it.each(['', 'abc', '12XB', '1..2'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});
