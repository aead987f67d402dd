import { ClusterConnections } from './connection.ts';
import { runFetcherContract } from './fetcher.contract.ts';
import { LiveFetcher } from './live-fetcher.ts';
import { WatchFetcher } from './watch/watch-fetcher.ts';
import { silentLogger } from '../shared/logger.ts';

runFetcherContract('LiveFetcher', () => {
  const connections = new ClusterConnections();
  return { mode: 'live', fetcher: new LiveFetcher(connections), close: () => connections.close() };
});

runFetcherContract('WatchFetcher', (options) => {
  const connections = new ClusterConnections();
  const watch = new WatchFetcher({
    connections,
    logger: silentLogger(),
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
    // Reconnect quickly in tests; the defaults are for production.
    informer: { backoff: { initialMs: 200, maxMs: 2000 } },
  });
  return {
    mode: 'watch',
    fetcher: watch,
    cacheStats: () => watch.cacheStats(),
    subscribe: (query, listener) => watch.subscribe(query, listener),
    close: async () => {
      await watch.stop();
      await connections.close();
    },
  };
});
