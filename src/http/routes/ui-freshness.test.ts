import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uiBuildState, uiBuildWarning } from './ui-freshness.ts';

describe('uiBuildState', () => {
  it('is missing without a build, stale when a source is newer, fresh otherwise', () => {
    expect(uiBuildState(undefined, 5)).toBe('missing');
    expect(uiBuildState(4, 5)).toBe('stale');
    expect(uiBuildState(5, 5)).toBe('fresh');
    expect(uiBuildState(5, undefined)).toBe('fresh');
  });
});

describe('uiBuildWarning', () => {
  async function web(files: Record<string, number>) {
    const dir = await mkdtemp(join(tmpdir(), 'sb-ui-fresh-'));
    for (const [file, seconds] of Object.entries(files)) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), 'x');
      await utimes(join(dir, file), seconds, seconds);
    }
    return dir;
  }

  it('says how to build a missing UI', async () => {
    expect(uiBuildWarning(await web({ 'src/main.tsx': 100 }))).toMatch(/not built: run `npm run build:web`/);
  });

  it('finds a source newer than the build however deep it sits', async () => {
    const dir = await web({ 'dist/index.html': 200, 'src/main.tsx': 100, 'src/pages/deep/page.tsx': 300 });
    expect(uiBuildWarning(dir)).toMatch(/older than web\/src/);
  });

  it('is quiet for a fresh build, and for a build shipped without its sources', async () => {
    expect(uiBuildWarning(await web({ 'dist/index.html': 200, 'src/main.tsx': 100 }))).toBeUndefined();
    expect(uiBuildWarning(await web({ 'dist/index.html': 200 }))).toBeUndefined();
  });
});
