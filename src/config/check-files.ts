import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { Issue } from '../errors/errors.ts';
import type { Config } from './types.ts';
import { pemProblem } from './ca-data.ts';
import { formatPath } from './path.ts';
import { describeFsError } from './transform.ts';

/**
 * The checks that need the disk: every `caFile` must be readable and hold a PEM certificate, and
 * every custom locator's module must be readable.
 */
export async function checkReferencedFiles(config: Config): Promise<Issue[]> {
  const checks: Promise<Issue | undefined>[] = [];
  config.kubernetes?.clusterLocatorMethods.forEach((locator, i) => {
    if (locator.type === 'custom') {
      const path = formatPath(['kubernetes', 'clusterLocatorMethods', i, 'module']);
      checks.push(checkModuleFile(locator.module, path));
    }
    if (locator.type !== 'config') return;
    locator.clusters.forEach((cluster, j) => {
      if (cluster.caFile === undefined) return;
      const path = formatPath(['kubernetes', 'clusterLocatorMethods', i, 'clusters', j, 'caFile']);
      checks.push(checkCaFile(cluster.caFile, path));
    });
  });
  return (await Promise.all(checks)).filter((issue): issue is Issue => issue !== undefined);
}

async function checkCaFile(file: string, path: string): Promise<Issue | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { path, message: `cannot read CA file ${file}: ${describeFsError(error)}` };
  }
  const problem = pemProblem(text);
  return problem ? { path, message: `CA file ${file} ${problem}` } : undefined;
}

/** Whether the module is importable is only known when it is imported; a missing file is caught now. */
async function checkModuleFile(file: string, path: string): Promise<Issue | undefined> {
  try {
    await access(file, constants.R_OK);
    return undefined;
  } catch (error) {
    return { path, message: `cannot read cluster supplier module ${file}: ${describeFsError(error)}` };
  }
}
