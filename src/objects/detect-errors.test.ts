import { describe, expect, it } from 'vitest';
import type { ClusterObjects, KubeObject } from '../contract/kubernetes.ts';
import type { DetectedError } from '../contract/stitchboard.ts';
import { detectErrors, detectPodErrors, healthOf } from './detect-errors.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

function pod(containerStatuses: object[], containers: object[] = [{ name: 'app' }]): KubeObject {
  return {
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { containers },
    status: { containerStatuses },
  };
}

const probe = { initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 3 }; // 25 s

describe('detectPodErrors', () => {
  it.each<[string, KubeObject, Partial<DetectedError>[]]>([
    [
      'a healthy pod',
      pod([{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: ago(60) } } }]),
      [],
    ],
    [
      'unready past its probe deadline',
      pod(
        [{ name: 'app', ready: false, restartCount: 0, state: { running: { startedAt: ago(26) } } }],
        [{ name: 'app', readinessProbe: probe }],
      ),
      [
        {
          type: 'readiness-probe-taking-too-long',
          severity: 4,
          message: 'The container app failed to start properly, but is not crashing',
          proposedFix: {
            type: 'events',
            errorType: 'ReadinessProbeFailed',
            rootCauseExplanation: 'The container app failed to start properly, but is not crashing',
            actions: [
              'Ensure that the container starts correctly locally',
              "Check the container's logs looking for error during startup",
            ],
            podName: 'web-1',
          },
        },
      ],
    ],
    [
      'unready but still inside its probe deadline',
      pod(
        [{ name: 'app', ready: false, state: { running: { startedAt: ago(24) } } }],
        [{ name: 'app', readinessProbe: probe }],
      ),
      [],
    ],
    [
      'unready without a readiness probe',
      pod([{ name: 'app', ready: false, state: { running: { startedAt: ago(600) } } }]),
      [],
    ],
    [
      'waiting on a bad image',
      pod([
        {
          name: 'app',
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } },
        },
      ]),
      [
        {
          type: 'container-waiting',
          severity: 4,
          message: 'Back-off pulling image "x"',
          proposedFix: {
            type: 'docs',
            errorType: 'ImagePullBackOff',
            rootCauseExplanation:
              'The image either could not be found or Kubernetes does not have permission to pull it',
            actions: [
              'Ensure the image name is correct',
              'Ensure Kubernetes has permission to pull this image',
            ],
            docsLink: 'https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff',
          },
        },
      ],
    ],
    [
      'waiting without a message',
      pod([{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }]),
      [],
    ],
    [
      'crash-looping after an error exit',
      pod([
        {
          name: 'app',
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ]),
      [
        {
          type: 'container-waiting',
          message: 'back-off 5m0s',
          proposedFix: expect.objectContaining({ type: 'logs', container: 'app' }),
        },
        {
          type: 'containers-restarting',
          message: 'container=app restarted 7 times',
          occurrenceCount: 7,
          proposedFix: {
            type: 'logs',
            errorType: 'Error',
            rootCauseExplanation: 'This container has exited with a non-zero exit code (1)',
            actions: ['Check the crash logs for stacktraces'],
            container: 'app',
          },
        },
      ],
    ],
    [
      'restarted after running out of memory',
      pod([
        { name: 'app', restartCount: 2, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } },
      ]),
      [
        {
          type: 'containers-restarting',
          occurrenceCount: 2,
          proposedFix: expect.objectContaining({
            type: 'docs',
            errorType: 'OOMKilled',
            docsLink:
              'https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#exceed-a-container-s-memory-limit',
          }),
        },
      ],
    ],
    [
      'restarted with no known last state',
      pod([{ name: 'app', restartCount: 1 }]),
      [{ type: 'containers-restarting' }],
    ],
  ])('%s', (_name, input, expected) => {
    const found = detectPodErrors(input, NOW);
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(found[i]).toMatchObject(e));
    for (const e of found) {
      expect(e.sourceRef).toEqual({ name: 'web-1', namespace: 'shop', kind: 'Pod', apiGroup: 'v1' });
    }
  });

  it('proposes no fix for a restart whose last state is unknown', () => {
    const [found] = detectPodErrors(pod([{ name: 'app', restartCount: 1 }]), NOW);
    expect(found).not.toHaveProperty('proposedFix');
  });
});

