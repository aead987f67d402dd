import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterInfo } from '../../tools/kube/types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  url: string;
  pid: number;
  /** Sends `signal` to the process (SIGSTOP / SIGCONT pause and resume it). */
  signal(signal: NodeJS.Signals): void;
  /** Everything the process printed so far (JSON log lines), for asserting what logs contain. */
  output(): string;
  stop(): Promise<number | null>;
  /** SIGKILL: no goodbye, no cleanup (a crashed replica). */
  kill(): Promise<void>;
}

/**
 * The top of an end-to-end app-config.yaml: one static API token read from `${API_TOKEN}` for
 * `subject`, and the data kept under `dir`. The `stitchboard:` section stays open for the caller's keys.
 */
export function appConfigHead(dir: string, subject: string): string {
  return `backend:
  auth:
    externalAccess:
      - type: static
        options: { token: '\${API_TOKEN}', subject: ${subject} }
stitchboard:
  dataDir: ${dir}/data
`;
}

/**
 * Starts the real `stitchboard serve` (of this checkout, or of `root`) as a child process on Node 24 (this process's own binary) and
 * resolves once its "listening" log line names the address.
 */
export async function startServe(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** a checkout other than this one */ root?: string;
  } = {},
): Promise<RunningServer> {
  const bin = join(options.root ?? ROOT, 'bin/stitchboard.js');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    signal: (signal) => void child.kill(signal),
    output: () => output,
    stop: () => stop(child),
    kill: () => kill(child),
  };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

export interface WatchedShopOptions {
  cluster: ClusterInfo;
  /** The component's `backstage.io/kubernetes-id`, which its pods carry as a label. */
  id: string;
  /** The cluster's credential, handed to serve as $TOKEN. */
  token: string;
  /** Where serve reaches the cluster (e.g. a proxy in front of it); the cluster's own URL by default. */
  url?: string;
  /** More keys of `stitchboard.kubernetes`, as YAML flow entries (e.g. `watchIdleTimeout: 5s`). */
  kubernetes?: string;
}

/**
 * `serve` in watch mode on one cluster (pods and services only), with a file catalog of one component
 * `shop` owned by team-a: the smallest real setup for watching a component's pods end to end.
 */
export async function startWatchedShop(options: WatchedShopOptions): Promise<RunningServer> {
  const { cluster, id } = options;
  const dir = await mkdtemp(join(tmpdir(), 'sb-shop-'));
  await writeFile(
    join(dir, 'catalog.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: shop, annotations: { backstage.io/kubernetes-id: ${id} } }
spec: { type: service, lifecycle: production, owner: team-a }
`,
  );
  const extra = options.kubernetes ? `, ${options.kubernetes}` : '';
  await writeFile(
    join(dir, 'app-config.yaml'),
    `stitchboard:
  dataDir: ${dir}/data
  catalog: [{ type: file, path: ./catalog.yaml }]
  kubernetes: { mode: watch${extra} }
kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods:
    - type: config
      clusters:
        - { name: ${cluster.name}, url: '${options.url ?? cluster.url}', authProvider: serviceAccount, serviceAccountToken: '\${TOKEN}', caData: '${cluster.caData}', skipMetricsLookup: true }
  objectTypes: [pods, services]
`,
  );
  return startServe(['--config', join(dir, 'app-config.yaml')], { env: { TOKEN: options.token } });
}

/** serve's answer for the component `shop`, as far as the watched-shop tests read it. */
export interface ShopAnswer {
  items: {
    resources: { type: string; resources: { metadata: { name: string } }[] }[];
    errors: { statusCode?: number; resourcePath?: string }[];
  }[];
}

/** `POST /api/kubernetes/resources/workloads/query` for `component:default/shop` on `server`. */
export async function queryShop(server: RunningServer): Promise<ShopAnswer> {
  const res = await fetch(`${server.url}/api/kubernetes/resources/workloads/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entityRef: 'component:default/shop' }),
  });
  return (await res.json()) as ShopAnswer;
}

/** The names of shop's pods in the first cluster of `answer`, sorted. */
export function podNamesOf(answer: ShopAnswer): string[] {
  return (answer.items[0]?.resources.find((r) => r.type === 'pods')?.resources ?? [])
    .map((p) => p.metadata.name)
    .sort();
}
