import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAzureAd, type FakeAzureAd } from '../../test/fakes/azure-ad.ts';
import { makeTestTls, trustCa, type TestTls } from '../../test/fakes/tls.ts';
import { bearerTokenOf, cloudCluster } from '../../test/helpers/credentials.ts';
import { isStitchboardError } from '../errors/errors.ts';
import { silentLogger } from '../shared/logger.ts';
import { AKS_SCOPE, AzureIdentityStrategy } from './azure-identity.ts';

// azure through the real @azure/identity (MSAL) against Microsoft Entra's v2.0 endpoints on loopback HTTPS.
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0f3e1ad4-3a1b-4c5d-9e8f-0123456789ab';
const SECRET = 'client~secret.value-EXAMPLE-0123456789';
let tls: TestTls;
let untrust: () => void;
let aad: FakeAzureAd;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  tls = await makeTestTls('entra');
  untrust = trustCa(tls.ca);
  aad = await startFakeAzureAd({ tls, clients: { [CLIENT]: SECRET } });
  env = {
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: SECRET,
    AZURE_AUTHORITY_HOST: aad.url,
  };
});
afterAll(async () => {
  await aad.close();
  untrust();
  await tls.remove();
});

const cluster = cloudCluster('azure', 'aks-west', 'https://aks-west.hcp.westeurope.azmk8s.io');
const tokenOf = (strategy: AzureIdentityStrategy) => bearerTokenOf(strategy, cluster);

describe('azure provider', () => {
  it('gets a client-credentials token for the AKS scope from the tenant, once for concurrent requests', async () => {
    const before = aad.grants.length;
    const strategy = new AzureIdentityStrategy({ logger: silentLogger(), env });
    const [a, b, c] = await Promise.all([tokenOf(strategy), tokenOf(strategy), tokenOf(strategy)]);
    const grants = aad.grants.slice(before);
    expect(grants).toEqual([
      { tenant: TENANT, clientId: CLIENT, scope: AKS_SCOPE, grantType: 'client_credentials', accessToken: a },
    ]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(aad.metadataRequests).toBeGreaterThan(0);
    expect(await tokenOf(strategy)).toBe(a);
    expect(aad.grants.length - before).toBe(1);
  });

  it('refreshes inside the last 15 minutes, and keeps the old token while refreshes fail', async () => {
    let now = Date.now();
    const strategy = new AzureIdentityStrategy({ logger: silentLogger(), env, now: () => now });
    aad.expiresIn = 240; // short enough that MSAL's own cache asks Entra again too
    try {
      const first = await tokenOf(strategy);
      // A 4xx: after a 5xx or 429 MSAL would throttle this client for a minute.
      aad.failWith = { status: 400, error: 'invalid_request', code: 90002, description: 'Tenant not found.' };
      const before = aad.grants.length;
      expect(await tokenOf(strategy)).toBe(first); // refresh failed: reused
      aad.failWith = undefined;
      const second = await tokenOf(strategy);
      expect(second).not.toBe(first);
      expect(aad.grants.length - before).toBe(1);

      // Once the held token has expired, a failing refresh fails the cluster.
      aad.failWith = {
        status: 401,
        error: 'invalid_client',
        code: 7000215,
        description: 'Invalid client secret provided.',
      };
      now += 10 * 60_000;
      const error = await strategy.getCredential(cluster).catch((e: unknown) => e);
      expect(isStitchboardError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^cluster 'aks-west': authProvider azure: no Microsoft Entra token for AKS: .*AADSTS7000215/s,
      );
    } finally {
      aad.expiresIn = 3599;
      aad.failWith = undefined;
    }
  });

  it('fails its cluster on a wrong secret, without echoing it', async () => {
    const error = await new AzureIdentityStrategy({
      logger: silentLogger(),
      env: { ...env, AZURE_CLIENT_SECRET: 'wrong-secret-EXAMPLE' },
    })
      .getCredential(cluster)
      .catch((e: unknown) => e);
    expect(isStitchboardError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^cluster 'aks-west': authProvider azure: .*invalid_client|AADSTS7000215/s,
    );
    expect((error as Error).message).not.toContain('wrong-secret-EXAMPLE');
    expect((error as Error).message).not.toContain(SECRET);
  });
});
