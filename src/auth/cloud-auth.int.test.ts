import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../../test/fakes/aws-sts.ts';
import { startFakeAzureAd, type FakeAzureAd } from '../../test/fakes/azure-ad.ts';
import { startEksAuthenticator, type EksAuthenticator } from '../../test/fakes/eks-authenticator.ts';
import { startFakeGoogle, type FakeGoogle } from '../../test/fakes/google.ts';
import { startOidcIssuer, type OidcIssuer } from '../../test/fakes/oidc-issuer.ts';
import { makeTestTls, trustCa, type TestTls } from '../../test/fakes/tls.ts';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { component, configCluster, namesOf, testConfig, testEngine } from '../../test/helpers/engine.ts';
import { KubeClient } from '../../tools/kube/client.ts';
import { startCluster, stopCluster } from '../../tools/kube/lab.ts';
import type { ClusterInfo } from '../../tools/kube/types.ts';
import type { KubernetesRequestAuth, ObjectsByEntityResponse } from '../contract/kubernetes.ts';

// End to end against a real kube-apiserver that trusts an OIDC issuer on loopback (self-signed CA):
// tokens forwarded from the request (oidc) and tokens Stitchboard obtains itself (googleServiceAccount
// through a GKE-located cluster, azure) are accepted by the API server, and its RBAC decides what each
// identity sees. Google and Entra on loopback mint their access tokens as ID tokens of that issuer, which
// is how GKE and AKS clusters see Google and Entra identities.
const CLIENT_ID = 'stitchboard';
const ALICE = 'alice@example.com';
const GSA = 'stitchboard@proj-1.iam.gserviceaccount.com';
const AKS_SP = 'aks-reader@contoso.example';
const TENANT = 'contoso';
const AZ_CLIENT = '11111111-2222-3333-4444-555555555555';
const AZ_SECRET = 'azure-client-secret-EXAMPLE';
const AWS_KEY = { id: 'AKIAE2EEXAMPLE000001', secret: 'e2e/aws+secret/EXAMPLE00000000000000000' };
const AWS_ROLE = 'arn:aws:iam::111122223333:role/eks-reader';
const EKS_CLUSTER_ID = 'lab-eks';

const { alpha } = testClusters();
const ns = uniqueNamespace('oidc');
const entity = component('shop', { 'backstage.io/kubernetes-id': ns });
let tls: TestTls;
let untrust: () => void;
let issuer: OidcIssuer;
let google: FakeGoogle;
let aad: FakeAzureAd;
let sts: FakeSts;
let eks: EksAuthenticator;
let info: ClusterInfo;
let admin: KubeClient;
let dir: string;

