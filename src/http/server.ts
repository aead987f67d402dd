import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { CatalogSource } from '../catalog/types.ts';
import type { ClusterSupplier } from '../clusters/types.ts';
import type { BackendConfig, KubernetesConfig, StitchboardSection } from '../config/types.ts';
import type { KubernetesObjectsService } from '../objects/types.ts';
import type { Logger } from '../shared/logger.ts';
import { createStaticTokenVerifier, registerAuth, type TokenVerifier } from './auth.ts';
import { createBackstageTokenVerifier } from './backstage-token.ts';
import { registerCompression } from './compression.ts';
import { registerCors } from './cors.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { ALWAYS_READY, type Readiness } from '../fetch/watch/warm-up.ts';
import { createHealthChecks, registerHealth, registerReadiness, type HealthChecks } from './health.ts';
import { registerMetrics, type Metrics } from './metrics.ts';
import { registerPermissions } from './permissions.ts';
import { UpstreamAgents } from '../fetch/upstream/upstream-agents.ts';
import { routeUpgrades } from './proxy/upgrades.ts';
import { RequestLog, requestSerializers } from './request-log.ts';
import { uiRoutes } from './routes/ui.ts';
import { componentsRoutes, type ComponentsRoutesOptions } from './routes/components.ts';
import { rollupRoutes } from './routes/rollups.ts';
import { ComponentHealthSource } from '../rollup/health-source.ts';
import { kubernetesRoutes } from './routes/kubernetes.ts';
import { stitchRoutes, type StitchRoutesOptions } from './routes/stitch.ts';
import { PROXY_PREFIX, proxyRoutes, type ProxyRoutesOptions } from './routes/proxy.ts';

export interface ServerDeps {
  config: BackendConfig;
  catalog: CatalogSource;
  kubernetes: KubernetesObjectsService;
  logger: Logger;
  metrics: Metrics;
  /** Where other parts register `/healthz` checks. A fresh, empty set when absent. */
  health?: HealthChecks;
  /** What `GET /readyz` reports; always ready when absent. */
  readiness?: Readiness;
  /** Stitching's API under `/api/stitchboard` (services, owners, report, runs, instances). Absent: not served. */
  stitch?: StitchRoutesOptions;
  /** Verifiers tried after the static tokens and the Backstage user tokens (tests, embedding). */
  verifiers?: TokenVerifier[];
  /** `stitchboard.auth` (Backstage user tokens) and `stitchboard.permissions`. Absent: static tokens, allow all. */
  access?: Pick<StitchboardSection, 'auth' | 'permissions'>;
  /** What `/api/kubernetes/proxy` needs; served only when `settings.enabled` (`kubernetes.proxy.enabled`). */
  proxy?: {
    settings: KubernetesConfig['proxy'] | undefined;
    clusters: ClusterSupplier;
    auth: ProxyRoutesOptions['auth'];
  };
  /**
   * Stitchboard's own read API behind the web UI (`/api/stitchboard/components`, `/events`,
   * `/who-owns`), and with `stitch` also the team and system rollups (`/teams`, `/systems`).
   */
  components?: Omit<ComponentsRoutesOptions, 'catalog' | 'objects'>;
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
  const backstageTokens = deps.access?.auth?.backstageTokens;
  const verifiers = [
    ...(externalAccess.length > 0 ? [createStaticTokenVerifier(externalAccess)] : []),
    ...(backstageTokens ? [createBackstageTokenVerifier({ ...backstageTokens, logger })] : []),
    ...(deps.verifiers ?? []),
  ];
  // Before the token check, which a preflight (it carries no token) would not pass.
  if (config.cors) await registerCors(app, config.cors);
  registerAuth(app, { verifiers, logger });
  registerPermissions(app, { rules: deps.access?.permissions, open: verifiers.length === 0 });
  registerMetrics(app, metrics);
  registerCompression(app);
  registerHealth(app, deps.health ?? createHealthChecks());
  registerReadiness(app, deps.readiness ?? ALWAYS_READY);

  await app.register(kubernetesRoutes, {
    prefix: '/api/kubernetes',
    catalog: deps.catalog,
    kubernetes: deps.kubernetes,
  });
  if (deps.stitch) await app.register(stitchRoutes, { prefix: '/api/stitchboard', ...deps.stitch });
  if (deps.proxy?.settings?.enabled) {
    const agents = new UpstreamAgents(deps.proxy.settings.middlewareCache);
    app.addHook('onClose', async () => agents.close());
    routeUpgrades(app);
    await app.register(proxyRoutes, {
      prefix: PROXY_PREFIX,
      clusters: deps.proxy.clusters,
      auth: deps.proxy.auth,
      agents,
    });
  }
  if (deps.components) {
    // One health cache for the Components page and the rollups: a component's fan-out serves both.
    const health =
      deps.components.health ?? new ComponentHealthSource(deps.kubernetes, deps.components.status);
    await app.register(componentsRoutes, {
      prefix: '/api/stitchboard',
      catalog: deps.catalog,
      objects: deps.kubernetes,
      ...deps.components,
      health,
    });
    if (deps.stitch) {
      await app.register(rollupRoutes, {
        prefix: '/api/stitchboard',
        catalog: deps.catalog,
        store: deps.stitch.store,
        health,
      });
    }
  }
  await app.register(uiRoutes);
  return app;
}
