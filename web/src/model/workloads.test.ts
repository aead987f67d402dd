import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { groupObjects } from './workloads.ts';

const obj = (name: string, uid: string, owner?: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: {
    name,
    uid,
    namespace: 'shop',
    ...(owner
      ? { ownerReferences: [{ kind: 'X', name: owner, uid: `uid-${owner}`, controller: true }] }
      : {}),
  },
  ...extra,
});

describe('groupObjects', () => {
  it('puts pods under their ReplicaSet under their Deployment, and HPAs by scale target', () => {
    const g = groupObjects([
      { type: 'deployments', resources: [obj('web', 'uid-web'), obj('api', 'uid-api')] },
      {
        type: 'replicasets',
        resources: [
          obj('web-new', 'uid-web-new', 'web', { spec: { replicas: 2 } }),
          obj('web-old', 'uid-web-old', 'web', { spec: { replicas: 0 } }),
        ],
      },
      {
        type: 'pods',
        resources: [obj('web-new-b', 'p2', 'web-new'), obj('web-new-a', 'p1', 'web-new'), obj('stray', 'p3')],
      },
      {
        type: 'horizontalpodautoscalers',
        resources: [
          obj('web', 'h1', undefined, { spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' } } }),
          obj('other', 'h2', undefined, { spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'web' } } }),
        ],
      },
    ]);
    expect(g.workloads.map((w) => [w.kind, w.object.metadata?.name])).toEqual([
      ['Deployment', 'api'],
      ['Deployment', 'web'],
    ]);
    const web = g.workloads[1];
    // The old ReplicaSet, scaled to zero with no pods, is left out.
    expect(web?.sets.map((s) => [s.owner.metadata?.name, s.pods.map((p) => p.metadata?.name)])).toEqual([
      ['web-new', ['web-new-a', 'web-new-b']],
    ]);
    expect(web?.hpas.map((h) => h.metadata?.name)).toEqual(['web']);
    expect(g.otherPods.map((p) => p.metadata?.name)).toEqual(['stray']);
  });

  it('groups CronJob → Job → Pod, StatefulSet and DaemonSet pods directly, and lone Jobs as workloads', () => {
    const g = groupObjects([
      { type: 'cronjobs', resources: [obj('nightly', 'uid-nightly')] },
      {
        type: 'jobs',
        resources: [obj('nightly-1', 'uid-nightly-1', 'nightly'), obj('migrate', 'uid-migrate')],
      },
      { type: 'statefulsets', resources: [obj('db', 'uid-db')] },
      { type: 'daemonsets', resources: [obj('agent', 'uid-agent')] },
      {
        type: 'pods',
        resources: [
          obj('nightly-1-x', 'p1', 'nightly-1'),
          obj('migrate-x', 'p2', 'migrate'),
          obj('db-0', 'p3', 'db'),
          obj('agent-x', 'p4', 'agent'),
        ],
      },
      { type: 'secrets', resources: [obj('creds', 's1')] },
      { type: 'persistentvolumeclaims', resources: [] },
    ]);
    expect(
      g.workloads.map((w) => [w.kind, w.sets.flatMap((s) => s.pods.map((p) => p.metadata?.name))]),
    ).toEqual([
      ['StatefulSet', ['db-0']],
      ['DaemonSet', ['agent-x']],
      ['CronJob', ['nightly-1-x']],
      ['Job', ['migrate-x']],
    ]);
    expect(g.otherPods).toEqual([]);
    expect(g.others.map((r) => r.type)).toEqual(['secrets']);
  });
});
