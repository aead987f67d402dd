import type { IssueCollector } from './issues.ts';
import { formatPath, type PathSegment } from './path.ts';
import { isAbsolute, resolve } from 'node:path';

/** What normalisation needs besides the parsed values: where to report, and where files live. */
export interface NormalizeContext {
  issues: IssueCollector;
  cwd: string;
  /**
   * Resolves a relative path found at `path` against the directory of the config file that
   * provided it (the cwd when no file did, e.g. for defaults).
   */
  resolvePath(path: readonly PathSegment[], value: string): string;
}

export function createNormalizeContext(
  issues: IssueCollector,
  cwd: string,
  origins: ReadonlyMap<string, string>,
): NormalizeContext {
  return {
    issues,
    cwd,
    resolvePath: (path, value) =>
      isAbsolute(value) ? value : resolve(origins.get(formatPath(path)) ?? cwd, value),
  };
}
