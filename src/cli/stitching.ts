import { createCore, openCoreStitching } from '../app.ts';
import type { Config } from '../config/types.ts';
import type { Stitching } from '../stitching/index.ts';
import type { Logger } from '../shared/logger.ts';

/** Runs `use` with stitching opened as the server opens it (catalog, clusters, store), and closes it all. */
export async function withStitching<T>(
  config: Config,
  deps: { logger: Logger; env: NodeJS.ProcessEnv },
  use: (stitching: Stitching) => Promise<T>,
): Promise<T> {
  const core = await createCore(config, deps);
  try {
    const stitching = await openCoreStitching(core, deps);
    try {
      return await use(stitching);
    } finally {
      await stitching.close();
    }
  } finally {
    await core.close();
  }
}
