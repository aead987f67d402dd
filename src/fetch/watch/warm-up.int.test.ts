import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters } from '../../../test/helpers/clusters.ts';
import { AuthDispatcher, defaultAuthStrategies } from '../../auth/dispatch.ts';
import { StaticClusterSupplier } from '../../clusters/config-supplier.ts';
import { AUTH_PROVIDER_KEY, type ClusterDetails } from '../../clusters/types.ts';
import { silentLogger } from '../../shared/logger.ts';
import { ClusterConnections } from '../connection.ts';
import { startWarmUp } from './warm-up.ts';
import { WatchFetcher } from './watch-fetcher.ts';

const { alpha } = testClusters();

const cluster = (name: string, url: string, token: string): ClusterDetails => ({
  name,
  url,
  caData: alpha.info.caData,
  authMetadata: { [AUTH_PROVIDER_KEY]: 'serviceAccount', serviceAccountToken: token },
  skipTLSVerify: false,
  skipMetricsLookup: true,
  timeoutMs: 5000,
  mode: 'watch',
});

describe('startWarmUp', () => {
  // A port that accepts TCP and never answers: its informers cannot settle.
  let silent: Server;
  let silentUrl = '';
  const sockets = new Set<Socket>();
  const connections = new ClusterConnections();
  const watch = new WatchFetcher({ connections, logger: silentLogger() });

  beforeAll(async () => {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    silentUrl = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    // A request stuck in a TLS handshake is not ended by stop() (it waits ~70 s): refuse, then cut it.
    silent.close();
    for (const socket of sockets) socket.destroy();
    await watch.stop();
    await connections.close();
  });

  it('is not ready while a watched cluster syncs, then ready with each cluster synced or timed out, for good', async () => {
    const readiness = startWarmUp({
      clusters: new StaticClusterSupplier([
        cluster('alpha', alpha.info.url, alpha.info.readonlyToken),
        cluster('silent', silentUrl, 'x'),
        { ...cluster('live', alpha.info.url, alpha.info.readonlyToken), mode: 'live' },
      ]),
      auth: new AuthDispatcher(defaultAuthStrategies({})),
      watch,
      customResources: [],
      logger: silentLogger(),
      deadlineMs: 3000,
    });
    const seen: string[] = [];
    const deadline = Date.now() + 10_000;
    let report = readiness.report();
    while (!report.ready && Date.now() < deadline) {
      seen.push(JSON.stringify(report.clusters));
      await new Promise((r) => setTimeout(r, 50));
      report = readiness.report();
    }
    // While waiting: alpha synced first, the silent cluster still holding readiness back.
    expect(seen).toContain(JSON.stringify({ alpha: 'synced', silent: 'syncing' }));
    expect(report).toEqual({ ready: true, clusters: { alpha: 'synced', silent: 'timed out' } });
    // The silent cluster never answers; readiness does not go back on it.
    await new Promise((r) => setTimeout(r, 500));
    expect(readiness.report().ready).toBe(true);
  });
});
