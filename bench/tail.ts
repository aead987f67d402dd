import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** One timed answer: when it was sent (`performance.now()`), how long it took, and what came just before. */
export interface TimedAnswer {
  at: number;
  ms: number;
  /** The query before it was a component's first answer (built, serialized and compressed then). */
  afterFirst: boolean;
}

/** What the slowest answers (at or above p99) overlapped: the sequential tail, taken apart. */
export interface TailCauses {
  answers: number;
  /** Overlapped a garbage collection (any kind: scavenge, mark-compact, incremental marking step). */
  duringGc: number;
  /** Came right after a first answer and overlapped no collection. */
  afterFirst: number;
}

/** The answers at or above `p99`, and how many of them a GC or a just-built answer explains. */
export function tailCauses(
  answers: readonly TimedAnswer[],
  gcs: readonly Pick<PerformanceEntry, 'startTime' | 'duration'>[],
  p99: number,
): TailCauses {
  const slowest = answers.filter((a) => a.ms >= p99);
  const inGc = (a: TimedAnswer) =>
    gcs.some((gc) => gc.startTime < a.at + a.ms && gc.startTime + gc.duration > a.at);
  const duringGc = slowest.filter(inGc).length;
  const afterFirst = slowest.filter((a) => !inGc(a) && a.afterFirst).length;
  return { answers: slowest.length, duringGc, afterFirst };
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
