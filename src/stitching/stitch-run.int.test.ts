import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackstage, type BackstageFixture } from '../../test/helpers/backstage.ts';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { componentEntity, groupEntity, userEntity } from '../../test/helpers/entities.ts';
import { startApiserver, stopApiserver } from '../../tools/kube/lab.ts';
import type { DatabaseConfig } from '../config/types.ts';
import { captureLogs } from '../http/test-helpers.ts';
import type { StoredLink, TopologyStore } from '../store/types.ts';
import { openTestStore, PgSchemas, scraperConfig, serviceObject, testScraper } from './test-support.ts';
import type { ScrapeProgress } from './types.ts';

// Stitching end to end: a real Backstage catalog backend, two real clusters with real Services, and the
// store on SQLite and on PostgreSQL. Every name is unique to this run: the clusters are shared.
const { alpha, beta } = testClusters();
const shop = uniqueNamespace('stitch-shop');
const pay = uniqueNamespace('stitch-pay');
const nsA = uniqueNamespace('stitch-a');
const nsB = uniqueNamespace('stitch-b');
const u = shop.slice(-6);
const ID = 'backstage.io/kubernetes-id';
const NS = 'backstage.io/kubernetes-namespace';
const name = (base: string) => `${base}-${u}`;

const entities = [
  groupEntity('team-a', { displayName: 'Team A', email: 'team-a@example.com' }),
  groupEntity('platform', { displayName: 'Platform' }, 'ops'),
  userEntity('jdoe', { displayName: 'Jane Doe', email: 'jdoe@example.com' }),
  // Namespace given, owner a short group ref; runs in both clusters.
  componentEntity(name('cart'), { [ID]: name('cart'), [NS]: shop }, { system: 'shop' }),
  // No namespace: the name alone, unique in the cluster. Owned by a user.
  componentEntity(name('pay'), { [ID]: name('pay') }, { owner: 'user:jdoe' }),
  // A short ref resolves in the component's own namespace: group:ops/platform.
  componentEntity(name('api'), { [ID]: name('api'), [NS]: shop }, { owner: 'platform' }, 'ops'),
  // In two namespaces of alpha: ambiguous.
  componentEntity(name('dup'), { [ID]: name('dup') }),
  // Its only owner value names a group the catalog lacks: stitched, with no owner link.
  componentEntity(name('lost'), { [ID]: name('lost') }, { owner: 'team-gone' }),
  // No id annotation: nothing to look up.
  componentEntity(name('ghost'), {}),
  // spec.owner names a group the catalog lacks: the next component_owner path, the annotation, resolves.
  componentEntity(
    name('fallback'),
    { [ID]: name('fallback'), [NS]: shop, 'backstage.io/owner': 'user:jdoe' },
    {
      owner: 'team-gone',
    },
  ),
  // Its id is no Service name: passed over, and reported with the reason.
  componentEntity(name('badid'), { [ID]: `Not A Name ${u}` }),
  // Only the custom label_map finds this one.
  componentEntity(name('web'), { 'example.com/service': name('web'), 'example.com/team': 'user:jdoe' }),
];

let backstage: BackstageFixture;
const pgSchemas = new PgSchemas();
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stitchboard-stitch-'));
  const [fixture] = await Promise.all([
    startBackstage({ entities }),
    (async () => {
      for (const ns of [shop, pay, nsA, nsB]) {
        await alpha.client.ensureNamespace(ns);
      }
      await beta.client.ensureNamespace(shop);
      await alpha.client.create(serviceObject(shop, name('cart')));
      await alpha.client.create(serviceObject(shop, name('api')));
      await alpha.client.create(serviceObject(shop, name('web')));
      await alpha.client.create(serviceObject(shop, name('lonely')));
      await alpha.client.create(serviceObject(shop, name('fallback')));
      await alpha.client.create(serviceObject(shop, name('lost')));
      await alpha.client.create(serviceObject(pay, name('pay')));
      await alpha.client.create(serviceObject(nsA, name('dup')));
      await alpha.client.create(serviceObject(nsB, name('dup')));
      await beta.client.create(serviceObject(shop, name('cart')));
    })(),
  ]);
  backstage = fixture;
});

