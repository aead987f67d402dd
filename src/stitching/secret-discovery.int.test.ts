import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackstageFixture } from '../../test/helpers/backstage.ts';
import { mountServiceAccount, testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { configCluster, rawKubernetes } from '../../test/helpers/engine.ts';
import { componentEntity, groupEntity } from '../../test/helpers/entities.ts';
import { pickFreePort } from '../../tools/kube/ports.ts';
import { createApp, type App } from '../app.ts';
import { validateConfig } from '../config/validate.ts';
import { captureLogs } from '../http/test-helpers.ts';
import { main } from '../cli/main.ts';
import { captureIo } from '../cli/test-io.ts';
import { DEFAULT_DISCOVERY_SELECTORS } from '../config/scrapers-schema.ts';
import { backstageSecret } from './secret-instance.ts';
import { backstageWithServices } from './test-support.ts';

// Backstage instances from Secrets, as the seed's flow has it: label a Secret and the scraper finds it.
// Real cluster (alpha holds the Secrets and the Services), real Backstage, the whole app over HTTP.
const { alpha } = testClusters();
const tools = uniqueNamespace('stitch-tools');
const apps = uniqueNamespace('stitch-apps');
const u = tools.slice(-6);
const svcName = `disc-${u}`;
const API_TOKEN = 'stitch-api-token-0123';
const headers = { authorization: `Bearer ${API_TOKEN}` };
const WRONG = 'wrong-backstage-token-42';
const DEFAULT_SELECTORS = [...DEFAULT_DISCOVERY_SELECTORS];

let backstage: BackstageFixture;
let slow: { server: Server; sockets: Set<Socket>; url: string };
let closedPort: number;
let app: App;
const logs = captureLogs();
const responses: string[] = [];

function rawConfig(extra: Record<string, unknown> = {}) {
  return {
    backend: {
      auth: { externalAccess: [{ type: 'static', options: { token: API_TOKEN, subject: 'tests' } }] },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    // Adding an instance is a write: it needs stitchboard.admin.
    stitchboard: { permissions: [{ allow: ['*'], users: ['tests'] }] },
    kubernetes: rawKubernetes([configCluster(alpha.info)]),
    scrapers: {
      backstage: {
        enabled: false,
        timeout: '1s',
        cluster: 'alpha',
        discovery: { namespaces: [tools] },
        instances: [
          { secretName: 'configured', namespace: tools },
          { name: 'missing', secretName: 'not-there', namespace: tools },
        ],
        ...extra,
      },
    },
  };
}

/** The seed's label, Stitchboard's own, or both. */
const SEED = { 'causely.ai/scraper': 'Backstage' };
const OURS = { 'stitchboard.io/scraper': 'Backstage' };

async function labelled(
  name: string,
  data: { endpoint?: string; token?: string },
  labels: Record<string, string> = SEED,
) {
  const secret = backstageSecret({ namespace: tools, name, endpoint: data.endpoint ?? '', labels });
  const values: Record<string, string> = {};
  if (data.endpoint !== undefined) values.endpoint = data.endpoint;
  if (data.token !== undefined) values.token = data.token;
  secret.data = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  await alpha.client.apply(secret);
}

async function api(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await app.server.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  responses.push(res.body);
  return { status: res.statusCode, body: res.json() };
}

type View = {
  name: string;
  status: string;
  lastError: string | null;
  endpoint: string | null;
  hasToken: boolean;
};
async function instances(): Promise<Record<string, View>> {
  const { body } = await api('GET', '/api/stitchboard/instances');
  return Object.fromEntries((body.items as View[]).map((i) => [i.name.split('/').pop(), i]));
}

beforeAll(async () => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Accepts and never answers: a Backstage that hangs.
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  slow = {
    server,
    sockets,
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  };
  closedPort = await pickFreePort();

  const [fixture] = await Promise.all([
    backstageWithServices(
      [
        groupEntity('team-a', { displayName: 'Team A', email: 'team-a@example.com' }),
        componentEntity(svcName, {
          'backstage.io/kubernetes-id': svcName,
          'backstage.io/kubernetes-namespace': apps,
        }),
      ],
      alpha,
      apps,
      [svcName],
    ),
    alpha.client.ensureNamespace(tools),
  ]);
  backstage = fixture;
  // Both labels (each default selector matches it): still one instance.
  await labelled('configured', { endpoint: backstage.url, token: backstage.token }, { ...SEED, ...OURS });
  await labelled('rotating', { endpoint: backstage.url, token: WRONG }, OURS);
  await labelled('no-endpoint', { token: backstage.token });
  // Only the seed's label, and not named in config: found by discovery alone.
  await labelled('seeded', { endpoint: backstage.url, token: backstage.token });
  // Only a custom selector finds this one.
  await labelled(
    'custom',
    { endpoint: backstage.url, token: backstage.token },
    { 'example.com/catalog': 'team-x' },
  );
  await labelled('slash', { endpoint: `${backstage.url}/`, token: backstage.token }, OURS);
  await labelled('scheme', { endpoint: backstage.url.replace('http:', 'ftp:'), token: backstage.token });
  await labelled('slow', { endpoint: slow.url, token: backstage.token });
  await labelled('down', { endpoint: `http://127.0.0.1:${closedPort}`, token: backstage.token });
  // Not labelled: not an instance.
  const unlabelled = backstageSecret({
    namespace: tools,
    name: 'unlabelled',
    endpoint: backstage.url,
    labels: {},
  });
  unlabelled.metadata = { name: 'unlabelled', namespace: tools };
  await alpha.client.create(unlabelled);

  const { config, errors } = validateConfig(rawConfig(), { cwd: tmpdir() });
  expect(errors).toEqual([]);
  if (!config) throw new Error('config did not validate');
  app = await createApp(config, { logger: logs.logger, env: {} });
});

afterAll(async () => {
  await app?.close();
  await backstage?.close();
  for (const s of slow?.sockets ?? []) s.destroy();
  await new Promise((resolve) => slow?.server.close(resolve));
});

describe('Backstage instances from Secrets', () => {
  it('finds labelled Secrets and the configured ones, and says which cannot run and why, before any run', async () => {
    const { body } = await api('GET', '/api/stitchboard/instances');
    expect(body.discovery).toEqual([
      { cluster: 'alpha', namespaces: [tools], labelSelectors: DEFAULT_SELECTORS, status: 'ok', found: 8 },
    ]);
    const byName = await instances();
    expect(Object.keys(byName).sort()).toEqual([
      'configured',
      'down',
      'missing',
      'no-endpoint',
      'rotating',
      'scheme',
      'seeded',
      'slash',
      'slow',
    ]);
    expect(byName.configured).toMatchObject({
      name: `alpha/${tools}/configured`,
      source: { type: 'secret', cluster: 'alpha', namespace: tools, name: 'configured', configured: true },
      endpoint: backstage.url,
      hasToken: true,
      status: 'pending',
      lastError: null,
    });
    expect(byName.missing).toMatchObject({
      name: 'missing',
      status: 'invalid',
      lastError: `Secret ${tools}/not-there not found in cluster alpha`,
    });
    // Labelled as the seed says (causely.ai/scraper), but without endpoint: reported, key named.
    expect(byName['no-endpoint']).toMatchObject({
      status: 'invalid',
      source: { type: 'secret', cluster: 'alpha', namespace: tools, name: 'no-endpoint', configured: false },
      missingKey: 'endpoint',
      lastError: `Secret ${tools}/no-endpoint in cluster alpha: has no "endpoint" key (the Backstage base URL, e.g. https://backstage.example.com)`,
    });
    expect(byName.seeded).toMatchObject({ status: 'pending', source: { configured: false }, hasToken: true });
    expect(byName.slash).toMatchObject({
      status: 'invalid',
      lastError: expect.stringMatching(/"endpoint" must not end with "\/"/),
    });
    expect(byName.scheme).toMatchObject({
      status: 'invalid',
      lastError: expect.stringMatching(/"endpoint" must be an http or https URL, not ftp/),
    });
    expect(byName.rotating).toMatchObject({ status: 'pending', source: { configured: false } });
  });

  it('runs each instance with its own outcome: ok, rejected token, unreachable, too slow, invalid', async () => {
    const summary = await app.stitching.scraper.runOnce();
    const outcome = Object.fromEntries(
      summary.runs.map((r) => [r.instance.split('/').pop(), [r.status, r.errors[0]?.message ?? '']]),
    );
    expect(outcome).toEqual({
      configured: ['ok', ''],
      missing: ['failed', `Secret ${tools}/not-there not found in cluster alpha`],
      rotating: ['failed', expect.stringMatching(/rejected the token \(401\)/)],
      seeded: ['ok', ''],
      'no-endpoint': ['failed', expect.stringMatching(/has no "endpoint" key/)],
      slash: ['failed', expect.stringMatching(/must not end with/)],
      scheme: ['failed', expect.stringMatching(/not ftp/)],
      slow: ['failed', `Backstage at ${slow.url} did not answer within 1000 ms`],
      down: ['failed', expect.stringMatching(/is unreachable: .*ECONNREFUSED/)],
    });
    const byName = await instances();
    expect(byName.configured).toMatchObject({ status: 'ok', lastError: null, lastRun: { status: 'ok' } });
    expect(byName.rotating).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/401/) });
    expect(byName.slash).toMatchObject({ status: 'invalid' });

    const { body } = await api('GET', `/api/stitchboard/services?instance=alpha/${tools}/configured`);
    expect(body.items.map((l: { service: string }) => l.service)).toEqual([svcName]);
    // Found by the seed's label alone, end to end: its catalog stitched to the Service.
    const seeded = await api('GET', `/api/stitchboard/services?instance=alpha/${tools}/seeded`);
    expect(seeded.body.items[0]).toMatchObject({ service: svcName, ownerRef: 'group:default/team-a' });
  });

  it('reports the Secret without endpoint in the report, the log and the CLI, by name and key, never its values', async () => {
    const { status, body } = await api('GET', '/api/stitchboard/report');
    expect(status).toBe(200);
    const noEndpoint = {
      instance: `alpha/${tools}/no-endpoint`,
      secret: { cluster: 'alpha', namespace: tools, name: 'no-endpoint' },
      missingKey: 'endpoint',
      problem: expect.stringMatching(
        new RegExp(`^Secret ${tools}/no-endpoint in cluster alpha: has no "endpoint" key`),
      ),
    };
    expect(body.instanceProblems).toContainEqual(noEndpoint);
    expect(
      body.instanceProblems.map((p: { instance: string }) => p.instance.split('/').pop()).sort(),
    ).toEqual(['missing', 'no-endpoint', 'scheme', 'slash']);
    const only = await api('GET', `/api/stitchboard/report?instance=alpha/${tools}/no-endpoint`);
    expect(only.body.instanceProblems).toEqual([noEndpoint]);

    const logged = logs.records().find((r) => r.instance === `alpha/${tools}/no-endpoint`);
    expect(logged).toMatchObject({
      level: 40,
      secret: { cluster: 'alpha', namespace: tools, name: 'no-endpoint' },
      missingKey: 'endpoint',
      msg: expect.stringMatching(/has no "endpoint" key/),
    });

    const dir = await mkdtemp(join(tmpdir(), 'stitchboard-report-'));
    try {
      const file = join(dir, 'app-config.yaml');
      await writeFile(file, JSON.stringify(rawConfig()));
      const io = captureIo({ cwd: dir, env: {} });
      expect(await main(['report', '--config', file], io)).toBe(0);
      expect(io.out).toMatch(/^Backstage instances that cannot run \(4\)$/m);
      expect(io.out).toContain(
        `  alpha/${tools}/no-endpoint: Secret ${tools}/no-endpoint in cluster alpha: has no "endpoint" key (the Backstage base URL, e.g. https://backstage.example.com) (missing key "endpoint")`,
      );
      responses.push(io.out, io.err);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('picks up a rotated token on the next run, without a restart', async () => {
    await labelled('rotating', { endpoint: backstage.url, token: backstage.token });
    const summary = await app.stitching.scraper.runOnce();
    expect(summary.runs.find((r) => r.instance.endsWith('/rotating'))?.status).toBe('ok');
    expect((await instances()).rotating).toMatchObject({ status: 'ok', lastError: null });
    const { body } = await api('GET', `/api/stitchboard/services?instance=alpha/${tools}/rotating`);
    expect(body.items.map((l: { service: string }) => l.service)).toEqual([svcName]);
  });

  it('keeps what an instance stitched when its token goes bad again', async () => {
    await labelled('rotating', { endpoint: backstage.url, token: WRONG });
    const summary = await app.stitching.scraper.runOnce();
    expect(summary.runs.find((r) => r.instance.endsWith('/rotating'))?.status).toBe('failed');
    const { body } = await api('GET', `/api/stitchboard/services?instance=alpha/${tools}/rotating`);
    expect(body.items.map((l: { service: string }) => l.service)).toEqual([svcName]);
  });

  it('creates the labelled Secret of a new instance (the UI’s "add integration"), which is then discovered', async () => {
    const payload = { namespace: tools, name: 'added', endpoint: backstage.url, token: backstage.token };
    const created = await api('POST', '/api/stitchboard/instances', payload);
    expect(created).toEqual({
      status: 201,
      body: {
        name: `alpha/${tools}/added`,
        cluster: 'alpha',
        namespace: tools,
        secretName: 'added',
        runRequested: false,
      },
    });
    const secret = await alpha.client.get<{ metadata: { labels: Record<string, string> } }>(
      `/api/v1/namespaces/${tools}/secrets/added`,
    );
    // The seed's label, so Causely's own tooling (and any Stitchboard with the defaults) finds it too.
    expect(secret.metadata.labels).toEqual({ 'causely.ai/scraper': 'Backstage' });
    expect((await instances()).added).toMatchObject({
      status: 'pending',
      hasToken: true,
      endpoint: backstage.url,
    });

    const again = await api('POST', '/api/stitchboard/instances', payload);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`Secret ${tools}/added already exists in cluster alpha`);
    const noNamespace = await api('POST', '/api/stitchboard/instances', {
      ...payload,
      namespace: `${tools}-nope`,
    });
    expect(noNamespace.status).toBe(400);
    expect(noNamespace.body.error.message).toMatch(/Secrets are discovered only in/);
  });

  it('exports who owns each stitched Service on /metrics', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain(
      `stitchboard_service_owner_info{cluster="alpha",namespace="${apps}",service="${svcName}",component="${svcName}",owner="group:default/team-a",team="Team A",system=""} 1`,
    );
    expect(res.body).toMatch(
      /stitchboard_stitch_runs_total\{instance="alpha\/[^"]+\/configured",status="ok"\} [1-9]/,
    );
    expect(res.body).toMatch(
      /stitchboard_stitch_last_run_count\{instance="alpha\/[^"]+\/configured",count="links"\} 1/,
    );
    expect(res.body).toContain('stitchboard_stitch_leader 0');
  });

  it('never shows a Backstage token in a response or a log line', () => {
    const everything = [...responses, ...logs.lines()].join('\n');
    expect(everything).not.toContain(backstage.token);
    expect(everything).not.toContain(WRONG);
    expect(logs.lines().some((l) => l.includes('rejected the token'))).toBe(true);
  });
});

