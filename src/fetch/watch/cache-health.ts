import type { CacheStats } from './cache-stats.ts';

export interface CacheHealth {
  status: 'ok' | 'degraded';
  message?: string;
  /** Per cluster: informers, how many are synced, stale or refused, objects and approximate bytes. */
  clusters: Record<
    string,
    { informers: number; synced: number; stale: number; refused: number; objects: number; bytes: number }
  >;
}

/**
 * The `/healthz` entry for the watch cache: `degraded` while any watch is down past the staleness bound
 * (those queries are answered live, so nothing is wrong for users, but the API servers get the load).
 * Holds names and counts only, never an error text.
 *
 * @example
 *   health.register('watchCache', () => cacheHealth(watchFetcher.cacheStats()));
 */
export function cacheHealth(stats: readonly CacheStats[]): CacheHealth {
  const clusters: CacheHealth['clusters'] = {};
  for (const s of stats) {
    const c = (clusters[s.cluster] ??= {
      informers: 0,
      synced: 0,
      stale: 0,
      refused: 0,
      objects: 0,
      bytes: 0,
    });
    c.informers++;
    c.synced += Number(s.synced);
    c.stale += Number(s.stale);
    c.refused += Number(s.failureStatus !== undefined);
    c.objects += s.objects;
    c.bytes += s.approxBytes;
  }
  const stale = stats.filter((s) => s.stale);
  if (stale.length === 0) return { status: 'ok', clusters };
  const which = stale.slice(0, 5).map((s) => `${s.cluster} ${s.resource}`);
  const more = stale.length > 5 ? ` and ${stale.length - 5} more` : '';
  return {
    status: 'degraded',
    message: `watch down past the staleness bound: ${which.join(', ')}${more}`,
    clusters,
  };
}
