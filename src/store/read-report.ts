import { compareServiceKeys, compareStrings } from '../topology/order.ts';
import { compareDangling, danglingOwnersOf, ownerProblemOf, unmatchedOf } from '../topology/report.ts';
import type { ComponentMiss, ServiceKey, StitchedComponent } from '../topology/types.ts';
import { decode, Tables } from './rows.ts';
import type { SqlDriver } from './sql-driver.ts';
import type { StoredReport } from './types.ts';

type Tagged<T> = T & { instance: string };

function byInstanceThen<T>(compare: (a: T, b: T) => number) {
  return (a: Tagged<T>, b: Tagged<T>) => compare(a, b) || compareStrings(a.instance, b.instance);
}

/**
 * Assembles the report from the stored rows rather than storing a report per run, so a partial run
 * (some clusters kept from earlier) still reports the state that is actually stored: a component is
 * unmatched only when it has no link in any cluster.
 */
export async function readReport(driver: SqlDriver, instance: string | undefined): Promise<StoredReport> {
  const where = (alias: string) => (instance === undefined ? '' : ` AND ${alias}.instance = ?`);
  const params = instance === undefined ? [] : [instance];

  const components = (
    await driver.query(
      `SELECT c.instance, c.data FROM ${Tables.components.name} c WHERE 1 = 1${where('c')}`,
      params,
    )
  ).map((r) => ({
    ...decode<StitchedComponent>(Tables.components.name, r.data),
    instance: String(r.instance),
  }));
  const misses = (
    await driver.query(
      `SELECT m.instance, m.data FROM ${Tables.misses.name} m WHERE 1 = 1${where('m')}`,
      params,
    )
  ).map((r) => ({ ...decode<ComponentMiss>(Tables.misses.name, r.data), instance: String(r.instance) }));
  const linkedRows = await driver.query<{ instance: string; component_ref: string }>(
    `SELECT DISTINCT l.instance, l.component_ref FROM ${Tables.links.name} l WHERE 1 = 1${where('l')}`,
    params,
  );
  const linked = new Set(linkedRows.map((r) => `${r.instance}\u0000${r.component_ref}`));
  const unclaimed = (
    await driver.query(
      `SELECT u.instance, u.data FROM ${Tables.unclaimed.name} u WHERE NOT EXISTS (SELECT 1 FROM ${Tables.links.name} l
       WHERE l.cluster = u.cluster AND l.namespace = u.namespace AND l.service = u.service)${where('u')}`,
      params,
    )
  ).map((r) => ({
    ...decode<ServiceKey & { serviceUid?: string }>(Tables.unclaimed.name, r.data),
    instance: String(r.instance),
  }));
  const missesOf = new Map<string, Tagged<ComponentMiss>[]>();
  for (const miss of misses) {
    const key = `${miss.instance}\u0000${miss.componentRef}`;
    const list = missesOf.get(key);
    if (list) list.push(miss);
    else missesOf.set(key, [miss]);
  }
  components.sort(byInstanceThen((a, b) => compareStrings(a.ref, b.ref)));

  const report: StoredReport = {
    unmatchedComponents: [],
    ambiguous: [],
    conflicts: [],
    ownerProblems: [],
    unclaimedServices: unclaimed.sort(byInstanceThen(compareServiceKeys)),
    danglingOwners: [],
  };
  for (const component of components) {
    const { instance: at } = component;
    const problem = ownerProblemOf(component);
    if (problem) report.ownerProblems.push({ ...problem, instance: at });
    for (const dangling of danglingOwnersOf(component)) {
      report.danglingOwners.push({ ...dangling, instance: at });
    }
    if (linked.has(`${at}\u0000${component.ref}`)) continue;
    const own = (missesOf.get(`${at}\u0000${component.ref}`) ?? []).map(({ instance: _, ...m }) => m);
    own.sort((a, b) => compareStrings(a.cluster, b.cluster));
    report.unmatchedComponents.push({ instance: at, ...unmatchedOf(component, own) });
  }

  const byComponent = (a: Tagged<ComponentMiss>, b: Tagged<ComponentMiss>) =>
    compareStrings(a.componentRef, b.componentRef) || compareStrings(a.cluster, b.cluster);
  report.ambiguous = misses.filter((m) => m.reason === 'ambiguous').sort(byInstanceThen(byComponent));
  const conflicts = new Map<string, StoredReport['conflicts'][number]>();
  for (const miss of misses) {
    if (miss.reason !== 'conflict' || !miss.service || !miss.claimedBy || !miss.rule) continue;
    const key = `${miss.instance}\u0000${miss.service.cluster}\u0000${miss.service.namespace}\u0000${miss.service.service}`;
    const conflict = conflicts.get(key) ?? {
      instance: miss.instance,
      ...miss.service,
      winner: miss.claimedBy,
      losers: [],
    };
    conflict.losers.push({ componentRef: miss.componentRef, rule: miss.rule });
    conflicts.set(key, conflict);
  }
  for (const conflict of conflicts.values()) {
    conflict.losers.sort((a, b) => compareStrings(a.componentRef, b.componentRef));
  }
  report.conflicts = [...conflicts.values()].sort(byInstanceThen(compareServiceKeys));
  report.danglingOwners.sort(byInstanceThen(compareDangling));
  return report;
}
