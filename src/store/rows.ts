import { StitchboardError } from '../errors/errors.ts';
import type {
  ComponentMiss,
  ServiceOwner,
  StitchedComponent,
  StitchedLink,
  StitchResult,
} from '../topology/types.ts';
import type { SqlValue, TableSpec } from './sql-driver.ts';

/**
 * Table layouts and the mapping between stitch records and rows. Every table keeps the columns the
 * store filters on plus the full record as JSON in `data`, so a record reads back exactly as written.
 */
const text = (n: number) => Array.from({ length: n }, () => 'text');

export const Tables = {
  components: {
    name: 'sb_components',
    columns: ['instance', 'ref', 'owner_status', 'owner_ref', 'data'],
    key: ['instance', 'ref'],
    pgTypes: text(5),
  },
  links: {
    name: 'sb_links',
    columns: [
      'instance',
      'cluster',
      'namespace',
      'service',
      'component_ref',
      'owner_ref',
      'match_by',
      'stitched_at',
      'data',
    ],
    key: ['instance', 'cluster', 'namespace', 'service'],
    pgTypes: [...text(7), 'bigint', 'text'],
  },
  misses: {
    name: 'sb_misses',
    columns: ['instance', 'component_ref', 'cluster', 'reason', 'data'],
    key: ['instance', 'component_ref', 'cluster'],
    pgTypes: text(5),
  },
  unclaimed: {
    name: 'sb_unclaimed',
    columns: ['instance', 'cluster', 'namespace', 'service', 'data'],
    key: ['instance', 'cluster', 'namespace', 'service'],
    pgTypes: text(5),
  },
  owners: {
    name: 'sb_owners',
    columns: ['instance', 'ref', 'kind', 'in_catalog', 'data'],
    key: ['instance', 'ref'],
    pgTypes: [...text(3), 'integer', 'text'],
  },
} as const satisfies Record<string, TableSpec>;

export function linkRow(instance: string, link: StitchedLink, stitchedAt: number): SqlValue[] {
  const { cluster, namespace, service, componentRef, ownerRef, match } = link;
  return [
    instance,
    cluster,
    namespace,
    service,
    componentRef,
    ownerRef,
    match.by,
    stitchedAt,
    JSON.stringify(link),
  ];
}

export function componentRow(instance: string, component: StitchedComponent): SqlValue[] {
  const owner = component.owner;
  const ownerRef = owner.status === 'linked' ? owner.ref : null;
  return [instance, component.ref, owner.status, ownerRef, JSON.stringify(component)];
}

export function missRow(instance: string, miss: ComponentMiss): SqlValue[] {
  return [instance, miss.componentRef, miss.cluster, miss.reason, JSON.stringify(miss)];
}

export function unclaimedRow(
  instance: string,
  service: StitchResult['report']['unclaimedServices'][number],
): SqlValue[] {
  return [instance, service.cluster, service.namespace, service.service, JSON.stringify(service)];
}

export function ownerRow(instance: string, owner: ServiceOwner): SqlValue[] {
  // in_catalog is always 1 now: owners the catalog lacks are no longer stored (rows of older runs are hidden).
  return [instance, owner.ref, owner.kind, 1, JSON.stringify(owner)];
}

/** Parses a stored JSON column; a row that does not parse is damage worth naming, not a silent skip. */
export function decode<T>(table: string, value: unknown): T {
  if (typeof value !== 'string') {
    throw new StitchboardError('STORE_FAILED', `a row of ${table} has no data column`);
  }
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    throw new StitchboardError('STORE_FAILED', `a row of ${table} holds data that is not JSON`, {
      cause: error,
    });
  }
}

/**
 * The per-cluster misses worth keeping: every miss of a component that stitched nowhere, and every
 * ambiguous or lost-conflict lookup (those need fixing even when the component stitched elsewhere).
 */
export function missesOf(result: StitchResult): ComponentMiss[] {
  const byKey = new Map<string, ComponentMiss>();
  const add = (miss: ComponentMiss) => byKey.set(`${miss.componentRef}\u0000${miss.cluster}`, miss);
  for (const unmatched of result.report.unmatchedComponents) unmatched.clusters.forEach(add);
  result.report.ambiguous.forEach(add);
  const components = new Map(result.components.map((c) => [c.ref, c]));
  for (const conflict of result.report.conflicts) {
    const service = { cluster: conflict.cluster, namespace: conflict.namespace, service: conflict.service };
    for (const loser of conflict.losers) {
      const component = components.get(loser.componentRef);
      add({
        componentRef: loser.componentRef,
        cluster: conflict.cluster,
        reason: 'conflict',
        kubernetesId: component?.kubernetesId?.value ?? conflict.service,
        ...(component?.kubernetesNamespace && { kubernetesNamespace: component.kubernetesNamespace.value }),
        service,
        claimedBy: conflict.winner,
        rule: loser.rule,
      });
    }
  }
  return [...byKey.values()];
}
