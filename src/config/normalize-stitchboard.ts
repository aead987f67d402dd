import { resolve } from 'node:path';
import type { CatalogSourceConfig, ClusterLocatorMethodConfig, StitchboardSection } from './types.ts';
import {
  DEFAULT_GKE_REFRESH_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WATCH_STALE_AFTER_MS,
  DEFAULT_WATCH_IDLE_TIMEOUT_MS,
  type ParsedStitchboard,
} from './stitchboard-schema.ts';
import { knownClusters, unknownClusterProblem } from './cluster-names.ts';
import type { NormalizeContext } from './normalize-context.ts';
import { normalizeBackstageTokens, normalizePermissions } from './normalize-access.ts';
import type { PathSegment } from './path.ts';

const ROOT = ['stitchboard'] as const;

export function normalizeStitchboard(parsed: ParsedStitchboard, ctx: NormalizeContext): StitchboardSection {
  const dataDir =
    parsed.dataDir === undefined
      ? resolve(ctx.cwd, '.data')
      : ctx.resolvePath([...ROOT, 'dataDir'], parsed.dataDir);
  const clusters: StitchboardSection['kubernetes']['clusters'] = {};
  for (const [name, tuning] of Object.entries(parsed.kubernetes.clusters)) {
    clusters[name] = {};
    if (tuning.timeout !== undefined) clusters[name].timeoutMs = tuning.timeout;
    if (tuning.mode !== undefined) clusters[name].mode = tuning.mode;
  }
  const out: StitchboardSection = {
    dataDir,
    catalog: parsed.catalog.map((source, i) => normalizeCatalog(source, [...ROOT, 'catalog', i], ctx)),
    kubernetes: {
      timeoutMs: parsed.kubernetes.timeout ?? DEFAULT_TIMEOUT_MS,
      mode: parsed.kubernetes.mode,
      clusters,
      gkeRefreshIntervalMs: parsed.kubernetes.gkeRefreshInterval ?? DEFAULT_GKE_REFRESH_INTERVAL_MS,
      watchStaleAfterMs: parsed.kubernetes.watchStaleAfter ?? DEFAULT_WATCH_STALE_AFTER_MS,
      watchIdleTimeoutMs: parsed.kubernetes.watchIdleTimeout ?? DEFAULT_WATCH_IDLE_TIMEOUT_MS,
    },
  };
  const backstageTokens = parsed.auth?.backstageTokens;
  if (backstageTokens) out.auth = { backstageTokens: normalizeBackstageTokens(backstageTokens) };
  if (parsed.permissions) {
    out.permissions = normalizePermissions(parsed.permissions, [...ROOT, 'permissions'], ctx);
  }
  return out;
}

function normalizeCatalog(
  source: ParsedStitchboard['catalog'][number],
  path: PathSegment[],
  ctx: NormalizeContext,
): CatalogSourceConfig {
  if (source.type === 'file') {
    const paths = [
      ...(source.path === undefined ? [] : [ctx.resolvePath([...path, 'path'], source.path)]),
      ...(source.paths ?? []).map((p, i) => ctx.resolvePath([...path, 'paths', i], p)),
    ];
    return { type: 'file', paths };
  }
  let endpoint = source.endpoint;
  if (endpoint.endsWith('/')) {
    endpoint = endpoint.replace(/\/+$/, '');
    ctx.issues.warn([...path, 'endpoint'], 'trailing "/" removed');
  }
  const { insecureSkipVerify: camel, insecure_skip_verify: snake } = source;
  if (camel !== undefined && snake !== undefined && camel !== snake) {
    ctx.issues.warn([...path, 'insecure_skip_verify'], 'conflicts with insecureSkipVerify, which wins');
  }
  const insecureSkipVerify = camel ?? snake ?? false;
  if (insecureSkipVerify) {
    ctx.issues.warn(
      [...path, camel !== undefined ? 'insecureSkipVerify' : 'insecure_skip_verify'],
      'TLS verification of the catalog is off',
    );
  }
  const out: CatalogSourceConfig = { type: 'backstage', endpoint, insecureSkipVerify };
  if (source.token !== undefined) out.token = source.token;
  return out;
}

/** A per-cluster override for a name no static locator defines may be a typo, or a catalog/GKE cluster. */
export function warnUnknownClusterOverrides(
  overrides: StitchboardSection['kubernetes']['clusters'],
  locators: readonly ClusterLocatorMethodConfig[],
  ctx: NormalizeContext,
): void {
  const known = knownClusters(locators);
  for (const name of Object.keys(overrides)) {
    const problem = unknownClusterProblem(
      name,
      known,
      'fine if a catalog, GKE or custom locator supplies it',
    );
    if (problem) ctx.issues.warn([...ROOT, 'kubernetes', 'clusters', name], problem);
  }
}