describe('a configured label selector', () => {
  it('discovers only the Secrets it matches, and labels new Secrets to match it', async () => {
    const selector = 'example.com/catalog=team-x';
    const raw = rawConfig({ instances: [], discovery: { namespaces: [tools], labelSelector: selector } });
    const { config, errors } = validateConfig(raw, { cwd: tmpdir() });
    expect(errors).toEqual([]);
    if (!config) throw new Error('config did not validate');
    const custom = await createApp(config, { logger: logs.logger, env: {} });
    try {
      const { items, discovery } = await custom.stitching.scraper.listInstances();
      expect(discovery).toEqual([
        { cluster: 'alpha', namespaces: [tools], labelSelectors: [selector], status: 'ok', found: 1 },
      ]);
      expect(items.map((i) => i.name)).toEqual([`alpha/${tools}/custom`]);
      await custom.stitching.scraper.createInstance({
        namespace: tools,
        name: 'team-x',
        endpoint: backstage.url,
      });
      const secret = await alpha.client.get<{ metadata: { labels: Record<string, string> } }>(
        `/api/v1/namespaces/${tools}/secrets/team-x`,
      );
      expect(secret.metadata.labels).toEqual({ 'example.com/catalog': 'team-x' });
      expect((await custom.stitching.scraper.listInstances()).items.map((i) => i.name)).toEqual([
        `alpha/${tools}/custom`,
        `alpha/${tools}/team-x`,
      ]);
    } finally {
      await custom.close();
    }
  });

  it('is a config error naming its path when it does not parse', () => {
    const raw = rawConfig({ discovery: { labelSelector: ['causely.ai/scraper=Backstage', 'a b c'] } });
    expect(validateConfig(raw, { cwd: tmpdir() }).errors).toContainEqual({
      path: 'scrapers.backstage.discovery.labelSelector[1]',
      message: expect.stringMatching(/not a label selector/),
    });
  });
});

