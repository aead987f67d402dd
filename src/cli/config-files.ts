import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { formatIssue } from '../errors/errors.ts';
import type { Output } from './output.ts';
import { UsageError } from './command.ts';

export const CONFIG_OPTION = {
  config: {
    type: 'string',
    multiple: true,
    short: 'c',
    valueName: 'file',
    description:
      'config file (repeatable; later files win). Default: app-config.yaml [+ app-config.local.yaml]',
  },
} as const;

/** A read command's options: `--config`, and `--json` to print `what` as JSON instead of text. */
export function readCommandOptions(what: string) {
  return { ...CONFIG_OPTION, json: { type: 'boolean', description: `print ${what} as JSON` } } as const;
}

const DEFAULT_FILES = ['app-config.yaml', 'app-config.local.yaml'];

/** One line: where we looked, and the two ways to a working config. */
export function noConfigMessage(cwd: string): string {
  return (
    `no config: looked for ${DEFAULT_FILES.join(' / ')} in ${cwd}; pass --config <file>, ` +
    'or run `npm run demo` (it writes a working .state/demo/app-config.yaml), and check yours with `npm run stitchboard -- check-config <file>`'
  );
}

/** The files given with --config, else Backstage's conventional pair in the working directory. */
export function configFiles(given: readonly string[] | undefined, cwd: string): string[] {
  if (given && given.length > 0) return [...given];
  const defaults = DEFAULT_FILES.filter((f) => existsSync(resolve(cwd, f)));
  if (defaults.length === 0) throw new UsageError(noConfigMessage(cwd), false);
  return defaults;
}

/** Loads and validates; prints warnings. A ConfigError propagates with every issue listed. */
export async function loadCliConfig(
  given: readonly string[] | undefined,
  ctx: { out: Output; env: NodeJS.ProcessEnv; cwd: string },
): Promise<Config> {
  const { config, warnings } = await loadConfig(configFiles(given, ctx.cwd), { env: ctx.env, cwd: ctx.cwd });
  for (const w of warnings) ctx.out.error(`warning  ${formatIssue(w)}`);
  return config;
}
