import type { CatalogSource } from '../catalog/types.ts';
import type { RollupComponent } from '../contract/stitchboard.ts';
import { summarize } from './component-summary.ts';
import type { TopologyStore } from '../store/types.ts';
import type { ComponentHealthSource } from './health-source.ts';
import { rollupComponents, type OwnerFacts, type StitchedService } from './rollup.ts';

export interface RollupSourceDeps {
  catalog: Pick<CatalogSource, 'listEntities'>;
  store: Pick<TopologyStore, 'listServices' | 'listOwners'>;
  health: ComponentHealthSource;
}

export interface RollupInputs {
  /** Every Component in the catalog, sorted by ref. */
  rows: RollupComponent[];
  owners: OwnerFacts[];
  generatedAt: string;
}

const PAGE = 10_000;

/** Every stitched Service, page by page: a rollup must not stop at the store's page size. */
async function allServices(store: RollupSourceDeps['store']): Promise<StitchedService[]> {
  const all: StitchedService[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listServices({ limit: PAGE, offset });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/**
 * Reads what the rollups add up: every catalog Component (not a page of them) with its health from
 * the object source (cached, with bounded concurrency, by `health`), its stitched Services, and the
 * stitched owners' names.
 */
export async function readRollupInputs(deps: RollupSourceDeps): Promise<RollupInputs> {
  const [entities, services, owners] = await Promise.all([
    deps.catalog.listEntities({ kinds: ['Component'] }),
    allServices(deps.store),
    deps.store.listOwners(),
  ]);
  const components = entities
    .map((entity) => ({ entity, summary: summarize(entity) }))
    .sort((a, b) => a.summary.ref.localeCompare(b.summary.ref));
  const health = await deps.health.healthOf(components.map((c) => c.entity));
  const facts = components.map((c, i) => ({
    summary: c.summary,
    health: health[i] as (typeof health)[number],
  }));
  const byRef = new Map<string, OwnerFacts>();
  for (const o of owners) {
    if (byRef.has(o.ref)) continue;
    byRef.set(o.ref, { ref: o.ref, displayName: o.displayName, ...(o.email ? { email: o.email } : {}) });
  }
  return {
    rows: rollupComponents(facts, services),
    owners: [...byRef.values()],
    generatedAt: new Date().toISOString(),
  };
}
