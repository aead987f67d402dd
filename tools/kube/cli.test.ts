import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { envLines } from './cli.ts';
import type { ClusterInfo } from './types.ts';

const info: ClusterInfo = {
  name: 'dev',
  url: 'https://127.0.0.1:20001',
  caFile: "/tmp/it's here/ca.crt",
  caData: 'LS0tLS1CRUdJTg==',
  adminToken: 'a'.repeat(48),
  readonlyToken: 'b'.repeat(48),
  stateDir: '/tmp/state $HOME `x`',
  kubeconfig: '/tmp/state/kubeconfig',
  readonlyKubeconfig: '/tmp/state/kubeconfig-readonly',
  apiserverPid: 42,
  etcdPid: 41,
};

describe('envLines', () => {
  it('exports values a shell reads back verbatim, quotes, dollars and backticks included', () => {
    const script = `${envLines(info)}\nprintf '%s\\n' "$KUBE_CA_FILE" "$KUBE_STATE_DIR" "$KUBE_URL" "$APISERVER_PID"`;
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(out.split('\n').slice(0, 4)).toEqual([info.caFile, info.stateDir, info.url, '42']);
  });

  it('names every variable a script needs', () => {
    const names = envLines(info)
      .split('\n')
      .map((l) => /^export (\w+)=/.exec(l)?.[1]);
    expect(names).toEqual([
      'CLUSTER_NAME',
      'KUBE_URL',
      'KUBE_CA_FILE',
      'KUBE_CA_DATA',
      'KUBE_ADMIN_TOKEN',
      'KUBE_READONLY_TOKEN',
      'KUBECONFIG',
      'KUBECONFIG_READONLY',
      'KUBE_STATE_DIR',
      'APISERVER_PID',
      'ETCD_PID',
    ]);
  });
});