beforeAll(async () => {
  tls = await makeTestTls('oidc-issuer');
  untrust = trustCa(tls.ca); // Entra's endpoint is HTTPS with this CA too
  issuer = await startOidcIssuer(tls);
  google = await startFakeGoogle();
  google.mintAccessToken = (claims) => issuer.sign({ email: String(claims.iss), aud: CLIENT_ID });
  aad = await startFakeAzureAd({ tls, clients: { [AZ_CLIENT]: AZ_SECRET } });
  aad.mintAccessToken = () => issuer.sign({ email: AKS_SP, aud: CLIENT_ID });
  sts = await startFakeSts({
    keys: { [AWS_KEY.id]: { secret: AWS_KEY.secret, arn: 'arn:aws:iam::111122223333:user/stitchboard' } },
  });
  eks = await startEksAuthenticator({ sts, clusterId: EKS_CLUSTER_ID });
  dir = await mkdtemp(join(tmpdir(), 'sb-cloud-auth-'));

  // Next to alpha and beta, so a killed run's cluster is cleaned up with theirs.
  info = await startCluster({
    name: 'oidc',
    stateDir: join(dirname(alpha.info.stateDir), `oidc-${process.pid}`),
    extraArgs: [
      `--oidc-issuer-url=${issuer.url}`,
      `--oidc-client-id=${CLIENT_ID}`,
      `--oidc-ca-file=${tls.caFile}`,
      '--oidc-username-claim=email',
      '--oidc-groups-claim=groups',
      `--authentication-token-webhook-config-file=${eks.kubeconfigFile}`,
    ],
    log: () => {},
  });
  admin = new KubeClient(info);
  for (const client of [admin, alpha.client]) {
    await client.ensureNamespace(ns);
    await client.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: ns, labels: { 'backstage.io/kubernetes-id': ns } },
      spec: { containers: [{ name: 'web', image: 'shop:1' }] },
    });
  }
  await admin.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: ns, labels: { 'backstage.io/kubernetes-id': ns } },
    spec: { ports: [{ port: 80 }] },
  });
  // Every identity here may read pods, and nothing else.
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'pods-reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
  });
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'pods-readers' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pods-reader' },
    subjects: [ALICE, GSA, AKS_SP, AWS_ROLE].map((name) => ({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'User',
      name,
    })),
  });
  // The authenticator discovers the issuer in the background and RBAC reads through a cache: wait for both.
  const alice = new KubeClient(info, { token: await issuer.sign({ email: ALICE, aud: CLIENT_ID }) });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await alice.request('GET', `/api/v1/namespaces/${ns}/pods`);
    if (res.status === 200) break;
    if (Date.now() > deadline) {
      throw new Error(`alice never got 200 from the OIDC cluster (last ${res.status})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  alice.close();
}, 180_000);

afterAll(async () => {
  admin?.close();
  if (info) await stopCluster(info.stateDir, { delete: true });
  await Promise.all([issuer?.close(), google?.close(), aad?.close(), eks?.close(), sts?.close()]);
  untrust?.();
  await tls?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const TYPES = ['pods', 'services', 'configmaps'] as const;

async function query(
  clusters: Parameters<typeof testConfig>[0]['clusterLocatorMethods'],
  auth: KubernetesRequestAuth,
  env: NodeJS.ProcessEnv = {},
): Promise<ObjectsByEntityResponse> {
  const { objects, close } = testEngine(
    testConfig({ clusterLocatorMethods: clusters, objectTypes: [...TYPES] }),
    env,
  );
  try {
    return await objects.getObjectsByEntity({ entity, auth });
  } finally {
    await close();
  }
}

const oidcCluster = () =>
  configCluster(info, { authProvider: 'oidc', oidcTokenProvider: 'okta', serviceAccountToken: undefined });
const errorsOf = (response: ObjectsByEntityResponse, name: string) =>
  response.items
    .find((i) => i.cluster.name === name)
    ?.errors.map((e) =>
      'statusCode' in e
        ? [e.errorType, e.statusCode, e.resourcePath]
        : [e.errorType, 'message' in e ? e.message : ''],
    );

/** RBAC allows pods only: the pod comes back, services and configmaps are 403 entries. */
function expectPodsOnly(response: ObjectsByEntityResponse, name: string) {
  expect(namesOf(response, name, 'pods')).toEqual(['web-1']);
  expect(errorsOf(response, name)).toEqual([
    ['UNKNOWN_ERROR', 403, '/api/v1/services'],
    ['UNKNOWN_ERROR', 403, '/api/v1/configmaps'],
  ]);
}

describe('oidc, end to end', () => {
  it('forwards the request token; the API server accepts it and its RBAC decides what is seen', async () => {
    const token = await issuer.sign({ email: ALICE, aud: CLIENT_ID, groups: ['shop'] });
    const response = await query([{ type: 'config', clusters: [oidcCluster()] }], { oidc: { okta: token } });
    expectPodsOnly(response, 'oidc');
  });

  it.each([
    ['expired', { expiresIn: -120 }, {}],
    ['signed with a key the issuer does not publish', { foreignKey: true }, {}],
    ['for another client', {}, { aud: 'someone-else' }],
  ])('a token %s gets 401 entries for that cluster only', async (_label, signOptions, claims) => {
    const token = await issuer.sign({ email: ALICE, aud: CLIENT_ID, ...claims }, signOptions);
    const response = await query([{ type: 'config', clusters: [oidcCluster(), configCluster(alpha.info)] }], {
      oidc: { okta: token },
    });
    expect(errorsOf(response, 'oidc')).toEqual(TYPES.map((t) => ['UNAUTHORIZED_ERROR', 401, `/api/v1/${t}`]));
    expect(errorsOf(response, alpha.info.name)).toEqual([]);
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual(['web-1']);
  });

  it('a missing token is an error entry naming the provider, not a failed request', async () => {
    const response = await query([{ type: 'config', clusters: [oidcCluster(), configCluster(alpha.info)] }], {
      oidc: { gitlab: 'not-the-one' },
    });
    expect(errorsOf(response, 'oidc')).toEqual([
      ['FETCH_ERROR', "Auth token not found under oidc.okta in request body (cluster 'oidc')"],
    ]);
    expect(errorsOf(response, alpha.info.name)).toEqual([]);
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual(['web-1']);
  });
});

describe('server-side providers against the same API server', () => {
  it('googleServiceAccount: a GKE-located cluster gets the service account token, and RBAC applies', async () => {
    const keyFile = join(dir, 'gsa.json');
    await writeFile(keyFile, JSON.stringify(google.serviceAccountKey(GSA)));
    const endpoint = new URL(info.url).host;
    google.clusters.set('projects/proj-1/locations/europe-west1', [
      { name: 'gke-lab', endpoint, masterAuth: { clusterCaCertificate: info.caData }, resourceLabels: {} },
    ]);
    const grantsBefore = google.grants.length;
    const response = await query(
      [
        {
          type: 'gke',
          projectId: 'proj-1',
          region: '-',
          authProvider: 'googleServiceAccount',
          skipTLSVerify: false,
          skipMetricsLookup: true,
          exposeDashboard: false,
          matchingResourceLabels: [],
          endpointType: 'public',
        },
      ],
      {},
      { GOOGLE_APPLICATION_CREDENTIALS: keyFile, STITCHBOARD_GKE_API_URL: google.url },
    );
    expectPodsOnly(response, 'gke-lab');
    expect(google.grants.slice(grantsBefore).map((g) => g.claims.iss)).toEqual([GSA]);
  });

  it('azure: the Entra token for AKS reaches the API server as a bearer token, and RBAC applies', async () => {
    const response = await query(
      [
        {
          type: 'config',
          clusters: [
            configCluster(info, { name: 'aks-lab', authProvider: 'azure', serviceAccountToken: undefined }),
          ],
        },
      ],
      {},
      {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: AZ_CLIENT,
        AZURE_CLIENT_SECRET: AZ_SECRET,
        AZURE_AUTHORITY_HOST: aad.url,
      },
    );
    expectPodsOnly(response, 'aks-lab');
    expect(aad.grants.at(-1)).toMatchObject({
      tenant: TENANT,
      clientId: AZ_CLIENT,
      scope: '6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    });
  });

  it('aws: the EKS token passes the authenticator (replayed to STS) as the assumed role, and RBAC applies', async () => {
    const before = sts.assumeRoleCalls.length;
    const eksCluster = (name: string, metadata: Record<string, string>) =>
      configCluster(info, {
        name,
        authProvider: 'aws',
        serviceAccountToken: undefined,
        assumeRole: AWS_ROLE,
        externalId: 'lab-external-id',
        authMetadata: metadata,
      });
    const response = await query(
      [
        {
          type: 'config',
          clusters: [
            eksCluster('eks-lab', { 'kubernetes.io/x-k8s-aws-id': EKS_CLUSTER_ID }),
            // Signed for another cluster id: the authenticator's replay no longer matches the signature.
            eksCluster('eks-other', {}),
          ],
        },
      ],
      {},
      {
        AWS_ACCESS_KEY_ID: AWS_KEY.id,
        AWS_SECRET_ACCESS_KEY: AWS_KEY.secret,
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_STS: sts.url,
      },
    );
    expectPodsOnly(response, 'eks-lab');
    expect(errorsOf(response, 'eks-other')).toEqual(
      TYPES.map((t) => ['UNAUTHORIZED_ERROR', 401, `/api/v1/${t}`]),
    );
    expect(eks.refusals).toContain('STS answered 403');
    expect(sts.assumeRoleCalls.slice(before)).toEqual([
      expect.objectContaining({ roleArn: AWS_ROLE, externalId: 'lab-external-id', signedBy: AWS_KEY.id }),
    ]);
  });
});
