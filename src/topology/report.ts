import { compareServiceKeys, compareStrings } from './order.ts';
import type {
  ClusterService,
  ComponentMiss,
  Conflict,
  DanglingOwner,
  OwnerProblem,
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
function unmatchedReason(component: StitchedComponent, misses: readonly ComponentMiss[]): UnmatchedReason {
  if (!component.kubernetesId) return 'no-id-value';
  if (misses.some((m) => m.reason === 'ambiguous')) return 'ambiguous';
  if (misses.some((m) => m.reason === 'conflict')) return 'conflict';
  return 'no-such-service';
}

/** The report's entry for a component linked nowhere, with its sorted `misses` per cluster. */
export function unmatchedOf(component: StitchedComponent, misses: ComponentMiss[]): UnmatchedComponent {
  return {
    componentRef: component.ref,
    reason: unmatchedReason(component, misses),
    ...(component.kubernetesId && { kubernetesId: component.kubernetesId.value }),
    ...(component.kubernetesNamespace && { kubernetesNamespace: component.kubernetesNamespace.value }),
    clusters: misses,
    ...(!component.kubernetesId && component.kubernetesIdTried && { tried: component.kubernetesIdTried }),
  };
}

/** The owner problem of a component no `component_owner` path resolved for, with every path tried. */
export function ownerProblemOf(component: StitchedComponent): OwnerProblem | undefined {
  const owner = component.owner;
  if (owner.status === 'linked') return undefined;
  // Rows stored before "first that resolves" have no `tried`.
  return { componentRef: component.ref, reason: 'owner-unresolved', tried: owner.tried ?? [] };
}

/** The owners a component names that the catalog does not hold, whether or not a later path resolved. */
export function danglingOwnersOf(component: StitchedComponent): DanglingOwner[] {
  return (component.owner.tried ?? []).flatMap((t) =>
    t.reason === 'not-in-catalog' && t.ref && t.kind && t.value !== undefined
      ? [{ componentRef: component.ref, ownerRef: t.ref, kind: t.kind, value: t.value, path: t.path }]
      : [],
  );
}

export const compareDangling = (a: DanglingOwner, b: DanglingOwner) =>
  compareStrings(a.ownerRef, b.ownerRef) ||
  compareStrings(a.componentRef, b.componentRef) ||
  compareStrings(a.path, b.path);

/** Assembles the report of one stitch run from its sorted components, links and owners. */
export function buildReport(args: {
  /** The Services some component claimed, as the objects in `services`. */
  claimed: ReadonlyMap<ClusterService, unknown> | ReadonlySet<ClusterService>;
  components: readonly StitchedComponent[];
  links: readonly StitchedLink[];
  misses: ReadonlyMap<string, ComponentMiss[]>;
  conflicts: readonly Conflict[];
  services: readonly ClusterService[];
}): StitchReport {
  const linked = new Set<string>();
  for (const link of args.links) linked.add(link.componentRef);

  const unmatchedComponents: UnmatchedComponent[] = [];
  const ownerProblems: OwnerProblem[] = [];
  const danglingOwners: DanglingOwner[] = [];
  for (const component of args.components) {
    const problem = ownerProblemOf(component);
    if (problem) ownerProblems.push(problem);
    danglingOwners.push(...danglingOwnersOf(component));
    if (linked.has(component.ref)) continue;
    const misses = [...(args.misses.get(component.ref) ?? [])].sort(byComponentThenCluster);
    unmatchedComponents.push(unmatchedOf(component, misses));
  }

  const ambiguous = [...args.misses.values()].flat().filter((m) => m.reason === 'ambiguous');
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
    danglingOwners: danglingOwners.sort(compareDangling),
  };
}
