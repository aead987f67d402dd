import type { Entity } from '@backstage/catalog-model';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { FIXTURE_DIR, ensureBackstageFixture, isAlive } from '../fixtures/backstage/install.ts';

/**
 * A real Backstage catalog backend (test/fixtures/backstage) on 127.0.0.1, serving the given entities
 * from a file location, with a static external-access token.
 *
 * Timings seen on 2 shared cores (load average 5-6): the first start on a machine installs the fixture
 * (about 2 minutes); after that, ready in 3-4 s for a handful of entities and about 20 s for 1,200
 * components. A restart (stop, start) reuses the sqlite data and is ready in about 2.5 s. `setEntities`
 * is seen in about 2 s for a few entities and 3.5-5 s among 1,200: it asks the catalog to refresh the
 * file's Location at once and deletes removed entities itself, where Backstage alone would take up to
 * its processing interval (100-150 s) and its 30 s orphan cleanup.
 */
export interface BackstageFixture {
  /** Backend base URL, e.g. `http://127.0.0.1:41234`; the Catalog API is `${url}/api/catalog`. */
  url: string;
  token: string;
  /** Stops the backend (SIGTERM, then SIGKILL after 5 s). Data stays for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data, and waits until it serves the entities. */
  start(): Promise<void>;
  /** Replaces the entities file and waits until the catalog serves exactly those entities. */
  setEntities(entities: Entity[] | string): Promise<void>;
  /** Stops the backend and deletes its temp directory. */
  close(): Promise<void>;
  /** The backend's stdout and stderr, appended across restarts. */
  logFile: string;
}

export interface StartBackstageOptions {
  entities: Entity[] | string;
  token?: string;
  port?: number;
  /** How long to wait for the catalog to serve every entity (default 240 s). */
  readyTimeoutMs?: number;
}

const TMP_PREFIX = 'stitchboard-backstage-';
const DB_PREFIX = 'stitchboard-backstage-db-';
const SHM = '/dev/shm';
const OWNER = 'owner.pid';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startBackstage(options: StartBackstageOptions): Promise<BackstageFixture> {
  const install = await ensureBackstageFixture((line) =>
    process.stderr.write(`[backstage fixture] ${line}\n`),
  );
  // The entry file must sit beside node_modules for its imports to resolve; written atomically since
  // several test processes may start a fixture at once.
  const entry = join(install.dir, 'backend.mjs');
  const entryTmp = `${entry}.${process.pid}.tmp`;
  await writeFile(entryTmp, await readFile(join(FIXTURE_DIR, 'backend.mjs')));
  await rename(entryTmp, entry);

  await sweepAbandoned();
  const dir = await mkdtemp(join(tmpdir(), TMP_PREFIX));
  const entitiesFile = join(dir, 'entities.yaml');
  const logFile = join(dir, 'backstage.log');
  const token = options.token ?? `stitchboard-test-${randomBytes(12).toString('hex')}`;
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 240_000;

  // sqlite on tmpfs where there is one: the catalog writes every entity several times while processing,
  // and on disk 1,200 entities took about four times longer to load (75 s against 19 s).
  const dbDir = existsSync(SHM) ? await mkdtemp(join(SHM, DB_PREFIX)) : join(dir, 'db');
  await mkdir(dbDir, { recursive: true });
  for (const owned of [dir, dbDir]) await writeFile(join(owned, OWNER), String(process.pid));
  const instanceConfig = join(dir, 'app-config.instance.yaml');
  await writeFile(
    instanceConfig,
    stringify({
      backend: {
        baseUrl: url,
        listen: { host: '127.0.0.1', port },
        database: { client: 'better-sqlite3', connection: { directory: dbDir } },
        auth: { externalAccess: [{ type: 'static', options: { token, subject: 'stitchboard-tests' } }] },
      },
      catalog: { locations: [{ type: 'file', target: entitiesFile }] },
    }),
  );

  let expected = await writeEntities(entitiesFile, options.entities);
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child) return;
    const log = openSync(logFile, 'a');
    const args = [entry, '--config', join(FIXTURE_DIR, 'app-config.yaml'), '--config', instanceConfig];
    const proc = spawn(install.node, args, {
      // Backstage looks for a package.json upwards from its working directory.
      cwd: install.dir,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    child = proc;
    running.add(proc);
    proc.once('exit', () => {
      running.delete(proc);
      if (child === proc) child = undefined;
    });
    await waitFor(
      readyTimeoutMs,
      logFile,
      () => proc.exitCode !== null || proc.signalCode !== null,
      () => catalogServes(url, token, expected),
    );
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const setEntities = async (entities: Entity[] | string) => {
    expected = await writeEntities(entitiesFile, entities);
    await refreshLocation(url, token, entitiesFile);
    await waitFor(
      readyTimeoutMs,
      logFile,
      () => !child,
      async () => {
        const { same, extra } = await compareCatalog(url, token, expected);
        // Safe at any time once the file is rewritten: a read of the old file still in flight may re-create
        // an entity, and the next round deletes it again.
        await deleteOrphans(url, token, extra);
        return same;
      },
    );
  };

  const close = async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
    await rm(dbDir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (e) {
    // The error already carries the log's tail.
    await close();
    throw e;
  }
  return { url, token, stop, start, setEntities, close, logFile };
}

interface ExpectedEntity {
  ref: string;
  entity: Entity;
}

/** Writes the file atomically (the catalog may be reading it) and returns the entities the catalog should serve. */
async function writeEntities(file: string, entities: Entity[] | string): Promise<ExpectedEntity[]> {
  const text = typeof entities === 'string' ? entities : entities.map((e) => stringify(e)).join('---\n');
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
  const docs = parseAllDocuments(text);
  const list = (Array.isArray(docs) ? docs : [])
    .map((d) => d.toJS() as Entity)
    .filter((e) => e?.kind && e.metadata?.name);
  // The catalog adds Location entities of its own, so Locations are left out of the comparison.
  return list.filter((e) => e.kind.toLowerCase() !== 'location').map((e) => ({ ref: refOf(e), entity: e }));
}

const refOf = (e: Entity) =>
  `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();

/** Lists what the catalog serves (Locations aside) and says whether it is exactly the expected entities. */
async function compareCatalog(
  url: string,
  token: string,
  expected: ExpectedEntity[],
): Promise<{ same: boolean; extra: Entity[] }> {
  const served = new Map<string, Entity>();
  let cursor: string | undefined;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await fetch(
      `${url}/api/catalog/entities/by-query?limit=1000&fields=kind,metadata,spec${query}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    ).catch(() => undefined);
    if (!res?.ok) return { same: false, extra: [] };
    const body = (await res.json()) as { items: Entity[]; pageInfo: { nextCursor?: string } };
    for (const e of body.items) if (e.kind.toLowerCase() !== 'location') served.set(refOf(e), e);
    cursor = body.pageInfo.nextCursor;
  } while (cursor);
  const wanted = new Set(expected.map((e) => e.ref));
  const extra = [...served].filter(([ref]) => !wanted.has(ref)).map(([, e]) => e);
  const same =
    extra.length === 0 &&
    expected.every(({ ref, entity }) => {
      const got = served.get(ref);
      return got !== undefined && sameContent(entity, got);
    });
  return { same, extra };
}

