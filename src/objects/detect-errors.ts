import type { ClusterObjects, KubeObject, ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import {
  healthOfClusters,
  type DetectedError,
  type Health,
  type ProposedFix,
} from '../contract/stitchboard.ts';

/**
 * Backstage's error detection (plugin-kubernetes-common `detectErrors`), rule for rule, so a problem
 * looks the same here as in Backstage's Kubernetes tab. Pure: the clock is a parameter.
 * The rules and fix texts are in docs/research (`backstage-kubernetes.md` §7).
 */

interface Container {
  name: string;
  readinessProbe?: { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { running?: { startedAt?: string }; waiting?: { reason?: string; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

const podSpec = (pod: KubeObject) => (pod.spec ?? {}) as { containers?: Container[] };
const podStatus = (pod: KubeObject) => (pod.status ?? {}) as { containerStatuses?: ContainerStatus[] };

function sourceRef(object: KubeObject, kind: string, apiGroup: string, fallback: string) {
  return {
    name: object.metadata?.name ?? `unknown ${fallback}`,
    namespace: object.metadata?.namespace ?? 'unknown namespace',
    kind,
    apiGroup,
  };
}

/** The probe's deadline (start + initial delay + period × failure threshold) has passed and the container is still unready. */
function readinessOverdue(container: Container, status: ContainerStatus, now: number): boolean {
  const startedAt = status.state?.running?.startedAt;
  const probe = container.readinessProbe;
  if (status.ready || startedAt === undefined || !probe) return false;
  const delaySeconds =
    (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 0) * (probe.failureThreshold ?? 0);
  return Date.parse(startedAt) + delaySeconds * 1000 < now;
}

function readinessFix(pod: KubeObject): ProposedFix {
  const unready = podStatus(pod).containerStatuses?.find((cs) => cs.ready === false);
  return {
    type: 'events',
    errorType: 'ReadinessProbeFailed',
    rootCauseExplanation: `The container ${unready?.name} failed to start properly, but is not crashing`,
    actions: [
      'Ensure that the container starts correctly locally',
      "Check the container's logs looking for error during startup",
    ],
    podName: pod.metadata?.name ?? '',
  };
}

function waitingFix(pod: KubeObject): ProposedFix | undefined {
  const statuses = podStatus(pod).containerStatuses ?? [];
  const waitingName = statuses.find((cs) => cs.state?.waiting !== undefined)?.name;
  const reason = statuses.map((cs) => cs.state?.waiting).find((w) => w?.reason !== undefined)?.reason;
  switch (reason) {
    case 'InvalidImageName':
      return {
        type: 'docs',
        errorType: reason,
        rootCauseExplanation: 'The image in the pod is invalid',
        actions: ['Ensure the image name is correct and valid image name'],
        docsLink: 'https://docs.docker.com/engine/reference/commandline/tag/#extended-description',
      };
    case 'ImagePullBackOff':
      return {
        type: 'docs',
        errorType: reason,
        rootCauseExplanation:
          'The image either could not be found or Kubernetes does not have permission to pull it',
        actions: ['Ensure the image name is correct', 'Ensure Kubernetes has permission to pull this image'],
        docsLink: 'https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff',
      };
    case 'CrashLoopBackOff':
      return {
        type: 'logs',
        errorType: reason,
        rootCauseExplanation: `The container ${waitingName} has crashed many times, it will be exponentially restarted until it stops crashing`,
        actions: ['Check the crash logs for stacktraces'],
        container: waitingName ?? 'unknown',
      };
    case 'CreateContainerConfigError':
      return {
        type: 'docs',
        errorType: reason,
        rootCauseExplanation: 'There is missing or mismatching configuration required to start the container',
        actions: [
          'Ensure ConfigMaps references in the Deployment manifest are correct and the keys exist',
          'Ensure Secrets references in the Deployment manifest are correct and the keys exist',
        ],
        docsLink: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/',
      };
    default:
      return undefined;
  }
}

function restartFix(pod: KubeObject): ProposedFix | undefined {
  const cs = podStatus(pod).containerStatuses?.find((c) => c.lastState?.terminated !== undefined);
  const terminated = cs?.lastState?.terminated;
  if (!cs || !terminated) return undefined;
  const exited = `This container has exited with a non-zero exit code (${terminated.exitCode})`;
  switch (terminated.reason) {
    case 'Unknown':
    case 'Error':
      return {
        type: 'logs',
        errorType: terminated.reason,
        rootCauseExplanation: exited,
        actions: ['Check the crash logs for stacktraces'],
        container: cs.name,
      };
    case 'OOMKilled':
      return {
        type: 'docs',
        errorType: 'OOMKilled',
        rootCauseExplanation: `The container "${cs.name}" has crashed because it has tried to use more memory that it has been allocated`,
        actions: [
          'Increase the amount of memory assigned to the container',
          'Ensure the application is memory bounded and is not trying to consume too much memory',
        ],
        docsLink:
          'https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#exceed-a-container-s-memory-limit',
      };
    default:
      return undefined;
  }
}

const withFix = (fix: ProposedFix | undefined) => (fix ? { proposedFix: fix } : {});

export function detectPodErrors(pod: KubeObject, now: number): DetectedError[] {
  const ref = sourceRef(pod, 'Pod', 'v1', 'pod');
  const statuses = podStatus(pod).containerStatuses ?? [];
  const specs = new Map((podSpec(pod).containers ?? []).map((c) => [c.name, c]));
  const errors: DetectedError[] = [];
  for (const cs of statuses) {
    const spec = specs.get(cs.name);
    if (spec && readinessOverdue(spec, cs, now)) {
      errors.push({
        type: 'readiness-probe-taking-too-long',
        severity: 4,
        message: `The container ${spec.name} failed to start properly, but is not crashing`,
        proposedFix: readinessFix(pod),
        sourceRef: ref,
        occurrenceCount: 1,
      });
    }
  }
  for (const cs of statuses) {
    const message = cs.state?.waiting?.message;
    if (message === undefined) continue;
    errors.push({
      type: 'container-waiting',
      severity: 4,
      message,
      ...withFix(waitingFix(pod)),
      sourceRef: ref,
      occurrenceCount: 1,
    });
  }
  for (const cs of statuses) {
    const restarts = cs.restartCount ?? 0;
    if (restarts <= 0) continue;
    errors.push({
      type: 'containers-restarting',
      severity: 4,
      message: `container=${cs.name} restarted ${restarts} times`,
      ...withFix(restartFix(pod)),
      sourceRef: ref,
      occurrenceCount: restarts,
    });
  }
  return errors;
}

export function detectDeploymentErrors(deployment: KubeObject): DetectedError[] {
  const conditions =
    ((deployment.status ?? {}) as { conditions?: { status?: string; message?: string }[] }).conditions ?? [];
  return conditions
    .filter((c) => c.status === 'False' && c.message !== undefined)
    .map((c) => ({
      type: 'condition-message-present',
      severity: 6,
      message: c.message ?? '',
      sourceRef: sourceRef(deployment, 'Deployment', 'apps/v1', 'deployment'),
      occurrenceCount: 1,
    }));
}

export function detectHpaErrors(hpa: KubeObject): DetectedError[] {
  const max = (hpa.spec as { maxReplicas?: number } | undefined)?.maxReplicas;
  const current = (hpa.status as { currentReplicas?: number } | undefined)?.currentReplicas;
  if (max === undefined || max !== current) return [];
  return [
    {
      type: 'hpa-max-current-replicas',
      severity: 8,
      message: `Current number of replicas (${current}) is equal to the configured max number of replicas (${max})`,
      sourceRef: sourceRef(hpa, 'HorizontalPodAutoscaler', 'autoscaling/v2', 'hpa'),
      occurrenceCount: 1,
    },
  ];
}

/** One cluster's detected errors, pods first, then deployments, then HPAs, as Backstage orders them. */
export function detectClusterErrors(item: ClusterObjects, now: number = Date.now()): DetectedError[] {
  const of = (type: string) => item.resources.find((r) => r.type === type)?.resources ?? [];
  return [
    ...of('pods').flatMap((p) => detectPodErrors(p, now)),
    ...of('deployments').flatMap(detectDeploymentErrors),
    ...of('horizontalpodautoscalers').flatMap(detectHpaErrors),
  ];
}

/** Backstage's `detectErrors`: cluster name → the errors found in that cluster's objects. */
export function detectErrors(
  response: ObjectsByEntityResponse,
  now: number = Date.now(),
): Map<string, DetectedError[]> {
  return new Map(response.items.map((item) => [item.cluster.name, detectClusterErrors(item, now)]));
}

/** Stitchboard's health of an entity's objects (see healthOfClusters), detecting each cluster's errors lazily. */
export function healthOf(response: ObjectsByEntityResponse, now: number = Date.now()): Health {
  return healthOfClusters(
    (function* () {
      for (const item of response.items) {
        yield { detectedErrors: detectClusterErrors(item, now), errors: item.errors };
      }
    })(),
  );
}
