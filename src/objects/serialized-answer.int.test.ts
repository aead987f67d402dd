import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { component, labClusterDetails } from '../../test/helpers/engine.ts';
import { podObject } from '../../test/helpers/pod.ts';
import { AuthDispatcher, defaultAuthStrategies } from '../auth/dispatch.ts';
import { ClusterConnections } from '../fetch/connection.ts';
import { WatchFetcher } from '../fetch/watch/watch-fetcher.ts';
import { LiveFetcher } from '../fetch/live-fetcher.ts';
import type { ObjectFetcher } from '../fetch/types.ts';
import { multiTenant } from '../locate/service-locator.ts';
import { silentLogger } from '../shared/logger.ts';
import type { SerializedAnswer } from './answer-cache.ts';
import { KubernetesFanOut } from './fan-out.ts';

const { alpha, beta } = testClusters();
const ns = uniqueNamespace('answers');
const ID = 'backstage.io/kubernetes-id';
const entity = component('shop', { [ID]: ns });
const connections = new ClusterConnections();
const watch = new WatchFetcher({ connections, logger: silentLogger() });
const live = new LiveFetcher(connections);

/** The watch fetcher, counting the calls that select from its stores. */
const selections = { count: 0 };
const countedWatch: ObjectFetcher = {
  fetchObjects: (params) => {
    selections.count++;
    return watch.fetchObjects(params);
  },
  fetchPodMetrics: (params) => watch.fetchPodMetrics(params),
  answerStamp: (params) => watch.answerStamp(params),
};

const fanOut = (mode: 'watch' | 'live', labs = [alpha, beta]) =>
  new KubernetesFanOut({
    clusters: {
      getClusters: async () => labs.map((c) => labClusterDetails(c.info, { timeoutMs: 10_000, mode })),
    },
    auth: new AuthDispatcher(defaultAuthStrategies({})),
    fetcherFor: (c) => (c.mode === 'watch' ? countedWatch : live),
    locator: multiTenant,
    objectTypes: ['pods', 'configmaps', 'services'],
    customResources: [],
    logger: silentLogger(),
  });

/** The serialized answer once the watch cache has synced and shows `pods` pods (queries never wait). */
async function answerWith(objects: KubernetesFanOut, pods: number) {
  for (let i = 0; i < 200; i++) {
    const synced = watch.cacheStats().length === 6 && watch.cacheStats().every((s) => s.synced);
    const answer = await objects.getSerializedObjectsByEntity({ entity, auth: {} });
    const parsed = JSON.parse(answer.body.toString('utf8')) as {
      items: { resources: { type: string; resources: unknown[] }[] }[];
    };
    const count = parsed.items
      .flatMap((item) => item.resources)
      .filter((r) => r.type === 'pods')
      .flatMap((r) => r.resources).length;
    if (synced && count === pods) return answer;
    await sleep(50);
  }
  throw new Error(`never saw ${pods} pods`);
}

/** Annotates alpha's pod `web-1` with `touched: value`; the first answer whose ETag is not `before`'s. */
async function afterPatch(objects: KubernetesFanOut, before: SerializedAnswer, value: string) {
  await alpha.client.call('PATCH', `/api/v1/namespaces/${ns}/pods/web-1`, [200], {
    body: { metadata: { annotations: { touched: value } } },
    contentType: 'application/merge-patch+json',
  });
  let changed = before;
  for (let i = 0; i < 200 && changed.etag === before.etag; i++) {
    await sleep(50);
    changed = await objects.getSerializedObjectsByEntity({ entity, auth: {} });
  }
  return changed;
}

beforeAll(async () => {
  for (const c of [alpha, beta]) await c.client.ensureNamespace(ns);
  await alpha.client.create(podObject('web-1', ns, { [ID]: ns }, 'registry.invalid/app:1'));
  await beta.client.create(podObject('web-b', ns, { [ID]: ns }, 'registry.invalid/app:1'));
});

afterAll(async () => {
  await watch.stop();
  await connections.close();
});

