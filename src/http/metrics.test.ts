import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type KubernetesMetrics } from './metrics.ts';
import { buildTestServer, component, type TestServer } from './test-helpers.ts';

let server: TestServer;

afterEach(async () => {
  await server.app.close();
});

async function scrape() {
  const res = await server.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return res;
}

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('serves the Prometheus text format with process metrics', async () => {
    server = await buildTestServer();
    const res = await scrape();
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE stitchboard_process_cpu_user_seconds_total counter');
    expect(res.body).toContain('# TYPE stitchboard_nodejs_heap_size_used_bytes gauge');
  });

  it('counts requests by route template and status, never by raw path', async () => {
    server = await buildTestServer({ entities: [component('checkout')] });
    const post = (name: string) =>
      server.app.inject({
        method: 'POST',
        url: `/api/kubernetes/services/${name}`,
        payload: { entity: component(name) },
      });
    await post('checkout');
    await post('checkout');
    await post('ghost');
    // Unknown API paths are 404s (other paths are pages of the web UI); counted without their raw path.
    await server.app.inject({ method: 'GET', url: '/api/no/such/path-1' });
    await server.app.inject({ method: 'GET', url: '/api/no/such/path-2' });

    const text = (await scrape()).body;
    const route = 'route="/api/kubernetes/services/:serviceId"';
    expect(sample(text, `stitchboard_http_requests_total{method="POST",${route},statusCode="200"}`)).toBe(2);
    expect(sample(text, `stitchboard_http_requests_total{method="POST",${route},statusCode="403"}`)).toBe(1);
    expect(
      sample(text, 'stitchboard_http_requests_total{method="GET",route="<unmatched>",statusCode="404"}'),
    ).toBe(2);
    expect(
      sample(
        text,
        `stitchboard_http_request_duration_seconds_count{method="POST",${route},statusCode="200"}`,
      ),
    ).toBe(2);
    expect(text).not.toContain('path-1');
    expect(text).not.toContain('checkout');
  });

  it('shows what the objects layer records through KubernetesMetrics', async () => {
    server = await buildTestServer();
    const recorder: KubernetesMetrics = server.metrics;
    recorder.kubernetesFetchErrors.inc({ cluster: 'prod-eu', errorType: 'FETCH_ERROR' });
    recorder.kubernetesFetchErrors.inc({ cluster: 'prod-eu', errorType: 'FETCH_ERROR' });
    recorder.clusterFetchDuration.observe({ cluster: 'prod-eu' }, 0.2);

    const text = (await scrape()).body;
    expect(
      sample(text, 'stitchboard_kubernetes_fetch_errors_total{cluster="prod-eu",errorType="FETCH_ERROR"}'),
    ).toBe(2);
    expect(
      sample(text, 'stitchboard_cluster_fetch_duration_seconds_bucket{le="0.25",cluster="prod-eu"}'),
    ).toBe(1);
    expect(
      sample(text, 'stitchboard_cluster_fetch_duration_seconds_bucket{le="0.1",cluster="prod-eu"}'),
    ).toBe(0);
  });
});

describe('createMetrics', () => {
  it('gives each call its own registry, so two servers never share counts', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.httpRequests.inc({ method: 'GET', route: '/x', statusCode: '200' });
    expect(await a.registry.getSingleMetricAsString('stitchboard_http_requests_total')).toContain('} 1');
    expect(await b.registry.getSingleMetricAsString('stitchboard_http_requests_total')).not.toContain('} 1');
  });
});
