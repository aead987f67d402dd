import { Counter, Gauge, type Registry } from 'prom-client';
import type { CacheStats } from './cache-stats.ts';

type Labels = 'cluster' | 'resource';

interface MetricOptions<M> {
  name: string;
  help: string;
  labelNames: readonly Labels[];
  registers: Registry[];
  collect: (this: M) => void;
}

/**
 * Watch-cache series for `/metrics`, read from `stats()` at each scrape (nothing is updated in between):
 *
 * - `stitchboard_watch_cache_objects`, `stitchboard_watch_cache_bytes` (JSON size of the slimmed objects),
 *   `stitchboard_watch_cache_synced` and `stitchboard_watch_cache_stale` (0/1), per cluster and resource
 * - `stitchboard_watch_subscribers`: open live-update subscriptions
 * - `stitchboard_watch_restarts_total`, `stitchboard_watch_relists_total`
 * - `stitchboard_watch_last_event_timestamp_seconds`
 * - `stitchboard_watch_cache_answers_total{source="cache"|"live"}`: how queries were answered
 *
 * @example
 *   registerCacheMetrics(metrics.registry, () => watchFetcher.cacheStats());
 */
export function registerCacheMetrics(registry: Registry, stats: () => readonly CacheStats[]): void {
  const registers = [registry];
  const labelNames = ['cluster', 'resource'] as const;
  /** A series per cache, rebuilt at each scrape: cleared, then `record` once per cluster and resource. */
  const perCache = <M extends Gauge<Labels> | Counter<Labels>>(
    Metric: new (config: MetricOptions<M>) => M,
    name: string,
    help: string,
    record: (metric: M, s: CacheStats) => void,
  ) =>
    new Metric({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const s of stats()) record(this, s);
      },
    });
  const gauge = (name: string, help: string, value: (s: CacheStats) => number | undefined) =>
    perCache(Gauge<Labels>, name, help, (g, s) => {
      const v = value(s);
      if (v !== undefined) g.set(labelsOf(s), v);
    });
  gauge('stitchboard_watch_cache_objects', 'Objects held by the watch cache', (s) => s.objects);
  gauge(
    'stitchboard_watch_cache_bytes',
    'Approximate JSON size of the objects held by the watch cache',
    (s) => s.approxBytes,
  );
  gauge('stitchboard_watch_cache_synced', '1 when a complete LIST is in the cache', (s) => Number(s.synced));
  gauge('stitchboard_watch_subscribers', 'Open live-update subscriptions', (s) => s.subscribers);
  gauge(
    'stitchboard_watch_cache_stale',
    '1 when the watch is down longer than the staleness bound (answered live)',
    (s) => Number(s.stale),
  );
  gauge(
    'stitchboard_watch_last_event_timestamp_seconds',
    'Time of the last watch event, bookmarks included',
    (s) => (s.lastEventAt === undefined ? undefined : s.lastEventAt / 1000),
  );
  const counter = (name: string, help: string, value: (s: CacheStats) => number) =>
    perCache(Counter<Labels>, name, help, (c, s) => c.inc(labelsOf(s), value(s)));
  counter(
    'stitchboard_watch_restarts_total',
    'Watches that broke and were reconnected',
    (s) => s.watchRestarts,
  );
  counter('stitchboard_watch_relists_total', 'LISTs after the first, e.g. on 410 Gone', (s) => s.relists);
  new Counter<Labels | 'source'>({
    name: 'stitchboard_watch_cache_answers_total',
    help: 'Per-type answers of watch-mode queries, from memory or live',
    labelNames: [...labelNames, 'source'],
    registers,
    collect() {
      this.reset();
      for (const s of stats()) {
        this.inc({ ...labelsOf(s), source: 'cache' }, s.servedFromCache);
        this.inc({ ...labelsOf(s), source: 'live' }, s.servedLive);
      }
    },
  });
}

function labelsOf(s: CacheStats) {
  return { cluster: s.cluster, resource: s.resource };
}
