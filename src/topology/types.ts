import type { Entity } from '@backstage/catalog-model';

/**
 * The plain data stitching works on and produces. Everything here is JSON-safe, so the store, the
 * HTTP layer and the CLI can pass it along unchanged. See docs/stitching.md for the rules.
 */

/** Where to read each stitching value on a component: lists of field paths, the first that resolves wins. */
export interface LabelMap {
  /** Paths to the Kubernetes Service name. */
  component_kubernetes_id: readonly string[];
  /** Paths to the Service's namespace; no value means "look the name up in every namespace". */
  component_kubernetes_namespace: readonly string[];
  /** Paths to the owner entity ref; no value means "no owner link". */
  component_owner: readonly string[];
}

/** One Kubernetes Service as listed from one cluster. */
export interface ClusterService {
  cluster: string;
  namespace: string;
  name: string;
  uid?: string;
  labels?: Readonly<Record<string, string>>;
}

/** Identifies a Service across all clusters. */
export interface ServiceKey {
  cluster: string;
  namespace: string;
  service: string;
}

export interface StitchInput {
  /** The Backstage instance's name; becomes the `stitchboard.io/scraper` label. */
  instance: string;
  /** Catalog entities; only kind Component is stitched, anything else is ignored. */
  components: readonly Entity[];
  groups: readonly Entity[];
  users: readonly Entity[];
  /** Services of every cluster that was read. */
  services: readonly ClusterService[];
  labelMap: LabelMap;
  /** Clusters that were read, including those without Services. */
  clusters: readonly string[];
}

/** A value read from a component, and the label_map path that gave it. */
export interface FieldValue {
  value: string;
  path: string;
}

export type OwnerKind = 'group' | 'user';

/**
 * Why one label_map path did not resolve: it gave no value; its value is not a valid Service name,
 * namespace or owner ref (`invalid`, with the reason); or it names an owner the catalog lacks.
 */
export type PathFailure = 'no-value' | 'invalid' | 'not-in-catalog';

/** One label_map path that was tried and passed over. */
export interface PathAttempt {
  path: string;
  reason: PathFailure;
  value?: string;
  /** `not-in-catalog`: the owner ref the value names, and its kind. */
  ref?: string;
  kind?: OwnerKind;
  /** `invalid`: why the value is not usable. */
  message?: string;
}

/**
 * What became of a component's owner: the first `component_owner` path whose value names a group
 * or user of the catalog (`linked`), else none (`unresolved`). `tried` lists the paths passed over
 * before the one that resolved, or every path when none did.
 */
export type OwnerResolution =
  | { status: 'linked'; ref: string; kind: OwnerKind; value: string; path: string; tried: PathAttempt[] }
  | { status: 'unresolved'; tried: PathAttempt[] };

/** A Component as read for stitching: its catalog facts and the values the label_map gave. */
export interface StitchedComponent {
  ref: string;
  name: string;
  namespace: string;
  title?: string;
  type?: string;
  lifecycle?: string;
  system?: string;
  kubernetesId?: FieldValue;
  kubernetesNamespace?: FieldValue;
  /** Paths passed over for the Service name or namespace; set only when one had an unusable value, or no name resolved. */
  kubernetesIdTried?: PathAttempt[];
  kubernetesNamespaceTried?: PathAttempt[];
  owner: OwnerResolution;
}

/** `name-namespace`: the namespace came from the component; `name-only`: it did not, the name was unique. */
export type MatchBy = 'name-namespace' | 'name-only';

/** How a link was made: which label_map paths gave the values, and which lookup found the Service. */
export interface MatchInfo {
  by: MatchBy;
  kubernetesId: FieldValue;
  kubernetesNamespace?: FieldValue;
  owner?: FieldValue;
}

/** One Service stitched to one component. */
export interface StitchedLink extends ServiceKey {
  serviceUid?: string;
  componentRef: string;
  /** The owner's entity ref (a group or user of the catalog), or null when no owner resolved. */
  ownerRef: string | null;
  match: MatchInfo;
  labels: Record<string, string>;
}

/** A catalog group or user; only these can own a Service. */
export interface ServiceOwner {
  ref: string;
  kind: OwnerKind;
  namespace: string;
  name: string;
  /** `spec.profile.displayName`, else the entity name. */
  displayName: string;
  email?: string;
  labels: Record<string, string>;
}

export type MissReason = 'no-such-service' | 'ambiguous' | 'conflict';

/** Why a component has no link in one cluster. */
export interface ComponentMiss {
  componentRef: string;
  cluster: string;
  reason: MissReason;
  kubernetesId: string;
  kubernetesNamespace?: string;
  /** `ambiguous`: the namespaces holding a Service of that name, sorted. */
  candidates?: string[];
  /** `conflict`: the Service that was claimed, and the component it went to. */
  service?: ServiceKey;
  claimedBy?: string;
  /** `conflict`: which step of the conflict rule decided (see docs/stitching.md). */
  rule?: ConflictRule;
}

export type UnmatchedReason = 'no-id-value' | MissReason;

/** A component with no link in any cluster. */
export interface UnmatchedComponent {
  componentRef: string;
  reason: UnmatchedReason;
  kubernetesId?: string;
  kubernetesNamespace?: string;
  /** Per cluster, why the lookup failed (empty for `no-id-value`). */
  clusters: ComponentMiss[];
  /** `no-id-value`: each `component_kubernetes_id` path and why it gave no usable name. */
  tried?: PathAttempt[];
}

export type OwnerProblemReason = 'owner-unresolved';

/** A component no `component_owner` path resolved for: its Services have no owner link. */
export interface OwnerProblem {
  componentRef: string;
  reason: OwnerProblemReason;
  /** Every `component_owner` path, in order, and why it did not resolve. */
  tried: PathAttempt[];
}

export type ConflictRule = 'namespace-given' | 'earlier-id-path' | 'component-ref-order';

/** Several components claiming one Service; the winner is linked, the others are not. */
export interface Conflict extends ServiceKey {
  winner: string;
  losers: { componentRef: string; rule: ConflictRule }[];
}

/** A component naming an owner the catalog does not hold; no owner link is made from that value. */
export interface DanglingOwner {
  componentRef: string;
  ownerRef: string;
  kind: OwnerKind;
  value: string;
  path: string;
}

export interface StitchReport {
  unmatchedComponents: UnmatchedComponent[];
  /** Every ambiguous lookup, including those of components that stitched in another cluster. */
  ambiguous: ComponentMiss[];
  conflicts: Conflict[];
  ownerProblems: OwnerProblem[];
  unclaimedServices: (ServiceKey & { serviceUid?: string })[];
  /** Sorted by owner ref, then component. */
  danglingOwners: DanglingOwner[];
}

export interface StitchCounts {
  components: number;
  stitchedComponents: number;
  links: number;
  services: number;
  unclaimedServices: number;
  unmatchedComponents: number;
  owners: number;
  danglingOwners: number;
  ownerProblems: number;
  ambiguous: number;
  conflicts: number;
}

export interface StitchResult {
  instance: string;
  /** Every Component read, whether it stitched or not. Sorted by ref. */
  components: StitchedComponent[];
  /** Sorted by cluster, namespace, service. */
  links: StitchedLink[];
  /** Catalog groups and users. Sorted by ref. */
  owners: ServiceOwner[];
  report: StitchReport;
  counts: StitchCounts;
}
