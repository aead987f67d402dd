import { parseArgs } from 'node:util';
import { isStitchboardError, messageOf } from '../errors/errors.ts';
import { UsageError, type Command } from './command.ts';
import { commands as registry } from './commands/index.ts';
import { GLOBAL_OPTIONS, commandHelp, commandUsage, programHelp } from './help.ts';
import { Output, processIo, type CliIo } from './output.ts';

/**
 * The `stitchboard` command line. Returns the exit code: 0 ok, 1 the work failed (bad config,
 * unreachable cluster), 2 the command line itself was wrong.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(
  argv: string[],
  io: CliIo = processIo(),
  commands: readonly Command[] = registry,
): Promise<number> {
  const out = new Output(io);
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');

  if (name === undefined) {
    out.error(programHelp(commands));
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = commands.find((c) => c.name === rest[0]);
    out.line(topic ? commandHelp(topic) : programHelp(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    out.error(
      `${name.startsWith('-') ? 'unknown option' : 'unknown command'} "${name}"\n\n${programHelp(commands)}`,
    );
    return 2;
  }

  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, ...GLOBAL_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    out.error(
      `${messageOf(error)}\n\n${commandUsage(command)}\nRun "stitchboard ${command.name} --help" for details.`,
    );
    return 2;
  }
  if (parsed.values.help) {
    out.line(commandHelp(command));
    return 0;
  }

  try {
    return await command.run({
      positionals: parsed.positionals,
      values: parsed.values,
      out,
      env: io.env ?? process.env,
      cwd: io.cwd ?? process.cwd(),
      debug,
    });
  } catch (error) {
    return reportFailure(error, command, out, debug);
  }
}

function reportFailure(error: unknown, command: Command, out: Output, debug: boolean): number {
  if (error instanceof UsageError) {
    out.error(error.showUsage ? `${error.message}\n\n${commandUsage(command)}` : error.message);
    return 2;
  }
  // Our own errors are written for the user; anything else is a bug, whose stack helps only with --debug.
  if (isStitchboardError(error)) out.error(`error: ${error.message}`);
  else out.error(`error: ${messageOf(error)}${debug ? '' : ' (run with --debug for the stack trace)'}`);
  if (debug && error instanceof Error && error.stack) out.error(error.stack);
  return 1;
}
