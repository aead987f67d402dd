import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthDispatcher, defaultAuthStrategies } from '../../auth/dispatch.ts';
import { StaticClusterSupplier } from '../../clusters/config-supplier.ts';
import type { BackstageScraperConfig, PermissionRuleConfig } from '../../config/types.ts';
import { LiveFetcher } from '../../fetch/live-fetcher.ts';
import { ClusterConnections } from '../../fetch/connection.ts';
import { Scraper } from '../../stitching/scraper.ts';
import { silentLogger } from '../../shared/logger.ts';
import { openStore } from '../../store/index.ts';
import type { TopologyStore } from '../../store/types.ts';
import { DEFAULT_LABEL_MAP } from '../../topology/label-map.ts';
import { component, group, ID, NS, run, svc, triedMissingGroup, user } from '../../topology/test-helpers.ts';
import { createMetrics } from '../metrics.ts';
import { buildServer } from '../server.ts';
import { WRITES_NEED_ADMIN, WRITES_NEED_TOKENS } from '../permissions.ts';
import { backendConfig, RecordingObjectsService } from '../test-helpers.ts';
import { DEFAULT_DISCOVERY_MATCH } from '../../config/scrapers-schema.ts';

// The routes over a real (in-memory SQLite) store holding a real stitch result: no Backstage or cluster needed.
const TOKEN = 'stitch-routes-test-token';
const READER_TOKEN = 'stitch-routes-reader-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const readerAuth = { authorization: `Bearer ${READER_TOKEN}` };
const TOKENS = [
  { token: TOKEN, subject: 'tests' },
  { token: READER_TOKEN, subject: 'reader' },
];
const PERMISSIONS: PermissionRuleConfig[] = [
  { allow: ['stitchboard.admin', 'stitchboard.read'], users: ['tests'], groups: [] },
  { allow: ['stitchboard.read'], users: ['reader'], groups: [] },
];
let store: TopologyStore;
let app: FastifyInstance;
let enabledApp: FastifyInstance;
const scrapers: Scraper[] = [];
const connections = new ClusterConnections();

const enabled: BackstageScraperConfig = {
  enabled: true,
  intervalMs: 60_000,
  timeoutMs: 1000,
  leaseTtlMs: 30_000,
  labelMap: DEFAULT_LABEL_MAP,
  discovery: { enabled: true, cluster: 'alpha', namespaces: ['tools'], ...DEFAULT_DISCOVERY_MATCH },
  instances: [],
};

async function server(
  config: BackstageScraperConfig | undefined,
  access: { tokens?: typeof TOKENS; permissions?: PermissionRuleConfig[] } = {
    tokens: TOKENS,
    permissions: PERMISSIONS,
  },
): Promise<FastifyInstance> {
  const scraper = new Scraper({
    config,
    store,
    clusters: new StaticClusterSupplier([]),
    auth: new AuthDispatcher(defaultAuthStrategies({})),
    fetcherFor: () => new LiveFetcher(connections),
    connections,
    logger: silentLogger(),
    env: {},
  });
  scrapers.push(scraper);
  return buildServer({
    config: backendConfig({ tokens: access.tokens ?? [] }),
    ...(access.permissions ? { access: { permissions: access.permissions } } : {}),
    catalog: {
      description: 'none',
      getEntityByRef: async () => undefined,
      listEntities: async () => [],
      problems: () => [],
    },
    kubernetes: new RecordingObjectsService(),
    logger: silentLogger(),
    metrics: createMetrics(),
    stitch: { store, scraper },
  });
}

