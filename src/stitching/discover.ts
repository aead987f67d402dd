import { secretInstanceName } from '../config/normalize-scrapers.ts';
import type { BackstageInstanceConfig, BackstageScraperConfig } from '../config/types.ts';
import { isStitchboardError, messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ClusterAccess, ClusterTarget } from './cluster-access.ts';
import type { SecretApi } from './secret-api.ts';
import { instanceFromSecret } from './secret-instance.ts';
import {
  IN_CLUSTER,
  type CatalogInstance,
  type DiscoveredInstance,
  type Discovery,
  type DiscoveryState,
} from './types.ts';

export interface DiscoverDeps {
  access: ClusterAccess;
  secrets: SecretApi;
  logger: Logger;
  /** `scrapers.catalog`, when enabled: the app's own catalog, first of the instances. */
  local?: CatalogInstance;
}

const reason = (error: unknown) => (isStitchboardError(error) ? error.message : messageOf(error));

/**
 * Every instance as of now: the app's own catalog when `scrapers.catalog` is enabled, the configured
 * Backstage instances (a Secret named in config is read again on every call, so a rotated token is
 * used at once), then every Secret matching a `discovery.labelSelectors` entry in the discovery
 * cluster (by default `causely.ai/scraper=Backstage`, the seed's, or `stitchboard.io/scraper=Backstage`). A Secret named in config and also labelled is one instance, with the config's name and
 * label_map. Nothing here throws: every problem becomes the state of its instance or of discovery.
 */
export async function discoverInstances(
  config: BackstageScraperConfig,
  deps: DiscoverDeps,
): Promise<Discovery> {
  const targets = new Map<string, Promise<ClusterTarget>>();
  const targetFor = (cluster: string | undefined) => {
    const key = cluster ?? IN_CLUSTER;
    let target = targets.get(key);
    if (!target) {
      target = deps.access.target(cluster);
      // Awaited later by each user; a rejection here must not count as unhandled.
      target.catch(() => {});
      targets.set(key, target);
    }
    return target;
  };

  const instances: DiscoveredInstance[] = [
    ...(deps.local ? [{ ok: true as const, instance: deps.local }] : []),
    ...(await Promise.all(config.instances.map((entry) => configured(entry, targetFor, deps)))),
  ];
  const discovery: DiscoveryState[] = [];
  if (config.discovery.enabled) {
    const state = await discoverLabelled(config, instances, targetFor, deps);
    discovery.push(state.state);
    instances.push(...state.instances);
  }
  for (const instance of instances) {
    if (!instance.ok) {
      const { source } = instance;
      const secret =
        source.type === 'secret'
          ? { cluster: source.cluster, namespace: source.namespace, name: source.name }
          : undefined;
      deps.logger.warn(
        {
          instance: instance.name,
          ...(secret && { secret }),
          ...(instance.missingKey !== undefined && { missingKey: instance.missingKey }),
        },
        instance.problem,
      );
    }
  }
  return { instances, discovery };
}

async function configured(
  entry: BackstageInstanceConfig,
  targetFor: (cluster: string | undefined) => Promise<ClusterTarget>,
  deps: DiscoverDeps,
): Promise<DiscoveredInstance> {
  if (entry.source === 'config') {
    const { source: _source, ...rest } = entry;
    return { ok: true, instance: { ...rest, source: { type: 'config' } } };
  }
  const source = {
    type: 'secret' as const,
    cluster: entry.cluster ?? IN_CLUSTER,
    namespace: entry.namespace,
    name: entry.secretName,
    configured: true,
  };
  const fail = (problem: string): DiscoveredInstance => ({ ok: false, name: entry.name, source, problem });
  try {
    const target = await targetFor(entry.cluster);
    const secret = await deps.secrets.get(target, entry.namespace, entry.secretName);
    if (!secret) {
      return fail(`Secret ${entry.namespace}/${entry.secretName} not found in cluster ${source.cluster}`);
    }
    return instanceFromSecret(secret, { name: entry.name, source, labelMap: entry.labelMap });
  } catch (error) {
    return fail(reason(error));
  }
}

async function discoverLabelled(
  config: BackstageScraperConfig,
  known: readonly DiscoveredInstance[],
  targetFor: (cluster: string | undefined) => Promise<ClusterTarget>,
  deps: DiscoverDeps,
): Promise<{ state: DiscoveryState; instances: DiscoveredInstance[] }> {
  const clusterName = config.discovery.cluster;
  const cluster = clusterName ?? IN_CLUSTER;
  const { namespaces, labelSelectors } = config.discovery;
  const state: DiscoveryState = { cluster, namespaces, labelSelectors, status: 'ok', found: 0 };
  if (clusterName === undefined && !deps.access.inClusterAvailable()) {
    state.status = 'skipped';
    state.message = 'not running in Kubernetes and no scrapers.backstage.cluster set: no Secret to discover';
    return { state, instances: [] };
  }
  let secrets;
  try {
    const target = await targetFor(clusterName);
    const lists = await Promise.all(
      (namespaces.length > 0 ? namespaces : [undefined]).flatMap((namespace) =>
        labelSelectors.map((labelSelector) =>
          deps.secrets.list(target, { labelSelector, ...(namespace ? { namespace } : {}) }),
        ),
      ),
    );
    // A Secret carrying both labels (or matching two selectors) is one instance.
    const unique = new Map<string, (typeof lists)[number][number]>();
    for (const secret of lists.flat()) {
      unique.set(`${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`, secret);
    }
    secrets = [...unique.values()];
  } catch (error) {
    state.status = 'failed';
    state.message = reason(error);
    deps.logger.warn({ cluster }, `Secret discovery failed: ${state.message}`);
    return { state, instances: [] };
  }
  state.found = secrets.length;

  const covered = new Set(
    known.flatMap((i) => {
      const source = i.ok ? i.instance.source : i.source;
      return source.type === 'secret' ? [`${source.cluster}/${source.namespace}/${source.name}`] : [];
    }),
  );
  const names = new Set(known.map((i) => (i.ok ? i.instance.name : i.name)));
  const instances: DiscoveredInstance[] = [];
  const sorted = secrets
    .map((s) => ({ secret: s, namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  for (const { secret, namespace, name } of sorted) {
    if (covered.has(`${cluster}/${namespace}/${name}`)) continue;
    const instanceName = secretInstanceName({
      namespace,
      name,
      ...(clusterName ? { cluster: clusterName } : {}),
    });
    const source = { type: 'secret' as const, cluster, namespace, name, configured: false };
    if (names.has(instanceName)) {
      instances.push({
        ok: false,
        name: instanceName,
        source,
        problem: `instance name ${instanceName} is already used by a configured instance; rename that one`,
      });
      continue;
    }
    names.add(instanceName);
    instances.push(instanceFromSecret(secret, { name: instanceName, source, labelMap: config.labelMap }));
  }
  return { state, instances };
}
