import { describe, expect, it } from 'vitest';
import { parseSize } from './size.ts';

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