describe('the pod’s own cluster', () => {
  it('is where Secrets are found when no cluster is named, with the mounted ServiceAccount', async () => {
    const token = await alpha.client.serviceAccountToken(tools, 'stitchboard', {
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'create'] }],
    });
    const { env, remove } = await mountServiceAccount(alpha.info, token);
    try {
      const raw = rawConfig({ cluster: undefined, instances: [] });
      const { config } = validateConfig(raw, { cwd: tmpdir() });
      if (!config) throw new Error('config did not validate');
      const local = await createApp(config, { logger: logs.logger, env });
      try {
        const { items, discovery } = await local.stitching.scraper.listInstances();
        expect(discovery).toEqual([
          {
            cluster: 'in-cluster',
            namespaces: [tools],
            labelSelectors: DEFAULT_SELECTORS,
            status: 'ok',
            found: 9,
          },
        ]);
        expect(items.find((i) => i.name === `${tools}/configured`)).toMatchObject({
          source: { type: 'secret', cluster: 'in-cluster', namespace: tools, name: 'configured' },
          endpoint: backstage.url,
        });
      } finally {
        await local.close();
      }
      // Without a mounted ServiceAccount and no cluster named, discovery says why it found nothing.
      const nowhere = await createApp(config, { logger: logs.logger, env: {} });
      try {
        expect((await nowhere.stitching.scraper.listInstances()).discovery).toEqual([
          {
            cluster: 'in-cluster',
            namespaces: [tools],
            labelSelectors: DEFAULT_SELECTORS,
            status: 'skipped',
            found: 0,
            message: expect.stringMatching(/not running in Kubernetes/),
          },
        ]);
      } finally {
        await nowhere.close();
      }
    } finally {
      await remove();
    }
  });
});
