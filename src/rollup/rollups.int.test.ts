import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { V120_OVERRIDES, configCluster, rawKubernetes } from '../../test/helpers/engine.ts';
import { componentEntity, groupEntity } from '../../test/helpers/entities.ts';
import { seedWorkload } from '../../tools/seed/workloads.ts';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import type { SystemsResponse, TeamDetail, TeamsResponse } from '../contract/stitchboard.ts';
import { until } from '../stitching/test-support.ts';
import { silentLogger } from '../shared/logger.ts';
import { ID, NS } from '../topology/test-helpers.ts';

// The rollups on two real clusters, through the real app (createApp from a loaded config): alpha read
// live, beta from its watch cache. Seeded: `cart` runs 3 ready pods on alpha and 2 crash-looping ones on
// beta, with a Service in each; `worker` runs 1 ready pod on alpha and has no Service at all; `pay`
// (another team, another system) runs 2 ready pods on beta; `orphan`'s owner is no group or user, and
// it runs nothing.
// Stitching reads the same catalog files (scrapers.catalog), so the store holds their Services.
const { alpha, beta } = testClusters();
const ns = uniqueNamespace('rollup');
const u = ns.slice(-6);
const name = (base: string) => `${base}-${u}`;
const API_TOKEN = 'rollup-int-api-token';

let dir: string;
let app: App;

