/**
 * The stitching results as Stitchboard stores them and serves them under `/api/stitchboard`
 * (services, owners, report, runs): plain, JSON-safe data. Stitching (src/topology) produces them,
 * the store keeps them, the HTTP layer and the CLI pass them on unchanged, and the web UI reads them
 * (as `Wire<T>`: dates arrive as ISO strings). The rules are in docs/stitching.md.
 */

/** Identifies a Service across all clusters. */
export interface ServiceKey {
  cluster: string;
  namespace: string;
  service: string;
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

export type RunStatus = 'ok' | 'partial' | 'failed';

/** One thing that went wrong in a run: which part (`catalog`, `cluster`), and a message safe to show. */
export interface RunError {
  part: 'catalog' | 'cluster' | 'store' | 'other';
  /** Set when `part` is `cluster`. */
  cluster?: string;
  message: string;
}

export interface RunInput {
  instance: string;
  startedAt: Date;
  durationMs: number;
  counts: Record<string, number>;
  errors: RunError[];
  status: RunStatus;
}

export interface RunRecord extends RunInput {
  id: number;
}

/** A stitched link as stored, tagged with the Backstage instance that made it. */
export interface StoredLink extends StitchedLink {
  instance: string;
  /** When the run that wrote this link was stored; older than the latest run while its cluster is unreachable. */
  stitchedAt: Date;
}

export interface StoredComponent extends StitchedComponent {
  instance: string;
}

export interface StoredOwner extends ServiceOwner {
  instance: string;
  /** How many stitched Services this owner has in that instance. */
  serviceCount: number;
}

/** One Service with everything known about it, per instance that stitched it (usually one). */
export interface ServiceDetail {
  link: StoredLink;
  component: StoredComponent | undefined;
  owner: StoredOwner | undefined;
}

export interface OwnerDetail {
  owner: StoredOwner;
  services: StoredLink[];
}

type Tagged<T> = T & { instance: string };

/** The report across the stored results; every entry names its instance. */
export type StoredReport = { [K in keyof StitchReport]: Tagged<StitchReport[K][number]>[] };
