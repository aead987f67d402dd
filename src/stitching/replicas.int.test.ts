import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { componentEntity, groupEntity } from '../../test/helpers/entities.ts';
import { startServe, type RunningServer } from '../../test/helpers/serve.ts';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { silentLogger } from '../shared/logger.ts';
import { LOOP_LEASE } from './scrape-loop.ts';
import { replicaConfig, replicaStage, until, type ReplicaStage } from './test-support.ts';

// Two replicas against one PostgreSQL: a real `stitchboard serve` child process and an in-process app.
// Both serve reads; exactly one runs the loop; when the leader is killed (SIGKILL: no goodbye, its lease
// stays), the other takes over once the lease has expired.
const { alpha } = testClusters();
const ns = uniqueNamespace('stitch-replicas');
const svcName = `rep-${ns.slice(-6)}`;
const API_TOKEN = 'replicas-api-token-1';
const headers = { authorization: `Bearer ${API_TOKEN}` };
const TTL_MS = 2000;

let stage: ReplicaStage;
let child: RunningServer | undefined;
let inProcess: App | undefined;

const raw = () =>
  replicaConfig({
    database: stage.database,
    cluster: alpha.info,
    endpoint: stage.backstage.url,
    leaseTtlMs: TTL_MS,
    apiToken: API_TOKEN,
  });

const env = () => ({ ALPHA_TOKEN: alpha.info.adminToken, BACKSTAGE_TOKEN: stage.backstage.token });

const childGet = async (path: string) => {
  const res = await fetch(`${child?.url}${path}`, { headers });
  return { status: res.status, text: await res.text() };
};

beforeAll(async () => {
  stage = await replicaStage(
    [
      groupEntity('team-a', { displayName: 'Team A' }),
      componentEntity(svcName, {
        'backstage.io/kubernetes-id': svcName,
        'backstage.io/kubernetes-namespace': ns,
      }),
    ],
    alpha,
    ns,
    [svcName],
  );
});

afterAll(async () => {
  await child?.kill();
  await inProcess?.close();
  await stage?.close();
});

describe('two replicas on one PostgreSQL', () => {
  it('lets exactly one run the loop while both serve reads and export the owner series', async () => {
    const file = join(stage.dir, 'app-config.yaml');
    await writeFile(file, stringify(raw()));
    child = await startServe(['--config', file], { env: { ...env(), LOG_LEVEL: 'info' } });
    const pid = child.pid;
    // The first replica takes the lease and runs at once: nothing ran before.
    await until('the child to lead', async () =>
      (await stage.observer.getLease(LOOP_LEASE))?.holder.includes(`/${pid}/`),
    );
    await until('a first run', async () => (await stage.observer.listRuns({ limit: 1 })).length === 1);

    const { config } = await loadConfig([file], { env: env(), cwd: stage.dir });
    inProcess = await createApp(config, { logger: silentLogger(), env: {} });
    await sleep(TTL_MS);
    expect(inProcess.stitching.scraper.leader).toBe(false);
    expect((await stage.observer.getLease(LOOP_LEASE))?.holder).toContain(`/${pid}/`);

    const fromChild = await childGet('/api/stitchboard/services');
    const fromApp = await inProcess.server.inject({
      method: 'GET',
      url: '/api/stitchboard/services',
      headers,
    });
    expect(fromChild.status).toBe(200);
    expect(JSON.parse(fromChild.text).items.map((l: { service: string }) => l.service)).toEqual([svcName]);
    expect(fromApp.json().items).toEqual(JSON.parse(fromChild.text).items);

    const series = `stitchboard_service_owner_info{cluster="alpha",namespace="${ns}",service="${svcName}",component="${svcName}",owner="group:default/team-a",team="Team A",system=""} 1`;
    expect((await childGet('/metrics')).text).toContain(series);
    expect((await childGet('/metrics')).text).toContain('stitchboard_stitch_leader 1');
    const metrics = (await inProcess.server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(series);
    expect(metrics).toContain('stitchboard_stitch_leader 0');
  });

  it('hands a run requested on the other replica to the leader', async () => {
    const app = inProcess as App;
    const res = await app.server.inject({ method: 'POST', url: '/api/stitchboard/runs', headers });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true, leader: false });
    await until(
      'the leader to run it',
      async () => (await stage.observer.listRuns({ limit: 10 })).length === 2,
    );
    expect(app.stitching.scraper.leader).toBe(false);
  });

  it('takes over after the lease TTL when the leader is killed', async () => {
    const app = inProcess as App;
    const lease = await stage.observer.getLease(LOOP_LEASE);
    await child?.kill();
    await until('the takeover', async () => app.stitching.scraper.leader, TTL_MS * 5);
    // Not before the dead leader's lease ran out (its last renewal may have extended it once more).
    expect(Date.now()).toBeGreaterThanOrEqual((lease?.expiresAt.getTime() ?? 0) - 50);
    expect((await stage.observer.getLease(LOOP_LEASE))?.holder).toBe(app.stitching.scraper.holder);

    const res = await app.server.inject({ method: 'POST', url: '/api/stitchboard/runs', headers });
    expect(res.json()).toEqual({ accepted: true, leader: true });
    await until(
      'the new leader to run',
      async () => (await stage.observer.listRuns({ limit: 10 })).length === 3,
    );
    const [latest] = await stage.observer.listRuns({ limit: 1 });
    expect(latest).toMatchObject({ instance: 'main', status: 'ok', counts: { links: 1 } });

    await app.close();
    inProcess = undefined;
    expect(await stage.observer.getLease(LOOP_LEASE)).toBeUndefined();
  });
});
