import { describe, expect, it } from 'vitest';
import { podMetricsFor } from './pod-metrics.ts';

const pod = (name: string) => ({
  metadata: { name, namespace: 'shop' },
  spec: {
    containers: [
      {
        name: 'app',
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      },
      { name: 'sidecar', resources: { requests: { cpu: '50m', memory: '16Mi' } } },
    ],
  },
});

describe('podMetricsFor', () => {
  it('sums usage in cores and bytes against requests and limits', () => {
    const [status] = podMetricsFor([pod('web-1')], {
      items: [
        {
          metadata: { name: 'web-1' },
          containers: [
            { name: 'app', usage: { cpu: '250000000n', memory: '50Mi' } },
            { name: 'sidecar', usage: { cpu: '5m', memory: '10Mi' } },
          ],
        },
      ],
    });
    expect(status?.cpu).toEqual({ currentUsage: 0.255, requestTotal: 0.15, limitTotal: 0.5 });
    expect(status?.memory).toEqual({
      currentUsage: String(60 * 2 ** 20),
      requestTotal: String(80 * 2 ** 20),
      limitTotal: String(128 * 2 ** 20),
    });
    expect(status?.containers[0]).toEqual({
      container: 'app',
      cpuUsage: { currentUsage: 0.25, requestTotal: 0.1, limitTotal: 0.5 },
      memoryUsage: {
        currentUsage: String(50 * 2 ** 20),
        requestTotal: String(64 * 2 ** 20),
        limitTotal: String(128 * 2 ** 20),
      },
    });
  });

  it('lists a pod without metrics with zero usage and no containers', () => {
    const [status] = podMetricsFor([pod('web-2')], { items: [] });
    expect(status?.cpu.currentUsage).toBe(0);
    expect(status?.memory.currentUsage).toBe(0);
    expect(status?.containers).toEqual([]);
  });
});
