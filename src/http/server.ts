import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { CatalogSource } from '../catalog/types.ts';
import type { BackendConfig } from '../config/types.ts';
import type { KubernetesObjectsService } from '../objects/types.ts';
import type { Logger } from '../shared/logger.ts';
import { createStaticTokenVerifier, registerAuth, type TokenVerifier } from './auth.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { createHealthChecks, registerHealth, type HealthChecks } from './health.ts';
import { registerMetrics, type Metrics } from './metrics.ts';
import { RequestLog, requestSerializers } from './request-log.ts';
import { kubernetesRoutes } from './routes/kubernetes.ts';

export interface ServerDeps {
  config: BackendConfig;
  catalog: CatalogSource;
  kubernetes: KubernetesObjectsService;
  logger: Logger;
  metrics: Metrics;
  /** Where other parts register `/healthz` checks. A fresh, empty set when absent. */
  health?: HealthChecks;
  /** Verifiers tried after the static tokens of `config.auth.externalAccess` (e.g. Backstage user tokens). */
  verifiers?: TokenVerifier[];
}

/**
 * The HTTP app, ready for `app.inject()` in tests or `app.listen()` in `serve`. Not yet listening
 * and not yet `ready()`, so the caller can still add routes (the proxy) or health checks.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config, logger, metrics } = deps;
  // Typed as Fastify's base logger so the instance is the plain `FastifyInstance` plugins expect.
  const loggerInstance: FastifyBaseLogger = logger.child(
    { component: 'http' },
    { serializers: requestSerializers },
  );
  const app = fastify({
    loggerInstance,
    logController: new RequestLog(),
    bodyLimit: config.bodyLimit,
  });

  // Only JSON bodies are accepted: a text/plain body would otherwise reach handlers as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(createErrorHandler({ bodyLimit: config.bodyLimit }));
  app.setNotFoundHandler(notFoundHandler);

  const { externalAccess } = config.auth;
  const verifiers = [
    ...(externalAccess.length > 0 ? [createStaticTokenVerifier(externalAccess)] : []),
    ...(deps.verifiers ?? []),
  ];
  registerAuth(app, { verifiers, logger });
  registerMetrics(app, metrics);
  registerHealth(app, deps.health ?? createHealthChecks());

  await app.register(kubernetesRoutes, {
    prefix: '/api/kubernetes',
    catalog: deps.catalog,
    kubernetes: deps.kubernetes,
  });
  return app;
}
