import type { KubernetesRequestAuth } from '../contract/kubernetes.ts';
import { StitchboardError } from '../errors/errors.ts';
import { authProviderOf, type ClusterDetails } from '../clusters/types.ts';
import { AUTH_PROVIDERS, clusterAuthProblems, type AuthProviderName } from '../config/auth-providers.ts';
import type { Config } from '../config/types.ts';
import { silentLogger, type Logger } from '../shared/logger.ts';
import { AnonymousStrategy } from './anonymous.ts';
import { AwsIamStrategy } from './aws-iam.ts';
import { AzureIdentityStrategy } from './azure-identity.ts';
import { GoogleServiceAccountStrategy } from './google-service-account.ts';
import { RequestTokenStrategy } from './request-token.ts';
import { ServiceAccountStrategy } from './service-account.ts';
import type { AuthStrategy, Credential } from './types.ts';

export interface AuthStrategyDeps {
  /** For `kubernetes.googleServiceAccountCredentials` and the root `aws:` section. */
  config?: Pick<Config, 'kubernetes' | 'aws'>;
  logger?: Logger;
}

/**
 * One strategy per `authProvider` of the provider table (a missing one fails the type check). Server-side providers build their clients lazily, on
 * the first request of a cluster that uses them, so an unused provider costs nothing and a bad
 * credential fails its clusters, not start-up.
 */
export function defaultAuthStrategies(
  env: NodeJS.ProcessEnv = process.env,
  deps: AuthStrategyDeps = {},
): Map<string, AuthStrategy> {
  const logger = deps.logger ?? silentLogger();
  const credentialsJson = deps.config?.kubernetes?.googleServiceAccountCredentials;
  const strategies: Record<AuthProviderName, AuthStrategy> = {
    serviceAccount: new ServiceAccountStrategy(env),
    google: new RequestTokenStrategy('google'),
    googleServiceAccount: new GoogleServiceAccountStrategy({
      env,
      ...(credentialsJson !== undefined ? { credentialsJson } : {}),
    }),
    aws: new AwsIamStrategy({ env, ...(deps.config?.aws ? { aws: deps.config.aws } : {}) }),
    azure: new AzureIdentityStrategy({ env, logger: logger.child({ authProvider: 'azure' }) }),
    oidc: new RequestTokenStrategy('oidc'),
    aks: new RequestTokenStrategy('aks'),
    localKubectlProxy: new AnonymousStrategy(),
  };
  return new Map(AUTH_PROVIDERS.map((name) => [name, strategies[name]]));
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

  /**
   * The cluster's credential, once its auth metadata passes its provider's checks (the table's, e.g. the
   * AWS role ARN): every path to a cluster resolves its credential here, so a bad cluster fails with an
   * error naming the cluster and the key, before anything is sent.
   */
  async getCredential(cluster: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> {
    const strategy = this.strategyFor(cluster);
    this.validateCluster(cluster);
    return strategy.getCredential(cluster, auth);
  }

  /** Throws CONFIG_INVALID naming the cluster and every bad key of its auth metadata. */
  validateCluster(cluster: ClusterDetails): void {
    const problems = clusterAuthProblems(authProviderOf(cluster), cluster.authMetadata);
    if (problems.length === 0) return;
    const text = problems.map((p) => `authMetadata["${p.key}"] ${p.problem}`).join('; ');
    throw new StitchboardError(
      'CONFIG_INVALID',
      `cluster '${cluster.name}': authProvider ${authProviderOf(cluster)}: ${text}`,
      { details: { cluster: cluster.name, keys: problems.map((p) => p.key) } },
    );
  }
}
