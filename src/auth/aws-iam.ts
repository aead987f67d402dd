import type { AwsIntegrationConfig } from '../config/types.ts';
import { AWS_ASSUME_ROLE_KEY, AWS_CLUSTER_ID_KEY, AWS_EXTERNAL_ID_KEY } from '../config/auth-metadata.ts';
import { unauthenticated, messageOf } from '../errors/errors.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import { baseCredentialSource, type AwsCredentialSource } from './aws-credentials.ts';
import { AwsKeyResolver } from './aws-keys.ts';
import { eksToken } from './aws-token.ts';
import type { AuthStrategy, Credential } from './types.ts';

const DEFAULT_REGION = 'us-east-1';

export interface AwsIamOptions {
  /** Backstage's root `aws:` section. */
  aws?: AwsIntegrationConfig;
  env?: NodeJS.ProcessEnv;
}

/**
 * `aws`: an EKS token made on the server for each request. The base keys follow Backstage's `aws:`
 * section; `kubernetes.io/aws-assume-role` (with `kubernetes.io/aws-external-id`) is assumed through STS
 * first, in `AWS_REGION` (default us-east-1). The token is signed for `kubernetes.io/x-k8s-aws-id`, else
 * the cluster name. Assumed-role keys are cached (aws-keys.ts); tokens are cheap and made fresh.
 */
export class AwsIamStrategy implements AuthStrategy {
  readonly #aws: AwsIntegrationConfig | undefined;
  readonly #env: NodeJS.ProcessEnv;
  readonly #keys: AwsKeyResolver;

  constructor(options: AwsIamOptions = {}) {
    this.#aws = options.aws;
    this.#env = options.env ?? process.env;
    this.#keys = new AwsKeyResolver(this.#env);
  }

  async getCredential(cluster: ClusterDetails): Promise<Credential> {
    const region = this.#env.AWS_REGION || DEFAULT_REGION;
    const roleArn = cluster.authMetadata[AWS_ASSUME_ROLE_KEY] || undefined;
    const externalId = cluster.authMetadata[AWS_EXTERNAL_ID_KEY] || undefined;
    let source: AwsCredentialSource = baseCredentialSource(this.#aws, roleArn, this.#env);
    if (roleArn) {
      source = { kind: 'assume', roleArn, region, from: source, ...(externalId ? { externalId } : {}) };
    }
    let keys;
    try {
      keys = await this.#keys.resolve(source);
    } catch (error) {
      const field = roleArn ? ` (authMetadata["${AWS_ASSUME_ROLE_KEY}"])` : '';
      throw unauthenticated(`cluster '${cluster.name}': authProvider aws${field}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    const clusterId = cluster.authMetadata[AWS_CLUSTER_ID_KEY] || cluster.name;
    return { type: 'bearer token', token: await eksToken({ credentials: keys, region, clusterId }) };
  }

  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }
}
