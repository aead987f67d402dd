import { join } from 'node:path';
import { KubeClient } from '../tools/kube/client.ts';
import { ensureKubeApiserver, startCluster, type ClusterInfo } from '../tools/kube/lab.ts';

export interface BenchCluster {
  info: ClusterInfo;
  admin: KubeClient;
}

/** Three (or n) real clusters under .state/bench, kept running between runs so seeding happens once. */
export async function benchClusters(root: string, count: number): Promise<BenchCluster[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => benchCluster(root, `bench-${i + 1}`)));
}

/** One real cluster named `name` under .state/bench, kept running between runs. */
export async function benchCluster(root: string, name: string): Promise<BenchCluster> {
  await ensureKubeApiserver();
  const info = await startCluster({ name, stateDir: join(root, `.state/bench/${name}`) });
  return { info, admin: new KubeClient(info, { maxSockets: 32 }) };
}

/**
 * Every resource request the API server has answered so far, from its own `apiserver_request_total`.
 * Non-resource requests (`resource=""`), such as this very read of /metrics, are left out.
 */
export async function apiserverRequests(cluster: BenchCluster): Promise<number> {
  const res = await cluster.admin.request<string>('GET', '/metrics');
  let total = 0;
  for (const line of String(res.body).split('\n')) {
    if (line.startsWith('apiserver_request_total{') && !/[{,]resource=""/.test(line)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
