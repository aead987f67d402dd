/**
 * Real Kubernetes 1.20 control planes (etcd + kube-apiserver, no Docker) on 127.0.0.1 for tests,
 * the demo and the benchmark. Each cluster lives in its own state dir: data, PKI, tokens, logs,
 * PID files, kubeconfigs and `cluster.json`. Its processes are detached and outlive the caller:
 * stop them with {@link stopCluster}.
 *
 * @example
 *   const info = await startCluster({ name: 'alpha', stateDir: '.state/kube/alpha' });
 *   // ... info.url, info.caData, info.adminToken, info.kubeconfig
 *   await stopCluster(info.stateDir, { delete: true });
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkPrerequisites, ensureKubeApiserver, etcdBinary } from './binaries.ts';
import { bootstrapRbac, writeKubeconfig } from './bootstrap.ts';
import { KubeClient } from './client.ts';
import { clusterPaths, logTail, startEtcd, startKubeApiserver, waitApiserver, waitEtcd } from './daemons.ts';
import type { ClusterPaths } from './daemons.ts';
import { withLock } from './lock.ts';
import { ensurePki, ensureTokens, pkiFiles } from './pki.ts';
import { isPortFree, pickFreePort, claimPort } from './ports.ts';
import { runningFromPidFile, stopFromPidFile } from './processes.ts';
import type { ClusterInfo, LabSettings, StartClusterOptions } from './types.ts';

export type { ClusterInfo, LabSettings, StartClusterOptions } from './types.ts';
export { cachedKubeBinaries, checkPrerequisites, ensureKubeApiserver, kubeCacheDir } from './binaries.ts';
export type { KubeBinaries } from './binaries.ts';

/** Written into every state dir this tooling creates; nothing else is ever deleted. */
const MARKER = '.stitchboard-kube';
const NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

const settingsFile = (dir: string) => join(dir, 'lab.json');
const infoFile = (dir: string) => join(dir, 'cluster.json');
const lockFile = (dir: string) => join(dir, '.lock');

export function readSettings(stateDir: string): LabSettings | undefined {
  const file = settingsFile(stateDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LabSettings) : undefined;
}

