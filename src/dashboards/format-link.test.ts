import { describe, expect, it } from 'vitest';
import type { ClusterAttributes, KubeObject } from '../contract/kubernetes.ts';
import { formatDashboardLink } from './format-link.ts';

const obj = (name?: string, namespace?: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}), uid: 'u-1' },
  ...extra,
});
const web = obj('web', 'shop');
const cluster = (attributes: Partial<ClusterAttributes>): ClusterAttributes => ({
  name: 'prod',
  ...attributes,
});
const link = (c: Partial<ClusterAttributes>, object?: KubeObject, kind?: string, origin?: string) =>
  formatDashboardLink({
    cluster: cluster(c),
    ...(object ? { object } : {}),
    ...(kind ? { kind } : {}),
    ...(origin ? { origin } : {}),
  });

describe('dispatch (Backstage KubernetesClusterLinkFormatter)', () => {
  it('gives no link without dashboardUrl and dashboardParameters', () => {
    expect(link({ dashboardApp: 'gke' }, web, 'Deployment')).toBeUndefined();
  });

  it('gives the dashboardUrl itself for the cluster, whatever the app', () => {
    expect(link({ dashboardUrl: 'https://dash.example.com/base', dashboardApp: 'rancher' })).toBe(
      'https://dash.example.com/base',
    );
  });

  it('uses the standard formatter when dashboardApp is unset', () => {
    expect(link({ dashboardUrl: 'https://dash.example.com' }, web, 'Pod')).toBe(
      'https://dash.example.com/#/pod/shop/web?namespace=shop',
    );
  });

  it('reads the kind from the object when none is given', () => {
    expect(link({ dashboardUrl: 'https://d.example.com' }, obj('web', 'shop', { kind: 'Service' }))).toBe(
      'https://d.example.com/#/service/shop/web?namespace=shop',
    );
  });
});

const std = { dashboardUrl: 'https://dash.example.com/k8s' };
const rancher = { dashboardUrl: 'https://rancher.example.com/dashboard/c/c-1', dashboardApp: 'rancher' };
const openshift = { dashboardUrl: 'https://console.apps.example.com', dashboardApp: 'openshift' };
const gke = {
  dashboardApp: 'gke',
  dashboardParameters: { projectId: 'shop-prod', region: 'europe-west1', clusterName: 'prod-1' },
};
const aks = {
  dashboardApp: 'aks',
  dashboardParameters: { subscriptionId: 'sub-1', resourceGroup: 'rg-1', clusterName: 'aks-1' },
};
const eks = { dashboardApp: 'eks', dashboardParameters: { region: 'eu-west-1', clusterName: 'prod-eks' } };
const headlamp = { dashboardUrl: 'https://headlamp.example.com', dashboardApp: 'headlamp' };

describe.each<
  [string, Partial<ClusterAttributes>, KubeObject | undefined, string | undefined, string | undefined]
