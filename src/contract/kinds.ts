/**
 * Every Kubernetes kind Stitchboard names, once: how it is served (plural, group, version, scope), whether
 * Backstage's Kubernetes backend fetches it (`fetch`: in the default set, or only when named in
 * `objectTypes`), and its page in each dashboard app that has one. Object types, the UI's kind names,
 * dashboard links and the lab's REST paths all derive from this table. Pure data; the web UI may read it.
 *
 * The fetched kinds come first, in Backstage's order (ALL_OBJECTS); that order is the answer's order.
 * A fetched kind's `group`/`version` are Backstage's defaults (`apiVersionOverrides` may replace the version).
 */

/** Dashboard apps whose links name a kind's page (the others link to an object without a per-kind route). */
export type KindRouteApp = 'standard' | 'rancher' | 'openshift' | 'gke' | 'eks' | 'headlamp';

export interface KindSpec {
  kind: string;
  plural: string;
  /** `''` for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  fetch?: 'default' | 'opt-in';
  /** The kind's route segment in each dashboard app, when the app has a page for it. */
  dashboards?: Partial<Record<KindRouteApp, string>>;
}

export const KINDS = [
  {
    kind: 'Pod',
    plural: 'pods',
    group: '',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { standard: 'pod', gke: 'pod', eks: 'pods', headlamp: 'pods' },
  },
  {
    kind: 'Service',
    plural: 'services',
    group: '',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: {
      standard: 'service',
      rancher: 'service',
      openshift: 'services',
      gke: 'service',
      eks: 'services',
      headlamp: 'services',
    },
  },
  {
    kind: 'ConfigMap',
    plural: 'configmaps',
    group: '',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { eks: 'configmaps', headlamp: 'configmaps' },
  },
  {
    kind: 'Secret',
    plural: 'secrets',
    group: '',
    version: 'v1',
    namespaced: true,
    fetch: 'opt-in',
    dashboards: { headlamp: 'secrets' },
  },
  { kind: 'LimitRange', plural: 'limitranges', group: '', version: 'v1', namespaced: true, fetch: 'default' },
  {
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    group: '',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
  },
  {
    kind: 'Deployment',
    plural: 'deployments',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: {
      standard: 'deployment',
      rancher: 'apps.deployment',
      openshift: 'deployments',
      gke: 'deployment',
      eks: 'deployments',
      headlamp: 'deployments',
    },
  },
  {
    kind: 'ReplicaSet',
    plural: 'replicasets',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { eks: 'replicasets', headlamp: 'replicasets' },
  },
  {
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
    fetch: 'default',
    dashboards: {
      standard: 'deployment',
      rancher: 'autoscaling.horizontalpodautoscaler',
      openshift: 'horizontalpodautoscalers',
      gke: 'deployment',
      headlamp: 'horizontalpodautoscalers',
    },
  },
  {
    kind: 'Job',
    plural: 'jobs',
    group: 'batch',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { eks: 'jobs', headlamp: 'jobs' },
  },
  {
    kind: 'CronJob',
    plural: 'cronjobs',
    group: 'batch',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { eks: 'cronjobs', headlamp: 'cronjobs' },
  },
  {
    kind: 'Ingress',
    plural: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: {
      standard: 'ingress',
      rancher: 'networking.k8s.io.ingress',
      openshift: 'ingresses',
      gke: 'ingress',
      eks: 'ingresses',
      headlamp: 'ingresses',
    },
  },
  {
    kind: 'StatefulSet',
    plural: 'statefulsets',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { standard: 'statefulset', eks: 'statefulsets', headlamp: 'statefulsets' },
  },
  {
    kind: 'DaemonSet',
    plural: 'daemonsets',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    fetch: 'default',
    dashboards: { eks: 'daemonsets', headlamp: 'daemonsets' },
  },
  {
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    group: '',
    version: 'v1',
    namespaced: false,
    fetch: 'opt-in',
    dashboards: { openshift: 'persistentvolumes', headlamp: 'storage/persistentvolumes' },
  },
  {
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    group: '',
    version: 'v1',
    namespaced: true,
    fetch: 'opt-in',
    dashboards: { headlamp: 'storage/persistentvolumeclaims' },
  },
  // Not fetched by the Kubernetes backend: named by dashboards and by the lab's REST paths.
  { kind: 'Binding', plural: 'bindings', group: '', version: 'v1', namespaced: true },
  { kind: 'Endpoints', plural: 'endpoints', group: '', version: 'v1', namespaced: true },
  { kind: 'Event', plural: 'events', group: '', version: 'v1', namespaced: true },
  { kind: 'PodTemplate', plural: 'podtemplates', group: '', version: 'v1', namespaced: true },
  {
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    group: '',
    version: 'v1',
    namespaced: true,
    dashboards: { headlamp: 'serviceaccounts' },
  },
  {
    kind: 'Namespace',
    plural: 'namespaces',
    group: '',
    version: 'v1',
    namespaced: false,
    dashboards: { eks: 'namespaces', headlamp: 'namespaces' },
  },
  {
    kind: 'Node',
    plural: 'nodes',
    group: '',
    version: 'v1',
    namespaced: false,
    dashboards: { eks: 'nodes', headlamp: 'nodes' },
  },
  {
    kind: 'ControllerRevision',
    plural: 'controllerrevisions',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    kind: 'IngressClass',
    plural: 'ingressclasses',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: false,
  },
  {
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    dashboards: { headlamp: 'networkpolicies' },
  },
  {
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    group: 'policy',
    version: 'v1',
    namespaced: true,
    dashboards: { headlamp: 'poddisruptionbudgets' },
  },
  {
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    group: 'discovery.k8s.io',
    version: 'v1',
    namespaced: true,
  },
  { kind: 'Lease', plural: 'leases', group: 'coordination.k8s.io', version: 'v1', namespaced: true },
  {
    kind: 'Role',
    plural: 'roles',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    namespaced: true,
    dashboards: { headlamp: 'roles' },
  },
  {
    kind: 'RoleBinding',
    plural: 'rolebindings',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    namespaced: true,
    dashboards: { headlamp: 'rolebindings' },
  },
  {
    kind: 'ClusterRole',
    plural: 'clusterroles',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    namespaced: false,
    dashboards: { headlamp: 'clusterroles' },
  },
  {
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    namespaced: false,
    dashboards: { headlamp: 'clusterrolebindings' },
  },
  {
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    namespaced: false,
    dashboards: { headlamp: 'customresourcedefinitions' },
  },
  {
    kind: 'APIService',
    plural: 'apiservices',
    group: 'apiregistration.k8s.io',
    version: 'v1',
    namespaced: false,
  },
  {
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    namespaced: false,
  },
  {
    kind: 'ValidatingWebhookConfiguration',
    plural: 'validatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    namespaced: false,
  },
  {
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    group: 'scheduling.k8s.io',
    version: 'v1',
    namespaced: false,
  },
  {
    kind: 'StorageClass',
    plural: 'storageclasses',
    group: 'storage.k8s.io',
    version: 'v1',
    namespaced: false,
    dashboards: { headlamp: 'storage/storageclasses' },
  },
  {
    kind: 'PodSecurityPolicy',
    plural: 'podsecuritypolicies',
    group: 'policy',
    version: 'v1beta1',
    namespaced: false,
  },
] as const satisfies readonly KindSpec[];

