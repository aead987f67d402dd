import { isStitchboardError, messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Fence, LeaseState, TopologyStore } from '../store/types.ts';
import { isLeaseLost } from '../store/fence.ts';

/** The lease whose holder runs the loop: one replica at a time. */
export const LOOP_LEASE = 'stitch-scrape-loop';
/** Held by a run request from a replica that is not the leader, until the leader takes it up. */
export const TRIGGER_LEASE = 'stitch-scrape-trigger';

export interface ScrapeLoopOptions {
  store: TopologyStore;
  /** This replica's identity in the lease table. */
  holder: string;
  intervalMs: number;
  leaseTtlMs: number;
  /** How often the lease, run requests and the clock are checked (default: 2 s, or a third of the TTL when shorter). */
  tickMs?: number;
  /**
   * One run. Aborted when leadership is lost or the loop closes; its store writes carry `fence`, the
   * lease epoch it was started under, so they are refused should another replica have taken over since.
   */
  run: (signal: AbortSignal, fence: Fence) => Promise<void>;
  logger: Logger;
  /** For tests: the jitter's randomness. */
  random?: () => number;
  onLeadership?: (leader: boolean) => void;
}

/**
 * The periodic scrape, run by exactly one replica among those sharing a store: the holder of
 * LOOP_LEASE, renewed every third of its TTL. When the holder dies, its lease expires after the TTL
 * and another replica takes it, starting its first run one interval after the last recorded run.
 * Waits are jittered by ±10 % so replicas and instances do not line up. A run can be requested on any
 * replica: the leader starts it at once; the others leave a request (TRIGGER_LEASE) the leader takes up
 * within a tick.
 */
export class ScrapeLoop {
  readonly #o: Required<Omit<ScrapeLoopOptions, 'onLeadership'>> & Pick<ScrapeLoopOptions, 'onLeadership'>;
  #leader = false;
  #lease: LeaseState | undefined;
  #lastRenew = 0;
  #nextRunAt = 0;
  #runNow = false;
  #running: Promise<void> | undefined;
  #runAbort: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #again = false;
  #started = false;
  #closed = false;

  constructor(options: ScrapeLoopOptions) {
    this.#o = {
      tickMs: Math.max(50, Math.min(2000, Math.floor(options.leaseTtlMs / 3))),
      random: Math.random,
      ...options,
    };
  }

  get leader(): boolean {
    return this.#leader;
  }

  /** What this replica's leader writes must carry; undefined when it does not lead. */
  get fence(): Fence | undefined {
    return this.#leader && this.#lease
      ? { lease: LOOP_LEASE, holder: this.#o.holder, epoch: this.#lease.epoch }
      : undefined;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** Asks for a run now. Answers whether this replica will run it (else the leader will). */
  async requestRun(): Promise<{ leader: boolean }> {
    if (this.#leader) {
      this.#runNow = true;
      this.#schedule(0);
      return { leader: true };
    }
    // False means a request is already waiting for the leader: this one is served by the same run.
    await this.#o.store.tryAcquireLease(
      TRIGGER_LEASE,
      `${this.#o.holder}@${Date.now()}`,
      Math.max(this.#o.intervalMs, 60_000),
    );
    return { leader: false };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    this.#runAbort?.abort(new Error('the scrape loop is closing'));
    await this.#running;
    if (this.#leader) {
      this.#setLeader(false);
      await this.#o.store.releaseLease(LOOP_LEASE, this.#o.holder).catch(() => {});
    }
  }

  #schedule(delayMs: number): void {
    if (this.#closed || !this.#started) return;
    if (this.#ticking) {
      if (delayMs === 0) this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    this.#ticking = this.#step();
    await this.#ticking;
    this.#ticking = undefined;
    const again = this.#again;
    this.#again = false;
    this.#schedule(again ? 0 : this.#o.tickMs);
  }

  async #step(): Promise<void> {
    try {
      await this.#maintainLease();
      if (!this.#leader || this.#closed) return;
      const trigger = await this.#o.store.getLease(TRIGGER_LEASE);
      if (trigger && trigger.expiresAt.getTime() > Date.now()) {
        await this.#o.store.releaseLease(TRIGGER_LEASE, trigger.holder);
        this.#runNow = true;
      }
      if (!this.#running && (this.#runNow || Date.now() >= this.#nextRunAt)) this.#startRun();
    } catch (error) {
      const message = isStitchboardError(error) ? error.message : messageOf(error);
      this.#o.logger.warn({ leader: this.#leader }, `scrape loop: ${message}`);
      // Unable to renew for a whole TTL: the lease has expired and another replica may hold it now.
      if (this.#leader && Date.now() - this.#lastRenew >= this.#o.leaseTtlMs) {
        this.#stepDown('could not renew');
      }
    }
  }

  async #maintainLease(): Promise<void> {
    const { store, holder, leaseTtlMs } = this.#o;
    const now = Date.now();
    if (this.#leader) {
      if (now - this.#lastRenew < leaseTtlMs / 3) return;
      const renewed = await store.renewLease(LOOP_LEASE, holder, leaseTtlMs);
      if (!renewed) return this.#stepDown('lost the lease');
      this.#lease = renewed;
      this.#lastRenew = now;
      return;
    }
    const lease = await store.tryAcquireLease(LOOP_LEASE, holder, leaseTtlMs);
    if (!lease) return;
    this.#lease = lease;
    this.#lastRenew = now;
    const [last] = await store.listRuns({ limit: 1 });
    this.#nextRunAt = last ? last.startedAt.getTime() + this.#jittered() : now;
    this.#setLeader(true);
    this.#o.logger.info(
      { holder, epoch: lease.epoch },
      'took the scrape-loop lease: this replica runs the scrape loop',
    );
  }

  #startRun(): void {
    this.#runNow = false;
    const abort = new AbortController();
    const fence = this.fence as Fence;
    this.#runAbort = abort;
    this.#running = this.#o
      .run(abort.signal, fence)
      .catch((error: unknown) => {
        // Already logged where the write was refused; the lease is someone else's since.
        if (isLeaseLost(error)) {
          if (this.#lease?.epoch === fence.epoch) this.#stepDown('a store write was refused');
        } else if (!abort.signal.aborted) this.#o.logger.error({ err: error }, 'scrape run failed');
      })
      .finally(() => {
        this.#running = undefined;
        this.#runAbort = undefined;
        this.#nextRunAt = Date.now() + this.#jittered();
        if (this.#runNow) this.#schedule(0);
      });
  }

  #stepDown(why: string): void {
    this.#o.logger.warn({ holder: this.#o.holder }, `scrape loop: ${why}; another replica runs it now`);
    this.#setLeader(false);
    this.#runAbort?.abort(new Error('lost the scrape-loop lease'));
  }

  #setLeader(leader: boolean): void {
    if (this.#leader === leader) return;
    this.#leader = leader;
    this.#o.onLeadership?.(leader);
  }

  #jittered(): number {
    return Math.round(this.#o.intervalMs * (0.9 + 0.2 * this.#o.random()));
  }
}
