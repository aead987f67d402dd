/**
 * `npm run kube -- <command>`: local Kubernetes 1.20 clusters for development, kept under
 * .state/kube/<name> (gitignored).
 *
 *   build                      build (or find cached) kube-apiserver + kubectl 1.20
 *   start <name> [--port N]    start or restart a cluster; prints where it is (no secrets)
 *   stop <name> [--delete]     stop it; --delete also removes its data
 *   env <name> [--json]        KEY=VALUE lines (tokens included) to `eval`, or the ClusterInfo JSON
 *   list [--json]              clusters under .state/kube and whether they run
 *
 * start, stop and env take `--dir PATH` to work on a state dir elsewhere, e.g. the test clusters
 * kept by STITCHBOARD_KEEP_CLUSTERS=1 in .state/test/kept/<name>.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  clusterStatus,
  ensureKubeApiserver,
  readClusterInfo,
  readSettings,
  startCluster,
  stopCluster,
} from './lab.ts';
import type { ClusterInfo } from './lab.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATE = join(ROOT, '.state', 'kube');
const USAGE =
  'usage: npm run kube -- build | start <name> [--port N] | stop <name> [--delete] | env <name> [--json] | list [--json]\n' +
  '       (start, stop, env: --dir PATH for a state dir outside .state/kube)';

/** Shell-safe KEY=VALUE lines; `eval "$(npm run -s kube -- env alpha)"` exports them. */
export function envLines(info: ClusterInfo): string {
  const env: Record<string, string | number> = {
    CLUSTER_NAME: info.name,
    KUBE_URL: info.url,
    KUBE_CA_FILE: info.caFile,
    KUBE_CA_DATA: info.caData,
    KUBE_ADMIN_TOKEN: info.adminToken,
    KUBE_READONLY_TOKEN: info.readonlyToken,
    KUBECONFIG: info.kubeconfig,
    KUBECONFIG_READONLY: info.readonlyKubeconfig,
    KUBE_STATE_DIR: info.stateDir,
    APISERVER_PID: info.apiserverPid,
    ETCD_PID: info.etcdPid,
  };
  const quote = (v: string | number) => `'${String(v).replaceAll("'", `'\\''`)}'`;
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join('\n');
}

function stateDirOf(name: string | undefined, dir?: string): string {
  if (!name) throw new Error(`a cluster name is required\n${USAGE}`);
  if (dir) return resolve(dir);
  if (!/^[a-z0-9][-a-z0-9]*$/.test(name)) {
    throw new Error(`cluster name "${name}": lowercase letters, digits, dashes`);
  }
  return join(STATE, name);
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      delete: { type: 'boolean' },
      json: { type: 'boolean' },
      dir: { type: 'string' },
    },
  });
  const [command, name, ...rest] = positionals;
  if (rest.length) throw new Error(`unexpected arguments: ${rest.join(' ')}\n${USAGE}`);
  switch (command) {
    case 'build': {
      const bins = await ensureKubeApiserver();
      console.log(
        values.json ? JSON.stringify(bins) : `kube-apiserver: ${bins.apiserver}\nkubectl: ${bins.kubectl}`,
      );
      return;
    }
    case 'start': {
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        throw new Error(`--port ${values.port}: not a TCP port`);
      }
      const info = await startCluster({ name: name ?? '', stateDir: stateDirOf(name, values.dir), port });
      const lines = [`${info.name}: ${info.url}`, `kubeconfig: ${info.kubeconfig}`];
      const dirFlag = values.dir ? ` --dir ${values.dir}` : '';
      lines.push(`env (tokens): eval "$(npm run -s kube -- env ${info.name}${dirFlag})"`);
      console.log(
        values.json
          ? JSON.stringify({ name: info.name, url: info.url, kubeconfig: info.kubeconfig })
          : lines.join('\n'),
      );
      return;
    }
    case 'stop':
      await stopCluster(stateDirOf(name, values.dir), { delete: values.delete ?? false });
      console.log(`${name}: stopped${values.delete ? ' and deleted' : ''}`);
      return;
    case 'env': {
      const info = readClusterInfo(stateDirOf(name, values.dir));
      console.log(values.json ? JSON.stringify(info, null, 2) : envLines(info));
      return;
    }
    case 'list': {
      const names = existsSync(STATE) ? readdirSync(STATE).sort() : [];
      const rows = names.map((n) => {
        const dir = join(STATE, n);
        const settings = readSettings(dir);
        const url = settings ? `https://127.0.0.1:${settings.port}` : '';
        return { name: n, url, running: clusterStatus(dir).running, stateDir: dir };
      });
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else if (!rows.length) console.log(`no clusters under ${STATE}`);
      else for (const r of rows) console.log(`${r.name}\t${r.running ? 'running' : 'stopped'}\t${r.url}`);
      return;
    }
    default:
      throw new Error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`kube: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