beforeAll(async () => {
  store = await openStore({ client: 'sqlite', path: ':memory:' }, { logger: silentLogger() });
  const result = run({
    components: [
      component('cart', { [ID]: 'cart', [NS]: 'shop' }, { owner: 'team-a', system: 'shop' }),
      component('pay', { [ID]: 'pay' }, { owner: 'user:jdoe' }),
      component('lost', { [ID]: 'lost' }, { owner: 'team-gone' }),
      component('dup', { [ID]: 'dup' }, { owner: 'team-a' }),
      component('ghost', {}, { owner: 'team-a' }),
    ],
    groups: [group('team-a', undefined, 'Team A')],
    users: [user('jdoe', 'Jane Doe')],
    services: [
      'alpha/shop/cart',
      'alpha/pay-ns/pay',
      'alpha/a/dup',
      'alpha/b/dup',
      'alpha/x/lonely',
      'alpha/y/lost',
    ].map(svc),
    clusters: ['alpha'],
  });
  await store.replaceInstanceResults('main', result, { complete: [{ cluster: 'alpha' }] });
  await store.recordRun({
    instance: 'main',
    startedAt: new Date('2026-01-02T03:04:05Z'),
    durationMs: 1234,
    counts: { ...result.counts },
    errors: [],
    status: 'ok',
  });
  app = await server(undefined);
  enabledApp = await server(enabled);
});
afterAll(async () => {
  await app.close();
  await enabledApp.close();
  await Promise.all(scrapers.map((s) => s.close()));
  await store.close();
  await connections.close();
});

const get = async (url: string, target = app) => {
  const res = await target.inject({ method: 'GET', url: `/api/stitchboard${url}`, headers: auth });
  return { status: res.statusCode, body: res.json() };
};

/** A new Backstage instance, valid as a payload for the instances route. */
const NEW_INSTANCE = { namespace: 'tools', name: 'bs', endpoint: 'https://b.example.com' };

const post = (
  target: FastifyInstance,
  url: string,
  payload: object = NEW_INSTANCE,
  headers: Record<string, string> = auth,
) => target.inject({ method: 'POST', url: `/api/stitchboard${url}`, headers, payload });

describe('GET /api/stitchboard/services', () => {
  it('needs the same bearer token as the rest of the API', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/stitchboard/services' });
    expect(res.statusCode).toBe(401);
  });

  it('lists stitched Services with how they matched', async () => {
    const { status, body } = await get('/services');
    expect(status).toBe(200);
    expect(body.items.map((l: { service: string }) => l.service)).toEqual(['pay', 'cart', 'lost']);
    expect(body).toMatchObject({ limit: 1000, offset: 0 });
    const cart = body.items[1];
    expect(cart).toMatchObject({
      instance: 'main',
      cluster: 'alpha',
      namespace: 'shop',
      service: 'cart',
      componentRef: 'component:default/cart',
      ownerRef: 'group:default/team-a',
      match: {
        by: 'name-namespace',
        kubernetesId: { value: 'cart', path: 'annotations.backstage.io/kubernetes-id' },
      },
      labels: { 'stitchboard.io/team': 'Team A', 'stitchboard.io/system': 'shop' },
    });
    expect(typeof cart.stitchedAt).toBe('string');
  });

  it.each([
    ['?owner=team-a', ['cart']],
    ['?owner=group:default/TEAM-A', ['cart']],
    ['?owner=user:jdoe', ['pay']],
    ['?component=cart', ['cart']],
    ['?component=component:default/pay', ['pay']],
    ['?namespace=pay-ns', ['pay']],
    ['?cluster=beta', []],
    // lost names an owner the catalog lacks: stitched, without an owner link.
    ['?unowned=true', ['lost']],
    ['?unowned=false', ['pay', 'cart']],
    ['?instance=other', []],
    ['?limit=1&offset=1', ['cart']],
  ])('filters with %s', async (query, services) => {
    const { status, body } = await get(`/services${query}`);
    expect(status).toBe(200);
    expect(body.items.map((l: { service: string }) => l.service)).toEqual(services);
  });

  it.each([
    ['?limit=0', /limit: expected a whole number from 1 to 10000/],
    ['?limit=10001', /limit: expected a whole number/],
    ['?offset=-1', /offset: expected a whole number/],
    ['?unowned=yes', /unowned: expected true or false/],
    ['?owner=component:default/cart', /owner: not a group or user ref/],
    ['?owner=', /owner: must not be empty/],
    ['?cluster=a&cluster=b', /cluster: give it once/],
    ['?team=a', /unknown query parameter team/],
  ])('refuses %s with a 400 that says why', async (query, message) => {
    const { status, body } = await get(`/services${query}`);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(message);
  });
});

