import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copiesOf, parseDockerfile, stagesOf, workdirOf, type Stage } from './dockerfile.ts';
import { ROOT } from './manifests.ts';

const stages = stagesOf(parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')));
const final = stages.at(-1) as Stage;
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').filter(Boolean);
const stage = (name: string) => stages.find((s) => s.name === name) as Stage;
const runs = (s: Stage) => s.instructions.filter((i) => i.name === 'RUN').map((i) => i.args.join(' '));

/** Relative imports of the .ts/.tsx/.js files under `dir` (tests aside), resolved to absolute paths. */
function relativeImports(dir: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, entry);
    if (
      !/\.(ts|tsx|js)$/.test(file) ||
      /\.test\.tsx?$|test-support|test-helpers|\.contract\.ts$/.test(file)
    ) {
      continue;
    }
    if (!statSync(file).isFile()) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      found.push({ file, target: resolve(dirname(file), m[1] as string) });
    }
  }
  return found;
}

describe('the Dockerfile', () => {
  it('parses into three stages on Node 24, the last one running as a non-root user', () => {
    expect(stages.map((s) => [s.name, s.image])).toEqual([
      ['web', 'node:24-bookworm-slim'],
      ['deps', 'node:24-bookworm-slim'],
      ['2', 'node:24-bookworm-slim'],
    ]);
    const user = final.instructions.filter((i) => i.name === 'USER').at(-1)?.args[0] ?? 'root';
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  });

  it('builds the web UI in one stage and installs production dependencies only in another', () => {
    expect(runs(stage('web'))).toContain('npm run build:web');
    expect(runs(stage('deps'))).toContain('npm ci --omit=dev --ignore-scripts --no-audit --no-fund');
    const fromStages = copiesOf(final).filter((c) => c.from);
    expect(fromStages.map((c) => [c.from, c.sources, c.dest])).toEqual([
      ['deps', ['/app/node_modules'], '/app/node_modules'],
      ['web', ['/app/web/dist'], '/app/web/dist'],
    ]);
    // web/dist is what vite writes: `build.outDir: 'dist'` under the web root.
    expect(readFileSync(join(ROOT, 'web', 'vite.config.ts'), 'utf8')).toMatch(/outDir: 'dist'/);
  });

  it('copies only files that exist in the build context and that .dockerignore keeps', () => {
    const sources = stages.flatMap((s) =>
      copiesOf(s)
        .filter((c) => !c.from)
        .flatMap((c) => c.sources),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(
        ignored.some((i) => source === i || source.startsWith(`${i}/`)),
        source,
      ).toBe(false);
    }
  });

  it('gives the web build every file the UI imports, and the server every file its sources import', () => {
    const copied = (s: Stage) =>
      copiesOf(s).flatMap((c) => c.sources.map((src) => (c.from ? src : join(workdirOf(s), src))));
    const inside = (target: string, dirs: string[]) =>
      dirs.some((d) => {
        const rel = relative(join(ROOT, relative('/app', d)), target);
        return !rel.startsWith('..');
      });
    for (const [s, dir] of [
      [stage('web'), join(ROOT, 'web')],
      [final, join(ROOT, 'src')],
      [final, join(ROOT, 'bin')],
    ] as const) {
      const dirs = copied(s);
      for (const { file, target } of relativeImports(dir)) {
        expect(inside(target, dirs), `${relative(ROOT, file)} imports ${relative(ROOT, target)}`).toBe(true);
      }
    }
  });

  it('runs the server from its WORKDIR with the config the Deployment mounts', () => {
    expect(workdirOf(final)).toBe('/app');
    const entry = final.instructions.find((i) => i.name === 'ENTRYPOINT');
    const cmd = final.instructions.find((i) => i.name === 'CMD');
    expect(entry).toMatchObject({ json: true, args: ['node', 'bin/stitchboard.js'] });
    expect(cmd).toMatchObject({ json: true, args: ['serve', '--config', 'config/app-config.yaml'] });
  });
});

describe('parseDockerfile', () => {
  it('joins continuations, skips comments, reads flags and both argument forms', () => {
    const parsed = parseDockerfile(
      '# c\nFROM a AS b\nRUN x \\\n  # inside\n  y\nCOPY --from=b /s ./d\nCMD ["p", "q"]\n',
    );
    expect(parsed.map((i) => [i.name, i.flags, i.args, i.json, i.line])).toEqual([
      ['FROM', {}, ['a', 'AS', 'b'], false, 2],
      ['RUN', {}, ['x', 'y'], false, 3],
      ['COPY', { from: 'b' }, ['/s', './d'], false, 6],
      ['CMD', {}, ['p', 'q'], true, 7],
    ]);
  });

  it.each([
    ['FROM a\nCOPYY x y\n', 'Dockerfile line 2: unknown instruction "COPYY"'],
    ['FROM a\nCMD ["x",\n', 'Dockerfile line 2: CMD has a malformed JSON array'],
  ])('names the line of what it cannot read (%j)', (text, message) => {
    expect(() => parseDockerfile(text)).toThrow(message);
  });

  it('refuses an instruction before the first FROM', () => {
    expect(() => stagesOf(parseDockerfile('RUN x\nFROM a\n'))).toThrow(
      'Dockerfile line 1: RUN before the first FROM',
    );
  });
});
