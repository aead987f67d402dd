import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ErrorCounts,
  RollupComponent,
  RollupHealth,
  RollupTotals,
  SystemRollup,
  TeamRollup,
} from '../contract/stitchboard.ts';
import type { ComponentSummary } from '../contract/stitchboard.ts';
import type { ComponentHealth } from '../contract/stitchboard.ts';

/**
 * Team and system rollups: pure sums over every component's health (from the object source) and
 * its stitched Services (from the store). No I/O here; see rollup-source.ts for where inputs come from.
 */

/** A catalog component with its health. */
export interface ComponentFacts {
  summary: ComponentSummary;
  health: ComponentHealth;
}

/** A stitched Service, as far as a rollup needs it (any instance's). */
export interface StitchedService {
  componentRef: string;
  cluster: string;
  namespace: string;
  service: string;
}

/** What the stitched store knows of an owner. */
export interface OwnerFacts {
  ref: string;
  displayName: string;
  email?: string;
}

const HEALTH_ORDER: readonly RollupHealth[] = ['none', 'ok', 'warning', 'error'];

/** The worse of two healths: error > warning > ok > none. */
export function worse(a: RollupHealth, b: RollupHealth): RollupHealth {
  return HEALTH_ORDER.indexOf(b) > HEALTH_ORDER.indexOf(a) ? b : a;
}

/** `spec.system` as Backstage reads it: kind `system`, the component's namespace by default; lower case. */
export function systemRefOf(summary: ComponentSummary): string | undefined {
  if (!summary.system) return undefined;
  try {
    const ref = parseEntityRef(summary.system, {
      defaultKind: 'system',
      defaultNamespace: summary.namespace,
    });
    if (ref.kind.toLowerCase() !== 'system') return undefined;
    return stringifyEntityRef(ref).toLowerCase();
  } catch {
    return undefined;
  }
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function addErrors(into: ErrorCounts, from: ErrorCounts): void {
  into.total += from.total;
  for (const [kind, n] of Object.entries(from.byKind)) into.byKind[kind] = (into.byKind[kind] ?? 0) + n;
}

/** Each component's row: its health joined with its stitched Services (counted once across instances). */
export function rollupComponents(
  components: readonly ComponentFacts[],
  services: readonly StitchedService[],
): RollupComponent[] {
  const byComponent = new Map<string, Map<string, string>>();
  for (const s of services) {
    const ref = s.componentRef.toLowerCase();
    const mine = byComponent.get(ref) ?? new Map<string, string>();
    mine.set(`${s.cluster}\n${s.namespace}\n${s.service}`, s.cluster);
    byComponent.set(ref, mine);
  }
  return components.map(({ summary, health }) => {
    const stitched = byComponent.get(summary.ref.toLowerCase()) ?? new Map<string, string>();
    const system = systemRefOf(summary);
    const row: RollupComponent = {
      ref: summary.ref,
      name: summary.name,
      health: health.health,
      clusters: sorted([...health.clusters, ...stitched.values()]),
      unreadableClusters: sorted(health.clusterErrors),
      services: stitched.size,
      pods: { ...health.pods },
      errors: { total: health.errors.total, byKind: { ...health.errors.byKind } },
    };
    if (summary.title) row.title = summary.title;
    if (summary.ownerRef) row.owner = summary.ownerRef;
    if (system) row.system = system;
    return row;
  });
}

/** What a set of component rows adds up to; the health of none is `none`. */
export function totals(rows: readonly RollupComponent[]): RollupTotals {
  const result: RollupTotals = {
    components: rows.length,
    componentsWithoutServices: rows.filter((r) => r.services === 0).length,
    services: 0,
    clusters: [],
    unreadableClusters: [],
    pods: { ready: 0, total: 0 },
    errors: { total: 0, byKind: {} },
    health: 'none',
    componentsByHealth: { ok: 0, warning: 0, error: 0, none: 0 },
  };
  for (const r of rows) {
    result.services += r.services;
    result.pods.ready += r.pods.ready;
    result.pods.total += r.pods.total;
    addErrors(result.errors, r.errors);
    result.health = worse(result.health, r.health);
    result.componentsByHealth[r.health] += 1;
  }
  result.clusters = sorted(rows.flatMap((r) => r.clusters));
  result.unreadableClusters = sorted(rows.flatMap((r) => r.unreadableClusters));
  return result;
}

function groupBy(rows: readonly RollupComponent[], key: (row: RollupComponent) => string | undefined) {
  const groups = new Map<string, RollupComponent[]>();
  const rest: RollupComponent[] = [];
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) rest.push(row);
    else groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return { groups: [...groups].sort(([a], [b]) => a.localeCompare(b)), rest };
}

const nameOf = (ref: string) => ref.slice(ref.indexOf('/') + 1);

/** One entry per owner that owns at least one component; components without an owner go to `unowned`. */
export function rollupTeams(
  rows: readonly RollupComponent[],
  owners: readonly OwnerFacts[],
): { items: TeamRollup[]; unowned: RollupTotals | null } {
  const known = new Map(owners.map((o) => [o.ref.toLowerCase(), o]));
  const { groups, rest } = groupBy(rows, (r) => r.owner);
  const items = groups.map(([ref, mine]): TeamRollup => {
    const owner = known.get(ref);
    const team: TeamRollup = {
      ref,
      kind: ref.startsWith('user:') ? 'user' : 'group',
      displayName: owner?.displayName ?? nameOf(ref),
      systems: sorted(mine.flatMap((r) => (r.system ? [r.system] : []))),
      ...totals(mine),
    };
    if (owner?.email) team.email = owner.email;
    return team;
  });
  return { items, unowned: rest.length > 0 ? totals(rest) : null };
}

/** One entry per system with at least one component; components without a system go to `noSystem`. */
export function rollupSystems(rows: readonly RollupComponent[]): {
  items: SystemRollup[];
  noSystem: RollupTotals | null;
} {
  const { groups, rest } = groupBy(rows, (r) => r.system);
  const items = groups.map(([ref, mine]): SystemRollup => {
    const parsed = parseEntityRef(ref);
    return {
      ref,
      namespace: parsed.namespace,
      name: parsed.name,
      owners: sorted(mine.flatMap((r) => (r.owner ? [r.owner] : []))),
      ...totals(mine),
    };
  });
  return { items, noSystem: rest.length > 0 ? totals(rest) : null };
}
