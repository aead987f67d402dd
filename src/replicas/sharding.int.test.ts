import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { configCluster, rawKubernetes } from '../../test/helpers/engine.ts';
import { podObject } from '../../test/helpers/pod.ts';
import { startServe, type RunningServer } from '../../test/helpers/serve.ts';
import { PgSchemas, until } from '../stitching/test-support.ts';
import { assignShares } from './shares.ts';

// Three real `stitchboard serve` processes on one PostgreSQL schema share nine clusters: the two test
// API servers, each configured under several names. Every cluster is watched by exactly one replica, a
// query on any replica answers for all nine, and when one replica is SIGKILLed the others take its
// clusters within the lease TTL (+5 s) without a query failing meanwhile.
const { alpha, beta } = testClusters();
const ns = uniqueNamespace('sharding');
const APP = `shard-${ns.slice(-6)}`;
const API_TOKEN = 'sharding-api-token-1';
const INTERNAL_TOKEN = 'sharding-internal-token-0123456789';
const headers = { authorization: `Bearer ${API_TOKEN}` };
const TTL_MS = 3000;
const IDS = ['replica-a', 'replica-b', 'replica-c'];
const NAMES = [
  ...['alpha-1', 'alpha-2', 'alpha-3', 'alpha-4', 'alpha-5'].map((name) => ({ name, info: alpha.info })),
  ...['beta-1', 'beta-2', 'beta-3', 'beta-4'].map((name) => ({ name, info: beta.info })),
];
const CLUSTERS = NAMES.map((c) => c.name).sort();

const schemas = new PgSchemas();
let dir: string;
let configFile: string;
const replicas = new Map<string, RunningServer>();

const env = { ALPHA_TOKEN: alpha.info.readonlyToken, BETA_TOKEN: beta.info.readonlyToken, API_TOKEN };

async function writeConfig(database: unknown): Promise<void> {
  await writeFile(
    join(dir, 'catalog-info.yaml'),
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: APP, annotations: { 'backstage.io/kubernetes-id': APP } },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    }),
  );
  const clusters = NAMES.map(({ name, info }) =>
    configCluster(info, {
      name,
      serviceAccountToken: info === alpha.info ? '${ALPHA_TOKEN}' : '${BETA_TOKEN}',
    }),
  );
  const config = (id: string) => ({
    backend: {
      auth: { externalAccess: [{ type: 'static', options: { token: '${API_TOKEN}', subject: 'tests' } }] },
      database,
    },
    stitchboard: {
      dataDir: join(dir, 'data'),
      catalog: [{ type: 'file', path: join(dir, 'catalog-info.yaml') }],
      kubernetes: { mode: 'watch', timeout: '4s' },
      replicas: { id, leaseTtl: `${TTL_MS}ms`, internalToken: INTERNAL_TOKEN },
    },
    // Kinds the v1.20 test servers serve at the versions Backstage asks for.
    kubernetes: { ...rawKubernetes(clusters), objectTypes: ['pods', 'services', 'deployments'] },
  });
  for (const id of IDS) await writeFile(join(dir, `${id}.yaml`), stringify(config(id)));
  configFile = dir;
}

async function start(id: string): Promise<void> {
  replicas.set(id, await startServe(['--config', join(configFile, `${id}.yaml`)], { env }));
}

async function get<T>(id: string, path: string): Promise<T> {
  const res = await fetch(`${replicas.get(id)?.url}${path}`, { headers });
  if (!res.ok) throw new Error(`${id} ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function query(id: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${replicas.get(id)?.url}/api/kubernetes/resources/workloads/query`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ entityRef: `component:default/${APP}` }),
  });
  return { status: res.status, text: await res.text() };
}

/** Each cluster's owner as replica `id` reports it in GET /api/kubernetes/clusters. */
async function owners(id: string): Promise<Map<string, string | undefined>> {
  const { items } = await get<{ items: { name: string; replica?: string }[] }>(
    id,
    '/api/kubernetes/clusters',
  );
  return new Map(items.map((c) => [c.name, c.replica]));
}

