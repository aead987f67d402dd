/**
 * bench/catalog.ts's Backstage stand-in, run in a worker thread so its heap is not the client's: the
 * Catalog API's `GET /api/catalog/entities/by-query` over loopback HTTP, with `filter=kind=...`,
 * `limit`, `fields` (comma-separated dotted paths) and an opaque `cursor`, answered as the real catalog
 * does (`{ items, totalItems, pageInfo: { nextCursor } }`). Posts its base URL to the parent when listening.
 */
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const count = (workerData as { entities: number }).entities;
const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(12);
const entities = Array.from({ length: count }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `comp-${i}`,
    namespace: 'default',
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    etag: `etag-${i}`,
    title: `Component ${i}`,
    description: text,
    annotations: {
      'backstage.io/kubernetes-id': `svc-${i}`,
      'backstage.io/kubernetes-namespace': `ns-${i % 50}`,
      'backstage.io/managed-by-location': `url:https://git.example.com/org/repo-${i}/catalog-info.yaml`,
      'backstage.io/source-location': `url:https://git.example.com/org/repo-${i}/`,
    },
    labels: { tier: i % 3 === 0 ? 'frontend' : 'backend' },
    tags: ['typescript', 'service'],
  },
  spec: { type: 'service', lifecycle: 'production', owner: `team-${i % 200}`, system: `system-${i % 100}` },
  relations: [
    { type: 'ownedBy', targetRef: `group:default/team-${i % 200}` },
    { type: 'partOf', targetRef: `system:default/system-${i % 100}` },
  ],
}));

function pick(entity: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const path = field.split('.');
    let from: unknown = entity;
    for (const key of path) from = (from as Record<string, unknown> | undefined)?.[key];
    if (from === undefined) continue;
    let to = out;
    for (const key of path.slice(0, -1)) to = (to[key] ??= {}) as Record<string, unknown>;
    to[path.at(-1) as string] = from;
  }
  return out;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/api/catalog/entities/by-query') {
    res.writeHead(404).end();
    return;
  }
  const cursor = url.searchParams.get('cursor');
  const state = cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { offset: number; kind: string })
    : { offset: 0, kind: (url.searchParams.get('filter') ?? '').replace(/^kind=/, '').toLowerCase() };
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const fields = url.searchParams
    .getAll('fields')
    .flatMap((f) => f.split(','))
    .filter(Boolean);
  const matching = entities.filter((e) => e.kind.toLowerCase() === state.kind);
  const page = matching.slice(state.offset, state.offset + limit);
  const next = state.offset + limit;
  const body = {
    items: fields.length > 0 ? page.map((e) => pick(e, fields)) : page,
    totalItems: matching.length,
    pageInfo:
      next < matching.length
        ? {
            nextCursor: Buffer.from(JSON.stringify({ offset: next, kind: state.kind })).toString('base64url'),
          }
        : {},
  };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  parentPort?.postMessage(`http://127.0.0.1:${port}`);
});
