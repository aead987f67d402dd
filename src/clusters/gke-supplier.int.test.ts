import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, jwtVerify } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle, type GkeCluster } from '../../test/fakes/google.ts';
import { testConfig } from '../../test/helpers/engine.ts';
import { gkeLocator, type GkeLocator } from '../config/test-support.ts';
import { isStitchboardError } from '../errors/errors.ts';
import { buildClusterSupplier } from './index.ts';

// The gke locator through Google's own client (@google-cloud/container, HTTP/JSON transport) against
// the GKE API on loopback, authenticated with a service account key the fake verifies.
const EMAIL = 'locator@proj-1.iam.gserviceaccount.com';
let google: FakeGoogle;
let key: Record<string, string>;
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBgke\n-----END CERTIFICATE-----\n').toString(
  'base64',
);
const cluster = (name: string, location: string, labels: Record<string, string> = {}): GkeCluster => ({
  name,
  location,
  endpoint: `34.1.${location.length}.${name.length}`,
  resourceLabels: labels,
  controlPlaneEndpointsConfig: { dnsEndpointConfig: { endpoint: `gke-${name}.${location}.gke.goog` } },
  masterAuth: { clusterCaCertificate: CA },
});

beforeAll(async () => {
  google = await startFakeGoogle();
  key = google.serviceAccountKey(EMAIL);
  google.clusters.set('projects/proj-1/locations/europe-west1', [
    cluster('prod', 'europe-west1', { env: 'prod', team: 'shop' }),
    cluster('dev', 'europe-west1', { env: 'dev' }),
  ]);
  google.clusters.set('projects/proj-1/locations/us-central1', [
    cluster('us-prod', 'us-central1', { env: 'prod' }),
  ]);
});
afterAll(() => google.close());

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

function supplierFor(
  locator: Partial<GkeLocator>,
  options: { refreshMs?: number; continueOnError?: boolean; credentials?: string } = {},
) {
  const { logger, lines } = logLines();
  const config = testConfig(
    {
      clusterLocatorMethods: [gkeLocator(locator)],
      clusterLocatorContinueOnError: options.continueOnError ?? false,
      googleServiceAccountCredentials: options.credentials ?? JSON.stringify(key),
    },
    options.refreshMs === undefined ? {} : { gkeRefreshIntervalMs: options.refreshMs },
  );
  const supplier = buildClusterSupplier(config, { logger, env: { STITCHBOARD_GKE_API_URL: google.url } });
  return { supplier, lines };
}

describe('gke locator', () => {
  it('lists every region of the project through the client library, signed by the configured key', async () => {
    const before = google.listCalls.length;
    const { supplier } = supplierFor({ matchingResourceLabels: [{ key: 'env', value: 'prod' }] });
    const clusters = await supplier.getClusters();
    expect(clusters.map((c) => [c.name, c.url]).sort()).toEqual([
      ['prod', 'https://34.1.12.4'],
      ['us-prod', 'https://34.1.11.7'],
    ]);
    expect(clusters[0]).toMatchObject({
      authMetadata: { 'kubernetes.io/auth-provider': 'google' },
      caData: CA,
      skipTLSVerify: false,
      skipMetricsLookup: false,
      timeoutMs: 5000,
      mode: 'live',
    });
    const calls = google.listCalls.slice(before);
    expect(calls.map((c) => c.path)).toEqual(['/v1/projects/proj-1/locations/-/clusters']);
    // The client signs a self-signed JWT with the key (no token exchange for Google APIs); check it here.
    const jwt = calls[0]?.authorization.replace(/^Bearer /, '') ?? '';
    const publicKey = google.publicKeyOf(EMAIL);
    if (!publicKey) throw new Error('no public key');
    const { payload } = await jwtVerify(jwt, publicKey);
    expect(payload).toMatchObject({
      iss: EMAIL,
      sub: EMAIL,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
    expect(decodeJwt(jwt).exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('lists one region, with DNS endpoints, the dashboard and the googleServiceAccount provider', async () => {
    const { supplier } = supplierFor({
      region: 'europe-west1',
      endpointType: 'dns',
      exposeDashboard: true,
      authProvider: 'googleServiceAccount',
      skipMetricsLookup: true,
    });
    const clusters = await supplier.getClusters();
    expect(google.listCalls.at(-1)?.path).toBe('/v1/projects/proj-1/locations/europe-west1/clusters');
    expect(clusters.find((c) => c.name === 'prod')).toEqual({
      name: 'prod',
      url: 'https://gke-prod.europe-west1.gke.goog',
      authMetadata: { 'kubernetes.io/auth-provider': 'googleServiceAccount' },
      skipTLSVerify: false,
      skipMetricsLookup: true,
      dashboardApp: 'gke',
      dashboardParameters: { projectId: 'proj-1', region: 'europe-west1', clusterName: 'prod' },
      timeoutMs: 5000,
      mode: 'live',
    });
  });

  it('serves the cached list, refreshes after the interval, and keeps the last good list when a refresh fails', async () => {
    const parent = 'projects/proj-2/locations/asia-east1';
    google.clusters.set(parent, [cluster('a', 'asia-east1')]);
    const { supplier, lines } = supplierFor(
      { projectId: 'proj-2', region: 'asia-east1' },
      { refreshMs: 300 },
    );
    const calls = () => google.listCalls.filter((c) => c.path.includes('proj-2')).length;
    const names = async () => (await supplier.getClusters()).map((c) => c.name);

    expect(await names()).toEqual(['a']);
    expect(await names()).toEqual(['a']);
    expect(calls()).toBe(1);

    google.clusters.set(parent, [cluster('a', 'asia-east1'), cluster('b', 'asia-east1')]);
    await sleep(350);
    expect(await names()).toEqual(['a', 'b']);
    expect(calls()).toBe(2);

    google.failClusters = 403;
    try {
      google.clusters.set(parent, []);
      await sleep(350);
      expect(await names()).toEqual(['a', 'b']);
      expect(calls()).toBe(3);
      const warning = lines.find((l) => String(l.msg).includes('keeping the last good list'));
      expect(warning).toMatchObject({ level: 40, parent, kept: 2 });
      expect(String(warning?.msg)).toMatch(
        /projectId=proj-2 region=asia-east1 failed: .*PERMISSION_DENIED|403/,
      );
    } finally {
      google.failClusters = undefined;
    }
    await sleep(350);
    expect(await names()).toEqual([]);
  });

  it('fails the first listing, naming project and region, unless the locators continue on error', async () => {
    google.failClusters = 403;
    try {
      const error = await supplierFor({ projectId: 'proj-3' })
        .supplier.getClusters()
        .catch((e: unknown) => e);
      expect(isStitchboardError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^gke cluster locator: listing GKE clusters of projectId=proj-3 region=- failed: /,
      );

      const { supplier, lines } = supplierFor({ projectId: 'proj-3' }, { continueOnError: true });
      expect(await supplier.getClusters()).toEqual([]);
      expect(lines.some((l) => l.msg === 'cluster locator failed; skipped' && l.locator === 'gke')).toBe(
        true,
      );
    } finally {
      google.failClusters = undefined;
    }
  });

  it('reports a bad credentials key without echoing it', async () => {
    const error = await supplierFor({}, { credentials: '{"private_key": "-----BEGIN PRIVATE KEY-----' })
      .supplier.getClusters()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/kubernetes\.googleServiceAccountCredentials: not valid JSON/);
    expect((error as Error).message).not.toContain('BEGIN');
  });
});