/** The clusters replica `id` holds synced informers for, from its /metrics. */
async function watchedBy(id: string): Promise<Set<string>> {
  const res = await fetch(`${replicas.get(id)?.url}/metrics`);
  const text = await res.text();
  const synced = [...text.matchAll(/^stitchboard_watch_cache_synced\{cluster="([^"]+)"[^}]*\} 1$/gm)];
  return new Set(synced.map((m) => m[1] as string));
}

/** When every running replica agrees on one owner per cluster, among `members`: that assignment. */
async function agreed(members: string[]): Promise<Map<string, string> | undefined> {
  const views = await Promise.all([...replicas.keys()].map((id) => owners(id)));
  const first = views[0];
  if (!first) return undefined;
  const assignment = new Map<string, string>();
  for (const cluster of CLUSTERS) {
    const owner = first.get(cluster);
    if (!owner || !members.includes(owner) || views.some((v) => v.get(cluster) !== owner)) return undefined;
    assignment.set(cluster, owner);
  }
  return new Set(assignment.values()).size === members.length ? assignment : undefined;
}

/** What is wrong with a query's answer (not 200, a cluster missing, erring or without its pod); undefined when complete. */
function problem(answer: { status: number; text: string }): string | undefined {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
  const { items } = JSON.parse(answer.text) as {
    items: {
      cluster: { name: string };
      errors: unknown[];
      resources: { type: string; resources: unknown[] }[];
    }[];
  };
  const names = items.map((i) => i.cluster.name).sort();
  if (names.join() !== CLUSTERS.join()) return `clusters ${names.join()}`;
  const bad = items.filter(
    (i) => i.errors.length > 0 || i.resources.find((r) => r.type === 'pods')?.resources.length !== 1,
  );
  return bad.length === 0
    ? undefined
    : JSON.stringify(bad.map((i) => [i.cluster.name, i.errors])).slice(0, 500);
}

/** Queries every running replica and waits until each owner holds synced informers for exactly its clusters. */
async function everyClusterWatchedOnce(assignment: Map<string, string>): Promise<void> {
  await until(
    'each owner to watch exactly its share',
    async () => {
      await Promise.all([...replicas.keys()].map((id) => query(id)));
      for (const id of replicas.keys()) {
        const mine = CLUSTERS.filter((c) => assignment.get(c) === id);
        const watched = await watchedBy(id);
        if ([...watched].sort().join() !== mine.join()) return false;
      }
      return true;
    },
    30_000,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-sharding-'));
  for (const cluster of [alpha, beta]) {
    await cluster.client.ensureNamespace(ns);
    await cluster.client.create(podObject(`${APP}-pod`, ns, { 'backstage.io/kubernetes-id': APP }));
  }
  await writeConfig(await schemas.fresh());
  for (const id of IDS) await start(id);
}, 120_000);

afterAll(async () => {
  await Promise.all([...replicas.values()].map((r) => r.stop()));
  await schemas.dropAll();
  await rm(dir, { recursive: true, force: true });
});

describe('three replicas sharing nine clusters', () => {
  let assignment: Map<string, string>;

  it('watch every cluster on exactly one replica and answer for all of them on any', async () => {
    assignment = await until('the replicas to agree on the shares', () => agreed(IDS), 20_000);
    expect(assignment).toEqual(assignShares(CLUSTERS, IDS));
    await everyClusterWatchedOnce(assignment);

    const answers = await Promise.all(IDS.map((id) => query(id)));
    for (const answer of answers) expect(problem(answer)).toBeUndefined();
    // Whichever replica is asked, and whichever answers each cluster, the bytes are the same.
    expect(answers[1]?.text).toBe(answers[0]?.text);
    expect(answers[2]?.text).toBe(answers[0]?.text);
    for (const id of IDS) expect(replicas.get(id)?.output()).not.toContain(INTERNAL_TOKEN);
  });

  it('refuses a forwarded query without the internal token', async () => {
    const res = await fetch(`${replicas.get('replica-a')?.url}/api/replicas/v1/fetch`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ cluster: 'alpha-1', objectTypes: [], labelSelector: '' }),
    });
    expect(res.status).toBe(401);
    const forward = (body: unknown) =>
      fetch(`${replicas.get('replica-a')?.url}/api/replicas/v1/fetch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-stitchboard-replica-token': INTERNAL_TOKEN },
        body: JSON.stringify(body),
      });
    const bad = await forward({
      cluster: 'alpha-1',
      objectTypes: [{ objectType: 'nope' }],
      labelSelector: '',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('objectTypes');
    const unknown = await forward({
      cluster: 'gamma',
      objectTypes: [{ objectType: 'pods', group: '', apiVersion: 'v1', plural: 'pods' }],
      labelSelector: '',
    });
    expect(unknown.status).toBe(404);
  });

  it('moves a killed replica’s clusters to the others within TTL + 5 s, no query failing meanwhile', async () => {
    const victim = 'replica-b';
    const victims = CLUSTERS.filter((c) => assignment.get(c) === victim);
    expect(victims.length).toBeGreaterThan(0);
    await replicas.get(victim)?.kill();
    const killedAt = Date.now();
    replicas.delete(victim);
    const survivors = IDS.filter((id) => id !== victim);

    const failures: string[] = [];
    let queries = 0;
    let done = false;
    const load = (async () => {
      while (!done) {
        for (const id of survivors) {
          const answer = await query(id);
          queries++;
          const wrong = problem(answer);
          if (wrong) failures.push(`${id} after ${Date.now() - killedAt} ms: ${wrong}`);
        }
        await sleep(100);
      }
    })();
    try {
      const after = await until(
        'the survivors to divide the clusters',
        () => agreed(survivors),
        TTL_MS + 5000,
      );
      expect(after).toEqual(assignShares(CLUSTERS, survivors));
      await until(
        'the new owners to watch and answer the killed replica’s clusters',
        async () => {
          for (const cluster of victims) {
            if (!(await watchedBy(after.get(cluster) as string)).has(cluster)) return false;
          }
          return true;
        },
        TTL_MS + 5000 - (Date.now() - killedAt),
      );
      expect(Date.now() - killedAt).toBeLessThan(TTL_MS + 5000);
      assignment = after;
    } finally {
      done = true;
      await load;
    }
    expect(queries).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });

  it('moves fewer than half of the clusters when the killed replica comes back', async () => {
    const before = assignment;
    await start('replica-b');
    const after = await until('the three to agree again', () => agreed(IDS), 20_000);
    const moved = CLUSTERS.filter((c) => before.get(c) !== after.get(c));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length).toBeLessThan(CLUSTERS.length / 2);
    await everyClusterWatchedOnce(after);
  });
});
