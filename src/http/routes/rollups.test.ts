import { fastify, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentHealthSource } from '../../rollup/health-source.ts';
import { silentLogger } from '../../shared/logger.ts';
import { openStore } from '../../store/index.ts';
import type { TopologyStore } from '../../store/types.ts';
import { component, group, ID, NS, run, svc } from '../../topology/test-helpers.ts';
import { createErrorHandler, notFoundHandler } from '../error-handler.ts';
import { InMemoryCatalog, RecordingObjectsService } from '../test-helpers.ts';
import { rollupRoutes } from './rollups.ts';

// The rollup routes' own rules, in-process, over a real (in-memory SQLite) store holding a real stitch
// result. More components than one page of /components holds: the rollup must count every one. The
// numbers on real clusters are in src/rollup/rollups.int.test.ts; the page in test/e2e/ui.
const MANY = 250;
let app: FastifyInstance;
let store: TopologyStore;
const objects = new RecordingObjectsService({
  response: {
    items: [
      {
        cluster: { name: 'alpha' },
        resources: [
          {
            type: 'pods',
            resources: [
              {
                metadata: { name: 'p', namespace: 'shop' },
                status: { conditions: [{ type: 'Ready', status: 'True' }] },
              },
            ],
          },
        ],
        podMetrics: [],
        errors: [],
      },
    ],
  },
});
const entities = [
  component('cart', { [ID]: 'cart', [NS]: 'shop' }, { owner: 'team-a', system: 'shop' }),
  ...Array.from({ length: MANY - 1 }, (_, i) =>
    component(
      `bulk-${String(i).padStart(3, '0')}`,
      {},
      { owner: i % 2 ? 'team-a' : 'team-b', system: 'shop' },
    ),
  ),
];

beforeAll(async () => {
  store = await openStore({ client: 'sqlite', path: ':memory:' }, { logger: silentLogger() });
  const result = run({
    components: entities,
    groups: [group('team-a', undefined, 'Team A')],
    services: [svc('alpha/shop/cart')],
    clusters: ['alpha'],
  });
  await store.replaceInstanceResults('main', result, { complete: [{ cluster: 'alpha' }] });
  app = fastify();
  app.setErrorHandler(createErrorHandler({ bodyLimit: 1024 }));
  app.setNotFoundHandler(notFoundHandler);
  await app.register(rollupRoutes, {
    prefix: '/api/stitchboard',
    catalog: new InMemoryCatalog(entities),
    store,
    health: new ComponentHealthSource(objects, { ttlMs: 60_000, concurrency: 4 }),
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const get = (url: string) => app.inject({ url: `/api/stitchboard${url}` });

describe('rollupRoutes', () => {
  it('rolls every component up per team, past any page size, and reads each component once per TTL', async () => {
    const body = (await get('/teams')).json();
    expect(body.components).toBe(MANY);
    expect(body.unowned).toBeNull();
    expect(body.items.map((t: { ref: string; components: number }) => [t.ref, t.components])).toEqual([
      ['group:default/team-a', 125],
      ['group:default/team-b', 125],
    ]);
    expect(body.items[0]).toMatchObject({
      displayName: 'Team A',
      email: 'team-a@example.com',
      services: 1,
      componentsWithoutServices: 124,
      pods: { ready: 125, total: 125 },
      health: 'ok',
      systems: ['system:default/shop'],
    });
    expect(objects.queries).toHaveLength(MANY);
    await get('/systems');
    expect(objects.queries).toHaveLength(MANY);
  });

  it('answers one team or system with its components', async () => {
    const team = (await get('/teams/group:default/Team-A')).json();
    expect(team.team).toMatchObject({ ref: 'group:default/team-a', components: 125 });
    expect(team.components).toHaveLength(125);
    expect(team.components[0]).toMatchObject({
      ref: 'component:default/bulk-001',
      owner: 'group:default/team-a',
    });
    const encoded = (await get(`/teams/${encodeURIComponent('team-b')}`)).json();
    expect(encoded.team.ref).toBe('group:default/team-b');
    const system = (await get('/systems/shop')).json();
    expect(system.system).toMatchObject({
      ref: 'system:default/shop',
      owners: ['group:default/team-a', 'group:default/team-b'],
      components: MANY,
    });
  });

  it.each([
    ['/teams?limit=10', 400, 'this route takes no query parameters'],
    ['/teams/component:default/cart', 400, 'owner ref: not a group or user ref'],
    ['/teams/group:default/nobody', 404, 'no component in the catalog is owned by group:default/nobody'],
    ['/systems/group:default/team-a', 400, 'system ref: not a system ref (kind must be system'],
    ['/systems/system:default/none', 404, 'no component in the catalog belongs to system:default/none'],
  ])('%s: %i', async (url, status, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toContain(message);
  });
});
