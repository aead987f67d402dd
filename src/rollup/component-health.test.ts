import { describe, expect, it } from 'vitest';
import type { ClusterObjects, KubeObject } from '../contract/kubernetes.ts';
import { statusOf } from './component-summary.ts';
import { componentHealth, podReady } from './component-health.ts';

const pod = (name: string, ready: boolean, waiting?: string): KubeObject => ({
  metadata: { name, namespace: 'shop' },
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [
      {
        name: 'app',
        ready,
        restartCount: waiting ? 5 : 0,
        state: waiting ? { waiting: { reason: waiting, message: `back-off ${name}` } } : { running: {} },
      },
    ],
  },
});

const cluster = (
  name: string,
  pods: KubeObject[],
  errors: ClusterObjects['errors'] = [],
): ClusterObjects => ({
  cluster: { name },
  resources: [{ type: 'pods', resources: pods }],
  podMetrics: [],
  errors,
});

describe('podReady', () => {
  it.each([
    ['Ready True', pod('a', true), true],
    ['Ready False', pod('a', false), false],
    ['no conditions (pending, unscheduled)', { metadata: { name: 'p' }, status: {} }, false],
    ['no status at all', { metadata: { name: 'p' } }, false],
  ])('%s', (_name, object, ready) => {
    expect(podReady(object)).toBe(ready);
  });
});

describe('componentHealth', () => {
  it('counts pods ready/total and detected errors by kind across clusters, with the Components page’s health', () => {
    const response = {
      items: [
        cluster('alpha', [pod('a1', true), pod('a2', true)]),
        cluster('beta', [pod('b1', false, 'CrashLoopBackOff'), pod('b2', false, 'CrashLoopBackOff')]),
      ],
    };
    const health = componentHealth(response, 0);
    expect(health).toEqual({
      ...statusOf(response, 4, 0),
      pods: { ready: 2, total: 4 },
      errors: { total: 4, byKind: { 'container-waiting': 2, 'containers-restarting': 2 } },
    });
    expect(health).toMatchObject({ clusters: ['alpha', 'beta'], health: 'warning', detectedErrors: 4 });
  });

  it('is `none` with no objects anywhere, and names a cluster that could not be read', () => {
    expect(componentHealth({ items: [cluster('alpha', [])] })).toMatchObject({
      health: 'none',
      pods: { ready: 0, total: 0 },
      errors: { total: 0, byKind: {} },
    });
    const down = componentHealth({
      items: [cluster('gamma', [], [{ errorType: 'FETCH_ERROR', message: 'connect ECONNREFUSED' }])],
    });
    expect(down).toMatchObject({ health: 'warning', clusters: [], clusterErrors: ['gamma'] });
  });
});
