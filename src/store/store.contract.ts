import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStitchboardError } from '../errors/errors.ts';
import {
  component,
  group,
  ID,
  NS,
  run as stitchRun,
  svc,
  triedMissingGroup,
  user,
} from '../topology/test-helpers.ts';
import type { StitchInput, StitchResult } from '../topology/types.ts';
import { describeReplicaMembership } from './replicas.contract.ts';
import { describeFencing } from './fencing.contract.ts';
import { describeRunsAndLeases } from './runs-leases.contract.ts';
import type { ReplaceScope, TopologyStore } from './types.ts';

/**
 * One behaviour for every TopologyStore, after Hono's shared router cases. `makeStore` gives a fresh,
 * empty database each time; `reopen` opens a second connection to that same database (a second
 * replica, or a CLI next to the server).
 */
export interface StoreUnderTest {
  store: TopologyStore;
  reopen(): Promise<TopologyStore>;
}

/** What each part of the contract gets: the current test's fresh store, and a second connection to it. */
export interface ContractStores {
  store: () => TopologyStore;
  reopen: () => Promise<TopologyStore>;
}

const stitch = (input: Partial<StitchInput>, instance = 'main') => stitchRun({ instance, ...input });
const all = (clusters: string[]): ReplaceScope => ({ complete: clusters.map((cluster) => ({ cluster })) });

/** A catalog and two clusters with one of everything: name+namespace, name-only, ambiguous, missing owner, unclaimed. */
function baseline(instance = 'main'): StitchResult {
  return stitch(
    {
      groups: [group('team-a', undefined, 'Team A'), group('team-b')],
      users: [user('jdoe', 'Jane Doe')],
      components: [
        component('cart', { [ID]: 'cart', [NS]: 'shop' }, { owner: 'team-a', system: 'checkout' }),
        component('web', { [ID]: 'web' }, { owner: 'user:jdoe' }),
        component('api', { [ID]: 'api' }, { owner: 'ghosts' }),
        component('batch', { [ID]: 'batch' }),
        component('docs'),
        component('orphan', { [ID]: 'orphan' }, { owner: 'team-b' }),
      ],
      services: [
        svc('eu/shop/cart'),
        svc('eu/shop/web'),
        svc('eu/x/api'),
        svc('eu/y/api'),
        svc('eu/jobs/batch'),
        svc('us/shop/cart'),
        svc('us/front/web'),
        svc('us/kube-system/dns'),
      ],
      clusters: ['eu', 'us'],
    },
    instance,
  );
}

/** What getReport answers for an instance that stored nothing. */
const EMPTY_REPORT = {
  unmatchedComponents: [],
  ambiguous: [],
  conflicts: [],
  ownerProblems: [],
  unclaimedServices: [],
  danglingOwners: [],
};

/** A run after the baseline that differs from it in every link, component and owner. */
function nextRun(): StitchResult {
  return stitch({
    groups: [group('team-c')],
    components: [component('shop', { [ID]: 'cart' }, { owner: 'team-c' })],
    services: [svc('eu/shop/cart')],
    clusters: ['eu', 'us'],
  });
}

/** The stitch report as the store reports it: every entry tagged with its instance. */
function tagged(result: StitchResult) {
  const tag = <T>(list: T[]) => list.map((entry) => ({ ...entry, instance: result.instance }));
  const r = result.report;
  return {
    unmatchedComponents: tag(r.unmatchedComponents),
    ambiguous: tag(r.ambiguous),
    conflicts: tag(r.conflicts),
    ownerProblems: tag(r.ownerProblems),
    unclaimedServices: tag(r.unclaimedServices),
    danglingOwners: tag(r.danglingOwners),
  };
}

const serviceLines = async (
  store: TopologyStore,
  filter: Parameters<TopologyStore['listServices']>[0] = {},
) =>
  (await store.listServices(filter)).map(
    (l) => `${l.instance} ${l.cluster}/${l.namespace}/${l.service} ${l.componentRef}`,
  );

