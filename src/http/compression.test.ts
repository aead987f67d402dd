import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import { buildTestServer, component, RecordingObjectsService, type TestServer } from './test-helpers.ts';

const manyClusters = Array.from({ length: 40 }, (_, i) => ({
  name: `prod-${i}`,
  authProvider: 'serviceAccount',
  dashboardUrl: `https://dashboards.example.com/clusters/prod-${i}`,
}));

describe('compression of the bodies Stitchboard builds', () => {
  let server: TestServer;
  afterEach(async () => server.app.close());

  const get = (url: string, acceptEncoding?: string) =>
    server.app.inject({
      method: 'GET',
      url,
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });

  it('compresses a JSON body of 1 KiB or more in the coding the client prefers', async () => {
    server = await buildTestServer({ kubernetes: new RecordingObjectsService({ clusters: manyClusters }) });
    const plain = await get('/api/kubernetes/clusters');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.length).toBeGreaterThan(1024);
    for (const [acceptEncoding, coding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      const res = await get('/api/kubernetes/clusters', acceptEncoding);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(res.rawPayload.length).toBeLessThan(plain.body.length / 3);
      expect(decode(res.rawPayload).toString()).toBe(plain.body);
    }
    const refused = await get('/api/kubernetes/clusters', 'identity');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('sends the compressed bytes over a real socket, as a browser asking for them receives them', async () => {
    server = await buildTestServer({ kubernetes: new RecordingObjectsService({ clusters: manyClusters }) });
    const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await request(`${address}/api/kubernetes/clusters`, {
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    const wire = Buffer.from(await res.body.arrayBuffer());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(Number(res.headers['content-length'])).toBe(wire.length);
    expect(JSON.parse(brotliDecompressSync(wire).toString())).toEqual({ items: manyClusters });
  });

  it('sends a small body as it is, with no Vary', async () => {
    server = await buildTestServer({
      kubernetes: new RecordingObjectsService({ clusters: manyClusters.slice(0, 1) }),
    });
    const res = await get('/api/kubernetes/clusters', 'br');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.json()).toEqual({ items: manyClusters.slice(0, 1) });
  });

  it('compresses text too: the Prometheus metrics', async () => {
    server = await buildTestServer();
    const res = await get('/metrics', 'gzip');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toMatch(/^# HELP /m);
  });

  it('leaves an objects answer coded once, by its route', async () => {
    const large: ObjectsByEntityResponse = {
      items: [
        {
          cluster: { name: 'prod-0' },
          resources: [
            {
              type: 'pods',
              resources: Array.from({ length: 40 }, (_, i) => ({ metadata: { name: `checkout-${i}` } })),
            },
          ],
          podMetrics: [],
          errors: [],
        },
      ],
    };
    server = await buildTestServer({
      entities: [component('checkout')],
      kubernetes: new RecordingObjectsService({ clusters: manyClusters, response: large }),
    });
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/kubernetes/services/checkout',
      payload: { entity: component('checkout') },
      headers: { 'accept-encoding': 'br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(brotliDecompressSync(res.rawPayload).toString())).toEqual(large);
  });
});
