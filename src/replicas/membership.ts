import { messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ReplicaMember, TopologyStore } from '../store/types.ts';
import { assignShares } from './shares.ts';

export type MembershipStore = Pick<
  TopologyStore,
  'joinReplica' | 'renewReplica' | 'leaveReplica' | 'listReplicas'
>;

export interface ShareChange {
  gained: string[];
  lost: string[];
}

export interface MembershipOptions {
  store: MembershipStore;
  /** This replica's id (`stitchboard.replicas.id`). */
  id: string;
  ttlMs: number;
  /** The names of the clusters to divide, read again on every heartbeat. */
  clusterNames: () => Promise<string[]>;
  /** Told after every heartbeat that changed this replica's share. */
  onShareChange?: (change: ShareChange) => void | Promise<void>;
  logger: Logger;
  /** Heartbeat period; default a third of the TTL. */
  tickMs?: number;
}

/**
 * This replica's place among those sharing one PostgreSQL: a heartbeat lease in sb_replicas renewed
 * every third of its TTL, and, from the live members and the clusters, which replica watches each
 * cluster (assignShares). Every replica computes the same assignment from the same rows, so no one
 * hands clusters out. A replica that dies stops renewing; once its lease expires the others' next
 * heartbeat divides its clusters among them, within TTL + one heartbeat. A replica that cannot renew
 * for a whole TTL (database down) gives its share up rather than watch what another may have taken.
 *
 * @example
 *   const membership = new Membership({ store, id: 'replica-0', ttlMs: 15_000, clusterNames, logger });
 *   await membership.start('http://10.0.0.7:7007');
 *   membership.ownerOf('prod')?.url; // where queries for prod are answered from the cache
 */
export class Membership {
  readonly #o: Required<Omit<MembershipOptions, 'onShareChange'>> & Pick<MembershipOptions, 'onShareChange'>;
  #url = '';
  #epoch: number | undefined;
  #renewedAt = 0;
  #members: ReplicaMember[] = [];
  #owners = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;

  constructor(options: MembershipOptions) {
    this.#o = { tickMs: Math.max(100, Math.floor(options.ttlMs / 3)), ...options };
  }

  get id(): string {
    return this.#o.id;
  }

  /** This replica's epoch while it holds its lease. */
  get epoch(): number | undefined {
    return this.#epoch;
  }

  /** The live members at the last heartbeat, by id. */
  get members(): readonly ReplicaMember[] {
    return this.#members;
  }

  /** Joins (or keeps trying to, each heartbeat) and computes the first assignment before resolving. */
  async start(url: string): Promise<void> {
    this.#url = url;
    await this.#tick();
  }

  /** The member that watches `cluster`; undefined for a cluster not divided yet (new since the last heartbeat). */
  ownerOf(cluster: string): ReplicaMember | undefined {
    const id = this.#owners.get(cluster);
    return id === undefined ? undefined : this.#members.find((m) => m.id === id);
  }

  /** Whether this process watches `cluster`: its owner is this id, at this process's epoch. */
  owns(cluster: string): boolean {
    return this.#isMe(this.ownerOf(cluster));
  }

  #isMe(member: ReplicaMember | undefined): boolean {
    return member !== undefined && member.id === this.#o.id && member.epoch === this.#epoch;
  }

  /** Stops the heartbeat and leaves at once, so the others take this replica's clusters without waiting for the TTL. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    const epoch = this.#epoch;
    this.#epoch = undefined;
    if (epoch === undefined) return;
    try {
      await this.#o.store.leaveReplica({ id: this.#o.id, epoch });
    } catch (error) {
      this.#o.logger.warn(
        { err: messageOf(error) },
        'could not leave the replica membership; the lease expires by itself',
      );
    }
  }

  #tick(): Promise<void> {
    this.#ticking = this.#heartbeat().finally(() => {
      this.#ticking = undefined;
      if (!this.#stopped) this.#timer = setTimeout(() => void this.#tick(), this.#o.tickMs);
    });
    return this.#ticking;
  }

  async #heartbeat(): Promise<void> {
    const { store, id, ttlMs, logger } = this.#o;
    try {
      const startedAt = Date.now();
      if (this.#epoch !== undefined && !(await store.renewReplica({ id, epoch: this.#epoch }, ttlMs))) {
        logger.warn({ replica: id, epoch: this.#epoch }, 'replica lease lost; joining again');
        this.#epoch = undefined;
      }
      if (this.#epoch === undefined) {
        this.#epoch = await store.joinReplica({ id, url: this.#url }, ttlMs);
        if (this.#epoch === undefined) {
          logger.warn(
            { replica: id },
            'another live process holds this replica id; waiting for its lease to expire',
          );
        } else {
          logger.info({ replica: id, epoch: this.#epoch, url: this.#url }, 'joined the replicas');
        }
      }
      if (this.#epoch !== undefined) this.#renewedAt = startedAt;
      const [members, clusters] = await Promise.all([store.listReplicas(), this.#o.clusterNames()]);
      await this.#apply(members, clusters);
    } catch (error) {
      logger.warn({ replica: id, err: messageOf(error) }, 'replica heartbeat failed');
      if (Date.now() - this.#renewedAt >= ttlMs) {
        // Our lease has expired by now: another replica may already watch our clusters.
        await this.#apply(
          this.#members.filter((m) => m.id !== id),
          [...this.#owners.keys()],
        );
      }
    }
  }

  async #apply(members: ReplicaMember[], clusters: string[]): Promise<void> {
    const before = this.#mine();
    this.#members = members;
    this.#owners = assignShares(
      clusters,
      members.map((m) => m.id),
    );
    const after = this.#mine();
    const gained = [...after].filter((c) => !before.has(c)).sort();
    const lost = [...before].filter((c) => !after.has(c)).sort();
    if (gained.length === 0 && lost.length === 0) return;
    this.#o.logger.info(
      { replica: this.#o.id, replicas: members.length, clusters: after.size, gained, lost },
      'share of clusters changed',
    );
    try {
      await this.#o.onShareChange?.({ gained, lost });
    } catch (error) {
      this.#o.logger.error({ err: messageOf(error) }, 'reacting to a share change failed');
    }
  }

  #mine(): Set<string> {
    return new Set([...this.#owners.keys()].filter((cluster) => this.owns(cluster)));
  }
}
