import type { Entity } from '@backstage/catalog-model';

/**
 * The plain data stitching works on and produces. Everything here is JSON-safe, so the store, the
 * HTTP layer and the CLI can pass it along unchanged. See docs/stitching.md for the rules.
 */

/** Where to read each stitching value on a component: lists of field paths, first non-empty wins. */
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

/** What became of a component's owner value. */
export type OwnerResolution =
  | { status: 'linked'; ref: string; kind: OwnerKind; value: string; path: string }
  | { status: 'not-in-catalog'; ref: string; kind: OwnerKind; value: string; path: string }
  | { status: 'unresolved' }
  | { status: 'invalid'; value: string; path: string; message: string };

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
  /** The owner's entity ref, or null when the component names none (or an invalid one). */
  ownerRef: string | null;
  /** True only when the owner is a group or user the catalog has; false without an owner, too. */
  ownerInCatalog: boolean;
  match: MatchInfo;
  labels: Record<string, string>;
}

/** A group or user that owns Services; `inCatalog: false` for refs components name but the catalog lacks. */
export interface ServiceOwner {
  ref: string;
  kind: OwnerKind;
  namespace: string;
  name: string;
  /** `spec.profile.displayName`, else the entity name. */
  displayName: string;
  email?: string;
  inCatalog: boolean;
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
}

export type OwnerProblemReason = 'owner-unresolved' | 'owner-invalid' | 'owner-not-in-catalog';

export interface OwnerProblem {
  componentRef: string;
  reason: OwnerProblemReason;
  value?: string;
  path?: string;
  ownerRef?: string;
  message?: string;
}

export type ConflictRule = 'namespace-given' | 'earlier-id-path' | 'component-ref-order';

/** Several components claiming one Service; the winner is linked, the others are not. */
export interface Conflict extends ServiceKey {
  winner: string;
  losers: { componentRef: string; rule: ConflictRule }[];
}

export interface MissingOwner {
  ref: string;
  kind: OwnerKind;
  componentRefs: string[];
}

export interface StitchReport {
  unmatchedComponents: UnmatchedComponent[];
  /** Every ambiguous lookup, including those of components that stitched in another cluster. */
  ambiguous: ComponentMiss[];
  conflicts: Conflict[];
  ownerProblems: OwnerProblem[];
  unclaimedServices: (ServiceKey & { serviceUid?: string })[];
  missingOwners: MissingOwner[];
}

export interface StitchCounts {
  components: number;
  stitchedComponents: number;
  links: number;
  services: number;
  unclaimedServices: number;
  unmatchedComponents: number;
  owners: number;
  missingOwners: number;
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
  /** Catalog groups and users, then owners components name that the catalog lacks. Sorted by ref. */
  owners: ServiceOwner[];
  report: StitchReport;
  counts: StitchCounts;
}
