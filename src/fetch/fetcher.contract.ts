/**
 * The shared contract of every `ObjectFetcher`, run against real clusters (`alpha`, `beta`): whatever the
 * implementation, `fetchObjects` answers exactly what a LIST of the same query answers right now, object
 * by object and in the API server's order, with secrets masked, custom-resource kinds stamped and the same
 * per-type errors. Watch-backed fetchers must also converge after creates, updates, deletes, an API server
 * restart and a `410 Gone` relist. The expected side is computed here from a plain LIST through the lab's
 * admin client, independently of the code under test.
 *
 * @example
 *   runFetcherContract('LiveFetcher', () => ({ mode: 'live', fetcher: new LiveFetcher(c), close: () => c.close() }));
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace, type TestCluster } from '../../test/helpers/clusters.ts';
import { applyCrd, type CrdSpec } from '../../test/helpers/crd.ts';
import { KubeClient } from '../../tools/kube/client.ts';
import { readSettings, startApiserver, stopApiserver } from '../../tools/kube/lab.ts';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails, FetchMode } from '../clusters/types.ts';
import type { FetchResponse, KubeObject, KubernetesFetchError } from '../contract/kubernetes.ts';
import type { FetchResult, ObjectFetcher, ObjectToFetch } from './types.ts';
import type { CacheStats } from './watch/cache-stats.ts';
import type { ObjectChange, SubscribeQuery } from './watch/watch-fetcher.ts';

export interface FetcherUnderTest {
  mode: FetchMode;
  fetcher: ObjectFetcher;
  /** Watch-backed fetchers: per-informer state, to show answers come from memory. */
  cacheStats?: () => CacheStats[];
  subscribe?: (query: SubscribeQuery, listener: (change: ObjectChange) => void) => () => void;
  close(): Promise<void>;
}

export interface ContractFetcherOptions {
  /** How long a watch may be down before the fetcher must answer live again. */
  staleAfterMs?: number;
}

const ID = 'backstage.io/kubernetes-id';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const CRD_GROUP = 'contract.stitchboard.dev';
const WIDGETS: CrdSpec = { group: CRD_GROUP, version: 'v1', kind: 'Widget', plural: 'widgets' };

const t = (objectType: ObjectToFetch['objectType'], group: string, apiVersion: string, plural: string) => ({
  objectType,
  group,
  apiVersion,
  plural,
});
const TYPES = {
  pods: t('pods', '', 'v1', 'pods'),
  services: t('services', '', 'v1', 'services'),
  configmaps: t('configmaps', '', 'v1', 'configmaps'),
  secrets: t('secrets', '', 'v1', 'secrets'),
  deployments: t('deployments', 'apps', 'v1', 'deployments'),
  replicasets: t('replicasets', 'apps', 'v1', 'replicasets'),
  cronjobs: t('cronjobs', 'batch', 'v1beta1', 'cronjobs'),
  // Not served by Kubernetes 1.20: both fetchers must report the same 404 entry.
  hpas: t('horizontalpodautoscalers', 'autoscaling', 'v2', 'horizontalpodautoscalers'),
  persistentvolumes: t('persistentvolumes', '', 'v1', 'persistentvolumes'),
  widgets: t('customresources', CRD_GROUP, 'v1', 'widgets'),
} satisfies Record<string, ObjectToFetch>;
const EVERY_TYPE: ObjectToFetch[] = Object.values(TYPES);
const FEW_TYPES: ObjectToFetch[] = [TYPES.pods, TYPES.configmaps, TYPES.widgets];

interface Query {
  objectTypes: ObjectToFetch[];
  labelSelector: string;
  namespace?: string;
}

/** Who asks: the suite's clusters with their admin token, or another name with a narrower token. */
interface Target {
  cluster: TestCluster;
  details: ClusterDetails;
  credential: Credential;
  client: KubeClient;
}

