import type { StitchResult } from '../topology/types.ts';
import { componentRow, linkRow, missesOf, missRow, ownerRow, Tables, unclaimedRow } from './rows.ts';
import type { SqlDriver, SqlExecutor, SqlValue, TableSpec } from './sql-driver.ts';
import type { ReplaceScope } from './types.ts';

/**
 * Writes one run's results inside the caller's transaction. The rule: a cluster in
 * `scope.complete` has all its rows for this instance replaced; any other cluster keeps its rows.
 * When the components were read completely, components gone from the catalog also lose their
 * links and misses in every cluster; otherwise only the components the run read are touched.
 */
export async function replaceResults(
  driver: SqlDriver,
  tx: SqlExecutor,
  instance: string,
  result: StitchResult,
  scope: ReplaceScope,
  stitchedAt: number,
): Promise<void> {
  const componentsComplete = scope.catalog?.components ?? true;
  const ownersComplete = scope.catalog?.owners ?? true;
  const complete = new Set(scope.complete.map((c) => c.cluster));
  const clusters = driver.listParam([...complete]);
  const refs = driver.listParam(result.components.map((c) => c.ref));
  const inClusters = driver.inList('cluster');
  const inRefs = driver.inList('component_ref');

  for (const table of [Tables.links, Tables.misses]) {
    if (componentsComplete) {
      await tx.execute(`DELETE FROM ${table.name} WHERE instance = ? AND (${inClusters} OR NOT ${inRefs})`, [
        instance,
        clusters,
        refs,
      ]);
    } else {
      await tx.execute(`DELETE FROM ${table.name} WHERE instance = ? AND ${inClusters} AND ${inRefs}`, [
        instance,
        clusters,
        refs,
      ]);
    }
  }
  await tx.execute(`DELETE FROM ${Tables.unclaimed.name} WHERE instance = ? AND ${inClusters}`, [
    instance,
    clusters,
  ]);
  if (componentsComplete) {
    await tx.execute(`DELETE FROM ${Tables.components.name} WHERE instance = ?`, [instance]);
  } else {
    await tx.execute(`DELETE FROM ${Tables.components.name} WHERE instance = ? AND ${driver.inList('ref')}`, [
      instance,
      refs,
    ]);
  }
  if (ownersComplete) await tx.execute(`DELETE FROM ${Tables.owners.name} WHERE instance = ?`, [instance]);

  // Upserts: with a partial catalog, a row the run did not delete may share a key with a new one.
  const insert = (table: TableSpec, rows: SqlValue[][]) => tx.insertMany(table, rows);
  await insert(
    Tables.components,
    result.components.map((c) => componentRow(instance, c)),
  );
  await insert(
    Tables.links,
    result.links.filter((l) => complete.has(l.cluster)).map((l) => linkRow(instance, l, stitchedAt)),
  );
  await insert(
    Tables.misses,
    missesOf(result)
      .filter((m) => complete.has(m.cluster))
      .map((m) => missRow(instance, m)),
  );
  await insert(
    Tables.unclaimed,
    result.report.unclaimedServices
      .filter((s) => complete.has(s.cluster))
      .map((s) => unclaimedRow(instance, s)),
  );
  await insert(
    Tables.owners,
    result.owners.map((o) => ownerRow(instance, o)),
  );
}
