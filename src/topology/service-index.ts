import type { ClusterService, MatchBy } from './types.ts';

/** Services of one cluster, indexed once so each component lookup is a map read. */
interface ClusterIndex {
  byNamespace: Map<string, Map<string, ClusterService>>;
  byName: Map<string, ClusterService[]>;
}

export type ServiceLookup =
  | { found: true; service: ClusterService; by: MatchBy }
  | { found: false; reason: 'no-such-service' }
  | { found: false; reason: 'ambiguous'; candidates: string[] };

export interface ServiceIndex {
  /** Every distinct Service, first occurrence kept when the input repeats one; lookups return these objects. */
  readonly services: readonly ClusterService[];
  lookup(cluster: string, name: string, namespace: string | undefined): ServiceLookup;
}

/**
 * Indexes Services by cluster + namespace + name and by cluster + name. Lookups are exact and
 * case-sensitive, as Kubernetes names are.
 */
export function indexServices(services: readonly ClusterService[]): ServiceIndex {
  const clusters = new Map<string, ClusterIndex>();
  const distinct: ClusterService[] = [];
  for (const service of services) {
    let index = clusters.get(service.cluster);
    if (!index) {
      index = { byNamespace: new Map(), byName: new Map() };
      clusters.set(service.cluster, index);
    }
    let namespace = index.byNamespace.get(service.namespace);
    if (!namespace) {
      namespace = new Map();
      index.byNamespace.set(service.namespace, namespace);
    }
    if (namespace.has(service.name)) continue;
    namespace.set(service.name, service);
    const sameName = index.byName.get(service.name);
    if (sameName) sameName.push(service);
    else index.byName.set(service.name, [service]);
    distinct.push(service);
  }

  return {
    services: distinct,
    lookup(cluster, name, namespace) {
      const index = clusters.get(cluster);
      if (namespace !== undefined) {
        const service = index?.byNamespace.get(namespace)?.get(name);
        return service
          ? { found: true, service, by: 'name-namespace' }
          : { found: false, reason: 'no-such-service' };
      }
      const candidates = index?.byName.get(name);
      if (!candidates) return { found: false, reason: 'no-such-service' };
      if (candidates.length === 1) {
        return { found: true, service: candidates[0] as ClusterService, by: 'name-only' };
      }
      return { found: false, reason: 'ambiguous', candidates: candidates.map((s) => s.namespace).sort() };
    },
  };
}
