import { z } from 'zod';
import { accessSchema } from './access-schema.ts';
import { oneOfList, quote } from './issues.ts';
import { isPlainObject, typeName } from './path.ts';
import { durationSchema } from './duration.ts';
import { httpUrl, oneOf, optString } from './schema-helpers.ts';
import { replicasSchema } from './replicas-schema.ts';

export const CATALOG_TYPES = ['file', 'backstage'] as const;
export const FETCH_MODES = ['live', 'watch'] as const;
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_GKE_REFRESH_INTERVAL_MS = 60 * 60_000;
/** A watch down this long is not trusted: queries for its objects are answered live. */
export const DEFAULT_WATCH_STALE_AFTER_MS = 30_000;
export const DEFAULT_WATCH_IDLE_TIMEOUT_MS = 180_000;

/** Milliseconds as a number, or a duration string: `500ms`, `5s`, `2m`. */
const duration = durationSchema();

const optBool = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean().optional(),
);

const fileCatalog = z
  .object({
    type: z.literal('file'),
    path: optString(),
    paths: z.array(z.string().min(1)).optional(),
  })
  .superRefine((source, ctx) => {
    if (source.path === undefined && (source.paths === undefined || source.paths.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'required: set "path" or "paths"' });
    }
  });

const backstageCatalog = z.object({
  type: z.literal('backstage'),
  endpoint: httpUrl(),
  token: optString(),
  insecure_skip_verify: optBool,
  insecureSkipVerify: optBool,
});

const catalogSource = z.discriminatedUnion('type', [fileCatalog, backstageCatalog], {
  error: (iss) => {
    if (!isPlainObject(iss.input)) return `expected object, received ${typeName(iss.input)}`;
    const type = iss.input.type;
    if (type === undefined) return `required (${oneOfList(CATALOG_TYPES)})`;
    return `unknown catalog type ${quote(type)} (${oneOfList(CATALOG_TYPES)})`;
  },
});

const clusterTuning = z.object({
  timeout: duration.optional(),
  mode: oneOf(FETCH_MODES, 'mode').optional(),
});

/** Stitchboard's own section: where it keeps data, where the catalog is, how clusters are read. */
export const stitchboardSchema = z.object({
  dataDir: optString(),
  catalog: z.array(catalogSource).default([]),
  kubernetes: z
    .object({
      timeout: duration.optional(),
      mode: oneOf(FETCH_MODES, 'mode').default('live'),
      clusters: z.record(z.string(), clusterTuning).default({}),
      // How often gke locators list clusters again (Backstage: every 60 minutes).
      gkeRefreshInterval: duration.optional(),
      // In watch mode, how long a cache may go without its watch before queries are answered live.
      watchStaleAfter: duration.optional(),
      // In watch mode, how long a watch may stay silent (no event, no bookmark) before it is restarted.
      watchIdleTimeout: duration
        .refine((ms) => ms >= 5_000, {
          message:
            'expected at least 5s (API servers send a bookmark about once a minute; 180s is the default)',
        })
        .optional(),
    })
    .prefault({}),
  replicas: replicasSchema(duration),
  ...accessSchema,
});

export type ParsedStitchboard = z.output<typeof stitchboardSchema>;
