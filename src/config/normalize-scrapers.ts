import { namespaceProblem, secretNameProblem } from '../kube/names.ts';
import { DEFAULT_LABEL_MAP, validateLabelMap } from '../topology/label-map.ts';
import type { LabelMap } from '../topology/types.ts';
import { knownClusters, unknownClusterProblem } from './cluster-names.ts';
import { quote } from './issues.ts';
import type { NormalizeContext } from './normalize-context.ts';
import { discoverySelectors } from './normalize-discovery.ts';
import { formatPath, type PathSegment } from './path.ts';
import {
  DEFAULT_CATALOG_INSTANCE,
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_SCRAPE_INTERVAL_MS,
  DEFAULT_SCRAPE_TIMEOUT_MS,
  type ParsedScrapers,
} from './scrapers-schema.ts';
import { endpointProblem, instanceNameProblem } from './scrapers-checks.ts';
import type {
  BackstageInstanceConfig,
  BackstageScraperConfig,
  CatalogScraperConfig,
  ClusterLocatorMethodConfig,
  ScrapersConfig,
} from './types.ts';

type ParsedInstance = ParsedScrapers['backstage']['instances'][number];

/** The default name of a Secret-based instance: where its Secret is. */
export function secretInstanceName(secret: { cluster?: string; namespace: string; name: string }): string {
  return [...(secret.cluster ? [secret.cluster] : []), secret.namespace, secret.name].join('/');
}

export function normalizeScrapers(
  parsed: ParsedScrapers,
  locators: readonly ClusterLocatorMethodConfig[],
  ctx: NormalizeContext,
  /** How many `stitchboard.catalog` entries there are: `scrapers.catalog` reads them. */
  catalogSources: number,
): ScrapersConfig {
  const root: PathSegment[] = ['scrapers', 'backstage'];
  const raw = parsed.backstage;
  const out: BackstageScraperConfig = {
    enabled: raw.enabled,
    intervalMs: raw.interval ?? DEFAULT_SCRAPE_INTERVAL_MS,
    timeoutMs: raw.timeout ?? DEFAULT_SCRAPE_TIMEOUT_MS,
    leaseTtlMs: raw.leaseTtl ?? DEFAULT_LEASE_TTL_MS,
    labelMap: labelMapAt(raw.label_map, [...root, 'label_map'], DEFAULT_LABEL_MAP, ctx),
    discovery: {
      enabled: raw.discovery.enabled,
      namespaces: [],
      ...discoverySelectors(raw.discovery.labelSelector, [...root, 'discovery', 'labelSelector'], ctx),
    },
    instances: [],
  };
  if (raw.cluster !== undefined) out.cluster = raw.cluster;
  const discoveryCluster = raw.discovery.cluster ?? raw.cluster;
  if (discoveryCluster !== undefined) out.discovery.cluster = discoveryCluster;
  raw.discovery.namespaces.forEach((ns, i) => {
    const problem = namespaceProblem(ns);
    if (problem) ctx.issues.error([...root, 'discovery', 'namespaces', i], problem);
  });
  out.discovery.namespaces = [...new Set(raw.discovery.namespaces)];

  const names = new Map<string, number>();
  raw.instances.forEach((entry, i) => {
    const path = [...root, 'instances', i];
    const instance = normalizeInstance(entry, path, raw.cluster, out.labelMap, ctx);
    if (!instance) return;
    const first = names.get(instance.name);
    if (first !== undefined) {
      ctx.issues.error(
        [...path, 'name'],
        `instance name ${quote(instance.name)} is already used by instances[${first}]; names must be unique`,
      );
      return;
    }
    names.set(instance.name, i);
    out.instances.push(instance);
  });
  warnUnknownClusters(raw, locators, root, ctx);
  if (!parsed.catalog) return { backstage: out };
  return { backstage: out, catalog: normalizeCatalog(parsed.catalog, out, catalogSources, ctx) };
}

function normalizeCatalog(
  raw: NonNullable<ParsedScrapers['catalog']>,
  backstage: BackstageScraperConfig,
  catalogSources: number,
  ctx: NormalizeContext,
): CatalogScraperConfig {
  const root: PathSegment[] = ['scrapers', 'catalog'];
  const name = raw.name ?? DEFAULT_CATALOG_INSTANCE;
  const problem = instanceNameProblem(name);
  if (problem) ctx.issues.error([...root, 'name'], problem);
  const taken = raw.enabled ? backstage.instances.findIndex((i) => i.name === name) : -1;
  if (taken >= 0) {
    ctx.issues.error(
      [...root, raw.name === undefined ? 'enabled' : 'name'],
      `instance name ${quote(name)} is already used by scrapers.backstage.instances[${taken}]; names must be unique${raw.name === undefined ? ' (set scrapers.catalog.name)' : ''}`,
    );
  }
  if (raw.enabled && catalogSources === 0) {
    ctx.issues.warn(
      [...root, 'enabled'],
      'stitchboard.catalog lists no source: there is no catalog to stitch from',
    );
  }
  return {
    enabled: raw.enabled,
    name,
    labelMap: labelMapAt(raw.label_map, [...root, 'label_map'], backstage.labelMap, ctx),
  };
}

