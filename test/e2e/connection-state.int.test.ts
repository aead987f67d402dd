import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterConnectionState } from '../../src/contract/kubernetes.ts';
import { testClusters, uniqueNamespace } from '../helpers/clusters.ts';
import { podObject } from '../helpers/pod.ts';
import { eventually } from '../helpers/eventually.ts';
import { podNamesOf, queryShop, startWatchedShop, type RunningServer } from '../helpers/serve.ts';

// Per-cluster connection state through the real serve process and route, against a real API server
// reached through a loopback TCP proxy that can go silent, with a ServiceAccount token whose RBAC lets
// it watch pods but not services.
const { alpha } = testClusters();
const ns = uniqueNamespace('conn-state');
const id = `conn-${ns.slice(-6)}`;
let server: RunningServer;
let proxy: SilenceableProxy;
let token: string;

/** Forwards TCP to the API server; `silence()` makes every connection open now drop bytes both ways, forever. */
class SilenceableProxy {
  readonly #server: Server;
  readonly #open = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
  constructor(target: URL) {
    this.#server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      const pair = { client, upstream, silent: false };
      this.#open.add(pair);
      client.on('data', (chunk) => pair.silent || upstream.write(chunk));
      upstream.on('data', (chunk) => pair.silent || client.write(chunk));
      const close = () => {
        this.#open.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as { port: number }).port;
  }
  silence(): number {
    for (const pair of this.#open) pair.silent = true;
    return this.#open.size;
  }
  async close(): Promise<void> {
    for (const pair of this.#open) pair.client.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

beforeAll(async () => {
  await alpha.client.ensureNamespace(ns);
  await alpha.client.create(podObject(`${id}-1`, ns, { 'backstage.io/kubernetes-id': id }));
  token = await alpha.client.serviceAccountToken(ns, 'pods-only', {
    clusterWide: true,
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
  });
  proxy = new SilenceableProxy(new URL(alpha.info.url));
  const port = await proxy.listen();
  server = await startWatchedShop({
    cluster: alpha.info,
    id,
    token,
    url: `https://127.0.0.1:${port}`,
    kubernetes: 'watchIdleTimeout: 5s',
  });
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
  await proxy?.close();
});

const query = () => queryShop(server);
const podNames = async () => podNamesOf(await query());
const connection = async (): Promise<ClusterConnectionState | undefined> => {
  const body = (await (await fetch(`${server.url}/api/kubernetes/clusters`)).json()) as {
    items: { name: string; connection?: ClusterConnectionState }[];
  };
  return body.items.find((c) => c.name === alpha.info.name)?.connection;
};

describe('per-cluster connection state in GET /api/kubernetes/clusters', () => {
  it('is already being watched before any query: serve warms every watched cluster at startup', async () => {
    const state = await connection();
    expect(['syncing', 'synced']).toContain(state?.state);
    expect(state).toMatchObject({ watchRestarts: 0 });
  });

  it('drops a kind that answers 403 from watching and reports it, while the cluster syncs', async () => {
    expect(await podNames()).toEqual([`${id}-1`]);
    const state = await eventually(connection, (c) => c?.state === 'synced' && c.forbidden.length > 0);
    expect(state).toMatchObject({
      state: 'synced',
      forbidden: ['core/v1/services'],
      lastError: { resource: 'core/v1/services', message: expect.stringContaining('HTTP 403') },
    });
    const answer = (await query()).items[0];
    expect(answer?.resources.find((r) => r.type === 'pods')?.resources).toHaveLength(1);
    expect(answer?.errors).toEqual([expect.objectContaining({ statusCode: 403 })]);
    expect(answer?.errors[0]?.resourcePath).toMatch(/\/services$/);
  });

  it('restarts a watch that went silent past watchIdleTimeout, and catches up', async () => {
    const before = (await connection())?.watchRestarts ?? 0;
    expect(proxy.silence()).toBeGreaterThan(0);
    await alpha.client.create(podObject(`${id}-2`, ns, { 'backstage.io/kubernetes-id': id }));
    // Through the silenced socket nothing arrives: only a restarted watch brings the new pod.
    expect(await eventually(podNames, (names) => names.length === 2)).toEqual([`${id}-1`, `${id}-2`]);
    const state = await connection();
    expect(state?.watchRestarts).toBeGreaterThan(before);
    expect(state).toMatchObject({
      state: 'synced',
      lastError: {
        resource: 'core/v1/pods',
        message: 'watch silent for 5 s (no event, no bookmark); restarted',
      },
    });
    expect(server.output()).not.toContain(token);
  });
});
