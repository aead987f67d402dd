import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../../test/fakes/aws-sts.ts';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { component, configCluster, namesOf, testConfig, testEngine } from '../../test/helpers/engine.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import type { ConfigClusterConfig } from '../config/types.ts';
import type { ObjectType } from '../contract/kubernetes.ts';
import { isStitchboardError } from '../errors/errors.ts';
import { AwsIamStrategy } from './aws-iam.ts';
import { EKS_TOKEN_PREFIX } from './aws-token.ts';

// The aws provider through the real AWS SDK (STSClient, SignatureV4) against STS on loopback, which
// verifies every signature itself.
const BASE = { id: 'AKIABASEEXAMPLE00001', secret: 'base/secret+key/EXAMPLE0000000000000000' };
const ROLE = 'arn:aws:iam::111122223333:role/eks-reader';
let sts: FakeSts;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sts = await startFakeSts({
    keys: { [BASE.id]: { secret: BASE.secret, arn: 'arn:aws:iam::111122223333:user/ci' } },
  });
  env = {
    AWS_ACCESS_KEY_ID: BASE.id,
    AWS_SECRET_ACCESS_KEY: BASE.secret,
    AWS_REGION: 'eu-central-1',
    AWS_ENDPOINT_URL_STS: sts.url,
  };
});
afterAll(() => sts.close());

const cluster = (name: string, authMetadata: Record<string, string> = {}): ClusterDetails => ({
  name,
  url: 'https://example.invalid',
  authMetadata: { 'kubernetes.io/auth-provider': 'aws', ...authMetadata },
  skipTLSVerify: false,
  skipMetricsLookup: true,
  timeoutMs: 5000,
  mode: 'live',
});

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

async function tokenOf(strategy: AwsIamStrategy, c: ClusterDetails): Promise<string> {
  const credential = await strategy.getCredential(c);
  expect(credential.type).toBe('bearer token');
  return credential.type === 'bearer token' ? credential.token : '';
}

