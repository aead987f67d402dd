import { describe, expect, it } from 'vitest';
import { tailCauses } from './tail.ts';

describe('tailCauses', () => {
  const answers = [
    { at: 0, ms: 0.3, afterFirst: false },
    { at: 10, ms: 2, afterFirst: false }, // a GC from 11 to 12
    { at: 20, ms: 1.5, afterFirst: true }, // no GC
    { at: 30, ms: 1.8, afterFirst: true }, // a GC from 29 to 30.5
    { at: 40, ms: 1.6, afterFirst: false }, // a GC ended just before it
  ];
  const gcs = [
    { startTime: 11, duration: 1 },
    { startTime: 29, duration: 1.5 },
    { startTime: 38, duration: 2 },
  ];

  it('counts the slowest answers a collection overlapped, then those right after a first answer', () => {
    expect(tailCauses(answers, gcs, 1.5)).toEqual({ answers: 4, duringGc: 2, afterFirst: 1 });
  });

  it('counts nothing below p99', () => {
    expect(tailCauses(answers, gcs, 5)).toEqual({ answers: 0, duringGc: 0, afterFirst: 0 });
  });
});
