import { parseRoleArn } from '../config/auth-providers.ts';
import type { AwsAccountConfig, AwsIntegrationConfig } from '../config/types.ts';

/** Where a set of AWS keys comes from, as data: resolved (and cached) by AwsKeyResolver. */
export type AwsCredentialSource =
  | { kind: 'static'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'profile'; profile: string }
  | { kind: 'chain' }
  | { kind: 'assume'; roleArn: string; externalId?: string; region: string; from: AwsCredentialSource };

/**
 * The credentials that sign for a cluster whose assume-role ARN is `roleArn`, by Backstage's rules
 * (`DefaultAwsCredentialsManager`): the `aws.accounts[]` entry of the ARN's account; else, when
 * `accountDefaults.roleName` is set, that role in the ARN's account, reached from the main account;
 * else the main account: its static keys, its profile, the keys in the environment, or the SDK's default
 * chain. The cluster's own role is assumed on top of this by the caller.
 */
export function baseCredentialSource(
  aws: AwsIntegrationConfig | undefined,
  roleArn: string | undefined,
  env: NodeJS.ProcessEnv,
): AwsCredentialSource {
  const main = mainAccountSource(aws, env);
  const target = roleArn ? parseRoleArn(roleArn) : undefined;
  if (!aws || !target) return main;
  const account = aws.accounts.find((a) => a.accountId === target.accountId);
  if (account) return accountSource(account, main);
  const defaults = aws.accountDefaults;
  if (defaults.roleName) {
    return accountSource(
      {
        accountId: target.accountId,
        roleName: defaults.roleName,
        ...(defaults.partition ? { partition: defaults.partition } : {}),
        ...(defaults.region ? { region: defaults.region } : {}),
        ...(defaults.externalId ? { externalId: defaults.externalId } : {}),
      },
      main,
    );
  }
  return main;
}

function accountSource(account: AwsAccountConfig, main: AwsCredentialSource): AwsCredentialSource {
  const own = staticKeys(account.accessKeyId, account.secretAccessKey);
  if (account.roleName) {
    const partition = account.partition ?? 'aws';
    return {
      kind: 'assume',
      roleArn: `arn:${partition}:iam::${account.accountId}:role/${account.roleName}`,
      ...(account.externalId ? { externalId: account.externalId } : {}),
      region: account.region ?? 'us-east-1',
      from: own ?? main,
    };
  }
  if (own) return own;
  if (account.profile) return { kind: 'profile', profile: account.profile };
  return { kind: 'chain' };
}

function mainAccountSource(
  aws: AwsIntegrationConfig | undefined,
  env: NodeJS.ProcessEnv,
): AwsCredentialSource {
  const main = aws?.mainAccount;
  const configured = staticKeys(main?.accessKeyId, main?.secretAccessKey);
  if (configured) return configured;
  if (main?.profile) return { kind: 'profile', profile: main.profile };
  // The SDK's chain reads process.env; reading the injected env first keeps tests and embedders honest.
  const fromEnv = staticKeys(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY);
  if (fromEnv) return env.AWS_SESSION_TOKEN ? { ...fromEnv, sessionToken: env.AWS_SESSION_TOKEN } : fromEnv;
  return { kind: 'chain' };
}

function staticKeys(
  accessKeyId: string | undefined,
  secretAccessKey: string | undefined,
): Extract<AwsCredentialSource, { kind: 'static' }> | undefined {
  return accessKeyId && secretAccessKey ? { kind: 'static', accessKeyId, secretAccessKey } : undefined;
}

/** A stable cache key that names no secret: the kind, the role chain, the access key id. */
export function sourceKey(source: AwsCredentialSource): string {
  switch (source.kind) {
    case 'static':
      return `static:${source.accessKeyId}`;
    case 'profile':
      return `profile:${source.profile}`;
    case 'chain':
      return 'chain';
    case 'assume':
      return `assume:${source.roleArn}|${source.externalId ?? ''}|${source.region}<-${sourceKey(source.from)}`;
  }
}