/** A cheap count first (kinds of the expected entities), the full comparison only once the count is right. */
async function catalogServes(url: string, token: string, expected: ExpectedEntity[]): Promise<boolean> {
  const kinds = [...new Set(expected.map((e) => e.entity.kind.toLowerCase()))];
  if (kinds.length > 0) {
    const filter = kinds.map((k) => `kind=${encodeURIComponent(k)}`).join(',');
    const res = await fetch(`${url}/api/catalog/entities/by-query?limit=1&fields=kind&filter=${filter}`, {
      headers: { authorization: `Bearer ${token}` },
    }).catch(() => undefined);
    if (!res?.ok || ((await res.json()) as { totalItems: number }).totalItems !== expected.length) {
      return false;
    }
  }
  return (await compareCatalog(url, token, expected)).same;
}

/**
 * Removed entities are orphans once the file is re-read, but the catalog deletes orphans only every
 * 30 s; deleting them by uid, as that cleanup would, keeps setEntities fast.
 */
async function deleteOrphans(url: string, token: string, orphans: Entity[]): Promise<void> {
  for (const e of orphans) {
    if (!e.metadata.uid) continue;
    await fetch(`${url}/api/catalog/entities/by-uid/${encodeURIComponent(e.metadata.uid)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    }).catch(() => undefined);
  }
}

function sameContent(want: Entity, got: Entity): boolean {
  const subset = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
    Object.entries(a).every(([k, v]) => b[k] === v);
  return (
    subset(want.metadata.annotations, got.metadata.annotations) &&
    subset(want.metadata.labels, got.metadata.labels) &&
    isDeepStrictEqual(canonical(want.spec ?? {}), canonical(got.spec ?? {}))
  );
}

/** The catalog sorts ref lists (dependsOn, members, ...) before storing them. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((v) => typeof v === 'string') ? [...items].sort() : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** Asks the catalog to re-read the entities file now instead of at the next processing interval. */
async function refreshLocation(url: string, token: string, file: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res = await fetch(`${url}/api/catalog/entities/by-query?filter=kind=location&limit=100`, { headers });
  if (!res.ok) throw new Error(`Backstage fixture: listing locations failed with ${res.status}`);
  const { items } = (await res.json()) as { items: Entity[] };
  const location = items.find((e) => (e.spec as { target?: string } | undefined)?.target === file);
  if (!location) return;
  const refresh = await fetch(`${url}/api/catalog/refresh`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ entityRef: refOf(location) }),
  });
  if (!refresh.ok) {
    throw new Error(`Backstage fixture: refresh failed with ${refresh.status}: ${await refresh.text()}`);
  }
}

async function waitFor(
  timeoutMs: number,
  logFile: string,
  died: () => boolean,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (died()) throw new Error(`Backstage fixture exited before it was ready:\n${await tail(logFile)}`);
    if (await ready()) return;
    if (Date.now() > deadline) {
      throw new Error(`Backstage fixture not ready after ${timeoutMs} ms:\n${await tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-40).join('\n');
}

/** Removes the directories of fixtures whose test process died before close() (tmpfs holds RAM). */
async function sweepAbandoned(): Promise<void> {
  for (const [base, prefix] of [
    [tmpdir(), TMP_PREFIX],
    [SHM, DB_PREFIX],
  ] as const) {
    const names = await readdir(base).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(prefix))) {
      const owner = Number(await readFile(join(base, name, OWNER), 'utf8').catch(() => ''));
      if (owner && !isAlive(owner)) await rm(join(base, name), { recursive: true, force: true });
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