/** The info written by the last successful start; throws when the dir holds no cluster. */
export function readClusterInfo(stateDir: string): ClusterInfo {
  const file = infoFile(resolve(stateDir));
  if (!existsSync(file)) {
    throw new Error(`no cluster in ${resolve(stateDir)} (no cluster.json): start it first`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
}

export interface ClusterStatus {
  apiserverPid?: number;
  etcdPid?: number;
  running: boolean;
}

export function clusterStatus(stateDir: string): ClusterStatus {
  const paths = clusterPaths(resolve(stateDir));
  const apiserverPid = runningFromPidFile(paths.apiserverPidFile)?.pid;
  const etcdPid = runningFromPidFile(paths.etcdPidFile)?.pid;
  return { apiserverPid, etcdPid, running: apiserverPid !== undefined && etcdPid !== undefined };
}

/**
 * Starts the cluster in `stateDir`, or returns its info when it already runs. A stopped cluster
 * comes back with the same data, certificates, tokens and port, so URLs and kubeconfigs stay valid.
 */
export async function startCluster(options: StartClusterOptions): Promise<ClusterInfo> {
  // The build script installs etcd and openssl on a fresh machine, so check only after it ran.
  await ensureKubeApiserver();
  checkPrerequisites();
  if (!NAME.test(options.name)) {
    throw new Error(`cluster name "${options.name}": use 1-40 lowercase letters, digits and dashes`);
  }
  const stateDir = resolve(options.stateDir);
  prepareStateDir(stateDir);
  return withLock(lockFile(stateDir), `starting cluster ${options.name}`, () => start(stateDir, options));
}

async function start(stateDir: string, options: StartClusterOptions): Promise<ClusterInfo> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[kube ${options.name}] ${line}\n`));
  const began = performance.now();
  const saved = readSettings(stateDir);
  if (saved && saved.name !== options.name) {
    throw new Error(`${stateDir} holds cluster "${saved.name}", not "${options.name}"`);
  }
  if (saved && options.port && options.port !== saved.port) {
    throw new Error(
      `cluster ${saved.name} serves on port ${saved.port} for good (its URLs are in configs); omit --port`,
    );
  }
  const paths = clusterPaths(stateDir);
  const status = clusterStatus(stateDir);
  if (saved && status.running) {
    const ref = runningFromPidFile(paths.apiserverPidFile);
    if (ref && (await waitApiserver(ref, saved.port, pkiFiles(stateDir).caFile, 90_000)) === 'ready') {
      return readClusterInfo(stateDir);
    }
    throw new Error(`cluster ${saved.name} runs but is not ready: stop it first (logs in ${paths.logs})`);
  }
  // A half-running cluster (one daemon died) is restarted whole, except an API server alone.
  if (saved && status.etcdPid !== undefined && status.apiserverPid === undefined) {
    return launchApiserver(stateDir, saved, log);
  }
  await stopFromPidFile(paths.apiserverPidFile);
  await stopFromPidFile(paths.etcdPidFile);

  const etcd = etcdBinary() as string; // checkPrerequisites() found it
  const pki = await ensurePki(stateDir, options.name);
  ensureTokens(pki);
  const settings: LabSettings = {
    name: options.name,
    port: saved?.port ?? options.port ?? 0,
    etcdPort: saved?.etcdPort ?? 0,
    etcdPeerPort: saved?.etcdPeerPort ?? 0,
    extraArgs: options.extraArgs ?? saved?.extraArgs ?? [],
  };
  try {
    await launchEtcd(paths, settings, etcd);
    log(`etcd up on 127.0.0.1:${settings.etcdPort} after ${seconds(began)}`);
    const info = await launchApiserver(stateDir, settings, log, !!(saved?.port || options.port));
    log(`ready at ${info.url} in ${seconds(began)} (${saved ? 'restarted' : 'new'})`);
    return info;
  } catch (error) {
    await stopFromPidFile(paths.apiserverPidFile);
    await stopFromPidFile(paths.etcdPidFile);
    throw error;
  }
}

async function launchEtcd(paths: ClusterPaths, settings: LabSettings, etcd: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    // Saved ports are reused when free; etcd's own URLs are internal, so new ones are fine too.
    const reuse =
      attempt === 1 &&
      settings.etcdPort > 0 &&
      (await isPortFree(settings.etcdPort)) &&
      (await isPortFree(settings.etcdPeerPort));
    if (reuse) {
      claimPort(settings.etcdPort);
      claimPort(settings.etcdPeerPort);
    } else {
      settings.etcdPort = await pickFreePort();
      settings.etcdPeerPort = await pickFreePort();
    }
    const ref = startEtcd(paths, {
      etcd,
      name: settings.name,
      clientPort: settings.etcdPort,
      peerPort: settings.etcdPeerPort,
    });
    if ((await waitEtcd(ref, settings.etcdPort)) === 'ready') return;
    await stopFromPidFile(paths.etcdPidFile);
  }
  throw new Error(
    `etcd for cluster ${settings.name} did not start:\n${logTail(join(paths.logs, 'etcd.log'))}`,
  );
}

/** Starts the API server on the saved port (or a free one for a new cluster), then bootstraps it. */
async function launchApiserver(
  stateDir: string,
  settings: LabSettings,
  log: (l: string) => void,
  fixedPort = true,
) {
  const paths = clusterPaths(stateDir);
  const { apiserver } = await ensureKubeApiserver();
  const pki = pkiFiles(stateDir);
  const logFile = join(paths.logs, 'kube-apiserver.log');
  for (let attempt = 1; ; attempt++) {
    if (!fixedPort) settings.port = await pickFreePort();
    else if (!(await isPortFree(settings.port))) {
      throw new Error(
        `port ${settings.port} of cluster ${settings.name} is taken by another process; it must be free to keep its URL`,
      );
    }
    claimPort(settings.port);
    const ref = startKubeApiserver(paths, {
      apiserver,
      pki,
      port: settings.port,
      etcdPort: settings.etcdPort,
      extraArgs: settings.extraArgs,
    });
    const result = await waitApiserver(ref, settings.port, pki.caFile);
    if (result === 'ready') break;
    await stopFromPidFile(paths.apiserverPidFile);
    const tail = logTail(logFile);
    // Another process may bind a probed-free port before the API server does: pick again.
    if (!fixedPort && attempt < 3 && tail.includes('address already in use')) continue;
    throw new Error(
      `kube-apiserver of cluster ${settings.name} ${result === 'exited' ? 'exited' : 'was not ready after 90 s'}:\n${tail}`,
    );
  }
  writeFileSync(settingsFile(stateDir), `${JSON.stringify(settings, null, 2)}\n`);
  const info = clusterInfo(stateDir, settings);
  const kube = new KubeClient(info);
  try {
    await bootstrapRbac(kube);
  } finally {
    kube.close();
  }
  const base = { cluster: settings.name, url: info.url, caData: info.caData };
  writeKubeconfig(info.kubeconfig, { ...base, user: `${settings.name}-admin`, token: info.adminToken });
  writeKubeconfig(info.readonlyKubeconfig, {
    ...base,
    user: `${settings.name}-readonly`,
    token: info.readonlyToken,
  });
  writeFileSync(infoFile(stateDir), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  log(`kube-apiserver pid ${info.apiserverPid} on ${info.url}`);
  return info;
}

function clusterInfo(stateDir: string, settings: LabSettings): ClusterInfo {
  const pki = pkiFiles(stateDir);
  const paths = clusterPaths(stateDir);
  const tokens = ensureTokens(pki);
  return {
    name: settings.name,
    url: `https://127.0.0.1:${settings.port}`,
    caFile: pki.caFile,
    caData: readFileSync(pki.caFile).toString('base64'),
    adminToken: tokens.adminToken,
    readonlyToken: tokens.readonlyToken,
    stateDir,
    kubeconfig: join(stateDir, 'kubeconfig'),
    readonlyKubeconfig: join(stateDir, 'kubeconfig-readonly'),
    apiserverPid: runningFromPidFile(paths.apiserverPidFile)?.pid ?? 0,
    etcdPid: runningFromPidFile(paths.etcdPidFile)?.pid ?? 0,
  };
}

