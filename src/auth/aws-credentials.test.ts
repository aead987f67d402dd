import { describe, expect, it } from 'vitest';
import type { AwsIntegrationConfig } from '../config/types.ts';
import { parseRoleArn } from '../config/auth-providers.ts';
import { baseCredentialSource, sourceKey } from './aws-credentials.ts';

const MAIN_KEYS = { accessKeyId: 'AKIAMAIN', secretAccessKey: 'main-secret' };
const aws = (over: Partial<AwsIntegrationConfig> = {}): AwsIntegrationConfig => ({
  mainAccount: {},
  accounts: [],
  accountDefaults: {},
  ...over,
});
const ROLE_IN = (account: string) => `arn:aws:iam::${account}:role/eks-reader`;

describe('parseRoleArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/reader', { partition: 'aws', accountId: '111122223333' }],
    ['arn:aws-cn:iam::111122223333:role/path/to/reader', { partition: 'aws-cn', accountId: '111122223333' }],
    ['arn:aws:iam::1:role/r', undefined],
    ['arn:aws:sts::111122223333:assumed-role/r/s', undefined],
    ['reader', undefined],
  ])('%s', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual(expected);
  });
});

describe('baseCredentialSource (Backstage DefaultAwsCredentialsManager rules)', () => {
  it.each<[string, AwsIntegrationConfig | undefined, string | undefined, NodeJS.ProcessEnv, unknown]>([
    ['no aws section, no env keys: the default chain', undefined, undefined, {}, { kind: 'chain' }],
    [
      'no aws section, keys in the environment',
      undefined,
      undefined,
      { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' },
      { kind: 'static', accessKeyId: 'AKIAENV', secretAccessKey: 's', sessionToken: 't' },
    ],
    [
      'main account static keys win over the environment',
      aws({ mainAccount: MAIN_KEYS }),
      undefined,
      { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's' },
      { kind: 'static', ...MAIN_KEYS },
    ],
    [
      'main account profile',
      aws({ mainAccount: { profile: 'ops' } }),
      undefined,
      {},
      { kind: 'profile', profile: 'ops' },
    ],
    [
      'a role in a configured account: that account, by its role, from its own keys',
      aws({
        mainAccount: MAIN_KEYS,
        accounts: [
          {
            accountId: '111122223333',
            roleName: 'backstage',
            externalId: 'ext',
            region: 'eu-west-1',
            accessKeyId: 'AKIAACC',
            secretAccessKey: 'acc',
          },
        ],
      }),
      ROLE_IN('111122223333'),
      {},
      {
        kind: 'assume',
        roleArn: 'arn:aws:iam::111122223333:role/backstage',
        externalId: 'ext',
        region: 'eu-west-1',
        from: { kind: 'static', accessKeyId: 'AKIAACC', secretAccessKey: 'acc' },
      },
    ],
    [
      'a configured account with a role and no keys: reached from the main account',
      aws({
        mainAccount: MAIN_KEYS,
        accounts: [{ accountId: '111122223333', roleName: 'b', partition: 'aws-cn' }],
      }),
      ROLE_IN('111122223333'),
      {},
      {
        kind: 'assume',
        roleArn: 'arn:aws-cn:iam::111122223333:role/b',
        region: 'us-east-1',
        from: { kind: 'static', ...MAIN_KEYS },
      },
    ],
    [
      'a configured account with a profile',
      aws({ accounts: [{ accountId: '111122223333', profile: 'acc' }] }),
      ROLE_IN('111122223333'),
      {},
      { kind: 'profile', profile: 'acc' },
    ],
    [
      'an unlisted account with accountDefaults.roleName',
      aws({ mainAccount: MAIN_KEYS, accountDefaults: { roleName: 'reader', externalId: 'd' } }),
      ROLE_IN('999988887777'),
      {},
      {
        kind: 'assume',
        roleArn: 'arn:aws:iam::999988887777:role/reader',
        externalId: 'd',
        region: 'us-east-1',
        from: { kind: 'static', ...MAIN_KEYS },
      },
    ],
    [
      'an unlisted account without defaults: the main account',
      aws({ mainAccount: MAIN_KEYS, accounts: [{ accountId: '111122223333', profile: 'p' }] }),
      ROLE_IN('999988887777'),
      {},
      { kind: 'static', ...MAIN_KEYS },
    ],
    [
      'an assume-role value that is not a role ARN: the main account',
      aws({ mainAccount: MAIN_KEYS, accountDefaults: { roleName: 'reader' } }),
      'reader',
      {},
      { kind: 'static', ...MAIN_KEYS },
    ],
  ])('%s', (_label, config, roleArn, env, expected) => {
    expect(baseCredentialSource(config, roleArn, env)).toEqual(expected);
  });
});

describe('sourceKey', () => {
  it('names the chain of roles and key ids but no secret', () => {
    const key = sourceKey({
      kind: 'assume',
      roleArn: 'arn:aws:iam::111122223333:role/r',
      region: 'us-east-1',
      from: { kind: 'static', accessKeyId: 'AKIA', secretAccessKey: 'very-secret', sessionToken: 'tok' },
    });
    expect(key).toBe('assume:arn:aws:iam::111122223333:role/r||us-east-1<-static:AKIA');
  });
});
