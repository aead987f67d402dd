import { z } from 'zod';
import { matchesLabels, parseLabelSelector } from '../kube/label-selector.ts';
import { namespaceProblem, secretNameProblem } from '../kube/names.ts';
import { validateLabelMap } from '../topology/label-map.ts';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import type { LabelMap } from '../topology/types.ts';
import { quote } from './issues.ts';
import type { NormalizeContext } from './normalize-context.ts';
import { formatPath, typeName, type PathSegment } from './path.ts';
import { bool, optString, urlProblem } from './schema-helpers.ts';
import { durationSchema as duration } from './duration.ts';
import type {
  BackstageInstanceConfig,
  BackstageScraperConfig,
  CatalogScraperConfig,
  ClusterLocatorMethodConfig,
  ScrapersConfig,
} from './types.ts';

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
type ParsedInstance = ParsedScrapers['backstage']['instances'][number];

const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/:-]*$/;

export function instanceNameProblem(value: string): string | undefined {
  if (value.length > 200 || !INSTANCE_NAME.test(value)) {
    return 'an instance name is letters, digits and . _ / : - (starting with a letter or digit), at most 200 characters';
  }
  return undefined;
}

/**
 * Why a Backstage endpoint is unusable, or undefined. The seed's rule: a base URL without a trailing
 * slash. Never echoes the value, which may carry credentials.
 */
export function endpointProblem(value: string): string | undefined {
  const problem = urlProblem(value);
  if (problem) return problem.replace('https://host:6443', 'https://backstage.example.com');
  if (value.endsWith('/')) {
    return 'must not end with "/": give the base URL, e.g. https://backstage.example.com';
  }
  const url = new URL(value);
  if (url.search || url.hash) return 'must not have a query or fragment: give the base URL';
  return undefined;
}

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

/**
 * `discovery.labelSelector`: one Kubernetes label selector or a list of them; a Secret matching any
 * is discovered. New Secrets (POST /api/stitchboard/instances) get the first selector's `key=value`
 * pairs as labels, so that selector must be one such labels can satisfy.
 */
function discoverySelectors(
  raw: string | string[] | undefined,
  path: PathSegment[],
  ctx: NormalizeContext,
): { labelSelectors: string[]; secretLabels: Record<string, string> } {
  const fallback = DEFAULT_DISCOVERY_MATCH;
  if (raw === undefined) return fallback;
  const list = typeof raw === 'string' ? [raw] : raw;
  const at = (i: number) => (typeof raw === 'string' ? path : [...path, i]);
  if (list.length === 0) {
    ctx.issues.error(path, 'must list at least one label selector; omit the key for the defaults');
    return fallback;
  }
  let ok = true;
  list.forEach((selector, i) => {
    if (selector.trim() === '') {
      ctx.issues.error(
        at(i),
        'an empty selector would match every Secret; give one such as causely.ai/scraper=Backstage',
      );
      ok = false;
      return;
    }
    const parsed = parseLabelSelector(selector);
    if (!parsed.ok) {
      ctx.issues.error(at(i), `not a label selector: ${parsed.error}`);
      ok = false;
    }
  });
  if (!ok) return fallback;
  const first = list[0] as string;
  const secretLabels = labelsFor(first);
  const requirements = parseLabelSelector(first);
  if (requirements.ok && !matchesLabels(requirements.requirements, secretLabels)) {
    ctx.issues.error(
      at(0),
      'new instance Secrets are labelled with the first selector’s key=value pairs, which do not satisfy it; start the list with a selector of key=value pairs',
    );
  }
  return { labelSelectors: [...new Set(list.map((s) => s.trim()))], secretLabels };
}

/** The labels a selector's `key=value` (and `key in (v, ...)`, first value) requirements ask for. */
function labelsFor(selector: string): Record<string, string> {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) return {};
  const labels: Record<string, string> = {};
  for (const r of parsed.requirements) {
    if (r.op === 'in' && r.values[0] !== undefined) labels[r.key] = r.values[0];
  }
  return labels;
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
  const known = new Set<string>();
  for (const locator of locators) {
    if (locator.type === 'config') locator.clusters.forEach((c) => known.add(c.name));
    if (locator.type === 'localKubectlProxy') known.add('local');
  }
  const dynamic = locators.some((l) => l.type !== 'config' && l.type !== 'localKubectlProxy');
  const check = (value: string | undefined, path: PathSegment[]) => {
    if (value === undefined || known.has(value)) return;
    ctx.issues.warn(
      path,
      `no cluster named ${quote(value)} in kubernetes.clusterLocatorMethods${dynamic ? ' (fine if a dynamic locator supplies it)' : ''}`,
    );
  };
  check(raw.cluster, [...root, 'cluster']);
  check(raw.discovery.cluster, [...root, 'discovery', 'cluster']);
  raw.instances.forEach((entry, i) => {
    if (entry.secretName !== undefined) check(entry.cluster, [...root, 'instances', i, 'cluster']);
  });
}
