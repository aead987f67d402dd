import type { Config } from '../config/types.ts';
import type { FetchMode } from './types.ts';

export interface ClusterSettings {
  timeoutMs: number;
  mode: FetchMode;
}

/** Stitchboard's per-cluster knobs (`stitchboard.kubernetes`), with per-cluster overrides over the defaults. */
export function clusterSettings(config: Config, clusterName: string): ClusterSettings {
  const section = config.stitchboard.kubernetes;
  const own = section.clusters[clusterName] ?? {};
  return { timeoutMs: own.timeoutMs ?? section.timeoutMs, mode: own.mode ?? section.mode };
}