type FetchedKind = Extract<(typeof KINDS)[number], { fetch: string }>;

/** Backstage's object types (`objectTypes` values, response `type`s), in Backstage's order. */
export type ObjectType = FetchedKind['plural'];

export const FETCHED_KINDS: readonly (KindSpec & { plural: ObjectType })[] = KINDS.filter(
  (k): k is FetchedKind => 'fetch' in k,
);

export const OBJECT_TYPES: readonly ObjectType[] = FETCHED_KINDS.map((k) => k.plural);

/** List items carry no `kind`; the response type says what they are. The web UI names objects by it too. */
export const KIND_OF_TYPE = Object.fromEntries(FETCHED_KINDS.map((k) => [k.plural, k.kind])) as Readonly<
  Record<ObjectType, string>
>;

const BY_LOWER_KIND: ReadonlyMap<string, KindSpec> = new Map(
  KINDS.map((k): [string, KindSpec] => [k.kind.toLowerCase(), k]),
);

/** The table entry of a kind named in any case (`deployment`, `Deployment`); undefined when unknown. */
export function kindSpec(kind: string): KindSpec | undefined {
  return BY_LOWER_KIND.get(kind.toLocaleLowerCase('en-US'));
}

/** A kind's page in one dashboard app, with its scope; undefined when the app has no page for it. */
export function kindRoute(
  app: KindRouteApp,
  kind: string,
): { route: string; namespaced: boolean } | undefined {
  const spec = kindSpec(kind);
  const route = spec?.dashboards?.[app];
  return spec && route ? { route, namespaced: spec.namespaced } : undefined;
}