export function runFetcherContract(
  name: string,
  makeFetcher: (options: ContractFetcherOptions) => FetcherUnderTest,
) {
  describe(`ObjectFetcher contract: ${name}`, () => {
    let f: FetcherUnderTest;
    const made: FetcherUnderTest[] = [];
    const make = (options: ContractFetcherOptions = {}) => {
      const fetcher = makeFetcher(options);
      made.push(fetcher);
      return fetcher;
    };

    beforeAll(async () => {
      const { alpha, beta } = testClusters();
      await Promise.all([applyCrd(alpha.client, WIDGETS), applyCrd(beta.client, WIDGETS)]);
      f = make();
    });
    afterAll(async () => {
      await Promise.all(made.map((m) => m.close()));
    });

    describe.each(['alpha', 'beta'] as const)('on %s', (clusterName) => {
      let target: Target;
      let seeded: Seeded;
      beforeAll(async () => {
        target = adminTarget(testClusters()[clusterName], f.mode);
        seeded = await seed(target.client, 'contract');
      });

      it('answers every object type by the entity id label, errors included', async () => {
        const result = await converge(f, target, {
          objectTypes: EVERY_TYPE,
          labelSelector: `${ID}=${seeded.id}`,
        });
        const byType = (type: string) =>
          result.responses.filter((r) => r.type === type).flatMap((r) => r.resources);
        expect(names(byType('pods'))).toEqual(['db-0', 'legacy', 'web-1', 'web-2']);
        expect(byType('secrets')[0]?.data).toEqual({ password: '***' });
        expect(byType('customresources').map((w) => w.kind)).toEqual(['Widget']);
        expect(names(byType('persistentvolumes'))).toEqual([`${seeded.ns}-vol`]);
        expect(result.errors).toEqual([
          {
            errorType: 'NOT_FOUND',
            statusCode: 404,
            resourcePath: '/apis/autoscaling/v2/horizontalpodautoscalers',
          },
        ]);
      });

      it.each([
        ['=', (id: string) => `${ID}=${id}`, ['db-0', 'legacy', 'web-1', 'web-2']],
        ['== and =', (id: string) => `${ID}==${id},app=web`, ['legacy', 'web-1', 'web-2']],
        ['!=', (id: string) => `${ID}=${id},app!=web`, ['db-0']],
        [
          'in',
          (id: string) => `${ID} in (${id},${id}-other),app=web`,
          ['legacy', 'stranger', 'web-1', 'web-2'],
        ],
        ['notin', (id: string) => `${ID}=${id},tier notin (frontend)`, ['db-0', 'legacy']],
        ['exists', (id: string) => `${ID}=${id},env`, ['web-1', 'web-2']],
        ['not exists', (id: string) => `${ID}=${id},!env,!legacy`, ['db-0']],
      ])('answers a label selector with %s', async (_op, selector, pods) => {
        const result = await converge(f, target, {
          objectTypes: FEW_TYPES,
          labelSelector: selector(seeded.id),
        });
        expect(names(result.responses[0]?.resources ?? [])).toEqual(pods);
      });

      it('answers a selector of negative requirements only, across the whole cluster', async () => {
        await converge(f, target, {
          objectTypes: [TYPES.pods, TYPES.services],
          labelSelector: `!${ID},!no-such-label`,
        });
      });

      it('answers one namespace, everything in it, and nothing from another namespace', async () => {
        const { ns, id } = seeded;
        await converge(f, target, { objectTypes: EVERY_TYPE, labelSelector: `${ID}=${id}`, namespace: ns });
        const all = await converge(f, target, { objectTypes: FEW_TYPES, labelSelector: '', namespace: ns });
        expect(names(all.responses[0]?.resources ?? [])).toContain('stranger');
        const other = await converge(f, target, {
          objectTypes: FEW_TYPES,
          labelSelector: `${ID}=${id}`,
          namespace: `${ns}-b`,
        });
        expect(other.responses.flatMap((r) => r.resources)).toEqual([]);
      });

      it('orders across namespaces as the API server does: by the key "<namespace>/<name>"', async () => {
        const { ns, id } = seeded;
        // "<ns>-b/aaa" sorts before "<ns>/db-0" ('-' < '/'); ordering by (namespace, name) would not.
        const other = `${ns}-b`;
        await target.client.ensureNamespace(other);
        await target.client.apply(pod(other, 'aaa', { [ID]: id, app: 'web' }));
        const result = await converge(f, target, { objectTypes: [TYPES.pods], labelSelector: `${ID}=${id}` });
        expect(
          result.responses[0]?.resources.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
        ).toEqual([`${other}/aaa`, `${ns}/db-0`, `${ns}/legacy`, `${ns}/web-1`, `${ns}/web-2`]);
        await target.client.delete(`/api/v1/namespaces/${other}/pods/aaa`);
        await converge(f, target, { objectTypes: [TYPES.pods], labelSelector: `${ID}=${id}` });
      });

      it('reports 403 for a type the credential may not list cluster-wide, and answers a namespace a Role allows', async () => {
        const { ns, id } = seeded;
        const client = target.client;
        const account = `reader-${id}`.slice(0, 60);
        await client.serviceAccountToken(ns, account, {
          clusterWide: true,
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
        });
        const token = await client.serviceAccountToken(ns, account, {
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
        });
        const limited = tokenTarget(target.cluster, `${clusterName}-${id}`, token, f.mode);
        const objectTypes = [TYPES.pods, TYPES.configmaps];
        const wide = await converge(f, limited, { objectTypes, labelSelector: `${ID}=${id}` });
        expect(wide.errors).toEqual([
          { errorType: 'UNKNOWN_ERROR', statusCode: 403, resourcePath: '/api/v1/configmaps' },
        ]);
        // The cache cannot serve this namespaced configmaps query (its cluster-wide LIST is refused): live does.
        const inNamespace = await converge(
          f,
          limited,
          { objectTypes, labelSelector: `${ID}=${id}`, namespace: ns },
          { cached: [TYPES.pods] },
        );
        expect(inNamespace.errors).toEqual([]);
        expect(names(inNamespace.responses[1]?.resources ?? [])).toEqual(['settings']);
        limited.client.close();
      });
    });

    describe('watch-backed fetchers', () => {
      /** A fresh seed on `cluster`, and the query of a few types by its id, converged once (`first`). */
      const seededQuery = async (cluster: TestCluster, name: string) => {
        const target = adminTarget(cluster, f.mode);
        const { ns, id } = await seed(target.client, name);
        const query = { objectTypes: FEW_TYPES, labelSelector: `${ID}=${id}` };
        return { target, ns, id, query, first: await converge(f, target, query) };
      };

      it('converge after creates, updates, label changes and deletes, and tell subscribers', async (ctx) => {
        ctx.skip(f.mode !== 'watch', 'a live fetcher keeps nothing to converge');
        const { target, ns, id, query } = await seededQuery(testClusters().alpha, 'changes');
        const seen: string[] = [];
        const unsubscribe = subscriberOf(f)(
          {
            cluster: target.details,
            credential: target.credential,
            type: TYPES.pods,
            labelSelector: `${ID}=${id}`,
            namespace: ns,
          },
          (change) => seen.push(`${change.type} ${change.object.metadata?.name}`),
        );
        const pods = `/api/v1/namespaces/${ns}/pods`;
        await target.client.create(pod(ns, 'new-1', { [ID]: id, app: 'web' }));
        await mergePatch(target.client, `${pods}/web-1`, { metadata: { labels: { [ID]: null } } });
        await mergePatch(target.client, `${pods}/web-2`, { metadata: { annotations: { note: 'changed' } } });
        await mergePatch(target.client, `${pods}/stranger`, { metadata: { labels: { [ID]: id } } });
        await target.client.delete(`${pods}/db-0`);
        await mergePatch(target.client, `/api/v1/namespaces/${ns}/configmaps/settings`, {
          data: { mode: 'fast' },
        });
        await target.client.delete(`/apis/${CRD_GROUP}/v1/namespaces/${ns}/widgets/w1`);
        const result = await converge(f, target, query);
        expect(names(result.responses[0]?.resources ?? [])).toEqual(['legacy', 'new-1', 'stranger', 'web-2']);
        expect(result.responses[1]?.resources[0]?.data).toEqual({ mode: 'fast' });
        expect(result.responses[2]?.resources).toEqual([]);
        await eventually(() => seen.includes('DELETED db-0'));
        unsubscribe();
        expect(seen).toEqual([
          'ADDED new-1',
          'DELETED web-1',
          'MODIFIED web-2',
          'ADDED stranger',
          // Deleting sets deletionTimestamp first (a change), then removes the pod.
          'MODIFIED db-0',
          'DELETED db-0',
        ]);
      });

      it('keep answering through an API server restart within the staleness bound, go live after it, and converge', async (ctx) => {
        ctx.skip(f.mode !== 'watch', 'a live fetcher keeps no watch to cut');
        const strict = make({ staleAfterMs: 1500 });
        const { target, ns, id, query, first: before } = await seededQuery(testClusters().beta, 'restart');
        await converge(strict, target, query);
        const restartsBefore = sumOf(f, target, 'watchRestarts');
        await stopApiserver(target.cluster.info.stateDir);
        const stoppedAt = Date.now();
        try {
          expect(normalizeResult(await f.fetcher.fetchObjects(paramsFor(target, query)))).toEqual(before);
          await sleep(Math.max(0, stoppedAt + 2500 - Date.now()));
          const down = await strict.fetcher.fetchObjects(paramsFor(target, query));
          expect(down.responses).toEqual([]);
          expect(down.errors).toEqual([
            { errorType: 'FETCH_ERROR', message: expect.stringContaining('connection refused') },
          ]);
        } finally {
          await startApiserver(target.cluster.info.stateDir);
        }
        await target.client.create(pod(ns, 'after-restart', { [ID]: id }));
        await target.client.delete(`/api/v1/namespaces/${ns}/pods/legacy`);
        const after = await converge(f, target, query);
        expect(names(after.responses[0]?.resources ?? [])).toEqual([
          'after-restart',
          'db-0',
          'web-1',
          'web-2',
        ]);
        await converge(strict, target, query);
        expect(sumOf(f, target, 'watchRestarts')).toBeGreaterThan(restartsBefore);
      });

      it('relist when the watch resourceVersion has expired (410 Gone) and converge', async (ctx) => {
        ctx.skip(f.mode !== 'watch', 'a live fetcher keeps no resourceVersion');
        const { target, ns, id, query } = await seededQuery(testClusters().beta, 'gone');
        const relistsBefore = sumOf(f, target, 'relists');
        // A restarted API server starts its watch cache at etcd's current revision; a write straight to
        // etcd while it is down moves that past every resourceVersion the informers hold, so each resumed
        // watch gets "too old resource version" (410) and must relist.
        await stopApiserver(target.cluster.info.stateDir);
        try {
          await bumpEtcdRevision(target.cluster);
        } finally {
          await startApiserver(target.cluster.info.stateDir);
        }
        await target.client.create(pod(ns, 'after-gone', { [ID]: id }));
        await converge(f, target, query);
        await eventually(() => sumOf(f, target, 'relists') >= relistsBefore + FEW_TYPES.length);
        expect(sumOf(f, target, 'relists')).toBeGreaterThanOrEqual(relistsBefore + FEW_TYPES.length);
      });
    });
  });
}

