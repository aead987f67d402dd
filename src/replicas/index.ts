import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { AuthDispatcher } from '../auth/dispatch.ts';
import type { ClusterSupplier } from '../clusters/types.ts';
import type { ReplicasConfig } from '../config/types.ts';
import type { WatchFetcher } from '../fetch/watch/watch-fetcher.ts';
import type { Logger } from '../shared/logger.ts';
import type { ReplicaMember } from '../store/types.ts';
import { registerForwardRoute } from './forward-route.ts';
import { Membership, type MembershipStore } from './membership.ts';

/**
 * Which clusters this replica watches, and who watches the others. Alone (no `stitchboard.replicas`)
 * it watches every cluster; with a Membership attached, its share. Divided but not joined yet, it
 * watches none: a cluster watched before its share is known might never be handed back.
 */
export class ReplicaShares {
  #membership: Membership | undefined;
  readonly #divided: boolean;

  constructor(options: { divided: boolean } = { divided: false }) {
    this.#divided = options.divided;
  }

  attach(membership: Membership): void {
    this.#membership = membership;
  }

  owns(cluster: string): boolean {
    return this.#membership ? this.#membership.owns(cluster) : !this.#divided;
  }

  /** The member watching `cluster`; undefined alone or for a cluster not divided yet. */
  ownerOf(cluster: string): ReplicaMember | undefined {
    return this.#membership?.ownerOf(cluster);
  }
}

export interface ReplicasDeps {
  config: ReplicasConfig;
  store: MembershipStore;
  shares: ReplicaShares;
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  watch: WatchFetcher;
  server: FastifyInstance;
  logger: Logger;
}

export interface Replicas {
  /** Joins the membership, advertising `advertiseUrl` or else `address` (where the server listens). */
  start(address: string): Promise<void>;
  /** Leaves at once, so the others take this replica's clusters without waiting for its lease. */
  stop(): Promise<void>;
}

/**
 * `stitchboard.replicas`: registers the route other replicas forward queries to, and, once the server
 * listens, joins the membership. A cluster that leaves this replica's share has its informers
 * stopped; one that joins it starts watching with its first query, as every watched cluster does.
 */
export function setUpReplicas(deps: ReplicasDeps): Replicas {
  const { config, watch, clusters } = deps;
  const logger = deps.logger.child({ component: 'replicas' });
  registerForwardRoute(deps.server, {
    clusters,
    auth: deps.auth,
    watch,
    internalToken: config.internalToken,
  });
  const membership = new Membership({
    store: deps.store,
    id: config.id,
    ttlMs: config.leaseTtlMs,
    clusterNames: async () =>
      (await clusters.getClusters()).filter((c) => watch.watchable(c)).map((c) => c.name),
    onShareChange: async ({ lost }) => {
      await Promise.all(lost.map((name) => watch.forget(name)));
    },
    logger,
  });
  return {
    async start(address) {
      deps.shares.attach(membership);
      await membership.start(config.advertiseUrl ?? advertisedAddress(address));
    },
    stop: () => membership.stop(),
  };
}

/** A wildcard listen address is no use to the other replicas: name the host instead. */
function advertisedAddress(address: string): string {
  const url = new URL(address);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = hostname();
  return url.origin;
}