describe('GET /api/stitchboard/services/:cluster/:namespace/:name', () => {
  it('answers the component, owner, labels and match of one Service', async () => {
    const { status, body } = await get('/services/alpha/shop/cart');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      link: { componentRef: 'component:default/cart', match: { by: 'name-namespace' } },
      component: { ref: 'component:default/cart', system: 'shop', owner: { status: 'linked' } },
      owner: {
        ref: 'group:default/team-a',
        displayName: 'Team A',
        email: 'team-a@example.com',
        serviceCount: 1,
      },
    });
  });

  it('is 404 when no component claims the Service', async () => {
    const { status, body } = await get('/services/alpha/x/lonely');
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/no component is stitched to Service alpha\/x\/lonely/);
  });
});

describe('owners', () => {
  it('lists the catalog’s owners only, not refs components name that the catalog lacks', async () => {
    const { body } = await get('/owners');
    expect(body.items.map((o: { ref: string }) => o.ref)).toEqual([
      'group:default/team-a',
      'user:default/jdoe',
    ]);
    expect((await get('/owners/group:default/team-gone')).status).toBe(404);
    expect((await get('/owners?kind=user')).body.items).toHaveLength(1);
    expect((await get('/owners?kind=robot')).status).toBe(400);
  });

  it.each(['/owners/group:default/team-a', '/owners/group%3Adefault%2Fteam-a', '/owners/team-a'])(
    'answers one owner and its Services at %s',
    async (url) => {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      expect(body.items[0].owner).toMatchObject({ ref: 'group:default/team-a', serviceCount: 1 });
      expect(body.items[0].services.map((s: { service: string }) => s.service).sort()).toEqual(['cart']);
    },
  );

  it('is 404 for an unknown owner and 400 for a ref that cannot own', async () => {
    expect((await get('/owners/group:default/nobody')).status).toBe(404);
    const bad = await get('/owners/resource:default/db');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/owner ref: not a group or user ref/);
  });
});

describe('GET /api/stitchboard/report', () => {
  it('says which components matched nothing and why, and what nobody claims', async () => {
    const { body } = await get('/report');
    const reasons = Object.fromEntries(
      body.unmatchedComponents.map((c: { componentRef: string; reason: string }) => [
        c.componentRef,
        c.reason,
      ]),
    );
    expect(reasons).toEqual({
      'component:default/dup': 'ambiguous',
      'component:default/ghost': 'no-id-value',
    });
    expect(body.ambiguous[0]).toMatchObject({
      componentRef: 'component:default/dup',
      candidates: ['a', 'b'],
    });
    expect(body.danglingOwners).toEqual([
      {
        instance: 'main',
        componentRef: 'component:default/lost',
        ownerRef: 'group:default/team-gone',
        kind: 'group',
        value: 'team-gone',
        path: 'spec.owner',
      },
    ]);
    expect(body.ownerProblems).toEqual([
      {
        instance: 'main',
        componentRef: 'component:default/lost',
        reason: 'owner-unresolved',
        tried: triedMissingGroup('team-gone', 'group:default/team-gone'),
      },
    ]);
    expect(body.unclaimedServices.map((s: { service: string }) => s.service).sort()).toEqual([
      'dup',
      'dup',
      'lonely',
    ]);
    expect((await get('/report?instance=nope')).body.unmatchedComponents).toEqual([]);
  });
});

