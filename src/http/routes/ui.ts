import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:web` (vite build) writes the UI. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Paths that belong to the API: an unknown one there is a 404, never the UI's index page. */
const API_PATHS = /^\/(api|healthz|readyz|metrics)(\/|$)/;

// The UI is a bundle of our own files: no inline scripts, no third-party origins. Inline styles stay
// allowed because React's `style` props become style attributes.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Stitchboard</title>
<p>The web UI is not built. Run <code>npm run build:web</code> and reload; the API under <code>/api</code> works without it.</p>`;

/**
 * Serves the web UI from `web/dist` at `/`, and `index.html` for any other path outside the API so a
 * shared link (`/components/component/default/shop?cluster=beta`) opens the right page. The UI's files
 * are public: the data behind them is not, the UI asks for a token when the API wants one.
 */
export async function uiRoutes(app: FastifyInstance, options: { root?: string } = {}) {
  const root = options.root ?? WEB_DIST;
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(fastifyStatic, { root, serve: false, decorateReply: true });

  const isFile = (relative: string) => {
    const full = normalize(join(root, relative));
    if (!full.startsWith(normalize(root + sep))) return false;
    return existsSync(full) && statSync(full).isFile();
  };

  const sendIndex = (reply: FastifyReply) => {
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' });
    if (!isFile('index.html')) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.sendFile('index.html', { cacheControl: false });
  };

  app.get('/', (_request, reply) => sendIndex(reply));
  app.get('/*', (request, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      return reply.callNotFound();
    }
    if (API_PATHS.test(path)) return reply.callNotFound();
    const relative = path.replace(/^\/+/, '');
    if (relative && isFile(relative)) {
      // Vite puts a content hash in every asset name: those never change, so cache them for good.
      const immutable = relative.startsWith('assets/');
      reply.headers({
        ...SECURITY_HEADERS,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      return reply.sendFile(relative, { cacheControl: false });
    }
    // A missing asset is a 404; any other path is a page of the single-page app.
    if (/\.[a-z0-9]+$/i.test(relative)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