function normalizeInstance(
  entry: ParsedInstance,
  path: PathSegment[],
  defaultCluster: string | undefined,
  defaultLabelMap: LabelMap,
  ctx: NormalizeContext,
): BackstageInstanceConfig | undefined {
  const labelMap = labelMapAt(entry.label_map, [...path, 'label_map'], defaultLabelMap, ctx);
  const before = ctx.issues.errors.length;
  if (entry.name !== undefined) {
    const problem = instanceNameProblem(entry.name);
    if (problem) ctx.issues.error([...path, 'name'], problem);
  }
  if (entry.secretName !== undefined && entry.endpoint !== undefined) {
    ctx.issues.error(
      [...path, 'endpoint'],
      'set either secretName (the endpoint is read from that Secret) or endpoint, not both',
    );
    return undefined;
  }
  if (entry.secretName !== undefined) {
    const problem = secretNameProblem(entry.secretName);
    if (problem) ctx.issues.error([...path, 'secretName'], problem);
    if (entry.namespace === undefined) {
      ctx.issues.error([...path, 'namespace'], 'required with secretName: the namespace of the Secret');
    } else {
      const nsProblem = namespaceProblem(entry.namespace);
      if (nsProblem) ctx.issues.error([...path, 'namespace'], nsProblem);
    }
    for (const key of ['token', 'insecure_skip_verify'] as const) {
      if (key === 'token' ? entry.token !== undefined : entry.insecure_skip_verify) {
        ctx.issues.warn([...path, key], 'ignored with secretName: the Secret’s own key is used');
      }
    }
    if (ctx.issues.errors.length > before || entry.namespace === undefined) return undefined;
    const cluster = entry.cluster ?? defaultCluster;
    const secret = { namespace: entry.namespace, name: entry.secretName, ...(cluster ? { cluster } : {}) };
    return {
      source: 'secret',
      name: entry.name ?? secretInstanceName(secret),
      secretName: entry.secretName,
      namespace: entry.namespace,
      ...(cluster ? { cluster } : {}),
      labelMap,
    };
  }
  if (entry.endpoint === undefined) {
    ctx.issues.error(
      [...path, 'secretName'],
      'required: set secretName and namespace (a Secret holding endpoint and token), or endpoint',
    );
    return undefined;
  }
  const problem = endpointProblem(entry.endpoint);
  if (problem) ctx.issues.error([...path, 'endpoint'], problem);
  for (const key of ['namespace', 'cluster'] as const) {
    if (entry[key] !== undefined) {
      ctx.issues.warn([...path, key], 'ignored with endpoint (no Secret is read)');
    }
  }
  if (entry.insecure_skip_verify) {
    ctx.issues.warn([...path, 'insecure_skip_verify'], 'TLS verification of this Backstage is off');
  }
  if (ctx.issues.errors.length > before) return undefined;
  const instance: BackstageInstanceConfig = {
    source: 'config',
    name: entry.name ?? new URL(entry.endpoint).host,
    endpoint: entry.endpoint,
    insecureSkipVerify: entry.insecure_skip_verify,
    labelMap,
  };
  if (entry.token !== undefined) instance.token = entry.token;
  return instance;
}

function labelMapAt(raw: unknown, path: PathSegment[], fallback: LabelMap, ctx: NormalizeContext): LabelMap {
  if (raw === undefined || raw === null) return fallback;
  const result = validateLabelMap(raw, formatPath(path));
  if (result.ok) return result.labelMap;
  for (const issue of result.issues) ctx.issues.error(issue.path, issue.message);
  return fallback;
}

/** A cluster no static locator defines may be a typo, or one a catalog, GKE or custom locator supplies. */
function warnUnknownClusters(
  raw: ParsedScrapers['backstage'],
  locators: readonly ClusterLocatorMethodConfig[],
  root: PathSegment[],
  ctx: NormalizeContext,
): void {
  const known = knownClusters(locators);
  const check = (value: string | undefined, path: PathSegment[]) => {
    const problem =
      value === undefined
        ? undefined
        : unknownClusterProblem(value, known, 'fine if a dynamic locator supplies it');
    if (problem) ctx.issues.warn(path, problem);
  };
  check(raw.cluster, [...root, 'cluster']);
  check(raw.discovery.cluster, [...root, 'discovery', 'cluster']);
  raw.instances.forEach((entry, i) => {
    if (entry.secretName !== undefined) check(entry.cluster, [...root, 'instances', i, 'cluster']);
  });
}