describe('serialized objects answers', () => {
  it('are JSON.stringify of the answer, reused from the watch cache until an object in it changes', async () => {
    const objects = fanOut('watch');
    const first = await answerWith(objects, 2);
    expect(first.body.toString('utf8')).toBe(
      JSON.stringify(await objects.getObjectsByEntity({ entity, auth: {} })),
    );
    const brotli = await first.encoded('br');
    const again = await objects.getSerializedObjectsByEntity({ entity, auth: {} });
    expect(again.body).toBe(first.body);
    expect(again.etag).toBe(first.etag);
    // Its compressed copies are kept with it: a repeated answer is not compressed again.
    expect(await again.encoded('br')).toBe(brotli);

    const changed = await afterPatch(objects, first, 'yes');
    expect(changed.etag).not.toBe(first.etag);
    expect(changed.body.toString('utf8')).toContain('"touched":"yes"');
    expect(changed.body.toString('utf8')).toBe(
      JSON.stringify(await objects.getObjectsByEntity({ entity, auth: {} })),
    );

    // A new object that the selector matches changes the answer too.
    await beta.client.create(podObject('web-b2', ns, { [ID]: ns }, 'registry.invalid/app:1'));
    const grown = await answerWith(objects, 3);
    expect(grown.etag).not.toBe(changed.etag);
  });

  it('are reused without selecting while nothing watched changed, and not once something did', async () => {
    const both = fanOut('watch');
    const betaOnly = fanOut('watch', [beta]);
    const first = await answerWith(both, 3);
    const firstBeta = await betaOnly.getSerializedObjectsByEntity({ entity, auth: {} });
    await betaOnly.getSerializedObjectsByEntity({ entity, auth: {} });

    const before = selections.count;
    const again = await both.getSerializedObjectsByEntity({ entity, auth: {} });
    expect(again.body).toBe(first.body);
    expect((await betaOnly.getSerializedObjectsByEntity({ entity, auth: {} })).body).toBe(firstBeta.body);
    expect(selections.count).toBe(before);

    // A change in alpha: the next answer over both clusters differs, the answer over beta alone stays.
    const changed = await afterPatch(both, first, 'again');
    expect(changed.body.toString('utf8')).toContain('"touched":"again"');
    expect(changed.body.toString('utf8')).toBe(
      JSON.stringify(await both.getObjectsByEntity({ entity, auth: {} })),
    );
    const selected = selections.count;
    expect((await betaOnly.getSerializedObjectsByEntity({ entity, auth: {} })).body).toBe(firstBeta.body);
    expect((await both.getSerializedObjectsByEntity({ entity, auth: {} })).body).toBe(changed.body);
    expect(selections.count).toBe(selected);
  });

  it('are serialized afresh every time when read live, with the same body and ETag as watch mode', async () => {
    const watched = await answerWith(fanOut('watch'), 3);
    const objects = fanOut('live');
    const a = await objects.getSerializedObjectsByEntity({ entity, auth: {} });
    const b = await objects.getSerializedObjectsByEntity({ entity, auth: {} });
    expect(b.body).not.toBe(a.body);
    expect(b.body.equals(a.body)).toBe(true);
    // Both modes drop managedFields and the last-applied annotation: the bytes are the same.
    expect(a.body.equals(watched.body)).toBe(true);
    expect(a.etag).toBe(watched.etag);
  });

  it('are dropped with the caches of a cluster they asked, so they do not keep its objects alive', async () => {
    const both = fanOut('watch');
    const betaOnly = fanOut('watch', [beta]);
    for (const objects of [both, betaOnly]) watch.onForget((name) => objects.dropAnswersOf(name));
    await answerWith(both, 3);
    await betaOnly.getSerializedObjectsByEntity({ entity, auth: {} });
    expect(both.answerCache.size).toBe(1);
    expect(betaOnly.answerCache.size).toBe(1);

    await watch.forget(alpha.info.name);
    expect(both.answerCache).toEqual({ size: 0, bytes: 0 });
    expect(betaOnly.answerCache.size).toBe(1);
    // The next answer is built again from alpha's new caches, the same bytes as before.
    expect((await answerWith(both, 3)).body.toString('utf8')).toBe(
      JSON.stringify(await both.getObjectsByEntity({ entity, auth: {} })),
    );
  });
});
