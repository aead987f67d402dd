import type { Entity } from '@backstage/catalog-model';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { pickFreePort } from '../../../tools/kube/ports.ts';
import { seedWorkload } from '../../../tools/seed/workloads.ts';
import { startBackstage, type BackstageFixture } from '../../helpers/backstage.ts';
import { testClusters, uniqueNamespace } from '../../helpers/clusters.ts';
import { V120_OVERRIDES, configCluster, rawKubernetes } from '../../helpers/engine.ts';
import { appConfigHead, startServe, type RunningServer } from '../../helpers/serve.ts';
import { launchBrowser, type Browser } from './browser.ts';
import { buildWeb } from './build-web.ts';

// The web UI as a person uses it: the real `stitchboard serve` process, two real clusters holding a
// component's Deployment → ReplicaSet → Pods, a real Backstage catalog, and Debian's Chromium clicking
// through the built UI. Screenshots of every page land in docs/screenshots/ for the README.
const { alpha, beta } = testClusters();
const ns = uniqueNamespace('ui');
const suffix = ns.slice(-6);
const id = `shop-${suffix}`;
const unclaimed = `legacy-cache-${suffix}`;
const API_TOKEN = 'ui-e2e-static-token-0123456789';
const SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: id,
      title: 'Shop checkout',
      description: 'Takes the basket to a paid order.',
      annotations: { 'backstage.io/kubernetes-id': id, 'backstage.io/kubernetes-namespace': ns },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout', system: 'shop' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `orders-${suffix}`, annotations: { 'backstage.io/kubernetes-id': `orders-${suffix}` } },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/ghost-team', system: 'shop' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `docs-site-${suffix}`, title: 'Docs site' },
    spec: { type: 'website', lifecycle: 'production', owner: 'team-checkout' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-checkout' },
    spec: {
      type: 'team',
      children: [],
      profile: { displayName: 'Checkout Team', email: 'checkout-team@example.com' },
    },
  },
];

let dir: string;
let backstage: BackstageFixture;
let server: RunningServer;
let browser: Browser;
let page: Page;
let firstPod: string;

