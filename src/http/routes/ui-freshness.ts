import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web UI's sources (what `npm ci` builds into web/dist); absent in an image that ships only web/dist. */
const WEB = fileURLToPath(new URL('../../../web/', import.meta.url));
const SOURCES = ['src', 'index.html', 'vite.config.ts'];

export type UiBuildState = 'fresh' | 'missing' | 'stale';

/** Pure: the build's state from its index.html's mtime and the newest source's (undefined: none there). */
export function uiBuildState(builtMs: number | undefined, newestSourceMs: number | undefined): UiBuildState {
  if (builtMs === undefined) return 'missing';
  return newestSourceMs !== undefined && newestSourceMs > builtMs ? 'stale' : 'fresh';
}

/** One line for stderr when the UI `serve` is about to answer is missing or older than its sources, else undefined. */
export function uiBuildWarning(web: string = WEB): string | undefined {
  const state = uiBuildState(
    mtime(join(web, 'dist', 'index.html')),
    newest(SOURCES.map((s) => join(web, s))),
  );
  if (state === 'fresh') return undefined;
  const what = state === 'missing' ? 'is not built' : 'in web/dist is older than web/src';
  return `web UI ${what}: run \`npm run build:web\` (npm ci builds it); the API works without it`;
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newest(paths: string[]): number | undefined {
  let max: number | undefined;
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    const ms = stat.isDirectory()
      ? newest(readdirSync(path).map((entry) => join(path, entry)))
      : stat.mtimeMs;
    if (ms !== undefined && (max === undefined || ms > max)) max = ms;
  }
  return max;
}
