/**
 * `npm run bench -- --catalog` (or `node bench/catalog.ts`): reading a 10,000-Component catalog through
 * Backstage's Catalog API, the way stitching does (`GET /api/catalog/entities/by-query`, cursor pages of
 * 500, `fields=` projection), with three clients:
 *
 * - `catalog-client`: Stitchboard's `BackstageCatalogSource` (`@backstage/catalog-client` over undici fetch);
 * - `catalog-client, no fields`: the same without projection, to show what `fields=` saves;
 * - `undici.request`: a hand-written pager (undici `request`, `JSON.parse`), the alternative to the library.
 *
 * The server is a loopback HTTP server in a worker thread (its own heap) speaking the by-query contract
 * the real catalog does: `filter=kind=component`, `limit`, `fields` (dotted paths), opaque `cursor`,
 * `{ items, totalItems, pageInfo: { nextCursor } }`. Each entity carries ~1 KiB of description and
 * annotations, as real catalogs do. Per client: median wall time over `--rounds`, and the heap the
 * read entities retain (after a forced GC).
 *
 *   node bench/catalog.ts [--entities 10000] [--rounds 5] [--page-size 500]
 */
import { once } from 'node:events';
import { cpus, totalmem } from 'node:os';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Entity } from '@backstage/catalog-model';
import { request } from 'undici';
import { BackstageCatalogSource } from '../src/catalog/backstage-catalog.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { DEFAULT_LABEL_MAP } from '../src/topology/label-map.ts';
import { componentFields } from '../src/stitching/catalog-fields.ts';
import { numberOptions } from './options.ts';
import { percentile } from './report.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface CatalogScenario {
  client: string;
  entities: number;
  pages: number;
  p50Ms: number;
  retainedMiB: number;
}

type Reader = (endpoint: string, fields: readonly string[] | undefined) => Promise<Entity[]>;

const readers: { name: string; projected: boolean; read: Reader }[] = [
  { name: 'catalog-client', projected: true, read: viaCatalogClient },
  { name: 'catalog-client, no fields', projected: false, read: viaCatalogClient },
  { name: 'undici.request', projected: true, read: viaUndiciRequest },
];

let pageSize = 500;

export async function runCatalogBench(args: readonly string[]): Promise<CatalogScenario[]> {
  const options = numberOptions(args, { entities: 10_000, rounds: 5, 'page-size': 500 });
  const { entities, rounds } = options;
  pageSize = options['page-size'];
  const server = new Worker(new URL('./catalog-server.ts', import.meta.url), { workerData: { entities } });
  const [endpoint] = (await once(server, 'message')) as [string];
  const fields = componentFields(DEFAULT_LABEL_MAP);
  const scenarios: CatalogScenario[] = [];
  try {
    // One warm-up read per client, so JIT and connection set-up are not in the figures.
    for (const r of readers) await r.read(endpoint, r.projected ? fields : undefined);
    for (const r of readers) {
      const times: number[] = [];
      let retained = 0;
      let count = 0;
      for (let i = 0; i < rounds; i++) {
        const once = await readOnce(() => r.read(endpoint, r.projected ? fields : undefined));
        // What the read entities retain: the heap holding them, less the heap once they are gone.
        gc();
        retained = Math.max(retained, once.holding - process.memoryUsage().heapUsed);
        times.push(once.ms);
        count = once.count;
      }
      if (count !== entities) throw new Error(`${r.name} read ${count} of ${entities} entities`);
      scenarios.push({
        client: r.name,
        entities: count,
        pages: Math.ceil(count / pageSize),
        p50Ms: percentile(times, 50),
        retainedMiB: Math.round((retained / 2 ** 20) * 10) / 10,
      });
    }
  } finally {
    await server.terminate();
  }
  return scenarios;
}

/** One read, timed; the heap is measured while its entities are held, and they are dropped on return. */
async function readOnce(
  read: () => Promise<Entity[]>,
): Promise<{ ms: number; count: number; holding: number }> {
  gc();
  const started = performance.now();
  const held = await read();
  const ms = performance.now() - started;
  gc();
  return { ms, count: held.length, holding: process.memoryUsage().heapUsed };
}

async function viaCatalogClient(endpoint: string, fields: readonly string[] | undefined) {
  const source = new BackstageCatalogSource({ endpoint, logger: silentLogger(), pageSize });
  try {
    return await source.listEntities({ kinds: ['Component'] }, fields ? { fields } : {});
  } finally {
    await source.close();
  }
}

async function viaUndiciRequest(endpoint: string, fields: readonly string[] | undefined) {
  const items: Entity[] = [];
  let cursor: string | undefined;
  do {
    const url = new URL(`${endpoint}/api/catalog/entities/by-query`);
    if (cursor) url.searchParams.set('cursor', cursor);
    else url.searchParams.set('filter', 'kind=component');
    url.searchParams.set('limit', String(pageSize));
    if (fields) url.searchParams.set('fields', fields.join(','));
    const res = await request(url, { headers: { accept: 'application/json' } });
    if (res.statusCode !== 200) throw new Error(`by-query answered ${res.statusCode}`);
    const page = (await res.body.json()) as { items: Entity[]; pageInfo: { nextCursor?: string } };
    items.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return items;
}

export function printCatalogReport(scenarios: readonly CatalogScenario[]): void {
  console.log(
    `\n### Catalog reads — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  console.log('| client | entities | pages | p50 ms | retained heap MiB |');
  console.log('|---|---|---|---|---|');
  for (const s of scenarios) {
    console.log(`| ${s.client} | ${s.entities} | ${s.pages} | ${s.p50Ms.toFixed(0)} | ${s.retainedMiB} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printCatalogReport(await runCatalogBench(process.argv.slice(2)));
}
