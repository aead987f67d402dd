import type { Entity } from '@backstage/catalog-model';
import { afterAll } from 'vitest';
import type { ClusterInfo } from '../../tools/kube/types.ts';
import { AuthDispatcher, defaultAuthStrategies } from '../../src/auth/dispatch.ts';
import type { ClusterSettings } from '../../src/clusters/cluster-settings.ts';
import { toClusterDetails } from '../../src/clusters/config-supplier.ts';
import { buildClusterSupplier } from '../../src/clusters/index.ts';
import type { ClusterDetails } from '../../src/clusters/types.ts';
import type {
  ClusterLocatorMethodConfig,
  Config,
  ConfigClusterConfig,
  KubernetesConfig,
} from '../../src/config/types.ts';
import { ClusterConnections } from '../../src/fetch/connection.ts';
import { LiveFetcher } from '../../src/fetch/live-fetcher.ts';
import { buildServiceLocator } from '../../src/locate/service-locator.ts';
import { KubernetesFanOut, type FetchObserver } from '../../src/objects/fan-out.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { componentEntity } from './entities.ts';

/** A `config` locator entry for a lab cluster, with its admin token unless `overrides` says otherwise. */
export function configCluster(
  info: ClusterInfo,
  overrides: Partial<ConfigClusterConfig> = {},
): ConfigClusterConfig {
  return {
    name: info.name,
    url: info.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: info.adminToken,
    caData: info.caData,
    skipTLSVerify: false,
    skipMetricsLookup: true,
    ...overrides,
  };
}

/** The ClusterDetails the `config` locator makes of `configCluster(info)`, for wiring fetchers directly. */
export function labClusterDetails(
  info: ClusterInfo,
  settings: ClusterSettings,
  overrides: Partial<ClusterDetails> = {},
): ClusterDetails {
  return { ...toClusterDetails(configCluster(info), settings), ...overrides };
}

/** The `kubernetes` section of a raw app-config.yaml: multiTenant and one `config` locator. */
export function rawKubernetes(clusters: readonly ConfigClusterConfig[]) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [{ type: 'config', clusters }],
  };
}

/** A complete, already-normalised Config, as `loadConfig` would produce it. */
export function testConfig(
  kubernetes: Partial<KubernetesConfig> & { clusterLocatorMethods: ClusterLocatorMethodConfig[] },
  stitchboard: Partial<Config['stitchboard']['kubernetes']> = {},
): Config {
  return {
    backend: {
      listen: { host: '127.0.0.1', port: 0 },
      auth: { externalAccess: [] },
      database: { client: 'sqlite', path: ':memory:' },
      bodyLimit: 1024 * 1024,
    },
    stitchboard: {
      dataDir: '.data',
      catalog: [],
      kubernetes: {
        timeoutMs: 5000,
        mode: 'live',
        clusters: {},
        watchStaleAfterMs: 30_000,
        watchIdleTimeoutMs: 180_000,
        ...stitchboard,
      },
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorContinueOnError: false,
      customResources: [],
      apiVersionOverrides: {},
      proxy: { enabled: false, middlewareCache: { maxSize: 100, ttlMs: 60_000 } },
      ...kubernetes,
    },
  };
}

/** v1.20 serves CronJobs and HPAs only at these versions. */
export const V120_OVERRIDES = { cronjobs: 'v1beta1', horizontalpodautoscalers: 'v2beta2' };

export interface TestEngine {
  objects: KubernetesFanOut;
  fetches: { cluster: string; errors: number }[];
  close(): Promise<void>;
}

/** The real fan-out over real connections, wired as `createApp` does, without HTTP. */
export function testEngine(config: Config, env: NodeJS.ProcessEnv = {}): TestEngine {
  const kubernetes = config.kubernetes as KubernetesConfig;
  const connections = new ClusterConnections();
  const live = new LiveFetcher(connections);
  const fetches: TestEngine['fetches'] = [];
  const observer: FetchObserver = {
    clusterFetched: (e) => fetches.push({ cluster: e.cluster, errors: e.errors.length }),
  };
  const objects = new KubernetesFanOut({
    clusters: buildClusterSupplier(config, { logger: silentLogger(), env }),
    auth: new AuthDispatcher(defaultAuthStrategies(env)),
    fetcherFor: () => live,
    locator: buildServiceLocator(kubernetes.serviceLocatorMethod.type),
    ...(kubernetes.objectTypes ? { objectTypes: kubernetes.objectTypes } : {}),
    apiVersionOverrides: kubernetes.apiVersionOverrides,
    customResources: kubernetes.customResources,
    logger: silentLogger(),
    observer,
  });
  return { objects, fetches, close: () => connections.close() };
}

export interface FileEngines {
  /** `testEngine(config, env)`. */
  engine(config: Config, env?: NodeJS.ProcessEnv): TestEngine;
  /** An engine over `clusters` through one `config` locator, the rest of the config as `testConfig` takes it. */
  over(
    clusters: ConfigClusterConfig[],
    kubernetes?: Partial<KubernetesConfig>,
    options?: { stitchboard?: Partial<Config['stitchboard']['kubernetes']>; env?: NodeJS.ProcessEnv },
  ): TestEngine;
}

/**
 * `testEngine` for one test file: every engine made through it is closed after the file's tests.
 *
 * @example
 *   const { over } = fileEngines();
 *   const { objects } = over([configCluster(alpha.info)], { objectTypes: ['pods'] });
 */
export function fileEngines(): FileEngines {
  const engines: TestEngine[] = [];
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
  });
  const engine = (config: Config, env: NodeJS.ProcessEnv = {}) => {
    const made = testEngine(config, env);
    engines.push(made);
    return made;
  };
  return {
    engine,
    over: (clusters, kubernetes = {}, options = {}) =>
      engine(
        testConfig(
          { clusterLocatorMethods: [{ type: 'config', clusters }], ...kubernetes },
          options.stitchboard,
        ),
        options.env,
      ),
  };
}

export function component(
  name: string,
  annotations: Record<string, string> = {},
  extra: Partial<Entity> = {},
): Entity {
  return { ...componentEntity(name, annotations, {}, 'default'), ...extra };
}

/** Names of the objects of one type in one cluster's slot of a response, sorted. */
export function namesOf(
  response: Awaited<ReturnType<KubernetesFanOut['getObjectsByEntity']>>,
  cluster: string,
  type: string,
): string[] {
  const item = response.items.find((i) => i.cluster.name === cluster);
  const list = item?.resources.find((r) => r.type === type)?.resources ?? [];
  return list.map((o) => o.metadata?.name ?? '').sort();
}
