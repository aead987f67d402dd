import type {
  OwnerDetail,
  OwnerKind,
  RunInput,
  RunRecord,
  ServiceDetail,
  ServiceKey,
  StoredLink,
  StoredOwner,
  StoredReport,
} from '../contract/stitching.ts';
import type { StitchResult } from '../topology/types.ts';

/** Runs and stored results are the wire contract; they live in src/contract/stitching.ts. */
export type {
  OwnerDetail,
  RunError,
  RunInput,
  RunRecord,
  RunStatus,
  ServiceDetail,
  StoredComponent,
  StoredLink,
  StoredOwner,
  StoredReport,
} from '../contract/stitching.ts';

/**
 * Which parts of a run were read completely. Whatever is not listed keeps the rows of the last good
 * run, so an unreachable cluster or a catalog that failed mid-paging never wipes what was stitched.
 */
export interface ReplaceScope {
  /** Clusters whose Services were listed completely. Links, misses and unclaimed Services of any
   * other cluster are left exactly as they were. */
  complete: readonly { cluster: string }[];
  /**
   * Which catalog parts were read completely; both by default. With `components: false`, only the
   * components present in the result have their rows replaced, the others keep theirs. With
   * `owners: false`, owners in the result are upserted and no owner is removed.
   */
  catalog?: { components: boolean; owners: boolean };
}

export interface ServiceFilter {
  instance?: string;
  cluster?: string;
  namespace?: string;
  /** An owner entity ref in canonical form, e.g. `group:default/team-a` (compared case-insensitively). */
  owner?: string;
  /** A component entity ref, e.g. `component:default/cart` (compared case-insensitively). */
  component?: string;
  /** true: only Services without an owner link; false: only those with one. */
  unowned?: boolean;
  /** Default 1000, at most 10000. */
  limit?: number;
  offset?: number;
}

/** One replica's membership lease (sb_replicas): who it is, where it answers, since when, until when. */
export interface ReplicaMember {
  id: string;
  /** Where the other replicas reach it (its advertised URL). */
  url: string;
  /** Grows by one each time the id joins anew. */
  epoch: number;
  joinedAt: Date;
  expiresAt: Date;
}

/** A lease as the store holds it. */
export interface LeaseState {
  holder: string;
  expiresAt: Date;
  /**
   * The fencing token: 1 for a lease's first holder, one more each time a different holder takes it
   * over; a renewal (or a re-acquire by the same holder) keeps it. Never repeats: releasing a lease
   * expires it but keeps its epoch.
   */
  epoch: number;
}

/**
 * Proof that a write is made on behalf of lease `lease`, held by `holder` at `epoch` (what
 * tryAcquireLease answered). A fenced write checks it in its own transaction and is refused with
 * LEASE_LOST, changing nothing, once the lease has another holder or epoch.
 */
export interface Fence {
  lease: string;
  holder: string;
  epoch: number;
}

/**
 * Where stitch results, runs and the scrape-loop lease live. Two implementations share one
 * behaviour, pinned by store.contract.ts: embedded SQLite (node:sqlite) and PostgreSQL (pg).
 * Every failure is a StitchboardError with code STORE_FAILED naming the operation.
 */
export interface TopologyStore {
  readonly dialect: 'sqlite' | 'pg';

  /**
   * Replaces one instance's results within `scope`, in one transaction: all of it or none of it.
   * With `fence`, the same transaction checks it and the write is refused (LEASE_LOST) when stale.
   */
  replaceInstanceResults(
    instance: string,
    result: StitchResult,
    scope: ReplaceScope,
    fence?: Fence,
  ): Promise<void>;
  /** Records a run; with `fence`, only while that lease epoch is current (else LEASE_LOST). */
  recordRun(run: RunInput, fence?: Fence): Promise<RunRecord>;

  /** Stitched Services, sorted by cluster, namespace, service, instance. */
  listServices(filter?: ServiceFilter): Promise<StoredLink[]>;
  /** Every instance's view of one Service; empty when none stitched it. */
  getService(key: ServiceKey): Promise<ServiceDetail[]>;
  listOwners(filter?: { instance?: string; kind?: OwnerKind }): Promise<StoredOwner[]>;
  /** The owner (per instance) and the Services it owns; empty when unknown. */
  getOwner(ref: string, filter?: { instance?: string }): Promise<OwnerDetail[]>;
  getReport(filter?: { instance?: string }): Promise<StoredReport>;
  /** Latest first. Default limit 20, at most 1000. */
  listRuns(filter?: { instance?: string; limit?: number }): Promise<RunRecord[]>;

  /**
   * Takes the lease `name` for `holder` for `ttlMs` if it is free, expired, or already `holder`'s,
   * and answers it with its epoch (raised by one when the holder changed); undefined when another
   * holder has it. Time is the database's clock, so replicas with skewed clocks still agree.
   */
  tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseState | undefined>;
  /** Extends the lease, keeping its epoch, if no other holder took it since; undefined when it was lost. */
  renewLease(name: string, holder: string, ttlMs: number): Promise<LeaseState | undefined>;
  /** Gives the lease up (expires it, keeping its epoch) if `holder` has it; a no-op otherwise. */
  releaseLease(name: string, holder: string): Promise<void>;
  getLease(name: string): Promise<LeaseState | undefined>;

  /**
   * Replica membership, one heartbeat lease per replica id (database clock). `joinReplica` takes the
   * id with a new epoch when no live process holds it and answers that epoch, else undefined.
   */
  joinReplica(member: { id: string; url: string }, ttlMs: number): Promise<number | undefined>;
  /** Extends the lease of that id and epoch; false when it expired or another process joined since. */
  renewReplica(member: { id: string; epoch: number }, ttlMs: number): Promise<boolean>;
  /** Ends that id and epoch's lease now; a no-op when it is not the current one. */
  leaveReplica(member: { id: string; epoch: number }): Promise<void>;
  /** The replicas whose lease has not expired, sorted by id. */
  listReplicas(): Promise<ReplicaMember[]>;

  close(): Promise<void>;
}
