import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Lints fixture strings with the repository's own eslint.config.js, as `npm run lint` does.
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layers').map((m) => m.message);
}

const upward = (from: string, fromRank: number, to: string, toRank: number) =>
  `'${from}' (layer ${fromRank}) must not import from '${to}' (layer ${toRank}): move the shared piece down to the lower layer`;

describe('the layers rule (eslint.config.js)', () => {
  it('fails an upward import: kube importing from fetch', async () => {
    const errors = await layerErrors(
      'src/kube/fixture.ts',
      "import type { ObjectFetcher } from '../fetch/types.ts';\nexport type X = ObjectFetcher;\n",
    );
    expect(errors).toEqual([upward('kube', 1, 'fetch', 4)]);
  });

  it('fails upward re-exports and dynamic imports, from nested folders too', async () => {
    const errors = await layerErrors(
      'src/fetch/watch/fixture.ts',
      "export { parseLabelSelector } from '../../kube/label-selector.ts';\nexport * from '../../http/server.ts';\nexport const load = () => import('../../objects/fan-out.ts');\n",
    );
    expect(errors).toEqual([upward('fetch', 4, 'http', 7), upward('fetch', 4, 'objects', 5)]);
  });

  it('lets a module import its own layer and lower ones', async () => {
    const code =
      "import { authProviderOf } from '../clusters/types.ts';\nimport { messageOf } from '../errors/errors.ts';\nexport { authProviderOf, messageOf };\n";
    expect(await layerErrors('src/auth/fixture.ts', code)).toEqual([]);
  });

  it('lets web/ import src/contract/ and nothing else of src/', async () => {
    expect(
      await layerErrors(
        'web/src/pages/fixture.ts',
        "import type { KubeObject } from '../../../src/contract/kubernetes.ts';\nexport type X = KubeObject;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'web/src/pages/fixture.ts',
        "import { healthOf } from '../../../src/objects/detect-errors.ts';\nexport const h = healthOf;\n",
      ),
    ).toEqual([
      "web/ imports from src/ only contract; 'objects' is a server internal: put the wire type in src/contract/",
    ]);
  });

  it('fails a src/ folder that has no layer, and any import of web/ from src/', async () => {
    expect(
      await layerErrors(
        'src/newfolder/fixture.ts',
        "import { a } from '../errors/errors.ts';\nexport { a };\n",
      ),
    ).toEqual([
      'src/newfolder has no layer: give it one in the layers table of eslint.config.js (and CONTRIBUTING.md)',
    ]);
    expect(
      await layerErrors(
        'src/http/fixture.ts',
        "import { a } from '../../web/src/router.ts';\nexport { a };\n",
      ),
    ).toEqual(["'http' must not import from web/"]);
  });

  it('leaves tests free to compose every layer', async () => {
    const code = "import { createApp } from '../app.ts';\nexport { createApp };\n";
    expect(await layerErrors('src/kube/fixture.test.ts', code)).toEqual([]);
    expect(await layerErrors('src/kube/fixture.ts', code)).toEqual([upward('kube', 1, 'app', 8)]);
  });
});
