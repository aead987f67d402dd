import type { Command, OptionsSpec } from './command.ts';
import { formatTable } from './output.ts';

export const PROGRAM = 'stitchboard';

/** Flags every command accepts. */
export const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h', description: 'show help' },
  debug: { type: 'boolean', description: 'print stack traces and debug logs' },
} satisfies OptionsSpec;

export function programHelp(commands: readonly Command[]): string {
  const rows = formatTable(
    [
      { header: 'command', value: (c: Command) => c.name },
      { header: 'summary', value: (c: Command) => c.summary },
    ],
    commands,
  ).slice(1);
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...rows.map((r) => `  ${r}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's options.`,
  ].join('\n');
}

export function commandUsage(command: Command): string {
  return `Usage: ${PROGRAM} ${command.name}${command.usage ? ` ${command.usage}` : ''} [options]`;
}

export function commandHelp(command: Command): string {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const rows = formatTable(
    [
      { header: 'option', value: ([name, o]: [string, OptionsSpec[string]]) => optionLabel(name, o) },
      { header: 'description', value: ([, o]: [string, OptionsSpec[string]]) => o.description },
    ],
    Object.entries(options),
  ).slice(1);
  return [
    commandUsage(command),
    '',
    command.summary,
    ...(command.description ? ['', command.description] : []),
    '',
    'Options:',
    ...rows.map((r) => `  ${r}`),
  ].join('\n');
}

function optionLabel(name: string, option: OptionsSpec[string]): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  const value = option.type === 'string' ? ` <${option.valueName ?? 'value'}>` : '';
  return `${short}--${name}${value}`;
}
