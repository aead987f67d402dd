/**
 * The integration project's two real clusters, as test files see them.
 *
 * @example
 *   const { alpha } = testClusters();
 *   const ns = uniqueNamespace('fan-out');
 *   await alpha.client.ensureNamespace(ns);
 *   await alpha.client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns }, spec });
 *
 * Nothing runs objects on these clusters (no scheduler, kubelet or controllers): pods stay Pending
 * until a test sets their status with `client.patchStatus`. Namespaces cannot be deleted cleanly
 * (they stay Terminating), so every test takes a fresh one from `uniqueNamespace`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { cachedKubeBinaries } from '../../tools/kube/binaries.ts';
import { KubeClient } from '../../tools/kube/client.ts';
import { pickFreePort } from '../../tools/kube/ports.ts';
import type { ClusterInfo } from '../../tools/kube/types.ts';

export interface TestCluster {
  name: string;
  info: ClusterInfo;
  /** Admin (system:masters) client; connections are shared by every test of the file. */
  client: KubeClient;
}

let clusters: { alpha: TestCluster; beta: TestCluster } | undefined;

export function testClusters(): { alpha: TestCluster; beta: TestCluster } {
  if (!clusters) {
    const infos = inject('clusters');
    const wrap = (info: ClusterInfo): TestCluster => ({
      name: info.name,
      info,
      client: new KubeClient(info),
    });
    clusters = { alpha: wrap(infos.alpha), beta: wrap(infos.beta) };
  }
  return clusters;
}

let counter = 0;

/** A namespace name no other test (in this run or a kept cluster's earlier runs) has used. */
export function uniqueNamespace(prefix: string): string {
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const suffix = `${(counter++).toString(36)}${randomBytes(3).toString('hex')}`;
  return `${base || 'test'}-${suffix}`;
}

/** A namespace named by `uniqueNamespace(prefix)`, made on `cluster`. */
export async function freshNamespace(cluster: TestCluster, prefix: string): Promise<string> {
  const ns = uniqueNamespace(prefix);
  await cluster.client.ensureNamespace(ns);
  return ns;
}

export interface MountedServiceAccount {
  /** KUBERNETES_SERVICE_HOST/PORT of the cluster and STITCHBOARD_SERVICEACCOUNT_DIR of the mount. */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

/**
 * What a pod of `info`'s cluster running as a ServiceAccount sees: `token` and the cluster's CA in a
 * fresh folder, and the env under which Stitchboard takes them for its in-cluster credentials.
 */
export async function mountServiceAccount(info: ClusterInfo, token: string): Promise<MountedServiceAccount> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-sa-'));
  await writeFile(join(dir, 'token'), token);
  await writeFile(join(dir, 'ca.crt'), Buffer.from(info.caData, 'base64'));
  const url = new URL(info.url);
  return {
    env: {
      KUBERNETES_SERVICE_HOST: url.hostname,
      KUBERNETES_SERVICE_PORT: url.port,
      STITCHBOARD_SERVICEACCOUNT_DIR: dir,
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface KubectlProxy {
  /** `http://127.0.0.1:PORT`, no token needed: kubectl adds the kubeconfig's. */
  url: string;
  stop(): Promise<void>;
}

/**
 * `kubectl proxy` (the cached kubectl 1.20) for `info`'s cluster with its admin kubeconfig, or
 * `options.kubeconfig`; resolves once it serves `/api`. Stop it in `afterAll`.
 */
export async function startKubectlProxy(
  info: ClusterInfo,
  options: { kubeconfig?: string } = {},
): Promise<KubectlProxy> {
  const { kubectl } = cachedKubeBinaries();
  let output = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await pickFreePort();
    const args = [
      'proxy',
      `--port=${port}`,
      '--address=127.0.0.1',
      `--kubeconfig=${options.kubeconfig ?? info.kubeconfig}`,
    ];
    const child = spawn(kubectl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    let done = false;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        output += String(error);
        resolve();
      });
    }).then(() => {
      done = true;
    });
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (done) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) child.kill('SIGKILL');
      await exited;
    };
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !done) {
      const ok = await fetch(`${url}/api`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) return { url, stop };
      await sleep(100);
    }
    await stop();
    // Another process may take the port between the probe and kubectl's bind: try another one.
    if (!/address already in use/.test(output)) break;
  }
  throw new Error(`kubectl proxy for cluster ${info.name} did not serve /api:\n${output.trim()}`);
}
