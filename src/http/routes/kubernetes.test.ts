import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSummary, ObjectsByEntityResponse } from '../../contract/kubernetes.ts';
import {
  buildTestServer,
  component,
  errorResponse,
  RecordingObjectsService,
  type TestServer,
} from '../test-helpers.ts';

const clusters: ClusterSummary[] = [
  { name: 'prod-eu', title: 'Production EU', authProvider: 'serviceAccount' },
  { name: 'dev', authProvider: 'oidc', oidcTokenProvider: 'okta' },
];

const response: ObjectsByEntityResponse = {
  items: [
    {
      cluster: { name: 'prod-eu', title: 'Production EU' },
      resources: [{ type: 'services', resources: [{ metadata: { name: 'checkout', uid: 'u-1' } }] }],
      podMetrics: [],
      errors: [{ errorType: 'NOT_FOUND', statusCode: 404, resourcePath: '/apis/batch/v1/jobs' }],
    },
  ],
};

const checkout = component('checkout', { 'backstage.io/kubernetes-id': 'checkout-catalog' });
const crd = { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' };

let server: TestServer;

async function start() {
  server = await buildTestServer({
    entities: [checkout],
    kubernetes: new RecordingObjectsService({ clusters, response }),
  });
  return server;
}

afterEach(async () => {
  await server?.app.close();
});

function post(url: string, payload: unknown) {
  return server.app.inject({ method: 'POST', url: `/api/kubernetes${url}`, payload: payload as object });
}

function errorBody(url: string, statusCode: number, name: string, code: string, message: string) {
  return errorResponse(`POST /api/kubernetes${url}`, statusCode, name, code, message);
}

/** Posts `payload` to `url` and expects the 400 InputError body with `message`. */
async function expectRefused(url: string, payload: unknown, message: string) {
  await start();
  const res = await post(url, payload);
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual(errorBody(url, 400, 'InputError', 'INPUT_INVALID', message));
}

describe('GET /api/kubernetes/clusters', () => {
  it('answers the cluster summaries as items', async () => {
    await start();
    const res = await server.app.inject({ method: 'GET', url: '/api/kubernetes/clusters' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: clusters });
  });
});

describe('POST /api/kubernetes/services/:serviceId', () => {
  it('answers the objects of the catalog copy of the entity, ignoring posted annotations', async () => {
    await start();
    const posted = component('Checkout', { 'backstage.io/kubernetes-id': 'someone-elses-app' });
    const auth = { google: 'google-id-token' };
    const res = await post('/services/Checkout', { entity: posted, auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(response);
    expect(server.catalog.lookups).toEqual(['component:default/checkout']);
    expect(server.kubernetes.queries).toEqual([{ entity: checkout, auth }]);
  });

  it('defaults auth to {}', async () => {
    await start();
    await post('/services/checkout', { entity: { kind: 'Component', metadata: { name: 'checkout' } } });
    expect(server.kubernetes.queries).toEqual([{ entity: checkout, auth: {} }]);
  });

  it.each([
    [
      'a body that is not an object',
      [],
      400,
      'InputError',
      'INPUT_INVALID',
      'Request body must be a JSON object, got an array',
    ],
    [
      'a body without entity',
      { auth: {} },
      400,
      'InputError',
      'INPUT_INVALID',
      'entity is a required field (the catalog entity to show objects for)',
    ],
    [
      'an entity that is not an object',
      { entity: 5 },
      400,
      'InputError',
      'INPUT_INVALID',
      'entity must be an object (a catalog entity), got a number',
    ],
    [
      'an entity that is no ref',
      { entity: { metadata: { name: 'checkout' } } },
      403,
      'NotAllowedError',
      'FORBIDDEN',
      'Invalid entity reference',
    ],
    [
      'an entity the catalog lacks',
      { entity: component('ghost') },
      403,
      'NotAllowedError',
      'FORBIDDEN',
      'Entity not found, component:default/ghost',
    ],
    [
      'auth that is not an object',
      { entity: checkout, auth: 'tok' },
      400,
      'InputError',
      'INPUT_INVALID',
      'auth must be an object mapping auth providers to tokens',
    ],
  ])('rejects %s', async (_case, payload, status, name, code, message) => {
    await start();
    const res = await post('/services/checkout', payload);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(errorBody('/services/checkout', status, name, code, message));
    expect(server.kubernetes.queries).toEqual([]);
  });

  it('answers 400 for a POST with no body at all', async () => {
    await start();
    const res = await server.app.inject({ method: 'POST', url: '/api/kubernetes/services/checkout' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('Request body must be a JSON object, got nothing');
  });
});

describe('objects answers: body, ETag and If-None-Match', () => {
  const body = { entity: component('checkout') };
  const routes = ['/services/checkout', '/resources/workloads/query', '/resources/custom/query'];
  const payloadFor = (url: string) =>
    url === '/resources/custom/query'
      ? { entityRef: 'component:default/checkout', customResources: [crd] }
      : url === '/services/checkout'
        ? body
        : { entityRef: 'component:default/checkout' };

  it('sends JSON.stringify of the answer as JSON, with a strong ETag', async () => {
    await start();
    for (const url of routes) {
      const res = await post(url, payloadFor(url));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toBe(JSON.stringify(response));
      expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    }
  });

  it('answers 304 with no body when If-None-Match names the current ETag, 200 otherwise', async () => {
    await start();
    const { etag } = (await post('/services/checkout', body)).headers as { etag: string };
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/kubernetes/services/checkout',
        payload: body,
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect(res.statusCode).toBe(304);
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe(etag);
    }
    const stale = await server.app.inject({
      method: 'POST',
      url: '/api/kubernetes/services/checkout',
      payload: body,
      headers: { 'if-none-match': '"not-it"' },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toEqual(response);
  });

  // 40 pods of some 100 bytes each: well over the 1 KiB below which bodies are sent as they are.
  const large: ObjectsByEntityResponse = {
    items: [
      {
        cluster: { name: 'prod-eu' },
        resources: [
          {
            type: 'pods',
            resources: Array.from({ length: 40 }, (_, i) => ({
              metadata: { name: `checkout-7d4b9c-${i}`, namespace: 'shop', labels: { app: 'checkout' } },
            })),
          },
        ],
        podMetrics: [],
        errors: [],
      },
    ],
  };

  async function postAccepting(acceptEncoding: string | undefined, headers: Record<string, string> = {}) {
    return server.app.inject({
      method: 'POST',
      url: '/api/kubernetes/services/checkout',
      payload: body,
      headers: { ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }), ...headers },
    });
  }

  it('compresses a large answer in the coding the client prefers, to bytes that decode to the JSON exactly', async () => {
    server = await buildTestServer({
      entities: [checkout],
      kubernetes: new RecordingObjectsService({ clusters, response: large }),
    });
    const json = JSON.stringify(large);
    const plain = await postAccepting(undefined);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(json);
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const decoders = { br: brotliDecompressSync, gzip: gunzipSync };
    for (const [acceptEncoding, coding] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      ['*', 'br'],
    ] as const) {
      const res = await postAccepting(acceptEncoding);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.rawPayload.length).toBeLessThan(json.length / 4);
      expect(decoders[coding](res.rawPayload).toString()).toBe(json);
      expect(res.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-${coding}"`);
    }
    for (const refused of ['identity', 'br;q=0, gzip;q=0', 'zstd', 'gzip;q=2']) {
      const res = await postAccepting(refused);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body).toBe(json);
    }
  });

  it('answers 304 to the ETag of the representation the client would get', async () => {
    server = await buildTestServer({
      entities: [checkout],
      kubernetes: new RecordingObjectsService({ clusters, response: large }),
    });
    const plainEtag = String((await postAccepting(undefined)).headers.etag);
    const brEtag = String((await postAccepting('br')).headers.etag);
    const notModified = await postAccepting('br', { 'if-none-match': brEtag });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
    expect((await postAccepting('br', { 'if-none-match': plainEtag })).statusCode).toBe(200);
    expect((await postAccepting(undefined, { 'if-none-match': plainEtag })).statusCode).toBe(304);
  });

  it('keeps the Vary that CORS sets beside its own', async () => {
    server = await buildTestServer({
      entities: [checkout],
      kubernetes: new RecordingObjectsService({ clusters, response: large }),
      cors: {
        origin: ['https://*.example.com'],
        methods: ['POST'],
        credentials: false,
        optionsSuccessStatus: 204,
      },
    });
    const res = await postAccepting('gzip', { origin: 'https://backstage.example.com' });
    expect(res.headers['access-control-allow-origin']).toBe('https://backstage.example.com');
    expect(res.headers.vary).toBe('Origin, Accept-Encoding');
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('sends a small answer as it is, whatever the client accepts', async () => {
    await start();
    const res = await postAccepting('br, gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.body).toBe(JSON.stringify(response));
  });
});

describe('POST /api/kubernetes/resources/workloads/query', () => {
  it('answers the objects of the entity the ref names', async () => {
    await start();
    const res = await post('/resources/workloads/query', { entityRef: 'Component:default/Checkout' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(response);
    expect(server.kubernetes.queries).toEqual([{ entity: checkout, auth: {} }]);
  });

  it.each([
    [{ entityRef: 1 }, 'entity query must be a string'],
    [{}, 'entity is a required field'],
    [
      { entityRef: 'checkout' },
      'Invalid entity ref, Error: Entity reference "checkout" had missing or empty kind (e.g. did not start with "component:" or similar)',
    ],
    [{ entityRef: 'component:default/ghost' }, 'Entity ref missing, component:default/ghost'],
    [
      { entityRef: 'component:checkout', auth: { aks: ['x'] } },
      'auth.aks must be a token string or an object mapping names to token strings',
    ],
  ])('answers 400 for %j', (payload, message) =>
    expectRefused('/resources/workloads/query', payload, message),
  );
});

describe('POST /api/kubernetes/resources/custom/query', () => {
  it('passes the custom resources and auth on', async () => {
    await start();
    const auth = { oidc: { okta: 'okta-id-token' } };
    const res = await post('/resources/custom/query', {
      entityRef: 'component:checkout',
      auth,
      customResources: [crd],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(response);
    expect(server.kubernetes.queries).toEqual([{ entity: checkout, auth, customResources: [crd] }]);
  });

  it.each([
    [{ entityRef: 'component:checkout' }, 'customResources is a required field'],
    [{ entityRef: 'component:checkout', customResources: crd }, 'customResources must be an array'],
    [{ entityRef: 'component:checkout', customResources: [] }, 'at least 1 customResource is required'],
    [
      { entityRef: 'component:checkout', customResources: [{ ...crd, group: 7 }] },
      'customResources[0].group must be a non-empty string',
    ],
    [{ entityRef: 'component:ghost', customResources: [crd] }, 'Entity ref missing, component:default/ghost'],
    [{ customResources: [crd] }, 'entity is a required field'],
  ])('answers 400 for %j', async (payload, message) => {
    await expectRefused('/resources/custom/query', payload, message);
    expect(server.kubernetes.queries).toEqual([]);
  });
});

describe('request bodies', () => {
  it('answers 413 naming the limit for a body over backend.bodyLimit', async () => {
    server = await buildTestServer({ entities: [checkout], bodyLimit: 256 });
    const res = await post('/resources/workloads/query', {
      entityRef: 'component:checkout',
      pad: 'x'.repeat(300),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual(
      errorBody(
        '/resources/workloads/query',
        413,
        'InputError',
        'BODY_TOO_LARGE',
        'Request body is larger than the limit of 256 bytes (backend.bodyLimit)',
      ),
    );
  });

  it.each([
    [
      'invalid JSON',
      'application/json',
      '{"entityRef":',
      400,
      'INPUT_INVALID',
      'Request body is not valid JSON',
    ],
    [
      'an empty JSON body',
      'application/json',
      '',
      400,
      'INPUT_INVALID',
      'Request body is empty but Content-Type is application/json: send a JSON object',
    ],
    [
      'a prototype-poisoning body',
      'application/json',
      '{"__proto__":{"x":1}}',
      400,
      'INPUT_INVALID',
      'Request body is not valid JSON',
    ],
    [
      'a text body',
      'text/plain',
      'component:checkout',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      "Unsupported Content-Type 'text/plain': send the request body as application/json",
    ],
  ])('answers %s with %i', async (_case, contentType, payload, status, code, message) => {
    await start();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/kubernetes/resources/workloads/query',
      headers: { 'content-type': contentType },
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(errorBody('/resources/workloads/query', status, 'InputError', code, message));
  });

  it('never puts a posted auth token in a response or a log line', async () => {
    await start();
    const token = 'eyJhbGciOiJSUzI1NiJ9.client-side-id-token';
    const bad = await post('/resources/workloads/query', {
      entityRef: 'component:checkout',
      auth: { oidc: [token] },
    });
    const good = await post('/resources/workloads/query', {
      entityRef: 'component:checkout',
      auth: { google: token },
    });
    expect([bad.statusCode, good.statusCode]).toEqual([400, 200]);
    expect(bad.json().error.message).toBe(
      'auth.oidc must be a token string or an object mapping names to token strings',
    );
    expect(`${bad.body}${good.body}${server.logs.lines().join('\n')}`).not.toContain(token);
  });

  it('answers 404 with the standard body for an unknown route', async () => {
    await start();
    const res = await server.app.inject({ method: 'GET', url: '/api/kubernetes/nope?x=1' });
    expect(res.statusCode).toBe(404);
    const message = 'Route GET /api/kubernetes/nope not found';
    expect(res.json()).toEqual(
      errorResponse('GET /api/kubernetes/nope', 404, 'NotFoundError', 'NOT_FOUND', message),
    );
  });
});
