import { describe, expect, it } from 'vitest';
import { gkeLocator, PEM_BASE64 } from './test-support.ts';
import { validateConfig } from './validate.ts';

const CWD = '/srv/stitchboard';
const validate = (raw: Record<string, unknown>) => validateConfig(raw, { cwd: CWD });

const cluster = (over: Record<string, unknown> = {}) => ({
  name: 'dev',
  url: 'https://dev.example.com:6443',
  authProvider: 'serviceAccount',
  ...over,
});
const withLocators = (locators: unknown[], extra: Record<string, unknown> = {}) => ({
  kubernetes: { serviceLocatorMethod: { type: 'multiTenant' }, clusterLocatorMethods: locators, ...extra },
});
const withClusters = (...clusters: unknown[]) => withLocators([{ type: 'config', clusters }]);
const withKubernetes = (extra: Record<string, unknown>) =>
  withLocators([{ type: 'config', clusters: [cluster()] }], extra);

const C0 = 'kubernetes.clusterLocatorMethods[0].clusters[0]';

/** `raw` is refused as a whole, with (at least) `message` at `path`. */
function expectRefused(raw: Record<string, unknown>, path: string, message: RegExp) {
  const { errors, config } = validate(raw);
  expect(config).toBeUndefined();
  expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
}