describe('aws provider', () => {
  it('signs with the base keys when no role is set; STS accepts the token for that cluster id only', async () => {
    const token = await tokenOf(
      new AwsIamStrategy({ env }),
      cluster('prod', { 'kubernetes.io/x-k8s-aws-id': 'eks-prod' }),
    );
    const url = decode(token);
    expect(url.host).toBe('sts.eu-central-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      new RegExp(`^${BASE.id}/\\d{8}/eu-central-1/sts/aws4_request$`),
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBeNull();
    const accepted = await sts.callerIdentity(url.href, { host: url.host, 'x-k8s-aws-id': 'eks-prod' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toContain('<Arn>arn:aws:iam::111122223333:user/ci</Arn>');
    const replayed = await sts.callerIdentity(url.href, { host: url.host, 'x-k8s-aws-id': 'other' });
    expect(replayed.status).toBe(403);
  });

  it('uses the cluster name as cluster id by default', async () => {
    const url = decode(await tokenOf(new AwsIamStrategy({ env }), cluster('payments')));
    expect((await sts.callerIdentity(url.href, { host: url.host, 'x-k8s-aws-id': 'payments' })).status).toBe(
      200,
    );
  });

  it('assumes the role with its external id first, signs with the session, and caches it', async () => {
    const before = sts.assumeRoleCalls.length;
    const strategy = new AwsIamStrategy({ env });
    const c = cluster('eks-a', {
      'kubernetes.io/aws-assume-role': ROLE,
      'kubernetes.io/aws-external-id': 'ext-42',
    });
    const url = decode(await tokenOf(strategy, c));
    expect(sts.assumeRoleCalls.slice(before)).toEqual([
      {
        roleArn: ROLE,
        externalId: 'ext-42',
        roleSessionName: 'stitchboard',
        signedBy: BASE.id,
        region: 'eu-central-1',
      },
    ]);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^ASIA[0-9A-F]{16}\//);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBeTruthy();
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    const who = await sts.callerIdentity(url.href, { host: url.host, 'x-k8s-aws-id': 'eks-a' });
    expect(who.body).toContain('<Arn>arn:aws:sts::111122223333:assumed-role/eks-reader/stitchboard</Arn>');

    // A second cluster with the same role, and a second request: the session is reused.
    await tokenOf(strategy, { ...c, name: 'eks-b' });
    await tokenOf(strategy, c);
    expect(sts.assumeRoleCalls.length - before).toBe(1);
  });

  it('assumes again when the session is about to expire', async () => {
    sts.sessionSeconds = 120; // inside the five-minute renewal margin
    try {
      const before = sts.assumeRoleCalls.length;
      const strategy = new AwsIamStrategy({ env });
      const c = cluster('short', { 'kubernetes.io/aws-assume-role': ROLE });
      await tokenOf(strategy, c);
      await tokenOf(strategy, c);
      expect(sts.assumeRoleCalls.length - before).toBe(2);
    } finally {
      sts.sessionSeconds = 3600;
    }
  });

  it('reaches the role through aws.accounts[] when the account is configured', async () => {
    const before = sts.assumeRoleCalls.length;
    const strategy = new AwsIamStrategy({
      env: { AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url },
      aws: {
        mainAccount: { accessKeyId: BASE.id, secretAccessKey: BASE.secret },
        accounts: [{ accountId: '111122223333', roleName: 'hub', externalId: 'hub-ext' }],
        accountDefaults: {},
      },
    });
    await tokenOf(strategy, cluster('chained', { 'kubernetes.io/aws-assume-role': ROLE }));
    const calls = sts.assumeRoleCalls.slice(before);
    expect(
      calls.map((c) => [c.roleArn, c.externalId, c.signedBy.startsWith('ASIA') ? 'session' : c.signedBy]),
    ).toEqual([
      ['arn:aws:iam::111122223333:role/hub', 'hub-ext', BASE.id],
      [ROLE, undefined, 'session'],
    ]);
  });

  it('fails only its cluster when STS refuses the role, naming cluster and field but no key', async () => {
    const denied = 'arn:aws:iam::111122223333:role/forbidden';
    sts.denied.add(denied);
    const error = await new AwsIamStrategy({ env })
      .getCredential(cluster('locked', { 'kubernetes.io/aws-assume-role': denied }))
      .catch((e: unknown) => e);
    expect(isStitchboardError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("cluster 'locked'");
    expect(message).toContain('kubernetes.io/aws-assume-role');
    expect(message).toContain('AccessDenied');
    expect(message).not.toContain(BASE.secret);
  });

  it('names the problem when the base keys are wrong', async () => {
    const error = await new AwsIamStrategy({ env: { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' } })
      .getCredential(cluster('badkeys', { 'kubernetes.io/aws-assume-role': ROLE }))
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /cluster 'badkeys'.*SignatureDoesNotMatch|cluster 'badkeys'.*signature/s,
    );
    expect((error as Error).message).not.toContain('not-the-secret');
  });
});

describe('aws clusters in a fan-out', () => {
  const { alpha, beta } = testClusters();
  const ns = uniqueNamespace('aws');
  const entity = component('svc', { 'backstage.io/kubernetes-id': ns });

  beforeAll(async () => {
    await alpha.client.ensureNamespace(ns);
    await alpha.client.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: ns, labels: { 'backstage.io/kubernetes-id': ns } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
  });

  /** alpha as it is, plus one aws cluster per override on beta's API server. */
  const engineWith = (awsClusters: Partial<ConfigClusterConfig>[], objectTypes: ObjectType[]) =>
    testEngine(
      testConfig({
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [configCluster(alpha.info), ...awsClusters.map((c) => configCluster(beta.info, c))],
          },
        ],
        objectTypes,
      }),
      env,
    );
  /** The entity's answer by cluster name, after checking that alpha still answers. */
  const answerByCluster = async (objects: ReturnType<typeof testEngine>['objects']) => {
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual(['p']);
    return Object.fromEntries(response.items.map((i) => [i.cluster.name, i]));
  };

  it('a refused role or an unknown token is an error entry for that cluster; the others answer', async () => {
    sts.denied.add('arn:aws:iam::111122223333:role/forbidden');
    const { objects, close } = engineWith(
      [
        { name: 'eks-denied', authProvider: 'aws', assumeRole: 'arn:aws:iam::111122223333:role/forbidden' },
        { name: 'eks-unknown', authProvider: 'aws' },
      ],
      ['pods', 'services'],
    );
    try {
      const byName = await answerByCluster(objects);
      expect(byName['eks-denied']?.errors).toEqual([
        {
          errorType: 'FETCH_ERROR',
          message: expect.stringMatching(
            /^cluster 'eks-denied': authProvider aws \(authMetadata\["kubernetes.io\/aws-assume-role"\]\): AssumeRole of .*AccessDenied/,
          ),
        },
      ]);
      // The lab's API server has no EKS authenticator: it refuses the (valid) token, per object type.
      expect(
        byName['eks-unknown']?.errors.map((e) => [e.errorType, 'statusCode' in e ? e.statusCode : undefined]),
      ).toEqual([
        ['UNAUTHORIZED_ERROR', 401],
        ['UNAUTHORIZED_ERROR', 401],
      ]);
    } finally {
      await close();
    }
  });

  it('a cluster whose auth metadata breaks its provider’s rules fails with the cluster and key named, before STS is asked', async () => {
    const calls = sts.assumeRoleCalls.length;
    const { objects, close } = engineWith(
      [
        { name: 'eks-bad-role', authProvider: 'aws', assumeRole: 'eks-reader' },
        { name: 'eks-lone-id', authProvider: 'aws', externalId: 'x' },
      ],
      ['pods'],
    );
    try {
      const byName = await answerByCluster(objects);
      expect(byName['eks-bad-role']?.errors).toEqual([
        {
          errorType: 'FETCH_ERROR',
          message:
            'cluster \'eks-bad-role\': authProvider aws: authMetadata["kubernetes.io/aws-assume-role"] must be an IAM role ARN such as arn:aws:iam::111122223333:role/name (assumeRole)',
        },
      ]);
      expect(byName['eks-lone-id']?.errors).toEqual([
        {
          errorType: 'FETCH_ERROR',
          message: expect.stringMatching(
            /^cluster 'eks-lone-id': authProvider aws: authMetadata\["kubernetes.io\/aws-external-id"\] is only sent with assumeRole/,
          ),
        },
      ]);
      expect(sts.assumeRoleCalls.length).toBe(calls);
    } finally {
      await close();
    }
  });
});
