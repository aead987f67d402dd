import type { CacheStats } from './cache-stats.ts';

/** One informer's stats for unit tests: a synced, watching, healthy `alpha` pods cache unless overridden. */
export const cacheStat = (overrides: Partial<CacheStats> = {}): CacheStats => ({
  cluster: 'alpha',
  resource: 'core/v1/pods',
  objects: 0,
  approxBytes: 0,
  synced: true,
  watching: true,
  forbidden: false,
  stale: false,
  watchRestarts: 0,
  relists: 0,
  servedFromCache: 0,
  servedLive: 0,
  subscribers: 0,
  ...overrides,
});
