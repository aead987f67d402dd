import { hostname } from 'node:os';
import { z } from 'zod';
import type { NormalizeContext } from './normalize-context.ts';
import { optHttpUrl, optString } from './schema-helpers.ts';
import type { DatabaseConfig, ReplicasConfig } from './types.ts';

/** How long a replica's membership lease lasts without a heartbeat; its clusters move after this. */
export const DEFAULT_REPLICA_LEASE_TTL_MS = 15_000;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const MIN_TOKEN_LENGTH = 16;

/**
 * `stitchboard.replicas`: several replicas on one PostgreSQL share the clusters' watches. `duration`
 * is the section's duration parser, passed in so both read durations alike.
 */
export function replicasSchema(duration: z.ZodType<number, unknown>) {
  return z
    .object({
      id: optString().refine((v) => v === undefined || ID.test(v), {
        message: 'letters, digits, ".", "_" and "-" only, starting with a letter or digit, at most 253',
      }),
      advertiseUrl: optHttpUrl(),
      leaseTtl: duration.optional(),
      internalToken: z
        .string({
          error: (iss) => (iss.input === undefined ? 'required: a secret all replicas share' : undefined),
        })
        .refine((v) => v.length >= MIN_TOKEN_LENGTH, { message: `at least ${MIN_TOKEN_LENGTH} characters` }),
    })
    .optional();
}

type ParsedReplicas = NonNullable<z.output<ReturnType<typeof replicasSchema>>>;

/** Fills the defaults; sharing replicas needs PostgreSQL, which is checked here with the key path. */
export function normalizeReplicas(
  parsed: ParsedReplicas,
  database: DatabaseConfig,
  ctx: NormalizeContext,
): ReplicasConfig {
  const root = ['stitchboard', 'replicas'];
  if (database.client !== 'pg') {
    ctx.issues.error(
      root,
      'needs backend.database.client pg: replicas share the clusters through PostgreSQL (with SQLite, Stitchboard is one replica and needs no replicas section)',
    );
  }
  const leaseTtlMs = parsed.leaseTtl ?? DEFAULT_REPLICA_LEASE_TTL_MS;
  if (leaseTtlMs < 1000 || leaseTtlMs > 600_000) {
    ctx.issues.error([...root, 'leaseTtl'], 'must be from 1s to 10m');
  }
  const out: ReplicasConfig = {
    id: parsed.id ?? hostname(),
    leaseTtlMs,
    internalToken: parsed.internalToken,
  };
  if (parsed.advertiseUrl !== undefined) out.advertiseUrl = parsed.advertiseUrl.replace(/\/+$/, '');
  return out;
}
