import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace } from '../helpers/clusters.ts';
import { eventually } from '../helpers/eventually.ts';
import { podNamesOf, queryShop, startWatchedShop, type RunningServer } from '../helpers/serve.ts';

// Watch mode as a user runs it: `stitchboard.kubernetes.mode: watch` in the config, the real serve process,
// answers from the informer cache that follow the cluster, and the SSE stream of an entity's changes.
const { alpha } = testClusters();
const ns = uniqueNamespace('watch-e2e');
const id = `live-${ns.slice(-6)}`;
let server: RunningServer;

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { 'backstage.io/kubernetes-id': id } },
  spec: { containers: [{ name: 'app', image: 'shop:1' }] },
});

beforeAll(async () => {
  await alpha.client.ensureNamespace(ns);
  await alpha.client.create(pod(`${id}-1`));
  server = await startWatchedShop({ cluster: alpha.info, id, token: alpha.info.adminToken });
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

const podNames = async () => podNamesOf(await queryShop(server));

const metric = async (name: string) => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(`cluster="${alpha.info.name}"`));
};

describe('watch mode through stitchboard serve', () => {
  it('answers from a synced cache that follows the cluster', async () => {
    expect(await podNames()).toEqual([`${id}-1`]);
    const synced = await eventually(
      () => metric('stitchboard_watch_cache_synced'),
      (lines) => lines.some((l) => l.includes('resource="core/v1/pods"') && l.endsWith(' 1')),
    );
    expect(synced.find((l) => l.includes('resource="core/v1/pods"'))).toMatch(/ 1$/);

    await alpha.client.create(pod(`${id}-2`));
    expect(await eventually(podNames, (names) => names.length === 2)).toEqual([`${id}-1`, `${id}-2`]);
    const answers = await metric('stitchboard_watch_cache_answers_total');
    expect(
      answers.find((l) => l.includes('resource="core/v1/pods"') && l.includes('source="cache"')),
    ).toMatch(/ [1-9]\d*$/);

    const health = (await (await fetch(`${server.url}/healthz`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    expect(health.checks.watchCache?.status).toBe('ok');
  });

  it('streams an entity’s changes as Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/kubernetes/watch?entityRef=component:default/shop`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body?.getReader();
    let text = '';
    const read = async (until: (t: string) => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!until(text) && Date.now() < deadline && reader) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await read((t) => t.includes('event: snapshot'));
    expect(text).toContain(`${id}-1`);
    await alpha.client.create(pod(`${id}-3`));
    await read((t) => t.includes(`${id}-3`));
    expect(text).toMatch(new RegExp(`event: change\\ndata: .*"change":"ADDED".*${id}-3`));
    controller.abort();
  });
});