const get = async <T>(url: string): Promise<T> => {
  const res = await app.server.inject({
    method: 'GET',
    url: `/api/stitchboard${url}`,
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-rollups-'));
  await mkdir(join(dir, 'catalog'));
  const labels = (id: string) => ({ [ID]: id, app: id });
  await Promise.all([alpha.client.ensureNamespace(ns), beta.client.ensureNamespace(ns)]);
  await Promise.all([
    seedWorkload(alpha.client, {
      name: name('cart'),
      namespace: ns,
      labels: labels(name('cart')),
      replicas: 3,
    }),
    seedWorkload(beta.client, {
      name: name('cart'),
      namespace: ns,
      labels: labels(name('cart')),
      replicas: 2,
      podState: 'crashloop',
    }),
    seedWorkload(alpha.client, {
      name: name('worker'),
      namespace: ns,
      labels: labels(name('worker')),
      replicas: 1,
    }),
    seedWorkload(beta.client, { name: name('pay'), namespace: ns, labels: labels(name('pay')), replicas: 2 }),
  ]);
  // worker's Deployment and pods stay; its Service goes, so stitching finds none for it.
  expect(await alpha.client.delete(`/api/v1/namespaces/${ns}/services/${name('worker')}`)).toBe(true);

  const docs = (entities: object[]) => entities.map((e) => stringify(e)).join('---\n');
  await writeFile(
    join(dir, 'catalog', 'catalog-info.yaml'),
    docs([
      componentEntity(name('cart'), { [ID]: name('cart'), [NS]: ns }, { owner: 'team-a', system: 'shop' }),
      componentEntity(
        name('worker'),
        { [ID]: name('worker'), [NS]: ns },
        { owner: 'team-a', system: 'shop' },
      ),
      componentEntity(name('pay'), { [ID]: name('pay'), [NS]: ns }, { owner: 'team-b', system: 'payments' }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: name('orphan'), annotations: { [ID]: name('orphan') } },
        // Backstage requires an owner; this one is no group or user, so nobody owns the component.
        spec: { type: 'service', lifecycle: 'experimental', owner: 'system:default/legacy' },
      },
      groupEntity('team-a', { displayName: 'Team A', email: 'team-a@example.com' }),
      groupEntity('team-b', { displayName: 'Team B' }),
    ]),
  );
  const file = join(dir, 'app-config.yaml');
  await writeFile(
    file,
    stringify({
      backend: {
        auth: { externalAccess: [{ type: 'static', options: { token: API_TOKEN, subject: 'tests' } }] },
        database: { client: 'better-sqlite3', connection: join(dir, 'store.sqlite') },
      },
      stitchboard: {
        dataDir: join(dir, 'data'),
        catalog: [{ type: 'file', path: 'catalog' }],
        kubernetes: { mode: 'live', clusters: { [beta.info.name]: { mode: 'watch' } } },
      },
      kubernetes: {
        ...rawKubernetes([
          configCluster(alpha.info, { serviceAccountToken: '${ALPHA_TOKEN}' }),
          configCluster(beta.info, { serviceAccountToken: '${BETA_TOKEN}' }),
        ]),
        // v1.20 serves these kinds at older versions only; otherwise every cluster reads as partly refused.
        apiVersionOverrides: V120_OVERRIDES,
      },
      scrapers: {
        backstage: { interval: '1h', timeout: '5s', discovery: { enabled: false } },
        catalog: { enabled: true, name: 'files' },
      },
    }),
  );
  const { config } = await loadConfig([file], {
    env: { ALPHA_TOKEN: alpha.info.adminToken, BETA_TOKEN: beta.info.adminToken },
    cwd: dir,
  });
  app = await createApp(config, { logger: silentLogger(), env: {} });
  await until('a first stitching run', async () => {
    const runs = await app.stitching.store.listRuns({ instance: 'files', limit: 1 });
    return runs[0]?.status === 'ok';
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await Promise.all([
    alpha.client.delete(`/api/v1/namespaces/${ns}`),
    beta.client.delete(`/api/v1/namespaces/${ns}`),
  ]);
});

describe('team and system rollups on real clusters', () => {
  it('GET /teams adds up pods, errors by kind, Services and clusters per owner, worst status first', async () => {
    const body = await get<TeamsResponse>('/teams');
    expect(body.components).toBe(4);
    expect(body.items.map((t) => t.ref)).toEqual(['group:default/team-a', 'group:default/team-b']);
    const [teamA, teamB] = body.items;
    expect(teamA).toEqual({
      ref: 'group:default/team-a',
      kind: 'group',
      displayName: 'Team A',
      email: 'team-a@example.com',
      systems: ['system:default/shop'],
      components: 2,
      componentsWithoutServices: 1,
      services: 2,
      clusters: [alpha.info.name, beta.info.name].sort(),
      unreadableClusters: [],
      pods: { ready: 4, total: 6 },
      // beta's 2 crash-looping pods: each waiting and restarting; its Deployment lacks availability.
      errors: {
        total: 5,
        byKind: { 'container-waiting': 2, 'containers-restarting': 2, 'condition-message-present': 1 },
      },
      health: 'error',
      componentsByHealth: { ok: 1, warning: 0, error: 1, none: 0 },
    });
    expect(teamB).toMatchObject({
      displayName: 'Team B',
      components: 1,
      componentsWithoutServices: 0,
      services: 1,
      clusters: [beta.info.name],
      pods: { ready: 2, total: 2 },
      errors: { total: 0, byKind: {} },
      health: 'ok',
    });
    expect(body.unowned).toMatchObject({
      components: 1,
      componentsWithoutServices: 1,
      health: 'none',
      clusters: [],
    });
  });

  it('GET /teams/:ref lists the team’s components, with the same health the Components page shows', async () => {
    const detail = await get<TeamDetail>('/teams/group:default/team-a');
    expect(detail.components.map((c) => [c.name, c.health, c.services, c.pods])).toEqual([
      [name('cart'), 'error', 2, { ready: 3, total: 5 }],
      [name('worker'), 'ok', 0, { ready: 1, total: 1 }],
    ]);
    const page = await get<{ items: { ref: string; health: string; clusters: string[] }[] }>(
      `/components?q=${u}&limit=10`,
    );
    for (const c of detail.components) {
      const listed = page.items.find((i) => i.ref === c.ref);
      expect(listed?.health).toBe(c.health);
    }
  });

  it('GET /systems adds up per system, with its owners, and the components without one', async () => {
    const body = await get<SystemsResponse>('/systems');
    expect(body.items.map((s) => [s.ref, s.owners, s.components, s.pods, s.health])).toEqual([
      ['system:default/payments', ['group:default/team-b'], 1, { ready: 2, total: 2 }, 'ok'],
      ['system:default/shop', ['group:default/team-a'], 2, { ready: 4, total: 6 }, 'error'],
    ]);
    expect(body.noSystem).toMatchObject({ components: 1, health: 'none' });
  });
});