describe('kubernetes section: errors', () => {
  it.each([
    [
      'a missing serviceLocatorMethod',
      { kubernetes: { clusterLocatorMethods: [] } },
      'kubernetes.serviceLocatorMethod',
      /^required$/,
    ],
    [
      'the unimplemented http service locator',
      { kubernetes: { serviceLocatorMethod: { type: 'http' }, clusterLocatorMethods: [] } },
      'kubernetes.serviceLocatorMethod.type',
      /"http" service locator is not implemented/,
    ],
    [
      'an unknown service locator',
      { kubernetes: { serviceLocatorMethod: { type: 'everywhere' }, clusterLocatorMethods: [] } },
      'kubernetes.serviceLocatorMethod.type',
      /unknown service locator "everywhere" \(expected one of: multiTenant, singleTenant, catalogRelation\)/,
    ],
    [
      'missing clusterLocatorMethods',
      { kubernetes: { serviceLocatorMethod: { type: 'multiTenant' } } },
      'kubernetes.clusterLocatorMethods',
      /^required$/,
    ],
    [
      'an unknown locator type',
      withLocators([{ type: 'eks' }]),
      'kubernetes.clusterLocatorMethods[0].type',
      /unknown cluster locator type "eks" \(expected one of: config, catalog, gke, localKubectlProxy, custom\)/,
    ],
    [
      'a locator without a type',
      withLocators([{}]),
      'kubernetes.clusterLocatorMethods[0].type',
      /^required \(expected one of/,
    ],
    [
      'a locator that is not a mapping',
      withLocators(['config']),
      'kubernetes.clusterLocatorMethods[0]',
      /expected object, received string/,
    ],
    [
      'a config locator without clusters',
      withLocators([{ type: 'config' }]),
      'kubernetes.clusterLocatorMethods[0].clusters',
      /^required$/,
    ],
    [
      'a duplicate name in one locator',
      withClusters(cluster(), cluster({ url: 'https://other:6443' })),
      'kubernetes.clusterLocatorMethods[0].clusters[1].name',
      /duplicate cluster name "dev" \(also clusters\[0\]\)/,
    ],
    [
      'a gke locator without projectId',
      withLocators([{ type: 'gke' }]),
      'kubernetes.clusterLocatorMethods[0].projectId',
      /^required$/,
    ],
    [
      'a bad gke endpointType',
      withLocators([{ type: 'gke', projectId: 'p', endpointType: 'private' }]),
      'kubernetes.clusterLocatorMethods[0].endpointType',
      /unknown endpointType "private" \(expected one of: public, dns\)/,
    ],
    [
      'a gke label without a key',
      withLocators([{ type: 'gke', projectId: 'p', matchingResourceLabels: [{ value: 'x' }] }]),
      'kubernetes.clusterLocatorMethods[0].matchingResourceLabels[0].key',
      /^required$/,
    ],
    [
      'catalog allow-list entries that are not strings',
      withLocators([{ type: 'catalog', dangerouslyAllowClusterUrls: [5] }]),
      'kubernetes.clusterLocatorMethods[0].dangerouslyAllowClusterUrls[0]',
      /expected string, received number/,
    ],
    [
      'objectTypes that is not a list',
      withKubernetes({ objectTypes: 'pods' }),
      'kubernetes.objectTypes',
      /expected array, received string/,
    ],
    [
      'a non-string apiVersionOverride',
      withKubernetes({ apiVersionOverrides: { cronjobs: 1 } }),
      'kubernetes.apiVersionOverrides.cronjobs',
      /expected string, received number/,
    ],
    [
      'googleServiceAccountCredentials of the wrong type',
      withKubernetes({ googleServiceAccountCredentials: 42 }),
      'kubernetes.googleServiceAccountCredentials',
      /expected string, received number/,
    ],
  ])('%s', (_, raw, path, message) => expectRefused(raw, path, message));

  it.each([
    ['a cluster without a name', { name: undefined }, 'name', /^required$/],
    ['a cluster with an empty name', { name: '' }, 'name', /must not be empty/],
    ['a cluster without a url', { url: undefined }, 'url', /^required$/],
    ['an invalid url', { url: 'dev.example.com:6443' }, 'url', /not a valid URL/],
    ['a non-http url', { url: 'ftp://dev.example.com' }, 'url', /http or https URL, not ftp/],
    [
      'no authProvider',
      { authProvider: undefined },
      'authProvider',
      /^required \(expected one of: serviceAccount, google/,
    ],
    [
      'an unknown authProvider',
      { authProvider: 'foo' },
      'authProvider',
      /^unknown provider "foo" \(expected one of: serviceAccount, google, googleServiceAccount, aws, azure, oidc, aks, localKubectlProxy\)$/,
    ],
    [
      'an unknown provider in authMetadata',
      { authProvider: undefined, authMetadata: { 'kubernetes.io/auth-provider': 'pinniped' } },
      'authMetadata["kubernetes.io/auth-provider"]',
      /unknown provider "pinniped"/,
    ],
    [
      'oidc without a token provider',
      { authProvider: 'oidc' },
      'oidcTokenProvider',
      /Must specify a token provider for 'oidc' strategy/,
    ],
    [
      'oidc from authMetadata without a token provider',
      { authMetadata: { 'kubernetes.io/auth-provider': 'oidc' } },
      'oidcTokenProvider',
      /Must specify a token provider/,
    ],
    [
      'a wrongly typed skipTLSVerify',
      { skipTLSVerify: 'sometimes' },
      'skipTLSVerify',
      /expected boolean, received string/,
    ],
    ['caData that is raw PEM', { caData: '-----BEGIN CERTIFICATE-----\nabc' }, 'caData', /raw PEM/],
    ['caData that is not base64', { caData: 'not base64!' }, 'caData', /is not base64/],
    [
      'an incomplete custom resource',
      { customResources: [{ group: 'argoproj.io' }] },
      'customResources[0].apiVersion',
      /^required$/,
    ],
    ['an invalid dashboardUrl', { dashboardUrl: 'not a url' }, 'dashboardUrl', /not a valid URL/],
    [
      'dashboardParameters that are not a mapping',
      { dashboardParameters: 'x' },
      'dashboardParameters',
      /expected record, received string/,
    ],
  ])('%s', (_, over, field, message) =>
    expectRefused(withClusters(cluster(over)), `${C0}.${field}`, message),
  );

  it('reports every problem of a config in one run, including rules across fields', () => {
    const { errors } = validate(
      withLocators([
        {
          type: 'config',
          clusters: [cluster({ url: 'nope', skipTLSVerify: 3 }), cluster({ authProvider: 'oidc' })],
        },
        { type: 'bogus' },
      ]),
    );
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        `${C0}.url`,
        `${C0}.skipTLSVerify`,
        'kubernetes.clusterLocatorMethods[0].clusters[1].oidcTokenProvider',
        'kubernetes.clusterLocatorMethods[0].clusters[1].name',
        'kubernetes.clusterLocatorMethods[1].type',
      ]),
    );
    expect(errors).toHaveLength(5);
  });
});

