import { withInClusterEndpoint } from '../auth/service-account.ts';
import type { CatalogSource } from '../catalog/types.ts';
import { LOCAL_PROXY_CLUSTER } from '../config/cluster-names.ts';
import type { ClusterLocatorMethodConfig, Config } from '../config/types.ts';
import { StitchboardError } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { clusterSettings } from './cluster-settings.ts';
import { CatalogClusterSupplier } from './catalog-supplier.ts';
import { CombinedClusterSupplier } from './combined-supplier.ts';
import { CustomClusterSupplier } from './custom-supplier.ts';
import { StaticClusterSupplier, toClusterDetails } from './config-supplier.ts';
import { GkeClusterSupplier, gkeClusterLister } from './gke-supplier.ts';
import { LocalKubectlProxySupplier } from './local-proxy-supplier.ts';
import type { ClusterSupplier } from './types.ts';

export interface ClusterSupplierDeps {
  catalog?: CatalogSource;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Builds one supplier per `kubernetes.clusterLocatorMethods[]` entry and combines them. */
export function buildClusterSupplier(config: Config, deps: ClusterSupplierDeps): ClusterSupplier {
  const kubernetes = config.kubernetes;
  if (!kubernetes) return new StaticClusterSupplier([]);
  const suppliers = kubernetes.clusterLocatorMethods.flatMap((method) => {
    const supplier = buildLocator(method, config, deps);
    return supplier ? [{ type: method.type, supplier }] : [];
  });
  return new CombinedClusterSupplier({
    suppliers,
    continueOnError: kubernetes.clusterLocatorContinueOnError,
    logger: deps.logger,
  });
}

function buildLocator(method: ClusterLocatorMethodConfig, config: Config, deps: ClusterSupplierDeps) {
  switch (method.type) {
    case 'config':
      return new StaticClusterSupplier(
        method.clusters.map((c) =>
          withInClusterEndpoint(toClusterDetails(c, clusterSettings(config, c.name)), deps.env),
        ),
      );
    case 'localKubectlProxy':
      return new LocalKubectlProxySupplier(clusterSettings(config, LOCAL_PROXY_CLUSTER), deps.env);
    case 'catalog':
      if (!deps.catalog) {
        throw new StitchboardError(
          'CONFIG_INVALID',
          'the catalog cluster locator needs a catalog to read kubernetes-cluster Resources from (stitchboard.catalog)',
          {
            path: `kubernetes.clusterLocatorMethods[${config.kubernetes?.clusterLocatorMethods.indexOf(method)}]`,
          },
        );
      }
      return new CatalogClusterSupplier({
        catalog: deps.catalog,
        allowedHosts: method.dangerouslyAllowClusterUrls,
        allowSkipTLSVerify: method.dangerouslyAllowSkipTLSVerify,
        settings: (name) => clusterSettings(config, name),
        logger: deps.logger,
      });
    case 'custom':
      return new CustomClusterSupplier({
        module: method.module,
        options: method.options,
        settings: (name) => clusterSettings(config, name),
        logger: deps.logger,
        configPath: `kubernetes.clusterLocatorMethods[${config.kubernetes?.clusterLocatorMethods.indexOf(method)}]`,
      });
    case 'gke': {
      const credentialsJson = config.kubernetes?.googleServiceAccountCredentials;
      const refreshIntervalMs = config.stitchboard.kubernetes.gkeRefreshIntervalMs;
      return new GkeClusterSupplier({
        locator: method,
        lister: gkeClusterLister({
          env: deps.env ?? process.env,
          ...(credentialsJson !== undefined ? { credentialsJson } : {}),
        }),
        settingsFor: (name) => clusterSettings(config, name),
        logger: deps.logger.child({ locator: 'gke', projectId: method.projectId }),
        ...(refreshIntervalMs !== undefined ? { refreshIntervalMs } : {}),
      });
    }
  }
}

export type { ClusterSupplier, ClusterDetails } from './types.ts';
