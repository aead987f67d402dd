import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createTempDir, type TempDir } from './test-support.ts';
import { transformConfig } from './transform.ts';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir();
});
afterEach(() => tmp.remove());

const run = (
  value: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  file = join(tmp.path, 'app-config.yaml'),
) => transformConfig(value, file, env);

describe('transformConfig', () => {
  it('substitutes ${VAR} everywhere and drops keys and list items whose variable is unset, with a warning', async () => {
    const result = await run(
      { a: '${SET}', b: '${UNSET}', list: ['${SET}', '${UNSET}', 'x'], deep: { c: 'v=${SET}' } },
      { SET: 'yes' },
    );
    expect(result.value).toEqual({ a: 'yes', list: ['yes', 'x'], deep: { c: 'v=yes' } });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { path: 'b', message: expect.stringMatching(/^environment variable UNSET is not set/) },
      { path: 'list[1]', message: expect.stringMatching(/^environment variable UNSET is not set/) },
    ]);
  });

  it('keeps non-string values as they are', async () => {
    expect((await run({ n: 1, t: true, l: [1, false] })).value).toEqual({ n: 1, t: true, l: [1, false] });
  });

  it('reads $env, trimmed, and drops the key when unset', async () => {
    const result = await run({ token: { $env: 'TOKEN' }, other: { $env: 'NOPE' } }, { TOKEN: ' abc \n' });
    expect(result.value).toEqual({ token: 'abc' });
    expect(result.warnings.map((w) => w.path)).toEqual(['other']);
  });

  it('reads $file relative to the config file, trimming the end only', async () => {
    await tmp.write('secrets/token.txt', '  tok-123\n\n');
    const result = await run({ token: { $file: 'secrets/token.txt' } });
    expect(result.value).toEqual({ token: '  tok-123' });
  });

  it('substitutes variables inside $file and $include paths', async () => {
    await tmp.write('prod/token.txt', 'prod-token');
    const result = await run({ token: { $file: '${STAGE}/token.txt' } }, { STAGE: 'prod' });
    expect(result.value).toEqual({ token: 'prod-token' });
  });

  it('includes YAML and JSON, a fragment of it, and resolves nested includes against the included file', async () => {
    await tmp.write(
      'parts/clusters.yaml',
      'clusters:\n  - name: a\n    caFile: ./ca.pem\n    token: { $file: token.txt }\n',
    );
    await tmp.write('parts/token.txt', 'nested-token');
    await tmp.write('parts/limits.json', '{"timeout": 5000}');
    const result = await run({
      locator: { $include: 'parts/clusters.yaml' },
      names: { $include: 'parts/clusters.yaml#clusters' },
      limits: { $include: './parts/limits.json' },
    });
    expect(result.errors).toEqual([]);
    expect(result.value).toEqual({
      locator: { clusters: [{ name: 'a', caFile: './ca.pem', token: 'nested-token' }] },
      names: [{ name: 'a', caFile: './ca.pem', token: 'nested-token' }],
      limits: { timeout: 5000 },
    });
    // The included file's own directory is recorded, so its relative paths resolve there.
    expect(result.origins.get('locator.clusters[0].caFile')).toBe(join(tmp.path, 'parts'));
  });

  it('records the directory of every string leaf for path resolution', async () => {
    const result = await run({ stitchboard: { dataDir: './data', catalog: [{ path: 'c.yaml' }] } });
    expect(result.origins.get('stitchboard.dataDir')).toBe(tmp.path);
    expect(result.origins.get('stitchboard.catalog[0].path')).toBe(tmp.path);
  });

  it.each([
    ['a missing $file', { k: { $file: 'missing.txt' } }, /^\$file: cannot read .*missing\.txt: no such file/],
    ['a missing $include', { k: { $include: 'missing.yaml' } }, /^\$include: cannot read .*: no such file/],
    ['an $include of an unknown format', { k: { $include: 'notes.txt' } }, /only \.yaml, \.yml and \.json/],
    ['a key next to $file', { k: { $file: 'a', other: 1 } }, /must be the only key/],
    ['a non-string $env', { k: { $env: 5 } }, /must be a string/],
    ['an unset variable in a $file path', { k: { $file: '${NOPE}/x' } }, /unset environment variable NOPE/],
  ])('reports %s at its path', async (_, value, message) => {
    await tmp.write('notes.txt', 'hello');
    const result = await run(value);
    expect(result.errors).toEqual([{ path: 'k', message: expect.stringMatching(message) }]);
    expect(result.value).toEqual({});
  });

  it('reports a fragment the included file does not have', async () => {
    await tmp.write('part.yaml', 'a: { b: 1 }\n');
    const result = await run({ k: { $include: 'part.yaml#a.c' } });
    expect(result.errors[0]?.message).toMatch(/has no value at "a\.c"/);
  });

  it('reports a YAML error inside an included file with its line', async () => {
    await tmp.write('part.yaml', 'a: 1\na: 2\n');
    const result = await run({ k: { $include: 'part.yaml' } });
    expect(result.errors[0]?.message).toMatch(/part\.yaml:2:1: YAML syntax error/);
  });

  it('stops include cycles', async () => {
    await tmp.write('a.yaml', 'next: { $include: b.yaml }\n');
    await tmp.write('b.yaml', 'next: { $include: a.yaml }\n');
    const result = await run({ k: { $include: 'a.yaml' } });
    expect(result.errors).toEqual([{ path: 'k.next.next', message: expect.stringMatching(/include cycle/) }]);
  });
});
