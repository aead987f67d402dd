import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { AUTH_PROVIDERS, authProviderSpec, locatorAuthProblems } from '../config/auth-providers.ts';
import { caDataProblem } from '../config/ca-data.ts';
import { DASHBOARD_APPS } from '../config/normalize-kubernetes.ts';
import { AUTH_PROVIDER_KEY, OIDC_TOKEN_PROVIDER_KEY, type ClusterDetails } from './types.ts';

/** The `kubernetes.io/*` annotations of a `kubernetes-cluster` Resource (Backstage's constants). */
export const CLUSTER_ANNOTATIONS = {
  apiServer: 'kubernetes.io/api-server',
  caData: 'kubernetes.io/api-server-certificate-authority',
  authProvider: AUTH_PROVIDER_KEY,
  oidcTokenProvider: OIDC_TOKEN_PROVIDER_KEY,
  skipMetricsLookup: 'kubernetes.io/skip-metrics-lookup',
  skipTLSVerify: 'kubernetes.io/skip-tls-verify',
  dashboardUrl: 'kubernetes.io/dashboard-url',
  dashboardApp: 'kubernetes.io/dashboard-app',
  dashboardParameters: 'kubernetes.io/dashboard-parameters',
  awsAssumeRole: 'kubernetes.io/aws-assume-role',
  awsExternalId: 'kubernetes.io/aws-external-id',
  awsClusterId: 'kubernetes.io/x-k8s-aws-id',
} as const;

const REQUIRED = [
  CLUSTER_ANNOTATIONS.apiServer,
  CLUSTER_ANNOTATIONS.caData,
  CLUSTER_ANNOTATIONS.authProvider,
];
const A = CLUSTER_ANNOTATIONS;

/** A catalog cluster before its URL is checked and Stitchboard's per-cluster settings are applied. */
export type CatalogClusterDraft = Omit<ClusterDetails, 'timeoutMs' | 'mode'>;

export type CatalogClusterResult =
  | { ok: true; cluster: CatalogClusterDraft; warnings: string[] }
  | { ok: false; problem: string; warnings: string[] };

/**
 * One Resource entity → cluster details, as Backstage's CatalogClusterLocator maps it, except that what
 * Backstage drops silently or fails on later is said here: every message names the entity and the
 * annotation. Values are never quoted where they may be secret (the CA, the URL).
 */
export function catalogCluster(
  entity: Entity,
  options: { allowSkipTLSVerify: boolean },
): CatalogClusterResult {
  const ref = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const at = (key: string) => `catalog cluster ${ref}: annotation ${key}`;
  const warnings: string[] = [];
  const skip = (problem: string): CatalogClusterResult => ({ ok: false, problem, warnings });

  for (const key of REQUIRED) {
    if (!annotations[key]) return skip(`${at(key)} is missing; the cluster is skipped`);
  }
  const caProblem = caDataProblem(annotations[A.caData] ?? '');
  if (caProblem) return skip(`${at(A.caData)} ${caProblem}; the cluster is skipped`);
  const provider = annotations[A.authProvider] ?? '';
  const spec = authProviderSpec(provider);
  if (spec && !spec.inCatalog) {
    return skip(
      `${at(A.authProvider)} is ${JSON.stringify(provider)}, which the catalog locator refuses: a service-account token must never live in an annotation. Define this cluster in a config locator instead; the cluster is skipped`,
    );
  }
  if (!spec) {
    return skip(
      `${at(A.authProvider)} names the unknown auth provider ${JSON.stringify(provider)} (expected one of: ${AUTH_PROVIDERS.filter((p) => authProviderSpec(p)?.inCatalog).join(', ')}); the cluster is skipped`,
    );
  }
  const [problem] = locatorAuthProblems(provider, annotations);
  if (problem) return skip(`${at(problem.key)}: ${problem.problem}; the cluster is skipped`);

  const flag = (key: string): boolean => {
    const value = annotations[key];
    if (value !== undefined && value !== 'true' && value !== 'false') {
      warnings.push(`${at(key)} is ${JSON.stringify(value)}; only "true" turns it on, so it is off`);
    }
    return value === 'true';
  };
  let skipTLSVerify = flag(A.skipTLSVerify);
  if (skipTLSVerify && !options.allowSkipTLSVerify) {
    warnings.push(
      `${at(A.skipTLSVerify)} is ignored: the catalog locator does not set dangerouslyAllowSkipTLSVerify, so TLS is verified`,
    );
    skipTLSVerify = false;
  } else if (skipTLSVerify) {
    warnings.push(`${at(A.skipTLSVerify)}: TLS verification is off for this cluster`);
  }

  const cluster: CatalogClusterDraft = {
    name: entity.metadata.name,
    url: annotations[A.apiServer] ?? '',
    caData: annotations[A.caData] ?? '',
    authMetadata: authMetadataOf(annotations),
    skipTLSVerify,
    skipMetricsLookup: flag(A.skipMetricsLookup),
  };
  if (entity.metadata.title) cluster.title = entity.metadata.title;
  const dashboardUrl = annotations[A.dashboardUrl];
  if (dashboardUrl) {
    if (isHttpUrl(dashboardUrl)) cluster.dashboardUrl = dashboardUrl;
    else warnings.push(`${at(A.dashboardUrl)} is not an http(s) URL; the cluster has no dashboard link`);
  }
  const dashboardApp = annotations[A.dashboardApp];
  if (dashboardApp) {
    cluster.dashboardApp = dashboardApp;
    if (!(DASHBOARD_APPS as readonly string[]).includes(dashboardApp)) {
      warnings.push(
        `${at(A.dashboardApp)} names the unknown dashboard app ${JSON.stringify(dashboardApp)} (expected one of: ${DASHBOARD_APPS.join(', ')})`,
      );
    }
  }
  const parameters = annotations[A.dashboardParameters];
  if (parameters) {
    const parsed = parseObject(parameters);
    if (typeof parsed === 'string') warnings.push(`${at(A.dashboardParameters)} ${parsed}; it is ignored`);
    else cluster.dashboardParameters = parsed;
  }
  return { ok: true, cluster, warnings };
}

/** Every `kubernetes.io/` annotation; a `serviceAccountToken` key never gets through (Backstage's block list). */
export function authMetadataOf(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).filter(
      ([key]) => key.startsWith('kubernetes.io/') && key !== 'serviceAccountToken',
    ),
  );
}

function parseObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not valid JSON (expected a JSON object such as {"region": "eu-west-1"})';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return `must be a JSON object, not ${got}`;
  }
  return value as Record<string, unknown>;
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