afterAll(async () => {
  await startApiserver(beta.info.stateDir).catch(() => {});
  await backstage?.close();
  await pgSchemas.dropAll();
  await rm(dataDir, { recursive: true, force: true });
});

const mine = (links: StoredLink[]) => links.filter((l) => l.service.endsWith(u));
const keyOf = (l: StoredLink) => `${l.cluster}/${l.namespace}/${l.service}`;

describe.each([
  [
    'sqlite',
    async (): Promise<DatabaseConfig> => ({ client: 'sqlite', path: join(dataDir, `${Date.now()}.sqlite`) }),
  ],
  ['pg', () => pgSchemas.fresh()],
])('stitching into %s', (_dialect, database) => {
  let store: TopologyStore;
  const logs = captureLogs();
  const instance = (overrides: { token?: string; pageSize?: number } = {}) =>
    testScraper({
      config: scraperConfig({
        instances: [
          {
            source: 'config',
            name: 'main',
            endpoint: backstage.url,
            token: overrides.token ?? backstage.token,
            insecureSkipVerify: false,
            labelMap: scraperConfig().labelMap,
          },
          {
            source: 'config',
            name: 'custom',
            endpoint: backstage.url,
            token: overrides.token ?? backstage.token,
            insecureSkipVerify: false,
            labelMap: {
              component_kubernetes_id: [
                'annotations.example.com/service',
                'annotations.backstage.io/kubernetes-id',
              ],
              component_kubernetes_namespace: ['annotations.backstage.io/kubernetes-namespace'],
              component_owner: ['annotations["example.com/team"]'],
            },
          },
        ],
      }),
      store,
      clusters: [alpha.info, beta.info],
      logger: logs.logger,
      ...(overrides.pageSize ? { pageSize: overrides.pageSize } : {}),
    });

  beforeAll(async () => {
    store = await openTestStore(await database(), logs.logger);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stitches components to their Services in every cluster, with owners, labels and a report', async () => {
    const { scraper, close } = instance();
    try {
      const summary = await scraper.runOnce();
      expect(summary.runs.map((r) => [r.instance, r.status])).toEqual([
        ['main', 'ok'],
        ['custom', 'ok'],
      ]);
      expect(summary.runs[0]?.counts).toMatchObject({
        clustersRead: 2,
        clustersFailed: 0,
        catalogRequests: 2,
      });
    } finally {
      await close();
    }

    const main = mine(await store.listServices({ instance: 'main' }));
    expect(main.map(keyOf)).toEqual([
      `alpha/${pay}/${name('pay')}`,
      `alpha/${shop}/${name('api')}`,
      `alpha/${shop}/${name('cart')}`,
      `alpha/${shop}/${name('fallback')}`,
      `alpha/${shop}/${name('lost')}`,
      `beta/${shop}/${name('cart')}`,
    ]);
    // First that resolves: spec.owner (not in the catalog) is passed over for the annotation.
    expect(main.find((l) => l.service === name('fallback'))).toMatchObject({
      ownerRef: 'user:default/jdoe',
      match: { owner: { value: 'user:jdoe', path: 'annotations.backstage.io/owner' } },
      labels: {
        'stitchboard.io/team': 'Jane Doe',
        'stitchboard.io/owner-source': 'annotations.backstage.io/owner',
      },
    });
    // No path resolves for lost: the Service is stitched with no owner link and no team label.
    const lost = main.find((l) => l.service === name('lost'));
    expect(lost).toMatchObject({ ownerRef: null });
    expect(lost?.labels).not.toHaveProperty(['stitchboard.io/team']);
    expect(lost?.labels).not.toHaveProperty(['stitchboard.io/owner-ref']);
    const cart = main.find((l) => l.cluster === 'alpha' && l.service === name('cart'));
    expect(cart).toMatchObject({
      componentRef: `component:default/${name('cart')}`,
      ownerRef: 'group:default/team-a',
      match: {
        by: 'name-namespace',
        kubernetesId: { value: name('cart'), path: `annotations.${ID}` },
        kubernetesNamespace: { value: shop, path: `annotations.${NS}` },
        owner: { value: 'team-a', path: 'spec.owner' },
      },
      labels: {
        'stitchboard.io/scraper': 'main',
        'stitchboard.io/team': 'Team A',
        'stitchboard.io/component': name('cart'),
        'stitchboard.io/component-type': 'service',
        'stitchboard.io/lifecycle': 'production',
        'stitchboard.io/system': 'shop',
        'stitchboard.io/owner-ref': 'group:default/team-a',
        'stitchboard.io/owner-kind': 'group',
        'stitchboard.io/owner-source': 'spec.owner',
        'stitchboard.io/kubernetes-id': name('cart'),
        'stitchboard.io/kubernetes-namespace': shop,
      },
    });
    expect(cart?.serviceUid).toMatch(/^[0-9a-f-]{36}$/);
    expect(main.find((l) => l.service === name('pay'))).toMatchObject({
      ownerRef: 'user:default/jdoe',
      match: { by: 'name-only' },
      labels: { 'stitchboard.io/team': 'Jane Doe', 'stitchboard.io/owner-kind': 'user' },
    });
    expect(main.find((l) => l.service === name('api'))).toMatchObject({
      componentRef: `component:ops/${name('api')}`,
      ownerRef: 'group:ops/platform',
      labels: { 'stitchboard.io/team': 'Platform' },
    });

    const [owner] = await store.getOwner('group:default/team-a', { instance: 'main' });
    expect(owner?.owner).toMatchObject({ displayName: 'Team A', email: 'team-a@example.com' });
    // No placeholder owner for a ref the catalog lacks.
    expect(await store.getOwner('group:default/team-gone')).toEqual([]);
    expect((await store.listOwners({ instance: 'main' })).map((o) => o.ref)).not.toContain(
      'group:default/team-gone',
    );
    expect(mine(owner?.services ?? []).map(keyOf)).toEqual([
      `alpha/${shop}/${name('cart')}`,
      `beta/${shop}/${name('cart')}`,
    ]);

    const report = await store.getReport({ instance: 'main' });
    const unmatched = Object.fromEntries(
      report.unmatchedComponents
        .filter((c) => c.componentRef.endsWith(u))
        .map((c) => [c.componentRef, c.reason]),
    );
    expect(unmatched).toEqual({
      [`component:default/${name('dup')}`]: 'ambiguous',
      [`component:default/${name('ghost')}`]: 'no-id-value',
      [`component:default/${name('badid')}`]: 'no-id-value',
      [`component:default/${name('web')}`]: 'no-id-value',
    });
    expect(report.ambiguous.find((a) => a.componentRef.endsWith(name('dup')))).toMatchObject({
      cluster: 'alpha',
      candidates: [nsA, nsB].sort(),
    });
    expect(report.unmatchedComponents.find((c) => c.componentRef.endsWith(name('badid')))?.tried).toEqual([
      {
        path: `annotations.${ID}`,
        reason: 'invalid',
        value: `Not A Name ${u}`,
        message: expect.stringContaining('not a Service name'),
      },
    ]);
    const gone = { ref: 'group:default/team-gone', kind: 'group', value: 'team-gone', path: 'spec.owner' };
    expect(report.danglingOwners.filter((d) => d.componentRef.endsWith(u))).toEqual([
      {
        instance: 'main',
        componentRef: `component:default/${name('fallback')}`,
        ownerRef: gone.ref,
        kind: gone.kind,
        value: gone.value,
        path: gone.path,
      },
      {
        instance: 'main',
        componentRef: `component:default/${name('lost')}`,
        ownerRef: gone.ref,
        kind: gone.kind,
        value: gone.value,
        path: gone.path,
      },
    ]);
    expect(report.ownerProblems.filter((p) => p.componentRef.endsWith(u))).toContainEqual({
      instance: 'main',
      componentRef: `component:default/${name('lost')}`,
      reason: 'owner-unresolved',
      tried: [
        { path: 'spec.owner', reason: 'not-in-catalog', value: 'team-gone', ref: gone.ref, kind: 'group' },
        { path: 'annotations.backstage.io/owner', reason: 'no-value' },
      ],
    });
    expect(report.ownerProblems.map((p) => p.componentRef)).not.toContain(
      `component:default/${name('fallback')}`,
    );
    const unclaimed = report.unclaimedServices.filter((s) => s.service.endsWith(u)).map((s) => s.service);
    expect(unclaimed).toContain(name('lonely'));
    expect(unclaimed).not.toContain(name('cart'));
  });

  it('reads the fields a custom label_map names, and links no owner when its paths give none', async () => {
    const custom = mine(await store.listServices({ instance: 'custom' }));
    expect(custom.find((l) => l.service === name('web'))).toMatchObject({
      ownerRef: 'user:default/jdoe',
      match: {
        kubernetesId: { value: name('web'), path: 'annotations.example.com/service' },
        owner: { path: 'annotations["example.com/team"]' },
      },
      labels: { 'stitchboard.io/owner-source': 'annotations["example.com/team"]' },
    });
    // The second id path still finds cart; spec.owner is not in this label_map, so cart has no owner here.
    expect(custom.find((l) => l.cluster === 'alpha' && l.service === name('cart'))).toMatchObject({
      ownerRef: null,
      match: { kubernetesId: { path: `annotations.${ID}` } },
    });
    expect(
      (await store.listServices({ instance: 'custom', unowned: true })).some(
        (l) => l.service === name('cart'),
      ),
    ).toBe(true);
  });

  it('keeps a stopped cluster’s links from the last good run, and says the run was partial', async () => {
    const before = mine(await store.listServices({ instance: 'main', cluster: 'beta' }));
    expect(before).toHaveLength(1);
    await stopApiserver(beta.info.stateDir);
    try {
      const { scraper, close } = instance();
      const summary = await scraper.runOnce().finally(close);
      const run = summary.runs[0];
      expect(run?.status).toBe('partial');
      expect(run?.errors).toEqual([
        {
          part: 'cluster',
          cluster: 'beta',
          message: expect.stringMatching(/connection refused by cluster 'beta'/),
        },
      ]);
    } finally {
      await startApiserver(beta.info.stateDir);
    }
    const after = mine(await store.listServices({ instance: 'main', cluster: 'beta' }));
    expect(after).toEqual(before);
    const alphaCart = mine(
      await store.listServices({
        instance: 'main',
        cluster: 'alpha',
        component: `component:default/${name('cart')}`,
      }),
    );
    expect(alphaCart[0]?.stitchedAt.getTime()).toBeGreaterThan(before[0]?.stitchedAt.getTime() ?? 0);
    const [latest] = await store.listRuns({ instance: 'main', limit: 1 });
    expect(latest).toMatchObject({ status: 'partial', counts: { clustersRead: 1, clustersFailed: 1 } });
  });

  it('records a rejected token as a failed run, keeps every link, and never logs the token', async () => {
    const before = await store.listServices();
    const wrong = 'wrong-token-0123456789';
    const { scraper, close } = instance({ token: wrong });
    const summary = await scraper.runOnce().finally(close);
    expect(summary.runs.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(summary.runs[0]?.errors).toEqual([
      {
        part: 'catalog',
        message: expect.stringMatching(/Backstage at http:\/\/127\.0\.0\.1:\d+ rejected the token \(401\)/),
      },
    ]);
    expect(await store.listServices()).toEqual(before);
    expect(logs.lines().join('\n')).not.toContain(wrong);
    expect(logs.lines().join('\n')).not.toContain(backstage.token);
    expect(JSON.stringify(await store.listRuns({ limit: 100 }))).not.toContain(wrong);
  });

  it('loses nothing when Backstage stops in the middle of paging', async () => {
    const before = await store.listServices();
    const runsBefore = await store.listRuns({ limit: 1000 });
    const { scraper, close } = instance({ pageSize: 2 });
    let pages = 0;
    // The second instance's catalog read fails too: the backend is down from the first page on.
    const onProgress = async (event: ScrapeProgress) => {
      if (event.type === 'catalog-page' && ++pages === 1) await backstage.stop();
    };
    try {
      const summary = await scraper.runOnce({ onProgress });
      expect(pages).toBe(1);
      expect(summary.runs.map((r) => r.status)).toEqual(['failed', 'failed']);
      expect(summary.runs[0]?.errors).toEqual([
        { part: 'catalog', message: expect.stringMatching(/Backstage at .* is unreachable: .*ECONNREFUSED/) },
      ]);
    } finally {
      await close();
      await backstage.start();
    }
    expect(await store.listServices()).toEqual(before);
    expect((await store.listRuns({ limit: 1000 })).length).toBe(runsBefore.length + 2);
  });
});
