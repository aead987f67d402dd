import { lookup } from 'node:dns/promises';
import { AUTH_PROVIDER_KEY, type ClusterDetails, type ClusterSupplier } from './types.ts';
import { LOCAL_PROXY_CLUSTER } from '../config/cluster-names.ts';
import type { ClusterSettings } from './cluster-settings.ts';

/**
 * Backstage's `localKubectlProxy` locator: one cluster named `local` behind `kubectl proxy` on port 8001,
 * with `localhost` resolved preferring IPv4 and no credentials. For local development only.
 * `STITCHBOARD_KUBECTL_PROXY_URL` points it elsewhere (tests run the proxy on a free port).
 */
export class LocalKubectlProxySupplier implements ClusterSupplier {
  readonly #settings: ClusterSettings;
  readonly #override: string | undefined;
  #url: Promise<string> | undefined;

  constructor(settings: ClusterSettings, env: NodeJS.ProcessEnv = process.env) {
    this.#settings = settings;
    this.#override = env.STITCHBOARD_KUBECTL_PROXY_URL;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    this.#url ??= this.#override ? Promise.resolve(this.#override) : resolveLocalhost();
    return [
      {
        name: LOCAL_PROXY_CLUSTER,
        url: await this.#url,
        authMetadata: { [AUTH_PROVIDER_KEY]: 'localKubectlProxy' },
        skipTLSVerify: false,
        skipMetricsLookup: true,
        ...this.#settings,
      },
    ];
  }
}

async function resolveLocalhost(): Promise<string> {
  const { address, family } = await lookup('localhost', { order: 'ipv4first' });
  return family === 6 ? `http://[${address}]:8001` : `http://${address}:8001`;
}
