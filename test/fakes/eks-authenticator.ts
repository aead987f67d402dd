/**
 * What EKS runs behind its API server to accept `k8s-aws-v1.` tokens (aws-iam-authenticator), as a
 * kube-apiserver token webhook on loopback: it decodes the token, checks the presigned GetCallerIdentity
 * URL the way the authenticator does (action, version, cluster id among the signed headers, age), replays
 * it to STS (the loopback fake, which verifies the signature) and maps the caller's ARN to a username.
 * Hand `kubeconfigFile` to `--authentication-token-webhook-config-file`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeSts } from './aws-sts.ts';
import { startFakeServer } from './http-server.ts';
import { parseAmzDate } from './sigv4.ts';

const PREFIX = 'k8s-aws-v1.';
const MAX_AGE_MS = 15 * 60_000;

export interface EksAuthenticator {
  kubeconfigFile: string;
  /** Why each refused token was refused, in order. */
  refusals: string[];
  close(): Promise<void>;
}

export async function startEksAuthenticator(options: {
  sts: FakeSts;
  clusterId: string;
}): Promise<EksAuthenticator> {
  const refusals: string[] = [];
  const review = async (token: string): Promise<{ username: string; arn: string } | string> => {
    if (!token.startsWith(PREFIX)) return 'not an EKS token';
    let url: URL;
    try {
      url = new URL(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
    } catch {
      return 'not base64url of a URL';
    }
    const q = url.searchParams;
    if (!/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(url.hostname) || url.pathname !== '/') {
      return 'not an STS URL';
    }
    if (q.get('Action') !== 'GetCallerIdentity' || q.get('Version') !== '2011-06-15') {
      return 'not GetCallerIdentity';
    }
    if (!(q.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id')) {
      return 'x-k8s-aws-id is not signed';
    }
    const signedAt = parseAmzDate(q.get('X-Amz-Date') ?? '').getTime();
    if (!(Date.now() - signedAt < MAX_AGE_MS)) return 'X-Amz-Date is missing or older than 15 minutes';
    const answer = await options.sts.callerIdentity(url.href, {
      host: url.host,
      'x-k8s-aws-id': options.clusterId,
    });
    if (answer.status !== 200) return `STS answered ${answer.status}`;
    const arn = /<Arn>([^<]+)<\/Arn>/.exec(answer.body)?.[1] ?? '';
    // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is the role arn:aws:iam::ACCOUNT:role/ROLE, as mapRoles sees it.
    const canonical = arn.replace(
      /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.*$/,
      'arn:$1:iam::$2:role/$3',
    );
    return { username: canonical, arn };
  };

  const server = await startFakeServer(async (req) => {
    const body = JSON.parse(req.body || '{}') as { apiVersion?: string; spec?: { token?: string } };
    const verdict = await review(body.spec?.token ?? '');
    if (typeof verdict === 'string') refusals.push(verdict);
    return {
      body: {
        apiVersion: body.apiVersion ?? 'authentication.k8s.io/v1beta1',
        kind: 'TokenReview',
        status:
          typeof verdict === 'string'
            ? { authenticated: false, error: verdict }
            : {
                authenticated: true,
                user: { username: verdict.username, uid: `aws-iam-authenticator:${verdict.arn}`, groups: [] },
              },
      },
    };
  });
  const dir = await mkdtemp(join(tmpdir(), 'sb-eks-webhook-'));
  const kubeconfigFile = join(dir, 'webhook.kubeconfig');
  await writeFile(
    kubeconfigFile,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: aws-iam-authenticator',
      `  cluster: { server: "${server.url}/authenticate" }`,
      'users:',
      '- name: apiserver',
      '  user: {}',
      'contexts:',
      '- name: webhook',
      '  context: { cluster: aws-iam-authenticator, user: apiserver }',
      'current-context: webhook',
      '',
    ].join('\n'),
  );
  return {
    kubeconfigFile,
    refusals,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
