import { openSync, readSync } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { percentile } from './report.ts';

/** One timed answer: when it was sent (`performance.now()`), how long it took, and what came just before. */
export interface TimedAnswer {
  at: number;
  ms: number;
  /** Time this thread (client and server both) waited on the run queue during it: runnable, no CPU free. */
  waitMs: number;
  /** The query before it was a component's first answer (built, serialized and compressed then). */
  afterFirst: boolean;
}

/** What the slowest answers (at or above p99) overlapped: the sequential tail, taken apart, in this order. */
export interface TailCauses {
  answers: number;
  /** Overlapped a garbage collection (any kind: scavenge, mark-compact, incremental marking step). */
  duringGc: number;
  /**
   * Of the rest, those whose thread waited for a CPU for at least half their time above the median: the
   * two cores were taken (by the API servers, the etcds, the machine's other services, V8's own helper
   * threads), which no change to the answer path shortens.
   */
  waitedForCpu: number;
  /** Of the rest, those right after a component's first answer. */
  afterFirst: number;
}

/** The answers at or above `p99`, and how many of them a GC, a just-built answer or the machine explains. */
export function tailCauses(
  answers: readonly TimedAnswer[],
  gcs: readonly Pick<PerformanceEntry, 'startTime' | 'duration'>[],
  p99: number,
): TailCauses {
  const slowest = answers.filter((a) => a.ms >= p99);
  const inGc = (a: TimedAnswer) =>
    gcs.some((gc) => gc.startTime < a.at + a.ms && gc.startTime + gc.duration > a.at);
  const p50 = percentile(
    answers.map((a) => a.ms),
    50,
  );
  const waited = (a: TimedAnswer) => a.waitMs >= (a.ms - p50) / 2;
  const duringGc = slowest.filter(inGc).length;
  const waitedForCpu = slowest.filter((a) => !inGc(a) && waited(a)).length;
  const afterFirst = slowest.filter((a) => !inGc(a) && !waited(a) && a.afterFirst).length;
  return { answers: slowest.length, duringGc, afterFirst, waitedForCpu };
}

/** Records this thread's garbage collections from now until `stop()`, which returns them. */
export function recordGcs(): { stop: () => PerformanceEntry[] } {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      entries.push(...observer.takeRecords());
      observer.disconnect();
      return entries;
    },
  };
}

/**
 * How long this thread has waited on the run queue, in ms: the second field of
 * `/proc/thread-self/schedstat`, which the scheduler adds to each time the thread gets a CPU back, so a wait
 * that has ended is counted to the nanosecond (the first field, time on a CPU, moves only at scheduler ticks,
 * as `process.threadCpuUsage()` does). 0 where there is no such file.
 */
export function runQueueWaitMs(): number {
  if (schedFd === undefined) {
    try {
      schedFd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      schedFd = null;
    }
  }
  if (schedFd === null) return 0;
  const read = readSync(schedFd, schedBuffer, 0, schedBuffer.length, 0);
  return Number(schedBuffer.toString('latin1', 0, read).split(' ')[1] ?? 0) / 1e6;
}

let schedFd: number | null | undefined;
const schedBuffer = Buffer.alloc(128);
