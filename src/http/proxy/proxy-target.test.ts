import { describe, expect, it } from 'vitest';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { StitchboardError } from '../../errors/errors.ts';
import { chooseCluster, proxyPath } from './proxy-target.ts';

const cluster = (name: string): ClusterDetails => ({
  name,
  url: `https://${name}.example.com:6443`,
  authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount' },
  skipTLSVerify: false,
  skipMetricsLookup: false,
  timeoutMs: 5000,
  mode: 'live',
});
const alpha = cluster('alpha');
const beta = cluster('beta');

function failure(run: () => unknown) {
  try {
    run();
  } catch (e) {
    const error = e as StitchboardError;
    return { code: error.code, status: error.status, message: error.message };
  }
  throw new Error('expected a failure');
}

describe('chooseCluster', () => {
  it.each([
    [[alpha, beta], 'beta', 'beta'],
    [[alpha], 'alpha', 'alpha'],
    // Backstage's rule: the header is optional only while there is one cluster.
    [[alpha], undefined, 'alpha'],
    [[alpha], '', 'alpha'],
  ])('%#: picks the named or only cluster', (clusters, name, expected) => {
    expect(chooseCluster(clusters, name).name).toBe(expected);
  });

  it.each([
    [[], 'alpha', 'No Clusters configured'],
    [[], undefined, 'No Clusters configured'],
    [[alpha, beta], 'gamma', "Cluster 'gamma' not found"],
    [[alpha, beta], undefined, "Cluster '' not found"],
    [[alpha], 'https://evil.example.com', "Cluster 'https://evil.example.com' not found"],
  ])('%#: 404 for %j / %j', (clusters, name, message) => {
    expect(failure(() => chooseCluster(clusters, name))).toEqual({ code: 'NOT_FOUND', status: 404, message });
  });
});

describe('proxyPath', () => {
  const prefix = '/api/kubernetes/proxy';
  it.each([
    ['/api/kubernetes/proxy/api/v1/namespaces', 'https://k:6443', '/api/v1/namespaces'],
    [
      '/api/kubernetes/proxy/api/v1/pods?limit=1&watch=true',
      'https://k:6443',
      '/api/v1/pods?limit=1&watch=true',
    ],
    [
      '/api/kubernetes/proxy/api/v1/namespaces/ns/events?fieldSelector=involvedObject.name%3Dweb',
      'https://k:6443/',
      '/api/v1/namespaces/ns/events?fieldSelector=involvedObject.name%3Dweb',
    ],
    [
      '/api/kubernetes/proxy/api/v1/pods',
      'https://rancher/k8s/clusters/c-1',
      '/k8s/clusters/c-1/api/v1/pods',
    ],
    [
      '/api/kubernetes/proxy/api/v1/pods',
      'https://rancher/k8s/clusters/c-1/',
      '/k8s/clusters/c-1/api/v1/pods',
    ],
    ['/api/kubernetes/proxy', 'https://k:6443/sub', '/sub/'],
    ['/api/kubernetes/proxy?timeout=1s', 'https://k:6443', '/?timeout=1s'],
    // Encoded bytes stay as sent; only a whole `.`/`..` segment is refused.
    ['/api/kubernetes/proxy/api/v1/namespaces/a%2Fb/pods', 'https://k', '/api/v1/namespaces/a%2Fb/pods'],
    ['/api/kubernetes/proxy/api/v1/x..y/z?q=..', 'https://k', '/api/v1/x..y/z?q=..'],
  ])('%s under %s → %s', (url, clusterUrl, expected) => {
    expect(proxyPath(url, prefix, clusterUrl)).toBe(expected);
  });

  it.each([
    '/api/kubernetes/proxy/../../other-cluster/api',
    '/api/kubernetes/proxy/api/./v1',
    '/api/kubernetes/proxy/%2e%2e/c-2/api/v1/secrets',
    '/api/kubernetes/proxy/api/%2E/v1',
  ])('refuses the dot segments of %s', (url) => {
    expect(failure(() => proxyPath(url, prefix, 'https://rancher/k8s/clusters/c-1'))).toEqual({
      code: 'INPUT_INVALID',
      status: 400,
      message: "Proxy request path must not contain '.' or '..' segments",
    });
  });
});
