import { inputError, isStitchboardError, messageOf, StitchboardError } from '../errors/errors.ts';
import type {
  OwnerKind,
  ServiceKey,
  ServiceOwner,
  StitchedComponent,
  StitchedLink,
  StitchResult,
} from '../topology/types.ts';
import type { Logger } from '../shared/logger.ts';
import { checkFence, validFence } from './fence.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { readReport } from './read-report.ts';
import { joinReplica, leaveReplica, liveReplicas, renewReplica } from './replica-leases.ts';
import { replaceResults } from './replace-results.ts';
import { decode, Tables } from './rows.ts';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql-driver.ts';
import type {
  Fence,
  LeaseState,
  OwnerDetail,
  ReplicaMember,
  ReplaceScope,
  RunInput,
  RunRecord,
  ServiceDetail,
  ServiceFilter,
  StoredComponent,
  StoredLink,
  StoredOwner,
  StoredReport,
  TopologyStore,
} from './types.ts';

const RUN_STATUSES = new Set(['ok', 'partial', 'failed']);

function bounded(value: number | undefined, fallback: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw inputError(`${name} must be an integer from 0 to ${max}`);
  }
  return value;
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw inputError(`${name} must be a non-empty string`);
  return value;
}

/** Migrates the driver's database, then serves the store over it; a failed migration closes the driver. */
export async function openSqlStore(driver: SqlDriver, deps: { logger: Logger }): Promise<SqlTopologyStore> {
  try {
    await migrate(driver, loadMigrations(driver.dialect), deps.logger);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return new SqlTopologyStore(driver);
}

/**
 * The one TopologyStore implementation, over either SQL driver. All SQL binds its values as
 * parameters; table and column names come from this module only.
 */
export class SqlTopologyStore implements TopologyStore {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  get dialect() {
    return this.#driver.dialect;
  }

  /** Runs a store operation; any failure that is not already ours becomes STORE_FAILED naming it. */
  async #op<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isStitchboardError(error)) throw error;
      throw new StitchboardError('STORE_FAILED', `store ${operation} failed: ${messageOf(error)}`, {
        details: { operation, dialect: this.#driver.dialect },
        cause: error,
      });
    }
  }

  replaceInstanceResults(
    instance: string,
    result: StitchResult,
    scope: ReplaceScope,
    fence?: Fence,
  ): Promise<void> {
    const operation = 'replaceInstanceResults';
    return this.#op(operation, async () => {
      requireText(instance, 'instance');
      if (result.instance !== instance) {
        throw inputError(`the result is for instance "${result.instance}", not "${instance}"`);
      }
      const stitchedAt = Date.now();
      await this.#fenced(operation, fence, (tx) =>
        replaceResults(this.#driver, tx, instance, result, scope, stitchedAt),
      );
    });
  }

  recordRun(run: RunInput, fence?: Fence): Promise<RunRecord> {
    const operation = 'recordRun';
    return this.#op(operation, async () => {
      requireText(run.instance, 'instance');
      if (!RUN_STATUSES.has(run.status)) {
        throw inputError(`status must be ok, partial or failed, not "${run.status}"`);
      }
      const rows = await this.#fenced(operation, fence, (tx) =>
        tx.query<{ id: number }>(
          'INSERT INTO sb_runs (instance, started_at, duration_ms, status, counts, errors) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
          [
            run.instance,
            run.startedAt.getTime(),
            Math.round(run.durationMs),
            run.status,
            JSON.stringify(run.counts),
            JSON.stringify(run.errors),
          ],
        ),
      );
      return { ...run, id: Number(rows[0]?.id) };
    });
  }

  /** One transaction for `write`; with a fence, checked last in that same transaction (see checkFence). */
  #fenced<T>(
    operation: string,
    fence: Fence | undefined,
    write: (tx: SqlExecutor) => Promise<T>,
  ): Promise<T> {
    const checked = fence && validFence(fence);
    return this.#driver.transaction(async (tx) => {
      const result = await write(tx);
      if (checked) await checkFence(this.#driver, tx, checked, operation);
      return result;
    });
  }

  listServices(filter: ServiceFilter = {}): Promise<StoredLink[]> {
    return this.#op('listServices', async () => {
      const conditions: string[] = [];
      const params: SqlValue[] = [];
      const equal = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        conditions.push(`${column} = ?`);
        params.push(value);
      };
      equal('instance', filter.instance);
      equal('cluster', filter.cluster);
      equal('namespace', filter.namespace);
      // Stored refs are canonical (lower case), so comparing with a lower-cased filter is case-insensitive.
      equal('owner_ref', filter.owner?.toLocaleLowerCase('en-US'));
      equal('component_ref', filter.component?.toLocaleLowerCase('en-US'));
      if (filter.unowned !== undefined) conditions.push(`owner_ref IS ${filter.unowned ? '' : 'NOT '}NULL`);
      params.push(
        bounded(filter.limit, 1000, 10_000, 'limit'),
        bounded(filter.offset, 0, Number.MAX_SAFE_INTEGER, 'offset'),
      );
      const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      const rows = await this.#driver.query(
        `SELECT instance, stitched_at, data FROM sb_links ${where} ORDER BY cluster, namespace, service, instance LIMIT ? OFFSET ?`,
        params,
      );
      return rows.map(toLink);
    });
  }

  getService(key: ServiceKey): Promise<ServiceDetail[]> {
    return this.#op('getService', async () => {
      const rows = await this.#driver.query(
        'SELECT instance, stitched_at, data FROM sb_links WHERE cluster = ? AND namespace = ? AND service = ? ORDER BY instance',
        [key.cluster, key.namespace, key.service],
      );
      const details: ServiceDetail[] = [];
      for (const link of rows.map(toLink)) {
        const [component] = await this.#driver.query(
          'SELECT instance, data FROM sb_components WHERE instance = ? AND ref = ?',
          [link.instance, link.componentRef],
        );
        const [owner] = link.ownerRef
          ? await this.#owners('o.instance = ? AND o.ref = ?', [link.instance, link.ownerRef])
          : [];
        details.push({ link, component: component ? toComponent(component) : undefined, owner });
      }
      return details;
    });
  }

  listOwners(filter: { instance?: string; kind?: OwnerKind } = {}): Promise<StoredOwner[]> {
    return this.#op('listOwners', async () => {
      const conditions = ['1 = 1'];
      const params: SqlValue[] = [];
      if (filter.instance !== undefined) {
        conditions.push('o.instance = ?');
        params.push(filter.instance);
      }
      if (filter.kind !== undefined) {
        conditions.push('o.kind = ?');
        params.push(filter.kind);
      }
      return this.#owners(conditions.join(' AND '), params);
    });
  }

  async #owners(where: string, params: SqlValue[]): Promise<StoredOwner[]> {
    const rows = await this.#driver.query(
      `SELECT o.instance, o.data,
         (SELECT count(*) FROM sb_links l WHERE l.instance = o.instance AND l.owner_ref = o.ref) AS service_count
       FROM sb_owners o WHERE o.in_catalog = 1 AND (${where}) ORDER BY o.ref, o.instance`,
      params,
    );
    return rows.map((r) => ({
      ...decode<ServiceOwner>(Tables.owners.name, r.data),
      instance: String(r.instance),
      serviceCount: Number(r.service_count),
    }));
  }

  getOwner(ref: string, filter: { instance?: string } = {}): Promise<OwnerDetail[]> {
    return this.#op('getOwner', async () => {
      const canonical = requireText(ref, 'ref').toLocaleLowerCase('en-US');
      const owners = await this.#owners(
        `o.ref = ?${filter.instance === undefined ? '' : ' AND o.instance = ?'}`,
        filter.instance === undefined ? [canonical] : [canonical, filter.instance],
      );
      const details: OwnerDetail[] = [];
      for (const owner of owners) {
        const services = await this.#driver.query(
          'SELECT instance, stitched_at, data FROM sb_links WHERE instance = ? AND owner_ref = ? ORDER BY cluster, namespace, service',
          [owner.instance, owner.ref],
        );
        details.push({ owner, services: services.map(toLink) });
      }
      return details;
    });
  }

  getReport(filter: { instance?: string } = {}): Promise<StoredReport> {
    return this.#op('getReport', () => readReport(this.#driver, filter.instance));
  }

  listRuns(filter: { instance?: string; limit?: number } = {}): Promise<RunRecord[]> {
    return this.#op('listRuns', async () => {
      const limit = bounded(filter.limit, 20, 1000, 'limit');
      const rows = await this.#driver.query(
        `SELECT id, instance, started_at, duration_ms, status, counts, errors FROM sb_runs
         ${filter.instance === undefined ? '' : 'WHERE instance = ?'} ORDER BY id DESC LIMIT ?`,
        filter.instance === undefined ? [limit] : [filter.instance, limit],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        instance: String(r.instance),
        startedAt: new Date(Number(r.started_at)),
        durationMs: Number(r.duration_ms),
        status: r.status as RunRecord['status'],
        counts: decode(`sb_runs`, r.counts),
        errors: decode(`sb_runs`, r.errors),
      }));
    });
  }

  tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseState | undefined> {
    return this.#op('tryAcquireLease', async () => {
      const now = this.#driver.nowMs;
      // A takeover (another holder, after expiry) raises the epoch; the same holder keeps it.
      const [row] = await this.#driver.query(
        `INSERT INTO sb_leases (name, holder, expires_at, epoch) VALUES (?, ?, ${now} + ?, 1)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           epoch = CASE WHEN sb_leases.holder = excluded.holder THEN sb_leases.epoch ELSE sb_leases.epoch + 1 END
         WHERE sb_leases.expires_at <= ${now} OR sb_leases.holder = excluded.holder
         RETURNING ${LEASE_COLUMNS}`,
        [requireText(name, 'name'), requireText(holder, 'holder'), ttl(ttlMs)],
      );
      return row && toLease(row);
    });
  }

  renewLease(name: string, holder: string, ttlMs: number): Promise<LeaseState | undefined> {
    return this.#op('renewLease', async () => {
      const [row] = await this.#driver.query(
        `UPDATE sb_leases SET expires_at = ${this.#driver.nowMs} + ? WHERE name = ? AND holder = ?
         RETURNING ${LEASE_COLUMNS}`,
        [ttl(ttlMs), requireText(name, 'name'), requireText(holder, 'holder')],
      );
      return row && toLease(row);
    });
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return this.#op('releaseLease', async () => {
      // Expired, not deleted: the row keeps the epoch, so the next holder's is higher still.
      await this.#driver.execute('UPDATE sb_leases SET expires_at = 0 WHERE name = ? AND holder = ?', [
        name,
        holder,
      ]);
    });
  }

  getLease(name: string): Promise<LeaseState | undefined> {
    return this.#op('getLease', async () => {
      const [row] = await this.#driver.query(
        `SELECT ${LEASE_COLUMNS} FROM sb_leases WHERE name = ? AND expires_at > ${this.#driver.nowMs}`,
        [name],
      );
      return row && toLease(row);
    });
  }

  joinReplica(member: { id: string; url: string }, ttlMs: number): Promise<number | undefined> {
    return this.#op('joinReplica', () =>
      joinReplica(
        this.#driver,
        { id: requireText(member.id, 'id'), url: requireText(member.url, 'url') },
        ttl(ttlMs),
      ),
    );
  }

  renewReplica(member: { id: string; epoch: number }, ttlMs: number): Promise<boolean> {
    return this.#op('renewReplica', () => renewReplica(this.#driver, member, ttl(ttlMs)));
  }

  leaveReplica(member: { id: string; epoch: number }): Promise<void> {
    return this.#op('leaveReplica', () => leaveReplica(this.#driver, member));
  }

  listReplicas(): Promise<ReplicaMember[]> {
    return this.#op('listReplicas', () => liveReplicas(this.#driver));
  }

  close(): Promise<void> {
    return this.#op('close', () => this.#driver.close());
  }
}

function ttl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > 86_400_000) {
    throw inputError('ttlMs must be a whole number of milliseconds from 1 to 86400000');
  }
  return ttlMs;
}

const LEASE_COLUMNS = 'holder, expires_at, epoch';

function toLease(row: Row): LeaseState {
  return {
    holder: String(row.holder),
    expiresAt: new Date(Number(row.expires_at)),
    epoch: Number(row.epoch),
  };
}

function toLink(row: Row): StoredLink {
  return {
    ...decode<StitchedLink>(Tables.links.name, row.data),
    instance: String(row.instance),
    stitchedAt: new Date(Number(row.stitched_at)),
  };
}

function toComponent(row: Row): StoredComponent {
  return { ...decode<StitchedComponent>(Tables.components.name, row.data), instance: String(row.instance) };
}
