/**
 * Where kube-apiserver 1.20, kubectl 1.20 and etcd come from, and what to install when they are
 * missing. The API server is built from Debian's sources by build-kube-apiserver.sh, once per machine.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KubeBinaries {
  apiserver: string;
  kubectl: string;
}

const BUILD_SCRIPT = fileURLToPath(new URL('./build-kube-apiserver.sh', import.meta.url));

/** The build script's cache folder (same default as the script). */
export function kubeCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return process.env.STITCHBOARD_KUBE_CACHE || join(xdg, 'stitchboard', 'kube-1.20');
}

/** The cached binaries, or an error that says how to get them. Does not build. */
export function cachedKubeBinaries(): KubeBinaries {
  const bin = join(kubeCacheDir(), 'bin');
  const found = { apiserver: join(bin, 'kube-apiserver'), kubectl: join(bin, 'kubectl') };
  if (!existsSync(found.apiserver) || !existsSync(found.kubectl)) {
    throw new Error(`kube-apiserver 1.20 is not built yet (looked in ${bin}): run \`npm run kube -- build\``);
  }
  return found;
}

let building: Promise<KubeBinaries> | undefined;

/**
 * Runs build-kube-apiserver.sh: returns at once when the binaries are cached, otherwise builds
 * them (about 4 minutes on 2 cores; the script's progress goes to this process's stderr).
 */
export function ensureKubeApiserver(): Promise<KubeBinaries> {
  building ??= new Promise<KubeBinaries>((resolve, reject) => {
    if (process.platform !== 'linux') {
      throw new Error(
        `the test clusters run on Linux only (this is ${process.platform}); see docs/test-clusters.md`,
      );
    }
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const apiserver = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !apiserver) {
        reject(new Error(`${BUILD_SCRIPT} failed (exit ${code}); its messages are above`));
        return;
      }
      resolve({ apiserver, kubectl: join(dirname(apiserver), 'kubectl') });
    });
  }).catch((error: unknown) => {
    building = undefined; // a later call may retry (e.g. after apt is fixed)
    throw error;
  });
  return building;
}

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** etcd from $ETCD_BIN, PATH or Debian's /usr/bin/etcd. */
export function etcdBinary(): string | undefined {
  const candidates = [process.env.ETCD_BIN, findOnPath('etcd'), '/usr/bin/etcd'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/**
 * Throws one error listing everything missing to run clusters (not to build: the build script
 * checks and installs its own packages), with the command that installs it.
 */
export function checkPrerequisites(): void {
  const missing: string[] = [];
  if (process.platform !== 'linux') {
    missing.push(`Linux (this is ${process.platform}; the tooling reads /proc)`);
  }
  if (!etcdBinary()) missing.push('etcd 3.4+ (apt-get install etcd-server, or set ETCD_BIN)');
  if (!findOnPath('openssl')) missing.push('openssl (apt-get install openssl)');
  if (!findOnPath('bash')) missing.push('bash (to run tools/kube/build-kube-apiserver.sh)');
  if (missing.length) {
    throw new Error(`Test clusters need what is missing here:\n  - ${missing.join('\n  - ')}`);
  }
}