describe('runs', () => {
  it('lists runs, latest first', async () => {
    const { body } = await get('/runs');
    expect(body.items).toEqual([
      expect.objectContaining({
        instance: 'main',
        status: 'ok',
        startedAt: '2026-01-02T03:04:05.000Z',
        durationMs: 1234,
      }),
    ]);
    expect((await get('/runs?limit=5000')).status).toBe(400);
  });

  it('refuses a run request when scraping is not configured here', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/stitchboard/runs', headers: auth });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/stitching is not configured/);
  });

  it('accepts a run request (202) and leaves it for the leader when this replica does not lead', async () => {
    const res = await enabledApp.inject({ method: 'POST', url: '/api/stitchboard/runs', headers: auth });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true, leader: false });
    expect(await store.getLease('stitch-scrape-trigger')).toBeDefined();
  });
});

describe('instances', () => {
  it('lists none when nothing is configured', async () => {
    expect((await get('/instances')).body).toEqual({ items: [], discovery: [] });
  });

  it('says why discovery failed', async () => {
    const { body } = await get('/instances', enabledApp);
    expect(body.discovery).toEqual([
      {
        cluster: 'alpha',
        namespaces: ['tools'],
        labelSelectors: ['causely.ai/scraper=Backstage', 'stitchboard.io/scraper=Backstage'],
        status: 'failed',
        found: 0,
        message: expect.stringMatching(/no cluster named "alpha"/),
      },
    ]);
  });

  it.each([
    [{}, /namespace: required; name: required; endpoint: required/],
    [
      { namespace: 'tools', name: 'bs', endpoint: 'https://b.example.com/', token: 'sekrit-token-1' },
      /endpoint: must not end/,
    ],
    [{ namespace: 'tools', name: 'bs', endpoint: 'https://b.example.com', extra: 1 }, /extra: unknown field/],
  ])(
    'refuses a bad new instance %j with a 400 naming the field, never the token',
    async (payload, message) => {
      const res = await post(enabledApp, '/instances', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(message);
      expect(res.body).not.toContain('sekrit-token-1');
    },
  );

  it('refuses a new instance outside where Secrets are discovered', async () => {
    const res = await post(enabledApp, '/instances', { ...NEW_INSTANCE, cluster: 'beta' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/Secrets are discovered in cluster alpha/);
    const off = await post(app, '/instances');
    expect(off.statusCode).toBe(409);
  });
});

describe('who may write', () => {
  it('lets a read-only caller read and refuses its writes with 403 FORBIDDEN, saying what is missing', async () => {
    const read = await enabledApp.inject({
      method: 'GET',
      url: '/api/stitchboard/instances',
      headers: readerAuth,
    });
    expect(read.statusCode).toBe(200);
    for (const url of ['/runs', '/instances']) {
      const res = await post(enabledApp, url, NEW_INSTANCE, readerAuth);
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toEqual({
        name: 'NotAllowedError',
        code: 'FORBIDDEN',
        message: WRITES_NEED_ADMIN,
      });
    }
    expect(await store.listRuns({ limit: 10 })).toHaveLength(1);
  });

  it('refuses writes to every authenticated caller when stitchboard.permissions is unset', async () => {
    const unset = await server(enabled, { tokens: TOKENS });
    try {
      expect(
        (await unset.inject({ method: 'GET', url: '/api/stitchboard/runs', headers: auth })).statusCode,
      ).toBe(200);
      const res = await post(unset, '/runs');
      expect([res.statusCode, res.json().error.message]).toEqual([403, WRITES_NEED_ADMIN]);
    } finally {
      await unset.close();
    }
  });

  it('keeps reads open with no tokens at all, and refuses every write with how to enable it', async () => {
    const open = await server(enabled, {
      permissions: [{ allow: ['stitchboard.admin', 'stitchboard.read'], users: ['*'], groups: [] }],
    });
    try {
      const read = await open.inject({ method: 'GET', url: '/api/stitchboard/services' });
      expect(read.statusCode).toBe(200);
      for (const url of ['/runs', '/instances']) {
        const res = await post(open, url, NEW_INSTANCE, {});
        expect(res.statusCode).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', message: WRITES_NEED_TOKENS });
        expect(res.json().error.message).toMatch(/backend\.auth\.externalAccess.*stitchboard\.admin/);
      }
    } finally {
      await open.close();
    }
  });
});
