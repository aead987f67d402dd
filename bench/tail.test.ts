import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runQueueWaitMs, tailCauses } from './tail.ts';

describe('tailCauses', () => {
  const answers = [
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ at: i / 2, ms: 0.3, waitMs: 0, afterFirst: false })),
    { at: 10, ms: 2, waitMs: 1.5, afterFirst: false }, // a GC from 11 to 12
    { at: 20, ms: 1.5, waitMs: 0, afterFirst: true }, // no GC, no wait
    { at: 25, ms: 1.5, waitMs: 1, afterFirst: true }, // waited for a CPU, after a first answer
    { at: 30, ms: 1.8, waitMs: 0, afterFirst: true }, // a GC from 29 to 30.5
    { at: 40, ms: 1.6, waitMs: 0.1, afterFirst: false }, // a GC ended just before it; on CPU
    { at: 50, ms: 1.7, waitMs: 1.2, afterFirst: false }, // waited for a CPU
  ];
  const gcs = [
    { startTime: 11, duration: 1 },
    { startTime: 29, duration: 1.5 },
    { startTime: 38, duration: 2 },
  ];

  it('counts the slowest answers a collection overlapped, then those that waited for a CPU, then those after a first answer', () => {
    expect(tailCauses(answers, gcs, 1.5)).toEqual({
      answers: 6,
      duringGc: 2,
      afterFirst: 1,
      waitedForCpu: 2,
    });
  });

  it('counts nothing below p99', () => {
    expect(tailCauses(answers, gcs, 5)).toEqual({
      answers: 0,
      duringGc: 0,
      afterFirst: 0,
      waitedForCpu: 0,
    });
  });
});

describe('runQueueWaitMs', () => {
  it.runIf(process.platform === 'linux')(
    'counts the time this thread was runnable with no CPU free',
    async () => {
      // A spinning worker per core, and this thread spinning too: the scheduler must make someone wait.
      const spin = 'const until = Date.now() + 300; while (Date.now() < until);';
      const workers = Array.from({ length: availableParallelism() }, () => new Worker(spin, { eval: true }));
      const before = runQueueWaitMs();
      const until = performance.now() + 250;
      while (performance.now() < until);
      const waited = runQueueWaitMs() - before;
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
      expect(waited).toBeGreaterThan(1);
      expect(waited).toBeLessThan(250);
    },
  );
});
