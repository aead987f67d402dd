import type { KubernetesRequestAuth } from '../contract/kubernetes.ts';
import { StitchboardError } from '../errors/errors.ts';
import { authProviderOf, type ClusterDetails } from '../clusters/types.ts';
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
 * One strategy per `authProvider` Backstage knows. Server-side providers build their clients lazily, on
 * the first request of a cluster that uses them, so an unused provider costs nothing and a bad
 * credential fails its clusters, not start-up.
 */
export function defaultAuthStrategies(
  env: NodeJS.ProcessEnv = process.env,
  deps: AuthStrategyDeps = {},
): Map<string, AuthStrategy> {
  const logger = deps.logger ?? silentLogger();
  const credentialsJson = deps.config?.kubernetes?.googleServiceAccountCredentials;
  return new Map<string, AuthStrategy>([
    ['serviceAccount', new ServiceAccountStrategy(env)],
    ['localKubectlProxy', new AnonymousStrategy()],
    ['google', new RequestTokenStrategy('google')],
    ['aks', new RequestTokenStrategy('aks')],
    ['oidc', new RequestTokenStrategy('oidc')],
    [
      'googleServiceAccount',
      new GoogleServiceAccountStrategy({
        env,
        ...(credentialsJson !== undefined ? { credentialsJson } : {}),
      }),
    ],
    ['aws', new AwsIamStrategy({ env, ...(deps.config?.aws ? { aws: deps.config.aws } : {}) })],
    ['azure', new AzureIdentityStrategy({ env, logger: logger.child({ authProvider: 'azure' }) })],
  ]);
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
