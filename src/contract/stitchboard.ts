/**
 * Wire types of Stitchboard's own API under `/api/stitchboard` that the web UI reads:
 * components, events, who-owns, instances, rollups here; services, owners, report and runs in
 * ./stitching.ts (re-exported). The web UI
 * imports these, never the server's internals, so a server refactor cannot silently change what
 * the UI gets. Shapes are documented in docs/http-api.md.
 */

import type { ClusterObjects, FetchResponseType, KubeObject, KubernetesFetchError } from './kubernetes.ts';
import type { InstanceProblem } from './instance-problems.ts';
import type { RunRecord, RunStatus, ServiceDetail, StoredReport } from './stitching.ts';

export type * from './stitching.ts';

/** `GET /api/stitchboard/report`: the stored report, and the instances that cannot run. */
export type ReportResponse = StoredReport & { instanceProblems: InstanceProblem[] };

/** A server type as it arrives over the wire: dates become ISO strings in JSON. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** The answer of the list routes (`/services`, `/owners`, `/runs`, `/instances`, `/events`). */
export interface Items<T> {
  items: T[];
}

// Backstage's detected errors (plugin-kubernetes-common's DetectedError), as the component route returns them.

export type ProposedFix =
  | { type: 'logs'; errorType: string; rootCauseExplanation: string; actions: string[]; container: string }
  | { type: 'docs'; errorType: string; rootCauseExplanation: string; actions: string[]; docsLink: string }
  | { type: 'events'; errorType: string; rootCauseExplanation: string; actions: string[]; podName: string };

export interface DetectedError {
  type: string;
  /** 0 (trivial) to 10 (critical). */
  severity: number;
  message: string;
  proposedFix?: ProposedFix;
  sourceRef: { name: string; namespace: string; kind: string; apiGroup: string };
  occurrenceCount: number;
}

/** A component's health in one or more clusters; see healthOfClusters. */
export type Health = 'ok' | 'warning' | 'error';

/**
 * Stitchboard's own summary (Backstage has none): `error` when a detected error has severity 6 or more
 * (a failed Deployment condition, an HPA at its ceiling); `warning` for lesser detected errors (restarts,
 * waiting containers) and for a cluster that could not be read, wholly or in part, since what it holds
 * is unknown rather than wrong; `ok` otherwise. Stops at the first `error`, so a lazy iterable is
 * read no further than needed. The server and the web UI both use it.
 */
export function healthOfClusters(
  clusters: Iterable<{
    detectedErrors: readonly Pick<DetectedError, 'severity'>[];
    errors: readonly unknown[];
  }>,
): Health {
  let health: Health = 'ok';
  for (const cluster of clusters) {
    if (cluster.detectedErrors.some((e) => e.severity >= 6)) return 'error';
    if (cluster.detectedErrors.length > 0 || cluster.errors.length > 0) health = 'warning';
  }
  return health;
}

export interface ObjectDashboardLink {
  type: FetchResponseType;
  kind: string;
  namespace?: string;
  name: string;
  /** The UI joins objects by uid. */
  uid?: string;
  url: string;
}

export interface ClusterDashboardLinks {
  /** The cluster's own dashboard page, when it has one. */
  url?: string;
  objects: ObjectDashboardLink[];
  /** Why links are missing (a bad dashboardParameters value, an unknown app), each said once. */
  errors: string[];
}

/** One cluster's slot of the response, with its dashboard links. */
export type ClusterObjectsWithLinks = ClusterObjects & { dashboard: ClusterDashboardLinks };

export interface ObjectsWithDashboardLinks {
  items: ClusterObjectsWithLinks[];
}

// Components (`GET /api/stitchboard/components`, `/components/:ref`, `/events`).

/** A catalog component as the Components page lists it. */
export interface ComponentSummary {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  type?: string;
  owner?: string;
  /** `spec.owner` as a full ref (a bare name is a group in the component's namespace), lower-cased. */
  ownerRef?: string;
  system?: string;
  lifecycle?: string;
}

/** Where a component runs and how it is doing there. */
export interface ComponentStatus {
  /** Clusters with at least one object of the component's. */
  clusters: string[];
  /** Clusters that answered with an error (unreachable, a refused object type). */
  clusterErrors: string[];
  /** `none`: no objects in any cluster and no errors. */
  health: Health | 'none';
  /** How many errors Backstage's rules found, across clusters. */
  detectedErrors: number;
}

/** One cluster's part of the Component page: Backstage's ClusterObjects, its dashboard links, and what its UI computes. */
export type ComponentCluster = ClusterObjectsWithLinks & { detectedErrors: DetectedError[] };

/** A component's status plus its pod and error counts: a row of the Components page, summed by the rollups. */
export interface ComponentHealth extends ComponentStatus {
  pods: PodCounts;
  errors: ErrorCounts;
}

export type ComponentRow = ComponentSummary & ComponentHealth;

/** `GET /api/stitchboard/components`: a page of components with their status. */
export interface ComponentList {
  items: ComponentRow[];
  total: number;
  offset: number;
  limit: number;
}

/** `GET /api/stitchboard/components/:ref`. */
export interface ComponentDetail {
  ref: string;
  entity: ComponentSummary;
  clusters: ComponentCluster[];
}

/** One Kubernetes Event as `GET /api/stitchboard/events` lists it. */
export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  firstTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
}

// Who owns (`GET /api/stitchboard/who-owns`).

