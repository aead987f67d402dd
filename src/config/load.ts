import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type Issue } from '../errors/errors.ts';
import type { Config } from './types.ts';
import { checkReferencedFiles } from './check-files.ts';
import { deepFreeze } from './freeze.ts';
import { mergeConfigs } from './merge.ts';
import { describeFsError, transformConfig } from './transform.ts';
import { validateConfig } from './validate.ts';
import { parseConfigYaml } from './yaml-file.ts';

export interface LoadOptions {
  /** Variables for `${VAR}` and `$env`; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Base for the config paths given and for defaults such as `dataDir`; defaults to `process.cwd()`. */
  cwd?: string;
}

export interface ConfigReport {
  /** The frozen config; present only when there are no errors. */
  config?: Config;
  errors: Issue[];
  warnings: Issue[];
}

/**
 * Loads, merges and validates config files, returning every problem rather than throwing.
 * `check-config` prints this; everything else calls `loadConfig`.
 */
export async function inspectConfig(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<ConfigReport> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const layers: Record<string, unknown>[] = [];
  const origins = new Map<string, string>();
  let unreadable = false;

  for (const given of paths) {
    const file = resolve(cwd, given);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      errors.push({ path: given, message: `cannot read config file ${file}: ${describeFsError(error)}` });
      unreadable = true;
      continue;
    }
    const parsed = parseConfigYaml(text, given);
    if (parsed.issues.length > 0) {
      errors.push(...parsed.issues);
      unreadable = true;
      continue;
    }
    const transformed = await transformConfig(parsed.value, file, env);
    errors.push(...transformed.errors);
    warnings.push(...transformed.warnings);
    layers.push(transformed.value);
    for (const [path, dir] of transformed.origins) origins.set(path, dir);
  }
  // Validating what is left of a file that did not parse would only add confusing noise.
  if (unreadable) return { errors, warnings };

  const result = validateConfig(mergeConfigs(layers), { cwd, origins });
  // A `$file`/`$include` that failed left its key out; "required" there would repeat the same problem.
  const failed = new Set(errors.map((e) => e.path));
  errors.push(...result.errors.filter((e) => !failed.has(e.path)));
  warnings.push(...result.warnings);
  explainUnsetVariables(errors, warnings);
  if (result.config && errors.length === 0) errors.push(...(await checkReferencedFiles(result.config)));
  if (errors.length > 0 || !result.config) return { errors, warnings };
  return { config: deepFreeze(result.config), errors, warnings };
}

/**
 * Loads Stitchboard's configuration from one or more app-config.yaml-style files, later files
 * winning, and returns it normalised (every default filled) and deep-frozen.
 *
 * @throws ConfigError carrying every problem found, each with its path.
 * @example
 * const { config, warnings } = await loadConfig(['app-config.yaml', 'app-config.local.yaml']);
 */
export async function loadConfig(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<{ config: Config; warnings: Issue[] }> {
  const report = await inspectConfig(paths, options);
  if (!report.config) throw new ConfigError(report.errors, paths.join(', '));
  return { config: report.config, warnings: report.warnings };
}

/**
 * "required" at a key whose `${VAR}` was unset is one problem, not two: fold the variable's warning
 * into the error.
 */
function explainUnsetVariables(errors: Issue[], warnings: Issue[]): void {
  for (const [i, error] of errors.entries()) {
    const at = warnings.findIndex(
      (w) => w.path === error.path && w.message.startsWith('environment variable'),
    );
    const warning = warnings[at];
    if (error.message !== 'required' || !warning) continue;
    errors[i] = { path: error.path, message: `required, but ${warning.message}` };
    warnings.splice(at, 1);
  }
}
