import { writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { componentEntity, groupEntity } from '../../test/helpers/entities.ts';
import { startServe, type RunningServer } from '../../test/helpers/serve.ts';
import { LOOP_LEASE } from './scrape-loop.ts';
import { replicaConfig, replicaStage, serviceObject, until, type ReplicaStage } from './test-support.ts';

// Fencing, end to end: two real `stitchboard serve` processes on the machine's PostgreSQL. The leader is
// paused (SIGSTOP) in the middle of a run, past its lease; the follower takes over and stores a run of
// its own; the old leader is resumed (SIGCONT) and goes on to store what it stitched before the pause.
// Its write carries the epoch it started with, so the store refuses it, and it says so in its log.
const { alpha } = testClusters();
const ns = uniqueNamespace('stitch-fence');
const first = `fa-${ns.slice(-6)}`;
const second = `fb-${ns.slice(-6)}`;
const API_TOKEN = 'fencing-api-token-1';
const headers = { authorization: `Bearer ${API_TOKEN}` };
const TTL_MS = 3000;

let stage: ReplicaStage;
let gate: Gate;
let leader: RunningServer | undefined;
let follower: RunningServer | undefined;

/** An HTTP proxy to Backstage that, while closed, holds every request until it opens: a slow catalog. */
class Gate {
  readonly held: (() => void)[] = [];
  #closed = false;
  readonly server: Server;

  constructor(target: string) {
    this.server = createServer((req, res) => {
      const forward = () => {
        const upstream = request(new URL(req.url ?? '/', target), {
          method: req.method,
          headers: req.headers,
        });
        upstream.on('response', (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      };
      if (this.#closed) this.held.push(forward);
      else forward();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  close(): void {
    this.#closed = true;
  }

  open(): void {
    this.#closed = false;
    for (const forward of this.held.splice(0)) forward();
  }
}

async function serve(name: string, endpoint: string): Promise<RunningServer> {
  const file = join(stage.dir, `${name}.yaml`);
  const config = replicaConfig({
    database: stage.database,
    cluster: alpha.info,
    endpoint,
    leaseTtlMs: TTL_MS,
    apiToken: API_TOKEN,
    // Longer than the pause, so the stalled catalog read does not simply time out.
    scrape: { timeout: '60s' },
  });
  await writeFile(file, stringify(config));
  return startServe(['--config', file], {
    env: { ALPHA_TOKEN: alpha.info.adminToken, BACKSTAGE_TOKEN: stage.backstage.token, LOG_LEVEL: 'info' },
  });
}

const post = (server: RunningServer, path: string) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers }).then(async (r) => r.json());

const logLines = (server: RunningServer) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown });

/** Everything a reader can see of the stitch results and runs. */
async function snapshot() {
  return {
    services: await stage.observer.listServices(),
    owners: await stage.observer.listOwners(),
    report: await stage.observer.getReport(),
    runs: await stage.observer.listRuns({ limit: 100 }),
  };
}

beforeAll(async () => {
  const component = (name: string) =>
    componentEntity(name, { 'backstage.io/kubernetes-id': name, 'backstage.io/kubernetes-namespace': ns });
  // Two components; only the first one's Service exists until the leader has stalled.
  stage = await replicaStage(
    [groupEntity('team-a', { displayName: 'Team A' }), component(first), component(second)],
    alpha,
    ns,
    [first],
  );
  gate = new Gate(stage.backstage.url);
});

afterAll(async () => {
  for (const server of [leader, follower]) {
    server?.signal('SIGCONT');
    await server?.stop();
  }
  gate?.open();
  gate?.server.close();
  await stage?.close();
});

describe('fencing on one PostgreSQL', () => {
  it('refuses the write of a leader resumed after another took over, and keeps the new leader’s results', async () => {
    const a = await serve('leader', await gate.listen());
    leader = a;
    const held = await until('the first replica to lead and run', async () => {
      const lease = await stage.observer.getLease(LOOP_LEASE);
      return lease?.holder.includes(`/${a.pid}/`) && (await stage.observer.listRuns()).length === 1 && lease;
    });
    expect(held.epoch).toBe(1);
    const b = await serve('follower', stage.backstage.url);
    follower = b;

    // A run on the leader that stalls reading the catalog: its Services are already listed (only `first`).
    gate.close();
    expect(await post(a, '/api/stitchboard/runs')).toEqual({ accepted: true, leader: true });
    await until('the leader to be reading the catalog', async () => gate.held.length > 0);
    a.signal('SIGSTOP');

    // Meanwhile the cluster changes, the lease runs out, and the follower takes over and stores a run.
    await alpha.client.create(serviceObject(ns, second));
    const taken = await until(
      'the follower to take over',
      async () => {
        const lease = await stage.observer.getLease(LOOP_LEASE);
        return lease?.holder.includes(`/${b.pid}/`) && lease;
      },
      TTL_MS * 5,
    );
    expect(taken.epoch).toBe(2);
    expect(await post(b, '/api/stitchboard/runs')).toEqual({ accepted: true, leader: true });
    await until('the follower’s run', async () => (await stage.observer.listRuns()).length === 2);
    const before = await snapshot();
    expect(before.services.map((l) => l.service)).toEqual([first, second]);
    expect(before.runs[0]).toMatchObject({ status: 'ok', counts: { links: 2 } });

    // Resume the old leader. Holding the lease table for a moment keeps its renewal (which would tell it
    // to abort) from answering before its run reaches the store: the window fencing exists for.
    const lock = new pg.Client(stage.database.connection);
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE sb_leases IN EXCLUSIVE MODE');
      gate.open();
      a.signal('SIGCONT');
      await until('the old leader’s write to check its fence', async () => {
        // Within a transaction pg_stat_activity is a snapshot taken once, unless cleared.
        await lock.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await lock.query<{ query: string }>(
          'SELECT query FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))',
        );
        return rows.some((r) => r.query.includes('FROM sb_leases WHERE name = $1 FOR SHARE'));
      });
      await lock.query('ROLLBACK');
    } finally {
      await lock.end();
    }

    const refusal = await until('the refusal in the old leader’s log', async () =>
      logLines(a).find((l) => l.msg.startsWith('stitch results not stored')),
    );
    expect(refusal).toMatchObject({
      level: 40,
      instance: 'main',
      msg: `stitch results not stored: store replaceInstanceResults refused: lease "${LOOP_LEASE}" has moved on from epoch 1 of ${held.holder}; it is at epoch 2, held by ${taken.holder}`,
      fence: { lease: LOOP_LEASE, epoch: 1, currentEpoch: 2, currentHolder: taken.holder },
    });
    await until('the old leader to step down', async () =>
      logLines(a).some(
        (l) => l.msg.startsWith('scrape loop: ') && l.msg.endsWith('another replica runs it now'),
      ),
    );

    // Nothing lost, nothing overwritten: what the follower stored is exactly what is there, and the
    // old leader recorded no run. The follower still leads.
    expect(await snapshot()).toEqual(before);
    expect(await stage.observer.getLease(LOOP_LEASE)).toMatchObject({ holder: taken.holder, epoch: 2 });
    const metrics = await fetch(`${a.url}/metrics`, { headers }).then((r) => r.text());
    expect(metrics).toContain('stitchboard_stitch_leader 0');
  });
});
