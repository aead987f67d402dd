import { z } from 'zod';
import { durationSchema as duration } from './duration.ts';
import { typeName } from './path.ts';
import { bool, optString } from './schema-helpers.ts';

export const DEFAULT_SCRAPE_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_SCRAPE_TIMEOUT_MS = 30_000;
export const DEFAULT_LEASE_TTL_MS = 30_000;
/**
 * Secrets matching any of these are Backstage instances: the seed's `causely.ai/scraper: Backstage`,
 * and Stitchboard's own `stitchboard.io/scraper: Backstage`. The first one labels Secrets Stitchboard creates.
 */
export const DEFAULT_DISCOVERY_SELECTORS = Object.freeze([
  'causely.ai/scraper=Backstage',
  'stitchboard.io/scraper=Backstage',
]);
/** The discovery selectors and new-Secret labels when `discovery.labelSelector` is not set. */
export const DEFAULT_DISCOVERY_MATCH: { labelSelectors: string[]; secretLabels: Record<string, string> } =
  Object.freeze({
    labelSelectors: [...DEFAULT_DISCOVERY_SELECTORS],
    secretLabels: Object.freeze({ 'causely.ai/scraper': 'Backstage' }),
  });
/** The instance name of `scrapers.catalog` when it sets none. */
export const DEFAULT_CATALOG_INSTANCE = 'local';

const instanceSchema = z.object({
  name: optString(),
  secretName: optString(),
  namespace: optString(),
  cluster: optString(),
  endpoint: optString(),
  token: optString(),
  insecure_skip_verify: bool(false),
  label_map: z.unknown().optional(),
});

/** The seed's Helm values, verbatim (`enabled`, `instances[].secretName/namespace/label_map`), plus ours. */
export const scrapersSchema = z.object({
  backstage: z
    .object({
      enabled: bool(false),
      interval: duration(1000).optional(),
      timeout: duration(100).optional(),
      leaseTtl: duration(1000).optional(),
      cluster: optString(),
      label_map: z.unknown().optional(),
      discovery: z
        .object({
          enabled: bool(true),
          cluster: optString(),
          namespaces: z.array(z.string()).default([]),
          labelSelector: z
            .union([z.string(), z.array(z.string())], {
              error: (iss) => `expected a label selector or a list of them, received ${typeName(iss.input)}`,
            })
            .optional(),
        })
        .prefault({}),
      instances: z.array(instanceSchema).default([]),
    })
    .prefault({}),
  /** Stitchboard's addition: stitch from `stitchboard.catalog`, for a team without Backstage. */
  catalog: z
    .object({
      enabled: bool(false),
      name: optString(),
      label_map: z.unknown().optional(),
    })
    .optional(),
});

export type ParsedScrapers = z.output<typeof scrapersSchema>;
