import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.ts';
import { CompositeCatalogSource } from './composite-catalog.ts';
import { FileCatalogSource } from './file-catalog.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-composite-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const component = (name: string, owner: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: service, lifecycle: production, owner: ${owner} }\n`;

async function source(file: string, text: string): Promise<FileCatalogSource> {
  await writeFile(join(dir, file), text);
  return FileCatalogSource.load({ paths: [join(dir, file)], logger: silentLogger() });
}

describe('CompositeCatalogSource', () => {
  it('answers a ref from the first source that has it, concatenates lists and problems', async () => {
    const first = await source(
      'first.yaml',
      `${component('shared', 'team-first')}---\n${component('only-first', 'a')}---\nkind: Nope\n`,
    );
    const second = await source(
      'second.yaml',
      `${component('shared', 'team-second')}---\n${component('only-second', 'b')}`,
    );
    const composite = new CompositeCatalogSource([first, second]);

    expect((await composite.getEntityByRef('component:default/shared'))?.spec?.owner).toBe('team-first');
    expect((await composite.getEntityByRef('Component:only-second'))?.metadata.name).toBe('only-second');
    expect(await composite.getEntityByRef('component:default/nowhere')).toBeUndefined();
    expect((await composite.listEntities({ kinds: ['component'] })).map((e) => e.metadata.name)).toEqual([
      'shared',
      'only-first',
      'shared',
      'only-second',
    ]);
    expect(composite.problems()).toEqual([
      { location: `${join(dir, 'first.yaml')}:11`, message: expect.stringContaining('Nope') },
    ]);
    expect(composite.description).toBe(
      `files: ${join(dir, 'first.yaml')} + files: ${join(dir, 'second.yaml')}`,
    );
  });
});
