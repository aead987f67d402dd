import { describe, expect, it } from 'vitest';
import { parseDuration, parseHumanDuration } from './duration.ts';

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

describe('parseHumanDuration', () => {
  it.each([
    [{ milliseconds: 60_000 }, 60_000],
    [{ minutes: 1, seconds: 30 }, 90_000],
    [{ hours: '1' }, 3_600_000],
    ['60s', 60_000],
    [250, 250],
  ])('%j → %d ms', (input, ms) => expect(parseHumanDuration(input)).toBe(ms));

  it.each([{ days: 1 }, { seconds: -1 }, { seconds: 0 }, {}, null, ['1s'], 'soon'])(
    '%j is rejected',
    (input) => expect(parseHumanDuration(input)).toBeUndefined(),
  );
});