const cluster = (
  name: string,
  resources: ClusterObjects['resources'],
  errors: ClusterObjects['errors'] = [],
): ClusterObjects => ({
  cluster: { name },
  resources,
  podMetrics: [],
  errors,
});

const failedDeployment: KubeObject = {
  metadata: { name: 'web', namespace: 'shop' },
  status: {
    conditions: [
      { type: 'Available', status: 'False', message: 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'True', message: 'ReplicaSet "web-1" has successfully progressed.' },
      { type: 'ReplicaFailure', status: 'False' },
    ],
  },
};
const hpaAtMax: KubeObject = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { maxReplicas: 5 },
  status: { currentReplicas: 5 },
};
const hpaBelowMax: KubeObject = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { maxReplicas: 5 },
  status: { currentReplicas: 4 },
};
const restartingPod = pod([{ name: 'app', restartCount: 1 }]);

describe('detectErrors', () => {
  it('finds deployment conditions and HPAs at their ceiling, per cluster', () => {
    const found = detectErrors({
      items: [
        cluster('a', [
          { type: 'deployments', resources: [failedDeployment] },
          { type: 'horizontalpodautoscalers', resources: [hpaAtMax] },
        ]),
        cluster('b', [{ type: 'horizontalpodautoscalers', resources: [hpaBelowMax] }]),
      ],
    });
    expect([...found.keys()]).toEqual(['a', 'b']);
    expect(found.get('a')).toEqual([
      {
        type: 'condition-message-present',
        severity: 6,
        message: 'Deployment does not have minimum availability.',
        sourceRef: { name: 'web', namespace: 'shop', kind: 'Deployment', apiGroup: 'apps/v1' },
        occurrenceCount: 1,
      },
      {
        type: 'hpa-max-current-replicas',
        severity: 8,
        message: 'Current number of replicas (5) is equal to the configured max number of replicas (5)',
        sourceRef: {
          name: 'web',
          namespace: 'shop',
          kind: 'HorizontalPodAutoscaler',
          apiGroup: 'autoscaling/v2',
        },
        occurrenceCount: 1,
      },
    ]);
    expect(found.get('b')).toEqual([]);
  });
});

describe('healthOf', () => {
  it.each<[string, ClusterObjects[], string]>([
    ['nothing anywhere', [], 'ok'],
    [
      'healthy objects',
      [cluster('a', [{ type: 'pods', resources: [pod([{ name: 'app', ready: true }])] }])],
      'ok',
    ],
    ['a restarting pod', [cluster('a', [{ type: 'pods', resources: [restartingPod] }])], 'warning'],
    [
      'one object type refused',
      [cluster('a', [], [{ errorType: 'UNKNOWN_ERROR', statusCode: 403, resourcePath: '/apis/x' }])],
      'warning',
    ],
    [
      'a failed deployment condition',
      [cluster('a', [{ type: 'deployments', resources: [failedDeployment] }])],
      'error',
    ],
    [
      'an HPA at its ceiling',
      [cluster('a', [{ type: 'horizontalpodautoscalers', resources: [hpaAtMax] }])],
      'error',
    ],
    [
      'an unreachable cluster beside a healthy one',
      [cluster('a', []), cluster('b', [], [{ errorType: 'FETCH_ERROR', message: 'connect ECONNREFUSED' }])],
      'warning',
    ],
    [
      'an unreachable cluster beside a failing one',
      [
        cluster('a', [{ type: 'deployments', resources: [failedDeployment] }]),
        cluster('b', [], [{ errorType: 'FETCH_ERROR', message: 'connect ECONNREFUSED' }]),
      ],
      'error',
    ],
  ])('%s', (_name, items, expected) => {
    expect(healthOf({ items }, NOW)).toBe(expected);
  });
});
