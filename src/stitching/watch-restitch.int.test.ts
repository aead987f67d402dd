import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackstageFixture } from '../../test/helpers/backstage.ts';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { componentEntity, groupEntity } from '../../test/helpers/entities.ts';
import type { WatchFetcher } from '../fetch/watch/watch-fetcher.ts';
import { silentLogger } from '../shared/logger.ts';
import { openStore } from '../store/index.ts';
import type { TopologyStore } from '../store/types.ts';
import type { Scraper } from './scraper.ts';
import { backstageWithServices, scraperConfig, serviceObject, testScraper, until } from './test-support.ts';

// In `watch` mode the Services come from the watch cache, and the leader follows their changes: a
// Service added or deleted is stitched again from the last catalog read, within seconds and without
// listing the cluster again or waiting for the interval.
const { alpha } = testClusters();
const ns = uniqueNamespace('stitch-watch');
const u = ns.slice(-6);
const first = `first-${u}`;
const later = `later-${u}`;

let backstage: BackstageFixture;
let store: TopologyStore;
let scraper: Scraper;
let watch: WatchFetcher;
let close: () => Promise<void>;

const services = async () => (await store.listServices({ namespace: ns })).map((l) => l.service);
const servicesStats = () =>
  watch.cacheStats().find((s) => s.cluster === 'alpha' && s.resource === 'core/v1/services');

beforeAll(async () => {
  backstage = await backstageWithServices(
    [
      groupEntity('team-a'),
      componentEntity(first, {
        'backstage.io/kubernetes-id': first,
        'backstage.io/kubernetes-namespace': ns,
      }),
      componentEntity(later, {
        'backstage.io/kubernetes-id': later,
        'backstage.io/kubernetes-namespace': ns,
      }),
    ],
    alpha,
    ns,
    [first],
  );
  store = await openStore({ client: 'sqlite', path: ':memory:' }, { logger: silentLogger() });
  const built = testScraper({
    config: scraperConfig({
      enabled: true,
      leaseTtlMs: 3000,
      instances: [
        {
          source: 'config',
          name: 'main',
          endpoint: backstage.url,
          token: backstage.token,
          insecureSkipVerify: false,
          labelMap: scraperConfig().labelMap,
        },
      ],
    }),
    store,
    clusters: [alpha.info],
    logger: silentLogger(),
    mode: 'watch',
    restitchDelayMs: 300,
  });
  ({ scraper, watch, close } = built);
});

afterAll(async () => {
  await close?.();
  await store?.close();
  await backstage?.close();
});

describe('watch mode', () => {
  it('stitches, then follows the Services of the watched cluster', async () => {
    scraper.start();
    await until('the first run', async () => (await store.listRuns({ limit: 1 })).length === 1);
    expect(await services()).toEqual([first]);
    await until('Service changes to be followed', async () => scraper.followedClusters().includes('alpha'));
  });

  it('stitches a new Service from the cache within seconds, reading neither the catalog nor the cluster again', async () => {
    await until('the cache to sync', async () => servicesStats()?.synced);
    const before = servicesStats();
    await alpha.client.create(serviceObject(ns, later));
    await until('the new Service to be stitched', async () => (await services()).includes(later), 10_000);
    const [run] = await store.listRuns({ limit: 1 });
    expect(run).toMatchObject({ instance: 'main', status: 'ok', counts: { catalogRequests: 0, links: 2 } });
    const after = servicesStats();
    expect(after?.servedLive).toBe(before?.servedLive);
    expect(after?.servedFromCache).toBeGreaterThan(before?.servedFromCache ?? 0);
  });

  it('drops the link of a deleted Service the same way', async () => {
    await alpha.client.delete(serviceObject(ns, first));
    await until(
      'the deleted Service to be unlinked',
      async () => !(await services()).includes(first),
      10_000,
    );
    expect(await services()).toEqual([later]);
    const report = await store.getReport({ instance: 'main' });
    expect(report.unmatchedComponents.map((c) => c.componentRef)).toContain(`component:default/${first}`);
  });
});
