import { quote } from './issues.ts';
import type { ClusterLocatorMethodConfig } from './types.ts';

/** The cluster names the static locators define, and whether a dynamic locator may add more. */
export interface KnownClusters {
  names: ReadonlySet<string>;
  /** A catalog, GKE or custom locator is configured: its clusters are known only at run time. */
  dynamic: boolean;
}

/** The name `type: localKubectlProxy` gives its one cluster, as Backstage does. */
export const LOCAL_PROXY_CLUSTER = 'local';

/** The cluster names one locator defines in the config itself (none for a dynamic locator). */
export function staticClusterNames(locator: ClusterLocatorMethodConfig): string[] {
  if (locator.type === 'config') return locator.clusters.map((c) => c.name);
  if (locator.type === 'localKubectlProxy') return [LOCAL_PROXY_CLUSTER];
  return [];
}

export function knownClusters(locators: readonly ClusterLocatorMethodConfig[]): KnownClusters {
  const names = new Set(locators.flatMap(staticClusterNames));
  const dynamic = locators.some((l) => l.type !== 'config' && l.type !== 'localKubectlProxy');
  return { names, dynamic };
}

/**
 * Why a cluster name a section refers to may be wrong (no static locator defines it), or undefined.
 * `dynamicHint` is the parenthesis added when a dynamic locator could still supply it.
 */
export function unknownClusterProblem(
  name: string,
  known: KnownClusters,
  dynamicHint: string,
): string | undefined {
  if (known.names.has(name)) return undefined;
  return `no cluster named ${quote(name)} in kubernetes.clusterLocatorMethods${known.dynamic ? ` (${dynamicHint})` : ''}`;
}
