import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { BackstageFixture } from '../../../test/helpers/backstage.ts';
import { testClusters, uniqueNamespace } from '../../../test/helpers/clusters.ts';
import { configCluster, rawKubernetes } from '../../../test/helpers/engine.ts';
import { componentEntity, groupEntity } from '../../../test/helpers/entities.ts';
import { backstageWithServices } from '../../stitching/test-support.ts';
import { main } from '../main.ts';
import { captureIo } from '../test-io.ts';

// `stitchboard stitch`, `owner` and `report` in-process, against a real Backstage and a real cluster,
// with the results in a real SQLite file.
const { alpha } = testClusters();
const ns = uniqueNamespace('stitch-cli');
const u = ns.slice(-6);
const cart = `cli-cart-${u}`;
const ghost = `cli-ghost-${u}`;

let backstage: BackstageFixture;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-cli-stitch-'));
  backstage = await backstageWithServices(
    [
      groupEntity('team-a', { displayName: 'Team A', email: 'team-a@example.com' }),
      componentEntity(
        cart,
        { 'backstage.io/kubernetes-id': cart, 'backstage.io/kubernetes-namespace': ns },
        { system: 'shop' },
      ),
      componentEntity(ghost, {}),
    ],
    alpha,
    ns,
    [cart],
  );
  file = join(dir, 'app-config.yaml');
  await writeFile(
    file,
    stringify({
      backend: { database: { client: 'better-sqlite3', connection: join(dir, 'stitchboard.sqlite') } },
      kubernetes: rawKubernetes([
        configCluster(alpha.info, { serviceAccountToken: '${ALPHA_TOKEN}', skipMetricsLookup: false }),
      ]),
      scrapers: {
        backstage: {
          discovery: { enabled: false },
          instances: [{ name: 'main', endpoint: backstage.url, token: '${BACKSTAGE_TOKEN}' }],
        },
      },
    }),
  );
});

afterAll(async () => {
  await backstage?.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = captureIo({
    cwd: dir,
    env: { ALPHA_TOKEN: alpha.info.adminToken, BACKSTAGE_TOKEN: backstage.token },
  });
  const code = await main([...args, '--config', file], io);
  expect(io.out + io.err).not.toContain(backstage.token);
  return { code, out: io.out, err: io.err };
}

describe('stitchboard stitch, owner, report', () => {
  it('stitch runs once and prints a summary (no progress off a terminal)', async () => {
    const { code, out, err } = await cli('stitch');
    expect(err).toBe('');
    expect(code).toBe(0);
    const [header, row] = out.split('\n');
    expect(header?.split(/\s+/)).toEqual([
      'INSTANCE',
      'STATUS',
      'COMPONENTS',
      'STITCHED',
      'SERVICES',
      'OWNERS',
      'UNCLAIMED',
      'CLUSTERS',
      'TIME',
    ]);
    expect(row).toMatch(/^main\s+ok\s+2\s+1\s+1\s+1\s+\d+\s+1\/1\s+\d+\.\ds$/);
    expect(out).toMatch(/Done in \d+\.\ds\./);
  });

  it('stitch --json prints the run summary', async () => {
    const { code, out } = await cli('stitch', '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary.runs).toEqual([
      expect.objectContaining({
        instance: 'main',
        status: 'ok',
        errors: [],
        counts: expect.objectContaining({ links: 1 }),
      }),
    ]);
  });

  it('owner answers who owns a Service: component, owner with contact, how it matched, the chain', async () => {
    const { code, out } = await cli('owner', `alpha/${ns}/${cart}`);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `Service    alpha/${ns}/${cart}`,
      `Component  component:default/${cart}, type service, lifecycle production, system shop`,
      'Owner      group:default/team-a: Team A <team-a@example.com>',
      '           from spec.owner = team-a',
      `Matched    by name and namespace: annotations.backstage.io/kubernetes-id = ${cart}, annotations.backstage.io/kubernetes-namespace = ${ns}`,
    ]);
    expect(lines[5]).toBe(
      `Chain      Service alpha/${ns}/${cart} → Component component:default/${cart} → System shop → Group group:default/team-a`,
    );
    expect(lines[6]).toMatch(/^Instance {3}main, stitched \d{4}-\d\d-\d\dT/);
    const json = JSON.parse((await cli('owner', `alpha/${ns}/${cart}`, '--json')).out);
    expect(json.items[0].owner).toMatchObject({ ref: 'group:default/team-a', email: 'team-a@example.com' });
  });

  it('owner says so when nothing is stitched to the Service, and when the argument is wrong', async () => {
    const missing = await cli('owner', `alpha/${ns}/nothing-here`);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`error: no component is stitched to Service alpha/${ns}/nothing-here`);
    const wrong = await cli('owner', 'just-a-name');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/owner needs one <cluster>\/<namespace>\/<service>/);
  });

  it('report lists what did not stitch and why', async () => {
    const { code, out } = await cli('report', '--instance', 'main');
    expect(code).toBe(0);
    expect(out).toMatch(/^Components that matched nothing \(1\)$/m);
    expect(out).toContain(
      `component:default/${ghost}: no-id-value: no label_map path gave a Service name (annotations.backstage.io/kubernetes-id: no value) [main]`,
    );
    const json = JSON.parse((await cli('report', '--json')).out);
    expect(json.unmatchedComponents.map((c: { componentRef: string }) => c.componentRef)).toContain(
      `component:default/${ghost}`,
    );
  });

  it('stitch refuses a configuration without a scrapers section', async () => {
    const bare = join(dir, 'bare.yaml');
    await writeFile(
      bare,
      stringify({ backend: { database: { client: 'better-sqlite3', connection: ':memory:' } } }),
    );
    const io = captureIo({ cwd: dir });
    const code = await main(['stitch', '--config', bare], io);
    expect(code).toBe(1);
    expect(io.err).toContain('nothing to stitch: the configuration has no scrapers.backstage section');
  });
});
