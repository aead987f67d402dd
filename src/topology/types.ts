import type { Entity } from '@backstage/catalog-model';
import type { ServiceOwner, StitchedComponent, StitchedLink, StitchReport } from '../contract/stitching.ts';

/**
 * The plain data stitching works on and produces. Everything here is JSON-safe, so the store, the
 * HTTP layer and the CLI can pass it along unchanged. See docs/stitching.md for the rules.
 */

/** The results' shapes are the wire contract; they live in src/contract/stitching.ts. */
export type {
  ComponentMiss,
  Conflict,
  ConflictRule,
  DanglingOwner,
  FieldValue,
  MatchBy,
  MatchInfo,
  MissReason,
  OwnerKind,
  OwnerProblem,
  OwnerProblemReason,
  OwnerResolution,
  PathAttempt,
  PathFailure,
  ServiceKey,
  ServiceOwner,
  StitchReport,
  StitchedComponent,
  StitchedLink,
  UnmatchedComponent,
  UnmatchedReason,
} from '../contract/stitching.ts';

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
