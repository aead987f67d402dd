import { OBJECT_TYPES, type ObjectType } from '../contract/kubernetes.ts';
import { staticClusterNames } from './cluster-names.ts';
import type { ClusterLocatorMethodConfig, ConfigClusterConfig, KubernetesConfig } from './types.ts';
import type { ParsedConfigCluster } from './cluster-schema.ts';
import type { ParsedKubernetes } from './kubernetes-schema.ts';
import type { ParsedClusterLocator } from './locator-schema.ts';
import type { NormalizeContext } from './normalize-context.ts';
import { FRONTEND_OIDC_PROVIDERS } from './auth-metadata.ts';
import { configClusterAuthMetadata } from './auth-providers.ts';
import { OIDC_TOKEN_PROVIDER_KEY } from './auth-metadata.ts';
import { oneOfList, quote } from './issues.ts';
import { normalizeMiddlewareCache } from './middleware-cache.ts';
import type { PathSegment } from './path.ts';

export const DASHBOARD_APPS = ['standard', 'rancher', 'openshift', 'aks', 'eks', 'gke', 'headlamp'] as const;
const OVERRIDE_KEYS: readonly string[] = [...OBJECT_TYPES, 'customresources'];
const ROOT = ['kubernetes'] as const;

/** Fills Backstage's defaults and turns what Backstage silently ignores into warnings. */
export function normalizeKubernetes(parsed: ParsedKubernetes, ctx: NormalizeContext): KubernetesConfig {
  const locatorsPath = [...ROOT, 'clusterLocatorMethods'];
  const out: KubernetesConfig = {
    serviceLocatorMethod: { type: parsed.serviceLocatorMethod.type },
    clusterLocatorMethods: parsed.clusterLocatorMethods.map((locator, i) =>
      normalizeLocator(locator, [...locatorsPath, i], ctx),
    ),
    clusterLocatorContinueOnError: parsed.clusterLocatorContinueOnError,
    customResources: parsed.customResources,
    apiVersionOverrides: normalizeOverrides(parsed.apiVersionOverrides, ctx),
    proxy: {
      enabled: parsed.proxy.enabled,
      middlewareCache: normalizeMiddlewareCache(
        parsed.proxy.middlewareCache,
        [...ROOT, 'proxy', 'middlewareCache'],
        ctx,
      ),
    },
  };
  if (parsed.objectTypes) out.objectTypes = normalizeObjectTypes(parsed.objectTypes, ctx);
  if (parsed.googleServiceAccountCredentials !== undefined) {
    out.googleServiceAccountCredentials = parsed.googleServiceAccountCredentials;
  }
  if (parsed.frontend) out.frontend = parsed.frontend;
  if (parsed.podExecTerminal) out.podExecTerminal = parsed.podExecTerminal;
  warnCrossLocatorDuplicates(out.clusterLocatorMethods, ctx);
  return out;
}

function normalizeLocator(
  locator: ParsedClusterLocator,
  path: PathSegment[],
  ctx: NormalizeContext,
): ClusterLocatorMethodConfig {
  switch (locator.type) {
    case 'config':
      return {
        type: 'config',
        clusters: locator.clusters.map((cluster, i) =>
          normalizeCluster(cluster, [...path, 'clusters', i], ctx),
        ),
      };
    case 'catalog':
      return { ...locator };
    case 'localKubectlProxy':
      return { type: 'localKubectlProxy' };
    case 'custom':
      return {
        type: 'custom',
        module: ctx.resolvePath([...path, 'module'], locator.module),
        options: locator.options,
      };
    case 'gke': {
      let authProvider: 'google' | 'googleServiceAccount' = 'google';
      if (locator.authProvider === 'googleServiceAccount') authProvider = 'googleServiceAccount';
      else if (locator.authProvider !== undefined && locator.authProvider !== 'google') {
        ctx.issues.warn(
          [...path, 'authProvider'],
          `${quote(locator.authProvider)} is not a GKE auth provider; using "google" as Backstage does (expected one of: google, googleServiceAccount)`,
        );
      }
      return { ...locator, authProvider };
    }
  }
}

function normalizeCluster(
  cluster: ParsedConfigCluster,
  path: PathSegment[],
  ctx: NormalizeContext,
): ConfigClusterConfig {
  const out: ConfigClusterConfig = { ...withoutUndefined(cluster) };
  if (cluster.caFile !== undefined) out.caFile = ctx.resolvePath([...path, 'caFile'], cluster.caFile);
  if (cluster.skipTLSVerify) {
    ctx.issues.warn(
      [...path, 'skipTLSVerify'],
      'TLS verification is off for this cluster; use it only for development',
    );
  }
  if (
    cluster.dashboardApp !== undefined &&
    !(DASHBOARD_APPS as readonly string[]).includes(cluster.dashboardApp)
  ) {
    ctx.issues.warn(
      [...path, 'dashboardApp'],
      `the Backstage frontend has no dashboard app ${quote(cluster.dashboardApp)} (${oneOfList(DASHBOARD_APPS)})`,
    );
  }
  const oidc = configClusterAuthMetadata(cluster)[OIDC_TOKEN_PROVIDER_KEY];
  if (oidc !== undefined && !(FRONTEND_OIDC_PROVIDERS as readonly string[]).includes(oidc)) {
    ctx.issues.warn(
      [...path, 'oidcTokenProvider'],
      `the stock Backstage frontend has no OIDC provider ${quote(oidc)} (${oneOfList(FRONTEND_OIDC_PROVIDERS)}); the Kubernetes tab fails unless the app registers one`,
    );
  }
  return out;
}

function normalizeObjectTypes(values: string[], ctx: NormalizeContext): ObjectType[] {
  const wanted = new Set<string>();
  values.forEach((value, i) => {
    if ((OBJECT_TYPES as readonly string[]).includes(value)) wanted.add(value);
    else {
      const why = value === 'customresources' ? ' (custom resources are set with customResources)' : '';
      ctx.issues.warn(
        [...ROOT, 'objectTypes', i],
        `unknown object type ${quote(value)}, ignored as Backstage does${why}`,
      );
    }
  });
  return OBJECT_TYPES.filter((type) => wanted.has(type));
}

function normalizeOverrides(
  overrides: Record<string, string>,
  ctx: NormalizeContext,
): KubernetesConfig['apiVersionOverrides'] {
  const out: Record<string, string> = {};
  for (const [key, version] of Object.entries(overrides)) {
    if (OVERRIDE_KEYS.includes(key)) out[key] = version;
    else {
      ctx.issues.warn(
        [...ROOT, 'apiVersionOverrides', key],
        `unknown object type ${quote(key)}, ignored as Backstage does`,
      );
    }
  }
  return out;
}

/** Backstage only warns when two locators yield the same name; we can only see the static ones. */
function warnCrossLocatorDuplicates(locators: ClusterLocatorMethodConfig[], ctx: NormalizeContext): void {
  const seen = new Map<string, number>();
  locators.forEach((locator, i) => {
    const names = staticClusterNames(locator);
    for (const name of new Set(names)) {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else {
        const at = locator.type === 'config' ? ['clusters', names.indexOf(name), 'name'] : ['type'];
        ctx.issues.warn(
          [...ROOT, 'clusterLocatorMethods', i, ...at],
          `cluster name ${quote(name)} is also defined by clusterLocatorMethods[${first}]; only the first is used`,
        );
      }
    }
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
