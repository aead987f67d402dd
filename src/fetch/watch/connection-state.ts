import type { ClusterConnectionState } from '../../contract/kubernetes.ts';
import type { CacheStats } from './cache-stats.ts';

/** Pure: one cluster's connection state from the stats of its informers (all of one cluster). */
export function connectionState(stats: readonly CacheStats[]): ClusterConnectionState {
  const forbidden = stats.filter((s) => s.forbidden).map((s) => s.resource);
  const watched = stats.filter((s) => !s.forbidden);
  const down = watched.flatMap((s) => (s.downSince !== undefined ? [s.downSince] : []));
  const syncing = watched.some((s) => !s.synced && s.failureStatus === undefined);
  const latest = stats
    .filter((s) => s.lastError !== undefined && s.lastErrorAt !== undefined)
    .sort((a, b) => (b.lastErrorAt ?? 0) - (a.lastErrorAt ?? 0))[0];
  const state: ClusterConnectionState = {
    state: stats.length === 0 ? 'idle' : down.length > 0 ? 'stale' : syncing ? 'syncing' : 'synced',
    watchRestarts: stats.reduce((sum, s) => sum + s.watchRestarts, 0),
    forbidden,
  };
  if (down.length > 0) state.since = new Date(Math.min(...down)).toISOString();
  if (latest?.lastError !== undefined && latest.lastErrorAt !== undefined) {
    state.lastError = {
      resource: latest.resource,
      message: latest.lastError,
      at: new Date(latest.lastErrorAt).toISOString(),
    };
  }
  return state;
}
