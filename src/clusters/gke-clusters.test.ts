import { describe, expect, it } from 'vitest';
import { gkeLocator as locator } from '../config/test-support.ts';
import { gkeClusterDetails, type GkeClusterResource } from './gke-clusters.ts';

const settings = () => ({ timeoutMs: 5000, mode: 'live' as const });
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const prod: GkeClusterResource = {
  name: 'prod',
  location: 'europe-west1',
  endpoint: '34.76.1.2',
  resourceLabels: { env: 'prod', team: 'shop' },
  controlPlaneEndpointsConfig: { dnsEndpointConfig: { endpoint: 'gke-abc.europe-west1.gke.goog' } },
  masterAuth: { clusterCaCertificate: CA },
};
const dev: GkeClusterResource = { name: 'dev', endpoint: '35.1.1.1', resourceLabels: { env: 'dev' } };

describe('gkeClusterDetails', () => {
  it('maps a cluster as Backstage does, with its own CA for the public endpoint', () => {
    expect(gkeClusterDetails([prod], locator(), settings)).toEqual({
      clusters: [
        {
          name: 'prod',
          url: 'https://34.76.1.2',
          authMetadata: { 'kubernetes.io/auth-provider': 'google' },
          skipTLSVerify: false,
          skipMetricsLookup: false,
          caData: CA,
          timeoutMs: 5000,
          mode: 'live',
        },
      ],
      skipped: [],
    });
  });

  it('uses the DNS endpoint, with public CAs, for endpointType dns', () => {
    const [c] = gkeClusterDetails([prod], locator({ endpointType: 'dns' }), settings).clusters;
    expect(c?.url).toBe('https://gke-abc.europe-west1.gke.goog');
    expect(c?.caData).toBeUndefined();
  });

  it('passes the locator settings through and exposes the gke dashboard', () => {
    const [c] = gkeClusterDetails(
      [prod],
      locator({
        authProvider: 'googleServiceAccount',
        skipTLSVerify: true,
        skipMetricsLookup: true,
        exposeDashboard: true,
        region: 'europe-west1',
      }),
      settings,
    ).clusters;
    expect(c).toMatchObject({
      authMetadata: { 'kubernetes.io/auth-provider': 'googleServiceAccount' },
      skipTLSVerify: true,
      skipMetricsLookup: true,
      dashboardApp: 'gke',
      dashboardParameters: { projectId: 'proj-1', region: 'europe-west1', clusterName: 'prod' },
    });
  });

  it.each([
    [[], ['prod', 'dev']],
    [[{ key: 'env', value: 'prod' }], ['prod']],
    [
      [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'shop' },
      ],
      ['prod'],
    ],
    [
      [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'other' },
      ],
      [],
    ],
    [[{ key: 'missing', value: '' }], []],
  ])('matchingResourceLabels %j keeps %j (all must match)', (labels, names) => {
    const { clusters } = gkeClusterDetails(
      [prod, dev],
      locator({ matchingResourceLabels: labels }),
      settings,
    );
    expect(clusters.map((c) => c.name)).toEqual(names);
  });

  it('skips clusters without a name or without the chosen endpoint, saying why', () => {
    const result = gkeClusterDetails(
      [{ endpoint: '1.2.3.4' }, { name: 'provisioning' }, dev],
      locator({ endpointType: 'public' }),
      settings,
    );
    expect(result.clusters.map((c) => c.name)).toEqual(['dev']);
    expect(result.skipped).toEqual([
      { name: '(unnamed)', reason: expect.stringMatching(/without a name/) },
      { name: 'provisioning', reason: expect.stringMatching(/no endpoint/) },
    ]);
    const dns = gkeClusterDetails([dev], locator({ endpointType: 'dns' }), settings);
    expect(dns.skipped).toEqual([{ name: 'dev', reason: expect.stringMatching(/no DNS endpoint/) }]);
  });

  it('applies per-cluster settings by name', () => {
    const [c] = gkeClusterDetails([prod], locator(), (name) => ({
      timeoutMs: name === 'prod' ? 9000 : 1,
      mode: 'watch',
    })).clusters;
    expect(c).toMatchObject({ timeoutMs: 9000, mode: 'watch' });
  });
});
