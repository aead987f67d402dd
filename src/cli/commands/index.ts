import type { Command } from '../command.ts';
import { checkConfigCommand } from './check-config.ts';

/** Every command, in the order `--help` lists them. Adding a command is adding its line here. */
export const commands: readonly Command[] = [checkConfigCommand];