export function runStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`TopologyStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: TopologyStore;
    const opened: TopologyStore[] = [];

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
      opened.push(store);
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close().catch(() => undefined);
    });
    const reopen = async () => {
      const another = await subject.reopen();
      opened.push(another);
      return another;
    };
    /** The baseline run of `main`, complete in both clusters: what most tests start from. */
    const storeBaseline = () => store.replaceInstanceResults('main', baseline(), all(['eu', 'us']));
    /** A later run of `main` that could read the cluster eu only. */
    const storeEuOnly = (input: Partial<StitchInput>) =>
      store.replaceInstanceResults('main', stitch({ ...input, clusters: ['eu'] }), all(['eu']));

    describeRunsAndLeases({ store: () => store, reopen });
    describeReplicaMembership({ store: () => store, reopen });
    describeFencing({
      store: () => store,
      reopen,
      // Two runs that differ in every link, so an overwrite could not go unseen.
      result: (variant) => (variant === 'first' ? baseline() : nextRun()),
      scope: all(['eu', 'us']),
    });

    it('starts empty', async () => {
      expect(await store.listServices()).toEqual([]);
      expect(await store.listOwners()).toEqual([]);
      expect(await store.listRuns()).toEqual([]);
      expect(await store.getReport()).toEqual(EMPTY_REPORT);
    });

    it('stores a run and reads back exactly what stitching produced', async () => {
      const result = baseline();
      const before = Date.now();
      await store.replaceInstanceResults('main', result, all(['eu', 'us']));

      const links = await store.listServices();
      expect(links.map(({ stitchedAt: _, ...link }) => link)).toEqual(
        result.links.map((l) => ({ ...l, instance: 'main' })),
      );
      expect(links[0]?.stitchedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(await store.getReport()).toEqual(tagged(result));
      expect(await store.getReport({ instance: 'other' })).toEqual(EMPTY_REPORT);

      const [detail] = await store.getService({ cluster: 'eu', namespace: 'shop', service: 'cart' });
      expect(detail?.link.labels['stitchboard.io/team']).toBe('Team A');
      expect(detail?.link.match.by).toBe('name-namespace');
      expect(detail?.component).toEqual({
        ...result.components.find((c) => c.ref === 'component:default/cart'),
        instance: 'main',
      });
      expect(detail?.owner).toMatchObject({
        ref: 'group:default/team-a',
        displayName: 'Team A',
        serviceCount: 2,
        instance: 'main',
      });
      expect(await store.getService({ cluster: 'eu', namespace: 'shop', service: 'nope' })).toEqual([]);

      const owners = await store.listOwners();
      expect(owners.map((o) => `${o.ref} ${o.serviceCount}`)).toEqual([
        'group:default/team-a 2',
        'group:default/team-b 0',
        'user:default/jdoe 2',
      ]);
      expect(await store.getOwner('group:default/ghosts')).toEqual([]);
      expect((await store.listOwners({ kind: 'user' })).map((o) => o.ref)).toEqual(['user:default/jdoe']);
      const [jdoe] = await store.getOwner('User:Default/JDoe');
      expect(jdoe?.owner.displayName).toBe('Jane Doe');
      expect(jdoe?.services.map((s) => `${s.cluster}/${s.namespace}/${s.service}`)).toEqual([
        'eu/shop/web',
        'us/front/web',
      ]);
      expect(await store.getOwner('group:default/nobody')).toEqual([]);
    });

    it.each<[string, Parameters<TopologyStore['listServices']>[0], string[]]>([
      [
        'cluster',
        { cluster: 'us' },
        ['main us/front/web component:default/web', 'main us/shop/cart component:default/cart'],
      ],
      [
        'namespace',
        { namespace: 'shop' },
        [
          'main eu/shop/cart component:default/cart',
          'main eu/shop/web component:default/web',
          'main us/shop/cart component:default/cart',
        ],
      ],
      [
        'owner, case-insensitively',
        { owner: 'GROUP:default/team-a' },
        ['main eu/shop/cart component:default/cart', 'main us/shop/cart component:default/cart'],
      ],
      [
        'component',
        { component: 'component:default/web' },
        ['main eu/shop/web component:default/web', 'main us/front/web component:default/web'],
      ],
      ['unowned', { unowned: true }, ['main eu/jobs/batch component:default/batch']],
      [
        'owned',
        { unowned: false, cluster: 'eu' },
        ['main eu/shop/cart component:default/cart', 'main eu/shop/web component:default/web'],
      ],
      ['instance', { instance: 'other' }, []],
      [
        'limit and offset',
        { limit: 2, offset: 1 },
        ['main eu/shop/cart component:default/cart', 'main eu/shop/web component:default/web'],
      ],
    ])('filters services by %s', async (_name, filter, expected) => {
      await storeBaseline();
      expect(await serviceLines(store, filter)).toEqual(expected);
    });

    it('reports the owner not in the catalog as dangling, and its component as without an owner', async () => {
      await storeBaseline();
      const report = await store.getReport();
      expect(report.danglingOwners).toEqual([
        {
          instance: 'main',
          componentRef: 'component:default/api',
          ownerRef: 'group:default/ghosts',
          kind: 'group',
          value: 'ghosts',
          path: 'spec.owner',
        },
      ]);
      expect(report.ownerProblems.find((p) => p.componentRef === 'component:default/api')).toEqual({
        instance: 'main',
        componentRef: 'component:default/api',
        reason: 'owner-unresolved',
        tried: triedMissingGroup('ghosts', 'group:default/ghosts'),
      });
      expect(report.unmatchedComponents.map((u) => `${u.componentRef} ${u.reason}`)).toEqual([
        'component:default/api ambiguous',
        'component:default/docs no-id-value',
        'component:default/orphan no-such-service',
      ]);
    });

    it('replaces the previous run: links, components, owners and report', async () => {
      await storeBaseline();
      const next = nextRun();
      await store.replaceInstanceResults('main', next, all(['eu', 'us']));
      expect(await serviceLines(store)).toEqual(['main eu/shop/cart component:default/shop']);
      expect((await store.listOwners()).map((o) => o.ref)).toEqual(['group:default/team-c']);
      expect(await store.getReport()).toEqual(tagged(next));
    });

    it('replaces all or nothing: a write that fails midway changes nothing', async () => {
      await storeBaseline();
      const before = {
        services: await store.listServices(),
        owners: await store.listOwners(),
        report: await store.getReport(),
      };

      const broken = stitch({
        components: [component('a', { [ID]: 'a' }), component('b', { [ID]: 'b' })],
        services: [svc('eu/ns/a'), svc('eu/ns/b')],
      });
      // The second link violates the match_by CHECK constraint, after the deletes and the first insert ran.
      (broken.links[1] as { match: { by: string } }).match.by = 'guesswork';
      const error = await store
        .replaceInstanceResults('main', broken, all(['eu', 'us']))
        .catch((e: unknown) => e);
      expect(isStitchboardError(error) && error.code).toBe('STORE_FAILED');
      expect((error as Error).message).toContain('replaceInstanceResults');

      expect(await store.listServices()).toEqual(before.services);
      expect(await store.listOwners()).toEqual(before.owners);
      expect(await store.getReport()).toEqual(before.report);
      // And the store still works after the rollback.
      await store.replaceInstanceResults('main', baseline(), all(['eu']));
    });

    it('keeps the last good rows of a cluster the run could not read', async () => {
      await storeBaseline();
      const usBefore = await store.listServices({ cluster: 'us' });
      await new Promise((resolve) => setTimeout(resolve, 5));

      // us is unreachable: the run saw only eu, where cart's Service is gone.
      await storeEuOnly({
        groups: [group('team-a', undefined, 'Team A'), group('team-b')],
        users: [user('jdoe', 'Jane Doe')],
        components: [
          component('cart', { [ID]: 'cart', [NS]: 'shop' }, { owner: 'team-a' }),
          component('web', { [ID]: 'web' }, { owner: 'user:jdoe' }),
        ],
        services: [svc('eu/shop/web')],
      });

      expect(await serviceLines(store)).toEqual([
        'main eu/shop/web component:default/web',
        'main us/front/web component:default/web',
        'main us/shop/cart component:default/cart',
      ]);
      expect(await store.listServices({ cluster: 'us' })).toEqual(usBefore);
      const report = await store.getReport();
      expect(report.unclaimedServices.map((s) => `${s.cluster}/${s.namespace}/${s.service}`)).toEqual([
        'us/kube-system/dns',
      ]);
      // cart still has its us link, so it is not unmatched although eu has no Service for it.
      expect(report.unmatchedComponents).toEqual([]);
    });

    it('with a partial catalog, replaces only the components it read', async () => {
      await storeBaseline();
      // The catalog failed after the first page: only cart was read, now owned by team-b.
      const partial = stitch({
        groups: [group('team-b', undefined, 'Team B')],
        components: [component('cart', { [ID]: 'cart', [NS]: 'shop' }, { owner: 'team-b' })],
        services: [svc('eu/shop/cart'), svc('eu/shop/web'), svc('us/shop/cart'), svc('us/front/web')],
        clusters: ['eu', 'us'],
      });
      await store.replaceInstanceResults('main', partial, {
        ...all(['eu', 'us']),
        catalog: { components: false, owners: false },
      });

      const lines = (await store.listServices()).map(
        (l) => `${l.cluster}/${l.service} ${l.componentRef} ${l.ownerRef}`,
      );
      expect(lines).toEqual([
        'eu/batch component:default/batch null',
        'eu/cart component:default/cart group:default/team-b',
        'eu/web component:default/web user:default/jdoe',
        'us/web component:default/web user:default/jdoe',
        'us/cart component:default/cart group:default/team-b',
      ]);
      expect((await store.listOwners()).map((o) => `${o.ref} ${o.displayName}`)).toEqual([
        'group:default/team-a Team A',
        'group:default/team-b Team B',
        'user:default/jdoe Jane Doe',
      ]);
    });

    it('with a complete catalog, drops components that left it, in every cluster', async () => {
      await storeBaseline();
      // web left the catalog; the run saw eu only, but web goes from us too.
      await storeEuOnly({
        components: [component('cart', { [ID]: 'cart', [NS]: 'shop' })],
        services: [svc('eu/shop/cart')],
      });
      expect(await serviceLines(store)).toEqual([
        'main eu/shop/cart component:default/cart',
        'main us/shop/cart component:default/cart',
      ]);
    });

    it('stores a run larger than one bulk statement in full', async () => {
      const clusters = ['c1', 'c2', 'c3', 'c4', 'c5'];
      const components = Array.from({ length: 2500 }, (_, i) => component(`comp-${i}`, { [ID]: `svc-${i}` }));
      const services = clusters.flatMap((cluster) =>
        Array.from({ length: 2600 }, (_, i) => ({ cluster, namespace: `ns-${i % 7}`, name: `svc-${i}` })),
      );
      const result = stitch({ components, services, clusters });
      expect(result.links).toHaveLength(12_500);
      await store.replaceInstanceResults('main', result, all(clusters));
      const stored = await store.listServices({ limit: 10_000 });
      const rest = await store.listServices({ limit: 10_000, offset: 10_000 });
      expect([...stored, ...rest].map(({ stitchedAt: _, instance: __, ...link }) => link)).toEqual(
        result.links,
      );
      expect((await store.getReport()).unclaimedServices).toHaveLength(500);
    });

    it('keeps instances apart', async () => {
      await store.replaceInstanceResults('main', baseline('main'), all(['eu', 'us']));
      await store.replaceInstanceResults('second', baseline('second'), all(['eu', 'us']));
      await store.replaceInstanceResults(
        'second',
        stitch({ clusters: ['eu', 'us'] }, 'second'),
        all(['eu', 'us']),
      );
      expect(await store.listServices({ instance: 'second' })).toEqual([]);
      expect(await store.listServices({ instance: 'main' })).toHaveLength(baseline().links.length);
      expect((await store.getReport({ instance: 'main' })).unmatchedComponents).toHaveLength(3);
    });

    it('refuses a result for another instance', async () => {
      const error = await store
        .replaceInstanceResults('main', baseline('other'), all(['eu']))
        .catch((e: unknown) => e);
      expect(isStitchboardError(error) && error.code).toBe('INPUT_INVALID');
    });

    it('stores names with quotes and SQL in them as plain data', async () => {
      const evil = "x'); DROP TABLE sb_links; --";
      const result = stitch(
        {
          components: [component('cart', { [ID]: 'cart' })],
          services: [{ cluster: evil, namespace: 'n"s', name: 'cart' }],
        },
        evil,
      );
      await store.replaceInstanceResults(evil, result, all([evil]));
      expect(await serviceLines(store, { cluster: evil })).toEqual([
        `${evil} ${evil}/n"s/cart component:default/cart`,
      ]);
      expect(await store.listServices({ cluster: "' OR '1'='1" })).toEqual([]);
    });

    it('sees what another connection wrote, and keeps it across reopening', async () => {
      await storeBaseline();
      const other = await reopen();
      expect(await other.listServices()).toEqual(await store.listServices());
    });

    it('fails with STORE_FAILED naming the operation once closed', async () => {
      await store.close();
      const error = await store.listServices().catch((e: unknown) => e);
      expect(isStitchboardError(error) && error.code).toBe('STORE_FAILED');
      expect((error as Error).message).toMatch(/^store listServices failed: /);
    });
  });
}
