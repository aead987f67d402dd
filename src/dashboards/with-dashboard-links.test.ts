import { describe, expect, it } from 'vitest';
import type { ClusterObjects, ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import { withDashboardLinks } from './with-dashboard-links.ts';

const item = (cluster: ClusterObjects['cluster']): ClusterObjects => ({
  cluster,
  resources: [
    {
      type: 'deployments',
      resources: [{ metadata: { name: 'web', namespace: 'shop', uid: 'd-1' } }],
    },
    {
      type: 'pods',
      resources: [{ metadata: { name: 'web-1', namespace: 'shop', uid: 'p-1' } }],
    },
    {
      type: 'customresources',
      resources: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'web', namespace: 'shop', uid: 'r-1' },
        },
      ],
    },
  ],
  podMetrics: [],
  errors: [],
});

describe('withDashboardLinks', () => {
  it('adds the cluster link and one link per object, leaving Backstage’s fields untouched', () => {
    const response: ObjectsByEntityResponse = {
      items: [
        item({
          name: 'prod',
          dashboardApp: 'eks',
          dashboardParameters: { region: 'eu-west-1', clusterName: 'prod-eks' },
        }),
        item({ name: 'plain' }),
      ],
    };
    const before = structuredClone(response);
    const linked = withDashboardLinks(response);
    expect(response).toEqual(before);
    const [prod, plain] = linked.items;
    expect(prod?.resources).toEqual(response.items[0]?.resources);
    expect(prod?.dashboard).toEqual({
      url: 'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks?region=eu-west-1',
      errors: [],
      objects: [
        {
          type: 'deployments',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          uid: 'd-1',
          url: 'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks/deployments/web?namespace=shop&region=eu-west-1',
        },
        {
          type: 'pods',
          kind: 'Pod',
          namespace: 'shop',
          name: 'web-1',
          uid: 'p-1',
          url: 'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks/pods/web-1?namespace=shop&region=eu-west-1',
        },
        {
          type: 'customresources',
          kind: 'Rollout',
          namespace: 'shop',
          name: 'web',
          uid: 'r-1',
          url: 'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-eks?region=eu-west-1&selectedTab=cluster-resources-tab',
        },
      ],
    });
    expect(plain?.dashboard).toEqual({ objects: [], errors: [] });
  });

  it('turns bad settings into one error per problem for that cluster, never a failure', () => {
    const linked = withDashboardLinks({
      items: [
        item({ name: 'broken', dashboardApp: 'gke', dashboardParameters: { projectId: 'p', region: 'r' } }),
        item({ name: 'fine', dashboardUrl: 'https://dash.example.com' }),
      ],
    });
    expect(linked.items[0]?.dashboard).toEqual({
      objects: [],
      errors: ['cluster "broken", dashboard app "gke": dashboardParameters.clusterName is required'],
    });
    expect(linked.items[1]?.dashboard.url).toBe('https://dash.example.com');
    expect(linked.items[1]?.dashboard.objects.map((o) => o.url)).toEqual([
      'https://dash.example.com/#/deployment/shop/web?namespace=shop',
      'https://dash.example.com/#/pod/shop/web-1?namespace=shop',
      'https://dash.example.com/#/workloads?namespace=shop',
    ]);
  });

  it('keeps the links it can make when only some objects fail (Headlamp and an unknown kind)', () => {
    const linked = withDashboardLinks({
      items: [item({ name: 'hl', dashboardApp: 'headlamp', dashboardUrl: 'https://headlamp.example.com' })],
    });
    const dashboard = linked.items[0]?.dashboard;
    expect(dashboard?.url).toBe('https://headlamp.example.com');
    expect(dashboard?.objects.map((o) => o.name)).toEqual(['web', 'web-1']);
    expect(dashboard?.errors).toEqual([
      'cluster "hl", dashboard app "headlamp": kind "Rollout" has no Headlamp page Stitchboard knows',
    ]);
  });
});
