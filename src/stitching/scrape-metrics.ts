import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RunRecord, StoredLink, TopologyStore } from '../store/types.ts';
import { ServiceLabel } from '../topology/labels.ts';

const OWNER_INFO_LABELS = [
  'cluster',
  'namespace',
  'service',
  'component',
  'owner',
  'team',
  'system',
] as const;
type OwnerInfoLabel = (typeof OWNER_INFO_LABELS)[number];

/** Run counts exported per instance: the ones a dashboard or an alert asks about. */
export const EXPORTED_COUNTS = [
  'components',
  'stitchedComponents',
  'links',
  'services',
  'unclaimedServices',
  'unmatchedComponents',
  'owners',
  'danglingOwners',
  'ownerProblems',
  'ambiguous',
  'conflicts',
  'clustersRead',
  'clustersFailed',
] as const;

/** Links per page when the info series are rebuilt from the store (its largest page). */
const PAGE = 10_000;

/**
 * Stitching's `/metrics` series:
 *
 * - `stitchboard_service_owner_info{cluster,namespace,service,component,owner,team,system} 1` per
 *   stitched Service, so alerts can be routed by team. Rebuilt from the store, so every replica
 *   exports it, not only the one that ran.
 * - `stitchboard_stitch_run_duration_seconds{instance,status}` and `stitchboard_stitch_runs_total`:
 *   the runs this replica made.
 * - `stitchboard_stitch_last_run_count{instance,count}`, `stitchboard_stitch_last_run_timestamp_seconds`
 *   and `stitchboard_stitch_last_run_status{instance,status}`: the latest recorded run of each instance.
 * - `stitchboard_stitch_leader`: 1 on the replica running the scrape loop.
 */
export class ScrapeMetrics {
  readonly #ownerInfo: Gauge<OwnerInfoLabel>;
  readonly #duration: Histogram<'instance' | 'status'>;
  readonly #runs: Counter<'instance' | 'status'>;
  readonly #lastCount: Gauge<'instance' | 'count'>;
  readonly #lastTimestamp: Gauge<'instance'>;
  readonly #lastStatus: Gauge<'instance' | 'status'>;
  readonly #leader: Gauge;
  #latestRunId: number | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers });
    this.#ownerInfo = gauge(
      'stitchboard_service_owner_info',
      'One series per stitched Kubernetes Service: its component, owner, team and system',
      OWNER_INFO_LABELS,
    );
    this.#duration = new Histogram({
      name: 'stitchboard_stitch_run_duration_seconds',
      help: 'Time of one instance’s stitch run on this replica, by outcome',
      labelNames: ['instance', 'status'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.#runs = new Counter({
      name: 'stitchboard_stitch_runs_total',
      help: 'Stitch runs made by this replica, by instance and outcome',
      labelNames: ['instance', 'status'],
      registers,
    });
    this.#lastCount = gauge(
      'stitchboard_stitch_last_run_count',
      'Counts of the latest recorded run of each instance (components, links, unclaimedServices, ...)',
      ['instance', 'count'],
    );
    this.#lastTimestamp = gauge(
      'stitchboard_stitch_last_run_timestamp_seconds',
      'Start time of the latest recorded run of each instance',
      ['instance'],
    );
    this.#lastStatus = gauge(
      'stitchboard_stitch_last_run_status',
      '1 for the outcome (ok, partial, failed) of the latest recorded run of each instance',
      ['instance', 'status'],
    );
    this.#leader = gauge('stitchboard_stitch_leader', '1 when this replica holds the scrape-loop lease');
    this.#leader.set(0);
  }

  observeRun(run: RunRecord): void {
    const labels = { instance: run.instance, status: run.status };
    this.#duration.observe(labels, run.durationMs / 1000);
    this.#runs.inc(labels);
  }

  setLeader(leader: boolean): void {
    this.#leader.set(leader ? 1 : 0);
  }

  /**
   * Rebuilds the store-derived series. `force: false` skips the work when no run was recorded since
   * the last rebuild, so replicas that do not run can poll cheaply.
   */
  async refresh(store: TopologyStore, options: { force?: boolean } = {}): Promise<void> {
    const runs = await store.listRuns({ limit: 1000 });
    const latestId = runs[0]?.id;
    if (!options.force && latestId === this.#latestRunId) return;
    const links: StoredLink[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.listServices({ limit: PAGE, offset });
      links.push(...page);
      if (page.length < PAGE) break;
    }
    this.#latestRunId = latestId;
    this.#setOwnerInfo(links);
    this.#setLastRuns(runs);
  }

  #setOwnerInfo(links: readonly StoredLink[]): void {
    this.#ownerInfo.reset();
    for (const link of links) {
      this.#ownerInfo.set(
        {
          cluster: link.cluster,
          namespace: link.namespace,
          service: link.service,
          component: link.labels[ServiceLabel.component] ?? '',
          owner: link.ownerRef ?? '',
          team: link.labels[ServiceLabel.team] ?? '',
          system: link.labels[ServiceLabel.system] ?? '',
        },
        1,
      );
    }
  }

  #setLastRuns(runs: readonly RunRecord[]): void {
    this.#lastCount.reset();
    this.#lastTimestamp.reset();
    this.#lastStatus.reset();
    const seen = new Set<string>();
    for (const run of runs) {
      if (seen.has(run.instance)) continue;
      seen.add(run.instance);
      for (const count of EXPORTED_COUNTS) {
        const value = run.counts[count];
        if (value !== undefined) this.#lastCount.set({ instance: run.instance, count }, value);
      }
      this.#lastTimestamp.set({ instance: run.instance }, run.startedAt.getTime() / 1000);
      for (const status of ['ok', 'partial', 'failed'] as const) {
        this.#lastStatus.set({ instance: run.instance, status }, run.status === status ? 1 : 0);
      }
    }
  }
}
