import type { KubernetesRequestAuth } from '../contract/kubernetes.ts';
import { unauthenticated } from '../errors/errors.ts';
import { OIDC_TOKEN_PROVIDER_KEY, type ClusterDetails } from '../clusters/types.ts';
import type { AuthStrategy, Credential } from './types.ts';

/**
 * Providers whose token comes from the caller (Backstage's frontend puts it in the body as
 * `auth.google`, `auth.aks` or `auth.oidc.<provider>`). A missing token fails this cluster only.
 */
export class RequestTokenStrategy implements AuthStrategy {
  readonly #provider: 'google' | 'aks' | 'oidc';

  constructor(provider: 'google' | 'aks' | 'oidc') {
    this.#provider = provider;
  }

  async getCredential(cluster: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> {
    const token = this.#tokenFrom(cluster, auth);
    if (!token) throw unauthenticated(`${this.#where(cluster)} (cluster '${cluster.name}')`);
    return { type: 'bearer token', token };
  }

  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }

  #tokenFrom(cluster: ClusterDetails, auth: KubernetesRequestAuth): string | undefined {
    if (this.#provider !== 'oidc') {
      const value = auth[this.#provider];
      return typeof value === 'string' && value ? value : undefined;
    }
    const provider = cluster.authMetadata[OIDC_TOKEN_PROVIDER_KEY];
    const oidc = auth.oidc;
    if (!provider || typeof oidc !== 'object' || oidc === null) return undefined;
    const value = oidc[provider];
    return typeof value === 'string' && value ? value : undefined;
  }

  #where(cluster: ClusterDetails): string {
    if (this.#provider === 'google') return 'Google token not found under auth.google in request body';
    if (this.#provider === 'aks') return 'AKS token not found under auth.aks in request body';
    const provider = cluster.authMetadata[OIDC_TOKEN_PROVIDER_KEY] ?? '<unset>';
    return `Auth token not found under oidc.${provider} in request body`;
  }
}
