/**
 * Detached daemons (etcd, kube-apiserver) that outlive the Node process which started them, and
 * stopping exactly those again. A PID file holds "PID STARTTIME": the kernel start time (field 22
 * of /proc/PID/stat) makes sure a recycled PID belonging to someone else is never signalled.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessRef {
  pid: number;
  startTime: string;
}

/** The fields of /proc/PID/stat after `comm`, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while that very process (same PID and start time) exists and has not exited. */
export function isRunning(ref: ProcessRef): boolean {
  const fields = statFields(ref.pid);
  // fields[0] is field 3 (state): a zombie has exited and only waits to be reaped.
  return fields !== undefined && fields[19] === ref.startTime && fields[0] !== 'Z';
}

/** This very process, as a PID file would record it. */
export function selfRef(): ProcessRef {
  const startTime = statFields(process.pid)?.[19];
  if (!startTime) throw new Error('cannot read /proc/self/stat: the test clusters need Linux');
  return { pid: process.pid, startTime };
}

export function readPidFile(file: string): ProcessRef | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, startTime] = text.trim().split(/\s+/);
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 && startTime ? { pid: n, startTime } : undefined;
}

/** The process recorded in `file` if it is still running, otherwise undefined. */
export function runningFromPidFile(file: string): ProcessRef | undefined {
  const ref = readPidFile(file);
  return ref && isRunning(ref) ? ref : undefined;
}

export interface DetachedOptions {
  logFile: string;
  pidFile: string;
}

/**
 * Starts `command` in its own session with stdin closed and stdout/stderr appended to `logFile`,
 * then lets go of it: the caller may exit (a test run, a CLI call) while the daemon keeps serving.
 */
export function spawnDetached(
  command: string,
  args: readonly string[],
  options: DetachedOptions,
): ProcessRef {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
    // A failed exec is reported asynchronously; the missing pid below already tells the caller.
    child.on('error', () => {});
    const pid = child.pid;
    const startTime = pid === undefined ? undefined : statFields(pid)?.[19];
    if (pid === undefined || startTime === undefined) {
      throw new Error(`could not start ${command} (see ${options.logFile})`);
    }
    child.unref();
    const ref = { pid, startTime };
    writeFileSync(options.pidFile, `${pid} ${startTime}\n`);
    return ref;
  } finally {
    closeSync(log);
  }
}

async function waitExit(ref: ProcessRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(ref)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * SIGTERM, then SIGKILL after `graceMs`, for the process recorded in `pidFile` only; removes the
 * PID file. Returns the pid it stopped, or undefined when nothing of ours was running.
 */
export async function stopFromPidFile(pidFile: string, graceMs = 10_000): Promise<number | undefined> {
  const ref = runningFromPidFile(pidFile);
  if (ref) {
    signal(ref.pid, 'SIGTERM');
    if (!(await waitExit(ref, graceMs))) {
      signal(ref.pid, 'SIGKILL');
      await waitExit(ref, 5_000);
    }
  }
  rmSync(pidFile, { force: true });
  return ref?.pid;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
