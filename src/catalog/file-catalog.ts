import type { Entity } from '@backstage/catalog-model';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StitchboardError, messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { normalizeRef } from './entity-ref.ts';
import { buildSnapshot, matchesFilter, type CatalogFile, type CatalogSnapshot } from './catalog-snapshot.ts';
import type { CatalogSource, EntityFilter, EntityProblem } from './types.ts';

export interface FileCatalogOptions {
  /** Files (any name) or directories (searched recursively for `*.yaml` / `*.yml`). */
  paths: string[];
  logger: Logger;
}

/**
 * The embedded catalog: entities from YAML files, validated as Backstage's catalog would validate them.
 * An invalid entity is skipped and reported with its `file:line`; the rest load.
 *
 * @example
 * const catalog = await FileCatalogSource.load({ paths: ['examples/catalog'], logger });
 * await catalog.getEntityByRef('Component:default/Checkout'); // refs are case-insensitive
 */
export class FileCatalogSource implements CatalogSource {
  readonly description: string;
  readonly #paths: string[];
  readonly #logger: Logger;
  #snapshot: CatalogSnapshot = { byRef: new Map(), entities: [], problems: [] };

  private constructor(options: FileCatalogOptions) {
    this.#paths = [...options.paths];
    this.#logger = options.logger;
    this.description = `files: ${this.#paths.join(', ')}`;
  }

  static async load(options: FileCatalogOptions): Promise<FileCatalogSource> {
    const source = new FileCatalogSource(options);
    await source.reload();
    return source;
  }

  /** Re-reads every file. On failure (a path vanished) the previous entities stay in place. */
  async reload(): Promise<void> {
    const files: CatalogFile[] = [];
    const unreadable: EntityProblem[] = [];
    for (const file of await listFiles(this.#paths)) {
      try {
        files.push({ path: file, text: await readFile(file, 'utf8') });
      } catch (e) {
        unreadable.push({ location: file, message: `cannot read the file: ${messageOf(e)}` });
      }
    }
    const snapshot = await buildSnapshot(files);
    this.#snapshot = { ...snapshot, problems: [...unreadable, ...snapshot.problems] };
    for (const problem of this.#snapshot.problems) {
      this.#logger.warn({ location: problem.location }, `catalog entity skipped: ${problem.message}`);
    }
    this.#logger.info(
      {
        source: this.description,
        entities: snapshot.entities.length,
        problems: this.#snapshot.problems.length,
        files: files.length,
      },
      'file catalog loaded',
    );
  }

  async getEntityByRef(ref: string): Promise<Entity | undefined> {
    return this.#snapshot.byRef.get(normalizeRef(ref));
  }

  async listEntities(filter: EntityFilter): Promise<Entity[]> {
    return this.#snapshot.entities.filter((e) => matchesFilter(e, filter));
  }

  problems(): EntityProblem[] {
    return [...this.#snapshot.problems];
  }
}

async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((e: unknown) => {
      throw new StitchboardError('CONFIG_INVALID', `Catalog path ${path} cannot be read: ${messageOf(e)}`, {
        cause: e,
      });
    });
    if (!info.isDirectory()) {
      out.push(path);
      continue;
    }
    const found: string[] = [];
    for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
      if (!/\.ya?ml$/i.test(entry.name)) continue;
      const full = join(entry.parentPath, entry.name);
      // recursive readdir does not follow links, so a linked file is checked by stat, and a linked directory is skipped
      if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile())) {
        found.push(full);
      }
    }
    out.push(...found.sort());
  }
  // a file reached through two configured paths would otherwise report all its entities as duplicates
  return [...new Set(out)];
}
