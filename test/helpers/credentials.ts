import type { AuthStrategy } from '../../src/auth/types.ts';
import { toClusterDetails } from '../../src/clusters/config-supplier.ts';
import type { ClusterDetails } from '../../src/clusters/types.ts';

/**
 * A cluster of a cloud `authProvider` as its strategy sees it (what the `config` locator makes of the
 * smallest entry), for tests of the strategy alone: nothing needs to answer at `url`.
 */
export function cloudCluster(authProvider: string, name: string, url: string): ClusterDetails {
  const entry = { name, url, authProvider, skipTLSVerify: false, skipMetricsLookup: true };
  return toClusterDetails(entry, { timeoutMs: 5000, mode: 'live' });
}

/** The bearer token `strategy` gives for `cluster` with no request auth; any other credential throws. */
export async function bearerTokenOf(strategy: AuthStrategy, cluster: ClusterDetails): Promise<string> {
  const credential = await strategy.getCredential(cluster, {});
  if (credential.type !== 'bearer token') throw new Error(`expected a bearer token, got ${credential.type}`);
  return credential.token;
}
