import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The `prepare` script in the two places where it must not fail an install: a production image
// (`npm ci --omit=dev`: no vite) and a Docker layer that has only package.json (no web/ sources).
const SCRIPT = new URL('./build.ts', import.meta.url);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-build-web-'));
  await mkdir(join(dir, 'tools/web'), { recursive: true });
  await copyFile(SCRIPT, join(dir, 'tools/web/build.ts'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const build = () => promisify(execFile)(process.execPath, [join(dir, 'tools/web/build.ts')], { cwd: dir });

describe('tools/web/build.ts', () => {
  it('skips with one line, exit 0, where vite is not installed', async () => {
    await mkdir(join(dir, 'web'));
    await writeFile(join(dir, 'web/vite.config.ts'), 'export default {};\n');
    const { stderr } = await build();
    expect(stderr).toBe(
      'stitchboard: vite is not installed (dev dependencies omitted), web UI build skipped: copy in a built web/dist\n',
    );
  });

  it('skips with one line, exit 0, where there are no web sources', async () => {
    const { stderr } = await build();
    expect(stderr).toBe('stitchboard: no web/ sources here, web UI build skipped\n');
  });
});