async function seedClusters() {
  const labels = { 'backstage.io/kubernetes-id': id, app: id };
  const resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
  await Promise.all([alpha.client.ensureNamespace(ns), beta.client.ensureNamespace(ns)]);
  await Promise.all([
    seedWorkload(alpha.client, { name: id, namespace: ns, labels, replicas: 3, resources }),
    seedWorkload(beta.client, {
      name: id,
      namespace: ns,
      labels,
      replicas: 2,
      podState: 'crashloop',
      resources,
    }),
  ]);
  await alpha.client.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: unclaimed, namespace: ns, labels: { app: 'legacy-cache' } },
    spec: { selector: { app: 'legacy-cache' }, ports: [{ port: 6379 }] },
  });
  await alpha.client.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${id}-config`, namespace: ns, labels },
    data: { LOG_LEVEL: 'info', CURRENCY: 'EUR' },
  });
  const pods = await alpha.client.get<{ items: { metadata: { name: string; uid: string } }[] }>(
    `/api/v1/namespaces/${ns}/pods`,
  );
  const pod = pods.items.map((p) => p.metadata).sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!pod) throw new Error('seeding made no pods');
  firstPod = pod.name;
  // No kubelet runs here, so write the events one would have.
  const now = new Date().toISOString();
  await alpha.client.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.name}.scheduled`, namespace: ns },
    involvedObject: { kind: 'Pod', name: pod.name, namespace: ns, uid: pod.uid, apiVersion: 'v1' },
    reason: 'Scheduled',
    message: `Successfully assigned ${ns}/${pod.name} to node-a`,
    type: 'Normal',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'default-scheduler' },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-ui-e2e-'));
  // A cluster nobody listens for: its failure must show as its own, the other clusters as usual.
  const downPort = await pickFreePort();
  [backstage] = await Promise.all([startBackstage({ entities }), buildWeb(), seedClusters()]);
  const clusters = [
    configCluster(alpha.info, {
      title: 'Alpha (eu-west)',
      serviceAccountToken: '${ALPHA_TOKEN}',
      dashboardUrl: 'https://dashboard.alpha.example.com/',
      dashboardApp: 'standard',
    }),
    configCluster(beta.info, { title: 'Beta (us-east)', serviceAccountToken: '${BETA_TOKEN}' }),
    {
      name: 'gamma',
      title: 'Gamma (decommissioned)',
      url: `https://127.0.0.1:${downPort}`,
      authProvider: 'serviceAccount',
      serviceAccountToken: 'gamma-token-never-shown',
      skipTLSVerify: true,
      skipMetricsLookup: false,
    },
  ];
  await writeFile(
    join(dir, 'app-config.yaml'),
    `${appConfigHead(dir, 'ui-e2e')}  catalog:
    - type: backstage
      endpoint: ${backstage.url}
      token: \${BACKSTAGE_TOKEN}
  kubernetes:
    # Served from watches, so the Component page gets changes pushed over Server-Sent Events.
    mode: watch
  # Adding an instance and starting a run are writes: they need stitchboard.admin.
  permissions:
    - allow: ['*']
      users: [ui-e2e]
scrapers:
  backstage:
    enabled: true
    interval: 1h
    discovery:
      cluster: ${alpha.info.name}
      namespaces: [${ns}]
    instances:
      - name: main
        endpoint: ${backstage.url}
        token: \${BACKSTAGE_TOKEN}
${stringify({ kubernetes: { ...rawKubernetes(clusters), apiVersionOverrides: V120_OVERRIDES } })}`,
  );
  server = await startServe(['--config', join(dir, 'app-config.yaml')], {
    env: {
      API_TOKEN,
      ALPHA_TOKEN: alpha.info.adminToken,
      BETA_TOKEN: beta.info.adminToken,
      BACKSTAGE_TOKEN: backstage.token,
    },
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await mkdir(SHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (server) expect(await server.stop()).toBe(0);
  await backstage?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });

describe('the web UI, in Chromium, against the real server and clusters', () => {
  it('asks for the token the API wants, then lists components with where they run and their health', async () => {
    await page.goto(`${server.url}/components?q=${suffix}`);
    await page.getByText('This Stitchboard needs an access token').waitFor();
    await page.getByLabel('Token', { exact: true }).fill(API_TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'Shop checkout' }) });
    await row.waitFor();
    await expect
      .poll(() => row.locator('.chip').allTextContents())
      .toEqual([alpha.info.name, beta.info.name, 'gamma !']);
    // Beta's pods crash-loop and its Deployment says it is unavailable: Backstage's rules make that an error.
    expect(await row.locator('.badge').textContent()).toBe('Error');
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(page.url()).toContain(`q=${suffix}`);
    await shot('components');
  });

  it("opens a component and shows its pods in both clusters, grouped under their Deployment, with Backstage's fix hints", async () => {
    await page.getByRole('link', { name: 'Shop checkout' }).click();
    await page.waitForURL(`**/components/component/default/${id}*`);
    const alphaSection = page.locator(`section[data-cluster="${alpha.info.name}"]`);
    const betaSection = page.locator(`section[data-cluster="${beta.info.name}"]`);
    await alphaSection.locator('tr[data-pod]').first().waitFor();
    expect(await alphaSection.locator('tr[data-pod]').count()).toBe(3);
    expect(await betaSection.locator('tr[data-pod]').count()).toBe(2);
    expect(await alphaSection.locator('.workload-head').first().textContent()).toContain(`${id}3/3 ready`);
    expect(await betaSection.locator('.phase').first().textContent()).toBe('CrashLoopBackOff');
    const gamma = page.locator('section[data-cluster="gamma"]');
    expect(await gamma.getByRole('alert').textContent()).toMatch(
      /gamma could not be read; the other clusters are shown as usual\.Error communicating with Kubernetes: FETCH_ERROR, message: .*127\.0\.0\.1/,
    );
    expect(await page.content()).not.toContain('gamma-token-never-shown');
    const errors = page.locator('.panel-errors');
    expect(await errors.textContent()).toContain('Deployment does not have minimum availability.');
    expect(await errors.textContent()).toContain(
      'CrashLoopBackOff: The container app has crashed many times',
    );
    expect(
      await alphaSection
        .locator('.workload-head')
        .getByRole('link', { name: 'dashboard ↗' })
        .getAttribute('href'),
    ).toBe(`https://dashboard.alpha.example.com/#/deployment/${ns}/${id}?namespace=${ns}`);
    await shot('component');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('component-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('opens a pod’s drawer with its YAML and events, and a change arrives live without closing it', async () => {
    await page.getByRole('button', { name: `Pod ${firstPod}: show YAML and events` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText(`Successfully assigned ${ns}/${firstPod} to node-a`).waitFor();
    expect(page.url()).toContain(`object=${alpha.info.name}~Pod~${ns}~${firstPod}`);
    // Mark the drawer's DOM node: if a refresh re-created or closed it, the mark would be gone.
    await drawer.evaluate((el) => el.setAttribute('data-e2e-mark', 'still-the-same-drawer'));
    await alpha.client.call('PATCH', `/api/v1/namespaces/${ns}/pods/${firstPod}`, [200], {
      body: { metadata: { labels: { 'release-check': 'changed-while-open' } } },
      contentType: 'application/merge-patch+json',
    });
    await page
      .getByTestId('drawer-yaml')
      .getByText('release-check: changed-while-open')
      .waitFor({ timeout: 30_000 });
    expect(await drawer.getAttribute('data-e2e-mark')).toBe('still-the-same-drawer');
    expect(await page.getByTestId('drawer-status').textContent()).toContain('Updated live');
    expect(await page.locator('.live').textContent()).toMatch(/^Live/);
    await shot('component-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(page.url()).not.toContain('object=');
  });

  it('stitches through a real Backstage and shows the owner, their page, and who owns a pod', async () => {
    expect((await api('/api/stitchboard/runs', { method: 'POST', body: '{}' })).status).toBe(202);
    await expect
      .poll(
        async () => {
          const res = await api('/api/stitchboard/runs?instance=main');
          return ((await res.json()) as { items: { status: string }[] }).items[0]?.status;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toMatch(/ok|partial/);

    await page.goto(`${server.url}/owners?q=checkout`);
    await page.getByRole('link', { name: 'Checkout Team' }).click();
    await page.waitForURL('**/owners/group/default/team-checkout');
    await page.getByRole('cell', { name: id }).first().waitFor();
    expect(await page.getByRole('link', { name: 'checkout-team@example.com' }).count()).toBeGreaterThan(0);
    await shot('owner');
    // The owners page draws GET /api/stitchboard/teams: every component's health summed on the server.
    await page.goto(`${server.url}/owners`);
    const checkout = page.getByTestId('teams').locator('tr', { hasText: 'Checkout Team' });
    await checkout.waitFor();
    await page.getByText('group:default/ghost-team').waitFor();
    // Shop checkout: 3 ready pods on alpha, 2 crash-looping on beta; Docs site runs nothing and has no Service.
    expect(await checkout.getByTestId('pods').textContent()).toBe('3/5 ready');
    expect(await checkout.textContent()).toContain('1 without a Service');
    expect(await checkout.locator('.chip-error').allTextContents()).toEqual([
      'container-waiting ×2',
      'containers-restarting ×2',
      'condition-message-present ×1',
    ]);
    expect(await checkout.locator('.chip:not(.chip-error)').allTextContents()).toEqual([
      alpha.info.name,
      beta.info.name,
      'gamma !',
    ]);
    expect(await checkout.locator('.badge').textContent()).toBe('Error');
    const teams = (await (await api('/api/stitchboard/teams')).json()) as {
      components: number;
      items: { ref: string; components: number; pods: { ready: number; total: number } }[];
    };
    expect(teams.items.find((t) => t.ref === 'group:default/team-checkout')).toMatchObject({
      components: 2,
      pods: { ready: 3, total: 5 },
    });
    expect(await page.getByTestId('teams-footer').textContent()).toContain(
      `All ${teams.components} components of the catalog`,
    );
    await shot('owners');

    await page.goto(`${server.url}/who-owns`);
    await page.getByLabel('Service or pod').fill(firstPod);
    await page.getByRole('button', { name: 'Find owner' }).click();
    const answer = page.locator('article.answer').first();
    await answer.waitFor();
    expect(await answer.locator('h2').textContent()).toBe('Checkout Team');
    expect(await answer.textContent()).toContain('checkout-team@example.com');
    expect(await answer.locator('.chain li .kind').allTextContents()).toEqual([
      'Pod',
      'ReplicaSet',
      'Deployment',
      'Service',
      'Component',
      'Owner',
    ]);
    expect(page.url()).toContain(`q=${firstPod}`);
    await shot('who-owns');
  });

  it('shows every system with its owners, pods and errors from GET /api/stitchboard/systems', async () => {
    await page.goto(`${server.url}/owners`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Systems' }).click();
    await page.waitForURL('**/systems');
    const shop = page.getByTestId('systems').locator('tr', { hasText: 'system:default/shop' });
    await shop.waitFor();
    // Shop checkout and orders (whose owner is not in the catalog, and which runs nothing).
    expect(await shop.locator('td').nth(1).textContent()).toBe(
      'group:default/ghost-teamgroup:default/team-checkout',
    );
    expect(await shop.locator('td').nth(2).textContent()).toBe('2');
    expect(await shop.getByTestId('pods').textContent()).toBe('3/5 ready');
    expect(await shop.locator('.chip-error').count()).toBe(3);
    expect(await shop.locator('.badge').textContent()).toBe('Error');
    await page
      .getByTestId('systems-footer')
      .getByText(/belong to no system/)
      .waitFor();
    await shot('systems');
  });

  it('lists the deliberately unclaimed Service, the unmatched component and the dangling owner on the coverage page', async () => {
    await page.goto(`${server.url}/coverage`);
    const unclaimedRow = page.getByTestId('unclaimed').locator('tr', { hasText: unclaimed });
    await unclaimedRow.waitFor();
    expect(await unclaimedRow.textContent()).toContain(alpha.info.name);
    expect(await page.locator('section:has(> h2#unmatched)').textContent()).toContain(
      `component:default/orders-${suffix}`,
    );
    const dangling = page
      .getByTestId('dangling-owners')
      .locator('tr', { hasText: 'group:default/ghost-team' });
    expect(await dangling.textContent()).toContain(`component:default/orders-${suffix}`);
    expect(await dangling.textContent()).toContain('spec.owner');
    const ownerless = await page.locator('section:has(> h2#ownerless)').textContent();
    expect(ownerless).toContain(`component:default/orders-${suffix}`);
    expect(ownerless).toContain('group:default/ghost-team is not in the catalog');
    await shot('coverage');
  });

  it('adds a Backstage instance from the Integrations page, which creates the labelled Secret in the cluster', async () => {
    await page.goto(`${server.url}/integrations`);
    await page.getByRole('cell', { name: 'main' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('backstage-staging');
    await page.getByLabel('Endpoint').fill(backstage.url);
    await page.getByLabel('Token', { exact: true }).fill('staging-token-never-shown');
    await page.getByLabel('Cluster').selectOption(alpha.info.name);
    await page.getByLabel('Namespace').fill(ns);
    await page.getByRole('button', { name: 'Create Secret' }).click();
    await page.getByText(`Created Secret ${ns}/backstage-staging in ${alpha.info.name}`).waitFor();
    const secrets = await alpha.client.get<{ items: { metadata: { name: string } }[] }>(
      `/api/v1/namespaces/${ns}/secrets`,
      { labelSelector: 'causely.ai/scraper=Backstage' },
    );
    expect(secrets.items.map((s) => s.metadata.name)).toContain('backstage-staging');
    await page
      .getByRole('cell', { name: /backstage-staging/ })
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.content()).not.toContain('staging-token-never-shown');
    // Each cluster's watch connection: the Component pages above made the watch cache sync alpha.
    await page
      .getByTestId('cluster-connections')
      .getByRole('row', { name: /^Alpha \(eu-west\).*synced/ })
      .waitFor({ timeout: 20_000 });
    await shot('integrations');
  });
});
