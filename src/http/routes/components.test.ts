import { fastify, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorHandler, notFoundHandler } from '../error-handler.ts';
import { InMemoryCatalog, RecordingObjectsService, component } from '../test-helpers.ts';
import { componentsRoutes } from './components.ts';

// The read API's own rules, in-process: what it refuses and how. Its happy paths run against real
// clusters in test/e2e/ui/ui.int.test.ts.
let app: FastifyInstance;
const objects = new RecordingObjectsService({
  response: {
    items: [
      {
        cluster: { name: 'alpha', dashboardUrl: 'https://dash.example.com/' },
        resources: [
          {
            type: 'deployments',
            resources: [
              {
                metadata: { name: 'cart', namespace: 'shop', uid: 'd1' },
                status: { conditions: [{ type: 'Available', status: 'False', message: 'not available' }] },
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

beforeAll(async () => {
  app = fastify();
  app.setErrorHandler(createErrorHandler({ bodyLimit: 1024 }));
  app.setNotFoundHandler(notFoundHandler);
  await app.register(componentsRoutes, {
    prefix: '/api/stitchboard',
    catalog: new InMemoryCatalog([component('cart', { 'backstage.io/kubernetes-id': 'cart' })]),
    objects,
    clusters: { getClusters: async () => [] },
    auth: { getCredential: async () => ({ type: 'anonymous' }) },
  });
});
afterAll(() => app.close());

const get = (url: string) => app.inject({ url });

describe('componentsRoutes', () => {
  it('answers a component with its objects, detected errors and dashboard links', async () => {
    const res = await get('/api/stitchboard/components/component/default/cart');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ref).toBe('component:default/cart');
    expect(body.entity).toMatchObject({ name: 'cart', owner: 'team-a', ownerRef: 'group:default/team-a' });
    expect(body.clusters[0].detectedErrors).toEqual([
      expect.objectContaining({ type: 'condition-message-present', message: 'not available', severity: 6 }),
    ]);
    expect(body.clusters[0].dashboard.objects).toEqual([
      expect.objectContaining({
        uid: 'd1',
        url: 'https://dash.example.com/#/deployment/shop/cart?namespace=shop',
      }),
    ]);
    expect(objects.queries.at(-1)?.auth).toEqual({});
  });

  it('lists components with their health, filtered by owner', async () => {
    const res = await get('/api/stitchboard/components?owner=group:default/team-a');
    expect(res.json()).toMatchObject({
      total: 1,
      items: [{ ref: 'component:default/cart', clusters: ['alpha'], health: 'error', detectedErrors: 1 }],
    });
    expect((await get('/api/stitchboard/components?owner=group:default/nobody')).json().total).toBe(0);
  });

  it.each([
    ['/api/stitchboard/components?limit=5000', 400, 'limit: expected an integer from 0 to 200'],
    ['/api/stitchboard/components?offset=-1', 400, 'offset: expected an integer'],
    ['/api/stitchboard/components/component/default/nope', 404, 'No entity component:default/nope'],
    ['/api/stitchboard/events?cluster=alpha&namespace=shop&kind=Pod', 400, 'name: required'],
    ['/api/stitchboard/events?cluster=alpha&namespace=Shop!&kind=Pod&name=web', 400, "namespace: 'Shop!'"],
    [
      '/api/stitchboard/events?cluster=nowhere&namespace=shop&kind=Pod&name=web',
      404,
      "No cluster named 'nowhere'",
    ],
    ['/api/stitchboard/who-owns', 400, 'q: give a Service as cluster/namespace/name, or a pod name'],
    ['/api/stitchboard/who-owns?q=a/b', 400, "q: 'a/b' is neither"],
  ])('%s → %i', async (url, status, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toContain(message);
  });

  it('answers a Service nobody stitched with an empty chain past the Service', async () => {
    const res = await get('/api/stitchboard/who-owns?q=alpha/shop/cart');
    expect(res.json()).toEqual({
      query: 'alpha/shop/cart',
      as: 'service',
      pods: [],
      clusterErrors: [],
      answers: [
        {
          service: { cluster: 'alpha', namespace: 'shop', name: 'cart' },
          stitched: [],
          chain: [{ kind: 'Service', name: 'cart', cluster: 'alpha', namespace: 'shop', via: 'asked' }],
        },
      ],
    });
  });
});
