import { describe, expect, it } from 'vitest';
import { inputError } from '../errors/errors.ts';
import { defineCommand, UsageError, type Command } from './command.ts';
import { main } from './main.ts';
import { captureIo } from './test-io.ts';

const throwing = (error: unknown): Command =>
  defineCommand({
    name: 'boom',
    summary: 'fails on purpose',
    usage: '',
    options: { loud: { type: 'boolean', description: 'be loud' } },
    async run() {
      throw error;
    },
  });

const echo = defineCommand({
  name: 'echo',
  summary: 'prints its arguments',
  usage: '<word...>',
  options: {
    upper: { type: 'boolean', short: 'u', description: 'shout' },
    sep: { type: 'string', description: 'separator', valueName: 'text', default: ' ' },
  },
  async run({ positionals, values, out }) {
    const text = positionals.join(values.sep);
    out.line(values.upper ? text.toUpperCase() : text);
    return 0;
  },
});

async function run(argv: string[], commands?: readonly Command[]) {
  const io = captureIo();
  const code = await main(argv, io, commands);
  return { code, out: io.out, err: io.err };
}

describe('main', () => {
  it('lists the commands for --help and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: stitchboard <command> \[options\]/);
    expect(out).toMatch(/check-config {2}Validate config files/);
  });

  it('prints usage on stderr and exits 2 with no command', async () => {
    const { code, out, err } = await run([]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/Usage: stitchboard <command>/);
  });

  it('rejects an unknown command with usage on stderr and exit 2', async () => {
    const { code, err } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(err).toMatch(/^unknown command "frobnicate"/);
    expect(err).toMatch(/check-config/);
  });

  it('rejects an unknown flag with the command usage and exit 2', async () => {
    const { code, err } = await run(['echo', '--loud', 'x'], [echo]);
    expect(code).toBe(2);
    expect(err).toMatch(/Unknown option '--loud'/);
    expect(err).toMatch(/Usage: stitchboard echo <word\.\.\.> \[options\]/);
  });

  it('shows per-command help with every option', async () => {
    const { code, out } = await run(['echo', '--help'], [echo]);
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "Usage: stitchboard echo <word...> [options]

      prints its arguments

      Options:
        -u, --upper       shout
            --sep <text>  separator
        -h, --help        show help
            --debug       print stack traces and debug logs
      "
    `);
  });

  it('"help <command>" is the same as "<command> --help"', async () => {
    expect((await run(['help', 'echo'], [echo])).out).toBe((await run(['echo', '--help'], [echo])).out);
  });

  it('passes positionals and typed flags to the command', async () => {
    expect(await run(['echo', '-u', '--sep', '-', 'a', 'b'], [echo])).toEqual({
      code: 0,
      out: 'A-B\n',
      err: '',
    });
  });

  it('prints a StitchboardError message on stderr and exits 1', async () => {
    const { code, err } = await run(['boom'], [throwing(inputError('the input is wrong'))]);
    expect(code).toBe(1);
    expect(err).toBe('error: the input is wrong\n');
  });

  it('hides the stack of an unexpected error unless --debug', async () => {
    const quiet = await run(['boom'], [throwing(new TypeError('x is not a function'))]);
    expect(quiet.code).toBe(1);
    expect(quiet.err).toBe('error: x is not a function (run with --debug for the stack trace)\n');
    const loud = await run(['boom', '--debug'], [throwing(new TypeError('x is not a function'))]);
    expect(loud.code).toBe(1);
    expect(loud.err).toMatch(/^error: x is not a function\nTypeError: x is not a function\n\s+at /);
  });

  it('turns a UsageError from a command into usage and exit 2', async () => {
    const { code, err } = await run(['boom'], [throwing(new UsageError('boom needs a target'))]);
    expect(code).toBe(2);
    expect(err).toBe('boom needs a target\n\nUsage: stitchboard boom [options]\n');
  });
});
