/**
 * The image's final stage, laid out on this machine: what its COPY instructions put under WORKDIR,
 * copied from the build context (stage outputs from where the build would make them: node_modules
 * from `npm ci`, web/dist from `npm run build:web`), then its ENTRYPOINT + CMD run with its ENV, from
 * that folder, the way the container runtime starts it. Only mounts (config, data, the ServiceAccount
 * volume) are the caller's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { copiesOf, parseDockerfile, stagesOf, workdirOf, type Stage } from './dockerfile.ts';
import { ROOT } from './manifests.ts';

export interface ImageCommand {
  argv: string[];
  env: Record<string, string>;
  workdir: string;
}

export function finalStage(): Stage {
  const stages = stagesOf(parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')));
  const last = stages.at(-1);
  if (!last) throw new Error('the Dockerfile has no FROM');
  return last;
}

/** ENTRYPOINT + CMD (exec form) and ENV of the final stage. */
export function imageCommand(stage: Stage = finalStage()): ImageCommand {
  const last = (name: string) => stage.instructions.filter((i) => i.name === name).at(-1);
  const entry = last('ENTRYPOINT');
  const cmd = last('CMD');
  if (!entry?.json || !cmd?.json) throw new Error('ENTRYPOINT and CMD must be in exec (JSON) form');
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((i) => i.name === 'ENV')) {
    for (const pair of ins.args) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return { argv: [...entry.args, ...cmd.args], env, workdir: workdirOf(stage) };
}

/** Lays the final stage's WORKDIR out in `dir`; returns `dir`. node_modules is linked, not copied. */
export function layOutImage(dir: string, stage: Stage = finalStage()): string {
  const workdir = workdirOf(stage);
  for (const copy of copiesOf(stage)) {
    for (const source of copy.sources) {
      // A stage output sits where that stage's WORKDIR (/app, as here) would have it in the context.
      const from = copy.from ? join(ROOT, relative('/app', source)) : join(ROOT, source);
      if (!existsSync(from)) {
        if (copy.from) continue; // not built here (web/dist without `npm run build:web`)
        throw new Error(`Dockerfile line ${copy.line}: ${source} does not exist`);
      }
      const into = join(dir, relative(workdir, copy.dest));
      const to = copy.destIsDir && statSync(from).isFile() ? join(into, basename(from)) : into;
      mkdirSync(dirname(to), { recursive: true });
      if (source.endsWith('node_modules')) symlinkSync(from, to);
      else cpSync(from, to, { recursive: true });
    }
  }
  return dir;
}

export interface RunningImage {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `command` in `dir` with its ENV over `env` (PATH and the like; `node` is this Node 24), and
 * resolves once the "listening" log line names the address.
 */
export async function runImage(
  dir: string,
  env: Record<string, string>,
  command: ImageCommand = imageCommand(),
): Promise<RunningImage> {
  const [program, ...args] = command.argv;
  const bin = program === 'node' ? process.execPath : (program as string);
  const child: ChildProcess = spawn(bin, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env, ...command.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the image command did not listen:\n${output}`)), 30_000);
    child.stdout?.on('data', () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the image command exited with ${child.exitCode}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
