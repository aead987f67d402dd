import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace, type TestCluster } from '../../../test/helpers/clusters.ts';
import { labClusterDetails } from '../../../test/helpers/engine.ts';
import { podObject } from '../../../test/helpers/pod.ts';
import { AuthDispatcher, defaultAuthStrategies } from '../../auth/dispatch.ts';
import type { ClusterDetails, FetchMode } from '../../clusters/types.ts';
import type { KubeObject } from '../../contract/kubernetes.ts';
import { ClusterConnections } from '../../fetch/connection.ts';
import { WatchFetcher } from '../../fetch/watch/watch-fetcher.ts';
import { multiTenant } from '../../locate/service-locator.ts';
import { buildTestServer, component, type TestServer } from '../test-helpers.ts';
import { registerWatchStream, WATCH_STREAM_PATH } from './watch-stream.ts';

const ID = 'backstage.io/kubernetes-id';
const TOKEN = 'watch-stream-test-token';
const PATH = WATCH_STREAM_PATH;

interface Received {
  events: { event: string; data: Record<string, unknown> }[];
  comments: number;
  ended: boolean;
}

/** A real SSE client over HTTP: collects events as they arrive. */
async function connect(url: string): Promise<{ received: Received; close(): void }> {
  const controller = new AbortController();
  const res = await request(url, {
    headers: { authorization: `Bearer ${TOKEN}` },
    signal: controller.signal,
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  const received: Received = { events: [], comments: 0, ended: false };
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += chunk.toString();
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) received.comments++;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) {
            received.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          }
        }
      }
    } catch {
      // aborted by close()
    }
    received.ended = true;
  })();
  return { received, close: () => controller.abort() };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const details = (cluster: TestCluster, mode: FetchMode): ClusterDetails =>
  labClusterDetails(cluster.info, { timeoutMs: 10_000, mode });

const pod = (ns: string, name: string, labels: Record<string, string>): KubeObject =>
  podObject(name, ns, labels, 'registry.invalid/app:1');

describe(`GET ${WATCH_STREAM_PATH}`, () => {
  let server: TestServer;
  let base: string;
  let watch: WatchFetcher;
  let connections: ClusterConnections;
  const ns = uniqueNamespace('stream');

  beforeAll(async () => {
    const { alpha, beta } = testClusters();
    await alpha.client.ensureNamespace(ns);
    await alpha.client.create(pod(ns, 'web-1', { [ID]: ns }));
    server = await buildTestServer({
      entities: [component('shop', { [ID]: ns })],
      tokens: [{ token: TOKEN, subject: 'test' }],
    });
    connections = new ClusterConnections();
    watch = new WatchFetcher({ connections, logger: server.logs.logger });
    registerWatchStream(server.app, {
      catalog: server.catalog,
      clusters: { getClusters: async () => [details(alpha, 'watch'), details(beta, 'live')] },
      locator: multiTenant,
      auth: new AuthDispatcher(defaultAuthStrategies({})),
      watch,
      objectTypes: ['pods', 'configmaps'],
      customResources: [],
      heartbeatMs: 200,
    });
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.app.close();
    await watch?.stop();
    await connections?.close();
  });

  it('sends a snapshot per watched cluster, then each change of the entity’s objects', async () => {
    const { alpha } = testClusters();
    const stream = await connect(`${base}${PATH}?entityRef=component:default/shop`);
    const { events } = stream.received;
    const snapshot = await until('a snapshot', () => events.find((e) => e.event === 'snapshot'));
    expect(snapshot.data).toMatchObject({ cluster: 'alpha', errors: [] });
    const resources = snapshot.data.resources as { type: string; resources: KubeObject[] }[];
    expect(resources.map((r) => [r.type, r.resources.map((o) => o.metadata?.name)])).toEqual([
      ['pods', ['web-1']],
      ['configmaps', []],
    ]);
    expect(events.find((e) => e.event === 'unwatched')?.data).toEqual({
      cluster: 'beta',
      reason: 'mode is live',
    });

    await alpha.client.create(pod(ns, 'web-2', { [ID]: ns }));
    await alpha.client.call('PATCH', `/api/v1/namespaces/${ns}/pods/web-1`, [200], {
      body: { metadata: { labels: { [ID]: 'someone-else' } } },
      contentType: 'application/merge-patch+json',
    });
    await alpha.client.create(pod(ns, 'unrelated', { [ID]: 'someone-else' }));
    const changes = () => events.filter((e) => e.event === 'change');
    await until('two changes', () => changes().length >= 2 || undefined);
    expect(
      changes().map((e) => [
        e.data.cluster,
        e.data.type,
        e.data.change,
        (e.data.object as KubeObject).metadata?.name,
      ]),
    ).toEqual([
      ['alpha', 'pods', 'ADDED', 'web-2'],
      ['alpha', 'pods', 'DELETED', 'web-1'],
    ]);
    expect(changes()[0]?.data.resource).toBe('core/v1/pods');
    await until('a heartbeat', () => stream.received.comments > 0 || undefined);

    const subscribers = () => watch.cacheStats().reduce((n, s) => n + s.subscribers, 0);
    expect(subscribers()).toBe(2);
    stream.close();
    await until('the server to unsubscribe', () => subscribers() === 0 || undefined);
  });

  it.each([
    ['no token', '?entityRef=component:default/shop', {}, 401],
    ['no entityRef', '', { authorization: `Bearer ${TOKEN}` }, 400],
    ['an unknown entity', '?entityRef=component:default/nope', { authorization: `Bearer ${TOKEN}` }, 404],
  ])('answers %s with a JSON error before any stream starts', async (_name, query, headers, status) => {
    const res = await request(`${base}${PATH}${query}`, { headers });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect((await res.body.json()) as object).toHaveProperty('error');
  });

  it('ends open streams when the server closes, so shutdown does not hang', async () => {
    const stream = await connect(`${base}${PATH}?entityRef=component:default/shop`);
    await until('a snapshot', () => stream.received.events.find((e) => e.event === 'snapshot'));
    await server.app.close();
    await until('the stream to end', () => stream.received.ended || undefined, 5000);
  });
});
