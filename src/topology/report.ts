import { compareServiceKeys, compareStrings } from './order.ts';
import type {
  ClusterService,
  ComponentMiss,
  Conflict,
  MissingOwner,
  OwnerProblem,
  ServiceOwner,
  StitchedComponent,
  StitchedLink,
  StitchReport,
  UnmatchedComponent,
  UnmatchedReason,
} from './types.ts';

const byComponentThenCluster = (a: ComponentMiss, b: ComponentMiss) =>
  compareStrings(a.componentRef, b.componentRef) || compareStrings(a.cluster, b.cluster);

/**
 * The top reason a component stitched nowhere: no name to look up; else an ambiguous name (the
 * one a person can fix by adding a namespace); else a lost conflict; else no such Service.
 */
export function unmatchedReason(
  component: StitchedComponent,
  misses: readonly ComponentMiss[],
): UnmatchedReason {
  if (!component.kubernetesId) return 'no-id-value';
  if (misses.some((m) => m.reason === 'ambiguous')) return 'ambiguous';
  if (misses.some((m) => m.reason === 'conflict')) return 'conflict';
  return 'no-such-service';
}

export function ownerProblemOf(component: StitchedComponent): OwnerProblem | undefined {
  const owner = component.owner;
  const componentRef = component.ref;
  switch (owner.status) {
    case 'linked':
      return undefined;
    case 'unresolved':
      return { componentRef, reason: 'owner-unresolved' };
    case 'invalid':
      return {
        componentRef,
        reason: 'owner-invalid',
        value: owner.value,
        path: owner.path,
        message: owner.message,
      };
    case 'not-in-catalog':
      return {
        componentRef,
        reason: 'owner-not-in-catalog',
        value: owner.value,
        path: owner.path,
        ownerRef: owner.ref,
      };
  }
}

/** Assembles the report of one stitch run from its sorted components, links and owners. */
export function buildReport(args: {
  /** The Services some component claimed, as the objects in `services`. */
  claimed: ReadonlyMap<ClusterService, unknown> | ReadonlySet<ClusterService>;
  components: readonly StitchedComponent[];
  links: readonly StitchedLink[];
  misses: ReadonlyMap<string, ComponentMiss[]>;
  conflicts: readonly Conflict[];
  services: readonly ClusterService[];
  owners: readonly ServiceOwner[];
}): StitchReport {
  const linked = new Set<string>();
  for (const link of args.links) linked.add(link.componentRef);

  const unmatchedComponents: UnmatchedComponent[] = [];
  const ownerProblems: OwnerProblem[] = [];
  const namedBy = new Map<string, string[]>();
  for (const component of args.components) {
    const problem = ownerProblemOf(component);
    if (problem) ownerProblems.push(problem);
    if (component.owner.status === 'not-in-catalog') {
      const refs = namedBy.get(component.owner.ref);
      if (refs) refs.push(component.ref);
      else namedBy.set(component.owner.ref, [component.ref]);
    }
    if (linked.has(component.ref)) continue;
    const misses = [...(args.misses.get(component.ref) ?? [])].sort(byComponentThenCluster);
    unmatchedComponents.push({
      componentRef: component.ref,
      reason: unmatchedReason(component, misses),
      ...(component.kubernetesId && { kubernetesId: component.kubernetesId.value }),
      ...(component.kubernetesNamespace && { kubernetesNamespace: component.kubernetesNamespace.value }),
      clusters: misses,
    });
  }

  const ambiguous = [...args.misses.values()].flat().filter((m) => m.reason === 'ambiguous');
  const missingOwners: MissingOwner[] = args.owners
    .filter((o) => !o.inCatalog)
    .map((o) => ({ ref: o.ref, kind: o.kind, componentRefs: namedBy.get(o.ref) ?? [] }));
  const unclaimedServices = args.services
    .filter((s) => !args.claimed.has(s))
    .map((s) => ({
      cluster: s.cluster,
      namespace: s.namespace,
      service: s.name,
      ...(s.uid !== undefined && { serviceUid: s.uid }),
    }))
    .sort(compareServiceKeys);

  return {
    unmatchedComponents,
    ambiguous: ambiguous.sort(byComponentThenCluster),
    conflicts: [...args.conflicts].sort(compareServiceKeys),
    ownerProblems,
    unclaimedServices,
    missingOwners,
  };
}
