/**
 * A small Dockerfile reader: enough of the format (comments, `\` continuations, JSON and shell forms,
 * `--flag=value` options, stages) to check the project's Dockerfile without a container builder. Pure.
 */

export const INSTRUCTIONS = [
  'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER',
  'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
] as const; // prettier-ignore

export type InstructionName = (typeof INSTRUCTIONS)[number];

export interface Instruction {
  name: InstructionName;
  /** `--from=web` → `{ from: 'web' }`. */
  flags: Record<string, string>;
  /** Arguments: the JSON array's items, or the shell form split on whitespace. */
  args: string[];
  /** Whether the arguments were a JSON array (exec form). */
  json: boolean;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  /** `FROM image AS name`; the stage's index when unnamed. */
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Parses `text`; throws naming the line of an unknown instruction or a broken JSON array. */
export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split('\n');
  const out: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i] ?? '';
    if (/^\s*(#|$)/.test(logical)) continue;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, ' ');
      // Comment lines inside a continuation are dropped, and do not end it.
      while (i + 1 < lines.length && /^\s*#/.test(lines[i + 1] ?? '')) i++;
      i++;
      logical += lines[i] ?? '';
    }
    const match = /^\s*(\S+)\s*(.*)$/.exec(logical);
    const word = (match?.[1] ?? '').toUpperCase();
    if (!(INSTRUCTIONS as readonly string[]).includes(word)) {
      throw new Error(`Dockerfile line ${start + 1}: unknown instruction "${match?.[1] ?? ''}"`);
    }
    let rest = (match?.[2] ?? '').trim();
    const flags: Record<string, string> = {};
    for (
      let flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
      flag;
      flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)
    ) {
      flags[flag[1] as string] = flag[2] ?? 'true';
      rest = rest.slice(flag[0].length);
    }
    let args: string[];
    let json = false;
    if (rest.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(rest);
        if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
          throw new Error('not strings');
        }
        args = parsed;
        json = true;
      } catch {
        throw new Error(`Dockerfile line ${start + 1}: ${word} has a malformed JSON array`);
      }
    } else {
      args = rest.split(/\s+/).filter(Boolean);
    }
    out.push({ name: word as InstructionName, flags, args, json, line: start + 1 });
  }
  return out;
}

/** The instructions grouped by `FROM`; throws when something comes before the first `FROM` (ARG aside). */
export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.name === 'FROM') {
      const [image = '', as, name] = ins.args;
      const named = as?.toUpperCase() === 'AS' && name ? name : String(stages.length);
      stages.push({ name: named, image, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.name !== 'ARG') {
        throw new Error(`Dockerfile line ${ins.line}: ${ins.name} before the first FROM`);
      }
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

/** `COPY`/`ADD` sources and destination; the destination is resolved against the stage's WORKDIR. */
export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  /** `dest` ends in `/` (or there are several sources): a file source lands inside it, under its own name. */
  destIsDir: boolean;
  line: number;
}

export function copiesOf(stage: Stage): Copy[] {
  let workdir = '/';
  const copies: Copy[] = [];
  for (const ins of stage.instructions) {
    if (ins.name === 'WORKDIR') workdir = resolvePosix(workdir, ins.args[0] ?? '/');
    if (ins.name !== 'COPY' && ins.name !== 'ADD') continue;
    const sources = ins.args.slice(0, -1);
    const last = ins.args.at(-1) ?? '.';
    const dest = resolvePosix(workdir, last);
    const destIsDir = last.endsWith('/') || last === '.' || sources.length > 1;
    copies.push({
      ...(ins.flags.from ? { from: ins.flags.from } : {}),
      sources,
      dest,
      destIsDir,
      line: ins.line,
    });
  }
  return copies;
}

/** The stage's last WORKDIR (`/` when none). */
export function workdirOf(stage: Stage): string {
  let workdir = '/';
  for (const ins of stage.instructions) {
    if (ins.name === 'WORKDIR') workdir = resolvePosix(workdir, ins.args[0] ?? '/');
  }
  return workdir;
}

function resolvePosix(base: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${base}/${path}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
