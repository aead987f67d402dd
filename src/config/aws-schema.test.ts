import { describe, expect, it } from 'vitest';
import { expectOnlyError } from './test-support.ts';
import { validateConfig } from './validate.ts';

const validate = (aws: unknown) => validateConfig({ aws }, { cwd: '/srv' });
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY';

describe('aws section', () => {
  it('is optional, and empty means the default credential chain', () => {
    expect(validateConfig({}, { cwd: '/srv' }).config?.aws).toBeUndefined();
    expect(validate({}).config?.aws).toEqual({ mainAccount: {}, accounts: [], accountDefaults: {} });
  });

  it('keeps Backstage keys as they are', () => {
    const result = validate({
      mainAccount: { accessKeyId: 'AKIAMAIN', secretAccessKey: SECRET, region: 'eu-west-1' },
      accounts: [
        { accountId: '111122223333', roleName: 'backstage', externalId: 'x-1', partition: 'aws-cn' },
        { accountId: 444455556666, profile: 'ops' },
      ],
      accountDefaults: { roleName: 'reader', region: 'us-west-2' },
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config?.aws).toEqual({
      mainAccount: { accessKeyId: 'AKIAMAIN', secretAccessKey: SECRET, region: 'eu-west-1' },
      accounts: [
        { accountId: '111122223333', roleName: 'backstage', externalId: 'x-1', partition: 'aws-cn' },
        { accountId: '444455556666', profile: 'ops' },
      ],
      accountDefaults: { roleName: 'reader', region: 'us-west-2' },
    });
  });

  it.each([
    [
      'a lone access key id',
      { mainAccount: { accessKeyId: 'AKIA' } },
      'aws.mainAccount.secretAccessKey',
      /required when accessKeyId/,
    ],
    [
      'a lone secret',
      { mainAccount: { secretAccessKey: SECRET } },
      'aws.mainAccount.accessKeyId',
      /required when secretAccessKey/,
    ],
    [
      'a short account id',
      { accounts: [{ accountId: '1234' }] },
      'aws.accounts[0].accountId',
      /12-digit AWS account id/,
    ],
    ['an account without id', { accounts: [{ roleName: 'r' }] }, 'aws.accounts[0].accountId', /required/],
    [
      'a lone secret in an account',
      { accounts: [{ accountId: '111122223333', secretAccessKey: SECRET }] },
      'aws.accounts[0].accessKeyId',
      /required when secretAccessKey/,
    ],
    ['a non-string region', { mainAccount: { region: 5 } }, 'aws.mainAccount.region', /expected string/],
  ])('refuses %s, naming the key and never the secret', (_label, aws, path, message) =>
    expectOnlyError(validate(aws), path, message, SECRET),
  );

  it('warns about unknown keys', () => {
    const result = validate({ mainAccount: { acessKeyId: 'AKIA' } });
    expect(result.warnings.map((w) => w.path)).toEqual(['aws.mainAccount.acessKeyId']);
  });
});