/** One link in the chain from what was asked about to its owner. */
export interface ChainStep {
  kind:
    | 'Pod'
    | 'ReplicaSet'
    | 'Deployment'
    | 'StatefulSet'
    | 'DaemonSet'
    | 'Job'
    | 'Service'
    | 'Component'
    | 'Owner'
    | string;
  name: string;
  cluster?: string;
  namespace?: string;
  /** How this step follows from the previous one. */
  via: string;
}

export interface OwnerAnswer {
  /** The Service the answer goes through. */
  service: { cluster: string; namespace: string; name: string };
  /** Every Backstage instance's stitched view of that Service; empty when no component claims it. */
  stitched: ServiceDetail[];
  chain: ChainStep[];
}

export interface WhoOwnsResult {
  query: string;
  /** `service`: the query named a Service; `pod`: a pod name, found in `pods`. */
  as: 'service' | 'pod';
  pods: { cluster: string; namespace: string; name: string }[];
  answers: OwnerAnswer[];
  /** Clusters that could not be searched, so an empty answer may be incomplete. */
  clusterErrors: { cluster: string; error: KubernetesFetchError }[];
}

// Backstage instances (`GET /api/stitchboard/instances`).

/**
 * Where an instance was defined: in the config file, by a Secret (named in config, or discovered), or
 * as Stitchboard's own configured catalog (`scrapers.catalog`).
 */
export type InstanceSource =
  | { type: 'config' }
  | { type: 'catalog' }
  | {
      type: 'secret';
      /** A cluster name from the `kubernetes:` config, or `in-cluster`. */
      cluster: string;
      namespace: string;
      name: string;
      /** True when `instances[]` names this Secret; false when it was found by its label. */
      configured: boolean;
    };

/** `invalid`: the instance cannot run (bad Secret, unreadable Secret); `pending`: it has not run yet. */
export type InstanceStatus = RunStatus | 'invalid' | 'pending';

/** One Backstage instance as `GET /api/stitchboard/instances` shows it. Never holds the token. */
export interface InstanceView {
  name: string;
  source: InstanceSource;
  /** Without any credentials; null when the Secret gives no usable one, and for the configured catalog. */
  endpoint: string | null;
  hasToken: boolean;
  insecureSkipVerify: boolean;
  status: InstanceStatus;
  lastRun: RunRecord | null;
  /** What keeps the instance from running, else the last run's errors; null when all is well. */
  lastError: string | null;
  /** `invalid` because its Secret lacks a required key: that key (e.g. `endpoint`), never a value. */
  missingKey?: string;
}

// Rollups (`GET /api/stitchboard/teams`, `/systems`, `/teams/*`, `/systems/*`).

/** A component's health, and the worst of several: `none` when nothing of it runs anywhere. */
export type RollupHealth = 'ok' | 'warning' | 'error' | 'none';

export interface PodCounts {
  /** Pods whose `Ready` condition is `True`. */
  ready: number;
  total: number;
}

/** Backstage's detected errors, counted per error kind (`container-waiting`, `condition-message-present`, ...). */
export interface ErrorCounts {
  total: number;
  byKind: Record<string, number>;
}

/** What a set of components adds up to (a team's, a system's, the unowned ones). */
export interface RollupTotals {
  components: number;
  /** Components with no stitched Service in any cluster (none of their Services was found). */
  componentsWithoutServices: number;
  /** Stitched Services, each counted once however many Backstage instances stitched it. */
  services: number;
  /** Clusters holding any object of these components, or a Service stitched to one; sorted. */
  clusters: string[];
  /** Clusters that could not be read (wholly or in part) for some of these components; sorted. */
  unreadableClusters: string[];
  pods: PodCounts;
  errors: ErrorCounts;
  /** The worst component's health. */
  health: RollupHealth;
  /** How many components have each health. */
  componentsByHealth: Record<RollupHealth, number>;
}

/** An owner (the group or user a component's `spec.owner` names) and its components' health. */
export interface TeamRollup extends RollupTotals {
  /** `group:default/team-a`, lower case. */
  ref: string;
  kind: 'group' | 'user';
  /** From the stitched owner (`spec.profile.displayName`), else the ref's name. */
  displayName: string;
  email?: string;
  /** The systems its components belong to, as refs; sorted. */
  systems: string[];
}

/** A system (the system a component's `spec.system` names) and its components' health. */
export interface SystemRollup extends RollupTotals {
  /** `system:default/shop`, lower case. */
  ref: string;
  namespace: string;
  name: string;
  /** The owners of its components, as refs; sorted. */
  owners: string[];
}

/** One component's part of a rollup. */
export interface RollupComponent {
  ref: string;
  name: string;
  title?: string;
  /** Owner ref, when `spec.owner` names a group or user. */
  owner?: string;
  /** System ref, when `spec.system` names one. */
  system?: string;
  health: RollupHealth;
  clusters: string[];
  unreadableClusters: string[];
  services: number;
  pods: PodCounts;
  errors: ErrorCounts;
}

export interface TeamsResponse {
  items: TeamRollup[];
  /** Components whose `spec.owner` names no group or user; null when there are none. */
  unowned: RollupTotals | null;
  /** Every component in the catalog (all of them are in the rollup). */
  components: number;
  /** When the answer was put together (ISO time); component health may be up to the cache's TTL older. */
  generatedAt: string;
}

export interface SystemsResponse {
  items: SystemRollup[];
  /** Components without `spec.system`; null when there are none. */
  noSystem: RollupTotals | null;
  components: number;
  generatedAt: string;
}

export interface TeamDetail {
  team: TeamRollup;
  components: RollupComponent[];
  generatedAt: string;
}

export interface SystemDetail {
  system: SystemRollup;
  components: RollupComponent[];
  generatedAt: string;
}
