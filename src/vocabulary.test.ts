import { describe, expect, it } from 'vitest';
import { AnonymousStrategy } from './auth/anonymous.ts';
import { defaultAuthStrategies } from './auth/dispatch.ts';
import { RequestTokenStrategy } from './auth/request-token.ts';
import { KIND_OF_TYPE, KINDS, OBJECT_TYPES, kindRoute, type KindRouteApp } from './contract/kinds.ts';
import { DASHBOARD_FORMATTERS, formatDashboardLink } from './dashboards/format-link.ts';
import { SERVER_SIDE_PROVIDERS } from './fetch/watch/watch-fetcher.ts';
import { ALL_OBJECTS, CLUSTER_SCOPED, listPath, selectObjectTypes } from './kube/object-types.ts';
import { kindInfo } from '../tools/kube/paths.ts';
import { catalogCluster } from './clusters/catalog-cluster.ts';
import { clusterResource } from './clusters/catalog-test-support.ts';
import { suppliedClusterProblems } from './clusters/cluster-details-check.ts';
import { AUTH_PROVIDER_KEY, OIDC_TOKEN_PROVIDER_KEY } from './clusters/types.ts';
import { configClusterSchema } from './config/cluster-schema.ts';
import { AUTH_PROVIDER_TABLE, AUTH_PROVIDERS, WATCHABLE_PROVIDERS } from './config/auth-providers.ts';

// Adding a provider or a kind to its table without wiring every consumer fails here.

describe('the auth provider table', () => {
  const strategies = defaultAuthStrategies({});

  it.each(AUTH_PROVIDERS)('%s has a strategy in the dispatcher', (name) => {
    const strategy = strategies.get(name);
    expect(strategy).toBeDefined();
    const fromRequest = AUTH_PROVIDER_TABLE[name].credential === 'request';
    expect(strategy instanceof RequestTokenStrategy).toBe(fromRequest);
  });

  // What each provider needs to pass its locator rules (oidc: a token provider).
  const valid = (name: string): Record<string, string> =>
    name === 'oidc'
      ? { [AUTH_PROVIDER_KEY]: name, [OIDC_TOKEN_PROVIDER_KEY]: 'okta' }
      : { [AUTH_PROVIDER_KEY]: name };

  it.each(AUTH_PROVIDERS)(
    '%s is accepted by the config, custom and (unless refused) catalog locators',
    (name) => {
      const parsed = configClusterSchema.safeParse({
        name: 'c',
        url: 'https://kube.example.com',
        authMetadata: valid(name),
      });
      expect(parsed.success).toBe(true);
      expect(
        suppliedClusterProblems({ name: 'c', url: 'https://kube.example.com', authMetadata: valid(name) }, 0),
      ).toEqual([]);
      const fromCatalog = catalogCluster(clusterResource('c', valid(name)), { allowSkipTLSVerify: false });
      expect(fromCatalog.ok).toBe(AUTH_PROVIDER_TABLE[name].inCatalog);
    },
  );

  it('the dispatcher knows exactly the table’s providers', () => {
    expect([...strategies.keys()]).toEqual(AUTH_PROVIDERS);
  });

  it('the watch cache serves exactly the watchable providers, all of them server-side', () => {
    expect(SERVER_SIDE_PROVIDERS).toEqual(WATCHABLE_PROVIDERS);
    expect(WATCHABLE_PROVIDERS).toEqual(['serviceAccount', 'localKubectlProxy']);
    for (const name of WATCHABLE_PROVIDERS) expect(AUTH_PROVIDER_TABLE[name].credential).toBe('server');
    expect(strategies.get('localKubectlProxy')).toBeInstanceOf(AnonymousStrategy);
  });
});

describe('the kind table', () => {
  it('object types, ALL_OBJECTS and KIND_OF_TYPE are its fetched kinds, in Backstage’s order', () => {
    const fetched = KINDS.filter((k) => 'fetch' in k);
    expect(OBJECT_TYPES).toEqual(fetched.map((k) => k.plural));
    expect(ALL_OBJECTS.map((o) => o.objectType)).toEqual(OBJECT_TYPES);
    expect(Object.keys(KIND_OF_TYPE)).toEqual(OBJECT_TYPES);
    expect(OBJECT_TYPES).toHaveLength(16);
  });

  it.each(KINDS.filter((k) => 'fetch' in k))('$plural is listed at its group, version and scope', (k) => {
    const [selected] = selectObjectTypes({ objectTypes: [k.plural as (typeof OBJECT_TYPES)[number]] });
    expect(selected).toEqual({
      objectType: k.plural,
      group: k.group,
      apiVersion: k.version,
      plural: k.plural,
    });
    expect(CLUSTER_SCOPED.has(k.plural)).toBe(!k.namespaced);
    const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
    expect(listPath({ group: k.group, apiVersion: k.version, plural: k.plural }, 'ns')).toBe(
      `${base}${k.namespaced ? '/namespaces/ns' : ''}/${k.plural}`,
    );
  });

  it.each([...KINDS])('$kind has its plural and scope in the lab’s REST paths', (k) => {
    expect(kindInfo({ kind: k.kind })).toEqual({ plural: k.plural, namespaced: k.namespaced });
  });

  const DASHBOARD_SETTINGS: Record<
    KindRouteApp,
    { dashboardUrl?: string; dashboardParameters?: Record<string, unknown> }
  > = {
    standard: { dashboardUrl: 'https://dash.example.com/' },
    rancher: { dashboardUrl: 'https://dash.example.com/' },
    openshift: { dashboardUrl: 'https://dash.example.com/' },
    headlamp: { dashboardUrl: 'https://dash.example.com/' },
    gke: { dashboardParameters: { projectId: 'p', region: 'europe-west1', clusterName: 'c' } },
    eks: { dashboardParameters: { region: 'eu-west-1', clusterName: 'c' } },
  };
  const routes = KINDS.flatMap((k) =>
    Object.entries('dashboards' in k ? k.dashboards : {}).map(([app, route]) => ({
      kind: k.kind,
      namespaced: k.namespaced,
      app: app as KindRouteApp,
      route,
    })),
  );

  it.each(routes)('$app links a $kind to its page ($route)', ({ kind, namespaced, app, route }) => {
    expect(DASHBOARD_FORMATTERS).toHaveProperty(app);
    expect(kindRoute(app, kind.toUpperCase())).toEqual({ route, namespaced });
    const link = formatDashboardLink({
      cluster: { name: 'c', dashboardApp: app, ...DASHBOARD_SETTINGS[app] },
      object: { metadata: { name: 'obj', ...(namespaced ? { namespace: 'ns' } : {}) } },
      kind,
    });
    expect(decodeURIComponent(link ?? '')).toContain(`/${route}/`);
  });
});
