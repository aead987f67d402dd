/**
 * A lock file per state dir, so two processes (two test runs sharing kept clusters, a CLI call
 * during a run) never start or stop the same cluster at once. The holder is recorded as a PID file,
 * so a lock left by a killed process is taken over instead of waited for.
 */
import { openSync, closeSync, writeSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runningFromPidFile, selfRef } from './processes.ts';

export async function withLock<T>(
  file: string,
  what: string,
  fn: () => Promise<T>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const me = selfRef();
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${me.pid} ${me.startTime}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = runningFromPidFile(file);
    // No live holder: it died, or is between creating the file and writing its pid (retry once more).
    if (!holder) {
      await sleep(50);
      if (!runningFromPidFile(file)) rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${what}: process ${holder.pid} holds ${file} for too long`);
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}