>([
  // standard: the route is in the hash
  ['standard', std, web, 'Deployment', 'https://dash.example.com/k8s/#/deployment/shop/web?namespace=shop'],
  [
    'standard',
    std,
    web,
    'HorizontalPodAutoscaler',
    'https://dash.example.com/k8s/#/deployment/shop/web?namespace=shop',
  ],
  ['standard', std, web, 'StatefulSet', 'https://dash.example.com/k8s/#/statefulset/shop/web?namespace=shop'],
  ['standard', std, web, 'ConfigMap', 'https://dash.example.com/k8s/#/workloads?namespace=shop'],
  [
    'standard',
    std,
    obj('a b', 'my ns'),
    'Pod',
    'https://dash.example.com/k8s/#/pod/my%20ns/a%20b?namespace=my%20ns',
  ],
  ['standard', std, obj('node-1'), 'Node', 'https://dash.example.com/k8s/'],
  // rancher
  [
    'rancher',
    rancher,
    web,
    'Deployment',
    'https://rancher.example.com/dashboard/c/c-1/explorer/apps.deployment/shop/web',
  ],
  [
    'rancher',
    rancher,
    web,
    'Ingress',
    'https://rancher.example.com/dashboard/c/c-1/explorer/networking.k8s.io.ingress/shop/web',
  ],
  [
    'rancher',
    rancher,
    web,
    'HorizontalPodAutoscaler',
    'https://rancher.example.com/dashboard/c/c-1/explorer/autoscaling.horizontalpodautoscaler/shop/web',
  ],
  ['rancher', rancher, web, 'Pod', 'https://rancher.example.com/dashboard/c/c-1/explorer/workload'],
  ['rancher', rancher, obj('pv-1'), 'PersistentVolume', 'https://rancher.example.com/dashboard/c/c-1/'],
  // openshift
  ['openshift', openshift, web, 'Service', 'https://console.apps.example.com/k8s/ns/shop/services/web'],
  ['openshift', openshift, web, 'Pod', 'https://console.apps.example.com/k8s/cluster/projects/shop'],
  [
    'openshift',
    openshift,
    obj('pv-1'),
    'PersistentVolume',
    'https://console.apps.example.com/k8s/cluster/persistentvolumes/pv-1',
  ],
  [
    'openshift',
    openshift,
    obj(),
    'PersistentVolume',
    'https://console.apps.example.com/k8s/cluster/persistentvolumes',
  ],
  ['openshift', openshift, obj('n'), 'Node', 'https://console.apps.example.com/'],
  // gke
  [
    'gke',
    gke,
    web,
    'Deployment',
    'https://console.cloud.google.com/kubernetes/deployment/europe-west1/prod-1/shop/web/overview?project=shop-prod',
  ],
  [
    'gke',
    gke,
    web,
    'Pod',
    'https://console.cloud.google.com/kubernetes/pod/europe-west1/prod-1/shop/web/details?project=shop-prod',
  ],
  [
    'gke',
    gke,
    web,
    'Ingress',
    'https://console.cloud.google.com/kubernetes/ingress/europe-west1/prod-1/shop/web/details?project=shop-prod',
  ],
  [
    'gke',
    gke,
    web,
    'HorizontalPodAutoscaler',
    'https://console.cloud.google.com/kubernetes/deployment/europe-west1/prod-1/shop/web/overview?project=shop-prod',
  ],
  [
    'gke',
    gke,
    web,
    'ConfigMap',
    'https://console.cloud.google.com/kubernetes/clusters/details/europe-west1/prod-1/details?project=shop-prod',
  ],
  [
    'gke',
    gke,
    undefined,
    undefined,
    'https://console.cloud.google.com/kubernetes/clusters/details/europe-west1/prod-1/details?project=shop-prod',
  ],
  // aks
  [
    'aks',
    aks,
    obj('web', 'shop', { spec: { selector: { matchLabels: { app: 'web' } } } }),
    'Deployment',
    'https://portal.azure.com/#blade/Microsoft_Azure_ContainerService/AksK8ResourceMenuBlade/overview-Deployment/aksClusterId/' +
      encodeURIComponent(
        '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ContainerService/managedClusters/aks-1',
      ) +
      '/resource/' +
      encodeURIComponent(
        '{"kind":"Deployment","metadata":{"name":"web","namespace":"shop","uid":"u-1"},"spec":{"selector":{"matchLabels":{"app":"web"}}}}',
      ),
  ],
  [
    'aks',
    aks,
    undefined,
    undefined,
    'https://portal.azure.com/#resource/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ContainerService/managedClusters/aks-1/overview',
  ],
  // eks
  [
    'eks',
    eks,
    web,
    'Deployment',
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks/deployments/web?namespace=shop&region=eu-west-1',
  ],
  [
    'eks',
    eks,
    web,
    'Pod',
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks/pods/web?namespace=shop&region=eu-west-1',
  ],
  [
    'eks',
    eks,
    obj('a b', 'my ns'),
    'Service',
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks/services/a%20b?namespace=my+ns&region=eu-west-1',
  ],
  [
    'eks',
    eks,
    obj('ip-10-0-1-1.ec2.internal'),
    'Node',
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks/nodes/ip-10-0-1-1.ec2.internal?region=eu-west-1',
  ],
  [
    'eks',
    eks,
    obj(undefined, 'shop'),
    'Deployment',
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks?region=eu-west-1&selectedTab=cluster-resources-tab&selectedResourceId=deployments',
  ],
  [
    'eks',
    eks,
    web,
    'LimitRange',
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks?region=eu-west-1&selectedTab=cluster-resources-tab',
  ],
  [
    'eks',
    eks,
    undefined,
    undefined,
    'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks?region=eu-west-1',
  ],
  // headlamp
  [
    'headlamp',
    headlamp,
    web,
    'Deployment',
    'https://headlamp.example.com/?to=%2Fc%2Fdefault%2Fdeployments%2Fshop%2Fweb',
  ],
  [
    'headlamp',
    { ...headlamp, dashboardParameters: { clusterName: 'prod' } },
    web,
    'PersistentVolumeClaim',
    'https://headlamp.example.com/?to=%2Fc%2Fprod%2Fstorage%2Fpersistentvolumeclaims%2Fshop%2Fweb',
  ],
  [
    'headlamp',
    headlamp,
    obj('node-1'),
    'Node',
    'https://headlamp.example.com/?to=%2Fc%2Fdefault%2Fnodes%2Fnode-1',
  ],
])('%s', (_app, settings, object, kind, expected) => {
  it(`links ${kind ?? 'the cluster'} ${object?.metadata?.namespace ?? ''}/${object?.metadata?.name ?? ''}`, () => {
    expect(link(settings, object, kind)).toBe(expected);
  });
});

