import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/**
 * A sub-bench's numeric `--name value` options, each with its default. Other options pass unread
 * (`strict: false`): `npm run bench` hands a sub-bench the whole command line.
 *
 * @example
 *   numberOptions(['--rounds', '2'], { rounds: 5, 'page-size': 500 }); // { rounds: 2, 'page-size': 500 }
 */
export function numberOptions<K extends string>(
  args: readonly string[],
  defaults: Record<K, number>,
): Record<K, number> {
  const names = Object.keys(defaults) as K[];
  const options: ParseArgsOptionsConfig = {};
  for (const name of names) options[name] = { type: 'string', default: String(defaults[name]) };
  const { values } = parseArgs({ args: [...args], options, strict: false });
  return Object.fromEntries(names.map((name) => [name, Number(values[name])])) as Record<K, number>;
}
