/**
 * Starting one cluster's two daemons and waiting until they serve. The flags and why each one is
 * there are the facts of /work/shared/kube/README.md ("What the API server runs with").
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PkiFiles } from './pki.ts';
import { isRunning, spawnDetached } from './processes.ts';
import type { ProcessRef } from './processes.ts';

export interface ClusterPaths {
  stateDir: string;
  logs: string;
  etcdData: string;
  etcdPidFile: string;
  apiserverPidFile: string;
}

export function clusterPaths(stateDir: string): ClusterPaths {
  return {
    stateDir,
    logs: join(stateDir, 'logs'),
    etcdData: join(stateDir, 'etcd'),
    etcdPidFile: join(stateDir, 'etcd.pid'),
    apiserverPidFile: join(stateDir, 'kube-apiserver.pid'),
  };
}

export interface EtcdOptions {
  etcd: string;
  name: string;
  clientPort: number;
  peerPort: number;
}

export function startEtcd(paths: ClusterPaths, o: EtcdOptions): ProcessRef {
  const client = `http://127.0.0.1:${o.clientPort}`;
  const peer = `http://127.0.0.1:${o.peerPort}`;
  // With an existing data dir etcd ignores the initial-cluster flags and uses its stored membership.
  const state = existsSync(join(paths.etcdData, 'member')) ? 'existing' : 'new';
  const args = [
    ...['--name', o.name, '--data-dir', paths.etcdData],
    ...['--listen-client-urls', client, '--advertise-client-urls', client],
    ...['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer],
    ...[
      '--initial-cluster',
      `${o.name}=${peer}`,
      '--initial-cluster-state',
      state,
      '--initial-cluster-token',
      o.name,
    ],
    ...['--logger', 'zap', '--log-outputs', 'stderr'],
    ...['--auto-compaction-mode', 'periodic', '--auto-compaction-retention', '1h'],
  ];
  return spawnDetached(o.etcd, args, { logFile: join(paths.logs, 'etcd.log'), pidFile: paths.etcdPidFile });
}

export interface ApiserverOptions {
  apiserver: string;
  pki: PkiFiles;
  port: number;
  etcdPort: number;
  extraArgs: readonly string[];
}

export function startKubeApiserver(paths: ClusterPaths, o: ApiserverOptions): ProcessRef {
  const args = [
    ...['--etcd-servers', `http://127.0.0.1:${o.etcdPort}`, '--etcd-prefix', '/registry'],
    ...['--bind-address', '127.0.0.1', '--secure-port', String(o.port), '--insecure-port', '0'],
    // Endpoints may not hold 127.0.0.1, so the `kubernetes` Service is left without them.
    ...['--advertise-address', '127.0.0.1', '--endpoint-reconciler-type', 'none'],
    ...['--tls-cert-file', o.pki.certFile, '--tls-private-key-file', o.pki.keyFile, '--cert-dir', o.pki.dir],
    ...['--token-auth-file', o.pki.tokensFile, '--authorization-mode', 'RBAC'],
    ...['--service-account-issuer', 'https://kubernetes.default.svc.cluster.local'],
    ...['--service-account-key-file', o.pki.saPubFile, '--service-account-signing-key-file', o.pki.saKeyFile],
    ...['--service-cluster-ip-range', '10.0.0.0/24'],
    // ServiceAccount: with no `default` account every pod create fails. ResourceQuota: with no
    // controller a quota's status is never updated, and the plugin then rejects creates.
    ...['--disable-admission-plugins', 'ServiceAccount,ResourceQuota'],
    ...['--allow-privileged=true', '--profiling=false'],
    ...o.extraArgs,
  ];
  const logFile = join(paths.logs, 'kube-apiserver.log');
  return spawnDetached(o.apiserver, args, { logFile, pidFile: paths.apiserverPidFile });
}

function probe(url: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { ca, agent: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

export type WaitResult = 'ready' | 'exited' | 'timeout';

/** Polls until `ready(probe)` holds, the process dies, or `timeoutMs` passes. */
async function waitFor(
  ref: ProcessRef,
  url: string,
  ca: Buffer | undefined,
  ready: (body: string) => boolean,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await probe(url, ca);
    if (res.status === 200 && ready(res.body)) return 'ready';
    if (!isRunning(ref)) return 'exited';
    await sleep(100);
  }
  return 'timeout';
}

export function waitEtcd(ref: ProcessRef, port: number, timeoutMs = 20_000): Promise<WaitResult> {
  return waitFor(
    ref,
    `http://127.0.0.1:${port}/health`,
    undefined,
    (b) => b.includes('"health":"true"'),
    timeoutMs,
  );
}

/** `/readyz` answers anonymous requests; it is ok once RBAC bootstrap roles and CRD informers are in. */
export function waitApiserver(
  ref: ProcessRef,
  port: number,
  caFile: string,
  timeoutMs = 90_000,
): Promise<WaitResult> {
  const ca = readFileSync(caFile);
  return waitFor(ref, `https://127.0.0.1:${port}/readyz`, ca, (b) => b.trim() === 'ok', timeoutMs);
}

/** The last lines of a log file, for an error message (these logs hold no tokens). */
export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
