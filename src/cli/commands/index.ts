import type { Command } from '../command.ts';
import { checkConfigCommand } from './check-config.ts';
import { objectsCommand } from './objects.ts';
import { ownerCommand } from './owner.ts';
import { reportCommand } from './report.ts';
import { serveCommand } from './serve.ts';
import { stitchCommand } from './stitch.ts';

/** Every command, in the order `--help` lists them. Adding a command is adding its line here. */
export const commands: readonly Command[] = [
  serveCommand,
  checkConfigCommand,
  objectsCommand,
  stitchCommand,
  ownerCommand,
  reportCommand,
];