describe('kubernetes section: accepted verbatim', () => {
  it('keeps every Backstage cluster key, including the ones its schema forgets', () => {
    const full = cluster({
      title: 'Dev',
      authProvider: 'aws',
      authMetadata: { 'kubernetes.io/x-k8s-aws-id': 'dev-eks' },
      assumeRole: 'arn:aws:iam::1:role/r',
      externalId: 'ext',
      skipTLSVerify: false,
      skipMetricsLookup: true,
      caData: PEM_BASE64,
      customResources: [{ group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' }],
      dashboardUrl: 'https://dash.example.com',
      dashboardApp: 'standard',
      dashboardParameters: { projectId: 'p' },
    });
    const { config, errors } = validate(withClusters(full));
    expect(errors).toEqual([]);
    expect(config?.kubernetes?.clusterLocatorMethods[0]).toEqual({ type: 'config', clusters: [full] });
  });

  it('takes the provider from authMetadata alone and lets authMetadata win', () => {
    const { errors } = validate(
      withClusters(
        cluster({ authProvider: undefined, authMetadata: { 'kubernetes.io/auth-provider': 'google' } }),
        cluster({ name: 'b', authProvider: 'bogus', authMetadata: { 'kubernetes.io/auth-provider': 'aws' } }),
        cluster({
          name: 'c',
          authProvider: 'oidc',
          authMetadata: { 'kubernetes.io/oidc-token-provider': 'okta' },
        }),
      ),
    );
    expect(errors).toEqual([]);
  });

  it('accepts booleans and numbers spelled as strings, as ${VAR} substitution produces them', () => {
    const { config } = validate(withClusters(cluster({ skipTLSVerify: 'true', skipMetricsLookup: 'false' })));
    const [locator] = config?.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator?.type === 'config' && locator.clusters[0]).toMatchObject({
      skipTLSVerify: true,
      skipMetricsLookup: false,
    });
  });

  it('treats empty strings as unset, as the Backstage docs example (caFile: "") needs', () => {
    const { config, errors } = validate(withClusters(cluster({ caFile: '', caData: '', title: '' })));
    expect(errors).toEqual([]);
    const [locator] = config?.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator?.type === 'config' && locator.clusters[0]).not.toHaveProperty('caFile');
  });

  it('fills Backstage defaults', () => {
    const { config } = validate(
      withLocators([{ type: 'gke', projectId: 'p' }, { type: 'catalog' }, { type: 'localKubectlProxy' }]),
    );
    expect(config?.kubernetes).toEqual({
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        gkeLocator({ projectId: 'p' }),
        { type: 'catalog', dangerouslyAllowClusterUrls: [], dangerouslyAllowSkipTLSVerify: false },
        { type: 'localKubectlProxy' },
      ],
      clusterLocatorContinueOnError: false,
      customResources: [],
      apiVersionOverrides: {},
      proxy: { enabled: false, middlewareCache: { maxSize: 100, ttlMs: 60_000 } },
    });
  });

  it('keeps the frontend-only keys and a credentials object as a JSON string', () => {
    const { config } = validate(
      withKubernetes({
        frontend: { podDelete: { enabled: true } },
        podExecTerminal: { enabled: true },
        googleServiceAccountCredentials: { type: 'service_account', project_id: 'p' },
      }),
    );
    expect(config?.kubernetes).toMatchObject({
      frontend: { podDelete: { enabled: true } },
      podExecTerminal: { enabled: true },
      googleServiceAccountCredentials: '{"type":"service_account","project_id":"p"}',
    });
  });
});

