import type { CatalogSource } from '../catalog/types.ts';
import type { InstanceSource } from '../contract/stitchboard.ts';
import type { RunRecord } from '../store/types.ts';
import type { LabelMap } from '../topology/types.ts';

export type { InstanceSource };

/**
 * The labels that mark a Secret as a Backstage instance by default: the seed's `causely.ai/scraper`,
 * and Stitchboard's own name for it. `scrapers.backstage.discovery.labelSelector` replaces them.
 */
export const SEED_SCRAPER_LABEL = 'causely.ai/scraper';
export const SCRAPER_LABEL = 'stitchboard.io/scraper';
export const SCRAPER_LABEL_VALUE = 'Backstage';

/** How Secret-holding clusters are named when no cluster is configured: the pod's own. */
export const IN_CLUSTER = 'in-cluster';

/** A Backstage instance ready to read over the Catalog API. Holds the token: never log or return it whole. */
export interface BackstageInstance {
  name: string;
  source: Exclude<InstanceSource, { type: 'catalog' }>;
  endpoint: string;
  token?: string;
  insecureSkipVerify: boolean;
  labelMap: LabelMap;
}

/** `scrapers.catalog`: the app's own catalog, read through its CatalogSource (files, or a Backstage). */
export interface CatalogInstance {
  name: string;
  source: { type: 'catalog' };
  catalog: CatalogSource;
  labelMap: LabelMap;
}

/** An instance ready to read; its source decides only how its catalog is read. */
export type ResolvedInstance = BackstageInstance | CatalogInstance;

export const isCatalogInstance = (instance: ResolvedInstance): instance is CatalogInstance =>
  instance.source.type === 'catalog';

/** An instance as discovery saw it: usable, or with the problem that keeps it from running. */
export type DiscoveredInstance =
  | { ok: true; instance: ResolvedInstance }
  | {
      ok: false;
      name: string;
      source: InstanceSource;
      endpoint?: string;
      problem: string;
      /** The required Secret key that is missing, e.g. `endpoint`. */
      missingKey?: string;
    };

/** What Secret discovery did in one cluster. */
export interface DiscoveryState {
  cluster: string;
  /** Empty: every namespace. */
  namespaces: string[];
  /** A Secret matching any of these is an instance. */
  labelSelectors: string[];
  status: 'ok' | 'failed' | 'skipped';
  /** How many labelled Secrets were found. */
  found: number;
  message?: string;
}

export interface Discovery {
  instances: DiscoveredInstance[];
  discovery: DiscoveryState[];
}

/** What a run reports while it works; the CLI draws its progress from these. */
export type ScrapeProgress =
  | { type: 'discovered'; instances: number; invalid: number }
  | { type: 'cluster'; cluster: string; services?: number; error?: string }
  | { type: 'catalog-page'; instance: string; kind: 'components' | 'owners'; entities: number }
  | { type: 'instance-done'; run: RunRecord };

export interface ScrapeSummary {
  startedAt: Date;
  durationMs: number;
  runs: RunRecord[];
  discovery: DiscoveryState[];
}