// --- comparing ----------------------------------------------------------------------------------

type Outcome = { ok: true; response: FetchResponse } | { ok: false; error: KubernetesFetchError };

/**
 * Fetches `query` until it equals a LIST of the same query (at once for live fetchers; within 15 s for
 * watch-backed ones, which must then also have answered from memory: `cached` types, every type by
 * default). Returns the normalised result.
 */
async function converge(
  f: FetcherUnderTest,
  target: Target,
  query: Query,
  options: { cached?: ObjectToFetch[] } = {},
): Promise<FetchResult> {
  const compare = async () => {
    const actual = normalizeResult(await f.fetcher.fetchObjects(paramsFor(target, query)));
    return { actual, expected: await expectedResult(target, query) };
  };
  if (f.mode === 'live') {
    const { actual, expected } = await compare();
    expect(actual).toEqual(expected);
    return actual;
  }
  const cached = options.cached ?? query.objectTypes;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const servedBefore = servedCounts(f, target, cached);
    const { actual, expected } = await compare();
    const servedAfter = servedCounts(f, target, cached);
    const fromCache = cached.every(
      (o) => servedAfter.get(resourceOf(o))?.live === servedBefore.get(resourceOf(o))?.live,
    );
    if ((fromCache && equal(actual, expected)) || Date.now() > deadline) {
      expect(actual).toEqual(expected);
      expect(fromCache, `answered from memory: ${cached.map(resourceOf).join(', ')}`).toBe(true);
      return actual;
    }
    await sleep(100);
  }
}

