import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace, type TestCluster } from '../../../test/helpers/clusters.ts';
import { applyCrd } from '../../../test/helpers/crd.ts';
import { labClusterDetails } from '../../../test/helpers/engine.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { KubeObject } from '../../contract/kubernetes.ts';
import { captureLogs } from '../../http/test-helpers.ts';
import { ClusterConnections, type GetOptions } from '../connection.ts';
import { LiveFetcher } from '../live-fetcher.ts';
import type { FetchObjectsParams, FetchResult, ObjectToFetch } from '../types.ts';
import { WatchFetcher, type WatchFetcherOptions } from './watch-fetcher.ts';

const ID = 'backstage.io/kubernetes-id';
const configmaps: ObjectToFetch = {
  objectType: 'configmaps',
  group: '',
  apiVersion: 'v1',
  plural: 'configmaps',
};

/** Records every plain GET the informers send (LIST pages, discovery), then sends it for real. */
class RecordingConnections extends ClusterConnections {
  readonly gets: { path: string; query: Record<string, string> }[] = [];
  override getJson<T>(cluster: ClusterDetails, path: string, options: GetOptions) {
    this.gets.push({ path, query: { ...options.query } });
    return super.getJson<T>(cluster, path, options);
  }
}

const open: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.stop()));
});

function setup(options: Partial<WatchFetcherOptions> = {}) {
  const connections = new RecordingConnections();
  const logs = captureLogs();
  const watch = new WatchFetcher({ connections, logger: logs.logger, ...options });
  const live = new LiveFetcher(connections);
  open.push({ stop: () => watch.stop().then(() => connections.close()) });
  return { connections, watch, live, logs };
}

const details = (cluster: TestCluster, overrides: Partial<ClusterDetails> = {}): ClusterDetails =>
  labClusterDetails(cluster.info, { timeoutMs: 10_000, mode: 'watch' }, overrides);

function params(
  cluster: ClusterDetails,
  token: string,
  rest: Partial<FetchObjectsParams> = {},
): FetchObjectsParams {
  return {
    cluster,
    credential: { type: 'bearer token', token },
    objectTypes: [configmaps],
    labelSelector: '',
    signal: AbortSignal.timeout(10_000),
    ...rest,
  };
}

/** Polls until the watch fetcher and a live LIST agree (bulk fields aside) or 10 s pass. */
async function agreeWithLive(
  watch: WatchFetcher,
  live: LiveFetcher,
  p: FetchObjectsParams,
): Promise<FetchResult> {
  const slim = (r: FetchResult) =>
    JSON.stringify(
      r.responses.map((x) =>
        x.resources.map((o: KubeObject) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } })),
      ),
    );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [w, l] = [await watch.fetchObjects(p), await live.fetchObjects(p)];
    if (
      (slim(w) === slim(l) && JSON.stringify(w.errors) === JSON.stringify(l.errors)) ||
      Date.now() > deadline
    ) {
      expect(slim(w)).toEqual(slim(l));
      expect(w.errors).toEqual(l.errors);
      return w;
    }
    await sleep(100);
  }
}

/** This process's established TCP connections to `port`, from /proc: what the OS holds, not what Node reports. */
function connectionsTo(port: number): number {
  const mine = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    const target = (() => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) mine.add(inode);
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[2]?.endsWith(`:${hexPort}`) && cols[3] === '01' && mine.has(cols[9] ?? '')).length;
}

function configmap(ns: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels },
    data: { v: name },
  };
}

