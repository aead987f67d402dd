import type { CliIo } from './output.ts';

/** A CliIo that collects what a command writes, for in-process CLI tests. */
export interface CapturedIo extends CliIo {
  readonly out: string;
  readonly err: string;
}

export function captureIo(options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
