import type { KubeObject } from '../../contract/kubernetes.ts';
import { matchesLabels, type Requirement } from '../../kube/label-selector.ts';
import type { ChangeType, StoreChange } from './object-store.ts';

export interface ChangeFilter {
  requirements: readonly Requirement[];
  /** Only objects of this namespace; none for cluster-wide queries. */
  namespace?: string;
}

export function matchesFilter(filter: ChangeFilter, object: KubeObject): boolean {
  if (filter.namespace !== undefined && object.metadata?.namespace !== filter.namespace) return false;
  return matchesLabels(filter.requirements, object.metadata?.labels);
}

/**
 * A store change as a client of one query sees it, as a watch with that selector would report it: a label
 * change that brings an object into the selection is ADDED, one that takes it out is DELETED.
 */
export function changeForFilter(filter: ChangeFilter, change: StoreChange): ChangeType | undefined {
  const now = matchesFilter(filter, change.object);
  if (change.type !== 'MODIFIED') return now ? change.type : undefined;
  const before = change.previous ? matchesFilter(filter, change.previous) : false;
  if (before && now) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}
