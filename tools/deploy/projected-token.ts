/**
 * A ServiceAccount volume as the kubelet projects it: files in a timestamped folder, `..data` a
 * symlink to it, and `token`, `ca.crt`, `namespace` symlinks through `..data`. A rotation writes a new
 * folder and renames a fresh symlink over `..data` (atomic), so a reader sees the old files or the new
 * ones, never a mix, and a file it opened keeps its old content.
 */
import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ProjectedFiles = Record<string, string | Buffer>;

let generation = 0;

export async function projectVolume(root: string, files: ProjectedFiles): Promise<void> {
  await mkdir(root, { recursive: true });
  const stamp = `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${process.pid}.${generation++}`;
  await mkdir(join(root, stamp));
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, stamp, name), content);
  const previous = await readlink(join(root, '..data')).catch(() => undefined);
  await symlink(stamp, join(root, '..data_tmp'));
  await rename(join(root, '..data_tmp'), join(root, '..data'));
  for (const name of Object.keys(files)) {
    await symlink(join('..data', name), join(root, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (previous) await rm(join(root, previous), { recursive: true });
}