async function expectedResult(target: Target, query: Query): Promise<FetchResult> {
  const outcomes = await Promise.all(query.objectTypes.map((o) => expectedList(target, o, query)));
  const result: FetchResult = { responses: [], errors: [] };
  for (const outcome of outcomes) {
    if (outcome.ok) result.responses.push(outcome.response);
    else result.errors.push(outcome.error);
  }
  return result;
}

async function expectedList(target: Target, o: ObjectToFetch, query: Query): Promise<Outcome> {
  const base = o.group ? `/apis/${o.group}/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const scoped = query.namespace && o.plural !== 'persistentvolumes' ? `/namespaces/${query.namespace}` : '';
  const path = `${base}${scoped}/${o.plural}`;
  const res = await target.client.request<{ kind?: string; items?: KubeObject[] }>('GET', path, {
    query: query.labelSelector ? { labelSelector: query.labelSelector } : {},
  });
  if (res.status !== 200) {
    const errorType = (
      { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED_ERROR', 404: 'NOT_FOUND', 500: 'SYSTEM_ERROR' } as const
    )[res.status as 400];
    return {
      ok: false,
      error: { errorType: errorType ?? 'UNKNOWN_ERROR', statusCode: res.status, resourcePath: path },
    };
  }
  const kind = res.body.kind?.replace(/List$/, '');
  const items = (res.body.items ?? []).map((item) => {
    let shaped = withoutBulk(item);
    if (o.objectType === 'secrets') {
      shaped = {
        ...shaped,
        data: mask(shaped.data),
        ...(shaped.stringData ? { stringData: mask(shaped.stringData) } : {}),
      };
    }
    if (o.objectType === 'customresources') shaped = { ...shaped, kind };
    return shaped;
  });
  return { ok: true, response: { type: o.objectType, resources: items } };
}

/** What the cache drops on purpose and live passes through: compared without it on both sides. */
function withoutBulk(obj: KubeObject): KubeObject {
  if (!obj.metadata) return obj;
  const { managedFields: _managedFields, annotations, ...metadata } = obj.metadata;
  const { [LAST_APPLIED]: _lastApplied, ...kept } = annotations ?? {};
  return {
    ...obj,
    metadata: { ...metadata, ...(Object.keys(kept).length > 0 ? { annotations: kept } : {}) },
  };
}

function normalizeResult(result: FetchResult): FetchResult {
  return {
    responses: result.responses.map((r) => ({ type: r.type, resources: r.resources.map(withoutBulk) })),
    errors: result.errors,
  };
}

const mask = (values: unknown) =>
  values && typeof values === 'object'
    ? Object.fromEntries(Object.keys(values).map((k) => [k, '***']))
    : values;

function equal(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

async function eventually(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(100);
}

// --- targets and stats ----------------------------------------------------------------------------

function adminTarget(cluster: TestCluster, mode: FetchMode): Target {
  return {
    cluster,
    details: detailsFor(cluster, cluster.name, cluster.info.adminToken, mode),
    credential: { type: 'bearer token', token: cluster.info.adminToken },
    client: cluster.client,
  };
}

/** A separately named cluster, so a watch cache keeps its objects apart from the admin view. */
function tokenTarget(cluster: TestCluster, name: string, token: string, mode: FetchMode): Target {
  return {
    cluster,
    details: detailsFor(cluster, name, token, mode),
    credential: { type: 'bearer token', token },
    client: new KubeClient(cluster.info, { token }),
  };
}

function detailsFor(cluster: TestCluster, name: string, token: string, mode: FetchMode): ClusterDetails {
  return {
    name,
    url: cluster.info.url,
    caData: cluster.info.caData,
    authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: token },
    skipTLSVerify: false,
    skipMetricsLookup: true,
    timeoutMs: 10_000,
    mode,
  };
}

function paramsFor(target: Target, query: Query) {
  return {
    cluster: target.details,
    credential: target.credential,
    objectTypes: query.objectTypes,
    labelSelector: query.labelSelector,
    ...(query.namespace ? { namespace: query.namespace } : {}),
    signal: AbortSignal.timeout(10_000),
  };
}

const resourceOf = (o: ObjectToFetch) => `${o.group || 'core'}/${o.apiVersion}/${o.plural}`;

function statsOf(f: FetcherUnderTest, target: Target): CacheStats[] {
  if (!f.cacheStats) throw new Error('a watch-backed fetcher under test must expose cacheStats');
  return f.cacheStats().filter((s) => s.cluster === target.details.name);
}

function servedCounts(f: FetcherUnderTest, target: Target, types: ObjectToFetch[]) {
  const wanted = new Set(types.map(resourceOf));
  return new Map(
    statsOf(f, target)
      .filter((s) => wanted.has(s.resource))
      .map((s) => [s.resource, { live: s.servedLive, cache: s.servedFromCache }]),
  );
}

function sumOf(f: FetcherUnderTest, target: Target, field: 'watchRestarts' | 'relists'): number {
  const wanted = new Set(FEW_TYPES.map(resourceOf));
  return statsOf(f, target)
    .filter((s) => wanted.has(s.resource))
    .reduce((n, s) => n + s[field], 0);
}

function subscriberOf(f: FetcherUnderTest): NonNullable<FetcherUnderTest['subscribe']> {
  if (!f.subscribe) throw new Error('a watch-backed fetcher under test must expose subscribe');
  return f.subscribe;
}

// --- cluster fixtures -----------------------------------------------------------------------------

interface Seeded {
  ns: string;
  /** The entity id label value, unique to this seed. */
  id: string;
}

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata?.name);
const containers = [{ name: 'app', image: 'registry.invalid/app:1' }];

function pod(namespace: string, name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers } };
}

/** One component's objects of every type in a fresh namespace, plus a neighbour with another id. */
async function seed(client: KubeClient, prefix: string): Promise<Seeded> {
  const ns = uniqueNamespace(prefix);
  const id = ns;
  const meta = (name: string, labels: Record<string, string> = {}) => ({
    name,
    namespace: ns,
    labels: { [ID]: id, ...labels },
  });
  const template = { metadata: { labels: { [ID]: id } }, spec: { containers } };
  const selector = { matchLabels: { [ID]: id } };
  await client.ensureNamespace(ns);
  await client.createMany(
    [
      pod(ns, 'web-1', { [ID]: id, app: 'web', tier: 'frontend', env: 'prod' }),
      pod(ns, 'web-2', { [ID]: id, app: 'web', tier: 'frontend', env: 'dev' }),
      pod(ns, 'db-0', { [ID]: id, app: 'db', tier: 'backend' }),
      pod(ns, 'legacy', { [ID]: id, app: 'web', legacy: 'true' }),
      pod(ns, 'stranger', { [ID]: `${id}-other`, app: 'web' }),
      // Headless: the lab's service range has only 254 cluster IPs for every test.
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('web'),
        spec: { clusterIP: 'None', ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          ...meta('settings', { app: 'web' }),
          annotations: { [LAST_APPLIED]: '{"kind":"ConfigMap"}', team: 'shop' },
        },
        data: { mode: 'slow' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta('creds'),
        data: { password: Buffer.from('hunter2').toString('base64') },
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { selector, template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d9c'), spec: { selector, template } },
      {
        apiVersion: 'batch/v1beta1',
        kind: 'CronJob',
        metadata: meta('nightly'),
        spec: {
          schedule: '0 3 * * *',
          jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers } } } },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: `${ns}-vol`, labels: { [ID]: id } },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          hostPath: { path: `/tmp/${ns}` },
        },
      },
      {
        apiVersion: `${CRD_GROUP}/v1`,
        kind: 'Widget',
        metadata: meta('w1', { app: 'web' }),
        spec: { size: 3 },
      },
    ],
    4,
  );
  return { ns, id };
}

async function mergePatch(client: KubeClient, path: string, body: unknown): Promise<void> {
  await client.call('PATCH', path, [200], { body, contentType: 'application/merge-patch+json' });
}

/** Writes a key no API server reads, through etcd's JSON gateway: only etcd's revision moves. */
async function bumpEtcdRevision(cluster: TestCluster): Promise<void> {
  const settings = readSettings(cluster.info.stateDir);
  if (!settings) throw new Error(`no lab settings in ${cluster.info.stateDir}`);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const res = await fetch(`http://127.0.0.1:${settings.etcdPort}/v3/kv/put`, {
    method: 'POST',
    body: JSON.stringify({ key: b64('/stitchboard-contract/bump'), value: b64(String(Date.now())) }),
  });
  if (!res.ok) throw new Error(`etcd put on ${cluster.name}: HTTP ${res.status} ${await res.text()}`);
}
