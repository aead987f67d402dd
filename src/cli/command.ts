import type { parseArgs, ParseArgsOptionDescriptor } from 'node:util';
import type { Output } from './output.ts';

/** A parseArgs option plus what `--help` says about it. */
export type OptionSpec = ParseArgsOptionDescriptor & { description: string; valueName?: string };
export type OptionsSpec = Record<string, OptionSpec>;

type Values<O extends OptionsSpec> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>['values'];

export interface CommandContext<V> {
  positionals: string[];
  values: V;
  out: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  debug: boolean;
}

/** A CLI command declared as data. `run` returns the exit code. */
export interface CommandSpec<O extends OptionsSpec> {
  name: string;
  summary: string;
  /** Arguments after the name, e.g. `<file...>`. */
  usage: string;
  /** Longer help, shown by `<command> --help`. */
  description?: string;
  options: O;
  run(ctx: CommandContext<Values<O>>): Promise<number>;
}

export type Command = CommandSpec<OptionsSpec>;

/** Keeps each command's option types precise while the registry holds them all as `Command`. */
export function defineCommand<const O extends OptionsSpec>(spec: CommandSpec<O>): Command {
  return spec as unknown as Command;
}

/** The user called a command wrongly: exit 2 with the command's usage (unless the message says all). */
export class UsageError extends Error {
  readonly showUsage: boolean;
  constructor(message: string, showUsage = true) {
    super(message);
    this.showUsage = showUsage;
    this.name = 'UsageError';
  }
}
