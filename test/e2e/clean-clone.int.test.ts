import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type RunningServer } from '../helpers/serve.ts';

// A new user's path, and CI's (.ci/run): a fresh clone of what is committed, `npm ci`, then `serve`.
// Nothing else is run in between, so the web UI must come from the install itself (the `prepare` script).
const REPO = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let installLog = '';
let server: RunningServer;

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (installLog += chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${installLog}`)),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-clean-clone-'));
  const clone = join(dir, 'stitchboard');
  await run('git', ['clone', '--quiet', '--no-hardlinks', REPO, clone], dir);
  // .ci/run's install step (plus --prefer-offline: the packages come from this machine's npm cache).
  await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], clone);
  await writeFile(
    join(dir, 'app-config.yaml'),
    `stitchboard:
  dataDir: ${dir}/data
kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods: [{ type: config, clusters: [] }]
`,
  );
  server = await startServe(['--config', join(dir, 'app-config.yaml')], { root: clone, cwd: dir });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a clean clone after `npm ci`', () => {
  it('builds the web UI during the install, saying so on stderr', () => {
    expect(installLog).toMatch(/stitchboard: web UI built in [\d.]+ s/);
  });

  it('serves the UI’s page and its assets, not the "not built" placeholder', async () => {
    const page = await fetch(`${server.url}/components`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('not built');
    expect(html).toContain('<div id="root">');
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await asset.text()).length).toBeGreaterThan(10_000);
  });

  it('starts without a word about the UI build', () => {
    expect(server.output()).not.toContain('web UI');
  });
});
