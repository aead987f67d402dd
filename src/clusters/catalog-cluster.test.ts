import { describe, expect, it } from 'vitest';
import { authMetadataOf, catalogCluster } from './catalog-cluster.ts';
import { TEST_CA, clusterResource } from './catalog-test-support.ts';

const map = (annotations: Record<string, string | undefined>, allowSkipTLSVerify = false) =>
  catalogCluster(clusterResource('prod', annotations), { allowSkipTLSVerify });

describe('catalogCluster', () => {
  /** One value for each kubernetes.io annotation Backstage reads from a cluster resource. */
  const BACKSTAGE_READS = {
    'kubernetes.io/auth-provider': 'aws',
    'kubernetes.io/skip-metrics-lookup': 'true',
    'kubernetes.io/skip-tls-verify': 'true',
    'kubernetes.io/dashboard-url': 'https://dash.example.com',
    'kubernetes.io/dashboard-app': 'eks',
    'kubernetes.io/dashboard-parameters': '{"region":"eu-west-1","clusterName":"prod"}',
    'kubernetes.io/aws-assume-role': 'arn:aws:iam::123456789012:role/backstage',
    'kubernetes.io/aws-external-id': 'ext-1',
    'kubernetes.io/x-k8s-aws-id': 'prod-eks',
  };

  it('maps every annotation Backstage reads', () => {
    const result = catalogCluster(
      clusterResource(
        'prod',
        { ...BACKSTAGE_READS, 'backstage.io/source-location': 'url:https://git.example.com/infra' },
        { title: 'Production' },
      ),
      { allowSkipTLSVerify: true },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.cluster).toEqual({
      name: 'prod',
      title: 'Production',
      url: 'https://kube.example.com:6443',
      caData: TEST_CA,
      skipTLSVerify: true,
      skipMetricsLookup: true,
      dashboardUrl: 'https://dash.example.com',
      dashboardApp: 'eks',
      dashboardParameters: { region: 'eu-west-1', clusterName: 'prod' },
      authMetadata: {
        'kubernetes.io/api-server': 'https://kube.example.com:6443',
        'kubernetes.io/api-server-certificate-authority': TEST_CA,
        // Every kubernetes.io annotation is kept as auth metadata; the source location is not.
        ...BACKSTAGE_READS,
      },
    });
    expect(result.warnings).toEqual([
      'catalog cluster resource:default/prod: annotation kubernetes.io/skip-tls-verify: TLS verification is off for this cluster',
    ]);
  });

  it('keeps an oidc provider, and the defaults are off', () => {
    const result = map({
      'kubernetes.io/auth-provider': 'oidc',
      'kubernetes.io/oidc-token-provider': 'okta',
    });
    expect(result).toMatchObject({
      ok: true,
      warnings: [],
      cluster: {
        skipTLSVerify: false,
        skipMetricsLookup: false,
        authMetadata: { 'kubernetes.io/oidc-token-provider': 'okta' },
      },
    });
  });

  const at = (annotation: string) => `catalog cluster resource:default/prod: annotation ${annotation}`;

  it.each([
    [{ 'kubernetes.io/api-server': undefined }, `${at('kubernetes.io/api-server')} is missing`],
    [{ 'kubernetes.io/api-server': '' }, `${at('kubernetes.io/api-server')} is missing`],
    [
      { 'kubernetes.io/api-server-certificate-authority': undefined },
      `${at('kubernetes.io/api-server-certificate-authority')} is missing`,
    ],
    [
      { 'kubernetes.io/api-server-certificate-authority': 'not base64!' },
      `${at('kubernetes.io/api-server-certificate-authority')} is not base64`,
    ],
    [
      { 'kubernetes.io/api-server-certificate-authority': '-----BEGIN CERTIFICATE-----\nx' },
      `${at('kubernetes.io/api-server-certificate-authority')} holds raw PEM`,
    ],
    [
      { 'kubernetes.io/api-server-certificate-authority': Buffer.from('hello').toString('base64') },
      `${at('kubernetes.io/api-server-certificate-authority')} is base64 but does not decode to a PEM certificate`,
    ],
    [{ 'kubernetes.io/auth-provider': undefined }, `${at('kubernetes.io/auth-provider')} is missing`],
    [
      { 'kubernetes.io/auth-provider': 'serviceAccount' },
      `${at('kubernetes.io/auth-provider')} is "serviceAccount", which the catalog locator refuses: a service-account token must never live in an annotation`,
    ],
    [
      { 'kubernetes.io/auth-provider': 'kerberos' },
      `${at('kubernetes.io/auth-provider')} names the unknown auth provider "kerberos" (expected one of: google,`,
    ],
    [
      { 'kubernetes.io/auth-provider': 'oidc' },
      `${at('kubernetes.io/oidc-token-provider')}: Must specify a token provider for 'oidc' strategy`,
    ],
  ])('skips %j: %s', (annotations, problem) => {
    const result = map(annotations);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toContain(problem);
    expect(result.problem).toMatch(/the cluster is skipped$/);
    expect(result.problem).not.toContain('MIIB');
  });

  it.each([
    [
      { 'kubernetes.io/dashboard-parameters': '{region: eu}' },
      `${at('kubernetes.io/dashboard-parameters')} is not valid JSON (expected a JSON object such as {"region": "eu-west-1"}); it is ignored`,
      { dashboardParameters: undefined },
    ],
    [
      { 'kubernetes.io/dashboard-parameters': '["eu-west-1"]' },
      `${at('kubernetes.io/dashboard-parameters')} must be a JSON object, not an array; it is ignored`,
      { dashboardParameters: undefined },
    ],
    [
      { 'kubernetes.io/dashboard-parameters': 'null' },
      `${at('kubernetes.io/dashboard-parameters')} must be a JSON object, not null; it is ignored`,
      { dashboardParameters: undefined },
    ],
    [
      { 'kubernetes.io/dashboard-parameters': '"eu"' },
      `${at('kubernetes.io/dashboard-parameters')} must be a JSON object, not a string; it is ignored`,
      { dashboardParameters: undefined },
    ],
    [
      { 'kubernetes.io/dashboard-url': 'javascript:alert(1)' },
      `${at('kubernetes.io/dashboard-url')} is not an http(s) URL; the cluster has no dashboard link`,
      { dashboardUrl: undefined },
    ],
    [
      { 'kubernetes.io/dashboard-app': 'grafana' },
      `${at('kubernetes.io/dashboard-app')} names the unknown dashboard app "grafana" (expected one of: standard, rancher, openshift, aks, eks, gke, headlamp)`,
      { dashboardApp: 'grafana' },
    ],
    [
      { 'kubernetes.io/skip-metrics-lookup': 'yes' },
      `${at('kubernetes.io/skip-metrics-lookup')} is "yes"; only "true" turns it on, so it is off`,
      { skipMetricsLookup: false },
    ],
    [
      { 'kubernetes.io/skip-tls-verify': 'true' },
      `${at('kubernetes.io/skip-tls-verify')} is ignored: the catalog locator does not set dangerouslyAllowSkipTLSVerify, so TLS is verified`,
      { skipTLSVerify: false },
    ],
  ])('keeps the cluster but warns about %j', (annotations, warning, expected) => {
    const result = map(annotations);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([warning]);
    for (const [key, value] of Object.entries(expected)) {
      expect((result.cluster as unknown as Record<string, unknown>)[key]).toEqual(value);
    }
  });
});

describe('authMetadataOf', () => {
  it('keeps kubernetes.io/ annotations only and never a serviceAccountToken key', () => {
    expect(
      authMetadataOf({
        'kubernetes.io/auth-provider': 'google',
        serviceAccountToken: 'secret',
        'backstage.io/techdocs-ref': 'dir:.',
        'example.com/kubernetes.io/x': 'y',
      }),
    ).toEqual({ 'kubernetes.io/auth-provider': 'google' });
  });
});
