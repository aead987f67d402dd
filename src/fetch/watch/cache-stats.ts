import type { InformerStats } from './informer.ts';

/** One informer's state, for `/metrics` and `/healthz`. Times are epoch milliseconds. */
export interface CacheStats extends InformerStats {
  cluster: string;
  /** `<group or core>/<version>/<plural>`, e.g. `apps/v1/deployments`. */
  resource: string;
  /** The watch has been down longer than the staleness bound: queries for it are answered live. */
  stale: boolean;
  /** Queries answered from memory (objects or a cached refusal), and answered live instead. */
  servedFromCache: number;
  servedLive: number;
  /** Live-update subscriptions on this informer (open watch streams). */
  subscribers: number;
}
