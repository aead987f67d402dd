/**
 * The web UI's build, run by `npm ci` / `npm install` (the `prepare` script) so a fresh clone serves the
 * UI with no extra command, and by `npm run build:web`. Progress goes to stderr.
 *
 * It never fails an install for a reason that is not a broken UI: without web sources (a Docker layer
 * that copied only package.json) or without Vite (`npm ci --omit=dev`, a production image, which copies
 * a web/dist built elsewhere) it says so in one line and exits 0. A Vite build error exits 1.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Vite from 'vite';

const CONFIG = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));
const say = (line: string) => process.stderr.write(`stitchboard: ${line}\n`);

if (!existsSync(CONFIG)) {
  say('no web/ sources here, web UI build skipped');
  process.exit(0);
}

let build: (typeof Vite)['build'];
try {
  ({ build } = await import('vite'));
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  say('vite is not installed (dev dependencies omitted), web UI build skipped: copy in a built web/dist');
  process.exit(0);
}

const started = performance.now();
say('building the web UI into web/dist (vite)…');
try {
  await build({ configFile: CONFIG, logLevel: 'warn' });
} catch (error) {
  say(`web UI build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
say(`web UI built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
