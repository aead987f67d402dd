import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * What the objects layer records per cluster. Structural, so a caller can pass `createMetrics()`
 * or anything with the same two methods. `errorType` is the `errors[].errorType` of the response
 * (`FETCH_ERROR`, `NOT_FOUND`, …); durations are in seconds.
 */
export interface KubernetesMetrics {
  kubernetesFetchErrors: { inc(labels: { cluster: string; errorType: string }, value?: number): void };
  clusterFetchDuration: { observe(labels: { cluster: string }, seconds: number): void };
}

export interface Metrics extends KubernetesMetrics {
  /** Our own registry, never prom-client's global one, so several servers (tests) do not collide. */
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'statusCode'>;
  httpRequestDuration: Histogram<'method' | 'route' | 'statusCode'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stitchboard_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'stitchboard_http_requests_total',
      help: 'HTTP requests answered, by route template and status code',
      labelNames: ['method', 'route', 'statusCode'],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'stitchboard_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route template and status code',
      labelNames: ['method', 'route', 'statusCode'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    kubernetesFetchErrors: new Counter({
      name: 'stitchboard_kubernetes_fetch_errors_total',
      help: 'Errors reported for a cluster in objects responses, by cluster and errorType',
      labelNames: ['cluster', 'errorType'],
      registers,
    }),
    clusterFetchDuration: new Histogram({
      name: 'stitchboard_cluster_fetch_duration_seconds',
      help: 'Time to fetch one entity’s objects from one cluster',
      labelNames: ['cluster'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

/** Route label for requests that matched no route: one value, so probes for random paths cannot grow the series. */
export const UNMATCHED_ROUTE = '<unmatched>';

/** Counts and times every request, labelled by the route template (`/api/kubernetes/services/:serviceId`), never the raw URL. */
export function registerMetrics(app: FastifyInstance, metrics: Metrics) {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE),
      statusCode: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}