/** Stops only the API server; etcd keeps the data. For tests of clients that must survive a restart. */
export async function stopApiserver(stateDir: string): Promise<void> {
  const dir = resolve(stateDir);
  await withLock(lockFile(dir), `stopping the API server in ${dir}`, async () => {
    await stopFromPidFile(clusterPaths(dir).apiserverPidFile);
  });
}

/** Starts the API server again on the same port, against the running etcd. */
export async function startApiserver(stateDir: string): Promise<ClusterInfo> {
  const dir = resolve(stateDir);
  const saved = readSettings(dir);
  if (!saved) throw new Error(`no cluster in ${dir} (no lab.json): use startCluster`);
  return withLock(lockFile(dir), `starting the API server of ${saved.name}`, async () => {
    const status = clusterStatus(dir);
    if (status.etcdPid === undefined) {
      throw new Error(`etcd of cluster ${saved.name} is not running: use startCluster`);
    }
    if (status.apiserverPid !== undefined) return readClusterInfo(dir);
    return launchApiserver(dir, saved, () => {});
  });
}

/** Stops the cluster's two processes (only those); `delete` also removes the state dir. */
export async function stopCluster(stateDir: string, options: { delete?: boolean } = {}): Promise<void> {
  const dir = resolve(stateDir);
  if (!existsSync(dir)) return;
  if (!existsSync(join(dir, MARKER))) {
    throw new Error(`${dir} was not made by the test-cluster tooling; not touching it`);
  }
  await withLock(lockFile(dir), `stopping the cluster in ${dir}`, async () => {
    const paths = clusterPaths(dir);
    await stopFromPidFile(paths.apiserverPidFile);
    await stopFromPidFile(paths.etcdPidFile);
  });
  if (options.delete) rmSync(dir, { recursive: true, force: true });
}

/** Creates the dir with its marker; refuses a non-empty dir that this tooling did not make. */
function prepareStateDir(stateDir: string): void {
  if (existsSync(stateDir) && !existsSync(join(stateDir, MARKER)) && readdirSync(stateDir).length > 0) {
    throw new Error(`${stateDir} exists and is not a test-cluster state dir; pick an empty or new one`);
  }
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  writeFileSync(join(stateDir, MARKER), 'made by tools/kube/lab.ts; safe to delete with stopCluster\n');
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
