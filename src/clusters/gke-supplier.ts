import type { v1 } from '@google-cloud/container';
import { googleAuthFor } from '../auth/google-credentials.ts';
import { StitchboardError, messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ClusterSettings } from './cluster-settings.ts';
import { gkeClusterDetails, type GkeClusterResource, type GkeLocatorConfig } from './gke-clusters.ts';
import type { ClusterDetails, ClusterSupplier } from './types.ts';

/** Backstage's refresh period for GKE cluster lists. */
export const DEFAULT_GKE_REFRESH_MS = 60 * 60_000;
/** After a failed refresh, try again this soon rather than a whole period later. */
const RETRY_AFTER_FAILURE_MS = 60_000;

/** The one call of `ClusterManagerClient` this supplier makes. */
export interface GkeClusterLister {
  listClusters(request: {
    parent: string;
  }): Promise<[{ clusters?: GkeClusterResource[] | null }, ...unknown[]]>;
}

export interface GkeSupplierOptions {
  locator: GkeLocatorConfig;
  lister: GkeClusterLister;
  settingsFor: (name: string) => ClusterSettings;
  logger: Logger;
  refreshIntervalMs?: number;
  now?: () => number;
}

/**
 * Backstage's `gke` locator. The first call lists the project's clusters (and fails if that fails, as
 * Backstage does); afterwards the list is served from memory and listed again once it is older than the
 * refresh interval. A failed refresh is logged and the last good list kept, and retried a minute later.
 * Concurrent callers share one listing.
 */
export class GkeClusterSupplier implements ClusterSupplier {
  readonly #o: GkeSupplierOptions;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #clusters: ClusterDetails[] | undefined;
  #nextRefreshAt = 0;
  #listing: Promise<void> | undefined;

  constructor(options: GkeSupplierOptions) {
    this.#o = options;
    this.#intervalMs = options.refreshIntervalMs ?? DEFAULT_GKE_REFRESH_MS;
    this.#now = options.now ?? Date.now;
  }

  get parent(): string {
    return `projects/${this.#o.locator.projectId}/locations/${this.#o.locator.region}`;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    if (this.#clusters === undefined || this.#now() >= this.#nextRefreshAt) {
      this.#listing ??= this.#refresh().finally(() => (this.#listing = undefined));
      await this.#listing;
    }
    return [...(this.#clusters ?? [])];
  }

  async #refresh(): Promise<void> {
    const { locator, logger } = this.#o;
    try {
      const [response] = await this.#o.lister.listClusters({ parent: this.parent });
      const mapped = gkeClusterDetails(response.clusters ?? [], locator, this.#o.settingsFor);
      for (const s of mapped.skipped) {
        logger.warn({ cluster: s.name, parent: this.parent }, `GKE cluster skipped: ${s.reason}`);
      }
      this.#clusters = mapped.clusters;
      this.#nextRefreshAt = this.#now() + this.#intervalMs;
      logger.debug({ parent: this.parent, clusters: mapped.clusters.length }, 'listed GKE clusters');
    } catch (error) {
      this.#nextRefreshAt = this.#now() + Math.min(RETRY_AFTER_FAILURE_MS, this.#intervalMs);
      const message = `listing GKE clusters of projectId=${locator.projectId} region=${locator.region} failed: ${messageOf(error)}`;
      if (this.#clusters === undefined) {
        throw new StitchboardError('CLUSTER_UNAVAILABLE', `gke cluster locator: ${message}`, {
          cause: error,
        });
      }
      logger.warn(
        { parent: this.parent, err: messageOf(error), kept: this.#clusters.length },
        `${message}; keeping the last good list`,
      );
    }
  }
}

/**
 * The real lister: Google's `ClusterManagerClient` over HTTP/JSON (`fallback`), authenticated with
 * `kubernetes.googleServiceAccountCredentials` or Application Default Credentials.
 * `STITCHBOARD_GKE_API_URL` (e.g. `http://127.0.0.1:8089`) points it at another endpoint: tests use a
 * loopback GKE API; it also serves private or regional endpoints. The client library (23 MiB of heap once
 * loaded) is loaded by the first listing, so a configuration without a `gke` locator never carries it.
 */
export function gkeClusterLister(options: {
  credentialsJson?: string;
  env: NodeJS.ProcessEnv;
}): GkeClusterLister {
  let client: Promise<v1.ClusterManagerClient> | undefined;
  const connect = async () => {
    const [{ v1 }, google] = await Promise.all([import('@google-cloud/container'), googleAuthFor(options)]);
    return new v1.ClusterManagerClient({
      fallback: true,
      auth: google.auth,
      ...endpointOptions(options.env.STITCHBOARD_GKE_API_URL),
    });
  };
  return {
    async listClusters(request) {
      client ??= connect();
      // A client that could not be made (a bad key) is made again on the next listing.
      const ready = await client.catch((error: unknown) => {
        client = undefined;
        throw error;
      });
      return ready.listClusters(request) as ReturnType<GkeClusterLister['listClusters']>;
    },
  };
}

function endpointOptions(url: string | undefined): {
  apiEndpoint?: string;
  port?: number;
  protocol?: string;
} {
  if (!url) return {};
  const parsed = new URL(url);
  const protocol = parsed.protocol.replace(':', '');
  return {
    apiEndpoint: parsed.hostname,
    port: Number(parsed.port || (protocol === 'http' ? 80 : 443)),
    protocol,
  };
}
