/**
 * Wire types of Stitchboard's own API under `/api/stitchboard` that the web UI reads. The web UI
 * imports these, never the server's internals, so a server refactor cannot silently change what
 * the UI gets. Shapes are documented in docs/http-api.md.
 */

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
