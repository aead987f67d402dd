import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize } from './size.ts';

describe('parseDuration', () => {
  it.each([
    [5000, 5000],
    ['500ms', 500],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 10 s ', 10_000],
    ['5000', 5000],
  ])('%j → %d ms', (input, ms) => expect(parseDuration(input)).toBe(ms));

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 'fast', '5 days', '0s', ''])(
    '%j is rejected',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );
});

describe('parseSize', () => {
  it.each([
    [1024, 1024],
    ['100kb', 102_400],
    ['1mb', 1_048_576],
    ['1MiB', 1_048_576],
    ['2048', 2048],
    ['1.5kb', 1536],
  ])('%j → %d bytes', (input, bytes) => expect(parseSize(input)).toBe(bytes));

  it.each([0, -5, 'big', '1tb', '0kb'])('%j is rejected', (input) =>
    expect(parseSize(input)).toBeUndefined(),
  );
});
