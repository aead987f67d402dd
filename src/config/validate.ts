import type { Issue } from '../errors/errors.ts';
import type { Config } from './types.ts';
import { normalizeAws } from './aws-schema.ts';
import { configSchema } from './config-schema.ts';
import { IssueCollector } from './issues.ts';
import { createNormalizeContext } from './normalize-context.ts';
import { normalizeBackend } from './normalize-backend.ts';
import { normalizeKubernetes } from './normalize-kubernetes.ts';
import { warnUnknownSubjects } from './normalize-access.ts';
import { normalizeReplicas } from './replicas-schema.ts';
import { normalizeStitchboard, warnUnknownClusterOverrides } from './normalize-stitchboard.ts';
import { normalizeScrapers } from './normalize-scrapers.ts';
import { comparePositions, documentPosition, formatPath, parsePath } from './path.ts';
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
    return inDocumentOrder(raw, { errors: issues.errors, warnings: issues.warnings });
  }

  const ctx = createNormalizeContext(issues, options.cwd, options.origins ?? new Map());
  const stitchboard = normalizeStitchboard(parsed.data.stitchboard, ctx);
  const config: Config = {
    backend: normalizeBackend(parsed.data.backend, stitchboard.dataDir, ctx),
    stitchboard,
  };
  if (stitchboard.permissions) {
    const subjects = config.backend.auth.externalAccess.map((t) => t.subject);
    warnUnknownSubjects(stitchboard.permissions, subjects, ['stitchboard', 'permissions'], ctx);
  }
  if (parsed.data.stitchboard.replicas) {
    stitchboard.replicas = normalizeReplicas(parsed.data.stitchboard.replicas, config.backend.database, ctx);
  }
  if (parsed.data.kubernetes) config.kubernetes = normalizeKubernetes(parsed.data.kubernetes, ctx);
  if (parsed.data.aws) config.aws = normalizeAws(parsed.data.aws);
  if (parsed.data.scrapers) {
    config.scrapers = normalizeScrapers(
      parsed.data.scrapers,
      config.kubernetes?.clusterLocatorMethods ?? [],
      ctx,
      stitchboard.catalog.length,
    );
  }
  warnUnknownClusterOverrides(
    stitchboard.kubernetes.clusters,
    config.kubernetes?.clusterLocatorMethods ?? [],
    ctx,
  );
  const sorted = inDocumentOrder(raw, { errors: issues.errors, warnings: issues.warnings });
  return issues.hasErrors ? sorted : { config, ...sorted };
}

/** Issues in the order their keys appear in the files, the order a reader fixes them in. */
function inDocumentOrder(raw: unknown, result: { errors: Issue[]; warnings: Issue[] }) {
  const position = (issue: Issue) => documentPosition(raw, parsePath(issue.path) ?? []);
  const sort = (list: Issue[]) =>
    list
      .map((issue, index) => ({ issue, index, at: position(issue) }))
      .sort((a, b) => comparePositions(a.at, b.at) || a.index - b.index)
      .map(({ issue }) => issue);
  return { errors: sort(result.errors), warnings: sort(result.warnings) };
}