describe('kubernetes section: warnings', () => {
  it.each([
    [
      'an unknown key, with a suggestion',
      withClusters(cluster({ authprovider: 'x' })),
      `${C0}.authprovider`,
      /ignored\); did you mean "authProvider"\?/,
    ],
    [
      'an unknown objectType',
      withKubernetes({ objectTypes: ['pods', 'widgets'] }),
      'kubernetes.objectTypes[1]',
      /unknown object type "widgets", ignored/,
    ],
    [
      'customresources in objectTypes',
      withKubernetes({ objectTypes: ['customresources'] }),
      'kubernetes.objectTypes[0]',
      /set with customResources/,
    ],
    [
      'an unknown apiVersionOverrides key',
      withKubernetes({ apiVersionOverrides: { widgets: 'v1' } }),
      'kubernetes.apiVersionOverrides.widgets',
      /unknown object type "widgets"/,
    ],
    [
      'a bad middlewareCache.maxSize',
      withKubernetes({ proxy: { middlewareCache: { maxSize: 0 } } }),
      'kubernetes.proxy.middlewareCache.maxSize',
      /using the default 100/,
    ],
    [
      'a bad middlewareCache.ttl',
      withKubernetes({ proxy: { middlewareCache: { ttl: { milliseconds: -1 } } } }),
      'kubernetes.proxy.middlewareCache.ttl',
      /using the default 60000 ms/,
    ],
    [
      'a middlewareCache that is not a mapping',
      withKubernetes({ proxy: { middlewareCache: 'big' } }),
      'kubernetes.proxy.middlewareCache',
      /using the defaults/,
    ],
    [
      'a gke authProvider Backstage replaces',
      withLocators([{ type: 'gke', projectId: 'p', authProvider: 'aws' }]),
      'kubernetes.clusterLocatorMethods[0].authProvider',
      /using "google" as Backstage does/,
    ],
    [
      'the same name in two locators',
      withLocators([
        { type: 'config', clusters: [cluster()] },
        { type: 'config', clusters: [cluster()] },
      ]),
      'kubernetes.clusterLocatorMethods[1].clusters[0].name',
      /also defined by clusterLocatorMethods\[0\]; only the first is used/,
    ],
    [
      'skipTLSVerify',
      withClusters(cluster({ skipTLSVerify: true })),
      `${C0}.skipTLSVerify`,
      /TLS verification is off/,
    ],
    [
      'an unknown dashboardApp',
      withClusters(cluster({ dashboardApp: 'lens' })),
      `${C0}.dashboardApp`,
      /no dashboard app "lens"/,
    ],
    [
      'an OIDC provider the stock frontend lacks',
      withClusters(cluster({ authProvider: 'oidc', oidcTokenProvider: 'keycloak' })),
      `${C0}.oidcTokenProvider`,
      /no OIDC provider "keycloak"/,
    ],
  ])('%s', (_, raw, path, message) => {
    const { config, errors, warnings } = validate(raw as Record<string, unknown>);
    expect(errors).toEqual([]);
    expect(config).toBeDefined();
    expect(warnings).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('applies what is valid of objectTypes, apiVersionOverrides and middlewareCache', () => {
    const { config } = validate(
      withKubernetes({
        objectTypes: ['services', 'widgets', 'pods', 'pods', 'secrets'],
        apiVersionOverrides: { cronjobs: 'v1beta1', widgets: 'v1' },
        proxy: { middlewareCache: { maxSize: '20', ttl: { seconds: 30 } } },
      }),
    );
    expect(config?.kubernetes?.objectTypes).toEqual(['pods', 'services', 'secrets']);
    expect(config?.kubernetes?.apiVersionOverrides).toEqual({ cronjobs: 'v1beta1' });
    expect(config?.kubernetes?.proxy.middlewareCache).toEqual({ maxSize: 20, ttlMs: 30_000 });
  });
});
