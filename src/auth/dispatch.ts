import type { KubernetesRequestAuth } from '../contract/kubernetes.ts';
import { StitchboardError } from '../errors/errors.ts';
import { authProviderOf, type ClusterDetails } from '../clusters/types.ts';
import { AnonymousStrategy } from './anonymous.ts';
import { RequestTokenStrategy } from './request-token.ts';
import { ServiceAccountStrategy } from './service-account.ts';
import type { AuthStrategy, Credential } from './types.ts';

/** Providers Backstage knows whose server side arrives later (issue 4): they fail their cluster clearly. */
const PENDING = ['aws', 'azure', 'googleServiceAccount'] as const;

class PendingStrategy implements AuthStrategy {
  readonly #name: string;
  constructor(name: string) {
    this.#name = name;
  }
  async getCredential(cluster: ClusterDetails): Promise<Credential> {
    throw new StitchboardError(
      'CLUSTER_UNAVAILABLE',
      `authProvider '${this.#name}' of cluster '${cluster.name}' is not supported by this Stitchboard version yet`,
    );
  }
  validateCluster(): string[] {
    return [];
  }
  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }
}

export function defaultAuthStrategies(env: NodeJS.ProcessEnv = process.env): Map<string, AuthStrategy> {
  const strategies = new Map<string, AuthStrategy>([
    ['serviceAccount', new ServiceAccountStrategy(env)],
    ['localKubectlProxy', new AnonymousStrategy()],
    ['google', new RequestTokenStrategy('google')],
    ['aks', new RequestTokenStrategy('aks')],
    ['oidc', new RequestTokenStrategy('oidc')],
  ]);
  for (const name of PENDING) strategies.set(name, new PendingStrategy(name));
  return strategies;
}

/** Routes each cluster to the strategy named by its `kubernetes.io/auth-provider`. */
export class AuthDispatcher {
  readonly #strategies: ReadonlyMap<string, AuthStrategy>;

  constructor(strategies: ReadonlyMap<string, AuthStrategy>) {
    this.#strategies = strategies;
  }

  strategyFor(cluster: ClusterDetails): AuthStrategy {
    const name = authProviderOf(cluster);
    const strategy = this.#strategies.get(name);
    if (!strategy) {
      throw new StitchboardError(
        'CONFIG_INVALID',
        `cluster '${cluster.name}': unknown authProvider "${name}"`,
      );
    }
    return strategy;
  }

  getCredential(cluster: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> {
    return this.strategyFor(cluster).getCredential(cluster, auth);
  }
}