describe('WatchFetcher on a real cluster', () => {
  it('lists in pages of `pageSize`, following continue tokens', async () => {
    const { alpha } = testClusters();
    const ns = uniqueNamespace('pages');
    await alpha.client.ensureNamespace(ns);
    await alpha.client.createMany(
      Array.from({ length: 7 }, (_, i) => configmap(ns, `cm-${i}`, { [ID]: ns })),
    );
    const { connections, watch, live } = setup({ informer: { pageSize: 2 } });
    const cluster = details(alpha);
    const p = params(cluster, alpha.info.adminToken, { labelSelector: `${ID}=${ns}` });
    await watch.warm(p);
    const pages = connections.gets.filter((g) => g.path === '/api/v1/configmaps');
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.every((g) => g.query.limit === '2')).toBe(true);
    expect(pages.slice(1).every((g) => g.query.continue)).toBe(true);
    const result = await agreeWithLive(watch, live, p);
    expect(result.responses[0]?.resources).toHaveLength(7);
  });

  it('renews watches by their timeoutSeconds without counting a restart, and keeps up with changes', async () => {
    const { alpha } = testClusters();
    const ns = uniqueNamespace('renew');
    await alpha.client.ensureNamespace(ns);
    const { watch, live } = setup({ informer: { watchTimeoutSeconds: 1 } });
    const p = params(details(alpha), alpha.info.adminToken, { namespace: ns });
    await watch.warm(p);
    await sleep(3500);
    await alpha.client.create(configmap(ns, 'after-renewals'));
    const result = await agreeWithLive(watch, live, p);
    expect(result.responses[0]?.resources.map((o) => o.metadata?.name)).toEqual(['after-renewals']);
    const [stats] = watch.cacheStats();
    expect(stats).toMatchObject({ watchRestarts: 0, relists: 0, synced: true });
  });

  it('keeps kind and apiVersion of a custom resource first seen through the watch', async () => {
    const { alpha } = testClusters();
    const group = 'gadgets.stitchboard.dev';
    await applyCrd(alpha.client, { group, version: 'v1', kind: 'Gadget', plural: 'gadgets' });
    const gadgets: ObjectToFetch = {
      objectType: 'customresources',
      group,
      apiVersion: 'v1',
      plural: 'gadgets',
    };
    const { watch, live } = setup();
    const ns = uniqueNamespace('gadgets');
    const p = params(details(alpha), alpha.info.adminToken, { objectTypes: [gadgets], namespace: ns });
    await watch.warm(p);
    expect(watch.cacheStats()[0]).toMatchObject({ synced: true, objects: 0 });
    await alpha.client.ensureNamespace(ns);
    await alpha.client.create({
      apiVersion: `${group}/v1`,
      kind: 'Gadget',
      metadata: { name: 'g1', namespace: ns },
      spec: {},
    });
    const result = await agreeWithLive(watch, live, p);
    expect(result.responses[0]?.resources[0]).toMatchObject({ apiVersion: `${group}/v1`, kind: 'Gadget' });
    expect(watch.cacheStats()[0]?.servedFromCache).toBeGreaterThan(0);
  });

  it('answers a namespaced query for a cluster-scoped resource live, as a 404', async () => {
    const { alpha } = testClusters();
    const { watch, live } = setup();
    const namespaces: ObjectToFetch = {
      objectType: 'customresources',
      group: '',
      apiVersion: 'v1',
      plural: 'namespaces',
    };
    const cluster = details(alpha);
    await watch.warm(params(cluster, alpha.info.adminToken, { objectTypes: [namespaces] }));
    const p = params(cluster, alpha.info.adminToken, { objectTypes: [namespaces], namespace: 'default' });
    const result = await agreeWithLive(watch, live, p);
    expect(result.errors).toEqual([
      { errorType: 'NOT_FOUND', statusCode: 404, resourcePath: '/api/v1/namespaces/default/namespaces' },
    ]);
  });

  it('answers live, starting no informer, for per-user credentials and unreadable selectors', async () => {
    const { alpha } = testClusters();
    const { watch, live } = setup();
    const oidc = details(alpha, {
      name: 'alpha-oidc',
      authMetadata: { 'kubernetes.io/auth-provider': 'oidc', 'kubernetes.io/oidc-token-provider': 'okta' },
    });
    const p = params(oidc, alpha.info.adminToken);
    expect(watch.canWatch(oidc)).toBe(false);
    await agreeWithLive(watch, live, p);
    const bad = params(details(alpha), alpha.info.adminToken, { labelSelector: 'app=(' });
    const result = await watch.fetchObjects(bad);
    expect(result.errors).toEqual([
      { errorType: 'BAD_REQUEST', statusCode: 400, resourcePath: '/api/v1/configmaps' },
    ]);
    expect(watch.cacheStats()).toEqual([]);
  });

  it('never writes a token into logs, stats or errors, whatever fails', async () => {
    const { alpha } = testClusters();
    const { watch, logs } = setup({ informer: { backoff: { initialMs: 50, maxMs: 100 } } });
    const secret = 'not-a-valid-token-0123456789abcdef';
    const refused = details(alpha, {
      name: 'alpha-bad-token',
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: secret },
    });
    const unreachable = details(alpha, { name: 'nowhere', url: 'https://127.0.0.1:1' });
    await watch.fetchObjects(params(refused, secret));
    await watch.fetchObjects(params(unreachable, secret));
    await watch.warm(params(refused, secret));
    await sleep(500);
    const stats = watch.cacheStats();
    expect(stats.find((s) => s.cluster === 'alpha-bad-token')).toMatchObject({ failureStatus: 401 });
    expect(stats.find((s) => s.cluster === 'nowhere')?.lastError).toContain('connection refused');
    const cached = await watch.fetchObjects(params(refused, secret));
    expect(cached.errors).toEqual([
      { errorType: 'UNAUTHORIZED_ERROR', statusCode: 401, resourcePath: '/api/v1/configmaps' },
    ]);
    expect(logs.lines().length).toBeGreaterThan(0);
    expect(JSON.stringify([logs.lines(), stats, cached])).not.toContain(secret);
  });

  it('stop() closes every socket and timer it opened', async () => {
    const { alpha } = testClusters();
    const port = Number(new URL(alpha.info.url).port);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = { sockets: connectionsTo(port), timers: timers() };
    const connections = new ClusterConnections();
    const watch = new WatchFetcher({ connections, logger: captureLogs().logger });
    const types: ObjectToFetch[] = [
      configmaps,
      { objectType: 'pods', group: '', apiVersion: 'v1', plural: 'pods' },
    ];
    await watch.warm(params(details(alpha), alpha.info.adminToken, { objectTypes: types }));
    await sleep(300);
    expect(watch.cacheStats().every((s) => s.watching)).toBe(true);
    expect(connectionsTo(port)).toBeGreaterThanOrEqual(before.sockets + types.length);
    await watch.stop();
    await connections.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(connectionsTo(port)).toBeLessThanOrEqual(before.sockets);
    expect(timers()).toBeLessThanOrEqual(before.timers);
    expect(watch.canWatch(details(alpha))).toBe(false);
  });
});
