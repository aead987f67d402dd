import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CONFIG = fileURLToPath(new URL('../../../web/vite.config.ts', import.meta.url));

/** `npm run build:web`, in-process: the browser tests always run against the UI as committed. */
export async function buildWeb(): Promise<void> {
  await build({ configFile: CONFIG, logLevel: 'warn' });
}
