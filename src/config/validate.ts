import type { Issue } from '../errors/errors.ts';
import type { Config } from './types.ts';
import { configSchema } from './config-schema.ts';
import { IssueCollector } from './issues.ts';
import { createNormalizeContext } from './normalize-context.ts';
import { normalizeBackend } from './normalize-backend.ts';
import { normalizeKubernetes } from './normalize-kubernetes.ts';
import { normalizeStitchboard, warnUnknownClusterOverrides } from './normalize-stitchboard.ts';
import { formatPath } from './path.ts';
import { configErrorMap } from './schema-helpers.ts';
import { unknownKeyWarnings } from './unknown-keys.ts';

export interface ValidationResult {
  /** Present only when there are no errors. Not yet frozen. */
  config?: Config;
  errors: Issue[];
  warnings: Issue[];
}

/**
 * Validates a merged raw config and normalises it into `Config`. Pure: paths are resolved with
 * `origins` (formatted path → directory of the file that gave the value), nothing is read.
 */
export function validateConfig(
  raw: Record<string, unknown>,
  options: { cwd: string; origins?: ReadonlyMap<string, string> },
): ValidationResult {
  const issues = new IssueCollector();
  issues.warnings.push(...unknownKeyWarnings(configSchema, raw));

  const parsed = configSchema.safeParse(raw, { error: configErrorMap });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.error(formatPath(issue.path as (string | number)[]), issue.message);
    }
    return { errors: issues.errors, warnings: issues.warnings };
  }

  const ctx = createNormalizeContext(issues, options.cwd, options.origins ?? new Map());
  const stitchboard = normalizeStitchboard(parsed.data.stitchboard, ctx);
  const config: Config = {
    backend: normalizeBackend(parsed.data.backend, stitchboard.dataDir, ctx),
    stitchboard,
  };
  if (parsed.data.kubernetes) config.kubernetes = normalizeKubernetes(parsed.data.kubernetes, ctx);
  warnUnknownClusterOverrides(
    stitchboard.kubernetes.clusters,
    config.kubernetes?.clusterLocatorMethods ?? [],
    ctx,
  );
  return issues.hasErrors ? { errors: issues.errors, warnings: issues.warnings } : { config, ...issues };
}