describe('headlamp inside Stitchboard’s UI', () => {
  const internal = { dashboardApp: 'headlamp', dashboardParameters: { internal: true, clusterName: 'prod' } };
  it('uses the origin and the default route', () => {
    expect(link(internal, web, 'Pod', 'https://stitchboard.example.com')).toBe(
      'https://stitchboard.example.com/headlamp?to=%2Fc%2Fprod%2Fpods%2Fshop%2Fweb',
    );
  });
  it('honours headlampRoute, and links the cluster without an object', () => {
    const routed = {
      ...internal,
      dashboardParameters: { ...internal.dashboardParameters, headlampRoute: '/tools/hl' },
    };
    expect(link(routed, undefined, undefined, 'https://sb.example.com')).toBe(
      'https://sb.example.com/tools/hl',
    );
  });
});

const prefix = (app: string) => `cluster "prod", dashboard app "${app}": `;

describe('bad settings: a clear error naming cluster, app and parameter', () => {
  it.each<
    [Partial<ClusterAttributes>, KubeObject | undefined, string | undefined, string | undefined, string]
  >([
    [
      { dashboardApp: 'grafana', dashboardUrl: 'https://g.example.com' },
      web,
      'Pod',
      undefined,
      `${prefix('grafana')}dashboardApp names no known dashboard app (expected one of: standard, rancher, openshift, gke, aks, eks, headlamp)`,
    ],
    [
      { dashboardApp: 'toString', dashboardUrl: 'https://g.example.com' },
      web,
      'Pod',
      undefined,
      `${prefix('toString')}dashboardApp names no known dashboard app`,
    ],
    [
      { dashboardUrl: 'javascript:alert(1)' },
      undefined,
      undefined,
      undefined,
      `${prefix('standard')}dashboardUrl is not an http(s) URL`,
    ],
    [
      { dashboardUrl: 'not a url' },
      web,
      'Pod',
      undefined,
      `${prefix('standard')}dashboardUrl is not an http(s) URL`,
    ],
    [
      { dashboardParameters: { a: 1 } },
      web,
      'Pod',
      undefined,
      `${prefix('standard')}dashboardUrl is required`,
    ],
    [
      { dashboardApp: 'rancher', dashboardParameters: {} },
      web,
      'Pod',
      undefined,
      `${prefix('rancher')}dashboardUrl is required`,
    ],
    [
      { dashboardApp: 'openshift', dashboardParameters: {} },
      web,
      'Pod',
      undefined,
      `${prefix('openshift')}dashboardUrl is required`,
    ],
    [
      { dashboardApp: 'gke', dashboardParameters: { region: 'r', clusterName: 'c' } },
      web,
      'Pod',
      undefined,
      `${prefix('gke')}dashboardParameters.projectId is required`,
    ],
    [
      { dashboardApp: 'gke', dashboardParameters: { projectId: 42, region: 'r', clusterName: 'c' } },
      web,
      'Pod',
      undefined,
      `${prefix('gke')}dashboardParameters.projectId must be a non-empty string, not number`,
    ],
    [
      { dashboardApp: 'gke', dashboardParameters: { projectId: 'p', region: ['r'], clusterName: 'c' } },
      undefined,
      undefined,
      undefined,
      `${prefix('gke')}dashboardParameters.region must be a non-empty string, not array`,
    ],
    [
      { dashboardApp: 'gke', dashboardParameters: { projectId: 'p', region: 'r', clusterName: '' } },
      web,
      'Pod',
      undefined,
      `${prefix('gke')}dashboardParameters.clusterName must be a non-empty string, not an empty one`,
    ],
    [
      { dashboardApp: 'aks', dashboardParameters: { subscriptionId: 's', clusterName: 'c' } },
      web,
      'Pod',
      undefined,
      `${prefix('aks')}dashboardParameters.resourceGroup is required`,
    ],
    [
      {
        dashboardApp: 'aks',
        dashboardParameters: { subscriptionId: null, resourceGroup: 'g', clusterName: 'c' },
      },
      web,
      'Pod',
      undefined,
      `${prefix('aks')}dashboardParameters.subscriptionId must be a non-empty string, not null`,
    ],
    [
      { dashboardApp: 'eks', dashboardParameters: { clusterName: 'c' } },
      web,
      'Pod',
      undefined,
      `${prefix('eks')}dashboardParameters.region is required`,
    ],
    [
      { dashboardApp: 'eks', dashboardParameters: { region: 'evil.com/#', clusterName: 'c' } },
      web,
      'Pod',
      undefined,
      `${prefix('eks')}dashboardParameters.region is not an AWS region name (e.g. eu-west-1)`,
    ],
    [
      { dashboardApp: 'eks', dashboardParameters: { region: 'eu-west-1' } },
      undefined,
      undefined,
      undefined,
      `${prefix('eks')}dashboardParameters.clusterName is required`,
    ],
    [
      { dashboardApp: 'headlamp', dashboardParameters: { clusterName: 'c' } },
      web,
      'Pod',
      undefined,
      `${prefix('headlamp')}dashboardUrl is required unless dashboardParameters.internal is true`,
    ],
    [
      { dashboardApp: 'headlamp', dashboardParameters: { internal: true } },
      web,
      'Pod',
      undefined,
      `${prefix('headlamp')}dashboardParameters.internal needs the address the UI is served from, and none was given`,
    ],
    [
      { dashboardApp: 'headlamp', dashboardParameters: { internal: true, headlampRoute: 'x' } },
      web,
      'Pod',
      'https://sb.example.com',
      `${prefix('headlamp')}dashboardParameters.headlampRoute must be a path starting with "/"`,
    ],
    [
      { ...headlamp, dashboardParameters: { clusterName: 7 } },
      web,
      'Pod',
      undefined,
      `${prefix('headlamp')}dashboardParameters.clusterName must be a non-empty string, not number`,
    ],
    [
      headlamp,
      obj(undefined, 'shop'),
      'Pod',
      undefined,
      `${prefix('headlamp')}the Pod's metadata.name is required for a Headlamp link`,
    ],
    [
      headlamp,
      obj('web'),
      'Deployment',
      undefined,
      `${prefix('headlamp')}the Deployment's metadata.namespace is required for a Headlamp link`,
    ],
    [
      headlamp,
      web,
      'LimitRange',
      undefined,
      `${prefix('headlamp')}kind "LimitRange" has no Headlamp page Stitchboard knows`,
    ],
  ])('%j for %s/%s', (settings, object, kind, origin, message) => {
    let thrown: unknown;
    try {
      link(settings, object, kind, origin);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID', details: { cluster: 'prod' } });
    expect((thrown as Error).message).toContain(message);
  });
});
